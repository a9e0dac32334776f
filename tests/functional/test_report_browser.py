"""The report in a real browser: headless Chromium (Debian's package) driven by Playwright.

The page is opened from ``file://`` with every network request refused and recorded; each test
checks that nothing was requested, nothing was logged to the console, and nothing but the
page's own script ran. Screenshots go to tests/artifacts/ (not committed).

Without /usr/bin/chromium the tests skip, unless DECOMPOSE_REQUIRE_BROWSER=1 (set by .ci/run),
where they fail instead: CI always runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose import analyze_path
from decompose.model import Tie
from decompose.render import write_report
from helpers.browser import ARTIFACTS, Report
from helpers.evidence import EVIDENCE, HOSTILE_KIND, HOSTILE_MODULE, SHOP, hostile_evidence, placed
from helpers.trees import HOSTILE_NAME, hostile_project, write_tree


@pytest.fixture(scope="module")
def _opened_once(browser, sample_index):
    opened = Report(browser, sample_index)
    yield opened
    opened.close()


@pytest.fixture
def shown(_opened_once):
    """The sample's report opened once for the tests that only read it (no click, no sort,
    no scroll), each of them checking that nothing was fetched or logged since it opened."""
    yield _opened_once
    _opened_once.assert_clean()


def test_the_sample_report_opens_with_nothing_fetched_and_nothing_logged(shown):
    assert shown.page.title() == "sample_monolith: services proposed by decompose"
    shown.screenshot("sample-report")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shown.page.screenshot(path=ARTIFACTS / "sample-report-top.png")  # what a reader sees first


def test_the_overview_gives_the_proposals_counts(shown, sample):
    services = sample.decomposition.services
    figure = shown.page.locator('[data-figure="Services proposed"] .figure-value')
    assert figure.inner_text() == str(sum(1 for s in services if s.kind != "shared"))
    cycles = shown.page.locator('[data-figure="Cycles between services"] .figure-value')
    assert cycles.inner_text() == str(len(sample.decomposition.cycles))
    assert shown.page.locator("#service-table tbody tr").count() == len(services)
    warnings = shown.page.locator('[data-figure="Warnings"] .figure-value')
    assert warnings.inner_text() == "0"


def test_each_section_renders_with_the_right_counts(shown, sample):
    decomposition = sample.decomposition
    page = shown.page
    assert page.locator("svg.service-map .node").count() == len(decomposition.services)
    assert page.locator("#service-matrix tbody tr").count() == len(decomposition.services)
    assert page.locator("#conflicts tbody tr").count() == len(decomposition.conflicts)
    assert page.locator("li.cycle").count() == len(decomposition.cycles)
    assert page.locator("figure.chart img").count() == 5
    for image in page.locator("figure.chart img").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("#warnings p.ok").inner_text() == "Every file was analysed."
    for section in ("map", "matrix", "data", "problems", "charts"):
        shown.screenshot(f"sample-{section}", f"#{section}")
    shown.screenshot("sample-headline", "#headline")


def test_the_metrics_section_shows_the_analysis_metrics(report, sample):
    page = report.page
    proposed, current = sample.metrics.proposed, sample.metrics.current
    overall = page.locator("#overall-metrics tbody tr")
    assert overall.count() == len(proposed.overall.values())
    icp = page.locator('#overall-metrics tr[data-metric="icp"] td')
    assert [icp.nth(1).inner_text(), icp.nth(2).inner_text()] == [str(proposed.overall.icp), str(current.overall.icp)]
    assert icp.nth(1).get_attribute("class") == "num better"  # the sample's proposal calls across less
    assert page.locator("#service-metrics tbody tr").count() == len(proposed.services)
    assert not page.locator("#package-metrics").is_visible()  # today's packages: folded
    page.locator("details.current summary").click()
    assert page.locator("#package-metrics tbody tr").count() == len(current.services)
    # The module table is built when it nears the screen: every module, most depended on first.
    page.locator("#module-metrics").scroll_into_view_if_needed()
    rows = page.locator("#module-metrics-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == len(sample.graph.modules)
    most = max(proposed.modules, key=lambda m: (m.afferent, -ord(m.module[0])))
    first = rows.first.locator("td")
    assert int(first.nth(4).inner_text()) == most.afferent
    report.screenshot("sample-metrics", "#metrics")


def test_a_metrics_table_sorts_by_the_column_clicked(report, sample):
    page = report.page
    page.locator("#module-metrics").scroll_into_view_if_needed()
    page.locator("#module-metrics-table tbody tr").first.wait_for()
    page.locator("#module-metrics-table thead th", has_text="max complexity").click()
    shown = page.locator("#module-metrics-table tbody tr td:nth-child(11)").all_inner_texts()
    expected = sorted((m.max_complexity for m in sample.metrics.proposed.modules), reverse=True)
    assert [int(n.replace(",", "")) for n in shown] == expected
    page.locator("#service-metrics thead th", has_text="cohesion").click()
    shown = page.locator("#service-metrics tbody tr td:nth-child(5)").all_inner_texts()
    cohesion = sorted((s.cohesion for s in sample.metrics.proposed.services if s.cohesion is not None), reverse=True)
    assert [float(n) for n in shown if n] == cohesion


def test_the_csv_links_open_the_files_beside_the_page(shown, sample_index):
    links = shown.page.locator("#metrics a.csv")
    assert links.count() == 3
    for link in links.all():
        target = link.evaluate("a => a.href")
        assert target.startswith("file://")
        assert (sample_index.parent / link.get_attribute("href")).is_file()
        assert Path(target.removeprefix("file://")) == sample_index.parent / link.get_attribute("href")


def test_clicking_a_service_on_the_map_shows_its_api_surface(report, sample):
    services = sample.decomposition.services
    index, service = max(enumerate(services), key=lambda item: len(item[1].api))
    report.page.locator(f'svg.service-map .node[data-service="{index}"]').click()
    detail = report.page.locator("#service-detail")
    assert detail.locator("h3").inner_text() == service.name
    assert detail.locator("#api-table tbody tr").count() == len(service.api)
    first = detail.locator("#api-table tbody tr").first
    assert service.api[0].symbol in first.inner_text()
    assert detail.locator("#module-table tbody tr").count() == len(service.modules)
    assert detail.locator("#depends-table tbody tr").count() == len(service.depends_on)
    pressed = report.page.locator('button.pick[aria-pressed="true"]')
    assert pressed.inner_text() == service.name
    assert report.page.locator(f'svg.service-map .node.selected[data-service="{index}"]').count() == 1
    detail.locator("#api-table details").first.locator("summary").click()
    sites = detail.locator("#api-table details").first.locator("li")
    assert sites.count() == len(service.api[0].callers)
    report.screenshot("sample-service", "#services")


def test_a_matrix_cell_lists_the_module_dependencies_behind_it(report, sample):
    services = sample.decomposition.services
    row = next(i for i, s in enumerate(services) if s.depends_on)
    dependency = services[row].depends_on[0]
    column = [s.name for s in services].index(dependency.service)
    report.page.locator(f'#service-matrix td[data-row="{row}"][data-col="{column}"]').click()
    pairs = report.page.locator("#matrix-detail #pair-table tbody tr")
    assert pairs.count() > 0
    total = sum(int(pairs.nth(i).locator("td").nth(2).inner_text().replace(",", "")) for i in range(pairs.count()))
    assert total == dependency.weight


def test_a_table_sorts_by_the_column_clicked(report, sample):
    header = report.page.locator("#service-table thead th", has_text="lines")
    header.click()
    shown = report.page.locator("#service-table tbody tr td:nth-child(3)").all_inner_texts()
    assert [int(n.replace(",", "")) for n in shown] == sorted((s.lines for s in sample.decomposition.services), reverse=True)
    header.click()
    shown = report.page.locator("#service-table tbody tr td:nth-child(3)").all_inner_texts()
    assert [int(n.replace(",", "")) for n in shown] == sorted(s.lines for s in sample.decomposition.services)


def test_markup_in_the_analysed_code_shows_as_text_and_runs_nothing(browser, hostile, hostile_report):
    analysis = hostile
    report = Report(browser, hostile_report / "index.html")
    page = report.page
    for button in page.locator("button.pick").all():  # build every service's page
        button.click()
        for summary in page.locator("#service-detail summary").all():
            summary.click()
    page.locator("#module-metrics").scroll_into_view_if_needed()  # build the module table too
    page.locator("#module-metrics-table tbody tr").first.wait_for()
    assert page.locator("#module-metrics-table tbody tr").count() == len(analysis.graph.modules)
    assert "<svg onload=window.__pwned=7>.broken" in page.locator("#module-metrics-table").inner_text()
    page.locator("button.pick", has_text="app").click()
    api = page.locator("#api-table").inner_text()
    assert "</script><script>window.__pwned=3</script>" in api
    assert "<img src=x onerror=window.__pwned=4>" in api
    assert page.locator("h1 .code").inner_text() == HOSTILE_NAME
    assert "<svg onload=window.__pwned=7>/broken.py" in page.locator("#warning-table").inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#service-detail img, #service-detail script, section img:not(figure.chart img)").count() == 0
    report.screenshot("hostile-report")
    report.assert_clean()  # a blocked inline script would have logged a policy violation
    report.close()


# ------------------------------------------------------------------------------ placement evidence


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A two-package project, its modules without placement evidence (the packages method)."""
    return analyze_path(write_tree(tmp_path_factory.mktemp("shop") / "shop", SHOP), {"method": "packages"})


@pytest.fixture(scope="module")
def shop_index(shop, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shop_report")
    write_report(placed(shop, EVIDENCE), out)
    return out / "index.html"


def _module_rows(page) -> dict[str, list[str]]:
    """The shown service's module table: per module, the text of each cell."""
    rows = {}
    for row in page.locator("#module-table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows[cells[0].splitlines()[0]] = cells
    return rows


def test_each_module_shows_why_it_is_here_and_what_else_it_could_be(browser, shop_index):
    report = Report(browser, shop_index)
    page = report.page
    page.locator("button.pick", has_text="billing").click()
    headers = page.locator("#module-table thead th").all_inner_texts()
    assert [h.rstrip("\xa0↕") for h in headers] == [
        "module (path)",
        "lines",
        "confidence",
        "why here",
        "what else it could be",
    ]
    rows = _module_rows(page)
    invoice = rows["billing.invoice"]
    assert invoice[0].splitlines() == ["billing.invoice", "billing/invoice.py"]
    assert invoice[2] == "75%"
    # At rest: the strongest tie here, and the runner-up with both sums.
    assert invoice[3] == "billing.tax call 0.5"
    assert invoice[4] == "orders 0.4 there vs 0.75 here"
    assert rows["billing"][3:] == ["no ties recorded", "no ties recorded"]
    # Opened: every tie, strongest first.
    cells = page.locator("#module-table tbody tr", has_text="billing.invoice").locator("td")
    cells.nth(3).locator("summary").click()
    cells.nth(4).locator("summary").click()
    ties = cells.nth(3).locator(".tie")
    assert ties.all_inner_texts() == ["billing.tax call 0.5", "billing package 0.25"]
    assert ties.nth(1).get_attribute("title") == (
        "billing: package (they sit in the same package today), weight 0.25"
    )
    assert cells.nth(4).locator("details > .tie").all_inner_texts() == ["orders.views call 0.4"]
    report.screenshot("evidence-billing", "#services")

    # A module more tied to another service than to its own says so; sorting by how close the
    # runner-up comes puts it first, and one switch opens every module's ties.
    page.locator("button.pick", has_text="orders").click()
    views = _module_rows(page)["orders.views"]
    assert views[4] == "billing 0.412 there vs 0.3 here more tied there"
    page.locator("#module-table thead th", has_text="what else it could be").click()
    first = page.locator("#module-table tbody tr").first.locator("td").first.inner_text()
    assert first.splitlines()[0] == "orders.views"
    page.locator("#open-ties").check()
    opened = page.locator("#module-table details[open]")
    assert opened.count() == page.locator("#module-table details").count() == 1  # one runner-up with ties
    assert opened.locator(".tie").all_inner_texts() == [
        "billing.invoice call 0.4",
        "billing.tax vocabulary 0.0123",
    ]
    report.screenshot("evidence-orders", "#services")
    report.assert_clean()
    report.close()


def test_without_evidence_the_module_table_is_as_before(browser, shop, tmp_path):
    write_report(shop, tmp_path)
    report = Report(browser, tmp_path / "index.html")
    report.page.locator("button.pick", has_text="billing").click()
    headers = report.page.locator("#module-table thead th").all_inner_texts()
    assert [h.rstrip("\xa0↕") for h in headers] == ["module (path)", "lines", "confidence"]
    assert report.page.locator("#open-ties").count() == 0
    assert report.page.locator("#module-table tbody tr").count() == 3
    report.assert_clean()
    report.close()


def test_hostile_names_in_the_evidence_show_as_text_and_run_nothing(browser, tmp_path):
    broken, kind = HOSTILE_MODULE, HOSTILE_KIND
    extra = {broken: {"ties": (Tie("<svg onload=window.__pwned=7>", "__proto__", 1.0),), "own_weight": 1.0}}
    analysis, svg_service = hostile_evidence(hostile_project(tmp_path), extra)
    write_report(analysis, tmp_path / "out")
    report = Report(browser, tmp_path / "out" / "index.html")
    page = report.page
    page.locator("button.pick", has_text="app").click()
    page.locator("#open-ties").check()
    models = page.locator("#module-table tbody tr", has_text="app.models").locator("td")
    assert models.nth(3).inner_text() == f"app {kind} 0.1"
    assert models.nth(4).locator(".tie").all_inner_texts() == [
        f"{broken} call 0.3",
        f"<svg onload=window.__pwned=7> {kind} 0.2",
    ]
    assert models.nth(4).locator("summary .tag").first.inner_text() == svg_service
    page.locator("button.pick", has_text="<svg").click()
    row = page.locator("#module-table tbody tr", has_text=".broken").locator("td")
    assert row.nth(3).inner_text() == "<svg onload=window.__pwned=7> __proto__ 1"
    title = row.nth(3).locator(".tie").get_attribute("title")
    assert title == "<svg onload=window.__pwned=7>: __proto__, weight 1"  # no meaning from Object.prototype
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#service-detail img, #service-detail svg, #service-detail script").count() == 0
    report.screenshot("evidence-hostile", "#services")
    report.assert_clean()  # no alert() dialog, no policy violation
    report.close()
