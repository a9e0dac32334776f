"""Entities stage: models and tables, and which modules define, reference, relate to, query
and name them in SQL. Fixture projects inline; uses as ``"entity <- module [kind]"``."""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose.discover import discover
from decompose.entities import build_data_model
from decompose.graph import build_graph
from decompose.model import DataModel
from decompose.parse import parse_files
from helpers.trees import SAMPLE, write_tree


def data_model(root: Path) -> DataModel:
    found = discover(root)
    results = parse_files(Path(found.root), found.files, 10**7).results
    return build_data_model(results, build_graph(results))


@pytest.fixture
def project(tmp_path):
    def build(files: dict[str, str]) -> DataModel:
        return data_model(write_tree(tmp_path / "proj", files))

    return build


def entities(data: DataModel) -> list[str]:
    """Entities as ``"name (kind) table [app label]"``."""
    return [
        f"{e.name} ({e.kind.value}) {e.table}" + (f" [{e.app_label}]" if e.app_label else "")
        for e in data.entities
    ]


def uses(data: DataModel, with_lines: bool = False) -> set[str]:
    return {
        f"{u.entity} <- {u.module} [{u.kind.value}]" + (f" {list(u.lines)}" if with_lines else "")
        for u in data.uses
    }


DJANGO = {
    "shop/__init__.py": "",
    "shop/models/__init__.py": "from .orders import Line, Order\n",
    "shop/models/base.py": """
        from django.db import models

        class TimeStamped(models.Model):
            created = models.DateTimeField(auto_now_add=True)

            class Meta:
                abstract = True
    """,
    "shop/models/orders.py": """
        from django.db import models
        from django.db.models import Model

        from .base import TimeStamped

        class Status(models.TextChoices):
            OPEN = "open"

        class Order(TimeStamped):
            customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE)

            class Meta:
                app_label = "orders"

        class Line(Model):
            order = models.ForeignKey(Order, on_delete=models.CASCADE)
            product = models.ForeignKey("Product", on_delete=models.PROTECT)
            buyer = models.ForeignKey("Customer", on_delete=models.PROTECT)
    """,
    "customers/__init__.py": "",
    "customers/models.py": """
        from django.db import models

        class Customer(models.Model):
            referrer = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)

            class Meta:
                db_table = "crm_customer"

        class Product(models.Model):
            pass
    """,
    "catalog/__init__.py": "",
    "catalog/models.py": """
        from django.db import models

        class Product(models.Model):
            pass
    """,
    "shop/services/__init__.py": "",
    "shop/services/cart.py": '''
        from shop.models import Order

        REPORT = """
            SELECT count(*)
            FROM orders_order o
            JOIN crm_customer c ON c.id = o.customer_id
            LEFT JOIN audit_log a ON a.order_id = o.id
        """

        def open_orders(customer):
            return Order.objects.filter(customer=customer, status="open")

        def total(order: Order) -> int:
            return order.total
    ''',
}


def test_django_models_tables_and_app_labels(project):
    data = project(DJANGO)
    assert entities(data) == [
        "catalog.models:Product (django) catalog_product [catalog]",
        "customers.models:Customer (django) crm_customer [customers]",
        "customers.models:Product (django) customers_product [customers]",
        "shop.models.orders:Line (django) shop_line [shop]",
        "shop.models.orders:Order (django) orders_order [orders]",
        "table:audit_log (table) audit_log",
    ]


def test_django_uses_of_each_kind(project):
    # shop/models/__init__.py re-exports Order and Line: a facade of its own package, not a use.
    assert uses(project(DJANGO), with_lines=True) == {
        "catalog.models:Product <- catalog.models [define] [3]",
        "customers.models:Customer <- customers.models [define] [3]",
        "customers.models:Customer <- customers.models [relation] [4]",
        "customers.models:Customer <- shop.models.orders [relation] [10, 18]",
        "customers.models:Customer <- shop.services.cart [sql] [6]",
        "customers.models:Product <- customers.models [define] [9]",
        "shop.models.orders:Line <- shop.models.orders [define] [15]",
        "shop.models.orders:Order <- shop.models.orders [define] [9]",
        "shop.models.orders:Order <- shop.models.orders [relation] [16]",
        "shop.models.orders:Order <- shop.services.cart [reference] [1, 13]",
        "shop.models.orders:Order <- shop.services.cart [query] [11]",
        "shop.models.orders:Order <- shop.services.cart [sql] [5]",
        "table:audit_log <- shop.services.cart [sql] [7]",
    }


def test_ambiguous_bare_model_string_relates_to_nothing(project):
    # "Product" from app "shop": no Product there, and two elsewhere.
    assert not any(u.entity.endswith(":Product") and u.kind.value == "relation" for u in project(DJANGO).uses)


SQLALCHEMY = {
    "app/__init__.py": "",
    "app/db.py": """
        from sqlalchemy.orm import Session, declarative_base

        Base = declarative_base()
        session = Session()
    """,
    "app/models.py": """
        from sqlalchemy import Column, ForeignKey, Integer
        from sqlalchemy.orm import relationship

        from app.db import Base

        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            items = relationship("Item", back_populates="order")

        class Item(Base):
            __tablename__ = "order_items"
            order_id = Column(Integer, ForeignKey("orders.id"))
            order = relationship(Order, back_populates="items")
    """,
    "app/billing.py": """
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            pass

        class Stamped(Base):
            __abstract__ = True

        class Invoice(Stamped):
            __tablename__ = "invoices"
            order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))

        class CreditNote(Invoice):
            pass
    """,
    "app/repo.py": """
        from sqlalchemy import select

        from app.db import session
        from app.models import Item, Order

        def orders():
            return session.query(Order).all()

        def items():
            return session.scalars(select(Item)).all()

        def count():
            return session.execute("SELECT count(*) FROM order_items")

        def newest():
            return Order.query.first()
    """,
}


def test_sqlalchemy_models_tables_and_inheritance(project):
    assert entities(project(SQLALCHEMY)) == [
        "app.billing:CreditNote (sqlalchemy) invoices",
        "app.billing:Invoice (sqlalchemy) invoices",
        "app.models:Item (sqlalchemy) order_items",
        "app.models:Order (sqlalchemy) orders",
    ]


def test_sqlalchemy_uses_of_each_kind(project):
    assert uses(project(SQLALCHEMY), with_lines=True) == {
        "app.billing:CreditNote <- app.billing [define] [14]",
        "app.billing:Invoice <- app.billing [define] [10]",
        "app.billing:Invoice <- app.billing [reference] [14]",
        "app.models:Item <- app.models [define] [11]",
        "app.models:Item <- app.models [relation] [9]",
        "app.models:Item <- app.repo [reference] [4]",
        "app.models:Item <- app.repo [query] [10]",
        "app.models:Item <- app.repo [sql] [13]",
        "app.models:Order <- app.billing [relation] [12]",
        "app.models:Order <- app.models [define] [6]",
        "app.models:Order <- app.models [relation] [13, 14]",
        "app.models:Order <- app.repo [reference] [4]",
        "app.models:Order <- app.repo [query] [7, 16]",
    }


def test_flask_sqlalchemy_models_get_snake_case_tables(project):
    data = project(
        {
            "webapp/__init__.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
            "webapp/models.py": """
                from webapp import db

                class OrderItem(db.Model):
                    id = db.Column(db.Integer, primary_key=True)
                    user_id = db.Column(db.ForeignKey("user.id"))

                class User(db.Model):
                    items = db.relationship("OrderItem")
            """,
        }
    )
    assert entities(data) == [
        "webapp.models:OrderItem (sqlalchemy) order_item",
        "webapp.models:User (sqlalchemy) user",
    ]
    assert {u for u in uses(data) if "[relation]" in u} == {
        "webapp.models:OrderItem <- webapp.models [relation]",
        "webapp.models:User <- webapp.models [relation]",
    }


def test_no_models_and_no_sql_is_an_empty_data_model(project):
    data = project({"pkg/__init__.py": "", "pkg/a.py": "class A:\n    pass\n"})
    assert data == DataModel()


def test_the_data_model_is_deterministic(tmp_path):
    root = write_tree(tmp_path / "proj", DJANGO)
    assert data_model(root) == data_model(root)


# ---------------------------------------------------------------------------- sample


@pytest.fixture(scope="module")
def sample_data() -> DataModel:
    return data_model(SAMPLE)


def kinds_of(data: DataModel, entity: str, module: str) -> set[str]:
    return {u.kind.value for u in data.uses if u.entity == entity and u.module == module}


def test_sample_order_entity(sample_data):
    (order,) = [e for e in sample_data.entities if e.name == "shop.models.core:Order"]
    assert (order.kind.value, order.table, order.app_label) == ("django", "orders_order", "orders")
    names = {e.name for e in sample_data.entities}
    assert "shop.models.base:TimeStampedModel" not in names  # abstract
    assert not any(e.kind.value == "table" for e in sample_data.entities)  # every SQL table is mapped


def test_sample_order_uses(sample_data):
    order = "shop.models.core:Order"
    assert kinds_of(sample_data, order, "shop.models.core") == {"define", "relation"}
    assert kinds_of(sample_data, order, "shop.services.order_service") == {"reference", "query", "sql"}
    assert kinds_of(sample_data, order, "shop.models.shipping") == {"relation"}
    assert kinds_of(sample_data, order, "shop.services.stock") == {"reference", "query"}
    (sql,) = [u for u in sample_data.uses if u.entity == order and u.kind.value == "sql"]
    assert (sql.module, sql.lines) == ("shop.services.order_service", (38,))
    (relation,) = [u for u in sample_data.uses if u.entity == order and u.module == "shop.models.shipping"]
    assert relation.lines == (44,)


def test_sample_stock_reads_inventory_tables_in_sql(sample_data):
    assert {
        u.entity for u in sample_data.uses if u.module == "shop.services.stock" and u.kind.value == "sql"
    } == {
        "shop.models.catalog:ProductVariant",
        "shop.models.inventory:StockItem",
        "shop.models.inventory:Warehouse",
    }


def test_a_concrete_parent_of_multi_table_inheritance_is_an_entity_and_an_abstract_one_is_not(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/models.py": (
                "from django.db import models\n\n"
                "class Stamped(models.Model):\n    class Meta:\n        abstract = True\n\n"
                "class Place(Stamped):\n    class Meta:\n        ordering = ('id',)\n\n"
                "class Restaurant(Place):\n    pass\n"
            ),
        }
    )
    names = {e.name: e.table for e in analysis.data.entities}
    assert names == {"shop.models:Place": "shop_place", "shop.models:Restaurant": "shop_restaurant"}
