"""Parse stage: one module's text to facts. Inline sources, no files."""

from __future__ import annotations

import pickle
import textwrap
import time

from decompose.model import DefinitionKind, ParseStatus, ReferenceKind
from decompose.parse import parse_source


def facts_of(source: str):
    result = parse_source(textwrap.dedent(source))
    assert result.status is ParseStatus.OK, result.diagnostics
    return result.facts


def imports(source: str) -> set[tuple]:
    """Imports as (level, module, name, bound_as, flags)."""
    out = set()
    for i in facts_of(source).imports:
        flags = "".join(
            flag
            for flag, on in (("T", i.type_only), ("L", i.lazy), ("C", i.conditional), ("D", i.dynamic))
            if on
        )
        out.add((i.level, i.module, i.name, i.bound_as, flags))
    return out


def refs(source: str) -> set[str]:
    return {f"{r.scope or '<module>'}: {r.kind.value} {r.target}" for r in facts_of(source).references}


def test_plain_and_aliased_imports_bind_the_names_python_binds():
    assert imports("import a.b.c\nimport x.y as z\nimport os\n") == {
        (0, "a.b.c", None, "a", ""),
        (0, "x.y", None, "z", ""),
        (0, "os", None, "os", ""),
    }


def test_from_imports_keep_relative_levels_for_the_graph_stage():
    assert imports("from . import views\nfrom ..models import Order as O\nfrom pkg import *\n") == {
        (1, "", "views", "views", ""),
        (2, "models", "Order", "O", ""),
        (0, "pkg", "*", None, ""),
    }


def test_type_checking_lazy_conditional_and_dynamic_imports_are_marked():
    source = """
    from typing import TYPE_CHECKING
    import importlib
    if TYPE_CHECKING:
        from shop.orders import Order
    try:
        import ujson as json
    except ImportError:
        import json
    def handler():
        from shop.mail import send
        mod = importlib.import_module("shop.plugins.carrier")
        return __import__("shop.legacy")
    """
    found = imports(source)
    assert (0, "shop.orders", "Order", "Order", "TC") in found
    assert (0, "ujson", None, "json", "C") in found
    assert (0, "json", None, "json", "C") in found
    assert (0, "shop.mail", "send", "send", "L") in found
    assert (0, "shop.plugins.carrier", None, None, "LD") in found
    assert (0, "shop.legacy", None, None, "LD") in found


def test_relative_dynamic_import_with_a_literal_package_becomes_absolute():
    found = imports('import importlib\nm = importlib.import_module(".backends.s3", package="shop.storage")\n')
    assert (0, "shop.storage.backends.s3", None, None, "D") in found


def test_dynamic_import_of_a_computed_name_is_not_invented():
    found = imports("import importlib\nname = 'x'\nm = importlib.import_module(name)\n")
    assert not any("D" in flags for *_, flags in found)


def test_definitions_classes_bases_methods_functions_variables_and_all():
    facts = facts_of(
        '''
        """Module doc."""
        __all__ = ["Order", "place"]
        __all__ += ["LIMIT"]
        LIMIT: int = 10
        class Order(models.Model, mixins.Audited):
            """An order.

            More text."""
            def __init__(self, customer, *, total: "Decimal" = 0):
                self.customer = customer
            def total(self) -> int:
                def helper():
                    pass
                return 1
        async def place(order: Order, /, retries=3, *args, **kw) -> "Order":
            """Place it."""
        '''
    )
    by_name = {d.name: d for d in facts.definitions}
    assert set(by_name) == {"LIMIT", "Order", "Order.__init__", "Order.total", "place"}
    assert by_name["Order"].kind is DefinitionKind.CLASS
    assert by_name["Order"].bases == ("models.Model", "mixins.Audited")
    assert by_name["Order"].doc == "An order."
    assert by_name["Order"].signature == "(customer, *, total: 'Decimal' = 0)"
    assert by_name["Order.total"].kind is DefinitionKind.METHOD
    assert by_name["place"].kind is DefinitionKind.FUNCTION
    assert by_name["place"].signature == "(order: Order, /, retries=3, *args, **kw) -> 'Order'"
    assert by_name["place"].doc == "Place it."
    assert by_name["LIMIT"].kind is DefinitionKind.VARIABLE
    assert facts.all_names == ("Order", "place", "LIMIT")


def test_references_record_calls_inheritance_decorators_and_annotations_with_scope():
    found = refs(
        """
        from shop import services, models
        @services.register
        class Order(models.Base):
            def pay(self, gateway: "payments.Gateway") -> None:
                services.place(self)
                payments.charge()
        value = services.DEFAULT
        """
    )
    assert found >= {
        "Order: decorator services.register",
        "Order: inherit models.Base",
        "Order.pay: annotation payments.Gateway",
        "Order.pay: call services.place",
        "Order.pay: call payments.charge",
        "<module>: reference services.DEFAULT",
    }


def test_local_names_shadow_imported_ones():
    found = refs(
        """
        import order
        def f(order):
            order.save()
        def g():
            for order in []:
                order.save()
        def h():
            order.place()
        """
    )
    assert "h: call order.place" in found
    assert not any(r.startswith(("f:", "g:")) and "order" in r for r in found)


def test_builtins_are_not_references_unless_rebound():
    found = refs("def f(x):\n    return len(x) + int(x)\nlist = make_list\n")
    assert not any(" len" in r or " int" in r for r in found)


def test_dotted_strings_are_kept_for_the_graph_stage():
    facts = facts_of('INSTALLED_APPS = ["shop.orders", "django.contrib.admin"]\nx = "not a path"\n')
    assert [s.value for s in facts.string_refs] == ["shop.orders", "django.contrib.admin"]


def test_newer_syntax_is_read_through_the_libcst_fallback():
    source = 'from shop import util\ndef first[T](items: list[T]) -> T:\n    return util.pick(f"{items["k"]}")\ntype Alias = util.Thing\n'
    result = parse_source(source)
    assert result.status is ParseStatus.OK
    assert {d.code for d in result.diagnostics} == {"newer-syntax"}
    assert "first: call util.pick" in {
        f"{r.scope}: {r.kind.value} {r.target}" for r in result.facts.references
    }
    lines = {r.target: r.lines[0] for r in result.facts.references}
    assert lines["util.pick"] == 3


def test_multiline_fstring_lowering_keeps_line_numbers():
    source = 'x = 1\nmsg = f"""\n{x}\n{{d["k"]}}\n{d["k"]}\n"""\ny = helper.call()\n'
    result = parse_source(source)
    lines = {r.target: r.lines[0] for r in result.facts.references}
    assert lines["helper.call"] == 7


def test_python2_file_keeps_imports_readable_line_by_line():
    result = parse_source('import os\nfrom shop import (a,\n    b)\nprint "hello"\n')
    assert result.status is ParseStatus.PARTIAL
    assert [(i.module, i.name) for i in result.facts.imports] == [("os", None), ("shop", "a"), ("shop", "b")]
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "syntax-error" and diagnostic.line == 4
    assert "Python 2 code?" in diagnostic.message


def test_results_pickle_for_process_pools_and_caches():
    result = parse_source("import a\nclass B(a.C):\n    def m(self): a.f()\n")
    assert pickle.loads(pickle.dumps(result)) == result


def test_reference_kinds_cover_instantiation_as_a_call():
    found = refs("from shop.models import Order\ndef make():\n    return Order(total=1)\n")
    assert "make: call Order" in found
    assert ReferenceKind.CALL.value == "call"


def sql(source: str) -> set[str]:
    """SQL facts as ``"scope: verb table @line"``."""
    return {f"{s.scope or '<module>'}: {s.verb} {s.table} @{s.line}" for s in facts_of(source).sql_refs}


def test_tables_in_literal_sql_with_their_statement_keyword_scope_and_line():
    found = sql(
        '''
        DAILY = """
            SELECT o.currency, count(*)
            FROM "public"."Orders_Order" o
            JOIN customers_customer c ON c.id = o.customer_id
            WHERE o.placed_at >= %s
        """
        def purge(cursor, n):
            cursor.execute("DELETE FROM audit_log WHERE id < %s", [n])
            cursor.execute(f"UPDATE stock_item SET on_hand = {n} WHERE id IN (SELECT item_id FROM reservation)")
            cursor.execute("insert into archive (a, b) select a, b from events, sessions s")
        '''
    )
    assert found == {
        "<module>: select orders_order @4",
        "<module>: select customers_customer @5",
        "purge: delete audit_log @9",
        "purge: update stock_item @10",
        "purge: select reservation @10",
        "purge: insert archive @11",
        "purge: insert events @11",
        "purge: insert sessions @11",
    }


def test_sql_is_read_conservatively():
    found = sql(
        '''
        """Select the orders from the database and delete them from the cache."""
        def f(table, schema):
            """SELECT * FROM documented_only"""
            log("Update from the server")
            log("delete the file from disk")
            q1 = "SELECT * FROM %s WHERE id = %%s"
            q2 = f"SELECT * FROM {table}"
            q3 = f"SELECT * FROM {schema}.orders JOIN archive_{table} USING (id)"
            q4 = "SELECT extract(year FROM created), nextval('x_seq') FROM generate_series(1, 3) g"
            q5 = "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent FOR UPDATE"
            q6 = "SELECT 1 WHERE a IS DISTINCT FROM b"
            q7 = "the query is SELECT * FROM hidden"
            q8 = 'SELECT * FROM "%s" JOIN {} ON true'
        '''
    )
    assert found == {"f: select orders @11"}


def test_model_meta_from_django_meta_and_sqlalchemy_tablename():
    facts = facts_of(
        """
        class Order(models.Model):
            class Meta:
                app_label = "orders"
                db_table = "shop_orders"
        class Line(models.Model):
            class Meta:
                app_label = "orders"
                ordering = ("id",)
        class Item(Base):
            __tablename__ = "items"
        class Computed(Base):
            __tablename__ = make_name()
        class Plain:
            pass
        class Stamped(models.Model):
            class Meta:
                abstract = True
        class Mixin(Base):
            __abstract__ = True
        """
    )
    assert [tuple(m) for m in facts.model_meta] == [
        ("Order", "shop_orders", "orders", False),
        ("Line", None, "orders", False),
        ("Item", "items", None, False),
        ("Stamped", None, None, True),
        ("Mixin", None, None, True),
    ]


def test_relations_in_class_bodies_as_written():
    facts = facts_of(
        """
        from django.db import models
        import sqlalchemy as sa
        class Shipment(models.Model):
            order = models.ForeignKey("orders.Order", on_delete=models.CASCADE)
            method = django.db.models.OneToOneField(to=ShippingMethod)
            tags = ManyToManyField("self")
            parent = models.ForeignObject(catalog.Product, from_fields=["a"], to_fields=["b"])
            def save(self):
                models.ForeignKey(Ignored)
        class Item(Base):
            order_id = sa.Column(sa.Integer, sa.ForeignKey("orders.id"))
            order = relationship(argument="Order", back_populates="items")
            lazy = relationship(lambda: Order)
        models.ForeignKey(NotInAClass)
        """
    )
    assert [tuple(r) for r in facts.relations] == [
        ("models.ForeignKey", "orders.Order", True, 5, "Shipment"),
        ("django.db.models.OneToOneField", "ShippingMethod", False, 6, "Shipment"),
        ("ManyToManyField", "self", True, 7, "Shipment"),
        ("models.ForeignObject", "catalog.Product", False, 8, "Shipment"),
        ("sa.ForeignKey", "orders.id", True, 12, "Item"),
        ("relationship", "Order", True, 13, "Item"),
    ]


def test_data_facts_pickle():
    result = parse_source(
        'class A(Base):\n    __tablename__ = "a"\n    b = relationship("B")\nQ = "SELECT 1 FROM a"\n'
    )
    assert result.facts.sql_refs and result.facts.model_meta and result.facts.relations
    assert pickle.loads(pickle.dumps(result)) == result


def test_a_line_of_dashes_is_not_read_as_sql_comments_for_ever():
    # "--" starts an SQL comment: a pattern that could split 60 dashes into comments in
    # exponentially many ways took minutes on such a separator in SQLAlchemy's source.
    start = time.perf_counter()
    assert facts_of('SEPARATOR = "\\n' + "-" * 60 + '\\n"\n').sql_refs == ()
    assert time.perf_counter() - start < 1


def complexity(source: str) -> dict[str, int]:
    return {d.name: d.complexity for d in facts_of(source).definitions if d.kind is not DefinitionKind.CLASS}


def test_cyclomatic_complexity_counts_each_decision_point_once():
    source = """
    def every_kind(x, y):
        if x and y or x:                        # if, and, or: 3
            for i in range(3):                  # 1
                while i:                        # 1
                    i -= 1
        elif y:                                 # 1
            pass
        try:
            pass
        except ValueError:                      # 1
            pass
        except Exception:                       # 1
            pass
        with open(x) as f:                      # with: none
            assert f                            # assert: none
        z = [a for a in x if a if not a]        # for and two ifs: 3
        w = 1 if x else 2                       # 1
        match x:
            case 1:                             # 1
                pass
            case [a, b] if a:                   # 1
                pass
            case _:                             # the fall-through: none
                pass
        def inner():
            if x:                               # counts for every_kind: 1
                pass
        return lambda q: q if q else w          # counts for every_kind: 1

    async def loops(x):
        async for item in x:                    # 1
            pass
        return {k: v for k, v in x}             # 1

    def straight(x):
        return x

    class Service:
        if True:                                # class level: no function's
            pass

        def method(self, x):
            return x or self                    # 1
    """
    assert complexity(source) == {"every_kind": 17, "loops": 3, "straight": 1, "Service.method": 2}


def test_match_with_a_final_capture_pattern_has_no_extra_path():
    source = """
    def f(x):
        match x:
            case 1:
                return 1
            case other:
                return other

    def g(x):
        match x:
            case 1:
                return 1
            case other if other:
                return other
    """
    assert complexity(source) == {"f": 2, "g": 3}


def test_abstract_classes_read_through_the_files_own_imports():
    source = """
    import abc
    import typing as t
    from abc import ABC as Base, abstractmethod
    from typing import Protocol
    from twisted.internet import protocol
    from django.db import models

    class Explicit(Base): ...
    class Dotted(abc.ABC): ...
    class Meta_(metaclass=abc.ABCMeta): ...
    class WithAbstractMethod:
        @property
        @abstractmethod
        def name(self): ...
        def concrete(self): ...
    class Typed(Protocol): ...
    class Generic_(t.Protocol[int]): ...
    class TwistedProtocol(protocol.Protocol): ...
    class Plain: ...
    class Timestamped(models.Model):
        class Meta:
            abstract = True
    class Order(Timestamped): ...
    """
    definitions = {d.name: d.abstract for d in facts_of(source).definitions}
    abstract = {name for name, flag in definitions.items() if flag}
    assert abstract == {
        "Explicit",
        "Dotted",
        "Meta_",
        "WithAbstractMethod",
        "WithAbstractMethod.name",
        "Typed",
        "Generic_",
        "Timestamped",
    }
    assert {"TwistedProtocol", "Plain", "Order", "WithAbstractMethod.concrete"} <= definitions.keys()


def test_a_class_named_like_abc_without_the_import_is_not_abstract():
    source = """
    from mylib import ABC, Protocol, abstractmethod

    class A(ABC): ...
    class P(Protocol): ...
    class M:
        @abstractmethod
        def f(self): ...
    """
    assert not any(d.abstract for d in facts_of(source).definitions)
