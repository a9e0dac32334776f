"""How good is decompose's proposed decomposition, against baselines? One run, one table.

Run on demand (`make bench-quality`); never part of the test suite. Corpora are downloaded
from PyPI into bench/.corpora/quality/ on first use (never committed), each scored against a
reference decomposition:
  sample_monolith  sample_monolith/intended_decomposition.json
  django           Django's top-level subpackages, each django.contrib app its own service,
                   the top-level modules one more
  wagtail, pretix, their Django apps (packages holding an apps.py or a migrations/ folder);
  shuup, tendenci  a module belongs to the deepest app above it, modules in none to "rest"
  libraries        httpx, httpcore, h11, anyio, sniffio, rich, markdown-it-py, mdurl,
                   pygments, jsonschema, referencing and attrs side by side: one service
                   per library
The Django targets count django, wagtail, pretix, shuup and tendenci.

Each corpus in three variants, the two renamed trees holding exactly the modules decompose
analysed as shipped (and the empty packages their new names sit in, counted as dropped),
their imports and dotted-path strings rewritten (see _obfuscate.py), their reference going
through the renaming table:
  as shipped
  obfuscated  every module moved flat into one package under a meaningless name
              (obf.m0042): the folders say nothing, a decomposition must come from the code
  layered     every module re-filed under the technical layer its name or content suggests
              (lyr.models.m0042, lyr.views.m0007; see _layer.py): the folders mislead,
              grouping by layer rather than by domain
After the table, how much of the as-shipped module graph each renamed tree kept.

Proposals, each scored on the modules that both it and the reference hold (the rest are
counted as dropped):
  decompose default       analyze_path(root) with the default options; its services
  decompose, method X     the same with decompose's other clustering method (louvain or
                          leiden, whichever is not the default); left out with
                          --no-alternatives
  louvain                 networkx Louvain (seed 0) on the import graph: import, lazy,
                          type_only and dynamic edges, undirected, weight 1 per pair
  label propagation       networkx asyn_lpa_communities (seed 0) on the same graph
  folders (depth d)       one service per package cut at depth d, the d that scores best
                          against the reference: it peeks, an upper baseline for "use the
                          folders"
The rows not starting with "decompose" are the baselines.

Columns: services proposed (over every analysed module), services in the reference, modules
scored and dropped, MoJoFM (decompose.metrics.mojofm, proposal first), adjusted Rand index
and NMI (scikit-learn); largest: the lines of the largest proposed service as a share of
the lines of every analysed module (ModuleInfo.lines of the as-shipped analysis, also for
the renamed trees, whose rewritten files have lost their comments); ref largest: the same
for the reference's largest service, over the modules the reference holds; seed: for
decompose default only, the MoJoFM of its proposal with {"seed": 1} against this one
(seed 0), over every analysed module; seconds: for decompose the whole analyze_path (parse
to services, no cache), for a baseline the step from the analysis' graph to its partition,
medians of --repeat runs.

Then the targets, PASS or FAIL with their figures, for decompose default:
  obfuscated and layered, each on its own, over the Django corpora: MoJoFM on average at
  least 25 points above the best baseline of the same corpus and variant; mean ARI at least
  0.40; on every Django corpus at most twice the reference's services, seed agreement at
  least 95, and the largest service at most 25% of the lines (or the reference's largest
  service's share, when that is larger);
  as shipped: MoJoFM never below the best baseline, on every corpus;
  merged libraries, obfuscated: MoJoFM at least 95;
  sample_monolith, as shipped: MoJoFM at least 90.
Each figure is compared as printed (one decimal; ARI three).
--json PATH writes the rows and the graph fidelity figures as JSON, for later comparison.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _corpora  # noqa: E402
import _layer  # noqa: E402
import _obfuscate  # noqa: E402

from decompose import analyze_path  # noqa: E402
from decompose.api import Analysis  # noqa: E402
from decompose.cluster import ClusterOptions  # noqa: E402
from decompose.metrics import mojofm  # noqa: E402

IMPORT_KINDS = frozenset({"import", "lazy", "type_only", "dynamic"})
SEED = 0
OTHER_SEED = 1
DEFAULT = "decompose default"
# decompose's clustering methods other than its default, each a row of its own
ALTERNATIVE_METHODS = tuple(
    method
    for method in ("louvain", "leiden")
    if method != ClusterOptions().method
)
AS_SHIPPED, OBFUSCATED, LAYERED = "as shipped", "obfuscated", "layered"
VARIANTS = (AS_SHIPPED, OBFUSCATED, LAYERED)
Partition = dict[str, str]  # module -> service
NOTES: list[str] = []  # printed after the table


@dataclass(frozen=True)
class Row:
    corpus: str
    variant: str
    proposal: str
    services: int
    reference_services: int
    scored: int
    dropped: int
    mojofm: float
    ari: float
    nmi: float
    largest_share: float  # percent of the lines
    reference_largest_share: float
    seed_agreement: float | None  # decompose default only
    seconds: float


@dataclass(frozen=True)
class Fidelity:
    """How much of the as-shipped module graph a renamed tree kept: the renamed modules its
    analysis holds, and typed edges (source, target, kind), mapped back through the renaming."""

    corpus: str
    variant: str
    modules_kept: int
    modules: int
    kept: int
    original: int
    added: int


@dataclass(frozen=True)
class Run:
    """What the command line asked for, the same for every corpus."""

    variants: tuple[str, ...]
    repeat: int
    alternatives: bool


# --------------------------------------------------------------------------- one corpus


def bench_corpus(name: str, run: Run) -> tuple[list[Row], list[Fidelity]]:
    corpus = _corpora.corpus(name)
    shipped, seconds = analyse(corpus.root, run.repeat, f"{name} as shipped")
    modules = [(m.name, m.is_package) for m in shipped.graph.modules]
    reference = corpus.reference(modules)
    _progress(f"{name}: {len(modules)} modules analysed, {len(set(reference.values()))} reference services")
    rows: list[Row] = []
    fidelities: list[Fidelity] = []
    lines = {m.name: m.lines for m in shipped.graph.modules}
    if AS_SHIPPED in run.variants:
        rows += score_all(name, AS_SHIPPED, corpus.root, shipped, seconds, reference, lines, run)
    for variant in (v for v in run.variants if v != AS_SHIPPED):
        root, table = renamed_tree(variant, corpus.root, shipped, name)
        renamed, seconds = analyse(root, run.repeat, f"{name} {variant}")
        renamed_reference = {table[module]: label for module, label in reference.items()}
        # Sizes as shipped (a rewritten file has lost its comments); the empty packages the
        # renaming added count their own (no) lines.
        renamed_lines = {m.name: m.lines for m in renamed.graph.modules} | {
            table[module]: count for module, count in lines.items()
        }
        rows += score_all(name, variant, root, renamed, seconds, renamed_reference, renamed_lines, run)
        fidelities.append(fidelity(name, variant, shipped, renamed, table))
    return rows, fidelities


def analyse(root: Path, repeat: int, label: str, options: Mapping | None = None) -> tuple[Analysis, float]:
    """The analysis of ``root`` with the default options (and ``options``), and its median time."""
    times = []
    proposals = []
    for _ in range(repeat):
        start = time.perf_counter()
        analysis = analyze_path(root, {"include_tests": False, **(options or {})})
        times.append(time.perf_counter() - start)
        proposals.append(decomposition(analysis))
    if any(p != proposals[0] for p in proposals):
        NOTES.append(f"{label}: decompose proposed different services in {repeat} runs; the last is scored")
    return analysis, statistics.median(times)


def decomposition(analysis: Analysis) -> Partition:
    return {m.name: s.name for s in analysis.decomposition.services for m in s.modules}


def score_all(
    corpus: str,
    variant: str,
    root: Path,
    analysis: Analysis,
    seconds: float,
    reference: Partition,
    lines: Mapping[str, int],
    run: Run,
) -> list[Row]:
    """Every proposal's row for one variant of one corpus, decompose default's first;
    ``lines`` holds every analysed module's size."""
    label = f"{corpus} {variant}"
    default = decomposition(analysis)
    other_seed, _ = analyse(root, 1, f"{label} seed {OTHER_SEED}", {"seed": OTHER_SEED})
    agreement = mojofm(decomposition(other_seed), default)
    proposals: list[tuple[str, Partition, float]] = [(DEFAULT, default, seconds)]
    for method in ALTERNATIVE_METHODS if run.alternatives else ():
        alternative, took = analyse(root, run.repeat, f"{label} {method}", {"method": method})
        proposals.append((f"decompose, method {method}", decomposition(alternative), took))
    graph = import_graph(analysis)
    for name, method in (("louvain (seed 0)", louvain), ("label propagation (seed 0)", label_propagation)):
        partition, took = timed(lambda method=method: method(graph), run.repeat)
        proposals.append((name, partition, took))
    modules = [m.name for m in analysis.graph.modules]
    (depth, partition), took = timed(lambda: best_folders(modules, analysis, reference), run.repeat)
    proposals.append((f"folders (depth {depth}, best)", partition, took))

    reference_largest = largest_share(reference, lines)
    return [
        score(
            corpus,
            variant,
            name,
            partition,
            reference,
            took,
            lines,
            reference_largest,
            agreement if name == DEFAULT else None,
        )
        for name, partition, took in proposals
    ]


def score(
    corpus: str,
    variant: str,
    label: str,
    proposal: Partition,
    reference: Partition,
    seconds: float,
    lines: Mapping[str, int],
    reference_largest: float,
    seed_agreement: float | None,
) -> Row:
    shared = sorted(proposal.keys() & reference.keys())
    dropped = len(proposal.keys() | reference.keys()) - len(shared)
    truth = [reference[m] for m in shared]
    guess = [proposal[m] for m in shared]
    return Row(
        corpus=corpus,
        variant=variant,
        proposal=label,
        services=len(set(proposal.values())),
        reference_services=len(set(truth)),
        scored=len(shared),
        dropped=dropped,
        mojofm=mojofm({m: proposal[m] for m in shared}, {m: reference[m] for m in shared}),
        ari=adjusted_rand_score(truth, guess) if shared else 0.0,
        nmi=normalized_mutual_info_score(truth, guess) if shared else 0.0,
        largest_share=largest_share(proposal, lines),
        reference_largest_share=reference_largest,
        seed_agreement=seed_agreement,
        seconds=seconds,
    )


def largest_share(partition: Partition, lines: Mapping[str, int]) -> float:
    """The lines of the partition's largest service, in percent of the lines of its modules
    (for a proposal, every analysed module)."""
    sizes = Counter()
    for module, service in partition.items():
        sizes[service] += lines[module]
    total = sum(sizes.values())
    return 100 * max(sizes.values()) / total if total else 0.0


def timed(work: Callable, repeat: int):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


# --------------------------------------------------------------------------- baselines


def import_graph(analysis: Analysis) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(m.name for m in analysis.graph.modules)
    graph.add_edges_from((e.source, e.target) for e in analysis.graph.edges if e.kind.value in IMPORT_KINDS)
    return graph


def louvain(graph: nx.Graph) -> Partition:
    return _numbered(nx.community.louvain_communities(graph, seed=SEED))


def label_propagation(graph: nx.Graph) -> Partition:
    return _numbered(nx.community.asyn_lpa_communities(graph, seed=SEED))


def _numbered(communities) -> Partition:
    ordered = sorted((sorted(c) for c in communities), key=lambda c: c[0])
    return {module: f"c{index}" for index, community in enumerate(ordered) for module in community}


def best_folders(modules: list[str], analysis: Analysis, reference: Partition) -> tuple[int, Partition]:
    """One service per package cut at the depth that scores best (MoJoFM) against the reference."""
    is_package = {m.name: m.is_package for m in analysis.graph.modules}
    folders = {m: (m.split(".") if is_package[m] else m.split(".")[:-1]) or [m] for m in modules}
    deepest = max((len(parts) for parts in folders.values()), default=1)
    best: tuple[float, int, Partition] | None = None
    for depth in range(1, deepest + 1):
        partition = {m: ".".join(parts[:depth]) for m, parts in folders.items()}
        shared = partition.keys() & reference.keys()
        value = mojofm({m: partition[m] for m in shared}, {m: reference[m] for m in shared})
        if best is None or value > best[0]:
            best = (value, depth, partition)
    return best[1], best[2]


# --------------------------------------------------------------------------- renamed trees

# variant -> (the renaming table from the tree and its analysed files, the code that decides it)
_RENAMINGS: dict[str, tuple[Callable[[Path, Mapping[str, tuple[str, bool]]], dict[str, str]], tuple]] = {
    OBFUSCATED: (lambda root, files: _obfuscate.renaming(files), (_obfuscate,)),
    LAYERED: (_layer.renaming, (_obfuscate, _layer)),
}


def renamed_tree(variant: str, root: Path, analysis: Analysis, name: str) -> tuple[Path, dict[str, str]]:
    """The obfuscated or layered copy of the analysed modules and its renaming table, kept
    in bench/.corpora/ and rebuilt when the modules or the code that renames them changed
    (the layered table reads every file, so it is kept with the tree)."""
    target = _corpora.CORPORA / variant / name
    files = {m.name: (m.path, m.is_package) for m in analysis.graph.modules}
    rename, deciders = _RENAMINGS[variant]
    stamp = {
        "code": {d.__name__: hashlib.sha256(Path(d.__file__).read_bytes()).hexdigest() for d in deciders},
        "source": str(root),
        "modules": {module: [path, is_package] for module, (path, is_package) in files.items()},
    }
    stamp_file = target / "renaming.json"
    if stamp_file.is_file():
        kept = json.loads(stamp_file.read_text(encoding="utf-8"))
        if kept.get("stamp") == stamp:
            return target, kept["table"]
    start = time.perf_counter()
    table = rename(root, files)
    shutil.rmtree(target, ignore_errors=True)
    _obfuscate.obfuscate(root, files, table, target)
    stamp_file.write_text(
        json.dumps({"stamp": stamp, "table": table}, indent=1, sort_keys=True), encoding="utf-8"
    )
    _progress(f"{name}: {variant} {len(files)} modules in {time.perf_counter() - start:.1f} s into {target}")
    return target, table


def fidelity(
    name: str, variant: str, shipped: Analysis, renamed: Analysis, table: Mapping[str, str]
) -> Fidelity:
    back = {new: old for old, new in table.items()}
    original = {(e.source, e.target, e.kind) for e in shipped.graph.edges}
    mapped = {
        (back[e.source], back[e.target], e.kind)
        for e in renamed.graph.edges
        if e.source in back and e.target in back
    }
    return Fidelity(
        corpus=name,
        variant=variant,
        modules_kept=sum(m.name in back for m in renamed.graph.modules),
        modules=len(table),
        kept=len(original & mapped),
        original=len(original),
        added=len(mapped - original),
    )


# --------------------------------------------------------------------------- report


COLUMNS = (  # title, width, format, left-aligned
    ("corpus", 16, "{}", True),
    ("variant", 10, "{}", True),
    ("proposal", 28, "{}", True),
    ("services", 8, "{:d}", False),
    ("ref", 5, "{:d}", False),
    ("scored", 6, "{:d}", False),
    ("dropped", 7, "{:d}", False),
    ("MoJoFM", 7, "{:.1f}", False),
    ("ARI", 6, "{:.3f}", False),
    ("NMI", 6, "{:.3f}", False),
    ("largest", 7, "{:.1f}%", False),
    ("ref largest", 11, "{:.1f}%", False),
    ("seed", 6, "{:.1f}", False),
    ("seconds", 8, "{:.2f}", False),
)


def print_table(rows: list[Row]) -> None:
    print(" ".join(_cell(title, width, left) for title, width, _, left in COLUMNS))
    previous = None
    for row in rows:
        values = [
            row.corpus,
            row.variant,
            row.proposal,
            row.services,
            row.reference_services,
            row.scored,
            row.dropped,
            row.mojofm,
            row.ari,
            row.nmi,
            row.largest_share,
            row.reference_largest_share,
            row.seed_agreement,
            row.seconds,
        ]
        if (row.corpus, row.variant) == previous:
            values[0] = values[1] = None
        elif previous is not None:
            print()
        previous = (row.corpus, row.variant)
        cells = [
            _cell(spec.format(value) if value is not None else "", width, left)
            for (_, width, spec, left), value in zip(COLUMNS, values, strict=True)
        ]
        print(" ".join(cells).rstrip())


def _cell(text: str, width: int, left: bool) -> str:
    return f"{text:<{width}}" if left else f"{text:>{width}}"


def check_targets(rows: list[Row], django_corpora: list[str]) -> bool:
    """Print the targets with their figures; return whether all passed. A figure is
    compared as printed, so that 95.0 never fails "at least 95"."""
    verdicts: list[bool] = []

    def verdict(ok: bool) -> str:
        verdicts.append(ok)
        return "PASS" if ok else "FAIL"

    def pick(corpus: str, variant: str) -> tuple[Row, Row] | None:
        """decompose default's row and the best baseline's, when the run holds them."""
        group = [r for r in rows if r.corpus == corpus and r.variant == variant]
        if not group:
            return None
        default = next(r for r in group if r.proposal == DEFAULT)
        best = max((r for r in group if not r.proposal.startswith("decompose")), key=lambda r: r.mojofm)
        return default, best

    print("\ntargets (decompose default, number of services chosen automatically)")
    for variant in (OBFUSCATED, LAYERED):
        pairs = [(c, pair) for c in django_corpora if (pair := pick(c, variant)) is not None]
        if not pairs:
            continue
        mean_default = statistics.mean(d.mojofm for _, (d, _) in pairs)
        mean_best = statistics.mean(b.mojofm for _, (_, b) in pairs)
        margin = mean_default - mean_best
        print(f"  {variant}, Django corpora ({', '.join(c for c, _ in pairs)}):")
        print(
            f"    MoJoFM at least 25 points above the best baseline, on average: "
            f"{mean_default:.1f} - {mean_best:.1f} = {margin:+.1f}  {verdict(round(margin, 1) >= 25)}"
        )
        for corpus, (d, b) in pairs:
            print(f"      {corpus}: {d.mojofm:.1f} against {b.mojofm:.1f} ({b.proposal})")
        mean_ari = statistics.mean(d.ari for _, (d, _) in pairs)
        print(f"    mean ARI at least 0.40: {mean_ari:.3f}  {verdict(round(mean_ari, 3) >= 0.40)}")
        print("    on every corpus: services at most twice the reference's; seed agreement at least 95;")
        print("    largest service at most 25% of the lines, or the reference's largest share if larger:")
        for corpus, (d, _) in pairs:
            bound = max(25.0, d.reference_largest_share)
            print(
                f"      {corpus}: {d.services} services for {d.reference_services}  "
                f"{verdict(d.services <= 2 * d.reference_services)}; "
                f"seed agreement {d.seed_agreement:.1f}  {verdict(round(d.seed_agreement, 1) >= 95)}; "
                f"largest {d.largest_share:.1f}% of at most {bound:.1f}%  {verdict(round(d.largest_share, 1) <= round(bound, 1))}"
            )
    print("  as shipped: MoJoFM never below the best baseline:")
    for corpus in dict.fromkeys(r.corpus for r in rows):
        pair = pick(corpus, AS_SHIPPED)
        if pair is not None:
            d, b = pair
            ok = round(d.mojofm, 1) >= round(b.mojofm, 1)
            print(f"    {corpus}: {d.mojofm:.1f} against {b.mojofm:.1f} ({b.proposal})  {verdict(ok)}")
    for corpus, variant, floor in (("libraries", OBFUSCATED, 95), ("sample_monolith", AS_SHIPPED, 90)):
        pair = pick(corpus, variant)
        if pair is not None:
            d, _ = pair
            print(
                f"  {corpus}, {variant}: MoJoFM at least {floor}: {d.mojofm:.1f}  {verdict(round(d.mojofm, 1) >= floor)}"
            )
    passed = sum(verdicts)
    print(f"  {passed} of {len(verdicts)} targets met")
    return passed == len(verdicts)


def print_fidelity(fidelities: list[Fidelity]) -> None:
    print("\nthe renamed trees kept the module graph (modules analysed; typed edges, mapped back; an")
    print("added edge is most often the import written beside an alias through which a deeper")
    print("module is reached):")
    for f in fidelities:
        print(
            f"  {f.corpus}, {f.variant}: {f.modules_kept} of {f.modules} modules; "
            f"{f.kept} of {f.original} edges kept ({100 * f.kept / max(f.original, 1):.1f}%), {f.added} added"
        )


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus",
        action="append",
        metavar="NAME",
        help=f"corpora to run, repeatable or comma-separated (default: all of {', '.join(_corpora.NAMES)})",
    )
    parser.add_argument(
        "--variant",
        action="append",
        choices=[v.replace(" ", "-") for v in VARIANTS],
        help="variants to score, repeatable (default: all three)",
    )
    parser.add_argument(
        "--no-alternatives", action="store_true", help='leave out the "decompose, method X" rows'
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing (the median is shown)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the rows as JSON to PATH")
    args = parser.parse_args()
    names = [n for value in args.corpus or [",".join(_corpora.NAMES)] for n in value.split(",") if n]
    unknown = sorted(set(names) - set(_corpora.NAMES))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; choose from {', '.join(_corpora.NAMES)}")
    chosen = {v.replace("-", " ") for v in args.variant or VARIANTS}
    run = Run(
        variants=tuple(v for v in VARIANTS if v in chosen),
        repeat=args.repeat,
        alternatives=not args.no_alternatives,
    )

    start = time.perf_counter()
    rows: list[Row] = []
    fidelities: list[Fidelity] = []
    for name in dict.fromkeys(names):
        corpus_rows, corpus_fidelities = bench_corpus(name, run)
        rows += corpus_rows
        fidelities += corpus_fidelities
    print(
        f"decompose quality bench; {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"seconds are medians of {run.repeat}"
    )
    print_table(rows)
    check_targets(rows, [n for n in dict.fromkeys(names) if _corpora.corpus(n).django])
    if fidelities:
        print_fidelity(fidelities)
    for note in NOTES:
        print(f"note: {note}")
    wall = time.perf_counter() - start
    print(f"\nwall time {wall:.0f} s")
    if args.json is not None:
        document = {
            "repeat": run.repeat,
            "wall_seconds": round(wall, 1),
            "rows": [dataclasses.asdict(r) for r in rows],
            "fidelity": [dataclasses.asdict(f) for f in fidelities],
        }
        args.json.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
