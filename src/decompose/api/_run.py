"""The pipeline on a tree: discovery, parsing, roots, then the cached stages; the analysis
comes back as values.

Nothing here prints; progress goes to the callback the caller gives.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from decompose._processes import available_cores
from decompose._stage_cache import StageCache, fingerprint
from decompose.api._stages import (
    ProgressCallback,
    _cached,
    _graph_and_data,
    _graph_key,
    _history,
    _history_read_by_proposal,
    _is_graph_stage,
    _is_proposal_stage,
    _proposal,
    _proposal_options,
)
from decompose.config import AnalysisConfig, load_config
from decompose.discover import discover
from decompose.graph import imported_modules
from decompose.manifests import installed_import_names, manifest_folders, read_manifests
from decompose.model import (
    ChangeHistory,
    DataModel,
    Decomposition,
    DependencyGraph,
    Diagnostic,
    Discovery,
    Exclusion,
    HistoryReport,
    MetricsReport,
    ParseResult,
    ParseStatus,
    Severity,
)
from decompose.parse import FactCache, ParseRun, parse_files
from decompose.roots import RootPlan, find_roots

__all__ = ["Analysis", "analyze", "analyze_path", "ProgressCallback"]


@dataclass(frozen=True)
class Analysis:
    project: str
    config: AnalysisConfig
    graph: DependencyGraph
    decomposition: Decomposition
    data: DataModel
    metrics: MetricsReport  # the proposal and the current package structure, measured alike
    diagnostics: tuple[Diagnostic, ...]  # everything the user should hear of, sorted
    excluded: tuple[Exclusion, ...]
    history: ChangeHistory | None = None  # what git says, when the tree is in a repository
    history_report: HistoryReport | None = None  # ownership and hotspots of the proposal, with history
    # How this run went; not part of the result (the output is the same either way).
    files_parsed: int = 0
    files_from_cache: int = 0
    jobs: int = 1
    notes: tuple[str, ...] = ()
    stages_from_cache: tuple[str, ...] = ()  # the stages whose results the stage cache gave
    stage_cache: str | None = None  # its folder, where render keeps the charts; None: no cache

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.WARNING)

    def status_counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in ParseStatus}
        for module in self.graph.modules:
            counts[module.status.value] += 1
        return counts


def analyze_path(
    path: str | Path, overrides: Mapping[str, Any] | None = None, progress: ProgressCallback | None = None
) -> Analysis:
    """Analyse the tree at ``path`` with its ``[tool.decompose]`` config and ``overrides``.

    Raises InputError for an unusable path and ConfigError for invalid configuration.
    """
    config, config_diagnostics = load_config(Path(path), overrides)
    return analyze(config, progress=progress, extra_diagnostics=config_diagnostics)


def analyze(
    config: AnalysisConfig,
    progress: ProgressCallback | None = None,
    extra_diagnostics: tuple[Diagnostic, ...] = (),
) -> Analysis:
    """Run discover → parse → graph → entities → cluster → services → metrics on ``config.root``."""
    with _cyclic_gc_paused():
        return _analyze(config, progress, extra_diagnostics)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The pipeline allocates millions of acyclic objects (syntax trees, facts, edges); the
    cyclic collector would rescan the growing heap again and again, which on a million-line
    tree took longer than the parsing. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyze(
    config: AnalysisConfig, progress: ProgressCallback | None, extra_diagnostics: tuple[Diagnostic, ...]
) -> Analysis:
    report = progress or (lambda stage, done, total: None)
    report("discover", 0, 0)
    found: Discovery = discover(config.root, config.discover)
    root = Path(found.root)
    notes: list[str] = []
    cache = FactCache.for_root(config.cache_dir, root) if config.cache_dir is not None else None
    if cache is not None and cache.problem:
        notes.append(f"cache {cache.path} ignored and rebuilt: {cache.problem}")
    jobs = config.jobs if config.jobs > 0 else available_cores()
    run = parse_files(
        root,
        found.files,
        config.discover.max_file_bytes,
        jobs=jobs,
        cache=cache,
        progress=lambda done, total: report("parse", done, total),
    )
    report("roots", 0, 0)
    manifest = read_manifests(manifest_folders(root, found), root)
    plan = find_roots(
        found,
        run.results,
        declared=manifest.declared_imports(),
        package_dirs=manifest.package_dirs,
        configured=config.discover.roots,
        installed=installed_import_names(),
    )
    found = replace(found, deferred=plan.rename_deferred(found.deferred))
    results, excluded, more = _pull_in_imported_tests(
        root, config, found, plan.rename_results(run.results), jobs, cache, plan
    )
    if cache is not None:
        try:
            cache.save()
        except OSError as error:
            notes.append(f"cache {cache.path} not saved: {error.strerror or error}")
    stages = StageCache.for_root(config.cache_dir, root) if cache is not None else None
    report("graph", 0, 0)
    graph_key = _graph_key(results, plan, cache) if stages is not None else None
    graph, data = _cached(
        stages, "graph", graph_key, lambda: _graph_and_data(results, plan), kind=tuple, check=_is_graph_stage
    )
    report("history", 0, 0)
    history, history_notes = _history(config, root, results)
    report("cluster", 0, 0)
    # The proposal is a function of the graph (and of the data model read off the same
    # input), the history and the options: keyed on the graph's key, not on the graph.
    proposal_key = (
        fingerprint("proposal", graph_key, _proposal_options(config), _history_read_by_proposal(history))
        if graph_key
        else None
    )
    decomposition, cluster_notes, metrics, history_report = _cached(
        stages,
        "proposal",
        proposal_key,
        lambda: _proposal(config, graph, data, history, report),
        kind=tuple,
        check=_is_proposal_stage,
    )
    diagnostics = [
        *extra_diagnostics,
        *found.diagnostics,
        *manifest.diagnostics,
        *plan.diagnostics,
        *graph.diagnostics,
        *history_notes,
        *cluster_notes,
    ]
    for result in results:
        diagnostics.extend(result.diagnostics)
    return Analysis(
        project=_printable(root.name),
        config=config,
        graph=graph,
        decomposition=decomposition,
        data=data,
        metrics=metrics,
        history=history,
        history_report=history_report,
        diagnostics=tuple(sorted(set(diagnostics), key=_diagnostic_order)),
        excluded=excluded,
        files_parsed=run.parsed + more.parsed,
        files_from_cache=run.from_cache + more.from_cache,
        jobs=run.jobs,
        notes=tuple(notes),
        stages_from_cache=tuple(sorted(stages.hits)) if stages is not None else (),
        stage_cache=str(stages.folder) if stages is not None else None,
    )


def _pull_in_imported_tests(
    root: Path,
    config: AnalysisConfig,
    found: Discovery,
    results: list[ParseResult],
    jobs: int,
    cache: FactCache | None,
    plan: RootPlan,
) -> tuple[list[ParseResult], tuple[Exclusion, ...], ParseRun]:
    """Analyse the test files that the analysed code imports (a test framework shipped in
    the package, say), until no more are imported; report the rest as excluded."""
    waiting = {d.file.module: d for d in found.deferred}
    newest = results
    parsed = from_cache = 0
    while waiting and newest:
        wanted = imported_modules(results, (d.file for d in waiting.values()), plan.aliases)
        wanted &= waiting.keys()
        files = [waiting.pop(name).file for name in sorted(wanted)]
        if not files:
            break
        run = parse_files(root, files, config.discover.max_file_bytes, jobs=jobs, cache=cache)
        parsed, from_cache = parsed + run.parsed, from_cache + run.from_cache
        newest = plan.rename_results(run.results)
        results = results + newest
    left_out: dict[str, int] = {}
    for item in waiting.values():
        left_out[item.group] = left_out.get(item.group, 0) + 1
    groups = {d.group: d.reason for d in found.deferred}
    test_exclusions = [
        Exclusion(group, groups[group] if count == 1 else f"{groups[group]}: {count} files")
        for group, count in left_out.items()
    ]
    more = ParseRun((), parsed=parsed, from_cache=from_cache, jobs=jobs)
    return results, tuple(sorted([*found.excluded, *test_exclusions])), more


def _printable(name: str) -> str:
    """A folder name that was not valid UTF-8 keeps its bytes as escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _diagnostic_order(diagnostic: Diagnostic) -> tuple:
    return (
        diagnostic.path,
        diagnostic.line or 0,
        diagnostic.code,
        diagnostic.message,
        diagnostic.severity.value,
    )
