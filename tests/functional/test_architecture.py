"""The pipeline's layering and the package's public surface stay what they are meant to be."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import decompose
from helpers.trees import REPO


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    completed = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "2 kept, 0 broken" in completed.stdout


def test_public_api_is_exactly_what_all_says():
    assert sorted(decompose.__all__) == [
        "Analysis",
        "AnalysisConfig",
        "ConfigError",
        "DecomposeError",
        "InputError",
        "__version__",
        "analyze",
        "analyze_path",
    ]
    for name in decompose.__all__:
        assert hasattr(decompose, name)


def test_every_error_is_a_decompose_error():
    assert issubclass(decompose.InputError, decompose.DecomposeError)
    assert issubclass(decompose.ConfigError, decompose.DecomposeError)
