"""Gate rules where they come from: ``fail-on`` in pyproject.toml and the ``--fail-on`` option."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from decompose import ConfigError
from decompose.cli import ExitCode, main
from decompose.config import load_config
from helpers.trees import write_tree


def test_fail_on_in_pyproject_is_read_and_a_bad_rule_names_the_key(tmp_path):
    good = write_tree(tmp_path / "good", {"pyproject.toml": '[tool.decompose]\nfail-on = ["icp>+0.02", "cycles>0"]\n'})
    config, _ = load_config(good)
    assert [r.text for r in config.gate.rules()] == ["icp>+0.02", "cycles>0"]
    assert not any("fail" in name for name in config.options())  # the gate never changes analysis.json
    bad = write_tree(tmp_path / "bad", {"pyproject.toml": '[tool.decompose]\nfail-on = ["icpp>1"]\n'})
    with pytest.raises(ConfigError, match=r"\[tool.decompose\]: 'fail-on': .*unknown metric 'icpp'"):
        load_config(bad)


def test_a_bad_fail_on_option_is_exit_code_2_naming_the_option(tmp_path):
    result = CliRunner().invoke(main, ["compare", str(tmp_path), str(tmp_path), "--fail-on", "speed>1"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "--fail-on: gate rule 'speed>1': unknown metric 'speed'" in result.output
