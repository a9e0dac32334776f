"""How fast is decompose against the floor and its peers? One run, one table.

Run on demand (`make bench-perf`); never part of the test suite. Corpora are downloaded
from PyPI into bench/.corpora/ on first use (never committed):
  django    Django's package (about 900 files, 160k lines)
  million   Django, SymPy and SQLAlchemy copied side by side (about 1.2M lines)

For each corpus, in the same run, as medians of --repeat runs (wall time and the peak
resident memory of the process that did the work):
  ast.parse (1 process)     every file through the stdlib parser: the floor
  grimp build_graph         import graph only (Rust core); the imports-only peer
  pydeps                    module dependency graph (modulefinder), summed over packages
  decompose cold            `decompose analyze` with an empty cache
  decompose warm            again, nothing changed
  decompose one changed     again, after one file changed
Ratios are against ast.parse and against decompose cold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / ".corpora"
sys.path.insert(0, str(HERE))
from _corpora import download, package_dir  # noqa: E402

BIN = Path(sys.executable).parent

# distribution, version, the package
PACKAGES = {
    "django": ("django", "5.2.8", "django"),
    "sympy": ("sympy", "1.14.0", "sympy"),
    "sqlalchemy": ("sqlalchemy", "2.0.44", "sqlalchemy"),
}


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def fetch(name: str) -> Path:
    distribution, version, package = PACKAGES[name]
    return package_dir(download(distribution, version), package)


def corpus(name: str) -> Path:
    """A folder holding the corpus's top-level packages, side by side."""
    members = ["django"] if name == "django" else ["django", "sympy", "sqlalchemy"]
    target = CORPORA / name
    if not target.is_dir():
        target.mkdir(parents=True)
        for member in members:
            shutil.copytree(fetch(member), target / member)
    return target


def run_measured(command: list[str], env: dict | None = None, cwd: Path | None = None) -> Measure:
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()[-2000:]}")
    return Measure(seconds, usage.ru_maxrss / 1024)


def median(measures: list[Measure]) -> Measure:
    return Measure(statistics.median(m.seconds for m in measures), statistics.median(m.peak_mb for m in measures))


AST_FLOOR = """
import ast, sys, pathlib
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    try:
        ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        pass
"""

GRIMP = """
import sys, grimp
grimp.build_graph(*sys.argv[1:], cache_dir=None)
"""


def bench_corpus(name: str, repeat: int) -> list[tuple[str, Measure]]:
    root = corpus(name)
    packages = sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists())
    lines = sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py"))
    files = sum(1 for _ in root.rglob("*.py"))
    print(f"\n{name}: {', '.join(packages)}; {files:,} files, {lines:,} lines; median of {repeat}")
    rows: list[tuple[str, Measure]] = []

    def measure(label: str, commands) -> None:
        runs = []
        for _ in range(repeat):
            total = Measure(0.0, 0.0)
            for command, env in commands():
                one = run_measured(command, env=env)
                total = Measure(total.seconds + one.seconds, max(total.peak_mb, one.peak_mb))
            runs.append(total)
        rows.append((label, median(runs)))

    env = {**os.environ, "PYTHONPATH": str(root)}
    measure("ast.parse (1 process)", lambda: [([sys.executable, "-c", AST_FLOOR, str(root)], None)])
    measure("grimp build_graph", lambda: [([sys.executable, "-c", GRIMP, *packages], env)])
    measure(
        "pydeps (no output, summed)",
        lambda: [([str(BIN / "pydeps"), str(root / p), "--no-output", "--show-deps", "--max-bacon", "0"], env)
                 for p in packages],
    )
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        cache = Path(scratch) / "cache"
        # Tests and migrations included: decompose reads the files the ast.parse floor reads.
        analyze = [str(BIN / "decompose"), "analyze", str(root), "--out", str(out), "-q",
                   "--include-tests", "--include-migrations", "--cache-dir", str(cache)]

        def cold():
            shutil.rmtree(cache, ignore_errors=True)
            return [(analyze, None)]

        measure("decompose cold", cold)
        subprocess.run(analyze, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2.5)  # file times older than the cache's racy-timestamp window
        measure("decompose warm", lambda: [(analyze, None)])
        victim = root / packages[0] / "__init__.py"
        original = victim.read_bytes()
        counter = iter(range(10**6))

        def one_changed():
            victim.write_bytes(original + f"\n# bench edit {next(counter)}\n".encode())
            time.sleep(2.5)  # past the cache's racy-timestamp window, as a real edit would be
            return [(analyze, None)]

        try:
            measure("decompose one file changed", one_changed)
        finally:
            victim.write_bytes(original)
    return rows


def print_table(rows: list[tuple[str, Measure]]) -> None:
    floor = dict(rows)["ast.parse (1 process)"].seconds
    cold = dict(rows)["decompose cold"].seconds
    print(f"{'what':30} {'seconds':>8} {'peak MB':>8} {'x ast.parse':>12} {'x cold':>8}")
    for label, m in rows:
        print(f"{label:30} {m.seconds:8.2f} {m.peak_mb:8.0f} {m.seconds / floor:12.2f} {m.seconds / cold:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=["django", "million", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = ["django", "million"] if args.corpus == "both" else [args.corpus]
    print(f"decompose perf bench; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for name in names:
        print_table(bench_corpus(name, args.repeat))


if __name__ == "__main__":
    main()
