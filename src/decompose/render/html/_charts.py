"""Charts drawn with matplotlib as SVG, embedded as ``data:`` images (their ids and styles
stay out of the page's, and the page's policy allows images from ``data:`` only).

Same figures, same bytes: the SVG hash salt is fixed and no date is written.
"""

from __future__ import annotations

import base64
import functools
import io
import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from decompose._stage_cache import StageCache, fingerprint

__all__ = [
    "Chart",
    "ChartJob",
    "draw_charts",
    "service_size_chart",
    "coupling_heatmap",
    "distribution_chart",
    "coupling_scatter_chart",
    "hotspot_chart",
]

_TEXT = "#1f2933"
_GRID = "#d9dee5"
_SETTINGS = {
    "svg.hashsalt": "decompose",  # stable ids: same figure, same bytes
    "svg.fonttype": "none",  # text as text: smaller, and drawn in the reader's fonts
    "text.parse_math": False,  # a "$" in a name is a dollar sign
    "font.family": "sans-serif",
    "font.size": 9,
    "text.color": _TEXT,
    "axes.labelcolor": _TEXT,
    "xtick.color": _TEXT,
    "ytick.color": _TEXT,
}


def _styled(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """Draw and save under the report's settings, leaving the global ones as they were."""

    @functools.wraps(draw)
    def styled(*args, **kwargs) -> Chart:
        import matplotlib

        with matplotlib.rc_context(_SETTINGS):
            return draw(*args, **kwargs)

    return styled


class Chart(NamedTuple):
    title: str
    caption: str
    data_uri: str


class ChartJob(NamedTuple):
    """One chart to draw: the name of one of this module's chart functions and its arguments.
    Plain values, so that another process can draw it. ``cache``: the stage cache's folder,
    where a chart drawn once is kept under a hash of its name and arguments (None: none)."""

    chart: str
    args: tuple
    cache: str | None = None


def draw_charts(jobs: Sequence[ChartJob]) -> tuple[Chart, ...]:
    """Draw each job, in order; a job with a cache draws only what the cache does not hold
    (the charts of other inputs leave it)."""
    keys = [fingerprint("chart", job.chart, job.args) if job.cache else None for job in jobs]
    charts = []
    for job, key in zip(jobs, keys, strict=True):
        store = StageCache(Path(job.cache)) if job.cache else None
        chart = store.get("chart", key, Chart) if store is not None else None
        if chart is None:
            chart = _draw(job)
            if store is not None:
                store.put("chart", key, chart, keep=[k for k in keys if k is not None])
        charts.append(chart)
    return tuple(charts)


def _draw(job: ChartJob) -> Chart:
    drawers = {
        "service_size_chart": service_size_chart,
        "coupling_heatmap": coupling_heatmap,
        "distribution_chart": distribution_chart,
        "coupling_scatter_chart": coupling_scatter_chart,
        "hotspot_chart": hotspot_chart,
    }
    return drawers[job.chart](*job.args)


@_styled
def service_size_chart(names: Sequence[str], lines: Sequence[int], colors: Sequence[str]) -> Chart:
    """Horizontal bars of lines per service, largest on top."""
    figure, axes = _figure(width=6.4, height=0.8 + 0.32 * len(names))
    order = sorted(range(len(names)), key=lambda i: (lines[i], names[i]))
    axes.barh([_short(names[i]) for i in order], [lines[i] for i in order], color=[colors[i] for i in order])
    largest = max(lines, default=0)
    for position, index in enumerate(order):
        axes.text(lines[index] + largest * 0.01, position, f"{lines[index]:,}", va="center", fontsize=8)
    axes.set_xlabel("lines of code")
    axes.set_xlim(0, largest * 1.15 or 1)
    axes.grid(axis="x", color=_GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    return Chart("Service sizes", "Lines of code in each proposed service.", _svg(figure))


@_styled
def coupling_heatmap(names: Sequence[str], matrix: Sequence[Sequence[int]]) -> Chart:
    """Cross-service uses, row service using column service, on a log colour scale."""
    from matplotlib.colors import LogNorm

    count = len(names)
    side = min(9.0, 2.2 + 0.38 * count)
    figure, axes = _figure(width=side + 1.2, height=side)
    values = [[value if value > 0 else math.nan for value in row] for row in matrix]
    largest = max((v for row in matrix for v in row), default=1) or 1
    image = axes.imshow(values, cmap="Reds", norm=LogNorm(vmin=1, vmax=max(largest, 2)), aspect="equal")
    labels = [_short(n) for n in names]
    axes.set_xticks(range(count), labels, rotation=60, ha="right", fontsize=8)
    axes.set_yticks(range(count), labels, fontsize=8)
    axes.set_xlabel("used service")
    axes.set_ylabel("using service")
    if count <= 16:
        for row in range(count):
            for column in range(count):
                if matrix[row][column]:
                    dark = matrix[row][column] > math.sqrt(largest)
                    axes.text(
                        column,
                        row,
                        f"{matrix[row][column]:,}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if dark else _TEXT,
                    )
    for spine in axes.spines.values():
        spine.set_visible(False)
    bar = figure.colorbar(image, ax=axes, shrink=0.7, label="uses (log scale)")
    bar.ax.yaxis.set_major_formatter(_plain_numbers())
    bar.ax.yaxis.set_minor_formatter(_no_labels())
    return Chart(
        "Coupling between services",
        "How often code in the row's service uses code in the column's service. "
        "An empty row and column means a service stands alone.",
        _svg(figure),
    )


@_styled
def distribution_chart(
    title: str, caption: str, values: Sequence[float], xlabel: str, log: bool = False
) -> Chart:
    """A histogram of ``values``."""
    figure, axes = _figure(width=5.2, height=2.8)
    data = [v for v in values if not (log and v <= 0)]
    if data:
        if log:
            low, high = min(data), max(data)
            bins = [low * (high / low) ** (i / 24) for i in range(25)] if high > low else 10
            axes.set_xscale("log")
            axes.xaxis.set_major_formatter(_plain_numbers())
            axes.xaxis.set_minor_formatter(_no_labels())
        else:
            bins = 20
        axes.hist(data, bins=bins, color="#3366cc", edgecolor="white", linewidth=0.5)
    axes.set_xlabel(xlabel)
    axes.set_ylabel("modules")
    axes.yaxis.set_major_locator(_whole_numbers())
    axes.grid(axis="y", color=_GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    return Chart(title, caption, _svg(figure))


@_styled
def coupling_scatter_chart(modules: Sequence[tuple[str, int, int]], uncoupled: int) -> Chart:
    """Modules (name, afferent Ca, efferent Ce) by Ca across and Ce up, on log scales; the
    most depended on named. Modules at the same point share one dot, larger with more."""
    figure, axes = _figure(width=5.6, height=4.2)
    counts = Counter((ca, ce) for _, ca, ce in modules)
    largest = max(counts.values(), default=1)
    # One scatter per dot size: matplotlib's SVG then defines each size's marker once.
    classes = sorted({_dot_class(n) for n in counts.values()})
    for size in classes:
        spots = sorted(point for point, n in counts.items() if _dot_class(n) == size)
        axes.scatter(
            [x for x, _ in spots],
            [y for _, y in spots],
            s=_dot_area(size, _dot_class(largest)),
            color="#3366cc",
            alpha=0.5,
            edgecolors="white",
            linewidths=0.5,
            zorder=2,
        )
    top = max((max(ca, ce) for _, ca, ce in modules), default=1)
    axes.plot([0, top * 1.3], [0, top * 1.3], color="#8a94a6", linestyle="--", linewidth=0.8, zorder=1)
    hubs = sorted(modules, key=lambda m: (-m[1], m[0]))[:6]
    tangled = sorted(modules, key=lambda m: (-m[2], m[0]))[:3]
    named = {m[0]: m for m in (*hubs, *tangled) if m[1] + m[2] > 0}
    for name, ca, ce in sorted(named.values()):
        axes.annotate(
            _short(name, 34), (ca, ce), xytext=(-4, 4), textcoords="offset points", ha="right", fontsize=7
        )
    axes.set_xscale("symlog", linthresh=1)
    axes.set_yscale("symlog", linthresh=1)
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_formatter(_plain_numbers())
        axis.set_minor_formatter(_no_labels())
    axes.set_xlim(-0.3, top * 1.5)
    axes.set_ylim(-0.3, top * 1.5)
    axes.set_xlabel("modules that depend on it: afferent coupling Ca (log scale)")
    axes.set_ylabel("modules it depends on: efferent Ce (log scale)")
    axes.grid(color=_GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    left_out = f" {uncoupled:,} modules with no coupling at all are left out." if uncoupled else ""
    return Chart(
        "Who depends on whom",
        "Each dot is a module (a bigger dot: more modules at the same point), placed by how many "
        "modules depend on it and how many it depends on. Below the dashed line (instability I "
        "under 0.5), modules that more depend on than they depend on: the further right, the more "
        "every change to them ripples, so they belong in a stable API or the shared kernel. Above "
        "it, modules that are free to change. The most depended on are named." + left_out,
        _svg(figure),
    )


@_styled
def hotspot_chart(modules: Sequence[str], scores: Sequence[int], colors: Sequence[str]) -> Chart:
    """Horizontal bars of each module's hotspot score (churn × complexity), the hottest on
    top, coloured by service; ``modules`` in that order already."""
    figure, axes = _figure(width=7.2, height=0.8 + 0.3 * len(modules))
    positions = range(len(modules) - 1, -1, -1)  # the first on top
    axes.barh(list(positions), list(scores), color=list(colors))
    axes.set_yticks(list(positions), [_short(name, 44) for name in modules], fontsize=8)
    axes.set_ylim(-0.6, len(modules) - 0.4)
    largest = max(scores, default=0)
    for position, score in zip(positions, scores, strict=True):
        axes.text(score + largest * 0.01, position, f"{score:,}", va="center", fontsize=8)
    axes.set_xlabel("churn × complexity")
    axes.set_xlim(0, largest * 1.18 or 1)
    axes.xaxis.set_major_formatter(_compact_numbers())
    axes.grid(axis="x", color=_GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    return Chart(
        "The hottest modules",
        "The modules whose lines changed most, weighted by how complex they are (McCabe's complexity "
        "summed over their functions): where change is most expensive. Coloured by service.",
        _svg(figure),
    )


def _dot_class(count: int) -> int:
    """0 for one module, 1 for two or three, 2 for up to 9, 3 for up to 27, ..."""
    return 0 if count <= 1 else 1 + int(math.log(count - 0.5, 3))


def _dot_area(size: int, largest: int) -> float:
    return 14 + 220 * (size / largest if largest else 0)


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=_TEXT, labelsize=8)
    return figure, axes


def _svg(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _plain_numbers():
    """Tick labels as plain numbers ("1,000"): the report turns mathtext off, so that a "$" in
    a name stays a dollar sign, and log axes' default labels are mathtext."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else f"{value:g}")


def _compact_numbers():
    """Tick labels as "250k", "1.5M": the scores of a large project run to millions, whose
    labels in full would overlap."""
    from matplotlib.ticker import FuncFormatter

    def label(value: float, _) -> str:
        for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= size:
                return f"{value / size:g}{suffix}"
        return f"{value:g}"

    return FuncFormatter(label)


def _whole_numbers():
    """Ticks on whole numbers only: a count of modules has no 2.5."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _no_labels():
    from matplotlib.ticker import NullFormatter

    return NullFormatter()


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
