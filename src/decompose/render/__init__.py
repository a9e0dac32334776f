"""Render stage: turn an ``Analysis`` into files. Computes nothing about the code."""

from __future__ import annotations

from pathlib import Path

from decompose._io import write_atomic
from decompose.api import Analysis
from decompose.render.json import analysis_document, analysis_json
from decompose.render.tables import write_tables

__all__ = ["write_report", "write_tables", "analysis_document", "analysis_json", "write_atomic"]


def write_report(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write every output file into ``out_dir`` (``analysis.json``, then the CSV tables);
    return their paths."""
    target = out_dir / "analysis.json"
    write_atomic(target, analysis_json(analysis))
    return [target, *write_tables(analysis, out_dir)]
