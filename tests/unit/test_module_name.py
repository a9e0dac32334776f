"""``ModuleName``: a module's dotted name as a ``str`` with the operations on its parts."""

from __future__ import annotations

import json
import pickle

import pytest

from decompose.model import ModuleName

CORE = ModuleName("shop.models.core")


def test_it_is_its_text():
    assert CORE == "shop.models.core" and hash(CORE) == hash("shop.models.core")
    assert {"shop.models.core": 1}[CORE] == 1
    assert json.dumps({CORE: [CORE]}) == '{"shop.models.core": ["shop.models.core"]}'
    assert sorted([ModuleName("shop.orders"), ModuleName("shop"), ModuleName("cart")]) == [
        "cart",
        "shop",
        "shop.orders",
    ]
    assert f"{CORE}" == str(CORE) == "shop.models.core" and repr(CORE) == "'shop.models.core'"


def test_it_pickles_as_a_module_name():
    again = pickle.loads(pickle.dumps(CORE))
    assert again == CORE and type(again) is ModuleName


def test_of_joins_parts():
    assert ModuleName.of(["shop", "orders"]) == "shop.orders"
    assert type(ModuleName.of(["shop"])) is ModuleName
    assert ModuleName.of([]) == ""


def test_parts_and_depth():
    assert CORE.parts == ("shop", "models", "core") and CORE.depth == 3
    assert ModuleName("manage").parts == ("manage",) and ModuleName("manage").depth == 1
    assert ModuleName("").parts == () and ModuleName("").depth == 0


def test_top_parent_and_leaf():
    assert CORE.top == "shop" and CORE.parent == "shop.models" and CORE.leaf == "core"
    assert type(CORE.top) is ModuleName and type(CORE.parent) is ModuleName
    manage = ModuleName("manage")
    assert manage.top == "manage" and manage.parent == "" and manage.leaf == "manage"
    assert CORE.parent.parent.parent == ""


def test_ancestors_nearest_first():
    assert CORE.ancestors == ("shop.models", "shop")
    assert all(type(a) is ModuleName for a in CORE.ancestors)
    assert ModuleName("shop").ancestors == () and ModuleName("").ancestors == ()


def test_head_and_tail():
    assert CORE.head(1) == "shop" and CORE.head(2) == "shop.models" and CORE.head(9) == CORE
    assert CORE.head(0) == ""
    assert CORE.tail(1) == "core" and CORE.tail(2) == "models.core" and CORE.tail(9) == CORE
    assert CORE.tail(0) == ""
    assert type(CORE.head(2)) is ModuleName and type(CORE.tail(2)) is ModuleName


def test_child():
    assert ModuleName("shop").child("orders") == "shop.orders"
    assert ModuleName("shop").child("orders.models") == "shop.orders.models"
    assert ModuleName("").child("shop_api") == "shop_api"
    assert type(ModuleName("").child("x")) is ModuleName


def test_is_within_is_equal_or_below():
    assert CORE.is_within("shop") and CORE.is_within("shop.models") and CORE.is_within(CORE)
    assert not ModuleName("shopping").is_within("shop")
    assert not ModuleName("shop").is_within("shop.models")
    assert not CORE.is_within("models")
    assert not CORE.is_within("") and ModuleName("").is_within("")


def test_is_below_is_strictly_below():
    assert CORE.is_below("shop") and CORE.is_below("shop.models")
    assert not CORE.is_below(CORE) and not ModuleName("shopping").is_below("shop")
    assert not CORE.is_below("")


def test_relative_to():
    assert CORE.relative_to("shop") == "models.core"
    assert CORE.relative_to("shop.models") == "core" and CORE.relative_to(CORE) == ""
    assert type(CORE.relative_to("shop")) is ModuleName
    with pytest.raises(ValueError, match="not within"):
        ModuleName("shopping.cart").relative_to("shop")


@pytest.mark.parametrize(
    ("names", "common"),
    [
        (["shop.orders.models", "shop.orders.views", "shop.orders"], "shop.orders"),
        (["shop.orders.models", "shop.payments.models"], "shop"),
        (["shop.orders", "cart.orders"], ""),
        (["shop.orders"], "shop.orders"),
        (["shopping.cart", "shop.cart"], ""),
        ([], ""),
    ],
)
def test_common_ancestor(names, common):
    found = ModuleName.common_ancestor(ModuleName(n) for n in names)
    assert found == common and type(found) is ModuleName
