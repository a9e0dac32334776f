"""Command line: options → config → library call → renderer → exit code."""

from __future__ import annotations

import enum
import sys
import time
from pathlib import Path

import click

from decompose._version import __version__
from decompose.errors import ConfigError, DecomposeError, InputError

__all__ = ["main", "ExitCode", "EXPORT_FORMATS"]


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
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes that parse [default: all cores].")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where per-file facts are kept between runs [default: $DECOMPOSE_CACHE_DIR or ~/.cache/decompose].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (unresolved imports, excluded paths).")
def analyze(
    path: Path,
    out_dir: Path | None,
    exclude: tuple[str, ...],
    include_tests: bool | None,
    include_migrations: bool | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Analyse the Python code under PATH and write analysis.json."""
    from decompose.api import analyze_path
    from decompose.parse import default_cache_dir
    from decompose.render import write_report

    overrides = {
        "exclude": exclude,
        "include_tests": include_tests,
        "include_migrations": include_migrations,
        "jobs": jobs if jobs is not None else 0,  # every core
        "cache_dir": None if no_cache else (cache_dir or default_cache_dir()),
    }
    progress = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
    try:
        analysis = analyze_path(path, overrides, progress=progress)
    except InputError as error:
        _fail(str(error), ExitCode.INPUT_ERROR)
    except ConfigError as error:
        _fail(f"configuration: {error}", ExitCode.INPUT_ERROR)
    except DecomposeError as error:
        _fail(str(error), ExitCode.INTERNAL_ERROR)
    finally:
        progress.close()

    for diagnostic in analysis.diagnostics:
        if diagnostic.severity.value == "warning" or verbose:
            where = f"{diagnostic.path}:{diagnostic.line}" if diagnostic.line else diagnostic.path
            click.echo(
                f"{diagnostic.severity.value}: {where}: {diagnostic.message} [{diagnostic.code}]", err=True
            )
    for note in analysis.notes:
        click.echo(f"note: {note}", err=True)
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
        if verbose:
            click.echo(
                f"parsed {analysis.files_parsed} files in {analysis.jobs} processes, "
                f"{analysis.files_from_cache} from the cache"
            )
        for file in written:
            click.echo(f"wrote {file}")
    sys.exit(ExitCode.OK)


EXPORT_FORMATS = ("import-linter", "tach", "dot", "mermaid")


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="import-linter or tach: a config that enforces the proposal; dot or mermaid: a diagram of it.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write [default: standard output].",
)
def export(source: Path, format_: str, out_file: Path | None) -> None:
    """Write the proposal of an analysis (SOURCE: its folder or analysis.json) for another tool."""
    from decompose._io import write_atomic
    from decompose.render.export import export as render_export
    from decompose.stored import load_analysis

    try:
        stored = load_analysis(source)
    except InputError as error:
        _fail(str(error), ExitCode.INPUT_ERROR)
    text = render_export(stored, format_)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out_file, text.encode("utf-8"))
        click.echo(f"wrote {out_file}", err=True)
    sys.exit(ExitCode.OK)


class _ProgressBar:
    """A rich progress bar on stderr, shown only once a run has taken a second."""

    _DELAY_SECONDS = 1.0

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._started = time.monotonic()
        self._bar = None
        self._tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._started < self._DELAY_SECONDS:
                return
            self._bar = self._make_bar()
            self._bar.start()
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total or None)
        self._bar.update(self._tasks[stage], completed=done, total=total or None)

    @staticmethod
    def _make_bar():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.text import Text

        class FilesPerSecond(ProgressColumn):
            def render(self, task) -> Text:
                return Text(f"{task.speed or 0:,.0f} files/s" if task.total else "")

        return Progress(
            TextColumn("{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            FilesPerSecond(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _fail(message: str, code: ExitCode) -> None:
    click.echo(f"decompose: error: {message}", err=True)
    sys.exit(code)
