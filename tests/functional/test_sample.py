"""End to end on sample_monolith: every deliberate tangle shows in the graph."""

from __future__ import annotations

import json

import networkx as nx

from decompose.model import ParseStatus
from helpers.trees import SAMPLE, symbol_edges, typed_edges


def test_every_file_is_analysed_and_nothing_is_excluded_or_warned(sample):
    paths = sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*.py"))
    assert sorted(m.path for m in sample.graph.modules) == paths
    assert 50 <= len(paths) <= 100
    assert all(m.status is ParseStatus.OK for m in sample.graph.modules)
    assert sample.warnings == ()
    assert sample.excluded == ()


def test_intended_decomposition_names_every_module_once(sample):
    intended = json.loads((SAMPLE / "intended_decomposition.json").read_text())
    listed = [m for members in intended["services"].values() for m in members]
    assert sorted(listed) == sorted(m.name for m in sample.graph.modules)


def test_god_module_is_used_by_several_domains(sample):
    users = {e.source for e in sample.graph.edges if e.target == "shop.models.core"}
    assert {
        "shop.services.order_service",
        "shop.services.payment_gateway",
        "shop.services.customer_service",
    } <= users


def test_orders_reach_into_payment_internals(sample):
    assert {
        "shop.services.order_service:confirm_order -> shop.services.payment_gateway:_capture_charge",
        "shop.services.order_service:confirm_order -> shop.services.payment_gateway:_GatewaySession",
    } <= symbol_edges(sample, {"call"})


def test_import_cycle_between_orders_and_inventory(sample):
    imports = nx.DiGraph((e.source, e.target) for e in sample.graph.edges if e.kind.value == "import")
    cycles = {frozenset(c) for c in nx.simple_cycles(imports) if len(c) == 2}
    assert frozenset({"shop.services.order_service", "shop.services.stock"}) in cycles


def test_utils_kernel_is_imported_by_most_modules(sample):
    users = {e.source for e in sample.graph.edges if e.target.startswith("shop.utils")}
    outside = [m.name for m in sample.graph.modules if not m.name.startswith("shop.utils")]
    assert len(users & set(outside)) >= 0.8 * len(outside) - 10


def test_type_only_lazy_and_dynamic_tangles_have_their_kinds(sample):
    assert {
        "shop.services.shipping_rates -> shop.models.orders [type_only]",
        "shop.tasks.notification_tasks -> shop.services.email_service [lazy]",
        "shop.services.shipping_rates -> shop.integrations.carrier_api [dynamic]",
    } <= typed_edges(sample)


def test_string_referenced_model_is_kept_as_a_fact(sample):
    # "orders.Order" is a Django app label reference; the decomposition stage maps labels
    # to apps, the graph keeps the literal where it stands.
    from decompose.parse import parse_source

    text = (SAMPLE / "shop/models/shipping.py").read_text()
    values = {(s.value, s.line) for s in parse_source(text).facts.string_refs}
    assert ("orders.Order", 44) in values


def test_third_party_dependencies_are_listed_apart(sample):
    modules = {m.name: m for m in sample.graph.modules}
    assert "django" in modules["shop.models.core"].third_party
    assert "decimal" in modules["shop.utils.money"].stdlib
