"""The Overview's figures and its comparison of today's packages with the proposal, and the
Metrics section's overall table: every overall measure, labelled, shown and explained."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from decompose.api import Analysis
from decompose.metrics import OVERALL, Verdict, verdict
from decompose.model import OverallMetrics, ServiceKind

__all__ = ["Figure", "Comparison", "OverallRow", "overview_figures", "headline", "overall_rows", "percent"]


class Figure(NamedTuple):
    label: str
    value: str
    meaning: str


class Comparison(NamedTuple):
    """One measure of today's package structure beside the proposal's."""

    name: str  # the metric's stable name, as in metrics.csv
    label: str
    today: str
    proposed: str
    better: str  # "proposal", "today", "same", or "" for a measure with no better direction
    meaning: str


class OverallRow(NamedTuple):
    """A row of the Metrics section's overall table: metrics.csv's row, formatted."""

    name: str
    label: str
    proposed: float
    current: float
    change: float
    direction: str  # "higher", "lower" or ""
    better: str  # as in Comparison


def overview_figures(analysis: Analysis) -> tuple[Figure, ...]:
    """The Overview's headline figures of the proposal."""
    graph = analysis.graph
    services = analysis.decomposition.services
    measured = analysis.metrics.proposed
    lines = sum(m.lines for m in graph.modules)
    domain = [s for s in services if s.kind != ServiceKind.SHARED]
    kernel = next((s for s in services if s.kind == ServiceKind.SHARED), None)
    crossing = measured.overall.cross_weight
    total_uses = crossing + sum(s.internal_weight for s in measured.services)
    status = analysis.status_counts()
    figures = [
        Figure(
            "Project size",
            f"{len(graph.modules):,} modules, {lines:,} lines",
            f"Python files analysed; {status['partial']:,} read in part and {status['failed']:,} not at all.",
        ),
        _health(graph),
        Figure(
            "Services proposed",
            f"{len(domain):,}",
            "Groups of modules that use each other much and the rest little: candidates for a service each.",
        ),
    ]
    if kernel is not None:
        share = kernel.lines / lines if lines else 0.0
        figures.append(
            Figure(
                "Shared kernel",
                f"{len(kernel.modules):,} modules, {kernel.lines:,} lines ({share:.0%})",
                "Infrastructure most modules use (utilities, base classes): a library every service "
                "ships, not a service of its own.",
            )
        )
    figures += [
        Figure(
            "Uses across services",
            f"{crossing:,} of {total_uses:,} ({crossing / total_uses:.0%})" if total_uses else "none",
            "Imports, calls and other uses from one proposed service into another: each is a network "
            "call or a shared library after the split. Lower is better.",
        ),
        Figure(
            "API surface",
            f"{sum(len(s.api) for s in services):,} symbols",
            "Classes and functions other services use: what each service would have to publish.",
        ),
        Figure(
            "Cycles between services",
            f"{measured.overall.cycles:,}",
            "Services that depend on each other in a loop cannot be deployed one at a time; see Problems.",
        ),
        Figure(
            "Contested data",
            f"{len(analysis.decomposition.conflicts):,} of {len(analysis.decomposition.ownership):,} entities",
            "Models or tables used by services other than their owner: shared data to untangle.",
        ),
        Figure(
            "Warnings",
            f"{len(analysis.warnings):,}",
            "Files that could not be analysed, or only in part; see Warnings.",
        ),
    ]
    return tuple(figures)


def _health(graph) -> Figure:
    """How much of the graph's own imports were found: a low share means missing edges."""
    census = graph.imports
    looking = census.project + census.unknown
    roots = "; ".join(
        "the folder analysed" + ("" if r.reason == "the analysed folder" else f" ({r.reason})")
        if r.path == "."
        else f"{r.path} ({r.reason})"
        for r in graph.roots
    )
    unknown = ", ".join(name for name, _ in census.unknown_names[:5])
    return Figure(
        "Graph health",
        f"{census.resolved_share:.0%} of {looking:,} imports resolved" if looking else "no project imports",
        "Imports that look like the project's own (its modules, or names no standard-library module "
        f"or declared dependency owns) and were found in the tree. Imported from: {roots or 'the folder analysed'}."
        + (f" Not found: {unknown}." if unknown else ""),
    )


def headline(analysis: Analysis) -> tuple[Comparison, ...]:
    """The coupling measures of today's package structure beside the proposal's."""
    today = analysis.metrics.current.overall
    proposed = analysis.metrics.proposed.overall
    rows = []
    for name, show in _HEADLINE.items():
        if getattr(today, name) is None or getattr(proposed, name) is None:
            continue  # a figure of the git history, and there is none
        metric = OVERALL[name]
        before, after = show(today), show(proposed)
        rows.append(
            Comparison(
                name,
                metric.label,
                before,
                after,
                _better(name, today, proposed, before == after),
                metric.sentence,
            )
        )
    return tuple(rows)


def _better(name: str, today: OverallMetrics, proposed: OverallMetrics, look_alike: bool) -> str:
    """Which side the measure ``name`` favours: "same" when the figures as shown are equal."""
    better = OVERALL[name].better
    if better is None:
        return ""
    found = verdict(getattr(today, name), getattr(proposed, name), better)
    if look_alike or found is Verdict.SAME:
        return "same"
    return "proposal" if found is Verdict.BETTER else "today"


def percent(value: float) -> str:
    """A share as a whole percentage, "<1%" for a small one that is not none."""
    return "<1%" if 0 < value < 0.005 else f"{value:.0%}"


def _count(value: float) -> str:
    return f"{value:,.0f}"


# name -> how a decomposition's figure is shown: the Overview's comparison of today's
# packages and the proposal, in order (labels and meanings are the glossary's).
_HEADLINE: dict[str, Callable[[OverallMetrics], str]] = {
    "services": lambda o: _count(o.services),
    "modularity": lambda o: f"{o.modularity:.2f}",
    "mq": lambda o: f"{o.mq:.2f}",
    "sm": lambda o: f"{o.sm:.2f}",
    "icp": lambda o: f"{o.icp:.2f}",
    "ifn": lambda o: f"{o.ifn:.1f}",
    "ned": lambda o: f"{o.ned:.0%}",
    "cross_call_share": lambda o: f"{o.cross_call_share:.0%}",
    "cross_edges": lambda o: f"{_count(o.cross_edges)} ({_count(o.cross_weight)} uses)",
    "cycles": lambda o: f"{_count(o.cycles)} ({_count(o.cyclic_services)} services)",
    "cross_service_commits": lambda o: f"{o.cross_service_commits:.0%}",
}


def overall_rows(analysis: Analysis) -> tuple[OverallRow, ...]:
    """The Metrics section's overall table: each measure of the proposal beside today's."""
    today = analysis.metrics.current.overall
    proposed = analysis.metrics.proposed.overall
    before, after = today.values(), proposed.values()
    return tuple(
        OverallRow(
            name,
            OVERALL[name].label,
            after[name],
            before[name],
            round(after[name] - before[name], 4) + 0.0,
            OVERALL[name].better or "",
            _better(name, today, proposed, False),
        )
        for name in after
    )
