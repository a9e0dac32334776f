"""The entities stage's output: the data a codebase defines and which modules use it."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from decompose.model._files import ModuleName

__all__ = ["DataModel", "Entity", "EntityKind", "EntityUse", "UseKind"]


class EntityKind(str, enum.Enum):
    DJANGO = "django"  # a Django model class
    SQLALCHEMY = "sqlalchemy"  # an SQLAlchemy declarative class
    TABLE = "table"  # a table seen only in SQL strings


@dataclass(frozen=True, order=True)
class Entity:
    name: str  # "module:Class" for models, "table:<name>" for bare tables
    kind: EntityKind
    module: ModuleName | None  # where it is defined (None for a bare table)
    symbol: str  # the class ("" for a bare table)
    table: str  # the table name it maps to (derived when not declared)
    app_label: str | None = None


class UseKind(str, enum.Enum):
    DEFINE = "define"
    REFERENCE = "reference"  # imported or named
    QUERY = "query"  # manager / session query: Order.objects.filter, session.query(Order)
    RELATION = "relation"  # ForeignKey / relationship, string references included
    SQL = "sql"  # its table named in a literal SQL string


@dataclass(frozen=True, order=True)
class EntityUse:
    entity: str  # Entity.name
    module: ModuleName
    kind: UseKind
    lines: tuple[int, ...]


@dataclass(frozen=True)
class DataModel:
    entities: tuple[Entity, ...] = ()
    uses: tuple[EntityUse, ...] = ()
