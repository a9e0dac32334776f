"""Graph stage: each import and call form, as a fixture tree with "a -> b" edge assertions."""

from __future__ import annotations

from helpers.trees import codes, edges, symbol_edges, typed_edges


def test_absolute_relative_and_from_imports_resolve_to_modules(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": "class Order: pass\n",
            "shop/orders/views.py": "from . import models\nfrom .models import Order\nfrom ..billing import invoice\n",
            "shop/billing/__init__.py": "",
            "shop/billing/invoice.py": "import shop.orders.models\n",
        }
    )
    assert edges(analysis, {"import"}) == {
        "shop.orders.views -> shop.orders.models",
        "shop.orders.views -> shop.billing.invoice",
        "shop.billing.invoice -> shop.orders.models",
    }


def test_reexports_through_init_and_star_imports_lead_to_the_defining_module(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/models/__init__.py": "from .core import Order\nfrom .extra import *\n",
            "shop/models/core.py": "class Order: pass\n",
            "shop/models/extra.py": "__all__ = ['Refund']\nclass Refund: pass\nclass Hidden: pass\n",
            "shop/api.py": "from shop.models import Order, Refund\n\ndef f():\n    return Order(), Refund()\n",
            "shop/star.py": "from shop.models import *\n\ndef g():\n    return Refund()\n",
        }
    )
    assert "shop.api -> shop.models.core [import]" in typed_edges(analysis)
    assert "shop.api -> shop.models.extra [import]" in typed_edges(analysis)
    assert "shop.api -> shop.models.core [call]" in typed_edges(analysis)
    assert "shop.star -> shop.models.extra [call]" in typed_edges(analysis)
    assert "shop.api:f -> shop.models.core:Order" in symbol_edges(analysis, {"call"})
    assert "shop.star:g -> shop.models.extra:Refund" in symbol_edges(analysis, {"call"})


def test_calls_through_module_attributes_and_aliases(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/services.py": "def place(order):\n    return order\n",
            "shop/pricing.py": "def quote():\n    return 1\n",
            "shop/views.py": (
                "from shop import services\nimport shop.pricing as p\n\n"
                "def checkout(request):\n    services.place(request)\n    return p.quote()\n"
            ),
        }
    )
    assert symbol_edges(analysis, {"call"}) == {
        "shop.views:checkout -> shop.services:place",
        "shop.views:checkout -> shop.pricing:quote",
    }
    weights = {(e.source, e.target, e.kind.value): e.weight for e in analysis.graph.edges}
    assert weights[("shop.views", "shop.services", "call")] == 1
    assert weights[("shop.views", "shop.services", "import")] == 1


def test_inheritance_decorators_and_annotations_are_typed_edges(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/base.py": "class Model: pass\ndef register(cls):\n    return cls\n",
            "app/types.py": "class Money: pass\n",
            "app/orders.py": (
                "from app.base import Model, register\nfrom app import types\n\n"
                "@register\nclass Order(Model):\n    def total(self) -> types.Money:\n        ...\n"
            ),
        }
    )
    assert {
        "app.orders -> app.base [inherit]",
        "app.orders -> app.base [decorator]",
        "app.orders -> app.types [annotation]",
    } <= typed_edges(analysis)
    assert "app.orders:Order -> app.base:Model" in symbol_edges(analysis, {"inherit"})


def test_type_only_lazy_and_dynamic_imports_keep_their_kind(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/a.py": "",
            "app/b.py": "",
            "app/c.py": "",
            "app/user.py": (
                "from typing import TYPE_CHECKING\nimport importlib\n"
                "if TYPE_CHECKING:\n    from app import a\n"
                "def f():\n    from app import b\n    return importlib.import_module('app.c')\n"
            ),
        }
    )
    assert typed_edges(analysis) >= {
        "app.user -> app.a [type_only]",
        "app.user -> app.b [lazy]",
        "app.user -> app.c [dynamic]",
    }
    assert "app.user -> app.a [import]" not in typed_edges(analysis)


def test_stdlib_and_third_party_are_kept_apart_and_listed_per_module(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/x.py": "import os.path\nimport json\nfrom __future__ import annotations\nimport django.db\nfrom requests import get\n",
        }
    )
    (module,) = [m for m in analysis.graph.modules if m.name == "app.x"]
    assert module.stdlib == ("json", "os")
    assert module.third_party == ("django", "requests")
    assert edges(analysis) == set()


def test_string_paths_naming_project_modules_are_weak_edges(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/settings.py": "INSTALLED_APPS = ['app.orders', 'django.contrib.admin']\nLOGGER = 'app.orders.thing.other'\n",
            "app/orders.py": "",
        }
    )
    assert typed_edges(analysis) == {"app.settings -> app.orders [string]"}


def test_relative_import_past_the_root_is_a_warning(tree):
    analysis = tree(
        {"app/__init__.py": "", "app/x.py": "from ... import y\n", "script.py": "from . import z\n"}
    )
    assert {
        ("app/x.py", "relative-import-beyond-root"),
        ("script.py", "relative-import-beyond-root"),
    } <= codes(analysis)


def test_import_cycle_is_in_the_graph(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/a.py": "from app import b\n",
            "app/b.py": "from app import a\n",
        }
    )
    import networkx as nx

    cycles = list(nx.simple_cycles(analysis.graph.to_networkx()))
    assert sorted(cycles[0]) == ["app.a", "app.b"]


def test_imports_of_a_submodule_by_from_package(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/sub/__init__.py": "",
            "app/sub/mod.py": "X = 1\n",
            "app/user.py": "from app.sub import mod\nfrom app.sub.mod import X\n",
        }
    )
    assert edges(analysis, {"import"}) == {"app.user -> app.sub.mod"}
    weights = {(e.source, e.target, e.kind.value): e.weight for e in analysis.graph.edges}
    assert weights[("app.user", "app.sub.mod", "import")] == 2


def test_local_variable_named_like_a_module_makes_no_edge(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/order.py": "def save():\n    pass\n",
            "app/user.py": "from app import order\n\ndef f(order):\n    order.save()\n",
        }
    )
    assert typed_edges(analysis) == {"app.user -> app.order [import]"}


def test_python2_implicit_relative_imports_find_their_siblings(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/models.py": "class Order: pass\n",
            "shop/cache.py": "import redis\n",
            "shop/redis.py": "",
            "shop/legacy.py": 'import models\nimport json\nprint "python 2"\n',
        }
    )
    assert typed_edges(analysis) == {"shop.legacy -> shop.models [import]"}
    modules = {m.name: m for m in analysis.graph.modules}
    # Python 3 code: "import redis" is the library, whatever the sibling is called.
    assert modules["shop.cache"].third_party == ("redis",)
    assert modules["shop.legacy"].stdlib == ("json",)
