"""How fast does decompose read a repository's history, against plain git log? One run, one table.

Run on demand (`.venv/bin/python bench/history.py`); never part of the test suite. The
target (issue 12): 10,000 commits read in at most 5 s.

The repository is either
  synthetic   built here with git fast-import in a temporary folder (or --keep DIR):
              --commits commits (10,000) over 12 packages of 25 modules, docs and translation
              catalogues beside them; changes cluster by package, one commit in 500 touches
              40 files, one in 300 moves a module, a few are by bots
  --repo PATH an existing repository (a work tree or a git directory), read at --path
              inside it (e.g. --repo /work/.mirror/netbox-community+netbox/repo --path netbox)

Measured, as medians of --repeat runs, each cold (no cache):
  git log --numstat          the peer: `git log --no-merges -M --numstat --max-count=N HEAD
                             -- PATH`, output read and thrown away. When it fails (objects
                             missing from the repository), it is run again over the commits
                             whose objects are all there (`--no-walk --stdin`), and said so
  read_history cold          decompose.history.read_history(..., cache_dir=None)
  read_history warm          again with a cache holding it (one run to fill it first)
  co-change and friends      revisions + cochange + cross_group_commits (top-level package
                             as the group) + authors, on the history read
Then what was read: commits, notes, co-change pairs over the default thresholds, the top 5,
and the share of changesets touching two top-level packages or more.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from decompose.history import (
    HistoryOptions,
    authors,
    cochange,
    cross_group_commits,
    read_history,
    revisions,
)

PACKAGES = 12
MODULES_PER_PACKAGE = 25
START = 1_500_000_000


def build_synthetic(git_dir: Path, commits: int, seed: int = 0) -> None:
    """A bare repository of ``commits`` linear commits under src/, written by git fast-import."""
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(git_dir)], check=True)
    rng = random.Random(seed)
    names = [f"Dev {i:02d}" for i in range(20)]
    bots = ["dependabot[bot]", "renovate[bot]"]
    modules = [
        [f"src/shop/pkg{p:02d}/mod{m:02d}.py" for m in range(MODULES_PER_PACKAGE)] for p in range(PACKAGES)
    ]
    others = [f"src/docs/pkg{p:02d}.md" for p in range(PACKAGES)] + [
        f"src/locale/{lang}/messages.po" for lang in ("de", "fr", "ja")
    ]
    content: dict[str, list[str]] = {}
    counter = 0

    def touched(path: str) -> bytes:
        nonlocal counter
        lines = content.setdefault(
            path, [f"value_{i} = {i}  # {path}\n" for i in range(60 if path.endswith(".py") else 400)]
        )
        for _ in range(rng.randint(1, 4)):
            counter += 1
            where = rng.randrange(len(lines) + 1)
            if rng.random() < 0.5 and lines:
                lines[min(where, len(lines) - 1)] = f"changed_{counter} = {counter}\n"
            else:
                lines.insert(where, f"added_{counter} = {counter}\n")
        return "".join(lines).encode()

    importer = subprocess.Popen(
        ["git", f"--git-dir={git_dir}", "fast-import", "--quiet"], stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    moves = 0
    for n in range(1, commits + 1):
        author = rng.choice(bots) if rng.random() < 0.03 else rng.choice(names)
        email = author.replace(" ", ".").lower() + "@example.com"
        when = START + n * 900
        body = [b"commit refs/heads/main\n", f"mark :{n}\n".encode()]
        for role in ("author", "committer"):
            body.append(f"{role} {author} <{email}> {when} +0000\n".encode())
        message = f"change {n}\n".encode()
        body.append(b"data %d\n%s" % (len(message), message))
        if n > 1:
            body.append(f"from :{n - 1}\n".encode())
        operations: list[bytes] = []
        if n % 300 == 0:  # a module moves (and changes a little)
            package = rng.randrange(PACKAGES)
            old = rng.choice([m for m in modules[package] if m in content] or modules[package])
            if old in content:
                moves += 1
                new = old.replace(".py", f"_v{moves}.py")
                modules[package][modules[package].index(old)] = new
                content[new] = content.pop(old)
                operations.append(f"R {old} {new}\n".encode())
                files = [new]
            else:
                files = [old]
        elif n % 500 == 0:  # a reformatting
            files = sorted({m for package in modules for m in package if m in content})[:40]
        else:
            package = rng.randrange(PACKAGES)
            files = rng.sample(modules[package], rng.randint(1, 5))
            if rng.random() < 0.2:
                files.append(rng.choice(modules[rng.randrange(PACKAGES)]))
            if rng.random() < 0.15:
                files.append(rng.choice(others))
        for path in dict.fromkeys(files):
            data = touched(path)
            operations.append(f"M 100644 inline {path}\n".encode() + b"data %d\n" % len(data) + data)
        importer.stdin.write(b"".join(body + operations) + b"\n")
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")


def module_map(git_dir: Path, path: str) -> dict[str, str]:
    """The Python files at HEAD under ``path``, relative to it -> dotted module names."""
    listed = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", "-z", "HEAD", "--", path or "."],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    prefix = f"{path}/" if path else ""
    found = {}
    for name in listed.split("\0"):
        if name.endswith(".py") and name.startswith(prefix):
            relative = name[len(prefix) :]
            dotted = relative[: -len(".py")].replace("/", ".")
            found[relative] = dotted.removesuffix(".__init__") if dotted != "__init__" else "(root)"
    return found


def top_packages(modules) -> dict[str, str]:
    """Each module's top-level package, or the package below it when all share one."""
    modules = sorted(set(modules))
    depth = 1
    while len({tuple(m.split(".")[:depth]) for m in modules}) == 1 and depth < 4:
        depth += 1
    return {m: ".".join(m.split(".")[:depth]) for m in modules}


def time_peer(git_dir: Path, path: str, count: int) -> tuple[float, str]:
    """Seconds of plain ``git log --numstat`` over the range, and what was measured."""
    command = [
        "git",
        f"--git-dir={git_dir}",
        "log",
        "--no-merges",
        "-M",
        "--numstat",
        f"--max-count={count}",
        "HEAD",
    ]
    if path:
        command += ["--", path]
    start = time.perf_counter()
    run = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    failed_after = time.perf_counter() - start
    if run.returncode == 0:
        return failed_after, "git log --numstat (peer)"
    failure = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1]
    ids = _whole_commits(git_dir, path, count)
    start = time.perf_counter()
    subprocess.run(
        ["git", f"--git-dir={git_dir}", "log", "--no-walk=unsorted", "--stdin", "-M", "--numstat"]
        + (["--", path] if path else []),
        input=b"\n".join(ids) + b"\n",
        stdout=subprocess.DEVNULL,
        check=True,
    )
    seconds = time.perf_counter() - start
    return (
        seconds,
        f"git log --numstat of the {len(ids):,} whole commits (plain: {failure}, after {failed_after:.1f}s)",
    )


def _whole_commits(git_dir: Path, path: str, count: int) -> list[bytes]:
    """The commits of the range whose diffs need no missing object."""
    command = [
        "git",
        f"--git-dir={git_dir}",
        "log",
        "--no-merges",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--format=@%H",
        f"--max-count={count}",
        "HEAD",
    ]
    if path:
        command += ["--", path]
    raw = subprocess.run(command, capture_output=True, check=True).stdout.decode("ascii", "replace")
    commits: list[tuple[str, set[str]]] = []
    for line in raw.splitlines():
        if line.startswith("@"):
            commits.append((line[1:], set()))
        elif line.startswith(":") and commits:
            fields = line[1:].split("\t")[0].split()
            commits[-1][1].update(
                oid
                for mode, oid in ((fields[0], fields[2]), (fields[1], fields[3]))
                if mode != "160000" and set(oid) != {"0"}
            )
    objects = sorted(set().union(*(objects for _, objects in commits)))
    checked = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "--batch-check=%(objectname)"],
        input="\n".join(objects).encode() + b"\n",
        capture_output=True,
        check=True,
    ).stdout.decode()
    present = {line for line in checked.splitlines() if not line.endswith(" missing")}
    return [oid.encode() for oid, objects in commits if objects <= present]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repo", type=Path, help="an existing repository (default: build a synthetic one)")
    parser.add_argument(
        "--path", default=None, help="the folder inside the repository (default: src for synthetic)"
    )
    parser.add_argument("--commits", type=int, default=10_000, help="commits read (and built)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the synthetic repository here and keep it")
    args = parser.parse_args()
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()[-1]
    print(
        f"decompose history bench; {os.cpu_count()} cores; git {git_version}; Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory(prefix="decompose-history-bench-") as scratch:
        if args.repo is not None:
            git_dir, path, label = args.repo, args.path or "", f"{args.repo} at {args.path or '(root)'}"
        else:
            git_dir = (args.keep or Path(scratch)) / "synthetic.git"
            if not git_dir.exists():
                start = time.perf_counter()
                build_synthetic(git_dir, args.commits)
                print(
                    f"built {args.commits:,} commits with git fast-import in {time.perf_counter() - start:.1f}s"
                )
            path, label = args.path or "src", f"synthetic ({git_dir})"
        total = subprocess.run(
            ["git", f"--git-dir={git_dir}", "rev-list", "--count", "--no-merges", "HEAD", "--", path or "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        print(
            f"\n{label}: {int(total):,} non-merge commits touch it; reading {args.commits:,}; median of {args.repeat}"
        )
        options = HistoryOptions(max_commits=args.commits)
        nowhere = Path(scratch) / "no-work-tree"
        nowhere.mkdir()

        def read(cache: Path | None = None):
            return read_history(nowhere, options, repo=git_dir, path_in_repo=path, cache_dir=cache)

        rows: list[tuple[str, float]] = []
        peers = [time_peer(git_dir, path, args.commits) for _ in range(args.repeat)]
        rows.append((peers[0][1], statistics.median(seconds for seconds, _ in peers)))
        colds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            history = read()
            colds.append(time.perf_counter() - start)
        rows.append(("read_history cold", statistics.median(colds)))
        cache = Path(scratch) / "cache"
        read(cache)
        warms = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            read(cache)
            warms.append(time.perf_counter() - start)
        rows.append(("read_history warm (cache)", statistics.median(warms)))
        module_of = module_map(git_dir, path)
        group_of = top_packages(module_of.values())
        analyses = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            revisions(history, module_of, options)
            pairs = cochange(history, module_of, options)
            crossing = cross_group_commits(history, module_of, group_of, options)
            authors(history, module_of, options)
            analyses.append(time.perf_counter() - start)
        rows.append(("revisions+cochange+cross+authors", statistics.median(analyses)))

    peer = rows[0][1]
    width = max(len(label) for label, _ in rows)
    print(f"{'what':{width}} {'seconds':>8} {'x git log':>10}")
    for label, seconds in rows:
        print(f"{label:{width}} {seconds:8.2f} {seconds / peer:10.2f}")
    cold = rows[1][1]
    verdict = "PASS" if cold <= 5.0 * args.commits / 10_000 else "FAIL"
    print(f"\ntarget: 10,000 commits in at most 5 s: {args.commits:,} read cold in {cold:.2f}s -> {verdict}")
    print(
        f"\ncommits kept (not bots, changing the folder): {len(history.commits):,} "
        f"(truncated: {history.truncated}); head {history.head[:12]}"
    )
    for note in history.notes:
        print(f"  note: {note}")
    print(
        f"modules at HEAD: {len(module_of):,}; co-change pairs over the thresholds "
        f"(min_revisions {options.min_revisions}, min_shared {options.min_shared}, "
        f"max_changeset {options.max_changeset}): {len(pairs):,}"
    )
    for pair in pairs[:5]:
        print(f"  {pair.a} <-> {pair.b}: {pair.shared} shared, degree {pair.degree:.1f}")
    print(
        f"changesets touching two top-level packages or more: {crossing.crossing:,} of {crossing.total:,} "
        f"({crossing.share:.1%})"
    )


if __name__ == "__main__":
    main()
