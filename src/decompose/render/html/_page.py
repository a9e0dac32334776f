"""Assemble ``index.html``: the view model laid out by the template, the page's data as
inline JSON, the inline style and script, and the Content-Security-Policy that pins them."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources

from markupsafe import Markup

from decompose._version import __version__
from decompose.api import Analysis
from decompose.render.html._charts import Chart
from decompose.render.html._data import page_data, script_json
from decompose.render.html._edit import SCRIPTS
from decompose.render.html._index import module_pairs, page_index
from decompose.render.html._view import page_view

__all__ = ["report_html"]


def report_html(analysis: Analysis, charts: Sequence[Chart] | None = None) -> bytes:
    """The report as one self-contained HTML page (UTF-8). Same analysis, same bytes.

    ``charts`` are those of ``chart_jobs(analysis)`` drawn already (by ``draw_charts``, in
    another process, say); without them they are drawn here."""
    index = page_index(analysis)
    pairs = module_pairs(analysis.graph)
    view = page_view(analysis, index, pairs, charts)
    style = _asset("report.css") + _color_classes(view.colors)
    script = "".join(_asset(name) for name in SCRIPTS)
    page = _template().render(
        view=view,
        style=Markup(style),
        script=Markup(script),
        data=Markup(script_json(page_data(analysis, index, pairs))),
        policy=_content_security_policy(style, script),
        version=__version__,
    )
    return page.encode("utf-8", "backslashreplace")


def _figure(value: float | None) -> str:
    """A metric as the CSV files hold it: whole numbers with thousands separators, ratios to
    4 decimals (as measured); empty for none."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


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
