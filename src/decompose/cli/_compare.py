"""``decompose compare``: two versions of a codebase measured with the same services."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from decompose.cli._exit import ExitCode, exit_on_error, fail, gate_failed
from decompose.cli._settings import setting, settings_given
from decompose.cli._terminal import ProgressBar, terminal_width

__all__ = ["compare"]


@click.command()
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
@setting(
    "fail-on",
    "Exit 1 when a limit is passed: 'icp>+0.02' (change), 'cycles>0' (value), 'cross_weight>+5%', "
    "'regressions' (repeatable; replaces [tool.decompose] fail-on).",
    metavar="RULE",
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
    services_from: str,
    config_file: Path | None,
    jobs: int | None,
    quiet: bool,
    **settings: object,
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

    project = config_file.parent if config_file is not None else (repo if repo is not None else Path("."))
    if config_file is not None and not config_file.is_file():
        fail(f"{config_file} does not exist", ExitCode.INPUT_ERROR)
    overrides = {**settings_given(settings), "jobs": jobs if jobs is not None else 0, "cache_dir": default_cache_dir()}
    with ProgressBar(enabled=not quiet and sys.stderr.isatty()) as progress, exit_on_error():
        config, _ = load_config(project, overrides, cli=True)
        result = compare_sources(
            before, after, repo=repo, services_from=services_from, config=config, progress=progress
        )
    target = out_dir if out_dir is not None else Path("reports") / result.comparison.project / "compare"
    written = write_comparison(result, target)
    if not quiet:
        click.echo(comparison_text(result, width=terminal_width()), nl=False)
        for file in written:
            click.echo(f"wrote {file}")
    if not result.passed:
        gate_failed(result.violations)
    sys.exit(ExitCode.OK)
