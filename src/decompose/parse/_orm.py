"""What decompose knows of the ORMs' vocabulary (Django's and SQLAlchemy's), in one place:
the parse stage reads model fields and table declarations with it, and the entities stage
reads queries through a model with it.

Which classes are models is decided later, from what their bases resolve to
(``graph/_models.py``); here only the shapes of the code are known.
"""

from __future__ import annotations

import ast

from decompose.model import ModelMeta, RelationRef
from decompose.parse._nodes import dotted_name, is_true, literal_assignment, printable

__all__ = [
    "MANAGERS",
    "RELATION_FIELDS",
    "STATEMENTS",
    "manager_chain",
    "model_meta",
    "relation_ref",
]

# Model fields that point at another model: Django's (any prefix, ``models.ForeignKey``)
# and SQLAlchemy's (``relationship("Order")``, ``ForeignKey("orders.id")``).
RELATION_FIELDS = frozenset(
    {"ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObject", "relationship"}
)
_RELATION_KEYWORDS = ("to", "argument")
# ``Order.objects.filter(...)``, ``User.query.get(...)``: a query through the model's manager.
MANAGERS = frozenset({"objects", "query", "_default_manager", "_base_manager"})
# ``select(Order)``, ``insert(Order)``: SQLAlchemy statements built on a model.
STATEMENTS = frozenset({"select", "insert", "update", "delete"})


def model_meta(node: ast.ClassDef, qualname: str) -> ModelMeta | None:
    """The literal table and app label a class body declares: SQLAlchemy's
    ``__tablename__``, Django's ``class Meta: db_table = ...; app_label = ...``."""
    table = app_label = None
    abstract = False
    for statement in node.body:
        kind = type(statement)
        if kind is ast.Assign or kind is ast.AnnAssign:
            name, value = literal_assignment(statement)
            if name == "__tablename__":
                table = value
            elif name == "__abstract__":
                abstract = is_true(statement.value)
        elif kind is ast.ClassDef and statement.name == "Meta":
            for inner in statement.body:
                if type(inner) is ast.Assign or type(inner) is ast.AnnAssign:
                    name, value = literal_assignment(inner)
                    if name == "db_table":
                        table = value
                    elif name == "app_label":
                        app_label = value
                    elif name == "abstract":
                        abstract = is_true(inner.value)
    if table is None and app_label is None and not abstract:
        return None
    return ModelMeta(qualname, table, app_label, abstract)


def relation_ref(callee: str, node: ast.Call, scope: str) -> RelationRef | None:
    """The model a field call in the class body ``scope`` points at, as written; None when
    it names none."""
    target = node.args[0] if node.args else None
    if target is None:
        target = next((k.value for k in node.keywords if k.arg in _RELATION_KEYWORDS), None)
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        written, is_string = printable(target.value), True
    else:
        written, is_string = dotted_name(target) if target is not None else None, False
    if written:
        return RelationRef(callee, written, is_string, node.lineno, scope)
    return None


def manager_chain(node: ast.AST) -> str | None:
    """``Order.objects.filter`` for ``Order.objects.filter(x=1).order_by("y")``: the dotted
    chain a queryset expression starts from."""
    while True:
        kind = type(node)
        if kind is ast.Call:
            node = node.func
        elif kind is ast.Attribute:
            dotted = dotted_name(node)
            if dotted is not None:
                return dotted
            node = node.value
        else:
            return None
