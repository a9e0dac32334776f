"""Compare two versions of a tree with one set of services, and check a run against a
frozen baseline: the library side of ``decompose compare`` and ``--baseline``."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from decompose._git import export_revision
from decompose.api._run import Analysis, ProgressCallback, analyze
from decompose.baseline import Baseline
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
from decompose.errors import ConfigError, InputError
from decompose.gate import REGRESSIONS, Rule, Violation, check, parse_rule
from decompose.metrics import measure
from decompose.model import (
    ModuleName,
    OverallMetrics,
)
from decompose.services import assigned_services
from decompose.stored import ANALYSIS_FILE, load_analysis

__all__ = ["CompareResult", "compare_sources", "BaselineCheck", "check_baseline"]


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
    if services_from == "pinned" and not config.cluster.pins:
        raise ConfigError("--services-from pinned needs [tool.decompose.pin] in the project's pyproject.toml")
    rules = config.gate.rules() if rules is None else rules
    with tempfile.TemporaryDirectory(prefix="decompose-compare-") as scratch:
        sides = []
        for role, spec in (("before", before), ("after", after)):
            stage = lambda name, done, total, role=role: (progress or _ignore)(f"{role}: {name}", done, total)  # noqa: E731
            sides.append(_snapshot(str(spec), repo, config, Path(scratch) / role, stage))
    comparison = compare(sides[0], sides[1], services_from=services_from, pins=config.cluster.pins)
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
        rules = analysis.config.gate.rules() or (
            parse_rule(REGRESSIONS, analysis.config.gate.regression_tolerance),
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
    figures = tuple(
        MetricDelta(n, before[n], after[n], OverallMetrics.BETTER[n]) for n in after if n in before
    )
    matched = {m.before for m in matches}
    return BaselineCheck(
        baseline=baseline,
        figures=figures,
        placed=placed,
        removed=tuple(sorted(m for m in known if m not in matched)),
        rules=tuple(rules),
        violations=check(rules, after, before),
    )
