"""Which parser belongs on the hot path? Times them on Django's source, in one run.

Run on demand (`make bench-parse`); not part of the test suite. Django's sdist is
downloaded from PyPI into bench/.corpora/ the first time (never committed).

Prints, as medians over --repeat runs, single-process wall times for:
  ast.parse            the standard library's parser alone (the floor)
  decompose facts      ast.parse plus decompose's fact visitor (the parse stage's hot path)
  libcst parse_module  libcst's native parser
  libcst metadata      libcst's parser plus ScopeProvider and QualifiedNameProvider, on a
                       subset (it is too slow for the whole tree), scaled to the whole
and decompose analyze end to end (discover, parse, graph, JSON), with ratios to ast.parse.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _corpora import download, package_dir  # noqa: E402


def django_tree(version: str) -> Path:
    """A folder holding Django's package, downloaded from PyPI once."""
    return package_dir(download("django", version), "django").parent


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--django", default="5.2.8", help="Django version to download")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--metadata-subset", type=int, default=60, help="files for the libcst metadata run")
    args = parser.parse_args()

    import libcst as cst
    from libcst.metadata import FullRepoManager, QualifiedNameProvider, ScopeProvider  # noqa: F401

    from decompose.parse._visitor import collect_facts, count_lines

    root = django_tree(args.django)
    package = root / "django"
    files = sorted(package.rglob("*.py"))
    sources = [p.read_text(encoding="utf-8") for p in files]
    lines = sum(count_lines(s) for s in sources)
    print(f"corpus: Django {args.django} package, {len(files)} files, {lines:,} lines; median of {args.repeat}")

    def ast_only():
        for source in sources:
            ast.parse(source)

    def decompose_facts():
        for source in sources:
            collect_facts(ast.parse(source), 0)

    def libcst_parse():
        for source in sources:
            cst.parse_module(source)

    subset = sources[: args.metadata_subset]

    def libcst_metadata():
        for source in subset:
            wrapper = cst.MetadataWrapper(cst.parse_module(source))
            wrapper.resolve(ScopeProvider)
            wrapper.resolve(QualifiedNameProvider)

    floor = median_seconds(ast_only, args.repeat)
    rows = [("ast.parse", floor, "")]
    rows.append(("decompose facts (ast + visitor)", median_seconds(decompose_facts, args.repeat), ""))
    rows.append(("libcst parse_module", median_seconds(libcst_parse, max(1, args.repeat // 2)), ""))
    subset_lines = sum(count_lines(s) for s in subset)
    measured = median_seconds(libcst_metadata, 1)
    rows.append(
        (
            "libcst + scope/qualname metadata",
            measured * lines / max(1, subset_lines),
            f"scaled from {len(subset)} files ({subset_lines:,} lines): {measured:.1f} s",
        )
    )
    script = Path(sys.executable).parent / "decompose"
    with tempfile.TemporaryDirectory() as out:
        analyze = median_seconds(
            lambda: subprocess.run([str(script), "analyze", str(root), "--out", out, "-q"], check=True),
            args.repeat,
        )
    rows.append(("decompose analyze (whole tree, end to end)", analyze, "includes interpreter start-up"))

    print(f"{'what':45} {'seconds':>8} {'x ast.parse':>12}  note")
    for name, seconds, note in rows:
        print(f"{name:45} {seconds:8.2f} {seconds / floor:12.1f}  {note}")


if __name__ == "__main__":
    main()
