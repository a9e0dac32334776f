"""Which classes of the project are data models, and the models that a name in a string
denotes: the entities stage's data model and the graph stage's framework wiring both read
them here, so that ``ForeignKey("orders.Order")`` means the same model to both.

A model is recognised by what its bases resolve to, never by importing anything: a
subclass of ``django.db.models.Model`` (directly or through project classes), of a
SQLAlchemy declarative base (a ``DeclarativeBase`` subclass, or a variable made by
``declarative_base()`` or Flask-SQLAlchemy's ``SQLAlchemy()``), or a class that sets
``__tablename__``.

Abstract bases (Django ``Meta.abstract = True``, SQLAlchemy ``__abstract__ = True``) are left
out: they have no table. A concrete parent of multi-table inheritance is an entity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from decompose.graph._resolve import Resolver
from decompose.model import (
    DefinitionKind,
    Entity,
    EntityKind,
    ModelMeta,
    ModuleName,
    ParseResult,
    ReferenceKind,
    RelationRef,
)

__all__ = ["Models", "find_models", "default_app_label", "table_key"]

_DJANGO_MODELS = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
_SQLALCHEMY_BASE_CLASSES = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
        "sqlalchemy.orm.decl_api.DeclarativeBaseNoMeta",
    }
)
# Calls whose result, bound to a module variable, is a declarative base (``db.Model`` for
# Flask-SQLAlchemy's ``db = SQLAlchemy()``).
_SQLALCHEMY_BASE_FACTORIES = frozenset(
    {
        "sqlalchemy.orm.declarative_base",
        "sqlalchemy.orm.decl_api.declarative_base",
        "sqlalchemy.ext.declarative.declarative_base",
        "flask_sqlalchemy.SQLAlchemy",
    }
)
_DJANGO = "django"
_SQLALCHEMY = "sqlalchemy"
_DECLARATIVE_BASE = "declarative-base"  # a class whose subclasses are SQLAlchemy models

Key = tuple[ModuleName, str]  # (module, top-level class)


def find_models(results: Sequence[ParseResult], resolver: Resolver) -> Models:
    """The project's model classes (abstract bases left out), indexed for lookups by app
    label, class name and table."""
    classes = _classes(results, resolver)
    kinds = _Classifier(classes, resolver, _factory_modules(results, resolver)).kinds()
    return _entities(classes, kinds, resolver)


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class _Class:
    module: ModuleName
    symbol: str
    line: int
    bases: tuple[str, ...]  # absolute dotted names, as far as the resolver can tell
    meta: ModelMeta | None
    has_meta_class: bool  # a nested ``class Meta``: Django's place for ``abstract = True``
    parents: tuple[Key, ...] = ()  # the project classes among the bases


def _classes(results: Sequence[ParseResult], resolver: Resolver) -> dict[Key, _Class]:
    classes: dict[Key, _Class] = {}
    for result in results:
        module = result.file.module
        facts = result.facts
        metas = {m.symbol: m for m in facts.model_meta}
        nested = {d.name for d in facts.definitions if d.kind is DefinitionKind.CLASS}
        for definition in facts.definitions:
            if definition.kind is not DefinitionKind.CLASS or "." in definition.name:
                continue
            bases = tuple(
                name
                for base in definition.bases
                if (name := resolver.qualified_name(module, base)) is not None
            )
            classes[(module, definition.name)] = _Class(
                module,
                definition.name,
                definition.line,
                bases,
                metas.get(definition.name),
                f"{definition.name}.Meta" in nested,
            )
    for key, cls in classes.items():
        parents = []
        for base in cls.bases:
            location = resolver.locate(base) if resolver.is_project(base) else None
            if location is not None and (location.module, location.symbol) in classes:
                parents.append((location.module, location.symbol))
        classes[key] = replace(cls, parents=tuple(parents))
    return classes


def _factory_modules(results: Sequence[ParseResult], resolver: Resolver) -> frozenset[ModuleName]:
    """Modules that call ``declarative_base()`` or ``SQLAlchemy()``."""
    found = set()
    for result in results:
        module = result.file.module
        for reference in result.facts.references:
            if reference.kind is not ReferenceKind.CALL or not reference.target.endswith(
                ("declarative_base", "SQLAlchemy")
            ):
                continue
            if (
                resolver.qualified_name(module, reference.target, reference.scope)
                in _SQLALCHEMY_BASE_FACTORIES
            ):
                found.add(module)
    return frozenset(found)


class _Classifier:
    """Which classes are Django models, SQLAlchemy models, or declarative bases."""

    def __init__(
        self, classes: dict[Key, _Class], resolver: Resolver, factory_modules: frozenset[ModuleName]
    ) -> None:
        self._classes = classes
        self._resolver = resolver
        self._factory_modules = factory_modules
        self._kinds: dict[Key, str | None] = {}

    def kinds(self) -> dict[Key, str]:
        for key in self._classes:
            self._kind(key)
        return {key: kind for key, kind in self._kinds.items() if kind is not None}

    def _kind(self, key: Key) -> str | None:
        if key in self._kinds:
            return self._kinds[key]
        self._kinds[key] = None  # guards inheritance cycles
        found = {self._base_kind(base) for base in self._classes[key].bases}
        cls = self._classes[key]
        if _DJANGO in found:
            kind = _DJANGO
        elif _SQLALCHEMY in found:
            kind = _SQLALCHEMY
        elif _DECLARATIVE_BASE in found:
            kind = _DECLARATIVE_BASE
        elif cls.meta is not None and cls.meta.table is not None and not cls.has_meta_class:
            kind = _SQLALCHEMY  # sets ``__tablename__``
        else:
            kind = None
        self._kinds[key] = kind
        return kind

    def _base_kind(self, base: str) -> str | None:
        if base in _DJANGO_MODELS:
            return _DJANGO
        if base in _SQLALCHEMY_BASE_CLASSES:
            return _DECLARATIVE_BASE
        if not self._resolver.is_project(base):
            return None
        location = self._resolver.locate(base)
        if location is None or not location.symbol:
            return None
        key = (location.module, location.symbol)
        if key in self._classes:
            kind = self._kind(key)
            return _SQLALCHEMY if kind == _DECLARATIVE_BASE else kind
        if location.module in self._factory_modules:
            return _SQLALCHEMY  # ``Base = declarative_base()``, ``db.Model``
        return None


# --------------------------------------------------------------------------- entities


def _entities(classes: dict[Key, _Class], kinds: dict[Key, str], resolver: Resolver) -> Models:
    models = {key: kind for key, kind in kinds.items() if kind in (_DJANGO, _SQLALCHEMY)}
    by_key: dict[Key, Entity] = {}
    for key, kind in sorted(models.items()):
        cls = classes[key]
        declared = cls.meta.table if cls.meta is not None else None
        if cls.meta is not None and cls.meta.abstract:
            continue  # an abstract base: no table of its own
        if kind == _DJANGO:
            label = (cls.meta.app_label if cls.meta is not None else None) or default_app_label(cls.module)
            table = declared or f"{label}_{cls.symbol.lower()}"
            entity = Entity(
                f"{cls.module}:{cls.symbol}", EntityKind.DJANGO, cls.module, cls.symbol, table, label
            )
        else:
            table = declared or _inherited_table(cls, classes, models) or _snake_case(cls.symbol)
            entity = Entity(
                f"{cls.module}:{cls.symbol}", EntityKind.SQLALCHEMY, cls.module, cls.symbol, table
            )
        by_key[key] = entity
    return Models(by_key, {key: classes[key].line for key in by_key}, resolver)


def _inherited_table(cls: _Class, classes: dict[Key, _Class], models: dict[Key, str]) -> str | None:
    """SQLAlchemy single-table inheritance: the nearest model ancestor's declared table."""
    seen: set[Key] = set()
    pending = [cls]
    while pending:
        current = pending.pop(0)
        for key in current.parents:
            if key in seen or key not in models:
                continue
            seen.add(key)
            parent = classes[key]
            if parent.meta is not None and parent.meta.table:
                return parent.meta.table
            pending.append(parent)
    return None


def default_app_label(module: ModuleName) -> str:
    """Django's label for the app holding ``module``: the package above ``models``
    (``shop.models.core`` is in ``shop``), else the package holding the module."""
    parts = module.parts
    if "models" in parts[1:]:
        index = len(parts) - 1 - parts[::-1].index("models")
        if index > 0:
            return parts[index - 1]
    return parts[-2] if len(parts) > 1 else parts[0]


def _snake_case(name: str) -> str:
    """Flask-SQLAlchemy's default table name: ``OrderItem`` -> ``order_item``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def table_key(table: str) -> str:
    """A declared table name as SQL facts spell it: unquoted, lower-cased, no schema."""
    return table.replace('"', "").replace("`", "").rpartition(".")[2].strip("[]").lower()


@dataclass
class Models:
    """Model entities by (module, class), where each is defined, and the lookups a name in
    a string needs."""

    by_key: dict[Key, Entity]
    lines: dict[Key, int]  # where each entity's class is defined
    resolver: Resolver
    by_label: dict[tuple[str | None, str], list[Entity]] = field(default_factory=dict)
    by_symbol: dict[str, list[Entity]] = field(default_factory=dict)
    by_table: dict[str, list[Entity]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_label: dict[tuple[str | None, str], list[Entity]] = defaultdict(list)
        by_symbol: dict[str, list[Entity]] = defaultdict(list)
        by_table: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.by_key.values():
            by_label[(entity.app_label, entity.symbol.lower())].append(entity)
            by_symbol[entity.symbol].append(entity)
            by_table[table_key(entity.table)].append(entity)
        self.by_label, self.by_symbol, self.by_table = dict(by_label), dict(by_symbol), dict(by_table)

    def relation_target(self, module: ModuleName, relation: RelationRef) -> Entity | None:
        """The model a model field in ``module`` points at: ``ForeignKey("orders.Order")``,
        ``relationship("Order")``, SQLAlchemy's ``ForeignKey("orders.id")`` (by table)."""
        declaring = self.by_key.get((module, relation.scope))
        if not relation.is_string:
            return self.entity_at(module, relation.target, relation.scope)
        target = relation.target
        if target == "self":
            return declaring
        field_name = relation.field.rpartition(".")[2]
        as_table = field_name == "ForeignKey" and "." in target
        if as_table and declaring is not None and declaring.kind is EntityKind.SQLALCHEMY:
            return self.by_table_column(target)
        parts = target.split(".")
        if len(parts) == 2:
            found = unique(self.by_label.get((parts[0], parts[1].lower()), []))
            if found is not None:
                return found
        elif len(parts) == 1:
            return self.by_bare_name(target, declaring)
        resolver = self.resolver
        located = resolver.locate(target, exact=True) if resolver.is_project(target) else None
        if located is not None and located.symbol:
            found = self.by_key.get((located.module, located.symbol))
            if found is not None:
                return found
        return self.by_table_column(target) if as_table else None

    def by_table_column(self, target: str) -> Entity | None:
        """The model of ``table.column``."""
        parts = target.split(".")
        return unique(self.by_table.get(parts[-2].lower(), [])) if len(parts) >= 2 else None

    def by_bare_name(self, name: str, declaring: Entity | None) -> Entity | None:
        """A model named without its app: the one in the declaring model's app (or, for
        SQLAlchemy, module), else the only one of that name."""
        candidates = self.by_symbol.get(name, [])
        if declaring is not None:
            near = [
                e
                for e in candidates
                if (
                    e.app_label == declaring.app_label
                    if declaring.kind is EntityKind.DJANGO
                    else e.module == declaring.module
                )
                and e.kind is declaring.kind
            ]
            if len(near) == 1:
                return near[0]
        return unique(candidates)

    def entity_at(self, module: ModuleName, target: str, scope: str) -> Entity | None:
        """The model a dotted name used in ``module`` (inside ``scope``) denotes."""
        location = self.resolver.resolve_reference(module, target, scope)
        if location is None or not location.symbol:
            return None
        return self.by_key.get((location.module, location.symbol))


def unique(candidates: list[Entity]) -> Entity | None:
    return candidates[0] if len(candidates) == 1 else None
