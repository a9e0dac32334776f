"""Render stage: turn an ``Analysis`` into files. Computes nothing about the code."""

from __future__ import annotations

from pathlib import Path

from decompose._io import write_atomic
from decompose.api import Analysis
from decompose.render.json import analysis_document, analysis_json
from decompose.render.tables import write_tables

__all__ = ["write_report", "write_tables", "analysis_document", "analysis_json", "write_atomic"]


def write_report(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write every output file into ``out_dir``: ``analysis.json``, the page ``index.html``,
    the pull-request summary ``summary.md``, and the CSV tables (``render.tables``); return
    their paths."""
    from decompose.render.html import report_html
    from decompose.render.markdown import summary_markdown

    outputs = {
        "analysis.json": analysis_json(analysis),
        "index.html": report_html(analysis),
        "summary.md": summary_markdown(analysis),
    }
    written = []
    for name, content in outputs.items():
        target = out_dir / name
        write_atomic(target, content)
        written.append(target)
    return [*written, *write_tables(analysis, out_dir)]
