"""The option table: every key of ``[tool.decompose]`` and of a caller's overrides, the
field of the stage options it sets, how its value is read, and the command line's flag.

Defaults and meanings are the stage options' own (their fields' defaults and docstrings);
choices come from the stages' tables. The command line and docs/configuration.md are made
from this table.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any

from decompose.cluster import METHODS, PACKAGES, SIGNALS, ClusterOptions
from decompose.config._analysis import AnalysisConfig
from decompose.config._values import (
    BOOLEAN,
    NUMBER,
    PAIRS,
    PATH,
    PINS,
    RULES,
    STRINGS,
    Name,
    Value,
    checked_by,
    choice,
    text,
    weights,
    whole,
)
from decompose.discover import DiscoverOptions
from decompose.gate import GateOptions
from decompose.history import AUTHOR_MODES, HistoryOptions, HistorySettings
from decompose.model import EdgeKind

__all__ = ["Option", "OPTIONS"]


@dataclass(frozen=True)
class Option:
    """One option: its key, the stage option it sets, how its value reads, and its flag."""

    key: str  # in [tool.decompose], words joined by "-"; a sub-table's as "history.since"
    owner: type  # the stage's options class
    field: str  # the field of ``owner`` it sets
    value: Value
    flag: str | None = None  # the command line's option setting it, if one does
    in_file: bool = True  # [tool.decompose] may set it; else only a caller (how to run)
    adds: bool = False  # a caller's value adds to the file's instead of replacing it

    @property
    def default(self) -> Any:
        """The owner's default for the field."""
        (item,) = (item for item in fields(self.owner) if item.name == self.field)
        return item.default_factory() if item.default is MISSING else item.default  # type: ignore[misc]

    def read(self, value: Any, name: Name) -> Any:
        """``value`` checked, in the field's shape; ConfigError naming it as ``name`` says."""
        return self.value.read(value, name)


def _history_option(field: str, kind: str, flag: str | None = None) -> Option:
    return Option(
        f"history.{field.replace('_', '-')}", HistoryOptions, field, checked_by(HistoryOptions, field, kind), flag
    )


_EDGE_KINDS = sorted(kind.value for kind in EdgeKind)

OPTIONS: dict[str, Option] = {
    option.key: option
    for option in (
        Option("exclude", DiscoverOptions, "exclude", STRINGS, "--exclude", adds=True),
        Option("roots", DiscoverOptions, "roots", STRINGS, "--root"),
        Option("include-tests", DiscoverOptions, "include_tests", BOOLEAN, "--include-tests"),
        Option("include-migrations", DiscoverOptions, "include_migrations", BOOLEAN, "--include-migrations"),
        Option("max-file-bytes", DiscoverOptions, "max_file_bytes", whole(1)),
        Option("method", ClusterOptions, "method", choice([*METHODS, PACKAGES]), "--method"),
        Option("services", ClusterOptions, "services", whole(1), "--services"),
        Option("seed", ClusterOptions, "seed", whole(0), "--seed"),
        Option("resolution", ClusterOptions, "resolution", NUMBER),
        Option("kernel-share", ClusterOptions, "kernel_share", NUMBER),
        Option(
            "signal-weights", ClusterOptions, "signal_weights", weights("signal", [s.kind for s in SIGNALS]), "--signal"
        ),
        Option("edge-weights", ClusterOptions, "edge_weights", weights("edge kind", _EDGE_KINDS)),
        Option("pin", ClusterOptions, "pins", PINS),
        Option("apart", ClusterOptions, "apart", PAIRS),
        Option("history.enabled", HistorySettings, "enabled", BOOLEAN, "--no-history"),
        Option("history.repo", HistorySettings, "repo", text("a path", empty=False), "--repo"),
        Option(
            "history.path-in-repo",
            HistorySettings,
            "path_in_repo",
            text("a folder of the repository"),
            "--path-in-repo",
        ),
        Option("history.authors", HistorySettings, "authors", choice(AUTHOR_MODES), "--authors"),
        _history_option("max_commits", "integer", "--max-commits"),
        _history_option("since", "string", "--since"),
        _history_option("bot_pattern", "string"),
        _history_option("group_by_day", "boolean"),
        _history_option("min_revisions", "integer"),
        _history_option("min_shared", "integer"),
        _history_option("max_changeset", "integer"),
        _history_option("months_of_authors", "integer"),
        Option("fail-on", GateOptions, "fail_on", RULES, "--fail-on"),
        Option("regression-tolerance", GateOptions, "regression_tolerance", NUMBER),
        Option("jobs", AnalysisConfig, "jobs", whole(0, "a whole number, 0 for every core"), in_file=False),
        Option("cache-dir", AnalysisConfig, "cache_dir", PATH, in_file=False),
    )
}
