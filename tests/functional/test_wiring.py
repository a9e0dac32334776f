"""Framework wiring: each framework's hooks as typed edges, on a fixture tree per framework
with "a -> b [kind]" assertions, and the cases that must give no edge."""

from __future__ import annotations

import textwrap

from decompose.cluster import DEFAULT_EDGE_WEIGHTS
from decompose.discover import discover
from decompose.model import EdgeKind
from decompose.parse import FactCache, parse_files, parse_source
from decompose.render.json import analysis_document
from helpers.trees import typed_edges, write_tree

WIRING = {
    "app_config",
    "django_model",
    "signal",
    "admin",
    "model_binding",
    "url",
    "loader",
    "task",
    "blueprint",
    "orm",
    "router",
    "depends",
    "setting",
}


def wiring(analysis) -> set[str]:
    """The framework edges, as ``"a -> b [kind]"``."""
    return {e for e in typed_edges(analysis) if e.rpartition("[")[2].rstrip("]") in WIRING}


DJANGO = {
    "shop/__init__.py": "",
    "shop/settings.py": """
        INSTALLED_APPS = ["django.contrib.admin", "shop.accounts", "shop.catalogue.apps.CatalogueConfig", "shop.orders"]
        AUTH_USER_MODEL = "accounts.User"
    """,
    "shop/urls.py": """
        from django.urls import include, path

        urlpatterns = [
            path("orders/", include("shop.orders.urls")),
            path("legacy/", "shop.orders.views.index"),
        ]
    """,
    "shop/accounts/__init__.py": "",
    "shop/accounts/models.py": """
        from django.db import models

        class User(models.Model):
            pass
    """,
    "shop/accounts/profile.py": """
        from django.contrib.auth import get_user_model

        def current():
            return get_user_model()
    """,
    "shop/catalogue/__init__.py": "",
    "shop/catalogue/apps.py": """
        from django.apps import AppConfig

        class CatalogueConfig(AppConfig):
            name = "shop.catalogue"
            label = "products"
    """,
    "shop/catalogue/models.py": """
        from django.db import models

        class Product(models.Model):
            pass
    """,
    "shop/catalogue/forms.py": """
        class ProductForm:
            pass
    """,
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": """
        from django.conf import settings
        from django.db import models

        class Order(models.Model):
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            product = models.ForeignKey(
                "products.Product", on_delete=models.CASCADE
            )
    """,
    "shop/orders/signals.py": """
        from django.dispatch import Signal

        order_paid = Signal()
    """,
    "shop/orders/services.py": """
        from django.apps import apps
        from shop.orders.signals import order_paid

        def pay(order):
            Product = apps.get_model("products", "Product")
            order_paid.send(sender=None, order=order)
            return Product
    """,
    "shop/orders/admin.py": """
        from django.contrib import admin
        from shop.catalogue.models import Product
        from shop.orders.models import Order

        admin.site.register(Product)

        @admin.register(Order)
        class OrderAdmin(admin.ModelAdmin):
            pass
    """,
    "shop/orders/serializers.py": """
        from rest_framework import serializers
        from shop.orders.models import Order

        class OrderSerializer(serializers.ModelSerializer):
            class Meta:
                model = Order
                fields = "__all__"
    """,
    "shop/orders/views.py": """
        from rest_framework import viewsets
        from shop.orders import models

        class OrderViewSet(viewsets.ModelViewSet):
            queryset = models.Order.objects.select_related("user").all()

        def index(request):
            pass
    """,
    "shop/orders/urls.py": """
        from django.urls import path
        from django.utils.module_loading import import_string
        from oscar.core.loading import get_class, get_classes

        ProductForm = get_class("catalogue.forms", "ProductForm")
        Order, Missing = get_classes("orders.models", ["Order", "Missing"])
        index = import_string("shop.orders.views.index")
        urlpatterns = []
    """,
    "shop/billing/__init__.py": "",
    "shop/billing/handlers.py": """
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        from shop.orders.signals import order_paid

        @receiver(post_save, sender="products.Product")
        def product_saved(sender, **kwargs):
            pass

        @receiver(order_paid)
        def order_was_paid(sender, **kwargs):
            pass

        def late(sender, **kwargs):
            pass

        post_save.connect(late, sender="orders.Order")
    """,
}

CELERY = {
    "proj/__init__.py": "",
    "proj/celery.py": """
        from celery import Celery
        from celery.schedules import crontab

        app = Celery("proj")
        app.conf.beat_schedule = {
            "nightly": {"task": "proj.billing.tasks.close_day", "schedule": crontab(hour=0)},
            "hourly": {"task": "reports.hourly", "schedule": 3600},
        }
    """,
    "proj/settings.py": """
        CELERY_BEAT_SCHEDULE = {
            "cleanup": {"task": "orders.cleanup", "schedule": 60},
        }
    """,
    "proj/billing/__init__.py": "",
    "proj/billing/tasks.py": """
        from celery import shared_task

        @shared_task
        def close_day():
            pass
    """,
    "proj/reports/__init__.py": "",
    "proj/reports/tasks.py": """
        from proj.celery import app

        @app.task(name="reports.hourly")
        def hourly():
            pass
    """,
    "proj/orders/__init__.py": "",
    "proj/orders/jobs.py": """
        from celery import shared_task

        @shared_task(name="orders.cleanup")
        def cleanup():
            pass
    """,
    "proj/orders/views.py": """
        from celery import current_app, signature

        def checkout(request):
            current_app.send_task("proj.billing.tasks.close_day")
            return signature("reports.hourly")
    """,
}
FLASK = {
    "app/__init__.py": """
        from flask import Flask
        from app.orders.views import bp as orders_bp

        def create_app():
            app = Flask(__name__)
            from app.billing import routes
            app.register_blueprint(orders_bp)
            app.register_blueprint(routes.blueprint, url_prefix="/billing")
            return app
    """,
    "app/db.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
    """,
    "app/orders/__init__.py": "",
    "app/orders/views.py": """
        from flask import Blueprint

        bp = Blueprint("orders", __name__)
    """,
    "app/orders/models.py": """
        from app.db import db

        class Order(db.Model):
            __tablename__ = "orders"
            id = db.Column(db.Integer, primary_key=True)
            lines = db.relationship("Line", back_populates="order")
            customer_id = db.Column(db.ForeignKey("customers.id"))
    """,
    "app/orders/lines.py": """
        from app.db import db

        class Line(db.Model):
            __tablename__ = "order_lines"
            order_id = db.Column(db.Integer, db.ForeignKey("orders.id"))
            order = db.relationship("Order", back_populates="lines")
    """,
    "app/customers/__init__.py": "",
    "app/customers/models.py": """
        from app.db import db

        class Customer(db.Model):
            __tablename__ = "customers"
            id = db.Column(db.Integer, primary_key=True)
    """,
    "app/billing/__init__.py": "",
    "app/billing/routes.py": """
        from flask import Blueprint

        blueprint = Blueprint("billing", __name__)
    """,
}
FASTAPI = {
    "api/__init__.py": "",
    "api/main.py": """
        from fastapi import FastAPI
        from api.routers import orders, users

        app = FastAPI()
        app.include_router(orders.router, prefix="/orders")
        app.include_router(router=users.router)
    """,
    "api/deps.py": """
        def get_db():
            yield None

        def current_user():
            return None
    """,
    "api/routers/__init__.py": "",
    "api/routers/orders.py": """
        from typing import Annotated
        from fastapi import APIRouter, Depends
        from api.deps import get_db, current_user

        router = APIRouter()

        @router.get("/")
        def list_orders(db=Depends(get_db), user: Annotated[object, Depends(current_user)] = None):
            return []
    """,
    "api/routers/users.py": """
        from fastapi import APIRouter, Security
        from api import deps

        router = APIRouter()

        @router.get("/me")
        def me(user=Security(deps.current_user)):
            return user
    """,
}


# --------------------------------------------------------------------------- facts


def test_the_visitor_records_hooks_as_written():
    facts = parse_source(
        textwrap.dedent(
            """
        from django.urls import include, path

        urlpatterns = [
            path("a/", include(("shop.orders.urls", "orders"))),
            path("b/", "shop.views.index"),
        ]

        class OrderViewSet:
            queryset = Order.objects.filter(paid=True).order_by("-id")

        def create_app():
            bp = make_blueprint()
            app.register_blueprint(bp)  # a local: no hook
            app.register_blueprint(views.bp)

        @app.task(name="orders.cleanup")
        def cleanup():
            pass
        """
        ).lstrip()
    ).facts
    assert [(h.kind.value, h.hook, h.names, h.strings, h.line, h.scope, h.subject) for h in facts.hooks] == [
        ("url", "include", (), ("shop.orders.urls",), 4, "", ""),
        ("url", "path", (), ("shop.views.index",), 5, "", ""),
        ("binding", "queryset", ("Order.objects.filter",), (), 9, "OrderViewSet", ""),
        ("blueprint", "app.register_blueprint", ("views.bp",), (), 14, "create_app", ""),
        ("task", "app.task", (), ("orders.cleanup",), 16, "cleanup", "cleanup"),
    ]


# --------------------------------------------------------------------------- per framework


def test_django_hooks_are_typed_edges_to_the_modules_they_name(tree):
    assert wiring(tree(DJANGO)) == {
        "shop.catalogue.apps -> shop.catalogue [app_config]",
        # "products.Product" through CatalogueConfig's label; AUTH_USER_MODEL's uses and literal
        "shop.orders.models -> shop.catalogue.models [django_model]",
        "shop.orders.models -> shop.accounts.models [django_model]",
        "shop.orders.services -> shop.catalogue.models [django_model]",
        "shop.accounts.profile -> shop.accounts.models [django_model]",
        "shop.settings -> shop.accounts.models [django_model]",
        # a model signal's lazy sender, a connect's sender, and the module sending order_paid
        "shop.billing.handlers -> shop.catalogue.models [signal]",
        "shop.billing.handlers -> shop.orders.models [signal]",
        "shop.billing.handlers -> shop.orders.services [signal]",
        "shop.orders.admin -> shop.catalogue.models [admin]",
        "shop.orders.admin -> shop.orders.models [admin]",
        "shop.orders.serializers -> shop.orders.models [model_binding]",
        "shop.orders.views -> shop.orders.models [model_binding]",
        "shop.urls -> shop.orders.urls [url]",
        "shop.urls -> shop.orders.views [url]",
        # get_class by app-relative path, get_classes, import_string
        "shop.orders.urls -> shop.catalogue.forms [loader]",
        "shop.orders.urls -> shop.orders.models [loader]",
        "shop.orders.urls -> shop.orders.views [loader]",
    }


def test_a_wiring_edge_takes_over_the_plain_use_it_explains(tree):
    analysis = tree(DJANGO)
    edges = typed_edges(analysis)
    # Order named in admin.site.register / Meta.model / queryset was a reference or call;
    # include("shop.orders.urls") and import_string's path were dotted strings.
    assert (
        not {
            "shop.orders.admin -> shop.orders.models [reference]",
            "shop.orders.admin -> shop.catalogue.models [reference]",
            "shop.orders.serializers -> shop.orders.models [reference]",
            "shop.orders.views -> shop.orders.models [call]",
            "shop.urls -> shop.orders.urls [string]",
            "shop.urls -> shop.orders.views [string]",
            "shop.orders.urls -> shop.orders.views [string]",
        }
        & edges
    )
    # The imports stay: they are statements of their own.
    assert "shop.orders.admin -> shop.orders.models [import]" in edges
    weights = {(e.source, e.target, e.kind.value): e.weight for e in analysis.graph.edges}
    assert weights[("shop.orders.urls", "shop.orders.models", "loader")] == 2  # Order and Missing
    # the field's string, a line below the field, is the relation, not a string of its own
    assert weights[("shop.orders.models", "shop.catalogue.models", "django_model")] == 1
    symbols = {
        f"{e.source_module}:{e.source_symbol} -> {e.target_module}:{e.target_symbol}"
        for e in analysis.graph.symbol_edges
        if e.kind is EdgeKind.ADMIN
    }
    assert symbols == {
        "shop.orders.admin: -> shop.catalogue.models:Product",
        "shop.orders.admin:OrderAdmin -> shop.orders.models:Order",
    }


def test_celery_task_names_in_calls_and_beat_schedules(tree):
    assert wiring(tree(CELERY)) == {
        "proj.celery -> proj.billing.tasks [task]",  # default name: module.function
        "proj.celery -> proj.reports.tasks [task]",  # @app.task(name="reports.hourly")
        "proj.settings -> proj.orders.jobs [task]",  # CELERY_BEAT_SCHEDULE, @shared_task(name=...)
        "proj.orders.views -> proj.billing.tasks [task]",  # send_task
        "proj.orders.views -> proj.reports.tasks [task]",  # signature
    }


def test_flask_blueprints_and_sqlalchemy_relations_by_class_and_table(tree):
    assert wiring(tree(FLASK)) == {
        "app -> app.orders.views [blueprint]",
        "app -> app.billing.routes [blueprint]",  # through a lazy module import
        "app.orders.models -> app.orders.lines [orm]",  # relationship("Line")
        "app.orders.models -> app.customers.models [orm]",  # ForeignKey("customers.id")
        "app.orders.lines -> app.orders.models [orm]",  # ForeignKey("orders.id"), relationship("Order")
    }


def test_fastapi_routers_and_dependencies(tree):
    analysis = tree(FASTAPI)
    assert wiring(analysis) == {
        "api.main -> api.routers.orders [router]",
        "api.main -> api.routers.users [router]",
        "api.routers.orders -> api.deps [depends]",  # a default and inside Annotated[...]
        "api.routers.users -> api.deps [depends]",  # Security(deps.current_user)
    }
    weights = {(e.source, e.target, e.kind.value): e.weight for e in analysis.graph.edges}
    assert weights[("api.routers.orders", "api.deps", "depends")] == 2
    assert ("api.routers.orders", "api.deps", "annotation") not in weights


# --------------------------------------------------------------------------- no edge


SETTINGS = {
    "site/__init__.py": "",
    "site/settings/__init__.py": "",
    "site/settings/base.py": """
        INSTALLED_APPS = ["site.orders", "site.mail"]
        PAGE_SIZE = 20
        MAIL_HOST = "localhost"
        DEBUG = False
    """,
    "site/settings/production.py": """
        from .base import *

        DEBUG = False
        SENTRY_DSN = "https://sentry.example"
    """,
    "site/orders/__init__.py": "",
    "site/orders/views.py": """
        from django.conf import settings

        def listing(request):
            if settings.DEBUG:
                pass
            return settings.PAGE_SIZE * 2, settings.PAGE_SIZE
    """,
    "site/mail/__init__.py": "",
    "site/mail/client.py": """
        from django.conf import settings as django_settings

        HOST = django_settings.MAIL_HOST
        DSN = django_settings.SENTRY_DSN
        MISSING = django_settings.NOT_DECLARED_ANYWHERE
    """,
    "site/mail/local.py": """
        class settings:
            PAGE_SIZE = 5

        SIZE = settings.PAGE_SIZE
    """,
}


def test_settings_reads_go_to_the_settings_module_declaring_the_name(tree):
    analysis = tree(SETTINGS)
    assert wiring(analysis) == {
        # DEBUG is declared in base and overridden in production: it belongs to the base
        "site.orders.views -> site.settings.base [setting]",
        "site.mail.client -> site.settings.base [setting]",
        "site.mail.client -> site.settings.production [setting]",
    }
    weights = {(e.source, e.target): e.weight for e in analysis.graph.edges if e.kind is EdgeKind.SETTING}
    assert weights[("site.orders.views", "site.settings.base")] == 3  # DEBUG and PAGE_SIZE twice


def test_send_and_connect_on_what_is_no_signal_give_no_signal_edge(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/models.py": "class Order:\n    pass\n",
            "app/signals.py": "from django.dispatch import Signal\n\norder_paid = Signal()\nmailer = object()\n",
            "app/shop.py": "from app.signals import order_paid\n\ndef pay():\n    order_paid.send(sender=None)\n",
            "app/mail.py": "from app.signals import mailer\n\ndef tell():\n    mailer.send('hi')\n",
            "app/db.py": (
                "from app.models import Order\n"
                "from app.pool import engine\n\n"
                "engine.connect(print, sender=Order)\n"
            ),
            "app/pool.py": "engine = object()\n",
            "app/handlers.py": (
                "from django.dispatch import receiver\n"
                "from app.signals import order_paid\n\n"
                "@receiver(order_paid)\n"
                "def paid(sender, **kwargs):\n    pass\n"
            ),
        }
    )
    assert wiring(analysis) == {"app.handlers -> app.shop [signal]"}
    assert "app.db -> app.models [reference]" in typed_edges(analysis)  # left as it was


def test_an_unknown_app_label_gives_no_model_edge(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": (
                "from django.db import models\n\n"
                "class Order(models.Model):\n"
                '    invoice = models.ForeignKey("billing.Invoice", on_delete=models.CASCADE)\n'
                '    other = models.ForeignKey("orders.Invoice", on_delete=models.CASCADE)\n'
            ),
            "shop/orders/services.py": (
                "from django.apps import apps\n\n"
                "def f():\n"
                '    return apps.get_model("nowhere", "Order"), apps.get_model("orders", "Order")\n'
            ),
        }
    )
    assert wiring(analysis) == {"shop.orders.services -> shop.orders.models [django_model]"}


def test_an_ambiguous_module_suffix_gives_no_loader_edge_until_an_app_decides(tree):
    files = {
        "shop/__init__.py": "",
        "shop/catalogue/__init__.py": "",
        "shop/catalogue/forms.py": "class ProductForm:\n    pass\n",
        "shop/dashboard/__init__.py": "",
        "shop/dashboard/catalogue/__init__.py": "",
        "shop/dashboard/catalogue/forms.py": "class ProductForm:\n    pass\n",
        "shop/views.py": (
            "from oscar.core.loading import get_class\n\n"
            'ProductForm = get_class("catalogue.forms", "ProductForm")\n'
            'DashboardForm = get_class("dashboard.catalogue.forms", "ProductForm")\n'
        ),
    }
    assert wiring(tree(files)) == {"shop.views -> shop.dashboard.catalogue.forms [loader]"}
    files["shop/settings.py"] = 'INSTALLED_APPS = ["shop.catalogue", "shop.dashboard.catalogue"]\n'
    files["shop/dashboard/catalogue/apps.py"] = (
        "from django.apps import AppConfig\n\n"
        "class DashboardCatalogueConfig(AppConfig):\n"
        '    name = "shop.dashboard.catalogue"\n'
        '    label = "catalogue_dashboard"\n'
    )
    # "catalogue" is now the label of shop.catalogue alone
    assert wiring(tree(files)) == {
        "shop.dashboard.catalogue.apps -> shop.dashboard.catalogue [app_config]",
        "shop.views -> shop.catalogue.forms [loader]",
        "shop.views -> shop.dashboard.catalogue.forms [loader]",
    }


def test_an_app_config_is_tied_to_the_app_it_names_through_a_project_parent_too(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/plugins.py": "from django.apps import AppConfig\n\nclass PluginConfig(AppConfig):\n    pass\n",
            "shop/stripe/__init__.py": "",
            "shop/stripe/signals.py": "",
            "shop/stripe/apps.py": (
                "from shop.plugins import PluginConfig\n\n"
                "class StripeConfig(PluginConfig):\n"
                '    name = "shop.stripe"\n\n'
                "    def ready(self):\n"
                "        from . import signals\n"
            ),
            # A config in its app's own package: no edge, but an app all the same.
            "shop/billing/__init__.py": (
                'from django.apps import AppConfig\n\nclass BillingConfig(AppConfig):\n    name = "shop.billing"\n'
            ),
            # Not an AppConfig: its name is a plain dotted string.
            "shop/other.py": 'class Settings:\n    name = "shop.stripe"\n',
            # An app outside the project gives no edge.
            "shop/vendor_apps.py": (
                'from django.apps import AppConfig\n\nclass VendorConfig(AppConfig):\n    name = "vendor.app"\n'
            ),
        }
    )
    assert wiring(analysis) == {"shop.stripe.apps -> shop.stripe [app_config]"}
    edges = typed_edges(analysis)
    assert "shop.stripe.apps -> shop.stripe [string]" not in edges  # taken over
    assert "shop.other -> shop.stripe [string]" in edges
    assert analysis.graph.apps == ("shop.billing", "shop.stripe")


def test_malformed_hooks_never_raise_and_give_no_edges(tree):
    huge = "x." * 5000 + "y"
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/models.py": "class Order:\n    pass\n",
            "app/bad.py": f"""
                from django.contrib import admin
                from django.dispatch import receiver
                from app.models import Order
                name = "app.models"

                get_class()
                get_class(name, "Order")
                get_classes("app.models", "Order")
                get_classes("app.models", [1, None])
                get_model()
                get_model("a", "b", "c")
                apps.get_model(name)
                import_string(name)
                import_string("{huge}")
                include()
                include(name)
                path("x/")
                url(r"^x$", name)
                send_task()
                send_task(name)
                signature(print)
                admin.site.register()
                admin.site.register(*[Order])
                Depends()
                app.include_router()
                app.register_blueprint(lambda: None)
                (lambda: 1).connect()
                {{"task": 1, None: 2, **{{}}}}

                @receiver
                def a(): pass

                @receiver()
                def b(): pass

                @admin.register
                class C: pass

                class D:
                    model = "Order"
                    queryset = None

                    class Meta:
                        model = Order()

                INSTALLED_APPS = "app"
                AUTH_USER_MODEL = ["app.Order"]
                MY_APPS = [x for x in "ab"] + 3
            """,
        }
    )
    assert wiring(analysis) == set()
    assert all(m.status.value == "ok" for m in analysis.graph.modules)


# --------------------------------------------------------------------------- downstream


def test_every_wiring_kind_is_an_edge_kind_with_a_clustering_weight():
    assert WIRING <= {kind.value for kind in EdgeKind}
    assert all(DEFAULT_EDGE_WEIGHTS[kind] > 0 for kind in WIRING)


def test_wiring_edges_are_dependencies_in_the_metrics_and_the_json(tree):
    analysis = tree(CELERY)
    efferent = {m.module: m.efferent for m in analysis.metrics.proposed.modules}
    assert efferent["proj.settings"] == 1  # its beat schedule names proj.orders.jobs, nothing else
    edges = analysis_document(analysis)["edges"]
    assert {"source": "proj.settings", "target": "proj.orders.jobs", "kind": "task"} in [
        {k: e[k] for k in ("source", "target", "kind")} for e in edges
    ]


def test_hooks_survive_the_fact_cache(tmp_path):
    root = write_tree(tmp_path / "proj", CELERY)
    files = discover(root).files
    cache_dir = tmp_path / "cache"
    cold_cache = FactCache.for_root(cache_dir, root)
    cold = parse_files(root, files, 10**6, cache=cold_cache)
    cold_cache.save()
    warm = parse_files(root, files, 10**6, cache=FactCache.for_root(cache_dir, root))
    assert warm.from_cache == len(files)
    assert warm.results == cold.results
    assert any(r.facts.hooks for r in warm.results)
