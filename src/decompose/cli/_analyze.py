"""``decompose analyze``: analyse a tree, write the report, and gate on the figures."""

from __future__ import annotations

import atexit
import sys
from pathlib import Path

import click

from decompose.cli import _gate
from decompose.cli._exit import ExitCode, exit_on_error
from decompose.cli._settings import setting, settings_given
from decompose.cli._terminal import ProgressBar
from decompose.cluster import SIGNALS

__all__ = ["analyze"]


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder [default: reports/<project name>/].",
)
@setting("exclude", "Leave out matching paths (repeatable).", metavar="GLOB")
@setting("include-tests", "Analyse tests too.")
@setting("include-migrations", "Analyse migrations too.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes that parse [default: all cores].")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where per-file facts are kept between runs, and beside it (<dir>-stages) the graph, proposal and charts [default: $DECOMPOSE_CACHE_DIR or ~/.cache/decompose].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@setting(
    "roots",
    "A folder the code is imported from, relative to PATH (repeatable; replaces the roots "
    "found and [tool.decompose] roots).",
    metavar="DIR",
)
@setting("history.enabled", "Do not read the git history.")
@setting(
    "history.repo",
    "The git repository (a bare one too) when PATH is not inside its work tree.",
    type=click.Path(file_okay=False),
)
@setting(
    "history.path-in-repo",
    "Where PATH is in the repository (with --repo, for a folder exported from it) [default: the root].",
    metavar="FOLDER",
)
@setting("history.since", "Read only commits after DATE (as git reads it: 2024-01-01).", metavar="DATE")
@setting("history.max-commits", "Read at most N commits, newest first.", metavar="N")
@setting("history.authors", "How authors appear in the output: by name (mailmap), as a hash, or not.")
@setting("services", "How many services to propose [default: automatic].")
@setting("method", "How modules are grouped.")
@setting("seed", "Random seed of the clustering.")
@setting(
    "signal-weights",
    "Weight of a clustering signal (repeatable; over [tool.decompose] signal-weights): "
    + "; ".join(f"{s.kind} ({s.default_weight:g})" for s in SIGNALS)
    + ". 0 turns one off.",
    metavar="KIND=WEIGHT",
)
@click.option(
    "--interfaces", is_flag=True, help="Also write interfaces/<service>.py: Protocol stubs of each API."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (unresolved imports, excluded paths).")
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Freeze this run's figures and services in FILE, for --baseline later.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Measure with FILE's services and fail (exit 1) on regressions or --fail-on limits.",
)
@setting(
    "fail-on",
    "Gate rule, e.g. 'icp>+0.02' or 'cycles>0' (repeatable; replaces [tool.decompose] fail-on).",
    metavar="RULE",
)
def analyze(
    path: Path,
    out_dir: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    interfaces: bool,
    quiet: bool,
    verbose: bool,
    write_baseline: Path | None,
    baseline: Path | None,
    **settings: object,
) -> None:
    """Analyse the Python code under PATH and write analysis.json."""
    from decompose.api import analyze as run_analysis
    from decompose.config import load_config
    from decompose.parse import default_cache_dir
    from decompose.render import ChartDrawer, write_report

    overrides = {
        **settings_given(settings),
        "jobs": jobs if jobs is not None else 0,  # every core
        "cache_dir": None if no_cache else (cache_dir or default_cache_dir()),
    }
    with exit_on_error():
        config, config_diagnostics = load_config(path, overrides, cli=True)
    frozen = _gate.read_baseline(baseline) if baseline is not None else None
    progress = ProgressBar(enabled=not quiet and sys.stderr.isatty())
    drawer = ChartDrawer.start()
    atexit.register(drawer.close)

    def report_progress(stage: str, done: int, total: int) -> None:
        if stage == "graph":  # parsing is over: matplotlib is imported on the freed core
            drawer.warm()
        progress(stage, done, total)

    with progress, exit_on_error():
        analysis = run_analysis(config, progress=report_progress, extra_diagnostics=config_diagnostics)
    _print_diagnostics(analysis, verbose)

    target = out_dir if out_dir is not None else Path("reports") / analysis.project
    written = write_report(analysis, target, drawer)
    drawer.close()
    if interfaces:
        from decompose.render.interfaces import write_interfaces

        written += write_interfaces(analysis, target)
    if not quiet:
        _print_summary(analysis, written, verbose)
    if write_baseline is not None:
        _gate.write_baseline(analysis, write_baseline, quiet)
    if frozen is not None:
        _gate.check_baseline(analysis, frozen, baseline, quiet)
    elif config.gate.fail_on:
        _gate.check_absolute(analysis, quiet)
    sys.exit(ExitCode.OK)


def _print_diagnostics(analysis, verbose: bool) -> None:
    """Warnings (and with ``verbose`` every diagnostic and exclusion) and notes, on stderr."""
    for diagnostic in analysis.diagnostics:
        if diagnostic.severity.value == "warning" or verbose:
            where = f"{diagnostic.path}:{diagnostic.line}" if diagnostic.line else diagnostic.path
            where = where if where not in {"", "."} else "project"  # about the whole tree, not a file
            click.echo(
                f"{diagnostic.severity.value}: {where}: {diagnostic.message} [{diagnostic.code}]", err=True
            )
    for note in analysis.notes:
        click.echo(f"note: {note}", err=True)
    if verbose:
        for exclusion in analysis.excluded:
            click.echo(f"excluded: {exclusion.path} ({exclusion.reason})", err=True)


def _print_summary(analysis, written: list[Path], verbose: bool) -> None:
    """One line of counts, and the files written, on stdout."""
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
