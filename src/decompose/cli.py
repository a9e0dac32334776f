"""Command line: options → config → library call → renderer → exit code."""

from __future__ import annotations

import atexit
import enum
import gc
import sys
import time
from pathlib import Path

import click

from decompose._version import __version__
from decompose.cluster import DEFAULT_METHOD, METHODS, SIGNALS
from decompose.errors import ConfigError, DecomposeError, InputError

__all__ = ["main", "ExitCode", "EXPORT_FORMATS"]


class ExitCode(enum.IntEnum):
    OK = 0
    GATE_FAILED = 1  # a --fail-on limit (or a baseline regression) was passed
    INPUT_ERROR = 2  # unusable path, configuration or gate rule
    INTERNAL_ERROR = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="decompose")
def main() -> None:
    """Tell how to cut a Python monolith into services, from its code alone."""


def run() -> None:
    """The console script. Its process ends once the command has written its files, so it
    runs without the cyclic garbage collector, which would only rescan millions of acyclic
    facts and edges (half a second of a warm run on a million lines, measured)."""
    gc.disable()
    main()


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

    _check_rules(fail_on)
    frozen = _read_baseline(baseline) if baseline is not None else None
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
    progress = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
    drawer = ChartDrawer.start()
    atexit.register(drawer.close)

    def report_progress(stage: str, done: int, total: int) -> None:
        if stage == "graph":  # parsing is over: matplotlib is imported on the freed core
            drawer.warm()
        progress(stage, done, total)

    try:
        analysis = analyze_path(path, overrides, progress=report_progress)
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
            where = where if where not in {"", "."} else "project"  # about the whole tree, not a file
            click.echo(
                f"{diagnostic.severity.value}: {where}: {diagnostic.message} [{diagnostic.code}]", err=True
            )
    for note in analysis.notes:
        click.echo(f"note: {note}", err=True)
    if verbose:
        for exclusion in analysis.excluded:
            click.echo(f"excluded: {exclusion.path} ({exclusion.reason})", err=True)

    target = out_dir if out_dir is not None else Path("reports") / analysis.project
    written = write_report(analysis, target, drawer)
    drawer.close()
    if interfaces:
        from decompose.render.interfaces import write_interfaces

        written += write_interfaces(analysis, target)
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
    if write_baseline is not None:
        _write_baseline(analysis, write_baseline, quiet)
    if frozen is not None:
        _check_baseline(analysis, frozen, baseline, quiet)
    elif fail_on or analysis.config.fail_on:
        _check_absolute(analysis, quiet)
    sys.exit(ExitCode.OK)


def _signal_weights(given: tuple[str, ...]) -> dict[str, float]:
    """``--signal vocabulary=0.5`` as a table; bad input exits with the option named."""
    weights = {}
    for text in given:
        kind, _, value = text.partition("=")
        try:
            weights[kind.strip()] = float(value)
        except ValueError:  # no "=", or no number after it
            _fail(f"--signal: {text!r} is not KIND=WEIGHT", ExitCode.INPUT_ERROR)
    return weights


def _check_rules(rules: tuple[str, ...]) -> None:
    from decompose.gate import parse_rules

    try:
        parse_rules(rules)
    except ConfigError as error:
        _fail(f"--fail-on: {error}", ExitCode.INPUT_ERROR)


def _read_baseline(path: Path):
    from decompose.baseline import load_baseline

    try:
        return load_baseline(path)
    except InputError as error:
        _fail(str(error), ExitCode.INPUT_ERROR)


def _write_baseline(analysis, path: Path, quiet: bool) -> None:
    from decompose._io import write_atomic
    from decompose.baseline import baseline_of
    from decompose.render.compare import baseline_json

    frozen = baseline_of(analysis.project, analysis.decomposition, analysis.metrics.proposed.overall)
    write_atomic(path, baseline_json(frozen))
    if not quiet:
        click.echo(f"wrote {path}")


def _check_baseline(analysis, frozen, path: Path, quiet: bool) -> None:
    from decompose.api import check_baseline
    from decompose.render.compare import baseline_text

    try:
        checked = check_baseline(analysis, frozen)
    except ConfigError as error:
        _fail(f"configuration: {error}", ExitCode.INPUT_ERROR)
    if not quiet or not checked.passed:
        click.echo(baseline_text(checked, str(path)), nl=False)
    if not checked.passed:
        _gate_failed(checked.violations)


def _check_absolute(analysis, quiet: bool) -> None:
    """Gate rules without a baseline: only limits on today's figures can be checked."""
    from decompose.gate import check

    try:
        violations = check(analysis.config.gate_rules(), analysis.metrics.proposed.overall.values())
    except ConfigError as error:
        _fail(
            f"{error} (--baseline FILE, or compare two versions with 'decompose compare')",
            ExitCode.INPUT_ERROR,
        )
    if violations:
        _gate_failed(violations)
    if not quiet:
        click.echo(f"gate: passed ({', '.join(analysis.config.fail_on)})")


def _gate_failed(violations) -> None:
    for violation in violations:
        click.echo(f"decompose: gate failed: {violation.message}", err=True)
    sys.exit(ExitCode.GATE_FAILED)


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


@main.command()
@click.argument("before")
@click.argument("after")
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False),
    help="BEFORE and AFTER are revisions of this git repository (REV or REV:folder); it is not touched.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for compare.json and compare.html [default: reports/<project>/compare/].",
)
@click.option(
    "--fail-on",
    multiple=True,
    metavar="RULE",
    help="Exit 1 when a limit is passed: 'icp>+0.02' (change), 'cycles>0' (value), 'cross_weight>+5%', "
    "'regressions' (repeatable; replaces [tool.decompose] fail-on).",
)
@click.option(
    "--services-from",
    type=click.Choice(["before", "pinned"]),
    default="before",
    show_default=True,
    help="The services both sides are measured with: BEFORE's proposal, or it with [tool.decompose.pin] on top.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="pyproject.toml with the [tool.decompose] gate and pins [default: the one in --repo, else here].",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes that parse [default: all cores].")
@click.option("-q", "--quiet", is_flag=True, help="Print only the gate's failures and errors.")
def compare(
    before: str,
    after: str,
    repo: Path | None,
    out_dir: Path | None,
    fail_on: tuple[str, ...],
    services_from: str,
    config_file: Path | None,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Compare two versions of a codebase, measured with the same services.

    BEFORE and AFTER are analysis folders (or their analysis.json), folders of code, or
    with --repo git revisions. Writes compare.json and compare.html; exits 1 when a
    --fail-on limit is passed.
    """
    from decompose.api import compare_sources
    from decompose.config import load_config
    from decompose.parse import default_cache_dir
    from decompose.render.compare import comparison_text, write_comparison

    _check_rules(fail_on)
    project = config_file.parent if config_file is not None else (repo if repo is not None else Path("."))
    if config_file is not None and not config_file.is_file():
        _fail(f"{config_file} does not exist", ExitCode.INPUT_ERROR)
    progress = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
    try:
        config, _ = load_config(
            project,
            {
                "fail_on": fail_on or None,
                "jobs": jobs if jobs is not None else 0,
                "cache_dir": default_cache_dir(),
            },
        )
        result = compare_sources(
            before, after, repo=repo, services_from=services_from, config=config, progress=progress
        )
    except InputError as error:
        _fail(str(error), ExitCode.INPUT_ERROR)
    except ConfigError as error:
        _fail(f"configuration: {error}", ExitCode.INPUT_ERROR)
    except DecomposeError as error:
        _fail(str(error), ExitCode.INTERNAL_ERROR)
    finally:
        progress.close()
    target = out_dir if out_dir is not None else Path("reports") / result.comparison.project / "compare"
    written = write_comparison(result, target)
    if not quiet:
        click.echo(comparison_text(result, width=_width()), nl=False)
        for file in written:
            click.echo(f"wrote {file}")
    if not result.passed:
        _gate_failed(result.violations)
    sys.exit(ExitCode.OK)


@main.command()
@click.argument("service")
@click.argument("source", required=False)
@click.option(
    "--tree",
    type=click.Path(path_type=Path, file_okay=False),
    help="The analysed code [default: SOURCE when it is a folder of code, else the current folder].",
)
@click.option("--dry-run", is_flag=True, help="Print the changes as a unified diff; write nothing.")
@click.option("--facade", metavar="MODULE", help="The facade's module [default: <package>.<service>_api].")
@click.option("--moves", is_flag=True, help="Also move the proposal's symbol moves into the service.")
@click.option("--force", is_flag=True, help="Write even when the git work tree has uncommitted changes.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and the diff with --dry-run).")
def extract(
    service: str,
    source: str | None,
    tree: Path | None,
    dry_run: bool,
    facade: str | None,
    moves: bool,
    force: bool,
    quiet: bool,
) -> None:
    """Give SERVICE one front door and make the rest of the code use it.

    Writes a facade module re-exporting the service's API surface, rewrites every import
    of its modules from outside to use it (libcst; every other byte kept), and writes an
    import-linter contract. SOURCE is an analysis folder (or analysis.json) [default:
    reports/<tree's name>/] or a folder of code, analysed now.
    """
    from decompose.extract import ExtractError, apply_extraction, plan_extraction, read_source
    from decompose.stored import ANALYSIS_FILE

    if tree is None:
        code = source is not None and Path(source).is_dir() and not (Path(source) / ANALYSIS_FILE).is_file()
        tree = Path(source) if code else Path(".")
    try:
        analysis = read_source(tree, source)
        plan = plan_extraction(tree, service, analysis, facade=facade, moves=moves)
        if dry_run:
            click.echo(plan.diff(), nl=False)
        else:
            apply_extraction(plan, force=force)
    except InputError as error:
        _fail(str(error), ExitCode.INPUT_ERROR)
    except ConfigError as error:
        _fail(f"configuration: {error}", ExitCode.INPUT_ERROR)
    except ExtractError as error:
        _fail(str(error), ExitCode.INPUT_ERROR)
    except DecomposeError as error:
        _fail(str(error), ExitCode.INTERNAL_ERROR)
    if not quiet:
        _extract_summary(plan, dry_run)
    sys.exit(ExitCode.OK)


def _extract_summary(plan, dry_run: bool) -> None:
    """What the extraction did (or would do), on stderr, so that a dry run's diff stays clean."""
    files, added, removed = plan.counts()
    verb = "would change" if dry_run else "changed"
    say = lambda text: click.echo(text, err=True)  # noqa: E731
    say(
        f"service {plan.service}: facade {plan.facade} ({plan.facade_path}) with {len(plan.exports)} names; "
        f"{plan.rewritten_statements} import statements pointed at it; {verb} {files} files "
        f"(+{added} -{removed} lines)"
    )
    for move in plan.moves:
        say(f"moved: {move.module}.{move.symbol} to {move.to_module} (a re-export left behind)")
    for kept in plan.kept:
        say(f"kept: {kept.path}:{kept.line}: {kept.reason.removeprefix('kept: ')}")
    for string in plan.strings:
        hint = f" (through the facade: {string.suggestion})" if string.suggestion else ""
        say(f"string: {string.path}:{string.line}: {string.value!r} names {string.target or 'an internal module'}{hint}")
    if not dry_run:
        for change in plan.changes:
            say(f"wrote {plan.root / change.path}")
    say(f"check: {plan.check_command()}")


def _width() -> int:
    """The terminal's width, at least 100 columns (a pipe or a CI log gets 100)."""
    import shutil

    return max(100, shutil.get_terminal_size((100, 24)).columns)


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
