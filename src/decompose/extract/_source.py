"""Where an extraction's analysis comes from: a stored one, or the code analysed now."""

from __future__ import annotations

from pathlib import Path

from decompose.api import analyze_path
from decompose.extract._model import ExtractError
from decompose.extract._plan import Source
from decompose.stored import ANALYSIS_FILE, load_analysis

__all__ = ["read_source", "default_source"]


def default_source(tree: str | Path) -> Path:
    """Where ``decompose analyze TREE`` writes by default: ``reports/<tree's name>/``."""
    return Path("reports") / Path(tree).resolve().name


def read_source(tree: str | Path, source: str | Path | None = None, jobs: int = 1) -> Source:
    """The analysis ``source`` names: an analysis folder or its ``analysis.json``, or a
    folder of code (analysed now, with its ``[tool.decompose]`` pins); by default the one
    ``decompose analyze TREE`` wrote last.

    Raises InputError for an unreadable analysis, ExtractError when there is none.
    """
    path = Path(source) if source is not None else default_source(tree)
    if path.is_file() or (path / ANALYSIS_FILE).is_file():
        return load_analysis(path)
    if source is None:
        raise ExtractError(f"no analysis of {tree} in {path}: run 'decompose analyze {tree}' first, or name one")
    if not path.is_dir():
        raise ExtractError(f"{path} is neither an analysis nor a folder of code")
    return analyze_path(path, {"jobs": jobs, "cache_dir": None})
