"""``decompose analyze``: analyse a tree, write the report, and gate on the figures."""

from __future__ import annotations

import atexit
import sys
from pathlib import Path

import click

from decompose.cli import _gate
from decompose.cli._exit import ExitCode, exit_on_error, fail
from decompose.cli._terminal import ProgressBar
from decompose.cluster import DEFAULT_METHOD, METHODS, SIGNALS

__all__ = ["analyze"]


@click.command()
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
    help="Where per-file facts are kept between runs, and beside it (<dir>-stages) the graph, proposal and charts [default: $DECOMPOSE_CACHE_DIR or ~/.cache/decompose].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--root",
    "roots",
    multiple=True,
    metavar="DIR",
    help="A folder the code is imported from, relative to PATH (repeatable; replaces the roots "
    "found and [tool.decompose] roots).",
)
@click.option("--no-history", is_flag=True, help="Do not read the git history.")
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False),
    help="The git repository (a bare one too) when PATH is not inside its work tree.",
)
@click.option(
    "--path-in-repo",
    metavar="FOLDER",
    help="Where PATH is in the repository (with --repo, for a folder exported from it) [default: the root].",
)
@click.option("--since", metavar="DATE", help="Read only commits after DATE (as git reads it: 2024-01-01).")
@click.option(
    "--max-commits", type=click.IntRange(min=1), help="Read at most N commits, newest first [default: 10000]."
)
@click.option(
    "--authors",
    type=click.Choice(["name", "hash", "none"]),
    help="How authors appear in the output: by name (mailmap), as a hash, or not [default: name].",
)
@click.option(
    "--services", type=click.IntRange(min=1), help="How many services to propose [default: automatic]."
)
@click.option(
    "--method",
    type=click.Choice([*METHODS, "packages"]),
    help=f"How modules are grouped [default: {DEFAULT_METHOD}, or [tool.decompose] method].",
)
@click.option("--seed", type=int, help="Random seed of the clustering [default: 0].")
@click.option(
    "--signal",
    "signals",
    multiple=True,
    metavar="KIND=WEIGHT",
    help="Weight of a clustering signal (repeatable; over [tool.decompose] signal-weights): "
    + "; ".join(f"{s.kind} ({s.default_weight:g})" for s in SIGNALS)
    + ". 0 turns one off.",
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
@click.option(
    "--fail-on",
    multiple=True,
    metavar="RULE",
    help="Gate rule, e.g. 'icp>+0.02' or 'cycles>0' (repeatable; replaces [tool.decompose] fail-on).",
)
def analyze(
    path: Path,
    out_dir: Path | None,
    exclude: tuple[str, ...],
    include_tests: bool | None,
    include_migrations: bool | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    roots: tuple[str, ...],
    no_history: bool,
    repo: Path | None,
    path_in_repo: str | None,
    since: str | None,
    max_commits: int | None,
    authors: str | None,
    services: int | None,
    method: str | None,
    seed: int | None,
    signals: tuple[str, ...],
    interfaces: bool,
    quiet: bool,
    verbose: bool,
    write_baseline: Path | None,
    baseline: Path | None,
    fail_on: tuple[str, ...],
) -> None:
    """Analyse the Python code under PATH and write analysis.json."""
    from decompose.api import analyze_path
    from decompose.parse import default_cache_dir
    from decompose.render import ChartDrawer, write_report

    _gate.check_rules(fail_on)
    frozen = _gate.read_baseline(baseline) if baseline is not None else None
    overrides = {
        "fail_on": fail_on or None,
        "exclude": exclude,
        "include_tests": include_tests,
        "include_migrations": include_migrations,
        "jobs": jobs if jobs is not None else 0,  # every core
        "cache_dir": None if no_cache else (cache_dir or default_cache_dir()),
        "roots": roots or None,
        "history": {
            "enabled": False if no_history else None,
            "repo": str(repo) if repo is not None else None,
            "path-in-repo": path_in_repo,
            "since": since,
            "max-commits": max_commits,
            "authors": authors,
        },
        "services": services,
        "method": method,
        "seed": seed,
        "signal_weights": _signal_weights(signals) or None,
    }
    progress = ProgressBar(enabled=not quiet and sys.stderr.isatty())
    drawer = ChartDrawer.start()
    atexit.register(drawer.close)

    def report_progress(stage: str, done: int, total: int) -> None:
        if stage == "graph":  # parsing is over: matplotlib is imported on the freed core
            drawer.warm()
        progress(stage, done, total)

    with progress, exit_on_error():
        analysis = analyze_path(path, overrides, progress=report_progress)
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
    elif analysis.config.gate.fail_on:
        _gate.check_absolute(analysis, quiet)
    sys.exit(ExitCode.OK)


def _signal_weights(given: tuple[str, ...]) -> dict[str, float]:
    """``--signal vocabulary=0.5`` as a table; bad input exits with the option named."""
    weights = {}
    for text in given:
        kind, _, value = text.partition("=")
        try:
            weights[kind.strip()] = float(value)
        except ValueError:  # no "=", or no number after it
            fail(f"--signal: {text!r} is not KIND=WEIGHT", ExitCode.INPUT_ERROR)
    return weights


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
