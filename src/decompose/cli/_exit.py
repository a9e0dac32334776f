"""The command line's exit codes, and the one mapping from the library's errors to them."""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from decompose.errors import ConfigError, DecomposeError, InputError

__all__ = ["ExitCode", "exit_on_error", "fail", "gate_failed"]


class ExitCode(enum.IntEnum):
    OK = 0
    GATE_FAILED = 1  # a --fail-on limit (or a baseline regression) was passed
    INPUT_ERROR = 2  # unusable path, configuration or gate rule
    INTERNAL_ERROR = 3


@contextmanager
def exit_on_error(
    configuration: str = "configuration: {}", input_errors: tuple[type[DecomposeError], ...] = ()
) -> Iterator[None]:
    """Turn an error of the library into one line on stderr and an exit code: an
    ``InputError`` (or one of ``input_errors``) exits 2 with its message; a ``ConfigError``
    exits 2 with its message set in ``configuration``; any other ``DecomposeError`` exits 3."""
    try:
        yield
    except (InputError, *input_errors) as error:
        fail(str(error), ExitCode.INPUT_ERROR)
    except ConfigError as error:
        fail(configuration.format(error), ExitCode.INPUT_ERROR)
    except DecomposeError as error:
        fail(str(error), ExitCode.INTERNAL_ERROR)


def fail(message: str, code: ExitCode) -> NoReturn:
    """Say what went wrong on stderr and exit with ``code``."""
    click.echo(f"decompose: error: {message}", err=True)
    sys.exit(code)


def gate_failed(violations: Iterable) -> NoReturn:
    """Name each passed limit on stderr and exit 1."""
    for violation in violations:
        click.echo(f"decompose: gate failed: {violation.message}", err=True)
    sys.exit(ExitCode.GATE_FAILED)
