"""One path for every option: each stage's options class holds its defaults and their
meanings; one table (``OPTIONS``) says which key of ``[tool.decompose]`` sets which field,
how its value is read and checked, and which flag of the command line sets it.

Precedence: the defaults, then ``[tool.decompose]`` in the analysed project's
``pyproject.toml``, then what the caller (the command line) passes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from decompose.config._analysis import AnalysisConfig
from decompose.config._table import OPTIONS, Option
from decompose.config._values import Name
from decompose.errors import ConfigError
from decompose.history import HistoryOptions, HistorySettings
from decompose.model import Diagnostic

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["AnalysisConfig", "load_config", "Option", "OPTIONS"]

_FILE = "[tool.decompose]"
_SUBTABLES = frozenset(key.partition(".")[0] for key in OPTIONS if "." in key)


def load_config(
    root: Path, overrides: Mapping[str, Any] | None = None, *, cli: bool = False
) -> tuple[AnalysisConfig, tuple[Diagnostic, ...]]:
    """Build the config for ``root``; return it with diagnostics about the project's file.

    ``overrides`` are keys of the option table (``-`` or ``_`` between words; a sub-table
    as a table or as ``"history.since"``); None stands for "not given". With ``cli``, an
    error about an override names the command line's flag instead of the key.

    Raises ConfigError when ``[tool.decompose]`` or an override holds an unknown key or a
    value that does not fit.
    """
    diagnostics: list[Diagnostic] = []
    values: dict[Option, Any] = {}
    table = _read_tool_table(root / "pyproject.toml", diagnostics)
    for option, value in _read(table, _FILE, cli=False):
        values[option] = value
    for option, value in _read(overrides or {}, "option", cli=cli):
        values[option] = values[option] + value if option.adds and option in values else value
    return _config(root, values), tuple(diagnostics)


def _read(table: Mapping[str, Any], source: str, cli: bool) -> Iterator[tuple[Option, Any]]:
    """Each option ``table`` sets, with its value read; ConfigError for an unknown key."""
    in_file = source == _FILE
    for key, value in table.items():
        name = str(key).replace("_", "-")
        if name in _SUBTABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: {key!r} must be a table ([tool.decompose.{name}])")
            entries = [(f"{name}.{sub}", f"{name}.{str(sub).replace('_', '-')}", v) for sub, v in value.items()]
        else:
            entries = [(key, name, value)]
        for shown, normalised, given in entries:
            if given is None:  # a caller's "not given"
                continue
            option = OPTIONS.get(normalised)
            if option is None or (in_file and not option.in_file):
                raise ConfigError(f"{source}: unknown key {shown!r} (known keys: {_known(shown, in_file)})")
            named = Name(option.flag, " ") if cli and option.flag else Name(f"{source}: {shown!r}")
            yield option, option.read(given, named)


def _known(key: str, in_file: bool) -> str:
    """The keys next to ``key``: those of its sub-table in the table's order, or the
    top-level ones sorted (a sub-table among them)."""
    table, dot, _ = key.replace("_", "-").partition(".")
    keys = [k for k, option in OPTIONS.items() if option.in_file or not in_file]
    if dot:
        return ", ".join(k.partition(".")[2] for k in keys if k.startswith(f"{table}."))
    return ", ".join(sorted({k.partition(".")[0] for k in keys}))


def _config(root: Path, values: Mapping[Option, Any]) -> AnalysisConfig:
    """The config of the values read, each part made by its stage's options class."""
    given: dict[type, dict[str, Any]] = {}
    for option, value in values.items():
        given.setdefault(option.owner, {})[option.field] = value
    # HistoryOptions fields are kept as set, over its defaults: the report lists those set.
    history = given.setdefault(HistorySettings, {})
    history["options"] = tuple(sorted(given.pop(HistoryOptions, {}).items()))
    parts = {item.name: type(item.default) for item in fields(AnalysisConfig) if is_dataclass(item.default)}
    return AnalysisConfig(
        root=root,
        **{part: owner(**given.pop(owner, {})) for part, owner in parts.items()},
        **given.pop(AnalysisConfig, {}),
    )


def _read_tool_table(pyproject: Path, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    if not pyproject.is_file():
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        diagnostics.append(
            Diagnostic(
                path="pyproject.toml",
                code="config-unreadable",
                message=f"pyproject.toml could not be read, [tool.decompose] ignored: {error}",
            )
        )
        return {}
    table = data.get("tool", {}).get("decompose", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.decompose] in pyproject.toml must be a table")
    return table
