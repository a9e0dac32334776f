"""The Overview's figures and its comparison of today's packages with the proposal, and the
Metrics section's overall table: every overall measure, labelled, shown and explained."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from decompose.api import Analysis
from decompose.metrics import NED_BOUNDS
from decompose.model import OverallMetrics

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
    domain = [s for s in services if s.kind != "shared"]
    kernel = next((s for s in services if s.kind == "shared"), None)
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
    for name, (label, show, meaning) in _HEADLINE.items():
        if getattr(today, name) is None or getattr(proposed, name) is None:
            continue  # a figure of the git history, and there is none
        before, after = show(today), show(proposed)
        rows.append(
            Comparison(name, label, before, after, _better(name, today, proposed, before == after), meaning)
        )
    return tuple(rows)


def _better(name: str, today: OverallMetrics, proposed: OverallMetrics, look_alike: bool) -> str:
    """Which side the measure ``name`` favours: "same" when the figures as shown are equal."""
    direction = OverallMetrics.BETTER[name]
    if direction is None:
        return ""
    before, after = getattr(today, name), getattr(proposed, name)
    if before == after or look_alike:
        return "same"
    return "proposal" if (after > before) == (direction == "higher") else "today"


def percent(value: float) -> str:
    """A share as a whole percentage, "<1%" for a small one that is not none."""
    return "<1%" if 0 < value < 0.005 else f"{value:.0%}"


def _count(value: float) -> str:
    return f"{value:,.0f}"


_LOW, _HIGH = NED_BOUNDS
# name -> (label, how a decomposition's figure is shown, what it means): the Overview's
# comparison of today's packages and the proposal, in order.
_HEADLINE: dict[str, tuple[str, Callable[[OverallMetrics], str], str]] = {
    "services": (
        "Services",
        lambda o: _count(o.services),
        "Today's packages taken as services, measured exactly like the proposal (whose count "
        "includes the shared kernel). More services is neither better nor worse, but MQ grows with it.",
    ),
    "modularity": (
        "Modularity Q",
        lambda o: f"{o.modularity:.2f}",
        "How much more of the coupling stays inside services than a random cut into services of the "
        "same sizes would keep: 0 is no better than chance; 0.3 and above is a clear structure. "
        "Higher is better.",
    ),
    "mq": (
        "MQ (TurboMQ)",
        lambda o: f"{o.mq:.2f}",
        "For each service, the share of its coupling that stays inside, added up: it grows with the "
        "number of services, so it compares fairly only decompositions of similar size. Higher is better.",
    ),
    "sm": (
        "Structural modularity SM",
        lambda o: f"{o.sm:.2f}",
        "How densely each service's modules depend on each other, minus how densely services depend "
        "on each other; from -1 to 1. Higher is better.",
    ),
    "icp": (
        "Inter-call percentage ICP",
        lambda o: f"{o.icp:.2f}",
        "The share of calls that go from one service to another, each pair of modules counted on a "
        "log scale so that one busy pair does not dominate. Lower is better.",
    ),
    "ifn": (
        "Interface number IFN",
        lambda o: f"{o.ifn:.1f}",
        "Classes and functions that each service would have to publish for the others, on average; "
        "more, smaller services each publish less. Lower is better.",
    ),
    "ned": (
        "Non-extreme distribution NED",
        lambda o: f"{o.ned:.0%}",
        f"The share of modules in services of {_LOW} to {_HIGH} modules: neither fragments nor "
        "monoliths. Higher is better.",
    ),
    "cross_call_share": (
        "Calls across services",
        lambda o: f"{o.cross_call_share:.0%}",
        "Of all the call sites from one module to another, the share that would become calls "
        "between services. Lower is better.",
    ),
    "cross_edges": (
        "Dependencies across services",
        lambda o: f"{_count(o.cross_edges)} ({_count(o.cross_weight)} uses)",
        "Pairs of modules in different services where one uses the other (in brackets, how often): "
        "each becomes an API call, an event or a shared library after the split. Lower is better.",
    ),
    "cycles": (
        "Cycles between services",
        lambda o: f"{_count(o.cycles)} ({_count(o.cyclic_services)} services)",
        "Pairs of services that use each other, and loops of three (in brackets, the services on a "
        "cycle): none of them can be released alone. Lower is better.",
    ),
    "cross_service_commits": (
        "Commits across services",
        lambda o: f"{o.cross_service_commits:.0%}",
        "Of the commits in the git history (those changing at most 30 files), the share that changed "
        "two services or more: each would have been a coordinated release. Lower is better.",
    ),
}

# Every overall measure's name in the Metrics section's table, in OverallMetrics' order.
_LABELS = {
    "services": "services",
    "modules": "modules",
    "modularity": "modularity Q (Newman)",
    "mq": "MQ (Bunch TurboMQ)",
    "sm": "structural modularity SM",
    "icp": "inter-call percentage ICP",
    "ifn": "interface number IFN: API symbols per service",
    "ned": f"non-extreme distribution NED: share of modules in services of {_LOW} to {_HIGH}",
    "cross_call_share": "share of calls across services",
    "cross_edges": "module dependencies across services",
    "cross_weight": "uses across services",
    "cycles": "cycles between services",
    "cyclic_services": "services on a cycle",
    "cross_service_commits": "share of commits changing two services or more",
}


def overall_rows(analysis: Analysis) -> tuple[OverallRow, ...]:
    """The Metrics section's overall table: each measure of the proposal beside today's."""
    today = analysis.metrics.current.overall
    proposed = analysis.metrics.proposed.overall
    before, after = today.values(), proposed.values()
    return tuple(
        OverallRow(
            name,
            _LABELS.get(name, name),
            after[name],
            before[name],
            round(after[name] - before[name], 4) + 0.0,
            OverallMetrics.BETTER[name] or "",
            _better(name, today, proposed, False),
        )
        for name in after
    )
