"""The config of one analysis: the options of each stage, and how to run."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from decompose.cluster import ClusterOptions
from decompose.discover import DiscoverOptions
from decompose.gate import GateOptions
from decompose.history import HistorySettings

__all__ = ["AnalysisConfig"]


@dataclass(frozen=True)
class AnalysisConfig:
    """Everything that decides what an analysis reads and how: each stage's own options."""

    root: Path
    discover: DiscoverOptions = DiscoverOptions()
    cluster: ClusterOptions = ClusterOptions()
    history: HistorySettings = HistorySettings()
    gate: GateOptions = GateOptions()  # judges a comparison; never changes an analysis
    # How to run, not what to find: these never change the output.
    jobs: int = 1
    """Processes that parse; 0: every available core. The library parses in-process unless
    asked, because pool workers re-import the caller's main module (unguarded scripts would
    run again); the command line uses every core."""
    cache_dir: Path | None = None
    """Where per-file facts are kept between runs; unset: no cache."""

    def options(self) -> dict[str, object]:
        """The options that shape the output, for the report (JSON-ready): the discovery
        and cluster fields by their names, the history's as ``history`` (enabled) and
        ``history_<field>``."""
        named: dict[str, object] = {}
        for part in (self.discover, self.cluster):
            named.update((item.name, getattr(part, item.name)) for item in fields(part))
        for item in fields(self.history):
            name = "history" if item.name == "enabled" else f"history_{item.name}"
            named[name] = getattr(self.history, item.name)
        return {name: _plain(value) for name, value in named.items()}


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
