"""The page's view model: what ``index.html`` shows of an analysis, section by section, as
values the template lays out. Formatting of figures is here; markup is the template's (and
the SVG drawings', from ``_svg``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup

from decompose.api import Analysis
from decompose.model import ServiceMetrics, Severity
from decompose.render.html import _svg
from decompose.render.html._chart_jobs import page_charts
from decompose.render.html._charts import Chart
from decompose.render.html._figures import (
    Comparison,
    Figure,
    OverallRow,
    headline,
    overall_rows,
    overview_figures,
)
from decompose.render.html._history import HistoryView, history_view
from decompose.render.html._index import PageIndex
from decompose.render.html._matrix import Cell, service_matrix

__all__ = ["PageView", "page_view", "CSV_FILES"]

# The CSV files (written by ``render.tables`` beside index.html) that the Metrics section's
# tables link to, by table.
CSV_FILES = {"overall": "metrics.csv", "services": "services.csv", "modules": "modules.csv"}


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


class CycleView(NamedTuple):
    services: tuple[tuple[str, int], ...]  # (name, service index), in order
    edges: tuple[tuple[str, str, int, bool], ...]  # (source, target, uses, in the cheapest cut)
    cut_uses: int


class Conflict(NamedTuple):
    entity: str
    owner: str
    owner_index: int
    users: tuple[tuple[str, int, int], ...]  # (service, service index, uses)


class ServiceMetricsRow(NamedTuple):
    color: int  # the service's colour class, -1 for a service that is not the proposal's
    metrics: ServiceMetrics


class Warning_(NamedTuple):
    path: str
    line: str
    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class PageView:
    """What the page shows, section by section: values and rows, no markup but the SVG's."""

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
    charts: tuple[Chart, ...]
    overall: tuple[OverallRow, ...]
    proposed_services: tuple[ServiceMetricsRow, ...]
    current_services: tuple[ServiceMetricsRow, ...]
    csv: dict[str, str]
    warnings: tuple[Warning_, ...]
    notes: tuple[Warning_, ...]
    excluded: tuple[tuple[str, str], ...]
    history: HistoryView | None = None


def page_view(
    analysis: Analysis,
    index: PageIndex,
    pairs: dict[tuple[str, str], int],
    charts: Sequence[Chart] | None = None,
) -> PageView:
    """What the page shows of ``analysis``, section by section; ``pairs`` are the uses
    between modules (``module_pairs``), ``charts`` as for ``page_charts``."""
    services = analysis.decomposition.services
    names, index_of, colors, home = index.names, index.index_of, index.colors, index.home
    # Uses between services, for the map and the matrix: the services stage's dependencies.
    links = index.links
    # Uses inside each service (the matrix's diagonal): the metrics stage's internal weight.
    inside = {
        index_of[m.name]: m.internal_weight for m in analysis.metrics.proposed.services if m.name in index_of
    }
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
    charts, hotspot_chart = page_charts(analysis, index, charts)

    return PageView(
        project=analysis.project,
        method=analysis.decomposition.method,
        colors=tuple(colors),
        figures=overview_figures(analysis),
        headline=headline(analysis),
        packages=analysis.metrics.current.overall.services,
        services=rows,
        service_map=map_svg,
        matrix=service_matrix(len(services), links, inside),
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
        overall=overall_rows(analysis),
        proposed_services=tuple(
            ServiceMetricsRow(index_of.get(m.name, -1), m) for m in analysis.metrics.proposed.services
        ),
        current_services=tuple(ServiceMetricsRow(-1, m) for m in analysis.metrics.current.services),
        csv=CSV_FILES,
        warnings=tuple(_warning(d) for d in analysis.diagnostics if d.severity is Severity.WARNING),
        notes=tuple(_warning(d) for d in analysis.diagnostics if d.severity is not Severity.WARNING),
        excluded=tuple((x.path, x.reason) for x in analysis.excluded),
        history=history_view(analysis, index_of, hotspot_chart),
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


def _warning(diagnostic) -> Warning_:
    return Warning_(
        diagnostic.path,
        str(diagnostic.line) if diagnostic.line else "",
        diagnostic.code,
        diagnostic.severity.value,
        diagnostic.message,
    )
