"""The library API: run the pipeline on a tree and get the analysis back as values.

Nothing here prints; progress goes to the callback the caller gives.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decompose._version import SCHEMA_VERSION
from decompose.cluster import ClusterOptions, cluster_modules
from decompose.config import AnalysisConfig, load_config
from decompose.discover import discover
from decompose.entities import build_data_model
from decompose.graph import build_graph, imported_modules
from decompose.metrics import measure
from decompose.model import (
    DataModel,
    Decomposition,
    DependencyGraph,
    Diagnostic,
    Discovery,
    Exclusion,
    MetricsReport,
    ParseResult,
    ParseStatus,
    Severity,
)
from decompose.parse import FactCache, ParseRun, parse_files
from decompose.services import package_services, propose_services

__all__ = ["Analysis", "analyze", "analyze_path", "ProgressCallback", "SCHEMA_VERSION"]

# (stage, done, total): called as files are parsed, and once as each stage starts.
ProgressCallback = Callable[[str, int, int], None]


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
    # How this run went; not part of the result (the output is the same either way).
    files_parsed: int = 0
    files_from_cache: int = 0
    jobs: int = 1
    notes: tuple[str, ...] = ()

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
    found: Discovery = discover(config)
    root = Path(found.root)
    notes: list[str] = []
    cache = FactCache.for_root(config.cache_dir, root) if config.cache_dir is not None else None
    if cache is not None and cache.problem:
        notes.append(f"cache {cache.path} ignored and rebuilt: {cache.problem}")
    jobs = config.jobs if config.jobs > 0 else _available_cores()
    run = parse_files(
        root,
        found.files,
        config.max_file_bytes,
        jobs=jobs,
        cache=cache,
        progress=lambda done, total: report("parse", done, total),
    )
    results, excluded, more = _pull_in_imported_tests(root, config, found, list(run.results), jobs, cache)
    if cache is not None:
        try:
            cache.save()
        except OSError as error:
            notes.append(f"cache {cache.path} not saved: {error.strerror or error}")
    report("graph", 0, 0)
    graph = build_graph(results)
    report("cluster", 0, 0)
    data = build_data_model(results, graph)
    decomposition = _decompose(config, graph, data)
    report("metrics", 0, 0)
    metrics = MetricsReport(
        proposed=measure(graph, decomposition, data),
        current=measure(graph, package_services(graph, data, below_common_root=True), data),
    )
    diagnostics = [*extra_diagnostics, *found.diagnostics, *graph.diagnostics]
    for result in results:
        diagnostics.extend(result.diagnostics)
    return Analysis(
        project=_printable(root.name),
        config=config,
        graph=graph,
        decomposition=decomposition,
        data=data,
        metrics=metrics,
        diagnostics=tuple(sorted(set(diagnostics), key=_diagnostic_order)),
        excluded=excluded,
        files_parsed=run.parsed + more.parsed,
        files_from_cache=run.from_cache + more.from_cache,
        jobs=run.jobs,
        notes=tuple(notes),
    )


def _decompose(config: AnalysisConfig, graph: DependencyGraph, data: DataModel) -> Decomposition:
    if config.method == "packages" or not graph.modules:
        return package_services(graph, data)
    options = ClusterOptions(
        services=config.services,
        seed=config.seed,
        resolution=config.resolution,
        kernel_share=config.kernel_share,
        hierarchy_weight=config.hierarchy_weight,
        vocabulary_weight=config.vocabulary_weight,
        pins=config.pins,
        apart=config.apart,
    )
    return propose_services(graph, cluster_modules(graph, options), data)


def _pull_in_imported_tests(
    root: Path,
    config: AnalysisConfig,
    found: Discovery,
    results: list[ParseResult],
    jobs: int,
    cache: FactCache | None,
) -> tuple[list[ParseResult], tuple[Exclusion, ...], ParseRun]:
    """Analyse the test files that the analysed code imports (a test framework shipped in
    the package, say), until no more are imported; report the rest as excluded."""
    waiting = {d.file.module: d for d in found.deferred}
    newest = results
    parsed = from_cache = 0
    while waiting and newest:
        wanted = imported_modules(results, (d.file for d in waiting.values()))
        wanted &= waiting.keys()
        files = [waiting.pop(name).file for name in sorted(wanted)]
        if not files:
            break
        run = parse_files(root, files, config.max_file_bytes, jobs=jobs, cache=cache)
        parsed, from_cache = parsed + run.parsed, from_cache + run.from_cache
        newest = list(run.results)
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


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _printable(name: str) -> str:
    """A folder name that was not valid UTF-8 keeps its bytes as escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _diagnostic_order(diagnostic: Diagnostic) -> tuple:
    return (diagnostic.path, diagnostic.line or 0, diagnostic.code, diagnostic.message)
