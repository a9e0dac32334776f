"""One option path: the table sets every field of the stage options, the command line's
options come from it, and an error names the option as it was given."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from decompose import ConfigError
from decompose.cli import main
from decompose.cli._settings import _Setting
from decompose.cluster import ClusterOptions
from decompose.config import OPTIONS, AnalysisConfig, load_config
from decompose.discover import DiscoverOptions
from decompose.gate import GateOptions
from decompose.history import HistoryOptions, HistorySettings
from helpers.trees import write_tree

# analysis.json's "options", in order: a change here is a change of the output's schema.
REPORTED = [
    "exclude",
    "roots",
    "include_tests",
    "include_migrations",
    "max_file_bytes",
    "method",
    "services",
    "seed",
    "resolution",
    "kernel_share",
    "signal_weights",
    "edge_weights",
    "pins",
    "apart",
    "history",
    "history_repo",
    "history_path_in_repo",
    "history_authors",
    "history_options",
]


@pytest.mark.parametrize("owner", [DiscoverOptions, ClusterOptions, HistorySettings, HistoryOptions, GateOptions])
def test_every_field_of_the_stage_options_is_set_by_one_key(owner):
    set_by = sorted(option.field for option in OPTIONS.values() if option.owner is owner)
    expected = sorted(f.name for f in fields(owner) if (owner, f.name) != (HistorySettings, "options"))
    assert set_by == expected


def test_the_report_names_the_options_as_it_always_has():
    assert list(AnalysisConfig(root=Path(".")).options()) == REPORTED


def test_each_flag_of_the_table_is_an_option_of_the_command_line_with_its_choices():
    made = {}
    for command in main.commands.values():
        for param in command.params:
            if isinstance(param, _Setting):
                assert OPTIONS[param.key].flag in param.opts
                made[param.key] = param
    assert sorted(made) == sorted(key for key, option in OPTIONS.items() if option.flag)
    assert list(made["method"].type.choices) == list(OPTIONS["method"].value.choices)


def test_the_file_then_the_caller_each_key_replacing_but_exclude_adding(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "pyproject.toml": """
                [tool.decompose]
                exclude = ["legacy"]
                seed = 2
                services = 4
                [tool.decompose.history]
                min-shared = 3
                since = "2024-01-01"
            """
        },
    )
    config, _ = load_config(root, {"exclude": "gen", "seed": 5, "history": {"since": None, "max_commits": 9}})
    assert config.discover.exclude == ("legacy", "gen")
    assert (config.cluster.seed, config.cluster.services) == (5, 4)
    assert config.history.options == (("max_commits", 9), ("min_shared", 3), ("since", "2024-01-01"))
    assert config.history.history_options().min_shared == 3


@pytest.mark.parametrize(
    ("overrides", "cli", "message"),
    [
        ({"services": 0}, False, "option: 'services' must be a positive integer"),
        ({"services": 0}, True, "--services must be a positive integer"),
        ({"history.max-commits": 0}, True, "--max-commits: 0 is not a whole number of at least 1"),
        ({"history": {"max_commits": 0}}, False, "option: 'history.max_commits': 0 is not a whole number"),
        ({"signal_weights": {"vocabulary": -1}}, True, "--signal vocabulary must be a non-negative number"),
        ({"method": "kmeans"}, False, "option: 'method' must be \"leiden\", \"louvain\" or \"packages\""),
        ({"jobs": -1}, False, "option: 'jobs' must be a whole number, 0 for every core"),
    ],
)
def test_an_error_names_the_option_as_it_was_given(tmp_path, overrides, cli, message):
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path, overrides, cli=cli)
    assert message in str(error.value)


def test_a_key_only_a_caller_may_set_is_unknown_in_the_file(tmp_path):
    root = write_tree(tmp_path / "proj", {"pyproject.toml": "[tool.decompose]\njobs = 2\n"})
    with pytest.raises(ConfigError, match="unknown key 'jobs'"):
        load_config(root)
    assert load_config(tmp_path, {"jobs": 2, "cache_dir": "c"})[0].cache_dir == Path("c")
