"""Command line: options → config → library call → renderer → exit code.

One module per command (``_analyze``, ``_compare``, ``_export``, ``_extract``); the exit
codes and the one mapping from the library's errors to them are in ``_exit``. Nothing
below this package calls ``sys.exit`` or prints.
"""

from __future__ import annotations

import gc

import click

from decompose._version import __version__
from decompose.cli._analyze import analyze
from decompose.cli._compare import compare
from decompose.cli._exit import ExitCode
from decompose.cli._export import EXPORT_FORMATS, export
from decompose.cli._extract import extract

__all__ = ["main", "run", "ExitCode", "EXPORT_FORMATS"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="decompose")
def main() -> None:
    """Tell how to cut a Python monolith into services, from its code alone."""


for _command in (analyze, compare, export, extract):
    main.add_command(_command)


def run() -> None:
    """The console script. Its process ends once the command has written its files, so it
    runs without the cyclic garbage collector, which would only rescan millions of acyclic
    facts and edges (half a second of a warm run on a million lines, measured)."""
    gc.disable()
    main()
