"""``decompose extract``: give one service a front door and point the rest of the code at it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from decompose.cli._exit import ExitCode, exit_on_error

__all__ = ["extract"]


@click.command()
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
    with exit_on_error(input_errors=(ExtractError,)):
        analysis = read_source(tree, source)
        plan = plan_extraction(tree, service, analysis, facade=facade, moves=moves)
        if dry_run:
            click.echo(plan.diff(), nl=False)
        else:
            apply_extraction(plan, force=force)
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
        say(
            f"string: {string.path}:{string.line}: {string.value!r} names {string.target or 'an internal module'}{hint}"
        )
    if not dry_run:
        for change in plan.changes:
            say(f"wrote {plan.root / change.path}")
    say(f"check: {plan.check_command()}")
