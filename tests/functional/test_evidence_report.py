"""A module's placement evidence in the report, read as a file: the compact arrays the
page's script reads (modules and services by index, kinds from one small table), and
analysed names carried there as data, never as markup. The same pages in a browser:
test_report_browser.py."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from decompose import analyze_path
from decompose.model import Service
from decompose.render.html import report_html
from decompose.render.markdown import summary_markdown
from helpers.evidence import (
    EVIDENCE,
    HOSTILE_KIND,
    HOSTILE_MODULE,
    HOSTILE_SVG,
    SHOP,
    hostile_evidence,
    placed,
)
from helpers.trees import hostile_project, write_tree


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    return analyze_path(write_tree(tmp_path_factory.mktemp("shop") / "shop", SHOP), {"method": "packages"})


@pytest.fixture(scope="module")
def shop(bare):
    return placed(bare, EVIDENCE)


def _block(html: bytes) -> str:
    """The text of the page's data block, as the page holds it."""
    return (
        html.decode().split('<script type="application/json" id="report-data">', 1)[1].split("</script>")[0]
    )


def _data(html: bytes) -> dict:
    return json.loads(_block(html))


def test_a_modules_evidence_is_indices_into_the_modules_services_and_kinds(shop):
    data = _data(report_html(shop))
    assert data["tie_kinds"] == ["call", "import", "package", "vocabulary"]
    module = {m[0]: i for i, m in enumerate(data["modules"])}
    service = {s["name"]: i for i, s in enumerate(data["services"])}
    call, imports, package, vocabulary = range(4)
    entries = {data["modules"][m[0]][0]: m for s in data["services"] for m in s["modules"]}
    assert entries["billing.invoice"] == [
        module["billing.invoice"],
        0.75,
        [[module["billing.tax"], call, 0.5], [module["billing"], package, 0.25]],
        service["orders"],
        [[module["orders.views"], call, 0.4]],
        0.75,
        0.4,
    ]
    assert entries["orders.views"] == [
        module["orders.views"],
        0.429,  # confidence to 3 decimals, as before; weights as the model has them
        [[module["orders.models"], imports, 0.3]],
        service["billing"],
        [[module["billing.invoice"], call, 0.4], [module["billing.tax"], vocabulary, 0.0123]],
        0.3,
        0.4123,
    ]
    # Without evidence a module stays [module, confidence]: a page without any is no larger.
    assert entries["orders.models"] == [module["orders.models"], 1.0]


def test_a_report_without_evidence_carries_none(bare):
    data = _data(report_html(bare))
    assert data["tie_kinds"] == []
    assert all(len(m) == 2 for s in data["services"] for m in s["modules"])


def test_the_same_evidence_gives_the_same_page(shop, bare):
    assert report_html(shop) == report_html(placed(bare, EVIDENCE))


def test_hostile_names_in_the_evidence_reach_the_page_only_as_data(tmp_path):
    analysis, hostile_service = hostile_evidence(hostile_project(tmp_path))
    broken, svg = HOSTILE_MODULE, HOSTILE_SVG
    html = report_html(analysis)
    data = _data(html)
    assert data["tie_kinds"] == [HOSTILE_KIND, "call"]
    names = [m[0] for m in data["modules"]]
    (entry,) = [m for s in data["services"] for m in s["modules"] if len(m) > 2]
    assert [names[t[0]] for t in entry[4]] == [broken, svg]
    assert data["services"][entry[3]]["name"] == hostile_service
    block = _block(html)
    assert "<" not in block and ">" not in block
    assert b"onerror=alert" not in html.replace(b"\\u003cimg src=x onerror=alert(1)\\u003e", b"")
    # And in the summary, in code spans.
    summary = summary_markdown(analysis).decode()
    assert f"`app.models` in `app` or `{hostile_service}` (20%)" in summary


def test_the_summary_names_the_least_sure_modules_with_their_runner_up(shop, bare):
    summary = summary_markdown(shop).decode()
    assert (
        "- **Least sure placements**, with the service each is next most tied to: "
        "`orders.views` in `orders` or `billing` (43%); `billing.invoice` in `billing` or `orders` (75%).\n"
    ) in summary
    assert "Least sure" not in summary_markdown(bare).decode()  # sure of every module


def test_the_summary_lists_the_ten_least_sure_first_and_a_runner_up_only_when_known(tmp_path):
    root = write_tree(tmp_path / "flat", {f"pkg/m{i:02}.py": "" for i in range(12)})
    analysis = analyze_path(root, {"method": "packages"})
    evidence = {f"pkg.m{i:02}": {"confidence": 0.9 - 0.05 * i, "runner_up": "elsewhere"} for i in range(12)}
    evidence["pkg.m05"] = {"confidence": 0.01}  # tied to no other service
    (service,) = [s.name for s in analysis.decomposition.services]
    analysis = placed(analysis, evidence)
    # A runner-up must be a service of the proposal: give the one service a neighbour.
    analysis = replace(
        analysis,
        decomposition=replace(
            analysis.decomposition,
            services=(*analysis.decomposition.services, Service("elsewhere", "domain", ())),
        ),
    )
    (line,) = [x for x in summary_markdown(analysis).decode().splitlines() if "Least sure" in x]
    shown = line.split(": ", 1)[1].removesuffix(".").split("; ")
    assert len(shown) == 10
    assert shown[0] == f"`pkg.m05` in `{service}` (1%)"
    assert shown[1:3] == [
        f"`pkg.m11` in `{service}` or `elsewhere` (35%)",
        f"`pkg.m10` in `{service}` or `elsewhere` (40%)",
    ]
    assert "`pkg.m00`" not in line and "`pkg.m01`" not in line  # the two surest are left out
