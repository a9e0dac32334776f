"""The stages after parsing, each a deterministic function of the parse results and the
options: with a cache, each result is kept under a hash of exactly its inputs (see
``decompose._stage_cache``), so a run over an unchanged tree computes neither again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from decompose._stage_cache import StageCache, fingerprint
from decompose.cluster import PACKAGES, ClusterOptions, cluster_modules
from decompose.config import AnalysisConfig
from decompose.entities import build_data_model
from decompose.graph import build_graph
from decompose.history import read_history, summarise
from decompose.metrics import measure_history, metrics_report
from decompose.model import (
    ChangeHistory,
    DataModel,
    Decomposition,
    DependencyGraph,
    Diagnostic,
    HistoryReport,
    MetricsReport,
    ParseResult,
    Severity,
)
from decompose.parse import FactCache
from decompose.roots import RootPlan
from decompose.services import package_services, propose_services

__all__ = ["ProgressCallback"]

# (stage, done, total): called as files are parsed, and once as each stage starts.
ProgressCallback = Callable[[str, int, int], None]


def _cached(stages: StageCache | None, stage: str, key: str | None, compute, kind: type, check) -> Any:
    """``compute()``, through the stage cache when there is one and the inputs have a key."""
    return compute() if stages is None or key is None else stages.value(stage, key, compute, kind, check)


def _graph_key(results: list[ParseResult], plan: RootPlan, cache: FactCache) -> str | None:
    """The graph stage's inputs: each file as named, its status and the content key its
    facts were read or parsed from (a file that could not be read: its whole result), and
    the root plan. None when some input has no stable form (then nothing is cached)."""
    files = []
    for result in results:
        key = cache.seen_key(result.file.path)
        files.append((result.file, result.status, key) if key is not None else result)
    try:
        return fingerprint("graph", files, plan)
    except TypeError:
        return None


def _graph_and_data(results: list[ParseResult], plan: RootPlan) -> tuple[DependencyGraph, DataModel]:
    graph = build_graph(results, plan)
    return graph, build_data_model(results, graph, plan.aliases)


def _is_graph_stage(value: tuple) -> bool:
    return len(value) == 2 and isinstance(value[0], DependencyGraph) and isinstance(value[1], DataModel)


def _proposal(
    config: AnalysisConfig,
    graph: DependencyGraph,
    data: DataModel,
    history: ChangeHistory | None,
    report: ProgressCallback,
) -> tuple[Decomposition, tuple[Diagnostic, ...], MetricsReport, HistoryReport | None]:
    """The services proposed, what the cluster stage said of them, and their figures."""
    decomposition, notes = _decompose(config, graph, data, history)
    report("metrics", 0, 0)
    metrics = metrics_report(graph, decomposition, data, history)
    history_report = measure_history(history, decomposition, graph) if history is not None else None
    return decomposition, notes, metrics, history_report


def _history_read_by_proposal(history: ChangeHistory | None) -> tuple | None:
    """What the cluster, services and metrics stages read of the history: which modules
    change together and how often, not the commit it was read from (a commit elsewhere in
    the repository moves that, and the proposal stays the same)."""
    if history is None:
        return None
    return history.changesets, history.cochange, history.modules


def _is_proposal_stage(value: tuple) -> bool:
    return (
        len(value) == 4
        and isinstance(value[0], Decomposition)
        and isinstance(value[1], tuple)
        and isinstance(value[2], MetricsReport)
        and (value[3] is None or isinstance(value[3], HistoryReport))
    )


def _history(
    config: AnalysisConfig, root: Path, results: list[ParseResult]
) -> tuple[ChangeHistory | None, tuple[Diagnostic, ...]]:
    """What git says about the analysed modules, when the tree is in a repository (or
    the settings name a repository) and history is on; notes about what could not be read."""
    settings = config.history
    if not settings.enabled:
        return None, ()
    options = settings.history_options()
    repo = Path(settings.repo) if settings.repo else None
    history = read_history(root, options, repo, cache_dir=config.cache_dir, path_in_repo=settings.path_in_repo)
    if history is None:
        if repo is None:
            return None, ()
        return None, (
            Diagnostic(
                path=".", code="history-unreadable", message=f"{repo}: not a git repository; no history read"
            ),
        )
    module_of = {r.file.path: r.file.module for r in results}
    summary = summarise(history, module_of, options, settings.authors)
    notes = tuple(
        Diagnostic(path=".", code="history", message=note, severity=Severity.INFO) for note in history.notes
    )
    if history.commits and not summary.modules:
        where = f"{history.path_in_repo}/" if history.path_in_repo else "the repository's root"
        notes += (
            Diagnostic(
                path=".",
                code="history-unmatched",
                message=f"none of the {len(history.commits):,} commits read changed a file analysed here "
                f"(read as under {where}): is the folder elsewhere in the repository? (--path-in-repo)",
            ),
        )
    return summary, notes


def _decompose(
    config: AnalysisConfig, graph: DependencyGraph, data: DataModel, history: ChangeHistory | None = None
) -> tuple[Decomposition, tuple[Diagnostic, ...]]:
    """The proposal, and what the cluster stage has to say about it."""
    if config.cluster.method == PACKAGES or not graph.modules:
        return package_services(graph, data), ()
    clustering = cluster_modules(graph, config.cluster, data, history)
    notes = tuple(
        Diagnostic(path="", code="blob-service", message=note, severity=Severity.WARNING)
        for note in clustering.notes
    )
    return propose_services(graph, clustering, data), notes


def _proposal_options(config: AnalysisConfig) -> ClusterOptions | str:
    """What of the config the proposal depends on: one service per package depends on none."""
    return config.cluster if config.cluster.method != PACKAGES else PACKAGES
