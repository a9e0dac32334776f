"""Editing the proposal in the report, in headless Chromium (Debian's, as test_report_browser).

Edits are made by clicking the page's controls; the figures the page shows are checked against
``decompose analyze`` run with the pins table the page exports, to 4 decimals. Every test
checks that nothing was fetched and nothing logged (a blocked script or style would log).
"""

from __future__ import annotations

import itertools
import random
import shutil
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
import tomllib

from decompose import analyze_path
from decompose.render import write_report
from helpers.browser import Report
from helpers.trees import HOSTILE_NAME, SAMPLE, write_tree

FIGURES = (
    "services",
    "modularity",
    "mq",
    "sm",
    "icp",
    "ifn",
    "ned",
    "cross_call_share",
    "cross_edges",
    "cross_weight",
    "cycles",
    "cyclic_services",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the sample, to re-run with the pins the page exports."""
    copy = tmp_path_factory.mktemp("edit") / "sample_monolith"
    shutil.copytree(SAMPLE, copy)
    return copy


def figures(page) -> dict[str, float]:
    """The Overview's figures, as the page's hooks state them."""
    return page.evaluate(
        """names => Object.fromEntries(names.map(n => [n,
             Number(document.querySelector('[data-metric="' + n + '"]').getAttribute('data-value'))]))""",
        list(FIGURES),
    )


def move(page, module: str, service: str) -> None:
    page.locator("#edit-module").fill(module)
    page.locator("#edit-target").select_option(label=service)
    page.locator("#edit-move").click()


def merge(page, source: str, target: str) -> None:
    page.locator("#edit-merge-from").select_option(label=source)
    page.locator("#edit-merge-into").select_option(label=target)
    page.locator("#edit-merge").click()


def split(page, service: str) -> None:
    page.locator("#edit-split").select_option(label=service)
    page.locator("#edit-split-button").click()


def three_edits(page, sample) -> str:
    """A package moved, two services merged, one split by package; returns the service the
    package went to."""
    home = assignment(sample)
    target = home["shop.services.payment_gateway"]
    move(page, "shop.integrations.*", target)
    other = next(
        s.name for s in reversed(sample.decomposition.services) if s.kind != "shared" and s.name != target
    )
    merge(page, other, target)
    split(page, next(s.name for s in sample.decomposition.services if s.kind == "shared"))
    return target


def assignment(analysis) -> dict[str, str]:
    return {m.name: s.name for s in analysis.decomposition.services for m in s.modules}


def test_three_clicked_edits_give_the_figures_decompose_analyze_gives_with_the_exported_pins(
    report, sample, project
):
    page = report.page
    before = figures(page)
    assert before == {n: sample.metrics.proposed.overall.values()[n] for n in FIGURES}
    target = three_edits(page, sample)
    shown = figures(page)
    assert shown != before
    assert float(page.locator("#edit").get_attribute("data-ms")) < 200
    pins = page.locator("#pins-toml").text_content()
    table = tomllib.loads(pins)["tool"]["decompose"]["pin"]
    # Package globs where a whole package stays together: the integrations went to payment whole.
    assert "shop.integrations.*" in table[target]
    (project / "pyproject.toml").write_text((SAMPLE / "pyproject.toml").read_text() + "\n" + pins)
    try:
        rerun = analyze_path(project)
    finally:
        shutil.copy(SAMPLE / "pyproject.toml", project / "pyproject.toml")
    measured = rerun.metrics.proposed.overall.values()
    for name in FIGURES:
        assert round(shown[name], 4) == round(measured[name], 4), name
    # The same services, module for module, as the page's services table lists them.
    placed = assignment(rerun)
    for service, globs in table.items():
        for module in (m.name for m in sample.graph.modules):
            if any(fnmatchcase(module, g) for g in globs):
                assert placed[module] == service, module
    rows = page.locator("#service-table tbody tr")
    listed = {
        rows.nth(i).locator("td").nth(0).inner_text(): int(rows.nth(i).locator("td").nth(3).inner_text())
        for i in range(rows.count())
    }
    assert listed == {s.name: len(s.modules) for s in rerun.decomposition.services}
    report.screenshot("edit-three-edits")


def test_the_edits_live_in_the_address_and_come_back_from_it(browser, report, sample, sample_index):
    page = report.page
    target = three_edits(page, sample)
    url, shown, pins = page.url, figures(page), page.locator("#pins-toml").text_content()
    assert "#moves=" in url and f"shop.integrations.*={target}" in url
    again = Report(browser, sample_index)
    try:
        again.page.goto("about:blank")
        again.page.goto(url)  # a fresh load of the address
        again.page.wait_for_selector("html[data-ready]")
        assert figures(again.page) == shown
        assert again.page.locator("#pins-toml").text_content() == pins
        again.assert_clean()
    finally:
        again.close()
    # Undo all three: the report's own figures, and an address without edits; redo: back again.
    for _ in range(3):
        page.locator("#edit-undo").click()
    original = sample.metrics.proposed.overall.values()
    assert figures(page) == {n: original[n] for n in FIGURES}
    assert "#moves=" not in page.url
    assert page.locator("#pins-toml").text_content() == ""
    for _ in range(3):
        page.locator("#edit-redo").click()
    assert figures(page) == shown and page.url == url


def test_a_created_and_renamed_service_reaches_the_table_the_map_and_the_pins(report, sample):
    page = report.page
    page.locator("#edit-new-name").fill("billing & refunds")
    page.locator("#edit-create").click()
    move(page, "shop.services.invoices", "billing & refunds")
    page.locator("#edit-rename").select_option(label="billing & refunds")
    page.locator("#edit-rename-name").fill("invoicing")
    page.locator("#edit-rename-button").click()
    assert page.locator("#service-table tbody tr", has_text="invoicing").count() == 1
    assert page.locator("svg.service-map .node[aria-label='invoicing']").count() == 1
    assert 'invoicing = [\n  "shop.services.invoices",\n]' in page.locator("#pins-toml").text_content()
    assert "shop.services.invoices=invoicing" in page.url
    # The matrix, off screen while editing, is redrawn as it comes near.
    page.locator("#matrix").scroll_into_view_if_needed()
    page.locator("#service-matrix tbody th[title='invoicing']").wait_for()
    cell = page.locator("#service-matrix td[data-row]").first
    cell.click()
    assert page.locator("#matrix-detail #pair-table tbody tr").count() > 0
    assert figures(page)["services"] == len(sample.decomposition.services) + 1


def test_search_finds_a_modules_service_focus_shows_its_neighbours_and_the_kernel_hides(report, sample):
    page = report.page
    home = assignment(sample)
    page.locator("#map-search").fill("payment_gateway")
    result = page.locator("#search-results [data-find]").first
    assert home["shop.services.payment_gateway"] in result.inner_text()
    result.click()
    shown = page.locator("svg.service-map .node:not(.hidden)")
    assert 1 < shown.count() < len(sample.decomposition.services)
    page.locator("#map-focus").select_option("-1")
    page.locator("#hide-kernel").check()
    assert page.locator("svg.service-map .node.kernel.hidden").count() == 1
    assert (
        page.locator("svg.service-map .node:not(.hidden)").count() == len(sample.decomposition.services) - 1
    )


def boxes_overlap(page) -> list[tuple[str, str]]:
    """Pairs of services whose circles or labels (as the browser lays them out) overlap."""
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.service-map .node:not(.hidden)')).map(g =>
             [g.getAttribute('aria-label'), Array.from(g.querySelectorAll('circle, text')).map(e => {
               const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })])"""
    )
    clashes = []
    for (a, first), (b, second) in itertools.combinations(boxes, 2):
        for x, y in itertools.product(first, second):
            if x[0] < y[2] and y[0] < x[2] and x[1] < y[3] and y[1] < x[3]:
                clashes.append((a, b))
                break
    return clashes


def test_the_map_of_100_services_overlaps_no_circle_and_no_label(browser, tmp_path):
    files = {}
    for n in range(100):
        package = f"department_of_reconciliation_{n:03d}" if n % 3 == 0 else f"svc{n:03d}"
        files[f"{package}/__init__.py"] = ""
        files[f"{package}/core.py"] = "def work():\n    return 1\n"
        uses = {(n + 1) % 100, (n * 7) % 100} - {n}
        imports = "".join(
            f"from {'department_of_reconciliation_' if m % 3 == 0 else 'svc'}{m:03d}.core import work as w{m}\n"
            for m in sorted(uses)
        )
        files[f"{package}/api.py"] = (
            imports + "def call():\n" + "".join(f"    w{m}()\n" for m in sorted(uses)) + "    return 0\n"
        )
    analysis = analyze_path(write_tree(tmp_path / "hundred", files), {"method": "packages"})
    assert len(analysis.decomposition.services) >= 100
    write_report(analysis, tmp_path / "out")
    report = Report(browser, tmp_path / "out" / "index.html")
    page = report.page
    assert page.locator("svg.service-map .node").count() == len(analysis.decomposition.services)
    assert boxes_overlap(page) == []
    long = page.locator("svg.service-map .node[aria-label^='department_of_reconciliation_'] text.label").first
    assert "\u2026" in long.text_content()  # shortened; the full name in the title
    assert "department_of_reconciliation_" in long.locator("xpath=..").locator("title").text_content()
    merge(page, "svc001", "svc002")
    assert boxes_overlap(page) == []
    report.screenshot("edit-hundred-services", "#map")
    report.assert_clean()
    report.close()


def test_the_injection_project_stays_inert_with_edits_applied(browser, hostile_report):
    report = Report(browser, hostile_report / "index.html")
    page = report.page
    hostile = "<svg onload=window.__pwned=7>"
    move(page, hostile + ".*", "app")
    page.locator("#edit-new-name").fill("<img src=x onerror=window.__pwned=9>")
    page.locator("#edit-create").click()
    move(page, "web.views", "<img src=x onerror=window.__pwned=9>")
    split(page, "app")
    for button in page.locator("button.pick").all():
        button.click()
    page.locator("#map-search").fill("svg")
    page.locator("#search-results [data-find]").first.click()
    pins = page.locator("#pins-toml").text_content()
    assert '"<img src=x onerror=window.__pwned=9>" = [' in pins
    table = tomllib.loads(pins)["tool"]["decompose"]["pin"]
    assert table["<img src=x onerror=window.__pwned=9>"] == ["web.views"]
    # The hostile package's name holds a dot: its glob is cut there, and still matches only it.
    assert table["app"] == ["app", "app.*"]
    (split_off,) = (name for name in table if name.startswith("<svg onload=window"))
    assert table[split_off] == ["<svg onload=window.*"]
    assert page.locator("#service-table").inner_text().count(split_off) == 1
    assert page.locator("#service-table").inner_text().count("<img src=x onerror=window.__pwned=9>") == 1
    assert page.evaluate("() => window.__pwned") is None
    assert (
        page.locator("main img:not(figure.chart img), main script, svg.service-map foreignObject").count()
        == 0
    )
    # The address carries the names encoded, and reloading it is as inert.
    url = page.url
    assert "%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D9%3E" in url
    page.goto(url)
    page.reload()
    page.wait_for_selector("html[data-ready]")
    assert page.locator("#pins-toml").text_content() == pins
    assert page.evaluate("() => window.__pwned") is None
    assert HOSTILE_NAME in page.locator("h1 .code").inner_text()
    report.assert_clean()
    report.close()


def test_the_pages_figures_are_the_metrics_stages_for_random_reassignments(report, sample):
    """The page's port of the metrics stage against the stage itself, on 25 proposals made by
    moving random modules (a few to most of them) to random services, new ones included."""
    from decompose.metrics import measure
    from decompose.services import assigned_services

    names = [s.name for s in sample.decomposition.services] + ["new-1", "new-2"]
    kinds = {s.name: s.kind for s in sample.decomposition.services}
    modules = [m.name for m in sample.graph.modules]
    home = assignment(sample)
    rng = random.Random(13)
    cases, expected = [], []
    for k in range(25):
        placed = dict(home)
        for module in rng.sample(modules, rng.randint(1, len(modules) // (1 + k % 4))):
            placed[module] = rng.choice(names)
        decomposition = assigned_services(sample.graph, placed, kinds, sample.data)
        expected.append(measure(sample.graph, decomposition, sample.data).overall.values())
        cases.append([names.index(placed[m]) for m in modules])
    computed = report.page.evaluate(
        """([names, cases]) => {
             const data = JSON.parse(document.getElementById("report-data").textContent);
             const base = decomposeEdit.base(data);
             return cases.map(assign => decomposeEdit.measure(base,
               {names: names, kinds: names.map(() => "domain"), assign: Int32Array.from(assign)}).overall);
           }""",
        [names, cases],
    )
    for want, got in zip(expected, computed, strict=True):
        assert {n: round(got[n], 4) for n in FIGURES} == {n: round(want[n], 4) for n in FIGURES}
