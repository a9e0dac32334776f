"""decompose: how to cut a Python monolith into services, from its code alone."""

from __future__ import annotations

from decompose._version import __version__
from decompose.api import Analysis, analyze, analyze_path  # noqa: E402
from decompose.config import AnalysisConfig  # noqa: E402
from decompose.errors import ConfigError, DecomposeError, InputError  # noqa: E402

__all__ = [
    "Analysis",
    "AnalysisConfig",
    "ConfigError",
    "DecomposeError",
    "InputError",
    "__version__",
    "analyze",
    "analyze_path",
]
