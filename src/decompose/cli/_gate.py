"""The gate's steps of ``analyze``: read the baseline, write a baseline, check today's
figures, and exit 1 when a limit is passed. (The rules are read with the config.)"""

from __future__ import annotations

from pathlib import Path

import click

from decompose.cli._exit import exit_on_error, gate_failed

__all__ = ["read_baseline", "write_baseline", "check_baseline", "check_absolute"]


def read_baseline(path: Path):
    """The baseline in ``path``; exits 2 when it cannot be read."""
    from decompose.baseline import load_baseline

    with exit_on_error():
        return load_baseline(path)


def write_baseline(analysis, path: Path, quiet: bool) -> None:
    """Freeze the analysis's figures and services in ``path``."""
    from decompose._io import write_atomic
    from decompose.baseline import baseline_of
    from decompose.render.compare import baseline_json

    frozen = baseline_of(analysis.project, analysis.decomposition, analysis.metrics.proposed.overall)
    write_atomic(path, baseline_json(frozen))
    if not quiet:
        click.echo(f"wrote {path}")


def check_baseline(analysis, frozen, path: Path, quiet: bool) -> None:
    """Measure the analysis with the baseline's services; exits 1 on a regression or limit."""
    from decompose.api import check_baseline as check
    from decompose.render.compare import baseline_text

    with exit_on_error():
        checked = check(analysis, frozen)
    if not quiet or not checked.passed:
        click.echo(baseline_text(checked, str(path)), nl=False)
    if not checked.passed:
        gate_failed(checked.violations)


def check_absolute(analysis, quiet: bool) -> None:
    """Gate rules without a baseline: only limits on today's figures can be checked."""
    from decompose.gate import check

    with exit_on_error(
        configuration="{} (--baseline FILE, or compare two versions with 'decompose compare')"
    ):
        violations = check(analysis.config.gate.rules(), analysis.metrics.proposed.overall.values())
    if violations:
        gate_failed(violations)
    if not quiet:
        click.echo(f"gate: passed ({', '.join(analysis.config.gate.fail_on)})")
