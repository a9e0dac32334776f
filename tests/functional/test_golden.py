"""The sample's outputs whose exact bytes matter, against files kept in ``golden/``: the
pull-request summary and each export (``decompose export --format ...``).

A change to any of them shows here as a diff. When the change is meant, regenerate the files
and review the diff of ``tests/functional/golden/`` before committing::

    DECOMPOSE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/functional/test_golden.py

(the tests then rewrite the files and skip, saying which they rewrote)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose.cli import ExitCode, main

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DECOMPOSE_UPDATE_GOLDEN") == "1"
EXPORTS = {
    "import-linter.toml": "import-linter",
    "tach.toml": "tach",
    "services.dot": "dot",
    "services.mmd": "mermaid",
}


def check_golden(name: str, actual: bytes) -> None:
    """``actual`` is byte for byte ``golden/<name>``; with DECOMPOSE_UPDATE_GOLDEN=1 it
    becomes it instead."""
    golden = GOLDEN / name
    if UPDATE:
        golden.write_bytes(actual)
        pytest.skip(f"rewrote {golden.relative_to(GOLDEN.parent)} (DECOMPOSE_UPDATE_GOLDEN=1)")
    assert golden.is_file(), f"no golden/{name}: run with DECOMPOSE_UPDATE_GOLDEN=1 to write it"
    expected = golden.read_bytes()
    if actual != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(keepends=True),
            actual.decode("utf-8", "replace").splitlines(keepends=True),
            f"golden/{name}",
            "now",
        )
        shown = "".join(list(diff)[:80])
        pytest.fail(
            f"{name} differs from golden/{name} (DECOMPOSE_UPDATE_GOLDEN=1 rewrites it if meant):\n{shown}",
            pytrace=False,
        )


def test_the_samples_summary_is_the_golden_one(sample_report):
    check_golden("summary.md", (sample_report / "summary.md").read_bytes())


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_each_export_of_the_sample_is_the_golden_one(name, sample_report, tmp_path):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["export", str(sample_report), "--format", EXPORTS[name], "--out", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    check_golden(name, out.read_bytes())


def test_the_golden_folder_holds_exactly_the_files_checked():
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(["summary.md", *EXPORTS])
