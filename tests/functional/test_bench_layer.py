"""bench/_layer.py: which layer a module is filed under, and the layered tree, renamed into
nested packages, has the module graph of the original."""

from __future__ import annotations

import sys
from pathlib import Path

from decompose import analyze_path
from helpers.trees import REPO, typed_edges, write_tree

sys.path.insert(0, str(REPO / "bench"))

import _layer  # noqa: E402
import _obfuscate  # noqa: E402

# module -> (is_package, source)
SOURCES = {
    # its base name decides, whatever it holds
    "shop.orders.models": (False, "def show(request): ..."),
    "shop.orders.views": (True, ""),
    "shop.orders.api.serializers": (False, ""),
    "shop.orders._admin": (False, ""),
    # then the package it sits in
    "shop.orders.models.order": (False, ""),
    "shop.orders.management.commands.sync": (False, ""),
    "shop.orders.templatetags.order_tags": (False, ""),
    # tests as discover defers them, before anything else
    "shop.orders.tests.models": (False, ""),
    "shop.orders.test_models": (False, ""),
    "shop.testing": (True, "class Order(models.Model): ..."),
    # then what it holds: the layer with the most votes
    "shop.orders.records": (
        False,
        "class Order(models.Model): ...\nclass Line(Model): ...\nclass OrderForm(forms.ModelForm): ...",
    ),
    "shop.orders.inputs": (False, "class OrderForm(forms.ModelForm): ...\nclass Pick(ChoiceWidget): ..."),
    "shop.orders.wire": (False, "class OrderSerializer(serializers.ModelSerializer): ..."),
    "shop.orders.backoffice": (False, "class OrderAdmin(admin.ModelAdmin): ..."),
    "shop.orders.pages": (False, "def detail(request, pk): ...\nclass Detail(generic.DetailView): ..."),
    "shop.orders.hooks": (False, "@receiver(post_save, sender=Order)\ndef placed(sender, **kw): ..."),
    "shop.orders.jobs": (False, "@shared_task\ndef send(order): ...\n@app.task()\ndef again(order): ..."),
    "shop.orders.filters": (False, "register = template.Library()\n@register.filter\ndef money(v): ..."),
    "shop.orders.routes": (False, "urlpatterns = [path('', detail)]"),
    "shop.orders.events": (False, "order_placed = Signal()"),
    "shop.orders.tie": (False, "class A(models.Model): ...\nclass AForm(forms.Form): ..."),
    # nothing says: utils
    "shop.orders.pricing": (False, "def total(lines, request=None): ..."),
    "shop.orders.legacy": (False, "print 'python 2'"),
}


def test_layer_from_name_then_package_then_content() -> None:
    layers = {
        module: _layer.layer_of(module, is_package, source)
        for module, (is_package, source) in SOURCES.items()
    }
    assert layers == {
        "shop.orders.models": "models",
        "shop.orders.views": "views",
        "shop.orders.api.serializers": "api.serializers",
        "shop.orders._admin": "admin",
        "shop.orders.models.order": "models",
        "shop.orders.management.commands.sync": "management.commands",
        "shop.orders.templatetags.order_tags": "templatetags",
        "shop.orders.tests.models": "tests",
        "shop.orders.test_models": "tests",
        "shop.testing": "tests",
        "shop.orders.records": "models",
        "shop.orders.inputs": "forms",
        "shop.orders.wire": "api.serializers",
        "shop.orders.backoffice": "admin",
        "shop.orders.pages": "views",
        "shop.orders.hooks": "signals",
        "shop.orders.jobs": "tasks",
        "shop.orders.filters": "templatetags",
        "shop.orders.routes": "urls",
        "shop.orders.events": "signals",
        "shop.orders.tie": "models",
        "shop.orders.pricing": "utils",
        "shop.orders.legacy": "utils",
    }


TREE = {
    "shop/__init__.py": "",
    "shop/settings.py": """
        INSTALLED_APPS = ["shop.orders", "shop.catalog.apps.CatalogConfig"]
        ROOT_URLCONF = "shop.urls"
    """,
    "shop/urls.py": """
        from shop.orders import views
        urlpatterns = [views.show]
    """,
    "shop/catalog/__init__.py": "",
    "shop/catalog/apps.py": """
        class CatalogConfig:
            name = "shop.catalog"
    """,
    "shop/catalog/models.py": """
        class Product:
            pass
    """,
    "shop/catalog/demo.py": """
        from shop.orders.tests.factories import make_order

        def demo(request):
            return make_order()
    """,
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": """
        from shop.catalog.models import Product

        class Order(Product):
            pass
    """,
    "shop/orders/forms.py": """
        import shop.catalog.models

        class OrderForm:
            model = shop.catalog.models.Product

            def clean(self):
                return shop.orders.models.Order
    """,
    "shop/orders/views.py": """
        from . import models
        from .forms import OrderForm

        def show(request):
            return models.Order, OrderForm
    """,
    "shop/orders/api/__init__.py": "",
    "shop/orders/api/serializers.py": """
        from ..models import Order

        class OrderSerializer:
            model = Order
    """,
    "shop/orders/tests/__init__.py": "",
    "shop/orders/tests/factories.py": """
        from shop.orders.models import Order

        def make_order():
            return Order()
    """,
}


def test_layered_tree_has_the_same_module_graph(tmp_path: Path) -> None:
    original = write_tree(tmp_path / "original", TREE)
    analysis = analyze_path(original, {"jobs": 1})
    files = {m.name: (m.path, m.is_package) for m in analysis.graph.modules}
    table = _layer.renaming(original, files)
    _obfuscate.obfuscate(original, files, table, tmp_path / "layered")

    assert {module: new.rpartition(".")[0] for module, new in table.items()} == {
        "shop": "lyr.utils",
        "shop.settings": "lyr.settings",
        "shop.urls": "lyr.urls",
        "shop.catalog": "lyr.utils",
        "shop.catalog.apps": "lyr.apps",
        "shop.catalog.models": "lyr.models",
        "shop.catalog.demo": "lyr.views",
        "shop.orders": "lyr.utils",
        "shop.orders.models": "lyr.models",
        "shop.orders.forms": "lyr.forms",
        "shop.orders.views": "lyr.views",
        "shop.orders.api": "lyr.api.views",
        "shop.orders.api.serializers": "lyr.api.serializers",
        "shop.orders.tests.factories": "lyr.tests",
    }
    # Numbered as the flat obfuscation numbers, whatever the layer.
    flat = _obfuscate.renaming(files)
    assert {m: new.rpartition(".")[2] for m, new in table.items()} == {
        m: new.rpartition(".")[2] for m, new in flat.items()
    }
    written = sorted(
        p.relative_to(tmp_path / "layered").as_posix() for p in (tmp_path / "layered").rglob("*.py")
    )
    packages = ["lyr", "lyr/api", "lyr/api/serializers", "lyr/api/views", "lyr/apps", "lyr/forms"]
    packages += ["lyr/models", "lyr/settings", "lyr/tests", "lyr/urls", "lyr/utils", "lyr/views"]
    assert written == sorted(
        [*(f"{p}/__init__.py" for p in packages), *(n.replace(".", "/") + ".py" for n in table.values())]
    )

    layered = analyze_path(tmp_path / "layered", {"jobs": 1})
    # The tests folder is deferred in the layered tree too, as shop/orders/tests/ was: the
    # module demo imports is pulled in, the package's __init__ (imported by none) is not.
    assert {m.name for m in layered.graph.modules} == {
        *table.values(),
        *(p.replace("/", ".") for p in packages if p != "lyr/tests"),
    }
    back = {new: old for old, new in table.items()}
    before = typed_edges(analysis)
    after = {
        f"{back[e.source]} -> {back[e.target]} [{e.kind.value}]"
        for e in layered.graph.edges
        if e.source in back and e.target in back
    }
    # shop.orders.models reached through the package name that `import shop.catalog.models` binds
    assert "shop.orders.forms -> shop.orders.models [reference]" in before
    assert "shop.settings -> shop.catalog.apps [string]" in before
    assert "shop.catalog.demo -> shop.orders.tests.factories [import]" in before
    assert after == before
