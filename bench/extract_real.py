"""decompose extract on a real project: one service cut out, and the project's own tests.

Run on demand (`.venv/bin/python bench/extract_real.py`); never part of the test suite.
It downloads a pure-Python sdist that ships its tests from PyPI (default h11 0.16.0) into
bench/.corpora/extract/, unpacks it twice in a temporary folder (or --keep DIR), and:

1. runs the project's tests on the original (`python -m pytest -q TESTS`);
2. analyses it (``--exclude``: by default its docs/, fuzz/ and setup.py, scripts beside
   the library) and shows what the analysis of the whole folder would refuse;
3. extracts ``--service`` (by default the service whose extraction rewrites the most
   import statements) into the copy: facade, rewritten imports, import-linter contract;
4. compiles every file, runs the project's tests again on the copy, checks the contract
   with lint-imports, then adds one internal import back and checks that it fails;
5. compares the two trees with `decompose compare` (the same services on both sides).

Exit status 0 when the tests pass as before and the contract holds (and breaks as it should).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from decompose import analyze_path
from decompose.compare import Snapshot, compare
from decompose.extract import AmbiguousRewrite, ExtractError, apply_extraction, plan_extraction

HERE = Path(__file__).resolve().parent
DOWNLOADS = HERE / ".corpora" / "extract"
FIGURES = ("modules", "services", "modularity", "icp", "cross_edges", "cross_weight", "cycles", "ifn")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", default="h11==0.16.0", help="an sdist on PyPI that ships its tests")
    parser.add_argument("--tests", default="h11/tests", help="the tests, relative to the sdist's folder")
    parser.add_argument("--exclude", action="append", help="left out of the analysis (default: docs, fuzz, setup.py)")
    parser.add_argument("--service", help="the service to extract [default: the one rewriting most imports]")
    parser.add_argument("--import-root", default="", help="the folder the tests import the package from (src)")
    parser.add_argument("--keep", type=Path, help="work here instead of a temporary folder (kept)")
    options = parser.parse_args()
    excludes = options.exclude or ["docs", "fuzz", "setup.py"]

    source = unpacked_sdist(options.package)
    work = options.keep or Path(tempfile.mkdtemp(prefix="decompose-extract-"))
    original, extracted = work / "original", work / "extracted"
    for folder in (original, extracted):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(source, folder)
    print(f"project: {options.package} ({source.name}), work folder {work}")

    before = run_tests(original, options.tests, options.import_root)
    print(f"tests before: {before.summary}   [{before.command}]")

    whole = analyze_path(original, {"cache_dir": None})
    analysis = analyze_path(original, {"cache_dir": None, "exclude": excludes})
    print(
        f"analysis (excluding {', '.join(excludes)}): {len(analysis.graph.modules)} modules, "
        + ", ".join(f"{s.name} ({len(s.modules)})" for s in analysis.decomposition.services)
    )
    service = options.service or busiest_service(analysis, original)
    refused = refusal(whole, original, service)
    if refused:
        print(f"the whole folder, {service}: refused, nothing written: {refused}")

    plan = plan_extraction(extracted, service, analysis)
    apply_extraction(plan)
    files, added, removed = plan.counts()
    print(
        f"extracted {service}: facade {plan.facade} with {len(plan.exports)} names, "
        f"{plan.rewritten_statements} import statements rewritten, {files} files changed (+{added} -{removed}), "
        f"{len(plan.kept)} imports kept, {len(plan.strings)} string references"
    )
    for change in plan.changes:
        a, r = change.counts()
        print(f"    {change.path}: +{a} -{r}")
    for kept in plan.kept:
        print(f"    kept {kept.path}:{kept.line}: {kept.reason}")

    for file in extracted.rglob("*.py"):
        compile(file.read_bytes(), str(file), "exec")
    after = run_tests(extracted, options.tests, options.import_root)
    print(f"tests after:  {after.summary}   [{after.command}]")

    holds = lint(extracted, plan)
    print(f"contract: {verdict(holds.stdout)} ({plan.check_command()})")
    breaks = add_back_and_lint(extracted, analysis, plan)
    print(f"contract with an internal import added back: {verdict(breaks.stdout)} (exit {breaks.returncode})")

    after_analysis = analyze_path(extracted, {"cache_dir": None, "exclude": excludes})
    comparison = compare(snapshot("original", analysis), snapshot("extracted", after_analysis))
    print("decompose compare, original -> extracted (the original's services on both sides):")
    values = {d.name: d for d in comparison.overall}
    for name in FIGURES:
        if name in values:
            d = values[name]
            print(f"    {name:<14} {d.before:>10.4g} -> {d.after:<10.4g}")

    ok = (
        after.passed == before.passed
        and after.failed == before.failed == 0
        and holds.returncode == 0
        and breaks.returncode == 1
    )
    print("result:", "the project's tests pass as before; the contract holds" if ok else "FAILED")
    return 0 if ok else 1


def snapshot(label: str, analysis) -> Snapshot:
    return Snapshot(label, analysis.project, analysis.graph, analysis.decomposition, analysis.data)


class TestRun:
    def __init__(self, command: str, output: str, code: int) -> None:
        self.command = command
        counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (passed|failed|errors?|skipped)", output)}
        self.passed = counts.get("passed", 0)
        self.failed = counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
        self.summary = last_line(output) + ("" if code == 0 else f" (exit {code})")


def run_tests(tree: Path, tests: str, import_root: str = "") -> TestRun:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", tests]
    env = {**os.environ, "PYTHONPATH": str(tree / import_root), "PYTHONDONTWRITEBYTECODE": "1"}
    completed = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    return TestRun(f"cd {tree.name} && python -m pytest -q {tests}", completed.stdout, completed.returncode)


def busiest_service(analysis, tree: Path) -> str:
    best, most = None, -1
    for service in analysis.decomposition.services:
        try:
            plan = plan_extraction(tree, service.name, analysis)
        except ExtractError:
            continue
        if plan.rewritten_statements > most:
            best, most = service.name, plan.rewritten_statements
    if best is None:
        raise SystemExit("no service of the project can be extracted")
    return best


def refusal(analysis, tree: Path, service: str) -> str:
    """Why the analysis of the whole folder (scripts included) could not be extracted."""
    names = {s.name for s in analysis.decomposition.services}
    if service not in names:
        return ""
    try:
        plan_extraction(tree, service, analysis)
    except AmbiguousRewrite as error:
        return "; ".join(error.problems[:2])
    except ExtractError as error:
        return str(error)
    return ""


def lint(tree: Path, plan) -> subprocess.CompletedProcess:
    """lint-imports on the plan's contract, from the folder its packages are imported from."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    folder = tree / plan.import_root
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [str(lint_imports), "--no-cache", str(tree / plan.contract_path)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )


def add_back_and_lint(tree: Path, analysis, plan) -> subprocess.CompletedProcess:
    """One module outside the service imports one of its internals directly again."""
    service = next(s for s in analysis.decomposition.services if s.name == plan.service)
    internals = sorted(m.name for m in service.modules if "." in m.name)
    outside = next(m for m in analysis.graph.modules if m.name not in internals and "." in m.name)
    path = tree / outside.path
    original = path.read_bytes()
    path.write_bytes(original + f"\nimport {internals[0]}  # added back\n".encode())
    try:
        return lint(tree, plan)
    finally:
        path.write_bytes(original)


def unpacked_sdist(requirement: str) -> Path:
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    name = requirement.replace("==", "-")
    archives = sorted(DOWNLOADS.glob(f"{name}.tar.gz")) or sorted(DOWNLOADS.glob(f"{name.replace('-', '_', 1)}.tar.gz"))
    if not archives:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", requirement,
             "-d", str(DOWNLOADS)],
            check=True,
        )
        archives = sorted(DOWNLOADS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[-1:]
    archive = archives[0]
    target = DOWNLOADS / archive.name.removesuffix(".tar.gz")
    if not target.is_dir():
        with tarfile.open(archive) as handle:
            handle.extractall(DOWNLOADS, filter="data")
    return target


def verdict(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.startswith("Contracts:")), last_line(text))


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


if __name__ == "__main__":
    sys.exit(main())
