"""Does the git history's co-change signal make decompose's proposal better? One run, one table.

Run on demand; never part of the test suite. For example (the repositories of issue 12):
  .venv/bin/python bench/history_quality.py \\
      --repo /work/.mirror/netbox-community+netbox/repo --path netbox \\
      --repo /work/.mirror/saleor+saleor/repo --path saleor \\
      --weights 0,0.1,0.3,0.5,1.0

Each --repo (a git directory or a work tree, only read) is paired with the --path after it,
the folder analysed inside it. Its Python files at HEAD are written once under
bench/.corpora/quality/git/<name>/ (<name>: the folder's last part; a blob missing from the
repository is left out and counted), analysed with the default options and history off, and
its history read with decompose.history.read_history(folder, HistoryOptions(), repo=...,
path_in_repo=--path), no cache: the newest 10,000 non-merge commits by default, bots left out.

The reference is each module's Django app at HEAD: the first package below the analysed
folder (below its own package when the folder is one: saleor/ holds saleor.<app>), a module
under graphql.<app> counted as <app> when <app> is an app too (saleor's GraphQL API is its
apps' own), and the modules sitting directly in the folder one more service.

Variants, as in bench/quality.py (the same renamed trees, kept in bench/.corpora/quality/):
  as shipped
  obfuscated  every module moved flat into obf.mNNNN: the folders say nothing
  layered     every module re-filed under the technical layer its name or content suggests
              (lyr.views.m0007): the folders mislead
The history is the same in each: its files are mapped to the as-shipped modules that they
are (path -> module, as the pipeline maps them) and then through the renaming table, so a
renamed tree's ChangeHistory (decompose.history.summarise) names its renamed modules.

Rows: one per co-change weight (--weights), the proposal of the cluster and services stages
(decompose.api._decompose) on the variant's analysis with signal-weights cochange = that
weight and every other option at its default; weight 0 is the default proposal without
history. Then "reference": the reference itself, for its services and crossing figure.

Columns: services proposed, services in the reference, modules scored and dropped (as in
bench/quality.py), MoJoFM, ARI and NMI (seed 0); MoJoFM seeds: the median over seeds
0..N-1 (--seeds, 3), min and max in brackets; ARI seeds: the median ARI over them (a
difference between weights smaller than the seeds' spread is noise); seed: MoJoFM of seed
1's proposal against seed 0's, over every analysed module; largest: the lines of the
largest service, as a share of all; crossing: the share of changesets (the ones co-change
counts: at most max_changeset files, 30 by default) touching the analysed modules that
touch two services or more, what the co-change signal tries to lower; seconds: the cluster
and services stages for one seed, median of --repeat runs.

Where the package tree cut wins over the clustering (cluster/_folders.py: the folders reach
half the clustering's modularity on the code graph; always as shipped here, and on netbox
layered), the proposal is the folders whatever the weight: the rows are then the same.

After the table, per repository: the times of extraction, analysis and history reading,
what the history holds (commits, notes, co-change pairs, the share of pairs within one
reference service, the modules in a pair), and the pairs crossing reference services most.
--option KEY=VALUE sets a HistoryOptions field (min_shared=3, max_changeset=50) to see the
thresholds' effect; --json PATH writes the rows as JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _corpora  # noqa: E402
import quality  # noqa: E402

from decompose.api import Analysis, _decompose  # noqa: E402
from decompose.history import (  # noqa: E402
    HistoryOptions,
    crossing_commits,
    module_sets,
    read_history,
    summarise,
)
from decompose.metrics import mojofm  # noqa: E402
from decompose.model import ChangeHistory  # noqa: E402

GIT_TREES = _corpora.CORPORA / "git"
FOLDED = ("graphql",)  # a package whose subpackages named after an app belong to that app
TOP_LEVEL = "(top-level modules)"
REFERENCE = "reference"
Partition = dict[str, str]


@dataclass(frozen=True)
class Row:
    repo: str
    variant: str
    proposal: str  # "cochange 0.3" or "reference"
    weight: float | None
    services: int
    reference_services: int
    scored: int
    dropped: int
    mojofm: float
    ari: float
    nmi: float
    seeds_mojofm: tuple[float, ...]  # seeds 0..--seeds-1
    seeds_ari: tuple[float, ...]
    seed_agreement: float | None
    largest_share: float
    crossing: float  # percent of the changesets
    seconds: float | None


@dataclass(frozen=True)
class Run:
    variants: tuple[str, ...]
    weights: tuple[float, ...]
    seeds: int
    repeat: int
    options: HistoryOptions


@dataclass(frozen=True)
class Facts:
    """What one repository's history holds, and what it took to get there."""

    repo: str
    head: str
    files: int
    missing: int
    extract_seconds: float
    analysis_seconds: float
    history_seconds: float
    commits: int
    notes: tuple[str, ...]
    pairs: int
    pairs_within: int  # pairs whose modules share a reference service
    modules_in_pairs: int
    modules: int
    changesets: int
    crossing_pairs: tuple[tuple[str, str, int, float], ...]  # the most shared, across the reference


# --------------------------------------------------------------------------- one repository


def bench_repo(git: Path, path: str, run: Run) -> tuple[list[Row], Facts]:
    name = Path(path).name or git.resolve().name
    start = time.perf_counter()
    head, files, missing, tree = extract(git, path, name)
    extract_seconds = time.perf_counter() - start
    folder = tree / path
    shipped, analysis_seconds = quality.analyse(
        folder, 1, f"{name} as shipped", {"history": {"enabled": False}}
    )
    modules = [(m.name, m.is_package) for m in shipped.graph.modules]
    reference = app_reference(modules)
    _progress(f"{name}: {len(modules)} modules analysed, {len(set(reference.values()))} reference services")
    start = time.perf_counter()
    history = read_history(folder, run.options, repo=git, path_in_repo=path)
    history_seconds = time.perf_counter() - start
    if history is None:
        raise SystemExit(f"{git}: no git history")
    module_of = {m.path: m.name for m in shipped.graph.modules}
    lines = {m.name: m.lines for m in shipped.graph.modules}

    rows: list[Row] = []
    for variant in run.variants:
        if variant == quality.AS_SHIPPED:
            analysis, table = shipped, {m: m for m, _ in modules}
        else:
            root, table = quality.renamed_tree(variant, folder, shipped, f"git-{name}")
            analysis, _ = quality.analyse(root, 1, f"{name} {variant}", {"history": {"enabled": False}})
        renamed_of = {file: table[module] for file, module in module_of.items()}
        changes = summarise(history, renamed_of, run.options, "none")
        renamed_reference = {table[module]: label for module, label in reference.items()}
        renamed_lines = {m.name: m.lines for m in analysis.graph.modules} | {
            table[module]: count for module, count in lines.items()
        }
        sets = module_sets(history, renamed_of, run.options)
        rows += score_weights(name, variant, analysis, changes, renamed_reference, renamed_lines, sets, run)
    summary = summarise(history, module_of, run.options, "none")
    within = sum(reference.get(p.a) == reference.get(p.b) for p in summary.cochange)
    across = [p for p in summary.cochange if reference.get(p.a) != reference.get(p.b)]  # most shared first
    facts = Facts(
        repo=name,
        head=head,
        files=files,
        missing=missing,
        extract_seconds=extract_seconds,
        analysis_seconds=analysis_seconds,
        history_seconds=history_seconds,
        commits=len(history.commits),
        notes=history.notes,
        pairs=len(summary.cochange),
        pairs_within=within,
        modules_in_pairs=len({m for p in summary.cochange for m in (p.a, p.b)}),
        modules=len(modules),
        changesets=len(summary.changesets),
        crossing_pairs=tuple((p.a, p.b, p.shared, p.degree) for p in across[:5]),
    )
    return rows, facts


def score_weights(
    repo: str,
    variant: str,
    analysis: Analysis,
    changes: ChangeHistory,
    reference: Partition,
    lines: Mapping[str, int],
    sets: list[tuple[str, ...]],
    run: Run,
) -> list[Row]:
    rows = []
    for weight in run.weights:
        proposals = []
        times = []
        for seed in range(max(run.seeds, 2)):
            for _ in range(run.repeat if seed == 0 else 1):
                start = time.perf_counter()
                proposal = propose(analysis, changes, weight, seed)
                if seed == 0:
                    times.append(time.perf_counter() - start)
            proposals.append(proposal)
        _progress(f"{repo} {variant} cochange {weight:g}: {statistics.median(times):.1f} s")
        base = quality.score(repo, variant, "", proposals[0], reference, 0.0, lines, 0.0, None)
        scored = [
            quality.score(repo, variant, "", p, reference, 0.0, lines, 0.0, None)
            for p in proposals[: run.seeds]
        ]
        if weight == 0 and proposals[0] != quality.decomposition(analysis):
            quality.NOTES.append(f"{repo} {variant}: cochange 0 is not analyze_path's own proposal")
        rows.append(
            Row(
                repo=repo,
                variant=variant,
                proposal=f"cochange {weight:g}",
                weight=weight,
                services=base.services,
                reference_services=base.reference_services,
                scored=base.scored,
                dropped=base.dropped,
                mojofm=base.mojofm,
                ari=base.ari,
                nmi=base.nmi,
                seeds_mojofm=tuple(r.mojofm for r in scored),
                seeds_ari=tuple(r.ari for r in scored),
                seed_agreement=mojofm(proposals[1], proposals[0]),
                largest_share=base.largest_share,
                crossing=crossing(sets, proposals[0]),
                seconds=statistics.median(times),
            )
        )
    rows.append(
        Row(
            repo=repo,
            variant=variant,
            proposal=REFERENCE,
            weight=None,
            services=len(set(reference.values())),
            reference_services=len(set(reference.values())),
            scored=len(reference),
            dropped=0,
            mojofm=100.0,
            ari=1.0,
            nmi=1.0,
            seeds_mojofm=(),
            seeds_ari=(),
            seed_agreement=None,
            largest_share=quality.largest_share(reference, lines),
            crossing=crossing(sets, reference),
            seconds=None,
        )
    )
    return rows


def propose(analysis: Analysis, changes: ChangeHistory, weight: float, seed: int) -> Partition:
    """The services proposed for ``analysis`` with the co-change signal at ``weight``."""
    cluster = dataclasses.replace(analysis.config.cluster, signal_weights=(("cochange", weight),), seed=seed)
    config = dataclasses.replace(analysis.config, cluster=cluster)
    decomposition, _ = _decompose(config, analysis.graph, analysis.data, changes)
    return {m.name: s.name for s in decomposition.services for m in s.modules}


def crossing(sets: list[tuple[str, ...]], partition: Partition) -> float:
    """Percent of the changesets touching the partition's modules that touch two of its
    services: cross_service_commits, on the module sets co-change counts."""
    return 100 * crossing_commits(sets, partition).share


def app_reference(modules) -> Partition:
    """Each module's app: the first package below the folder (or below the folder's own
    package), graphql.<app> counted as <app>; the modules directly in it one more."""
    names = [name for name, _ in modules]
    wrapped = len({n.partition(".")[0] for n in names}) == 1 and any("." in n for n in names)
    cut = 1 if wrapped else 0
    package_of = {
        name: (name.split(".") if is_package else name.split(".")[:-1])[cut:] for name, is_package in modules
    }
    apps = {parts[0] for parts in package_of.values() if parts}
    labels = {}
    for name, parts in package_of.items():
        if not parts:
            labels[name] = TOP_LEVEL
        elif parts[0] in FOLDED and len(parts) > 1 and parts[1] in apps:
            labels[name] = parts[1]
        else:
            labels[name] = parts[0]
    return labels


# --------------------------------------------------------------------------- the tree at HEAD


def extract(git: Path, path: str, name: str) -> tuple[str, int, int, Path]:
    """HEAD's Python files under ``path``, written once under bench/.corpora/quality/git/<name>/
    (again when HEAD moved): HEAD, files listed, blobs missing, the tree."""
    head = _git(git, "rev-parse", "HEAD").decode().strip()
    target = GIT_TREES / name
    stamp = {"repository": str(git.resolve()), "path": path, "head": head}
    stamp_file = target / "extracted.json"
    if stamp_file.is_file():
        kept = json.loads(stamp_file.read_text(encoding="utf-8"))
        if kept.get("stamp") == stamp:
            return head, kept["files"], kept["missing"], target
    shutil.rmtree(target, ignore_errors=True)
    listing = _git(git, "ls-tree", "-r", "-z", "HEAD", "--", path).split(b"\0")
    blobs = []
    for entry in filter(None, listing):
        meta, _, file = entry.partition(b"\t")
        _, kind, oid = meta.split()
        if kind == b"blob" and file.endswith(b".py"):
            blobs.append((oid, file.decode("utf-8", "surrogateescape")))
    missing = 0
    reader = subprocess.Popen(
        ["git", f"--git-dir={_git_dir(git)}", "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert reader.stdin is not None and reader.stdout is not None
    for oid, file in blobs:
        reader.stdin.write(oid + b"\n")
        reader.stdin.flush()
        header = reader.stdout.readline().split()
        if header[-1] == b"missing":
            missing += 1
            continue
        data = reader.stdout.read(int(header[2]))
        reader.stdout.read(1)
        out = target / file
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    reader.stdin.close()
    reader.wait()
    stamp_file.write_text(
        json.dumps({"stamp": stamp, "files": len(blobs), "missing": missing}, indent=1), encoding="utf-8"
    )
    return head, len(blobs), missing, target


def _git_dir(git: Path) -> Path:
    return git / ".git" if (git / ".git").exists() else git


def _git(git: Path, *arguments: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={_git_dir(git)}", *arguments], capture_output=True, check=True
    ).stdout


# --------------------------------------------------------------------------- report


COLUMNS = (  # title, width, format, left-aligned
    ("repo", 8, "{}", True),
    ("variant", 10, "{}", True),
    ("proposal", 14, "{}", True),
    ("services", 8, "{:d}", False),
    ("ref", 4, "{:d}", False),
    ("scored", 6, "{:d}", False),
    ("dropped", 7, "{:d}", False),
    ("MoJoFM", 7, "{:.1f}", False),
    ("ARI", 6, "{:.3f}", False),
    ("NMI", 6, "{:.3f}", False),
    ("MoJoFM seeds", 17, "{}", False),
    ("ARI seeds", 9, "{:.3f}", False),
    ("seed", 6, "{:.1f}", False),
    ("largest", 7, "{:.1f}%", False),
    ("crossing", 8, "{:.1f}%", False),
    ("seconds", 8, "{:.2f}", False),
)


def print_table(rows: list[Row]) -> None:
    print(" ".join(quality._cell(title, width, left) for title, width, _, left in COLUMNS))
    previous = None
    for row in rows:
        many = len(row.seeds_mojofm) > 1
        seeds = (
            f"{statistics.median(row.seeds_mojofm):.1f} ({min(row.seeds_mojofm):.1f}-{max(row.seeds_mojofm):.1f})"
            if many
            else None
        )
        ari_seeds = statistics.median(row.seeds_ari) if many else None
        values = [
            row.repo,
            row.variant,
            row.proposal,
            row.services,
            row.reference_services,
            row.scored,
            row.dropped,
            row.mojofm,
            row.ari,
            row.nmi,
            seeds,
            ari_seeds,
            row.seed_agreement,
            row.largest_share,
            row.crossing,
            row.seconds,
        ]
        if (row.repo, row.variant) == previous:
            values[0] = values[1] = None
        elif previous is not None:
            print()
        previous = (row.repo, row.variant)
        cells = [
            quality._cell(spec.format(value) if value is not None else "", width, left)
            for (_, width, spec, left), value in zip(COLUMNS, values, strict=True)
        ]
        print(" ".join(cells).rstrip())


def print_facts(all_facts: list[Facts]) -> None:
    for f in all_facts:
        print(
            f"\n{f.repo} at {f.head[:12]}: {f.files} Python files ({f.missing} blobs missing, left out), "
            f"written in {f.extract_seconds:.1f} s; analysed in {f.analysis_seconds:.1f} s; "
            f"history read in {f.history_seconds:.1f} s"
        )
        print(
            f"  {f.commits} commits, {f.changesets} changesets touching analysed modules (at most "
            f"the max_changeset files); {f.pairs} co-change pairs, {f.pairs_within} "
            f"({100 * f.pairs_within / max(f.pairs, 1):.0f}%) within one reference service; "
            f"{f.modules_in_pairs} of {f.modules} modules in a pair"
        )
        for note in f.notes:
            print(f"  history note: {note}")
        print("  the pairs crossing reference services most (shared changesets, degree):")
        for a, b, shared, degree in f.crossing_pairs:
            print(f"    {a} ~ {b}: {shared}, {degree:.0f}%")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _option(text: str) -> tuple[str, object]:
    key, _, value = text.partition("=")
    field = next((f for f in dataclasses.fields(HistoryOptions) if f.name == key), None)
    if field is None:
        raise argparse.ArgumentTypeError(f"{key!r} is not a HistoryOptions field")
    default = field.default
    if isinstance(default, bool):
        return key, value.lower() in ("1", "true", "yes")
    if isinstance(default, int):
        return key, int(value)
    return key, value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repo",
        action="append",
        type=Path,
        required=True,
        metavar="GIT",
        help="a repository (git directory or work tree), repeatable; each with a --path",
    )
    parser.add_argument(
        "--path", action="append", required=True, help="the folder analysed inside the --repo before it"
    )
    parser.add_argument("--weights", default="0,0.1,0.3,0.5,1.0", help="co-change weights, comma-separated")
    parser.add_argument(
        "--variant",
        action="append",
        choices=[v.replace(" ", "-") for v in quality.VARIANTS],
        help="variants to score, repeatable (default: all three)",
    )
    parser.add_argument(
        "--seeds", type=int, default=3, help="seeds 0..N-1 scored for the seeds columns (default 3)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing (the median is shown)")
    parser.add_argument(
        "--option",
        action="append",
        type=_option,
        default=[],
        metavar="KEY=VALUE",
        help="a HistoryOptions field over its default (min_shared=3), repeatable",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the rows as JSON to PATH")
    args = parser.parse_args()
    if len(args.repo) != len(args.path):
        parser.error("give one --path for each --repo")
    chosen = {v.replace("-", " ") for v in args.variant or quality.VARIANTS}
    run = Run(
        variants=tuple(v for v in quality.VARIANTS if v in chosen),
        weights=tuple(float(w) for w in args.weights.split(",") if w),
        seeds=args.seeds,
        repeat=args.repeat,
        options=HistoryOptions(**dict(args.option)),
    )
    start = time.perf_counter()
    rows: list[Row] = []
    all_facts: list[Facts] = []
    for git, path in zip(args.repo, args.path, strict=True):
        repo_rows, repo_facts = bench_repo(git, path.strip("/"), run)
        rows += repo_rows
        all_facts.append(repo_facts)
    changed = {k: v for k, v in dataclasses.asdict(run.options).items() if v != getattr(HistoryOptions(), k)}
    print(
        f"decompose co-change quality bench; {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"history options {changed or 'the defaults'}; seconds are medians of {run.repeat}"
    )
    print_table(rows)
    print_facts(all_facts)
    for note in quality.NOTES:
        print(f"note: {note}")
    wall = time.perf_counter() - start
    print(f"\nwall time {wall:.0f} s")
    if args.json is not None:
        document = {
            "repeat": run.repeat,
            "wall_seconds": round(wall, 1),
            "rows": [dataclasses.asdict(r) for r in rows],
            "facts": [dataclasses.asdict(f) for f in all_facts],
        }
        args.json.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
