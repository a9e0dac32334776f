"""Command line: options → config → library call → renderer → exit code."""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import click

from decompose._version import __version__
from decompose.errors import ConfigError, DecomposeError, InputError

__all__ = ["main", "ExitCode"]


class ExitCode(enum.IntEnum):
    OK = 0
    INPUT_ERROR = 2  # unusable path or configuration
    INTERNAL_ERROR = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="decompose")
def main() -> None:
    """Tell how to cut a Python monolith into services, from its code alone."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder [default: reports/<project name>/].",
)
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out matching paths (repeatable).")
@click.option("--include-tests", is_flag=True, default=None, help="Analyse tests too.")
@click.option("--include-migrations", is_flag=True, default=None, help="Analyse migrations too.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (unresolved imports, excluded paths).")
def analyze(
    path: Path,
    out_dir: Path | None,
    exclude: tuple[str, ...],
    include_tests: bool | None,
    include_migrations: bool | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Analyse the Python code under PATH and write analysis.json."""
    from decompose.api import analyze_path
    from decompose.render import write_report

    overrides = {"exclude": exclude, "include_tests": include_tests, "include_migrations": include_migrations}
    try:
        analysis = analyze_path(path, overrides)
    except InputError as error:
        _fail(str(error), ExitCode.INPUT_ERROR)
    except ConfigError as error:
        _fail(f"configuration: {error}", ExitCode.INPUT_ERROR)
    except DecomposeError as error:
        _fail(str(error), ExitCode.INTERNAL_ERROR)

    for diagnostic in analysis.diagnostics:
        if diagnostic.severity.value == "warning" or verbose:
            where = f"{diagnostic.path}:{diagnostic.line}" if diagnostic.line else diagnostic.path
            click.echo(
                f"{diagnostic.severity.value}: {where}: {diagnostic.message} [{diagnostic.code}]", err=True
            )
    if verbose:
        for exclusion in analysis.excluded:
            click.echo(f"excluded: {exclusion.path} ({exclusion.reason})", err=True)

    target = out_dir if out_dir is not None else Path("reports") / analysis.project
    written = write_report(analysis, target)
    if not quiet:
        summary = analysis.status_counts()
        graph = analysis.graph
        click.echo(
            f"{len(graph.modules)} modules ({sum(m.lines for m in graph.modules):,} lines; "
            f"{summary['partial']} partly and {summary['failed']} not parsed), "
            f"{len(graph.edges)} module edges, {len(analysis.decomposition.services)} services, "
            f"{len(analysis.warnings)} warnings, {len(analysis.excluded)} paths excluded"
        )
        for file in written:
            click.echo(f"wrote {file}")
    sys.exit(ExitCode.OK)


def _fail(message: str, code: ExitCode) -> None:
    click.echo(f"decompose: error: {message}", err=True)
    sys.exit(code)
