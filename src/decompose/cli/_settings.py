"""The command line's options that set a key of the option table (``decompose.config.OPTIONS``):
each takes its flag, type, choices and default from the table, and what it is given is
checked by the table, so that an error names the flag."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import click

from decompose.cli._exit import ExitCode, fail
from decompose.config import OPTIONS

__all__ = ["setting", "settings_given"]


class _Setting(click.Option):
    """A click option that sets ``key`` of the option table."""

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key = key


def setting(key: str, help: str, **extra: Any) -> Callable:
    """The click option that sets ``key``: its flag, and its type, choices and default as
    the table has them. A flag (a boolean) turns the option from its default to the other
    value; a list or a table is repeatable (a table's entries as KEY=NUMBER)."""
    option = OPTIONS[key]
    kind, choices, default = option.value.kind, option.value.choices, option.default
    kwargs: dict[str, Any] = {"cls": _Setting, "key": key, "default": None}
    if kind == "boolean":
        kwargs["is_flag"] = True
    elif kind in ("list", "table"):
        kwargs["multiple"] = True
    elif choices:
        kwargs["type"] = click.Choice(choices)
    elif kind == "integer":
        kwargs["type"] = int
    if kind != "boolean" and default not in (None, ()):
        help = f"{help.removesuffix('.')} [default: {default}]."
    return click.option(option.flag, help=help, **{**kwargs, **extra})


def settings_given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The table keys that the current command's settings were given, with their values
    (``values``: the command's parameters); exits 2 on a table entry that is not KEY=NUMBER."""
    given: dict[str, Any] = {}
    for param in click.get_current_context().command.params:
        if not isinstance(param, _Setting) or values.get(param.name or "") in (None, ()):
            continue
        value = values[param.name or ""]
        kind = OPTIONS[param.key].value.kind
        if kind == "boolean":
            value = not OPTIONS[param.key].default
        elif kind == "table":
            value = _entries(param, value)
        given[param.key] = value
    return given


def _entries(param: click.Parameter, texts: tuple[str, ...]) -> dict[str, float]:
    """``--signal vocabulary=0.5`` as a table; bad input exits with the option named."""
    table = {}
    for text in texts:
        key, _, number = text.partition("=")
        try:
            table[key.strip()] = float(number)
        except ValueError:  # no "=", or no number after it
            fail(f"{param.opts[-1]}: {text!r} is not {param.metavar}", ExitCode.INPUT_ERROR)
    return table
