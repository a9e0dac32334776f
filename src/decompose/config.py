"""One place for every option: its default, its type, and how ``[tool.decompose]`` sets it.

Precedence: defaults, then ``[tool.decompose]`` in the analysed project's
``pyproject.toml``, then what the caller (the CLI) passes.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from decompose.errors import ConfigError
from decompose.gate import DEFAULT_TOLERANCE, Rule, parse_rule
from decompose.model import Diagnostic, EdgeKind

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["AnalysisConfig", "load_config", "OPTION_TABLE"]


@dataclass(frozen=True)
class AnalysisConfig:
    """Everything that decides what an analysis reads and how."""

    root: Path
    exclude: tuple[str, ...] = ()
    # Folders the code is imported from, relative to the root; empty: found (decompose.roots).
    roots: tuple[str, ...] = ()
    include_tests: bool = False
    include_migrations: bool = False
    max_file_bytes: int = 20_000_000
    # Decomposition: see decompose.cluster for what each means.
    method: str = "leiden"  # a clustering method (decompose.cluster.METHODS), or "packages"
    services: int | None = None  # None: chosen automatically
    seed: int = 0
    resolution: float | None = None
    kernel_share: float = 0.1
    signal_weights: tuple[tuple[str, float], ...] = ()  # (signal kind, weight) over the defaults
    edge_weights: tuple[tuple[str, float], ...] = ()  # (edge kind, weight) over the defaults
    pins: tuple[tuple[str, str], ...] = ()  # (module glob, service)
    apart: tuple[tuple[str, str], ...] = ()  # (module glob, module glob)
    # The CI gate (decompose.gate): rules as written, checked when read; they judge a
    # comparison and never change an analysis.
    fail_on: tuple[str, ...] = ()
    regression_tolerance: float = DEFAULT_TOLERANCE  # the "regressions" rule's, a share of the before value
    # Git history (decompose.history): read when the tree is in a git repository.
    history: bool = True
    history_repo: str | None = None  # the repository, when the tree is not inside its work tree
    # Where the tree is in that repository (POSIX, "" for its root); by default its place in
    # the work tree, or the root for a repository the tree is not in (a revision exported elsewhere).
    history_path_in_repo: str | None = None
    history_authors: str = "name"  # "name", "hash" or "none"
    history_options: tuple[tuple[str, object], ...] = ()  # HistoryOptions fields over its defaults
    # How to run, not what to find: these never change the output.
    # Processes that parse; 0: every available core. The library parses in-process unless
    # asked, because pool workers re-import the caller's main module (unguarded scripts
    # would run again); the CLI uses every core.
    jobs: int = 1
    cache_dir: Path | None = None  # where per-file facts are kept between runs; None: no cache

    def options(self) -> dict[str, object]:
        """The options that shape the output, for the report (JSON-ready)."""
        return {
            f.name: _plain(getattr(self, f.name))
            for f in fields(self)
            if f.name not in _RUN_ONLY and f.name not in _GATE_ONLY
        }

    def gate_rules(self) -> tuple[Rule, ...]:
        """The ``fail_on`` rules, parsed."""
        return tuple(parse_rule(text, self.regression_tolerance) for text in self.fail_on)


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


_RUN_ONLY = frozenset({"root", "jobs", "cache_dir"})
_GATE_ONLY = frozenset({"fail_on", "regression_tolerance"})


# key in [tool.decompose] -> (field name, expected type, description)
OPTION_TABLE: dict[str, tuple[str, type, str]] = {
    "exclude": ("exclude", list, "glob patterns of paths to leave out, relative to the root"),
    "roots": (
        "roots",
        list,
        "folders the code is imported from, relative to the analysed folder (default: found)",
    ),
    "include-tests": ("include_tests", bool, "analyse test files and folders too"),
    "include-migrations": ("include_migrations", bool, "analyse migration folders too"),
    "max-file-bytes": ("max_file_bytes", int, "files larger than this are skipped, with a warning"),
    "method": (
        "method",
        str,
        '"leiden" (default), "louvain", or "packages" (one service per top-level package)',
    ),
    "services": ("services", int, "how many services to propose (default: chosen automatically)"),
    "seed": ("seed", int, "random seed of the clustering (default 0)"),
    "resolution": ("resolution", float, "fixed clustering resolution (default: read off the graph)"),
    "kernel-share": ("kernel_share", float, "share of modules that must use a module for the kernel"),
    "signal-weights": (
        "signal_weights",
        dict,
        "similarity signal -> weight in the clustering, over the defaults (decompose.cluster.SIGNALS)",
    ),
    "edge-weights": ("edge_weights", dict, "edge kind -> weight in the clustering, over the defaults"),
    "pin": ("pins", dict, "service name -> module globs that must be in it"),
    "apart": ("apart", list, "pairs of module globs that must be in different services"),
    "history": (
        "history",
        dict,
        "[tool.decompose.history]: enabled, repo, path-in-repo, authors (name/hash/none), since, max-commits, "
        "bot-pattern, group-by-day, min-revisions, min-shared, max-changeset, months-of-authors",
    ),
    "fail-on": ("fail_on", list, 'gate rules for compare and analyze --baseline: "icp>+0.02", "cycles>0"'),
    "regression-tolerance": (
        "regression_tolerance",
        float,
        'how much worse a metric may get, as a share of its before value, under the "regressions" rule',
    ),
}


def load_config(
    root: Path, overrides: Mapping[str, Any] | None = None
) -> tuple[AnalysisConfig, tuple[Diagnostic, ...]]:
    """Build the config for ``root``; return it with diagnostics about the project's file.

    Raises ConfigError when ``[tool.decompose]`` or an override holds an unknown key or a
    value of the wrong type.
    """
    config = AnalysisConfig(root=root)
    diagnostics: list[Diagnostic] = []
    table = _read_tool_table(root / "pyproject.toml", diagnostics)
    config = _apply(config, table, source="[tool.decompose]")
    if overrides:
        extra_excludes = tuple(overrides.get("exclude", ()))
        rest = {k: v for k, v in overrides.items() if k not in _RUN_ONLY | {"exclude"} and v is not None}
        config = _apply(config, rest, source="option")
        if overrides.get("cache_dir") is not None:
            config = replace(config, cache_dir=Path(overrides["cache_dir"]))
        if overrides.get("jobs") is not None:
            if (
                isinstance(overrides["jobs"], bool)
                or not isinstance(overrides["jobs"], int)
                or overrides["jobs"] < 0
            ):
                raise ConfigError("option: 'jobs' must be a whole number, 0 for every core")
            config = replace(config, jobs=overrides["jobs"])
        if extra_excludes:
            config = replace(config, exclude=config.exclude + extra_excludes)
    return config, tuple(diagnostics)


def _read_tool_table(pyproject: Path, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    if not pyproject.is_file():
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        diagnostics.append(
            Diagnostic(
                path="pyproject.toml",
                code="config-unreadable",
                message=f"pyproject.toml could not be read, [tool.decompose] ignored: {error}",
            )
        )
        return {}
    table = data.get("tool", {}).get("decompose", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.decompose] in pyproject.toml must be a table")
    return table


def _apply(config: AnalysisConfig, table: Mapping[str, Any], source: str) -> AnalysisConfig:
    changes: dict[str, Any] = {}
    for key, value in table.items():
        normalised = key.replace("_", "-")
        if normalised not in OPTION_TABLE:
            known = ", ".join(sorted(OPTION_TABLE))
            raise ConfigError(f"{source}: unknown key {key!r} (known keys: {known})")
        field_name, expected, _ = OPTION_TABLE[normalised]
        if normalised == "history":
            changes.update(_history(config, value, source))
            continue
        value = _checked(normalised, key, value, expected, source)
        changes[field_name] = value
    return replace(config, **changes)


# [tool.decompose.history] key -> HistoryOptions field (checked by HistoryOptions itself)
_HISTORY_FIELDS = {
    "since": "since",
    "max-commits": "max_commits",
    "bot-pattern": "bot_pattern",
    "group-by-day": "group_by_day",
    "min-revisions": "min_revisions",
    "min-shared": "min_shared",
    "max-changeset": "max_changeset",
    "months-of-authors": "months_of_authors",
}


def _history(config: AnalysisConfig, table: Any, source: str) -> dict[str, Any]:
    """The history fields of the config from a ``history`` table, over the ones set before."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: 'history' must be a table ([tool.decompose.history])")
    changes: dict[str, Any] = {}
    options = dict(config.history_options)
    for key, value in table.items():
        name = key.replace("_", "-")
        if value is None:
            continue
        if name == "enabled":
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: 'history.enabled' must be true or false")
            changes["history"] = value
        elif name == "repo":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{source}: 'history.repo' must be a path")
            changes["history_repo"] = value
        elif name == "path-in-repo":
            if not isinstance(value, str):
                raise ConfigError(f"{source}: 'history.path-in-repo' must be a folder of the repository")
            changes["history_path_in_repo"] = value
        elif name == "authors":
            if value not in ("name", "hash", "none"):
                raise ConfigError(f"{source}: 'history.authors' must be \"name\", \"hash\" or \"none\"")
            changes["history_authors"] = value
        elif name in _HISTORY_FIELDS:
            options[_HISTORY_FIELDS[name]] = value
        else:
            known = ", ".join(["enabled", "repo", "path-in-repo", "authors", *_HISTORY_FIELDS])
            raise ConfigError(f"{source}: unknown key 'history.{key}' (known keys: {known})")
    changes["history_options"] = tuple(sorted(options.items()))
    return changes


def _checked(name: str, key: str, value: Any, expected: type, source: str) -> Any:
    """The value in the config's own shape; ConfigError naming the key if it does not fit."""
    if name == "pin":
        if not isinstance(value, dict) or not all(isinstance(globs, (list, str)) for globs in value.values()):
            raise ConfigError(f"{source}: {key!r} must be a table of service = [module globs]")
        pins = []
        for service, globs in value.items():
            for glob in [globs] if isinstance(globs, str) else globs:
                if not isinstance(glob, str):
                    raise ConfigError(f"{source}: {key!r}.{service} must list strings")
                pins.append((glob, str(service)))
        return tuple(pins)
    if name == "edge-weights":
        kinds = sorted(kind.value for kind in EdgeKind)
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: {key!r} must be a table of edge kind = weight")
        weights = []
        for kind, weight in sorted(value.items()):
            if kind not in kinds:
                raise ConfigError(f"{source}: {key!r}.{kind}: unknown edge kind (known: {', '.join(kinds)})")
            if not _non_negative(weight):
                raise ConfigError(f"{source}: {key!r}.{kind} must be a non-negative number")
            weights.append((kind, float(weight)))
        return tuple(weights)
    if name == "signal-weights":
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: {key!r} must be a table of signal = weight")
        weights = []
        for kind, weight in sorted(value.items()):
            if not _non_negative(weight):
                raise ConfigError(f"{source}: {key!r}.{kind} must be a non-negative number")
            weights.append((str(kind), float(weight)))
        return tuple(weights)
    if name == "apart":
        if not isinstance(value, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(g, str) for g in pair)
            for pair in value
        ):
            raise ConfigError(f"{source}: {key!r} must be a list of [glob, glob] pairs")
        return tuple((a, b) for a, b in value)
    if expected is list:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: {key!r} must be a list of strings")
        if name == "fail-on":
            for text in value:
                try:
                    parse_rule(text)
                except ConfigError as error:
                    raise ConfigError(f"{source}: {key!r}: {error}") from None
        return tuple(value)
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < (0 if name == "seed" else 1):
            raise ConfigError(f"{source}: {key!r} must be a positive integer")
        return value
    if expected is float:
        if not _non_negative(value):
            raise ConfigError(f"{source}: {key!r} must be a non-negative number")
        return float(value)
    if not isinstance(value, expected):
        raise ConfigError(f"{source}: {key!r} must be a {expected.__name__}")
    return value


def _non_negative(value: Any) -> bool:
    """A finite number of at least 0 (NaN would poison every weight it is summed into)."""
    return (
        not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    )
