"""``decompose export``: the proposal of an analysis, for another tool."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from decompose.cli._exit import ExitCode, exit_on_error

__all__ = ["export", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("import-linter", "tach", "dot", "mermaid")


@click.command()
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

    with exit_on_error():
        stored = load_analysis(source)
    text = render_export(stored, format_)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out_file, text.encode("utf-8"))
        click.echo(f"wrote {out_file}", err=True)
    sys.exit(ExitCode.OK)
