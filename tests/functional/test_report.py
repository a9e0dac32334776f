"""The HTML report and the Markdown summary, read as files: what they contain, that they are
self-contained and pinned by their Content-Security-Policy, and that analysed text stays text.
The same pages in a real browser: test_report_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from decompose import analyze_path
from decompose.render import write_report
from decompose.render.html import CSV_FILES, report_html
from decompose.render.markdown import summary_markdown
from helpers.trees import HOSTILE_NAME, SAMPLE


@pytest.fixture(scope="module")
def page(sample) -> str:
    return report_html(sample).decode("utf-8")


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each script and style element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))

    def handle_data(self, data):
        if self._open is not None:
            tag, attrs = self._open
            if tag == "script":
                self.scripts.append((attrs, data))
            else:
                self.styles.append(data)

    def handle_endtag(self, tag):
        self._open = None


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def _data_block(html: str) -> dict:
    (text,) = [t for attrs, t in _parse(html).scripts if attrs.get("type") == "application/json"]
    return json.loads(text)


def test_write_report_writes_the_page_and_the_summary_beside_the_json(sample, tmp_path):
    written = write_report(sample, tmp_path)
    assert [p.name for p in written] == [
        "analysis.json",
        "index.html",
        "summary.md",
        "modules.csv",
        "services.csv",
        "api.csv",
        "edges.csv",
        "metrics.csv",
    ]
    assert (tmp_path / "index.html").read_bytes().startswith(b"<!DOCTYPE html>")


def test_charts_drawn_in_another_process_give_the_same_page_as_drawn_here(sample, tmp_path):
    from decompose.render import ChartDrawer

    drawer = ChartDrawer.start()
    try:
        write_report(sample, tmp_path / "child", drawer)
    finally:
        drawer.close()
    write_report(sample, tmp_path / "here", ChartDrawer(None))
    assert (tmp_path / "child" / "index.html").read_bytes() == (tmp_path / "here" / "index.html").read_bytes()
    assert (tmp_path / "here" / "index.html").read_bytes() == report_html(sample)


def test_same_analysis_gives_byte_identical_page_and_summary(sample, page):
    again = analyze_path(SAMPLE)
    assert page.encode("utf-8") == report_html(again)  # ``page`` is report_html(sample)
    assert summary_markdown(sample) == summary_markdown(again)


def test_the_page_fetches_nothing(page):
    elements = _parse(page)
    for tag, attrs in elements.tags:
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            value = attrs.get(name)
            if value is None:
                continue
            # Only in-page anchors, images inlined as data: URIs, and the CSV files beside the page.
            assert value.startswith(("#", "data:image/svg+xml;base64,")) or re.fullmatch(
                r"[a-z_]+\.csv", value
            ), (tag, name, value[:80])
    assert "@import" not in "".join(elements.styles)
    assert "url(" not in "".join(elements.styles)


def test_the_content_security_policy_allows_only_the_pages_own_script_and_style(page):
    elements = _parse(page)
    (policy,) = [a["content"] for t, a in elements.tags if a.get("http-equiv") == "Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    (code,) = [text for attrs, text in elements.scripts if "type" not in attrs]
    (style,) = elements.styles
    assert directives["script-src"] == f"'sha256-{_sha256(code)}'"
    assert directives["style-src"] == f"'sha256-{_sha256(style)}'"
    assert not any("style" in attrs for _, attrs in elements.tags), "inline style attributes are refused"


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_pages_data_holds_every_service_with_its_api_and_modules(sample, page):
    data = _data_block(page)
    services = sample.decomposition.services
    assert [s["name"] for s in data["services"]] == [s.name for s in services]
    assert [len(s["api"]) for s in data["services"]] == [len(s.api) for s in services]
    names = [m[0] for m in data["modules"]]
    for given, service in zip(data["services"], services, strict=True):
        assert [names[m[0]] for m in given["modules"]] == [m.name for m in service.modules]
    pairs = {(names[s], names[t]): w for s, t, w in data["pairs"]}
    assert pairs[("shop.services.order_service", "shop.models.core")] == sum(
        e.weight
        for e in sample.graph.edges
        if (e.source, e.target) == ("shop.services.order_service", "shop.models.core")
    )


def test_the_page_shows_each_section_with_the_analysis_counts(sample, page):
    decomposition = sample.decomposition
    for anchor in (
        "overview",
        "map",
        "services",
        "matrix",
        "data",
        "problems",
        "charts",
        "metrics",
        "warnings",
    ):
        assert f'<section id="{anchor}">' in page
    assert page.count('<g class="node" data-service=') == len(decomposition.services)
    assert page.count('<path class="link') == sum(len(s.depends_on) for s in decomposition.services)
    assert page.count('<li class="cycle">') == len(decomposition.cycles)
    assert f"Cycles between services: {len(decomposition.cycles)}" in page
    assert f"Contested: {len(decomposition.conflicts)}" in page
    assert page.count('<figure class="chart">') == 5
    assert 'class="module-matrix"' in page  # 81 modules: one cell per module pair


class _Rows(HTMLParser):
    """The rows of the tables with an id: per row, its attributes and its cells' attributes
    and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[tuple[dict, list[tuple[dict, str]]]]] = {}
        self._table: str | None = None
        self._cell: tuple[dict, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "id" in attrs:
            self._table = attrs["id"]
            self.tables[self._table] = []
        elif self._table and tag == "tr":
            self.tables[self._table].append((attrs, []))
        elif self._table and tag in ("td", "th"):
            self._cell = (attrs, [])

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1].append(data)

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            attrs, text = self._cell
            self.tables[self._table][-1][1].append((attrs, "".join(text).strip()))
            self._cell = None


def _tables(html: str) -> dict[str, list[tuple[dict, list[tuple[dict, str]]]]]:
    parser = _Rows()
    parser.feed(html)
    return {name: rows[1:] for name, rows in parser.tables.items()}  # without the header row


def test_the_overview_sets_todays_packages_against_the_proposal_from_the_metrics(sample, page):
    today, proposed = sample.metrics.current.overall, sample.metrics.proposed.overall
    rows = {attrs["data-metric"]: cells for attrs, cells in _tables(page)["headline"]}
    assert list(rows) == [
        "services",
        "modularity",
        "mq",
        "sm",
        "icp",
        "ifn",
        "ned",
        "cross_call_share",
        "cross_edges",
        "cycles",
    ]
    shown = {name: (cells[1][1], cells[2][1], cells[3][1]) for name, cells in rows.items()}
    assert shown["services"] == (str(today.services), str(proposed.services), "")
    # The sample's layered packages keep little inside: the proposal wins on Q, loses on cycles.
    assert shown["modularity"] == (f"{today.modularity:.2f}", f"{proposed.modularity:.2f}", "proposal")
    assert shown["icp"] == (f"{today.icp:.2f}", f"{proposed.icp:.2f}", "proposal")
    assert shown["cross_call_share"][1] == f"{proposed.cross_call_share:.0%}"
    assert shown["cross_edges"][1] == f"{proposed.cross_edges:,} ({proposed.cross_weight:,} uses)"
    assert shown["cycles"] == (
        f"{today.cycles} ({today.cyclic_services} services)",
        f"{proposed.cycles} ({proposed.cyclic_services} services)",
        "today",
    )
    # The better side is marked in its cell, and only there.
    for name, cells in rows.items():
        marked = [
            side
            for side, (attrs, _) in (("today", cells[1]), ("proposal", cells[2]))
            if "better" in attrs["class"].split()
        ]
        assert marked == ([cells[3][1]] if cells[3][1] in ("today", "proposal") else []), name
    crossing = proposed.cross_weight
    total = crossing + sum(s.internal_weight for s in sample.metrics.proposed.services)
    assert f"{crossing:,} of {total:,} ({crossing / total:.0%})" in page


def test_the_matrix_diagonal_is_the_metrics_internal_weight_and_its_rows_the_out_weight(sample, page):
    rows = _tables(page)["service-matrix"]
    measured = {m.name: m for m in sample.metrics.proposed.services}
    for index, (service, (_, cells)) in enumerate(zip(sample.decomposition.services, rows, strict=True)):
        values = [int(text.replace(",", "") or 0) for _, text in cells[1:]]
        assert values[index] == measured[service.name].internal_weight
        # The services stage's dependencies and the metrics stage's weights agree.
        assert sum(values) - values[index] == measured[service.name].out_weight


def test_the_metrics_section_shows_every_figure_of_the_analysis(sample, page):
    tables = _tables(page)
    today, proposed = sample.metrics.current.overall.values(), sample.metrics.proposed.overall.values()
    overall = {attrs["data-metric"]: cells for attrs, cells in tables["overall-metrics"]}
    assert list(overall) == list(proposed)
    for name, cells in overall.items():
        assert float(cells[1][0]["data-value"]) == proposed[name]
        assert float(cells[2][0]["data-value"]) == today[name]
    assert overall["services"][1][1] == str(len(sample.decomposition.services))
    for table, measures in (
        ("service-metrics", sample.metrics.proposed),
        ("package-metrics", sample.metrics.current),
    ):
        rows = tables[table]
        assert [cells[0][1] for _, cells in rows] == [s.name for s in measures.services]
        assert [int(cells[6][1]) for _, cells in rows] == [s.out_edges for s in measures.services]
    # The module table is built by the script from the data: every module, with its metrics.
    data = _data_block(page)
    by_name = {m.module: m for m in sample.metrics.proposed.modules}
    packages = {m.module: m.service for m in sample.metrics.current.modules}
    assert len(data["metrics"]) == len(data["modules"]) == len(sample.graph.modules)
    for (name, *_), (package, ca, ce, instability, abstractness, distance, *complexity) in zip(
        data["modules"], data["metrics"], strict=True
    ):
        m = by_name[name]
        assert (ca, ce, instability, abstractness, distance, complexity) == (
            m.afferent,
            m.efferent,
            m.instability,
            m.abstractness,
            m.distance,
            [m.complexity, m.max_complexity],
        )
        assert data["packages"][package] == packages[name]


def test_each_metrics_table_links_its_csv_file_beside_the_page(sample_report):
    page = (sample_report / "index.html").read_text(encoding="utf-8")
    links = [a["href"] for t, a in _parse(page).tags if t == "a" and "csv" in a.get("class", "").split()]
    assert links == list(CSV_FILES.values())
    for link in links:
        assert (sample_report / link).is_file(), link


def test_charts_are_svg_without_dates(page):
    for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page):
        svg = base64.b64decode(uri).decode()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "<dc:date>" not in svg
        assert "mathdefault" not in svg  # tick labels as plain numbers, not mathtext source


def test_analysed_text_reaches_the_page_only_as_text(hostile):
    html = report_html(hostile).decode()
    elements = _parse(html)
    assert [t for t, _ in elements.tags].count("script") == 2  # the data block and the page's own script
    assert all(
        attrs.get("src", "").startswith("data:image/svg+xml") for t, attrs in elements.tags if t == "img"
    )
    assert not any(t == "svg" and "onload" in attrs for t, attrs in elements.tags)
    assert "window.__pwned" not in "".join(text for attrs, text in elements.scripts if "type" not in attrs)
    # Shown, escaped: the project's name, a service's name, the failed file's path.
    assert f"<title>{HOSTILE_NAME.replace('<', '&lt;').replace('>', '&gt;')}" in html
    assert "&lt;svg onload=window" in html
    # And carried, escaped, in the data the script reads: the docstring and the signature.
    data = _data_block(html)
    (app,) = [s for s in data["services"] if s["name"] == "app"]
    api = {a[1]: a for a in app["api"]}
    assert api["place"][3] == "(order='</script><script>window.__pwned=3</script>')"
    assert api["place"][4].startswith("<img src=x onerror=window.__pwned=4>")
    (block,) = [t for a, t in elements.scripts if a.get("type") == "application/json"]
    assert "<" not in block and ">" not in block and "&" not in block


def test_the_summary_is_short_markdown_with_names_in_code_spans(sample, hostile):
    summary = summary_markdown(sample).decode()
    assert summary.startswith("## decompose: `sample_monolith`\n")
    assert len(summary.splitlines()) < 60
    domain = [s for s in sample.decomposition.services if s.kind != "shared"]
    assert f"→ {len(domain)} services**" in summary
    for service in sample.decomposition.services:
        assert f"| `{service.name}`" in summary
    proposed, current = sample.metrics.proposed.overall, sample.metrics.current.overall
    assert f"**Cycles between services:** {proposed.cycles}." in summary
    assert (
        f"| Modularity Q (higher is better) | {current.modularity:.2f} | {proposed.modularity:.2f} | proposed |"
        in summary
    )
    assert (
        f"| Cycles between services (lower is better) | {current.cycles} | {proposed.cycles} | today |"
        in summary
    )
    hostile_summary = summary_markdown(hostile).decode()
    assert "`<img src=x onerror=window.__pwned=8>`" in hostile_summary
    assert "<img" not in hostile_summary.replace("`<img src=x onerror=window.__pwned=8>`", "")


def test_a_name_with_backticks_and_pipes_stays_one_code_span_in_one_table_cell():
    from decompose.render.markdown import _code

    assert _code("a`b|c", table=True) == "``a`b\\|c``"
    assert _code("`x`") == "`` `x` ``"
    assert _code("two\nlines") == "`two lines`"
