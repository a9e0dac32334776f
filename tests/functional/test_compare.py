"""Comparing two versions: one assignment for both, renames followed, new modules placed,
and what changed reported; compare.json and compare.html from it."""

from __future__ import annotations

import json

import pytest

from decompose import analyze_path
from decompose.api import CompareResult
from decompose.compare import Snapshot, compare
from decompose.compare._match import place_modules
from decompose.gate import parse_rules
from decompose.render.compare import comparison_json, comparison_text
from decompose.render.compare_html import comparison_html
from helpers.trees import write_tree

BEFORE = {
    "common/__init__.py": "",
    "common/money.py": """
        class Money:
            def add(self, other): ...
    """,
    "orders/__init__.py": "",
    "orders/models.py": """
        from common.money import Money
        class Order:
            total = Money()
    """,
    "orders/checkout.py": """
        from orders.models import Order
        from billing.invoice import make_invoice, InvoiceNumber
        def checkout(cart):
            order = Order()
            make_invoice(order)
            make_invoice(order)
            return InvoiceNumber()
    """,
    "billing/__init__.py": "",
    "billing/invoice.py": """
        from common.money import Money
        class InvoiceNumber:
            def next(self): ...
        def make_invoice(order):
            return Money()
        def void_invoice(number): ...
        def _render(invoice): ...
    """,
    "billing/ledger.py": """
        from billing.invoice import make_invoice
        def post(order):
            return make_invoice(order)
    """,
}


def _snapshot(tmp_path, name, files, **overrides) -> Snapshot:
    root = write_tree(tmp_path / name / "shop", files)
    analysis = analyze_path(root, {"method": "packages", **overrides})
    return Snapshot(name, analysis.project, analysis.graph, analysis.decomposition, analysis.data)


def _after(**changes) -> dict:
    files = dict(BEFORE)
    for path, content in changes.items():
        path = path.replace("__", "/").replace("_py", ".py")
        if content is None:
            files.pop(path)
        else:
            files[path] = content
    return files


@pytest.fixture
def before(tmp_path):
    return _snapshot(tmp_path, "before", BEFORE)


def test_the_same_code_compares_as_unchanged(tmp_path, before):
    result = compare(before, _snapshot(tmp_path, "again", BEFORE))
    assert all(d.delta == 0 for d in result.overall)
    assert (result.edges_added, result.edges_removed, result.cycles_added, result.placed, result.removed) == (
        (),
        (),
        (),
        (),
        (),
    )
    assert {m.before for m in result.matched} == {m.after for m in result.matched}


def test_measuring_before_with_its_own_services_reproduces_its_metrics_exactly(sample):
    analysis = sample
    side = Snapshot(
        "sample", analysis.project, analysis.graph, analysis.decomposition, analysis.data, analysis.history
    )
    result = compare(side, side)
    assert result.before_measures == analysis.metrics.proposed
    assert result.after_measures == analysis.metrics.proposed


def test_a_module_moved_to_another_package_keeps_its_service_and_its_edges(tmp_path, before):
    files = _after(billing__invoice_py=None)
    files["orders/invoice.py"] = BEFORE["billing/invoice.py"]
    for path in ("orders/checkout.py", "billing/ledger.py"):
        files[path] = files[path].replace("billing.invoice", "orders.invoice")
    result = compare(before, _snapshot(tmp_path, "after", files))

    assert [(m.before, m.after, m.similarity) for m in result.renamed] == [
        ("billing.invoice", "orders.invoice", 1.0)
    ]
    assert dict(result.assignment)["orders.invoice"] == "billing"
    assert result.removed == () and result.placed == ()
    # The same dependencies under new names: nothing crossing was added or removed.
    assert (result.edges_added, result.edges_removed) == ((), ())
    assert [d.delta for d in result.overall if d.name == "cross_weight"] == [0]
    # The after side's own proposal (its packages) would put it with orders: a move.
    assert [(m.module, m.service, m.proposed_like) for m in result.moves] == [
        ("orders.invoice", "billing", "orders")
    ]


def test_a_rename_needs_most_definitions_in_common(tmp_path, before):
    files = _after(billing__invoice_py=None)
    files["billing/invoicing.py"] = """
        from common.money import Money
        class InvoiceNumber: ...
        def make_invoice(order): ...
        def send_reminder(invoice): ...
        def schedule(invoice): ...
        def cancel(invoice): ...
    """  # 2 of 8 definitions shared
    result = compare(before, _snapshot(tmp_path, "after", files))
    assert result.renamed == ()
    assert result.removed == ("billing.invoice",)
    assert [p.module for p in result.placed] == ["billing.invoicing"]


def test_a_new_module_joins_the_service_it_couples_to_most_and_says_so(tmp_path, before):
    files = _after()
    files["orders/refunds.py"] = """
        from billing.invoice import void_invoice, make_invoice
        from orders.models import Order
        def refund(order):
            void_invoice(order)
            void_invoice(order)
            make_invoice(order)
    """
    result = compare(before, _snapshot(tmp_path, "after", files))
    (placed,) = result.placed
    assert (placed.module, placed.service, placed.reason) == ("orders.refunds", "billing", "coupling")
    # Its uses of billing count; its one import of orders.models is a dependency on orders.
    added = {f"{e.source} -> {e.target} ({e.source_service} -> {e.target_service})" for e in result.edges_added}
    assert added == {"orders.refunds -> orders.models (billing -> orders)"}
    billing = next(s for s in result.services if s.name == "billing")
    assert billing.figure("modules").delta == 1


def test_the_shared_kernel_takes_a_new_module_only_when_nothing_else_does(tmp_path):
    files = {
        "kernel/__init__.py": "",
        "kernel/util.py": "def helper(): ...\n",
        "app/__init__.py": "",
        "app/core.py": "def run(): ...\n",
        "app/new.py": """
            from kernel.util import helper
            from app.core import run
            def go():
                helper(); helper(); helper(); run()
        """,
        "app/lonely.py": """
            from kernel.util import helper
            def go():
                helper()
        """,
    }
    graph = analyze_path(write_tree(tmp_path / "k", files)).graph
    known = {"kernel": "shared", "kernel.util": "shared", "app": "app", "app.core": "app"}
    assignment, placements = place_modules(graph, known, kernel=["shared"])
    assert assignment["app.new"] == "app"  # the kernel weighs 4 (import, 3 calls), app 2: app
    assert assignment["app.lonely"] == "shared"
    assert {p.module: (p.service, p.weight) for p in placements} == {
        "app.lonely": ("shared", 2),
        "app.new": ("app", 2),
    }


def test_a_module_coupled_to_nothing_follows_its_package(tmp_path):
    files = {"app/__init__.py": "", "app/core.py": "def run(): ...\n", "app/island.py": "X = 1\n"}
    graph = analyze_path(write_tree(tmp_path / "p", files)).graph
    assignment, placements = place_modules(graph, {"app": "app", "app.core": "app"})
    assert assignment["app.island"] == "app"
    assert [(p.module, p.reason) for p in placements] == [("app.island", "package")]


def test_a_removed_dependency_and_a_new_cycle_are_reported(tmp_path, before):
    files = _after()
    files["orders/checkout.py"] = """
        from orders.models import Order
        def checkout(cart):
            return Order()
    """
    files["billing/ledger.py"] = """
        from billing.invoice import make_invoice
        from orders.models import Order
        def post(order):
            return make_invoice(Order())
    """
    # billing -> orders is new; orders -> billing is gone: no cycle either side
    result = compare(before, _snapshot(tmp_path, "after", files))
    removed = {(e.source, e.target, e.weight) for e in result.edges_removed}
    assert removed == {("orders.checkout", "billing.invoice", 5)}  # 2 names imported, 3 calls
    assert result.cycles_added == result.cycles_removed == ()
    files["orders/checkout.py"] = BEFORE["orders/checkout.py"]  # and now both ways
    result = compare(before, _snapshot(tmp_path, "cyclic", files))
    assert [c.services for c in result.cycles_added] == [("billing", "orders")]
    figures = {d.name: d for d in result.overall}
    assert (figures["cycles"].before, figures["cycles"].after, figures["cycles"].verdict) == (0, 1, "worse")


def test_pinned_services_win_on_both_sides(tmp_path, before):
    result = compare(before, before, services_from="pinned", pins=(("billing.ledger", "ledger"),))
    assignment = dict(result.assignment)
    assert assignment["billing.ledger"] == "ledger" and assignment["billing.invoice"] == "billing"
    with pytest.raises(ValueError, match="needs pins"):
        compare(before, before, services_from="pinned")


def test_compare_json_is_the_same_bytes_for_the_same_input(tmp_path, before):
    after = _snapshot(tmp_path, "after", _after(orders__refunds_py="from billing.invoice import void_invoice\n"))
    first = CompareResult(compare(before, after), parse_rules(["cycles>0"]), ())
    again = CompareResult(compare(before, after), parse_rules(["cycles>0"]), ())
    assert comparison_json(first) == comparison_json(again)
    document = json.loads(comparison_json(first))
    assert document["comparison"]["modules_new"] == 1
    assert document["placed"] == [
        {"module": "orders.refunds", "service": "billing", "reason": "coupling", "weight": 1}
    ]
    assert [d["name"] for d in document["overall"]][:3] == ["services", "modules", "modularity"]
    assert "orders.refunds -> billing.invoice" not in comparison_text(first)  # same service now
    assert comparison_html(first) == comparison_html(again)


def test_the_page_escapes_names_and_runs_nothing(tmp_path, before):
    hostile = '<script>alert("x")</script>'
    result = CompareResult(compare(before, before, services_from="pinned", pins=(("orders.*", hostile),)), (), ())
    page = comparison_html(result)
    assert hostile not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script" not in page
    assert "default-src 'none'" in page and "http" not in page.replace("http-equiv", "")
