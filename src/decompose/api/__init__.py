"""The library API: run the pipeline on a tree and get the analysis back as values; compare
two versions; check a baseline. Nothing here prints; progress goes to the callback the
caller gives."""

from decompose._version import SCHEMA_VERSION
from decompose.api._compare import BaselineCheck, CompareResult, check_baseline, compare_sources
from decompose.api._run import Analysis, ProgressCallback, analyze, analyze_path

__all__ = [
    "Analysis",
    "analyze",
    "analyze_path",
    "ProgressCallback",
    "SCHEMA_VERSION",
    "CompareResult",
    "compare_sources",
    "BaselineCheck",
    "check_baseline",
]
