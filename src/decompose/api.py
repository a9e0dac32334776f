"""The library API: run the pipeline on a tree and get the analysis back as values.

Nothing here prints; progress goes to the callback the caller gives.
"""

from __future__ import annotations

import contextlib
import gc
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from decompose._git import export_revision
from decompose._processes import available_cores
from decompose._version import SCHEMA_VERSION
from decompose.baseline import Baseline
from decompose.cluster import DEFAULT_EDGE_WEIGHTS, ClusterOptions, cluster_modules, signal_weights
from decompose.compare import (
    Comparison,
    MetricDelta,
    NamedModule,
    Placement,
    Snapshot,
    carry_assignment,
    compare,
)
from decompose.config import AnalysisConfig, load_config
from decompose.discover import discover
from decompose.entities import build_data_model
from decompose.errors import ConfigError, InputError
from decompose.gate import REGRESSIONS, Rule, Violation, check, parse_rule
from decompose.graph import build_graph, imported_modules
from decompose.history import HistoryOptions, read_history, summarise
from decompose.manifests import installed_import_names, manifest_folders, read_manifests
from decompose.metrics import measure, measure_history, metrics_report
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
    ModuleName,
    OverallMetrics,
    ParseResult,
    ParseStatus,
    Severity,
)
from decompose.parse import FactCache, ParseRun, parse_files
from decompose.roots import RootPlan, find_roots
from decompose.services import assigned_services, package_services, propose_services
from decompose.stored import ANALYSIS_FILE, load_analysis

__all__ = [
    "Analysis",
    "analyze",
    "analyze_path",
    "ProgressCallback",
    "SCHEMA_VERSION",
    "CompareResult",
    "compare_sources",
    "BaselineCheck",
    "check_baseline",
]

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
    history: ChangeHistory | None = None  # what git says, when the tree is in a repository
    history_report: HistoryReport | None = None  # ownership and hotspots of the proposal, with history
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
    jobs = config.jobs if config.jobs > 0 else available_cores()
    run = parse_files(
        root,
        found.files,
        config.max_file_bytes,
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
        configured=config.roots,
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
    report("graph", 0, 0)
    graph = build_graph(results, plan)
    report("history", 0, 0)
    history, history_notes = _history(config, root, results)
    report("cluster", 0, 0)
    data = build_data_model(results, graph, plan.aliases)
    decomposition, cluster_notes = _decompose(config, graph, data, history)
    report("metrics", 0, 0)
    metrics = metrics_report(graph, decomposition, data, history)
    history_report = measure_history(history, decomposition, graph) if history is not None else None
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
    )


def _history(
    config: AnalysisConfig, root: Path, results: list[ParseResult]
) -> tuple[ChangeHistory | None, tuple[Diagnostic, ...]]:
    """What git says about the analysed modules, when the tree is in a repository (or
    ``history_repo`` names one) and history is on; notes about what could not be read."""
    if not config.history:
        return None, ()
    options = HistoryOptions(**dict(config.history_options))
    repo = Path(config.history_repo) if config.history_repo else None
    history = read_history(
        root, options, repo, cache_dir=config.cache_dir, path_in_repo=config.history_path_in_repo
    )
    if history is None:
        if repo is None:
            return None, ()
        return None, (Diagnostic(path=".", code="history-unreadable", message=f"{repo}: not a git repository; no history read"),)
    module_of = {r.file.path: r.file.module for r in results}
    summary = summarise(history, module_of, options, config.history_authors)
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
    if config.method == "packages" or not graph.modules:
        return package_services(graph, data), ()
    weights = signal_weights(config.signal_weights)
    options = ClusterOptions(
        method=config.method,
        services=config.services,
        seed=config.seed,
        resolution=config.resolution,
        kernel_share=config.kernel_share,
        signal_weights=weights,
        edge_weights={**DEFAULT_EDGE_WEIGHTS, **dict(config.edge_weights)},
        pins=config.pins,
        apart=config.apart,
    )
    clustering = cluster_modules(graph, options, data, history)
    notes = tuple(
        Diagnostic(path="", code="blob-service", message=note, severity=Severity.WARNING)
        for note in clustering.notes
    )
    return propose_services(graph, clustering, data), notes


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
        run = parse_files(root, files, config.max_file_bytes, jobs=jobs, cache=cache)
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
    return (diagnostic.path, diagnostic.line or 0, diagnostic.code, diagnostic.message, diagnostic.severity.value)


# ------------------------------------------------------------------------------ compare


@dataclass(frozen=True)
class CompareResult:
    """A comparison and the gate's verdict on it."""

    comparison: Comparison
    rules: tuple[Rule, ...]
    violations: tuple[Violation, ...]

    @property
    def passed(self) -> bool:
        return not self.violations


def compare_sources(
    before: str | Path,
    after: str | Path,
    *,
    repo: str | Path | None = None,
    services_from: str = "before",
    config: AnalysisConfig | None = None,
    rules: tuple[Rule, ...] | None = None,
    progress: ProgressCallback | None = None,
) -> CompareResult:
    """Compare two versions of a codebase and gate the result.

    Each side is an analysis folder or its ``analysis.json``, a folder of code (analysed
    now), or with ``repo`` a git revision of that repository (read with ``git archive``
    into a temporary folder and analysed; the repository is not touched). ``config``
    gives the pins for ``services_from="pinned"``, the options for analysing code (its
    root is ignored) and the gate rules unless ``rules`` is given.

    Raises InputError for a side that cannot be read, ConfigError for a bad rule or
    "pinned" without pins.
    """
    config = config if config is not None else AnalysisConfig(root=Path("."))
    if services_from == "pinned" and not config.pins:
        raise ConfigError("--services-from pinned needs [tool.decompose.pin] in the project's pyproject.toml")
    rules = config.gate_rules() if rules is None else rules
    with tempfile.TemporaryDirectory(prefix="decompose-compare-") as scratch:
        sides = []
        for role, spec in (("before", before), ("after", after)):
            stage = lambda name, done, total, role=role: (progress or _ignore)(f"{role}: {name}", done, total)  # noqa: E731
            sides.append(_snapshot(str(spec), repo, config, Path(scratch) / role, stage))
    comparison = compare(sides[0], sides[1], services_from=services_from, pins=config.pins)
    violations = check(rules, comparison.values("after"), comparison.values("before"))
    return CompareResult(comparison, tuple(rules), violations)


def _ignore(stage: str, done: int, total: int) -> None:
    return None


def _snapshot(
    spec: str, repo: str | Path | None, config: AnalysisConfig, scratch: Path, progress: ProgressCallback
) -> Snapshot:
    if repo is not None:
        repo = Path(repo)
        name = Path(spec.partition(":")[2]).name or repo.resolve().name or "repo"
        revision = export_revision(repo, spec, scratch / name)
        # Analysed as 'decompose analyze' would analyse that revision, with its own config;
        # not cached (a cache is kept per folder, and this one is gone after the run).
        revision_config, _ = load_config(revision.root)
        analysis = analyze(replace(revision_config, jobs=config.jobs), progress=progress)
        return Snapshot(
            revision.label, analysis.project, analysis.graph, analysis.decomposition, analysis.data
        )
    path = Path(spec)
    if path.is_file() or (path / ANALYSIS_FILE).is_file():
        stored = load_analysis(path)
        return Snapshot(spec, stored.project, stored.graph, stored.decomposition, stored.data, stored.history)
    if not path.exists():
        raise InputError(
            f"{spec} does not exist (a side is an analysis folder, its analysis.json, a folder of code, "
            "or with --repo a git revision)"
        )
    code_config, _ = load_config(path)
    analysis = analyze(replace(code_config, jobs=config.jobs, cache_dir=config.cache_dir), progress=progress)
    return Snapshot(
        spec, analysis.project, analysis.graph, analysis.decomposition, analysis.data, analysis.history
    )


# ------------------------------------------------------------------------------ baseline


@dataclass(frozen=True)
class BaselineCheck:
    """Today's analysis measured with a baseline's services, and the gate's verdict."""

    baseline: Baseline
    figures: tuple[MetricDelta, ...]  # every overall figure: the baseline's, today's
    placed: tuple[Placement, ...]  # modules new since the baseline, and the service each joined
    removed: tuple[ModuleName, ...]  # modules of the baseline that are gone
    rules: tuple[Rule, ...]
    violations: tuple[Violation, ...]

    @property
    def passed(self) -> bool:
        return not self.violations


def check_baseline(
    analysis: Analysis, baseline: Baseline, rules: tuple[Rule, ...] | None = None
) -> BaselineCheck:
    """Measure ``analysis`` with ``baseline``'s service assignment (modules matched by
    name; new ones join the service they couple to most) and check ``rules`` (by default
    the config's ``fail_on``, else every regression beyond its ``regression_tolerance``)."""
    if rules is None:
        rules = analysis.config.gate_rules() or (
            parse_rule(REGRESSIONS, analysis.config.regression_tolerance),
        )
    known = baseline.assignment()
    kinds = baseline.kinds()
    names_only = [NamedModule(name) for name in known]
    assignment, matches, placed = carry_assignment(names_only, known, kinds, analysis.graph)
    kinds = {**kinds, **{s: "domain" for s in set(assignment.values()) if s not in kinds}}
    today = measure(
        analysis.graph,
        assigned_services(analysis.graph, assignment, kinds, analysis.data),
        analysis.data,
        history=analysis.history,
    )
    before, after = baseline.values(), today.overall.values()
    figures = tuple(MetricDelta(n, before[n], after[n], OverallMetrics.BETTER[n]) for n in after if n in before)
    matched = {m.before for m in matches}
    return BaselineCheck(
        baseline=baseline,
        figures=figures,
        placed=placed,
        removed=tuple(sorted(m for m in known if m not in matched)),
        rules=tuple(rules),
        violations=check(rules, after, before),
    )
