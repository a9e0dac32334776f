"""Entities stage: the data a codebase defines (Django and SQLAlchemy models, SQL tables) and which modules define, reference, relate to and query each entity.

A model is recognised by what its bases resolve to, never by importing anything; the rules
(which bases make a Django or SQLAlchemy model, and why abstract bases are left out) are in
``graph/_models.py``, which the graph stage's framework wiring reads too. A table named in
SQL that no model maps to is an entity of its own. The ORM words a query is told by
(managers, SQLAlchemy statements) are the ones the parse stage reads model fields with, in
``parse/_orm.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from decompose.graph import Resolver, resolver_for
from decompose.graph._models import Models, find_models
from decompose.model import (
    DataModel,
    DependencyGraph,
    Entity,
    EntityKind,
    EntityUse,
    ModuleName,
    ParseResult,
    ReferenceKind,
    UseKind,
)
from decompose.parse._orm import MANAGERS, STATEMENTS
from decompose.roots import NO_ALIASES, Aliases

__all__ = ["build_data_model"]


def build_data_model(
    results: Sequence[ParseResult], graph: DependencyGraph, aliases: Aliases = NO_ALIASES
) -> DataModel:
    """The project's entities and every module's uses of them, sorted.

    ``results`` are the parse stage's results and ``graph`` the graph built from them
    (with ``aliases``, the other names of modules). Never raises on odd input: what cannot
    be resolved is left out.
    """
    resolver = resolver_for(results, aliases)
    entities = find_models(results, resolver)
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


# --------------------------------------------------------------------------- uses


class _Uses:
    def __init__(self, resolver: Resolver, entities: Models) -> None:
        self._resolver = resolver
        self._entities = entities
        self._lines: dict[tuple[str, ModuleName, UseKind], list[int]] = defaultdict(list)
        self._relation_sites: set[tuple[str, ModuleName, int]] = set()
        for key, entity in entities.by_key.items():
            self._add(entity.name, key[0], UseKind.DEFINE, [entities.lines[key]])
        self._by_table = entities.by_table

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
            target = self._entities.relation_target(module, relation)
            if target is not None:
                self._add(target.name, module, UseKind.RELATION, [relation.line])
                self._relation_sites.add((target.name, module, relation.line))

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
            if result.file.is_package and entity.module and entity.module.is_below(module):
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
                last in STATEMENTS
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
            if parts[index] in MANAGERS:
                return self._names_class(module, ".".join(parts[:index]), scope, entity)
        return False

    def _names_class(self, module: ModuleName, target: str, scope: str, entity: Entity) -> bool:
        """``target`` denotes the entity's class itself, not one of its attributes."""
        if self._entity_at(module, target, scope) is not entity:
            return False
        shorter = target.rpartition(".")[0]
        return not shorter or self._entity_at(module, shorter, scope) is not entity

    def _entity_at(self, module: ModuleName, target: str, scope: str) -> Entity | None:
        return self._entities.entity_at(module, target, scope)

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
