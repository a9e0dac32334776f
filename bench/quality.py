"""How good is decompose's proposed decomposition, against baselines? One run, one table.

Run on demand (`make bench-quality`); never part of the test suite. Corpora are downloaded
from PyPI into bench/.corpora/quality/ on first use (never committed), each scored against a
reference decomposition:
  sample_monolith  sample_monolith/intended_decomposition.json
  django           Django's top-level subpackages, each django.contrib app its own service,
                   the top-level modules one more
  wagtail, pretix  their Django apps (packages holding an apps.py or a migrations/ folder);
                   a module belongs to the deepest app above it, modules in none to "rest"
  libraries        httpx, httpcore, h11, anyio, sniffio, rich, markdown-it-py, mdurl,
                   pygments, jsonschema, referencing and attrs side by side: one service
                   per library

Each corpus in two variants: as shipped, and obfuscated (every module moved flat into one
package under a meaningless name, imports rewritten: see _obfuscate.py), where the folders
say nothing and a decomposition must come from the code. The obfuscated tree holds exactly
the modules decompose analysed as shipped; its reference goes through the renaming table.

Proposals, each scored on the modules that both it and the reference hold (the rest are
counted as dropped):
  decompose default       analyze_path(root) with the default options; its services
  decompose, method leiden  the same with Leiden (leidenalg) in place of Louvain
  louvain                 networkx Louvain (seed 0) on the import graph: import, lazy,
                          type_only and dynamic edges, undirected, weight 1 per pair
  label propagation       networkx asyn_lpa_communities (seed 0) on the same graph
  folders (depth d)       one service per package cut at depth d, the d that scores best
                          against the reference: it peeks, an upper baseline for "use the
                          folders"
Columns: services proposed (over every analysed module), services in the reference, modules
scored and dropped, MoJoFM (decompose.metrics.mojofm, proposal first), adjusted Rand index
and NMI (scikit-learn), and seconds: for decompose the whole analyze_path (parse to
services, no cache), for a baseline the step from the analysis' graph to its partition;
medians of --repeat runs. Then the targets, PASS or FAIL with their figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _corpora  # noqa: E402
import _obfuscate  # noqa: E402

from decompose import analyze_path  # noqa: E402
from decompose.api import Analysis  # noqa: E402
from decompose.metrics import mojofm  # noqa: E402

IMPORT_KINDS = frozenset({"import", "lazy", "type_only", "dynamic"})
SEED = 0
DEFAULT = "decompose default"
ALTERNATIVE_METHODS = ("leiden",)
Partition = dict[str, str]  # module -> service


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
    seconds: float


@dataclass(frozen=True)
class Fidelity:
    """How much of the as-shipped module graph the obfuscated tree kept: typed edges
    (source, target, kind), the obfuscated ones mapped back through the renaming."""

    corpus: str
    kept: int
    original: int
    added: int


# --------------------------------------------------------------------------- one corpus


def bench_corpus(name: str, repeat: int) -> tuple[list[Row], Fidelity]:
    corpus = _corpora.corpus(name)
    shipped, seconds = analyse(corpus.root, repeat, f"{name} as shipped")
    modules = [(m.name, m.is_package) for m in shipped.graph.modules]
    reference = corpus.reference(modules)
    _progress(f"{name}: {len(modules)} modules analysed, {len(set(reference.values()))} reference services")
    rows = score_all(
        name, "as shipped", shipped, seconds, reference, repeat, alternatives(corpus.root, repeat)
    )

    table = _obfuscate.renaming(m.name for m in shipped.graph.modules)
    obfuscated_root = obfuscated_tree(corpus.root, shipped, table, name)
    obfuscated, seconds = analyse(obfuscated_root, repeat, f"{name} obfuscated")
    renamed_reference = {table[module]: label for module, label in reference.items()}
    rows += score_all(
        name,
        "obfuscated",
        obfuscated,
        seconds,
        renamed_reference,
        repeat,
        alternatives(obfuscated_root, repeat),
    )
    return rows, fidelity(name, shipped, obfuscated, table)


NOTES: list[str] = []


def alternatives(root: Path, repeat: int) -> list[tuple[str, Partition, float]]:
    """decompose with its other clustering methods, each a row of its own."""
    rows = []
    for method in ALTERNATIVE_METHODS:
        analysis, seconds = analyse(root, repeat, f"{root.name} {method}", {"method": method})
        rows.append((f"decompose, method {method}", decomposition(analysis), seconds))
    return rows


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
    analysis: Analysis,
    seconds: float,
    reference: Partition,
    repeat: int,
    others: list[tuple[str, Partition, float]],
) -> list[Row]:
    modules = [m.name for m in analysis.graph.modules]
    proposals: list[tuple[str, Partition, float]] = [(DEFAULT, decomposition(analysis), seconds), *others]
    graph = import_graph(analysis)
    for label, method in (("louvain (seed 0)", louvain), ("label propagation (seed 0)", label_propagation)):
        partition, took = timed(lambda method=method: method(graph), repeat)
        proposals.append((label, partition, took))
    (depth, partition), took = timed(lambda: best_folders(modules, analysis, reference), repeat)
    proposals.append((f"folders (depth {depth}, best)", partition, took))
    return [score(corpus, variant, label, p, reference, s) for label, p, s in proposals]


def score(
    corpus: str, variant: str, label: str, proposal: Partition, reference: Partition, seconds: float
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
        seconds=seconds,
    )


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


# --------------------------------------------------------------------------- obfuscation


def obfuscated_tree(root: Path, analysis: Analysis, table: Mapping[str, str], name: str) -> Path:
    """The obfuscated copy of the analysed modules, rebuilt when the renaming or the
    obfuscator changed."""
    target = _corpora.CORPORA / "obfuscated" / name
    stamp = {
        "obfuscator": hashlib.sha256(Path(_obfuscate.__file__).read_bytes()).hexdigest(),
        "source": str(root),
        "table": dict(table),
    }
    stamp_file = target / "renaming.json"
    if stamp_file.is_file() and json.loads(stamp_file.read_text(encoding="utf-8")) == stamp:
        return target
    start = time.perf_counter()
    shutil.rmtree(target, ignore_errors=True)
    files = {m.name: (m.path, m.is_package) for m in analysis.graph.modules}
    _obfuscate.obfuscate(root, files, table, target)
    stamp_file.write_text(json.dumps(stamp, indent=1, sort_keys=True), encoding="utf-8")
    _progress(f"{name}: obfuscated {len(files)} modules in {time.perf_counter() - start:.1f} s into {target}")
    return target


def fidelity(name: str, shipped: Analysis, obfuscated: Analysis, table: Mapping[str, str]) -> Fidelity:
    back = {new: old for old, new in table.items()}
    original = {(e.source, e.target, e.kind) for e in shipped.graph.edges}
    mapped = {
        (back[e.source], back[e.target], e.kind)
        for e in obfuscated.graph.edges
        if e.source in back and e.target in back
    }
    return Fidelity(name, len(original & mapped), len(original), len(mapped - original))


# --------------------------------------------------------------------------- report


COLUMNS = (
    ("corpus", 16, "{}"),
    ("variant", 10, "{}"),
    ("proposal", 28, "{}"),
    ("services", 8, "{:d}"),
    ("ref", 5, "{:d}"),
    ("scored", 6, "{:d}"),
    ("dropped", 7, "{:d}"),
    ("MoJoFM", 7, "{:.1f}"),
    ("ARI", 6, "{:.3f}"),
    ("NMI", 6, "{:.3f}"),
    ("seconds", 8, "{:.2f}"),
)


def print_table(rows: list[Row]) -> None:
    header = []
    for title, width, _ in COLUMNS:
        header.append(
            f"{title:<{width}}" if title in ("corpus", "variant", "proposal") else f"{title:>{width}}"
        )
    print(" ".join(header))
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
            row.seconds,
        ]
        if (row.corpus, row.variant) == previous:
            values[0] = values[1] = ""
        elif previous is not None:
            print()
        previous = (row.corpus, row.variant)
        cells = []
        for (title, width, spec), value in zip(COLUMNS, values, strict=True):
            text = spec.format(value) if value != "" else ""
            cells.append(
                f"{text:<{width}}" if title in ("corpus", "variant", "proposal") else f"{text:>{width}}"
            )
        print(" ".join(cells).rstrip())


def check_targets(rows: list[Row], django_corpora: list[str]) -> bool:
    """Print the targets with their figures; return whether all passed."""
    verdicts: list[bool] = []

    def verdict(ok: bool) -> str:
        verdicts.append(ok)
        return "PASS" if ok else "FAIL"

    def pick(corpus: str, variant: str) -> tuple[Row, Row] | None:
        group = [r for r in rows if r.corpus == corpus and r.variant == variant]
        if not group:
            return None
        default = next(r for r in group if r.proposal == DEFAULT)
        best = max((r for r in group if not r.proposal.startswith("decompose")), key=lambda r: r.mojofm)
        return default, best

    print("\ntargets (decompose default, number of services chosen automatically)")
    pairs = [(c, pick(c, "obfuscated")) for c in django_corpora]
    pairs = [(c, p) for c, p in pairs if p is not None]
    if pairs:
        names = ", ".join(c for c, _ in pairs)
        mean_default = statistics.mean(d.mojofm for _, (d, _) in pairs)
        mean_best = statistics.mean(b.mojofm for _, (_, b) in pairs)
        margin = mean_default - mean_best
        print(f"  obfuscated Django corpora ({names}):")
        print(
            f"    MoJoFM at least 25 points above the best baseline, on average: "
            f"{mean_default:.1f} - {mean_best:.1f} = {margin:+.1f}  {verdict(margin >= 25)}"
        )
        for corpus, (d, b) in pairs:
            print(f"      {corpus}: {d.mojofm:.1f} against {b.mojofm:.1f} ({b.proposal})")
        mean_ari = statistics.mean(d.ari for _, (d, _) in pairs)
        print(f"    mean ARI at least 0.35: {mean_ari:.3f}  {verdict(mean_ari >= 0.35)}")
        for corpus, (d, _) in pairs:
            ok = d.services <= 2 * d.reference_services
            print(
                f"    {corpus}: at most twice the reference's services: {d.services} proposed, "
                f"{d.reference_services} in the reference  {verdict(ok)}"
            )
    print("  as shipped: MoJoFM never below the best baseline:")
    for corpus in dict.fromkeys(r.corpus for r in rows):
        pair = pick(corpus, "as shipped")
        if pair is not None:
            d, b = pair
            ok = round(d.mojofm, 1) >= round(b.mojofm, 1)
            print(f"    {corpus}: {d.mojofm:.1f} against {b.mojofm:.1f} ({b.proposal})  {verdict(ok)}")
    for variant in ("as shipped", "obfuscated"):
        pair = pick("libraries", variant)
        if pair is not None:
            d, _ = pair
            print(
                f"  merged libraries, {variant}: MoJoFM at least 90: {d.mojofm:.1f}  {verdict(d.mojofm >= 90)}"
            )
    passed = sum(verdicts)
    print(f"  {passed} of {len(verdicts)} targets met")
    return passed == len(verdicts)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", choices=[*_corpora.NAMES, "all"], default="all")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (the median is shown)")
    args = parser.parse_args()
    names = list(_corpora.NAMES) if args.corpus == "all" else [args.corpus]
    start = time.perf_counter()
    rows: list[Row] = []
    fidelities: list[Fidelity] = []
    for name in names:
        corpus_rows, kept = bench_corpus(name, args.repeat)
        rows += corpus_rows
        fidelities.append(kept)
    print(
        f"decompose quality bench; {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"seconds are medians of {args.repeat}"
    )
    print_table(rows)
    check_targets(rows, [n for n in names if _corpora.corpus(n).django])
    print("\nobfuscation kept the module graph (typed edges, mapped back; an added edge is most often")
    print("the import written beside an alias through which a deeper module is reached):")
    for f in fidelities:
        print(
            f"  {f.corpus}: {f.kept} of {f.original} edges kept ({100 * f.kept / max(f.original, 1):.1f}%), "
            f"{f.added} added"
        )
    for note in NOTES:
        print(f"note: {note}")
    print(f"\nwall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
