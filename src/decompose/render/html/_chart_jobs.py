"""Which charts the page shows, as small picklable jobs that ``draw_charts`` draws (in
another process, say), and the drawn charts sorted back into the page's sections."""

from __future__ import annotations

from collections.abc import Sequence

from decompose.api import Analysis
from decompose.render.html._charts import Chart, ChartJob, draw_charts
from decompose.render.html._index import PageIndex, page_index

__all__ = ["chart_jobs", "page_charts"]


def chart_jobs(analysis: Analysis) -> tuple[ChartJob, ...]:
    """The report's charts, to draw with ``draw_charts``: small picklable values."""
    return _chart_jobs(analysis, page_index(analysis))


def page_charts(
    analysis: Analysis, index: PageIndex, charts: Sequence[Chart] | None = None
) -> tuple[tuple[Chart, ...], Chart | None]:
    """The Charts section's charts and the History section's hotspot chart (None without
    one): ``charts`` are those of ``chart_jobs`` drawn already; without them they are drawn here."""
    if charts is None:
        charts = draw_charts(_chart_jobs(analysis, index))
    charts = tuple(charts)
    hotspot_chart = None
    if _hotspot_job(analysis, index.index_of, index.colors) is not None:  # drawn last
        charts, hotspot_chart = charts[:-1], charts[-1]
    return charts, hotspot_chart


def _chart_jobs(analysis: Analysis, index: PageIndex) -> tuple[ChartJob, ...]:
    """The Charts section's, then the History section's hotspot chart when there is one;
    kept in the analysis's stage cache when it has one."""
    hotspots = _hotspot_job(analysis, index.index_of, index.colors)
    general = _general_chart_jobs(analysis, index.names, index.colors, index.links)
    jobs = general + ((hotspots,) if hotspots is not None else ())
    cache = analysis.stage_cache
    return tuple(job._replace(cache=cache) for job in jobs) if cache is not None else jobs


def _hotspot_job(analysis, index_of: dict[str, int], colors) -> ChartJob | None:
    report = analysis.history_report
    if report is None or not report.hotspots:
        return None
    return ChartJob(
        "hotspot_chart",
        (
            tuple(h.module for h in report.hotspots),
            tuple(h.score for h in report.hotspots),
            tuple(
                colors[index_of[h.service]] if h.service in index_of else _UNPLACED for h in report.hotspots
            ),
        ),
    )


_UNPLACED = "#8a94a6"  # the colour of a module the proposal does not place


def _general_chart_jobs(analysis, names, colors, links) -> tuple[ChartJob, ...]:
    services = analysis.decomposition.services
    if not services:
        return ()
    count = len(services)
    matrix = [[links.get((r, c), 0) if r != c else 0 for c in range(count)] for r in range(count)]
    confidence = [m.confidence for s in services for m in s.modules]
    modules = analysis.metrics.proposed.modules
    job = ChartJob
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
