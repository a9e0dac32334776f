"""``compare.html``: a comparison as one self-contained page, with before/after charts.

Everything is inline: the style, and the charts (matplotlib SVG as ``data:`` images). The
page has no script, and its Content-Security-Policy fetches nothing and allows only its own
style by hash, so a name from the analysed code that carries markup shows as text (every
name is escaped) and could not run if it did not. Same comparison, same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import TypeVar

from decompose.api import CompareResult
from decompose.compare import CrossEdge, CycleChange
from decompose.metrics import Verdict
from decompose.render._compare_view import ComparisonView, FigureRow, comparison_view
from decompose.render._numbers import number

__all__ = ["comparison_html", "overall_chart", "services_chart"]

_BEFORE, _AFTER, _BETTER, _WORSE = "#9aa5b1", "#2f6fb0", "#2e8b57", "#c0392b"
_ROWS = 500  # rows per list on the page; compare.json holds them all
_T = TypeVar("_T")
_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2933; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d9dee5; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { padding: .2rem .6rem; text-align: left; }
th { border-bottom: 1px solid #9aa5b1; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f5f7fa; } code { font-size: .92em; }
.better { color: #1b7f3b; } .worse { color: #b42318; font-weight: 600; }
.passed { background: #e6f4ea; padding: .6rem 1rem; } .failed { background: #fdecea; padding: .6rem 1rem; }
img { max-width: 100%; height: auto; } .note { color: #52606d; }
"""


def comparison_html(result: CompareResult) -> str:
    c = comparison_view(result)
    parts = [
        f"<h1>{_e(c.project)}: {_e(c.before)} &rarr; {_e(c.after)}</h1>",
        f"<p>Both sides measured with the services of {_e(c.before)}"
        + (" and the pins of <code>[tool.decompose.pin]</code>" if c.services_from == "pinned" else "")
        + f": {c.matched} modules matched ({len(c.renamed)} renamed or moved), {len(c.placed)} new, "
        f"{len(c.removed)} removed. A change here is a change of the code, not of the clustering.</p>",
        _gate(c),
        "<h2>Overall</h2>",
        _image(overall_chart(c.overall), "Overall figures, before and after"),
        _figures(c.overall),
        "<h2>Services</h2>",
        _image(services_chart(c), "Cohesion and coupling per service, before and after"),
        _services(c),
        _edges("Cross-service dependencies removed", c.edges_removed),
        _edges("Cross-service dependencies added", c.edges_added),
        _cycles("Cycles removed", c.cycles_removed),
        _cycles("Cycles added", c.cycles_added),
        _api(c),
        _modules(c),
    ]
    body = "\n".join(part for part in parts if part)
    policy = (
        "default-src 'none'; "
        f"style-src 'sha256-{base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>decompose compare: {_e(c.project)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _gate(result: ComparisonView) -> str:
    if not result.rules:
        return '<p class="note">No gate rules (<code>--fail-on</code>, or <code>fail-on</code> in [tool.decompose]).</p>'
    if result.passed:
        rules = ", ".join(f"<code>{_e(r.text)}</code>" for r in result.rules)
        return f'<p class="passed">Gate passed: {rules}.</p>'
    items = "".join(f"<li>{_e(v.message)}</li>" for v in result.violations)
    return f'<div class="failed"><p>Gate failed:</p><ul>{items}</ul></div>'


def _figures(figures: Sequence[FigureRow]) -> str:
    rows = "".join(
        f"<tr><td>{_e(f.name)}</td><td class=n>{_e(f.before)}</td><td class=n>{_e(f.after)}</td>"
        f'<td class="n {f.verdict}">{_e(f.change)}</td><td>{_e(f.better or "")}</td></tr>'
        for f in figures
    )
    return (
        "<table><tr><th>metric</th><th class=n>before</th><th class=n>after</th><th class=n>change</th>"
        f"<th>better when</th></tr>{rows}</table>"
    )


def _services(c: ComparisonView) -> str:
    names = ("modules", "lines", "cohesion", "out_edges", "out_weight", "in_edges", "in_weight", "api_size")
    head = "".join(f"<th class=n>{_e(n.replace('_', ' '))}</th>" for n in names)
    rows = []
    for s in c.services:
        cells = "".join(_cell(s.figure(n)) for n in names)
        rows.append(f"<tr><td>{_e(s.name)}</td><td>{_e(s.kind)}</td>{cells}</tr>")
    return (
        f"<table><tr><th>service</th><th>kind</th>{head}</tr>{''.join(rows)}</table>"
        '<p class="note">Each cell: before &rarr; after when it changed. Out and in: dependencies '
        "(distinct module pairs) and uses (occurrences) crossing the service's border.</p>"
    )


def _cell(figure: FigureRow) -> str:
    if not figure.changed:
        return f"<td class=n>{_e(figure.after)}</td>"
    return f'<td class="n {figure.verdict}">{_e(figure.before)} &rarr; {_e(figure.after)}</td>'


def _edges(title: str, edges: Sequence[CrossEdge]) -> str:
    return _listed(
        title,
        edges,
        "<th>from</th><th>to</th><th>services</th><th class=n>uses</th>",
        lambda e: (
            f"<td><code>{_e(e.source)}</code></td><td><code>{_e(e.target)}</code></td>"
            f"<td>{_e(e.source_service)} &rarr; {_e(e.target_service)}</td><td class=n>{e.weight}</td>"
        ),
    )


def _cycles(title: str, cycles: Sequence[CycleChange]) -> str:
    items = "".join(
        f"<li>{_e(' → '.join((*x.services, x.services[0])))}: "
        + ", ".join(f"<code>{_e(e.source)} → {_e(e.target)}</code> ({e.weight})" for e in x.edges)
        + "</li>"
        for x in cycles[:_ROWS]
    )
    return f"<h2>{_e(title)} ({len(cycles)})</h2>" + (f"<ul>{items}</ul>" if cycles else "<p>None.</p>")


def _api(c: ComparisonView) -> str:
    rows = "".join(
        f"<tr><td>{_e(a.service)}</td><td>{a.sign}</td><td><code>{_e(a.symbol)}</code></td></tr>"
        for a in c.api
    )
    if not rows:
        return ""
    return (
        "<h2>API surface changes</h2><p class=note>Classes, functions and names other services use "
        f"(+) now and not before, (-) no longer.</p><table><tr><th>service</th><th></th><th>symbol</th></tr>{rows}</table>"
    )


def _modules(c: ComparisonView) -> str:
    parts = []
    if c.renamed:
        parts.append(
            _listed(
                "Renamed or moved",
                c.renamed,
                "<th>before</th><th>after</th><th class=n>definitions alike</th>",
                lambda m: (
                    f"<td><code>{_e(m.before)}</code></td><td><code>{_e(m.after)}</code></td>"
                    f"<td class=n>{m.similarity:.0%}</td>"
                ),
            )
        )
    if c.placed:
        parts.append(
            _listed(
                "New modules",
                c.placed,
                "<th>module</th><th>service</th><th>why</th><th class=n>uses</th>",
                lambda p: (
                    f"<td><code>{_e(p.module)}</code></td><td>{_e(p.service)}</td><td>{_e(p.reason)}</td>"
                    f"<td class=n>{p.weight}</td>"
                ),
                note="<p class=note>Each joins the service it uses and is used by most (the shared kernel "
                "only when nothing else).</p>",
            )
        )
    if c.removed:
        items = "".join(f"<li><code>{_e(m)}</code></li>" for m in c.removed[:_ROWS])
        parts.append(f"<h2>Removed ({len(c.removed)})</h2><ul>{items}</ul>{_more(len(c.removed))}")
    parts.append(
        f"<h2>The proposal on {_e(c.after)}</h2><p>Its own services are {c.proposal_agreement:g}% like these "
        f"(MoJoFM); {len(c.moves)} modules would move.</p>"
        + _table(
            c.moves,
            "<th>module</th><th>service</th><th>would join</th><th>its proposed service</th>",
            lambda m: (
                f"<td><code>{_e(m.module)}</code></td><td>{_e(m.service)}</td>"
                f"<td>{_e(m.proposed_like)}</td><td>{_e(m.proposed)}</td>"
            ),
        )
    )
    return "\n".join(parts)


def _listed(
    title: str, items: Sequence[_T], head: str, cells: Callable[[_T], str], note: str = ""
) -> str:
    """A heading with the count, ``note``, then the items' table, or "None." when there are none."""
    return f"<h2>{_e(title)} ({len(items)})</h2>{note}" + (_table(items, head, cells) or "<p>None.</p>")


def _table(items: Sequence[_T], head: str, cells: Callable[[_T], str]) -> str:
    """The first items as rows of their ``cells`` under ``head``, and how many more; "" for none."""
    if not items:
        return ""
    rows = "".join(f"<tr>{cells(item)}</tr>" for item in items[:_ROWS])
    return f"<table><tr>{head}</tr>{rows}</table>{_more(len(items))}"


def _more(total: int) -> str:
    return f'<p class="note">… and {total - _ROWS} more in compare.json.</p>' if total > _ROWS else ""


def _image(svg: bytes, alt: str) -> str:
    return f'<img alt="{_e(alt)}" src="data:image/svg+xml;base64,{base64.b64encode(svg).decode("ascii")}">'


# ------------------------------------------------------------------------------ charts

_SETTINGS = {
    "svg.hashsalt": "decompose",  # stable ids: same figure, same bytes
    "svg.fonttype": "none",  # text as text
    "text.parse_math": False,  # a "$" in a service name is a dollar sign
    "font.family": "sans-serif",
    "font.size": 9,
}


def overall_chart(figures: Iterable[FigureRow]) -> bytes:
    """One small panel per overall figure (each on its own scale): before and after bars,
    the after bar green when better, red when worse."""
    import matplotlib
    from matplotlib.figure import Figure

    shown = [f for f in figures if f.better is not None]
    columns = 4
    rows = max(1, -(-len(shown) // columns))
    with matplotlib.rc_context(_SETTINGS):
        figure = Figure(figsize=(10, 2.1 * rows), layout="constrained")
        axes_grid = figure.subplots(rows, columns, squeeze=False)
        for index, axes in enumerate(axes_grid.flat):
            if index >= len(shown):
                axes.set_visible(False)
                continue
            metric = shown[index]
            values = [metric.delta.before or 0.0, metric.delta.after or 0.0]
            after_color = {Verdict.BETTER: _BETTER, Verdict.WORSE: _WORSE}.get(metric.verdict, _AFTER)
            axes.bar(["before", "after"], values, color=[_BEFORE, after_color], width=0.6)
            axes.set_title(f"{metric.name} ({metric.better} is better)", fontsize=9)
            for position, value in enumerate(values):
                axes.annotate(
                    number(value),
                    (position, value),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
            top = max(values + [0.0])
            bottom = min(values + [0.0])
            axes.set_ylim(bottom * 1.2, top * 1.2 or 1)
            axes.tick_params(labelsize=8)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
        return _svg(figure)


def services_chart(comparison: ComparisonView) -> bytes:
    """Per service: cohesion, and uses crossing its border (out + in), before and after."""
    import matplotlib
    from matplotlib.figure import Figure

    services = [s for s in comparison.services]
    names = [s.name for s in services]
    height = 1.2 + 0.32 * len(names)
    with matplotlib.rc_context(_SETTINGS):
        figure = Figure(figsize=(10, height), layout="constrained")
        left, right = figure.subplots(1, 2, sharey=True)
        positions = list(range(len(names)))
        for axes, title, pick in (
            (left, "cohesion (higher is better)", lambda s: [s.figure("cohesion")]),
            (
                right,
                "uses crossing the border (lower is better)",
                lambda s: [s.figure("out_weight"), s.figure("in_weight")],
            ),
        ):
            before = [sum(f.delta.before or 0.0 for f in pick(s)) for s in services]
            after = [sum(f.delta.after or 0.0 for f in pick(s)) for s in services]
            axes.barh([p - 0.2 for p in positions], before, height=0.4, color=_BEFORE, label="before")
            axes.barh([p + 0.2 for p in positions], after, height=0.4, color=_AFTER, label="after")
            axes.set_title(title, fontsize=9)
            axes.tick_params(labelsize=8)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
        left.set_yticks(positions, names)
        left.invert_yaxis()
        left.legend(loc="lower right", fontsize=8, frameon=False)
        return _svg(figure)


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
