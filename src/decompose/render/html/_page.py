"""Assemble ``index.html`` from an ``Analysis``: the view the template shows, the data the
script reads, the inline SVG and charts, and the Content-Security-Policy that pins it all."""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from markupsafe import Markup

from decompose._version import __version__
from decompose.api import Analysis
from decompose.history import HistoryOptions
from decompose.metrics import NED_BOUNDS
from decompose.model import (
    AuthorElsewhere,
    Hotspot,
    OverallMetrics,
    Service,
    ServiceHotspots,
    ServiceMetrics,
    ServiceModule,
    ServiceOwnership,
    Severity,
    Tie,
)
from decompose.render.html import _charts, _edit, _svg
from decompose.render.html._colors import service_colors

__all__ = ["report_html", "CSV_FILES", "HISTORY_CSV"]

# The CSV files (written by ``render.tables`` beside index.html) that the Metrics section's
# tables link to, by table.
CSV_FILES = {"overall": "metrics.csv", "services": "services.csv", "modules": "modules.csv"}
HISTORY_CSV = "history.csv"  # the History section's, written only when there is history


def report_html(analysis: Analysis, charts: Sequence[_charts.Chart] | None = None) -> bytes:
    """The report as one self-contained HTML page (UTF-8). Same analysis, same bytes.

    ``charts`` are those of ``chart_jobs(analysis)`` drawn already (by ``draw_charts``, in
    another process, say); without them they are drawn here."""
    view = _view(analysis, charts)
    style = _asset("report.css") + _color_classes(view.colors)
    script = "".join(_asset(name) for name in _edit.SCRIPTS)
    page = _template().render(
        view=view,
        style=Markup(style),
        script=Markup(script),
        data=Markup(_script_json(view.data)),
        policy=_content_security_policy(style, script),
        version=__version__,
    )
    return page.encode("utf-8", "backslashreplace")


# ------------------------------------------------------------------------------ the view


class Figure(NamedTuple):
    label: str
    value: str
    meaning: str


class ServiceRow(NamedTuple):
    index: int
    name: str
    kind: str
    color: str
    lines: int
    modules: int
    api: int
    entities: int
    depends_on: str  # the heaviest dependencies, as text


class Cell(NamedTuple):
    value: int
    heat: int  # 0 (none) .. 8 (heaviest), a CSS class
    own: bool  # on the diagonal: uses inside the service


class CycleView(NamedTuple):
    services: tuple[tuple[str, int], ...]  # (name, service index), in order
    edges: tuple[tuple[str, str, int, bool], ...]  # (source, target, uses, in the cheapest cut)
    cut_uses: int


class Conflict(NamedTuple):
    entity: str
    owner: str
    owner_index: int
    users: tuple[tuple[str, int, int], ...]  # (service, service index, uses)


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


class ServiceMetricsRow(NamedTuple):
    color: int  # the service's colour class, -1 for a service that is not the proposal's
    metrics: ServiceMetrics


class Warning_(NamedTuple):
    path: str
    line: str
    code: str
    severity: str
    message: str


class ChangeRow(NamedTuple):
    """A proposed service's changesets, and those that changed another service too."""

    index: int  # its colour class, -1 for a service that is not the proposal's
    name: str
    commits: int
    crossing: int
    ratio: float | None  # crossing / commits; None without commits
    share: str  # the ratio, as shown


class OwnershipRow(NamedTuple):
    index: int
    ownership: ServiceOwnership
    concentration: str  # as shown; "" without commits


class ElsewhereRow(NamedTuple):
    index: int  # the module's service
    elsewhere_index: int  # the service its main author works in most
    module: AuthorElsewhere


class HotspotRow(NamedTuple):
    rank: int
    index: int
    hotspot: Hotspot


class LoadRow(NamedTuple):
    index: int
    load: ServiceHotspots
    share: str


@dataclass(frozen=True)
class HistoryView:
    """The History section: what git says about the proposal."""

    commits: int  # commits read
    truncated: bool
    max_commits: int
    head: str  # the commit read from, shortened
    changesets: int  # changesets measured (those over the size limit left out)
    max_changeset: int
    months: int  # the authors' window, 0: all history
    authors_recorded: bool  # False with --authors none
    deployability: tuple[Comparison, ...]  # today's packages against the proposal
    services: tuple[ChangeRow, ...]
    matrix: tuple[tuple[Cell, ...], ...]  # the proposal's services, changesets changing both
    ownership: tuple[OwnershipRow, ...]
    elsewhere: tuple[ElsewhereRow, ...]
    hotspots: tuple[HotspotRow, ...]
    chart: _charts.Chart | None
    loads: tuple[LoadRow, ...]
    csv: str


@dataclass(frozen=True)
class _View:
    project: str
    method: str
    colors: tuple[str, ...]
    figures: tuple[Figure, ...]
    headline: tuple[Comparison, ...]
    packages: int  # services of today's package structure
    services: tuple[ServiceRow, ...]
    service_map: Markup
    matrix: tuple[tuple[Cell, ...], ...]
    module_matrix: Markup
    module_count: int
    matrix_limit: int
    cycles: tuple[CycleView, ...]
    cycle_count: int  # all of them: the services stage lists the 50 shortest, by name
    conflicts: tuple[Conflict, ...]
    owned: tuple[tuple[ServiceRow, tuple[str, ...]], ...]
    unowned_services: int
    charts: tuple[_charts.Chart, ...]
    overall: tuple[OverallRow, ...]
    proposed_services: tuple[ServiceMetricsRow, ...]
    current_services: tuple[ServiceMetricsRow, ...]
    csv: dict[str, str]
    warnings: tuple[Warning_, ...]
    notes: tuple[Warning_, ...]
    excluded: tuple[tuple[str, str], ...]
    data: dict
    history: HistoryView | None = None


def _view(analysis: Analysis, charts: Sequence[_charts.Chart] | None = None) -> _View:
    graph = analysis.graph
    services = analysis.decomposition.services
    names = [s.name for s in services]
    index_of = {name: i for i, name in enumerate(names)}
    colors = service_colors(names, [s.kind for s in services])
    home = {m.name: index_of[s.name] for s in services for m in s.modules}

    # Uses between services, for the map and the matrix: the services stage's dependencies.
    links = {(index_of[s.name], index_of[d.service]): d.weight for s in services for d in s.depends_on}
    # Uses inside each service (the matrix's diagonal): the metrics stage's internal weight.
    inside = {
        index_of[m.name]: m.internal_weight for m in analysis.metrics.proposed.services if m.name in index_of
    }
    # Module pairs with the weight of every kind of use between them: no figure, only the
    # graph's edges as the module matrix and the drill-down into a matrix cell show them.
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for edge in graph.edges:
        pairs[(edge.source, edge.target)] += edge.weight
    rows = tuple(
        ServiceRow(
            i,
            s.name,
            s.kind,
            colors[i],
            s.lines,
            len(s.modules),
            len(s.api),
            len(s.entities),
            ", ".join(f"{d.service} ({d.weight:,})" for d in s.depends_on[:3]),
        )
        for i, s in enumerate(services)
    )
    # The link each cycle's cheapest cut removes: red on the map.
    cut_links = {
        (home[c.cheapest_cut[0].source], home[c.cheapest_cut[0].target])
        for c in analysis.decomposition.cycles
        if c.cheapest_cut and c.cheapest_cut[0].source in home and c.cheapest_cut[0].target in home
    }
    map_svg = _svg.service_map_svg(
        [_svg.MapService(s.name, s.kind, s.lines, len(s.modules), colors[i]) for i, s in enumerate(services)],
        links,
        cut_links,
    )
    ordered = [(m.name, i) for i, s in enumerate(services) for m in sorted(s.modules, key=lambda m: m.name)]
    position = {name: k for k, (name, _) in enumerate(ordered)}
    module_matrix = Markup("")
    if len(ordered) <= _svg.MODULE_MATRIX_LIMIT:
        cells = {
            (position[s], position[t]): w for (s, t), w in pairs.items() if s in position and t in position
        }
        module_matrix = _svg.module_matrix_svg(ordered, colors, names, cells)
    if charts is None:
        charts = _charts.draw_charts(_chart_jobs(analysis, names, colors, links))
    charts = tuple(charts)
    hotspot_chart = None
    if _hotspot_job(analysis, index_of, colors) is not None:  # drawn last
        charts, hotspot_chart = charts[:-1], charts[-1]

    return _View(
        project=analysis.project,
        method=analysis.decomposition.method,
        colors=tuple(colors),
        figures=_figures(analysis),
        headline=_headline(analysis),
        packages=analysis.metrics.current.overall.services,
        services=rows,
        service_map=map_svg,
        matrix=_matrix(len(services), links, inside),
        module_matrix=module_matrix,
        module_count=len(ordered),
        matrix_limit=_svg.MODULE_MATRIX_LIMIT,
        cycles=_cycles(analysis, index_of),
        cycle_count=analysis.metrics.proposed.overall.cycles,
        conflicts=tuple(
            Conflict(
                c.entity,
                c.owner,
                index_of[c.owner],
                tuple((s, index_of[s], n) for s, n in c.users),
            )
            for c in analysis.decomposition.conflicts
        ),
        owned=tuple((rows[i], s.entities) for i, s in enumerate(services) if s.entities),
        unowned_services=sum(1 for s in services if not s.entities),
        charts=charts,
        overall=_overall(analysis),
        proposed_services=tuple(
            ServiceMetricsRow(index_of.get(m.name, -1), m) for m in analysis.metrics.proposed.services
        ),
        current_services=tuple(ServiceMetricsRow(-1, m) for m in analysis.metrics.current.services),
        csv=CSV_FILES,
        warnings=tuple(_warning(d) for d in analysis.diagnostics if d.severity is Severity.WARNING),
        notes=tuple(_warning(d) for d in analysis.diagnostics if d.severity is not Severity.WARNING),
        excluded=tuple((x.path, x.reason) for x in analysis.excluded),
        data=_data(analysis, colors, index_of, pairs),
        history=_history(analysis, index_of, hotspot_chart),
    )


def _history(analysis: Analysis, index_of: dict[str, int], chart: _charts.Chart | None) -> HistoryView | None:
    """The History section's rows, from the history, the metrics and the ownership and
    hotspots measured; None without history."""
    history, report = analysis.history, analysis.history_report
    if history is None or report is None:
        return None
    options = HistoryOptions(**dict(analysis.config.history_options))
    proposed = analysis.metrics.proposed
    changes = []
    for s in proposed.services:
        commits, crossing = s.commits or 0, s.crossing_commits or 0
        ratio = crossing / commits if commits else None
        share = f"{ratio:.0%}" if ratio is not None else ""
        changes.append(ChangeRow(index_of.get(s.name, -1), s.name, commits, crossing, ratio, share))
    count = len(analysis.decomposition.services)
    together: dict[tuple[int, int], int] = {}
    for a, b, shared in proposed.shared_commits:
        if a in index_of and b in index_of:
            together[(index_of[a], index_of[b])] = together[(index_of[b], index_of[a])] = shared
    own = {row.index: row.commits for row in changes if row.index >= 0}
    total_load = sum(s.load for s in report.service_hotspots)
    return HistoryView(
        commits=history.commits,
        truncated=history.truncated,
        max_commits=options.max_commits,
        head=history.head[:12],
        changesets=len(history.changesets),
        max_changeset=options.max_changeset,
        months=options.months_of_authors,
        authors_recorded=analysis.config.history_authors != "none",
        deployability=tuple(row for row in _headline(analysis) if row.name == "cross_service_commits"),
        services=tuple(changes),
        matrix=_matrix(count, together, own),
        ownership=tuple(
            OwnershipRow(
                index_of.get(o.service, -1),
                o,
                f"{o.concentration:.0%}" if o.concentration is not None else "",
            )
            for o in report.ownership
        ),
        elsewhere=tuple(
            ElsewhereRow(index_of.get(e.service, -1), index_of.get(e.elsewhere, -1), e)
            for o in report.ownership
            for e in o.elsewhere
        ),
        hotspots=tuple(
            HotspotRow(rank, index_of.get(h.service, -1), h) for rank, h in enumerate(report.hotspots, 1)
        ),
        chart=chart,
        loads=tuple(
            LoadRow(index_of.get(s.service, -1), s, _share(s.share) if total_load else "")
            for s in report.service_hotspots
        ),
        csv=HISTORY_CSV,
    )


def _figures(analysis: Analysis) -> tuple[Figure, ...]:
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


def _headline(analysis: Analysis) -> tuple[Comparison, ...]:
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


def _share(value: float) -> str:
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


def _overall(analysis: Analysis) -> tuple[OverallRow, ...]:
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


def _matrix(count: int, links: dict[tuple[int, int], int], inside: dict[int, int]) -> tuple:
    heaviest = max(links.values(), default=0)

    def heat(value: int) -> int:
        """1 (lightest) to 8 (heaviest) on a log scale; 0 for none."""
        if value <= 0:
            return 0
        return 8 if heaviest <= 1 else 1 + min(7, int(7 * math.log(value) / math.log(heaviest)))

    return tuple(
        tuple(
            Cell(inside.get(row, 0), 0, True)
            if row == column
            else Cell(links.get((row, column), 0), heat(links.get((row, column), 0)), False)
            for column in range(count)
        )
        for row in range(count)
    )


def _cycles(analysis: Analysis, index_of: dict[str, int]) -> tuple[CycleView, ...]:
    views = []
    for cycle in analysis.decomposition.cycles:
        cut = {(e.source, e.target) for e in cycle.cheapest_cut}
        edges = sorted(
            cycle.edges, key=lambda e: ((e.source, e.target) not in cut, -e.weight, e.source, e.target)
        )
        views.append(
            CycleView(
                tuple((s, index_of[s]) for s in cycle.services),
                tuple((e.source, e.target, e.weight, (e.source, e.target) in cut) for e in edges),
                sum(e.weight for e in cycle.cheapest_cut),
            )
        )
    return tuple(views)


def chart_jobs(analysis: Analysis) -> tuple[_charts.ChartJob, ...]:
    """The report's charts, to draw with ``draw_charts``: small picklable values."""
    services = analysis.decomposition.services
    names = [s.name for s in services]
    index_of = {name: i for i, name in enumerate(names)}
    colors = service_colors(names, [s.kind for s in services])
    links = {(index_of[s.name], index_of[d.service]): d.weight for s in services for d in s.depends_on}
    return _chart_jobs(analysis, names, colors, links)


def _chart_jobs(analysis, names, colors, links) -> tuple[_charts.ChartJob, ...]:
    """The Charts section's, then the History section's hotspot chart when there is one."""
    index_of = {name: i for i, name in enumerate(names)}
    hotspots = _hotspot_job(analysis, index_of, colors)
    return _general_chart_jobs(analysis, names, colors, links) + ((hotspots,) if hotspots is not None else ())


def _hotspot_job(analysis, index_of: dict[str, int], colors) -> _charts.ChartJob | None:
    report = analysis.history_report
    if report is None or not report.hotspots:
        return None
    return _charts.ChartJob(
        "hotspot_chart",
        (
            tuple(h.module for h in report.hotspots),
            tuple(h.score for h in report.hotspots),
            tuple(colors[index_of[h.service]] if h.service in index_of else _UNPLACED for h in report.hotspots),
        ),
    )


_UNPLACED = "#8a94a6"  # the colour of a module the proposal does not place


def _general_chart_jobs(analysis, names, colors, links) -> tuple[_charts.ChartJob, ...]:
    services = analysis.decomposition.services
    if not services:
        return ()
    count = len(services)
    matrix = [[links.get((r, c), 0) if r != c else 0 for c in range(count)] for r in range(count)]
    confidence = [m.confidence for s in services for m in s.modules]
    modules = analysis.metrics.proposed.modules
    job = _charts.ChartJob
    return (
        job("service_size_chart", (tuple(names), tuple(s.lines for s in services), tuple(colors))),
        job("coupling_heatmap", (tuple(names), tuple(tuple(row) for row in matrix))),
        job(
            "distribution_chart",
            (
                "Module sizes",
                "Lines per module, on a log scale.",
                tuple(m.lines for m in analysis.graph.modules),
                "lines (log scale)",
                True,
            ),
        ),
        job(
            "distribution_chart",
            (
                "How sure the proposal is of each module",
                "Confidence: the share of a module's coupling that stays inside its service. Modules near 0 "
                "could as well go elsewhere.",
                tuple(confidence),
                "confidence",
            ),
        ),
        job(
            "coupling_scatter_chart",
            (
                tuple((m.module, m.afferent, m.efferent) for m in modules if m.instability is not None),
                sum(1 for m in modules if m.instability is None),
            ),
        ),
    )


def _figure(value: float | None) -> str:
    """A metric as the CSV files hold it: whole numbers with thousands separators, ratios to
    4 decimals (as measured); empty for none."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _warning(diagnostic) -> Warning_:
    return Warning_(
        diagnostic.path,
        str(diagnostic.line) if diagnostic.line else "",
        diagnostic.code,
        diagnostic.severity.value,
        diagnostic.message,
    )


# ------------------------------------------------------------------------------ the script's data


def _data(analysis: Analysis, colors: list[str], index_of: dict[str, int], pairs: dict) -> dict:
    """What the script needs to build the per-service pages and the matrix's drill-down,
    kept lean: modules are referred to by index."""
    modules = analysis.graph.modules
    module_index = {m.name: i for i, m in enumerate(modules)}
    home = {m.name: index_of[s.name] for s in analysis.decomposition.services for m in s.modules}
    packages = [s.name for s in analysis.metrics.current.services]
    package_index = {name: i for i, name in enumerate(packages)}
    measured = {m.module: m for m in analysis.metrics.proposed.modules}
    package = {m.module: package_index[m.service] for m in analysis.metrics.current.modules}
    tie_kinds = sorted(
        {
            t.kind
            for s in analysis.decomposition.services
            for m in s.modules
            for t in (*m.ties, *m.runner_up_ties)
        }
    )
    kind_index = {kind: i for i, kind in enumerate(tie_kinds)}
    return {
        "project": analysis.project,
        "modules": [[m.name, m.path, m.lines, home.get(m.name, -1)] for m in modules],
        # Per module, in the order of "modules": its package today, then its metrics.
        "packages": packages,
        "metrics": [_module_metrics(measured[m.name], package[m.name]) for m in modules],
        # The kinds of signal a module's placement evidence names, referred to by index.
        "tie_kinds": tie_kinds,
        "services": [
            _service_data(s, colors[i], index_of, module_index, kind_index)
            for i, s in enumerate(analysis.decomposition.services)
        ],
        "pairs": [
            [module_index[s], module_index[t], w]
            for (s, t), w in sorted(pairs.items())
            if s in module_index and t in module_index
        ],
        "moves": [
            [module_index.get(m.module, -1), m.symbol, index_of[m.from_service], index_of[m.to_service]]
            + [m.uses_by_target, m.uses_by_home]
            for m in analysis.decomposition.symbol_moves
        ],
        "edit": _edit.edit_data(analysis, module_index),  # what the page's editor reads
    }


def _module_metrics(m, package: int) -> list:
    """[package, Ca, Ce, I, A, D, complexity, max complexity]; I and D null without coupling."""
    return [
        package,
        m.afferent,
        m.efferent,
        m.instability,
        m.abstractness,
        m.distance,
        m.complexity,
        m.max_complexity,
    ]


def _service_data(
    service: Service,
    color: str,
    index_of: dict[str, int],
    module_index: dict[str, int],
    kind_index: dict[str, int],
) -> dict:
    return {
        "name": service.name,
        "kind": service.kind,
        "color": color,
        "lines": service.lines,
        "modules": [_module_data(m, index_of, module_index, kind_index) for m in service.modules],
        "api": [
            [
                module_index[a.module],
                a.symbol,
                a.kind,
                a.signature,
                a.doc,
                a.uses,
                [[index_of[c.service], module_index[c.module], c.line] for c in a.callers],
            ]
            for a in service.api
        ],
        "depends": [[index_of[d.service], d.weight, [list(k) for k in d.kinds]] for d in service.depends_on],
        "entities": list(service.entities),
    }


def _module_data(
    module: ServiceModule, index_of: dict[str, int], module_index: dict[str, int], kind_index: dict[str, int]
) -> list:
    """[module, confidence], and when it has placement evidence: its ties here, the runner-up
    service (-1: none), its ties there, and the two sums. A tie is [module, kind, weight]; a
    module the page does not know (from a hand-edited analysis.json) is -1, shown as "?"."""
    entry: list = [module_index[module.name], round(module.confidence, 3)]
    weighed = module.ties or module.runner_up_ties or module.own_weight or module.runner_up_weight
    if module.runner_up is None and not weighed:
        return entry
    runner_up = -1 if module.runner_up is None else index_of.get(module.runner_up, -1)
    return [
        *entry,
        [_tie_data(t, module_index, kind_index) for t in module.ties],
        runner_up,
        [_tie_data(t, module_index, kind_index) for t in module.runner_up_ties],
        round(module.own_weight, 4),
        round(module.runner_up_weight, 4),
    ]


def _tie_data(tie: Tie, module_index: dict[str, int], kind_index: dict[str, int]) -> list:
    return [module_index.get(tie.module, -1), kind_index[tie.kind], round(tie.weight, 4)]


def _script_json(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no character of it can close
    the element or start markup (ASCII only, so U+2028/9 are escaped too)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ------------------------------------------------------------------------------ assets


def _color_classes(colors: Sequence[str]) -> str:
    """``.c<i>``: service i's colour, for swatches and tags."""
    return "".join(f"\n.swatch.c{i} {{ background: {color}; }}" for i, color in enumerate(colors)) + "\n"


def _content_security_policy(style: str, script: str) -> str:
    """Nothing is fetched (``default-src 'none'``); only this page's own script and style run,
    by hash; images only from ``data:`` (the charts)."""
    return (
        "default-src 'none'; "
        f"script-src '{_sha256(script)}'; "
        f"style-src '{_sha256(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@cache
def _asset(name: str) -> str:
    text = resources.files("decompose.render.html").joinpath("assets", name).read_text(encoding="utf-8")
    if name != "report.html.j2" and "</" in text:
        raise AssertionError(f"{name} must not contain '</': it is inlined in the page")
    return text


@cache
def _template():
    from jinja2 import Environment, StrictUndefined

    environment = Environment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["thousands"] = lambda n: f"{n:,}"
    environment.filters["figure"] = _figure
    environment.filters["change"] = lambda n: ("+" if n > 0 else "") + _figure(n)
    return environment.from_string(_asset("report.html.j2"))
