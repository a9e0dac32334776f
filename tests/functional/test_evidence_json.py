"""A module's placement evidence in analysis.json: its ties into its own service, the
runner-up service and its ties there, the two sums; written in a stable shape, read back
equal, and refused with the key named when a file holds it in the wrong shape."""

from __future__ import annotations

import json

import pytest

from decompose import InputError, analyze_path
from decompose.api import Analysis
from decompose.model import ServiceModule
from decompose.render import analysis_json
from decompose.render.json import document_json, stored_document
from decompose.stored import load_analysis
from helpers.evidence import (
    EVIDENCE,
    SHOP,
    placed,
)
from helpers.trees import write_tree


@pytest.fixture(scope="module")
def shop_root(tmp_path_factory):
    return write_tree(tmp_path_factory.mktemp("evidence") / "shop", SHOP)


@pytest.fixture(scope="module")
def shop(shop_root) -> Analysis:
    return placed(analyze_path(shop_root, {"method": "packages"}), EVIDENCE)


@pytest.fixture
def shop_file(shop, tmp_path):
    file = tmp_path / "analysis.json"
    file.write_bytes(analysis_json(shop))
    return file


def _modules(document: dict) -> dict[str, dict]:
    return {m["name"]: m for s in document["services"] for m in s["modules"]}


def _module(decomposition, name: str) -> ServiceModule:
    (module,) = [m for s in decomposition.services for m in s.modules if m.name == name]
    return module


def _place(document: dict, module: str) -> tuple[int, int]:
    """(service index, module index) of ``module`` in the document."""
    for i, service in enumerate(document["services"]):
        for j, entry in enumerate(service["modules"]):
            if entry["name"] == module:
                return i, j
    raise AssertionError(module)


def test_a_module_carries_its_ties_its_runner_up_and_the_two_sums(shop):
    modules = _modules(json.loads(analysis_json(shop)))
    assert modules["orders.views"] == {
        "name": "orders.views",
        "path": "orders/views.py",
        "confidence": 0.4286,
        "ties": [{"module": "orders.models", "kind": "import", "weight": 0.3}],
        "runner_up": "billing",
        "runner_up_ties": [
            {"module": "billing.invoice", "kind": "call", "weight": 0.4},
            {"module": "billing.tax", "kind": "vocabulary", "weight": 0.0123},
        ],
        "own_weight": 0.3,
        "runner_up_weight": 0.4123,
    }
    assert [t["module"] for t in modules["billing.invoice"]["ties"]] == ["billing.tax", "billing"]


def test_a_module_without_evidence_says_so_in_the_same_shape(shop):
    modules = _modules(json.loads(analysis_json(shop)))
    assert list(modules["orders.models"]) == list(modules["orders.views"])
    assert modules["orders.models"] == {
        "name": "orders.models",
        "path": "orders/models.py",
        "confidence": 1.0,
        "ties": [],
        "runner_up": None,
        "runner_up_ties": [],
        "own_weight": 0.0,
        "runner_up_weight": 0.0,
    }


def test_the_same_evidence_gives_the_same_bytes(shop, shop_root):
    again = placed(analyze_path(shop_root, {"method": "packages"}), EVIDENCE)
    assert analysis_json(again) == analysis_json(shop)


def test_the_evidence_reads_back_into_equal_values(shop, shop_file):
    stored = load_analysis(shop_file)
    assert stored.decomposition == shop.decomposition
    invoice = _module(stored.decomposition, "billing.invoice")
    assert invoice == ServiceModule("billing.invoice", "billing/invoice.py", **EVIDENCE["billing.invoice"])
    assert document_json(stored_document(stored)) == shop_file.read_bytes()


def test_whole_weights_read_back_as_floats(shop, shop_file):
    document = json.loads(shop_file.read_text())
    i, j = _place(document, "billing.invoice")
    document["services"][i]["modules"][j]["own_weight"] = 2
    document["services"][i]["modules"][j]["ties"][0]["weight"] = 1
    shop_file.write_text(json.dumps(document))
    invoice = _module(load_analysis(shop_file).decomposition, "billing.invoice")
    assert (invoice.own_weight, invoice.ties[0].weight) == (2.0, 1.0)
    assert isinstance(invoice.own_weight, float) and isinstance(invoice.ties[0].weight, float)


def test_an_analysis_written_before_the_evidence_still_reads(shop, shop_file):
    document = json.loads(shop_file.read_text())
    for service in document["services"]:
        for module in service["modules"]:
            for key in ("ties", "runner_up", "runner_up_ties", "own_weight", "runner_up_weight"):
                del module[key]
    shop_file.write_text(json.dumps(document))
    stored = load_analysis(shop_file)
    modules = {m.name: m for s in stored.decomposition.services for m in s.modules}
    assert modules["billing.invoice"] == ServiceModule("billing.invoice", "billing/invoice.py", 0.75)
    assert all(not m.ties and m.runner_up is None and m.own_weight == 0.0 for m in modules.values())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ties": {"orders.models": 0.3}}, r"\.ties: expected list, got object"),
        ({"ties": ["orders.models"]}, r"\.ties\[0\]: expected an object, got string"),
        ({"runner_up": 7}, r"\.runner_up: expected str, got int"),
        ({"own_weight": "0.3"}, r"\.own_weight: expected int or float, got string"),
        ({"runner_up_weight": True}, r"\.runner_up_weight: expected int or float, got boolean"),
        ({"confidence": None}, r"\.confidence: expected int or float, got null"),
        ({"runner_up": "nowhere"}, r"\.runner_up: 'nowhere' names no service of the proposal"),
        ({"runner_up": "orders"}, r"\.runner_up: 'orders' names its own service"),
    ],
)
def test_evidence_of_the_wrong_shape_is_named_with_its_place(shop_file, change, message):
    document = json.loads(shop_file.read_text())
    i, j = _place(document, "orders.views")
    document["services"][i]["modules"][j].update(change)
    shop_file.write_text(json.dumps(document))
    with pytest.raises(InputError, match=rf"analysis\.json: services\[{i}\]\.modules\[{j}\]{message}"):
        load_analysis(shop_file)


@pytest.mark.parametrize(
    ("tie", "message"),
    [
        ({"kind": "call", "weight": 0.4}, r"\.ties\[0\]: 'module' is missing"),
        ({"module": "billing.tax", "kind": 3, "weight": 0.4}, r"\.ties\[0\]\.kind: expected str, got int"),
        (
            {"module": "billing.tax", "kind": "call", "weight": "4"},
            r"\.ties\[0\]\.weight: expected int or float",
        ),
    ],
)
def test_a_tie_of_the_wrong_shape_is_named_with_its_place(shop_file, tie, message):
    document = json.loads(shop_file.read_text())
    i, j = _place(document, "billing.invoice")
    document["services"][i]["modules"][j]["ties"][0] = tie
    shop_file.write_text(json.dumps(document))
    with pytest.raises(InputError, match=rf"services\[{i}\]\.modules\[{j}\]{message}"):
        load_analysis(shop_file)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "1" + "0" * 400])
def test_a_weight_that_is_no_finite_number_is_refused(shop_file, number):
    document = json.loads(shop_file.read_text())
    i, j = _place(document, "billing.invoice")
    document["services"][i]["modules"][j]["runner_up_ties"][0]["weight"] = "WEIGHT"
    shop_file.write_text(json.dumps(document).replace('"WEIGHT"', number))
    where = rf"services\[{i}\]\.modules\[{j}\]\.runner_up_ties\[0\]\.weight"
    with pytest.raises(InputError, match=rf"{where}: expected a finite number, got "):
        load_analysis(shop_file)
