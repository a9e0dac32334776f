"""The render vocabulary: every metric worded once (label, explanation, better direction),
one verdict on a change, one number formatter, one view model of a comparison that the
terminal, compare.html and compare.json all read."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from decompose import analyze_path
from decompose.api import CompareResult
from decompose.compare import Snapshot, compare
from decompose.gate import check, parse_rules
from decompose.metrics import MODULE, OVERALL, SERVICE, Better, Verdict, verdict
from decompose.model import ModuleMetrics, OverallMetrics, ServiceMetrics
from decompose.render._compare_view import comparison_view
from decompose.render._numbers import MISSING, number, signed
from decompose.render.compare import comparison_json, comparison_text
from decompose.render.compare_html import comparison_html
from helpers.trees import write_tree

# --------------------------------------------------------------------------- the glossary


def _figures(kind, *not_figures: str) -> list[str]:
    return [f.name for f in fields(kind) if f.name not in not_figures]


def test_every_measured_figure_has_a_glossary_entry_in_the_dataclass_order():
    assert list(OVERALL) == _figures(OverallMetrics)
    assert list(SERVICE) == _figures(ServiceMetrics, "name", "kind")
    assert list(MODULE) == _figures(ModuleMetrics, "module", "service")


def test_every_figure_of_a_real_analysis_has_a_glossary_entry(sample):
    proposed = sample.metrics.proposed
    assert set(proposed.overall.values()) <= set(OVERALL)
    service = {f.name for f in fields(proposed.services[0])} - {"name", "kind"}
    module = {f.name for f in fields(proposed.modules[0])} - {"module", "service"}
    assert service <= set(SERVICE) and module <= set(MODULE)


@pytest.mark.parametrize("table", [OVERALL, SERVICE, MODULE])
def test_entries_are_named_after_their_key_labelled_and_explained_in_one_line(table):
    for name, metric in table.items():
        assert metric.name == name
        assert metric.label and metric.explanation.endswith(".")
        assert "\n" not in metric.explanation
        assert metric.better is None or isinstance(metric.better, Better)
        # The direction is the glossary's to say: an explanation does not repeat it.
        assert "is better." not in metric.explanation.replace("no better than", "")


def test_the_glossary_agrees_with_the_directions_the_gate_reads():
    assert {n: m.better for n, m in OVERALL.items()} == dict(OverallMetrics.BETTER)


def test_a_sentence_and_a_label_carry_the_direction():
    assert OVERALL["modularity"].labelled == "Modularity Q (higher is better)"
    assert OVERALL["cycles"].sentence.endswith("none of them can be released alone. Lower is better.")
    assert OVERALL["services"].labelled == "Services"
    assert OVERALL["services"].sentence == OVERALL["services"].explanation


# --------------------------------------------------------------------------- the verdict


@pytest.mark.parametrize(
    ("before", "after", "better", "expected"),
    [
        (1, 2, Better.HIGHER, Verdict.BETTER),
        (1, 2, Better.LOWER, Verdict.WORSE),
        (0.5, 0.4, Better.LOWER, Verdict.BETTER),
        (0.5, 0.4, Better.HIGHER, Verdict.WORSE),
        (3, 3, Better.LOWER, Verdict.SAME),
        (0.12341, 0.12344, Better.HIGHER, Verdict.SAME),  # the same to 4 decimals
        (3, 3, None, Verdict.SAME),
        (3, 4, None, Verdict.CHANGED),
        (None, 4, Better.LOWER, Verdict.CHANGED),
        (4, None, Better.LOWER, Verdict.CHANGED),
    ],
)
def test_the_verdict(before, after, better, expected):
    assert verdict(before, after, better) is expected


def test_verdicts_and_directions_read_as_the_words_the_files_hold():
    assert json.dumps([Verdict.WORSE, Better.HIGHER]) == '["worse", "higher"]'
    assert f"{Verdict.BETTER} {Better.LOWER}" == "better lower"


# --------------------------------------------------------------------------- the formatter


@pytest.mark.parametrize(
    ("value", "shown", "change"),
    [
        (None, MISSING, MISSING),
        (0, "0", "0"),
        (0.0, "0", "0"),
        (1230, "1,230", "+1,230"),
        (-5, "-5", "-5"),
        (0.1817, "0.1817", "+0.1817"),
        (-0.0135, "-0.0135", "-0.0135"),
    ],
)
def test_numbers_and_changes(value, shown, change):
    assert (number(value), signed(value)) == (shown, change)


def test_one_dash_everywhere():
    assert MISSING == "-"


# --------------------------------------------------------------------------- the comparison's view

BEFORE = {
    "common/__init__.py": "",
    "common/money.py": "class Money:\n    def add(self, other): ...\n",
    "orders/__init__.py": "",
    "orders/models.py": "from common.money import Money\nclass Order:\n    total = Money()\n",
    "billing/__init__.py": "",
    "billing/invoice.py": "from common.money import Money\ndef make_invoice(order):\n    return Money()\n",
}
AFTER = {
    **BEFORE,
    "orders/models.py": BEFORE["orders/models.py"] + "from billing.invoice import make_invoice\n",
    "billing/invoice.py": BEFORE["billing/invoice.py"] + "from orders.models import Order\n",
}


def _snapshot(tmp_path, name, files) -> Snapshot:
    analysis = analyze_path(write_tree(tmp_path / name / "shop", files), {"method": "packages"})
    return Snapshot(name, analysis.project, analysis.graph, analysis.decomposition, analysis.data)


@pytest.fixture
def result(tmp_path) -> CompareResult:
    comparison = compare(_snapshot(tmp_path, "before", BEFORE), _snapshot(tmp_path, "after", AFTER))
    rules = parse_rules(["cycles>0"])

    return CompareResult(
        comparison, rules, check(rules, comparison.values("after"), comparison.values("before"))
    )


def test_the_view_formats_every_figure_once_with_the_glossary_direction(result):
    view = comparison_view(result)
    assert [f.name for f in view.overall] == [d.name for d in result.comparison.overall]
    cycles = next(f for f in view.overall if f.name == "cycles")
    assert (cycles.before, cycles.after, cycles.change, cycles.verdict) == ("0", "1", "+1", Verdict.WORSE)
    assert cycles.better is OVERALL["cycles"].better is Better.LOWER
    cohesion = view.services[0].figure("cohesion")
    assert cohesion.better is SERVICE["cohesion"].better
    assert not view.passed and [v.metric for v in view.violations] == ["cycles"]


def test_terminal_page_and_json_show_what_the_view_holds(result):
    view = comparison_view(result)
    cycles = next(f for f in view.overall if f.name == "cycles")
    text, page = comparison_text(result), comparison_html(result)
    document = json.loads(comparison_json(result))
    row = next(line for line in text.splitlines() if line.split()[:1] == ["cycles"])
    assert row.split() == ["cycles", cycles.before, cycles.after, cycles.change, "worse"]
    assert f'<td class="n worse">{cycles.change}</td><td>lower</td>' in page
    record = next(r for r in document["overall"] if r["name"] == "cycles")
    assert (record["before"], record["after"], record["better"], record["verdict"]) == (
        0,
        1,
        "lower",
        "worse",
    )
    assert "−" not in page and "–" not in page  # one dash: the ASCII one
