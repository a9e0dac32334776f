"""Entities stage: the data a codebase defines (Django and SQLAlchemy models, SQL tables) and which modules define, reference, relate to and query each entity.

A model is recognised by what its bases resolve to, never by importing anything: a
subclass of ``django.db.models.Model`` (directly or through project classes), of a
SQLAlchemy declarative base (a ``DeclarativeBase`` subclass, or a variable made by
``declarative_base()`` or Flask-SQLAlchemy's ``SQLAlchemy()``), or a class that sets
``__tablename__``. A table named in SQL that no model maps to is an entity of its own.

Abstract bases (Django ``Meta.abstract = True``, SQLAlchemy ``__abstract__ = True``) are left
out: they have no table. A concrete parent of multi-table inheritance is an entity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from decompose.graph import Resolver, resolver_for
from decompose.model import (
    DataModel,
    DefinitionKind,
    DependencyGraph,
    Entity,
    EntityKind,
    EntityUse,
    ModelMeta,
    ModuleName,
    ParseResult,
    ReferenceKind,
    RelationRef,
    UseKind,
)

__all__ = ["build_data_model"]

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
# ``Order.objects.filter(...)``, ``User.query.get(...)``: a query through the model's manager.
_MANAGERS = frozenset({"objects", "query", "_default_manager", "_base_manager"})
# ``select(Order)``, ``insert(Order)``: SQLAlchemy statements built on a model.
_STATEMENTS = frozenset({"select", "insert", "update", "delete"})

_DJANGO = "django"
_SQLALCHEMY = "sqlalchemy"
_DECLARATIVE_BASE = "declarative-base"  # a class whose subclasses are SQLAlchemy models

_Key = tuple[ModuleName, str]  # (module, top-level class)


def build_data_model(results: Sequence[ParseResult], graph: DependencyGraph) -> DataModel:
    """The project's entities and every module's uses of them, sorted.

    ``results`` are the parse stage's results and ``graph`` the graph built from them.
    Never raises on odd input: what cannot be resolved is left out.
    """
    resolver = resolver_for(results)
    classes = _classes(results, resolver)
    kinds = _Classifier(classes, resolver, _factory_modules(results, resolver)).kinds()
    entities = _entities(classes, kinds)
    uses = _Uses(resolver, entities)
    for result in results:
        uses.add_relations(result)
    users = {
        e.source_module for e in graph.symbol_edges if (e.target_module, e.target_symbol) in entities.by_key
    }
    for result in results:
        if result.file.module in users:
            uses.add_names(result)
    tables = uses.add_sql(results)
    all_entities = sorted([*entities.by_key.values(), *tables], key=lambda e: e.name)
    return DataModel(entities=tuple(all_entities), uses=uses.sorted())


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class _Class:
    module: ModuleName
    symbol: str
    line: int
    bases: tuple[str, ...]  # absolute dotted names, as far as the resolver can tell
    meta: ModelMeta | None
    has_meta_class: bool  # a nested ``class Meta``: Django's place for ``abstract = True``
    parents: tuple[_Key, ...] = ()  # the project classes among the bases


def _classes(results: Sequence[ParseResult], resolver: Resolver) -> dict[_Key, _Class]:
    classes: dict[_Key, _Class] = {}
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
        self, classes: dict[_Key, _Class], resolver: Resolver, factory_modules: frozenset[ModuleName]
    ) -> None:
        self._classes = classes
        self._resolver = resolver
        self._factory_modules = factory_modules
        self._kinds: dict[_Key, str | None] = {}

    def kinds(self) -> dict[_Key, str]:
        for key in self._classes:
            self._kind(key)
        return {key: kind for key, kind in self._kinds.items() if kind is not None}

    def _kind(self, key: _Key) -> str | None:
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


@dataclass
class _Entities:
    by_key: dict[_Key, Entity]
    lines: dict[_Key, int]  # where each entity's class is defined


def _entities(classes: dict[_Key, _Class], kinds: dict[_Key, str]) -> _Entities:
    models = {key: kind for key, kind in kinds.items() if kind in (_DJANGO, _SQLALCHEMY)}
    by_key: dict[_Key, Entity] = {}
    for key, kind in sorted(models.items()):
        cls = classes[key]
        declared = cls.meta.table if cls.meta is not None else None
        if cls.meta is not None and cls.meta.abstract:
            continue  # an abstract base: no table of its own
        if kind == _DJANGO:
            label = (cls.meta.app_label if cls.meta is not None else None) or _default_app_label(cls.module)
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
    return _Entities(by_key, {key: classes[key].line for key in by_key})


def _inherited_table(cls: _Class, classes: dict[_Key, _Class], models: dict[_Key, str]) -> str | None:
    """SQLAlchemy single-table inheritance: the nearest model ancestor's declared table."""
    seen: set[_Key] = set()
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


def _default_app_label(module: ModuleName) -> str:
    """Django's label for the app holding ``module``: the package above ``models``
    (``shop.models.core`` is in ``shop``), else the package holding the module."""
    parts = module.split(".")
    if "models" in parts[1:]:
        index = len(parts) - 1 - parts[::-1].index("models")
        if index > 0:
            return parts[index - 1]
    return parts[-2] if len(parts) > 1 else parts[0]


def _snake_case(name: str) -> str:
    """Flask-SQLAlchemy's default table name: ``OrderItem`` -> ``order_item``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _table_key(table: str) -> str:
    """A declared table name as SQL facts spell it: unquoted, lower-cased, no schema."""
    return table.replace('"', "").replace("`", "").rpartition(".")[2].strip("[]").lower()


# --------------------------------------------------------------------------- uses


class _Uses:
    def __init__(self, resolver: Resolver, entities: _Entities) -> None:
        self._resolver = resolver
        self._entities = entities
        self._lines: dict[tuple[str, ModuleName, UseKind], list[int]] = defaultdict(list)
        self._relation_sites: set[tuple[str, ModuleName, int]] = set()
        by_label: dict[tuple[str | None, str], list[Entity]] = defaultdict(list)
        by_symbol: dict[str, list[Entity]] = defaultdict(list)
        by_table: dict[str, list[Entity]] = defaultdict(list)
        for key, entity in entities.by_key.items():
            by_label[(entity.app_label, entity.symbol.lower())].append(entity)
            by_symbol[entity.symbol].append(entity)
            by_table[_table_key(entity.table)].append(entity)
            self._add(entity.name, key[0], UseKind.DEFINE, [entities.lines[key]])
        self._by_label, self._by_symbol, self._by_table = by_label, by_symbol, by_table

    def _add(self, entity: str, module: ModuleName, kind: UseKind, lines) -> None:
        self._lines[(entity, module, kind)].extend(lines)

    def sorted(self) -> tuple[EntityUse, ...]:
        return tuple(
            EntityUse(entity, module, kind, tuple(sorted(lines)))
            for (entity, module, kind), lines in sorted(
                self._lines.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2].value)
            )
        )

    # ------------------------------------------------------------------ relations

    def add_relations(self, result: ParseResult) -> None:
        module = result.file.module
        for relation in result.facts.relations:
            target = self._relation_target(module, relation)
            if target is not None:
                self._add(target.name, module, UseKind.RELATION, [relation.line])
                self._relation_sites.add((target.name, module, relation.line))

    def _relation_target(self, module: ModuleName, relation: RelationRef) -> Entity | None:
        declaring = self._entities.by_key.get((module, relation.scope))
        if not relation.is_string:
            return self._entity_at(module, relation.target, relation.scope)
        target = relation.target
        if target == "self":
            return declaring
        field = relation.field.rpartition(".")[2]
        as_table = field == "ForeignKey" and "." in target
        if as_table and declaring is not None and declaring.kind is EntityKind.SQLALCHEMY:
            return self._by_table_column(target)
        parts = target.split(".")
        if len(parts) == 2:
            found = _unique(self._by_label.get((parts[0], parts[1].lower()), []))
            if found is not None:
                return found
        elif len(parts) == 1:
            return self._by_bare_name(target, declaring)
        located = self._resolver.locate(target, exact=True) if self._resolver.is_project(target) else None
        if located is not None and located.symbol:
            found = self._entities.by_key.get((located.module, located.symbol))
            if found is not None:
                return found
        return self._by_table_column(target) if as_table else None

    def _by_table_column(self, target: str) -> Entity | None:
        parts = target.split(".")
        return _unique(self._by_table.get(parts[-2].lower(), [])) if len(parts) >= 2 else None

    def _by_bare_name(self, name: str, declaring: Entity | None) -> Entity | None:
        """A model named without its app: the one in the declaring model's app (or, for
        SQLAlchemy, module), else the only one of that name."""
        candidates = self._by_symbol.get(name, [])
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
        return _unique(candidates)

    # ------------------------------------------------------------------ names

    def add_names(self, result: ParseResult) -> None:
        """Imports, names and manager queries of entity classes in one module."""
        module = result.file.module
        facts = result.facts
        resolver = self._resolver
        for fact in facts.imports:
            target = resolver.import_target(module, fact)
            if target is None or not resolver.is_project(target):
                continue
            location = resolver.locate(target)
            entity = self._entities.by_key.get((location.module, location.symbol)) if location else None
            if entity is None:
                continue
            if result.file.is_package and entity.module and entity.module.startswith(module + "."):
                continue  # a package re-exporting its own submodule's model: a facade, not a use
            self._add(entity.name, module, UseKind.REFERENCE, [fact.line])
        query_sites = self._query_call_sites(module, facts.references)
        for reference in facts.references:
            location = resolver.resolve_reference(module, reference.target, reference.scope)
            if location is None or not location.symbol:
                continue
            entity = self._entities.by_key.get((location.module, location.symbol))
            if entity is None:
                continue
            if self._through_manager(module, reference.target, reference.scope, entity):
                self._add(entity.name, module, UseKind.QUERY, reference.lines)
                continue
            bare = reference.kind is ReferenceKind.REFERENCE and self._names_class(
                module, reference.target, reference.scope, entity
            )
            for line in reference.lines:
                if bare and (entity.name, module, line) in self._relation_sites:
                    continue  # ``ForeignKey(Customer)`` is the relation already
                if bare and (reference.scope, line) in query_sites:
                    self._add(entity.name, module, UseKind.QUERY, [line])
                else:
                    self._add(entity.name, module, UseKind.REFERENCE, [line])
        for string_ref in facts.string_refs:
            if not resolver.is_project(string_ref.value):
                continue
            location = resolver.locate(string_ref.value, exact=True)
            entity = self._entities.by_key.get((location.module, location.symbol)) if location else None
            if entity is not None and (entity.name, module, string_ref.line) not in self._relation_sites:
                self._add(entity.name, module, UseKind.REFERENCE, [string_ref.line])

    def _query_call_sites(self, module: ModuleName, references) -> set[tuple[str, int]]:
        """(scope, line) of ``session.query(...)`` and SQLAlchemy ``select(...)`` calls: a
        model named on the same line is what they query."""
        sites = set()
        for reference in references:
            if reference.kind is not ReferenceKind.CALL:
                continue
            last = reference.target.rpartition(".")[2]
            if last == "query" or (
                last in _STATEMENTS
                and (
                    self._resolver.qualified_name(module, reference.target, reference.scope) or ""
                ).startswith("sqlalchemy.")
            ):
                sites.update((reference.scope, line) for line in reference.lines)
        return sites

    def _through_manager(self, module: ModuleName, target: str, scope: str, entity: Entity) -> bool:
        """``Order.objects...`` / ``Order.query...``, with ``Order`` naming the entity."""
        parts = target.split(".")
        for index in range(1, len(parts)):
            if parts[index] in _MANAGERS:
                return self._names_class(module, ".".join(parts[:index]), scope, entity)
        return False

    def _names_class(self, module: ModuleName, target: str, scope: str, entity: Entity) -> bool:
        """``target`` denotes the entity's class itself, not one of its attributes."""
        if self._entity_at(module, target, scope) is not entity:
            return False
        shorter = target.rpartition(".")[0]
        return not shorter or self._entity_at(module, shorter, scope) is not entity

    def _entity_at(self, module: ModuleName, target: str, scope: str) -> Entity | None:
        location = self._resolver.resolve_reference(module, target, scope)
        if location is None or not location.symbol:
            return None
        return self._entities.by_key.get((location.module, location.symbol))

    # ------------------------------------------------------------------ SQL

    def add_sql(self, results: Sequence[ParseResult]) -> list[Entity]:
        """SQL uses of mapped tables; returns the tables no model maps to, as entities."""
        bare: dict[str, Entity] = {}
        for result in results:
            module = result.file.module
            for ref in result.facts.sql_refs:
                mapped = self._by_table.get(ref.table)
                if not mapped:
                    entity = bare.get(ref.table)
                    if entity is None:
                        entity = Entity(f"table:{ref.table}", EntityKind.TABLE, None, "", ref.table)
                        bare[ref.table] = entity
                    mapped = [entity]
                for entity in mapped:
                    self._add(entity.name, module, UseKind.SQL, [ref.line])
        return list(bare.values())


def _unique(candidates: list[Entity]) -> Entity | None:
    return candidates[0] if len(candidates) == 1 else None
