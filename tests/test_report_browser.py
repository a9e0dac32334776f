"""The report in a real browser: headless Chromium (Debian's package) driven by Playwright.

The page is opened from ``file://`` with every network request refused and recorded; each test
checks that nothing was requested, nothing was logged to the console, and nothing but the
page's own script ran. Screenshots go to tests/artifacts/ (not committed).

Without /usr/bin/chromium the tests skip, unless DECOMPOSE_REQUIRE_BROWSER=1 (set by .ci/run),
where they fail instead: CI always runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from decompose import analyze_path
from decompose.render import write_report

from conftest import HOSTILE_NAME, REPO, SAMPLE, hostile_project

CHROMIUM = Path(os.environ.get("DECOMPOSE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"headless Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("DECOMPOSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DECOMPOSE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Report:
    """One opened report, with what the browser saw while it was open."""

    def __init__(self, browser, index: Path) -> None:
        self.url = index.as_uri()
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(5_000)
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-ready]", timeout=10_000)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.requests == []
        assert self.console == []
        assert self.dialogs == []

    def screenshot(self, name: str, selector: str | None = None) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if selector is None:
            self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        else:
            self.page.locator(selector).screenshot(path=ARTIFACTS / f"{name}.png")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def sample():
    return analyze_path(SAMPLE)


@pytest.fixture(scope="module")
def sample_index(sample, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_report")
    write_report(sample, out)
    return out / "index.html"


@pytest.fixture
def report(browser, sample_index):
    opened = Report(browser, sample_index)
    yield opened
    opened.assert_clean()
    opened.close()


def test_the_sample_report_opens_with_nothing_fetched_and_nothing_logged(report):
    assert report.page.title() == "sample_monolith: services proposed by decompose"
    report.screenshot("sample-report")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report.page.screenshot(path=ARTIFACTS / "sample-report-top.png")  # what a reader sees first


def test_the_overview_gives_the_proposals_counts(report, sample):
    services = sample.decomposition.services
    figure = report.page.locator('[data-figure="Services proposed"] .figure-value')
    assert figure.inner_text() == str(sum(1 for s in services if s.kind != "shared"))
    cycles = report.page.locator('[data-figure="Cycles between services"] .figure-value')
    assert cycles.inner_text() == str(len(sample.decomposition.cycles))
    assert report.page.locator("#service-table tbody tr").count() == len(services)
    warnings = report.page.locator('[data-figure="Warnings"] .figure-value')
    assert warnings.inner_text() == "0"


def test_each_section_renders_with_the_right_counts(report, sample):
    decomposition = sample.decomposition
    page = report.page
    assert page.locator("svg.service-map .node").count() == len(decomposition.services)
    assert page.locator("#service-matrix tbody tr").count() == len(decomposition.services)
    assert page.locator("#conflicts tbody tr").count() == len(decomposition.conflicts)
    assert page.locator("li.cycle").count() == len(decomposition.cycles)
    assert page.locator("figure.chart img").count() == 4
    for image in page.locator("figure.chart img").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("#warnings p.ok").inner_text() == "Every file was analysed."
    for section in ("map", "matrix", "data", "problems", "charts"):
        report.screenshot(f"sample-{section}", f"#{section}")


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


def test_markup_in_the_analysed_code_shows_as_text_and_runs_nothing(browser, tmp_path):
    analysis = analyze_path(hostile_project(tmp_path), {"method": "packages"})
    write_report(analysis, tmp_path / "out")
    report = Report(browser, tmp_path / "out" / "index.html")
    page = report.page
    for button in page.locator("button.pick").all():  # build every service's page
        button.click()
        for summary in page.locator("#service-detail summary").all():
            summary.click()
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
