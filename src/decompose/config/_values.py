"""The kinds of value an option takes. Each reads a value as TOML or a caller gives it,
checks it, and returns it in the shape its stage's options hold; ConfigError naming the
option if it does not fit."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decompose.errors import ConfigError
from decompose.gate import parse_rule

__all__ = [
    "Name",
    "Value",
    "BOOLEAN",
    "NUMBER",
    "STRINGS",
    "RULES",
    "PINS",
    "PAIRS",
    "PATH",
    "whole",
    "choice",
    "text",
    "weights",
    "checked_by",
]


@dataclass(frozen=True)
class Name:
    """How an error names what was set: ``[tool.decompose]: 'seed'``, ``option: 'seed'``, ``--seed``."""

    text: str
    separator: str = "."  # before an entry of a table: 'edge-weights'.call, --signal vocabulary

    def __str__(self) -> str:
        return self.text

    def entry(self, key: object) -> Name:
        return Name(f"{self.text}{self.separator}{key}", self.separator)


@dataclass(frozen=True)
class Value:
    """A kind of value: ``read(value, name)`` returns it checked, in its stage's shape."""

    kind: str  # as docs/configuration.md names it: boolean, integer, number, string, list, table
    read: Callable[[Any, Name], Any]
    choices: tuple[str, ...] = ()  # the values a string may take, when they are few


def _boolean(value: Any, name: Name) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{name} must be true or false")
    return value


def _number(value: Any, name: Name) -> float:
    if not _non_negative(value):
        raise ConfigError(f"{name} must be a non-negative number")
    return float(value)


def _strings(value: Any, name: Name) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{name} must be a list of strings")
    return tuple(value)


def _rules(value: Any, name: Name) -> tuple[str, ...]:
    texts = _strings(value, name)
    for rule in texts:
        try:
            parse_rule(rule)
        except ConfigError as error:
            raise ConfigError(f"{name}: {error}") from None
    return texts


def _pins(value: Any, name: Name) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(isinstance(globs, (list, str)) for globs in value.values()):
        raise ConfigError(f"{name} must be a table of service = [module globs]")
    pins = []
    for service, globs in value.items():
        for glob in [globs] if isinstance(globs, str) else globs:
            if not isinstance(glob, str):
                raise ConfigError(f"{name.entry(service)} must list strings")
            pins.append((glob, str(service)))
    return tuple(pins)


def _pairs(value: Any, name: Name) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(g, str) for g in pair) for pair in value
    ):
        raise ConfigError(f"{name} must be a list of [glob, glob] pairs")
    return tuple((a, b) for a, b in value)


def _path(value: Any, name: Name) -> Path:
    if not isinstance(value, (str, os.PathLike)):
        raise ConfigError(f"{name} must be a path")
    return Path(value)


BOOLEAN = Value("boolean", _boolean)
NUMBER = Value("number", _number)  # finite and at least 0
STRINGS = Value("list", _strings)  # one string stands for a list of it
RULES = Value("list", _rules)  # gate rules (decompose.gate), kept as written
PINS = Value("table", _pins)  # service = module globs, as (glob, service) pairs
PAIRS = Value("list", _pairs)  # [glob, glob] pairs
PATH = Value("string", _path)


def whole(least: int, meaning: str | None = None) -> Value:
    """A whole number of at least ``least``; ``meaning`` says so in the error."""
    said = meaning or ("a positive integer" if least == 1 else f"a whole number of at least {least}")

    def read(value: Any, name: Name) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ConfigError(f"{name} must be {said}")
        return value

    return Value("integer", read)


def choice(choices: Iterable[str]) -> Value:
    """One of ``choices``."""
    known = tuple(choices)
    listed = ", ".join(f'"{c}"' for c in known[:-1]) + f' or "{known[-1]}"'

    def read(value: Any, name: Name) -> str:
        if value not in known:
            raise ConfigError(f"{name} must be {listed}")
        return value

    return Value("string", read, known)


def text(meaning: str, empty: bool = True) -> Value:
    """A string (a non-empty one unless ``empty``); ``meaning`` says what it is in the error."""

    def read(value: Any, name: Name) -> str:
        if not isinstance(value, str) or not (empty or value):
            raise ConfigError(f"{name} must be {meaning}")
        return value

    return Value("string", read)


def weights(what: str, known: Iterable[str]) -> Value:
    """A table of ``what`` = weight, each key one of ``known``: as (key, weight) pairs, sorted."""
    kinds = tuple(known)

    def read(value: Any, name: Name) -> tuple[tuple[str, float], ...]:
        if not isinstance(value, dict):
            raise ConfigError(f"{name} must be a table of {what} = weight")
        pairs = []
        for kind, weight in sorted(value.items()):
            if kind not in kinds:
                raise ConfigError(f"{name.entry(kind)}: unknown {what} {kind!r} (known: {', '.join(kinds)})")
            pairs.append((kind, _number(weight, name.entry(kind))))
        return tuple(pairs)

    return Value("table", read)


def checked_by(owner: type, field: str, kind: str) -> Value:
    """A value that ``owner`` checks itself when built (its ``__post_init__``), kept as
    given. Its error ("history.max_commits: 0 is not...") names the field as the owner
    spells it; the error raised names the option as it was given."""

    def read(value: Any, name: Name) -> Any:
        try:
            owner(**{field: value})
        except ConfigError as error:
            raise ConfigError(f"{name}: {str(error).partition(': ')[2] or error}") from None
        return value

    return Value(kind, read)


def _non_negative(value: Any) -> bool:
    """A finite number of at least 0 (NaN would poison every weight it is summed into)."""
    return (
        not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    )
