"""Checked access to a parsed JSON document: every value read is of the type asked for, and
every shape error is an ``InputError`` naming the file and the place in it."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from decompose.errors import InputError

__all__ = ["CheckedReader"]

T = TypeVar("T")


class CheckedReader:
    """Typed reads of JSON records; ``where`` is the record's place (``services[3]``)."""

    def __init__(self, file: Path) -> None:
        self.file = file

    # ------------------------------------------------------------------ checked access

    _MISSING = object()

    def field(self, record: Mapping, key: str, kind, where: str, *, nullable=False, default=_MISSING):
        if key not in record:
            if default is not self._MISSING:
                return default
            raise self.error(where, f"{key!r} is missing")
        value = record[key]
        if value is None and nullable:
            return None
        # bool is an int in Python, and an int is not a bool in JSON: tell them apart.
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.error(f"{where}.{key}" if where else key, f"expected {names}, got {_json_type(value)}")
        return value

    def number(self, record: Mapping, key: str, where: str, *, default=_MISSING) -> float:
        """A finite number, as a float: NaN, an infinity or an int too large for a float
        would break every figure computed from it."""
        value = self.field(record, key, (int, float), where, default=default)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(f"{where}.{key}", f"expected a finite number, got {value!r:.40}")
        return number

    def enum(self, enum_type, record: Mapping, key: str, where: str):
        value = self.field(record, key, str, where)
        try:
            return enum_type(value)
        except ValueError:
            known = ", ".join(member.value for member in enum_type)
            raise self.error(f"{where}.{key}", f"unknown value {value!r} (known: {known})") from None

    def records(self, record: Mapping, key: str, where: str = "") -> Iterator[tuple[dict, str]]:
        items = self.field(record, key, list, where, default=[])
        prefix = f"{where}.{key}" if where else key
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(f"{prefix}[{index}]", f"expected an object, got {_json_type(item)}")
            yield item, f"{prefix}[{index}]"

    def each(self, record: Mapping, key: str, read: Callable[[dict, str], T], where: str = "") -> Iterator[T]:
        for item, item_where in self.records(record, key, where):
            yield read(item, item_where)

    def strings(self, record: Mapping, key: str, where: str, optional: bool = False) -> list[str]:
        return self.items_of(record, key, where, str, optional)

    def ints(self, record: Mapping, key: str, where: str, optional: bool = False) -> list[int]:
        return self.items_of(record, key, where, int, optional)

    def items_of(self, record: Mapping, key: str, where: str, kind: type, optional: bool) -> list:
        values = self.field(record, key, list, where, **({"default": []} if optional else {}))
        for index, value in enumerate(values):
            if not isinstance(value, kind) or isinstance(value, bool):
                raise self.error(
                    f"{where}.{key}[{index}]", f"expected {kind.__name__}, got {_json_type(value)}"
                )
        return values

    def counts(self, record: Mapping, key: str, where: str) -> list[tuple[str, int]]:
        values = self.field(record, key, dict, where)
        for name, count in values.items():
            if not isinstance(count, int) or isinstance(count, bool):
                raise self.error(f"{where}.{key}.{name}", f"expected int, got {_json_type(count)}")
        return list(values.items())

    def error(self, where: str, problem: str) -> InputError:
        return InputError(f"{self.file}: {where}: {problem}" if where else f"{self.file}: {problem}")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "int", float: "float", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )
