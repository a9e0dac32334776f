"""The command line, through click's runner and through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose.cli import ExitCode, main
from helpers.trees import SAMPLE, write_tree


def test_analyze_writes_analysis_json_and_says_where(sample_cli):
    result, out = sample_cli
    assert result.exit_code == ExitCode.OK, result.output
    assert f"wrote {out / 'analysis.json'}" in result.output
    document = json.loads((out / "analysis.json").read_text())
    assert document["schema_version"] == 1
    assert document["project"]["name"] == "sample_monolith"


def test_default_output_folder_is_reports_slash_project_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "sample_monolith" / "analysis.json").is_file()


def test_two_runs_give_byte_identical_json(sample_cli, tmp_path):
    first_run, first_out = sample_cli  # the session's run is the first
    assert first_run.exit_code == 0
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(tmp_path / "two"), "-q"])
    assert result.exit_code == 0
    first = (first_out / "analysis.json").read_bytes()
    assert first == (tmp_path / "two" / "analysis.json").read_bytes()


def test_exclude_option_adds_to_the_projects_own_config(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "pyproject.toml": '[tool.decompose]\nexclude = ["legacy"]\n',
            "app/__init__.py": "",
            "app/generated.py": "",
            "legacy/old.py": "",
        },
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["analyze", str(root), "--out", str(out), "--exclude", "app/generated.py"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "analysis.json").read_text())
    assert [m["name"] for m in document["modules"]] == ["app"]
    assert document["project"]["options"]["exclude"] == ["legacy", "app/generated.py"]


def test_invalid_config_is_one_line_naming_the_key(tmp_path):
    root = write_tree(tmp_path / "proj", {"pyproject.toml": "[tool.decompose]\nservice = 3\n", "a.py": ""})
    result = CliRunner().invoke(main, ["analyze", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output.strip().count("\n") == 0
    assert "unknown key 'service'" in result.output


def test_installed_console_script_runs_end_to_end_on_the_sample(tmp_path):
    script = Path(sys.executable).parent / "decompose"
    completed = subprocess.run(
        [str(script), "analyze", str(SAMPLE), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "81 modules" in completed.stdout
    document = json.loads((tmp_path / "analysis.json").read_text())
    assert document["summary"]["modules"] == 81


def test_cli_start_up_does_not_import_heavy_libraries():
    code = "import sys, decompose.cli; print(sorted(m for m in ('pandas', 'matplotlib', 'libcst', 'networkx') if m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_signal_weights_come_from_the_option_and_an_unknown_signal_is_named(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["analyze", str(SAMPLE), "--out", str(out), "-q", "--no-cache", "--signal", "vocabulary=0"]
    )
    assert result.exit_code == 0, result.output
    options = json.loads((out / "analysis.json").read_text())["project"]["options"]
    assert options["signal_weights"] == [["vocabulary", 0.0]]
    bad = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(out), "--signal", "bogus=1"])
    assert bad.exit_code == 2 and "unknown signal 'bogus'" in bad.output
    malformed = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(out), "--signal", "vocabulary"])
    assert malformed.exit_code == 2 and "not KIND=WEIGHT" in malformed.output


@pytest.mark.parametrize("weight", ["nan", "inf", "-1"])
def test_a_signal_weight_must_be_a_finite_non_negative_number(tmp_path, weight):
    out = tmp_path / "out"
    bad = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(out), "--signal", f"vocabulary={weight}"])
    assert bad.exit_code == 2 and "must be a non-negative number" in bad.output
