"""The History section's view: what git says about the proposal (changesets crossing
services, ownership, hotspots), as rows the template shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from decompose.api import Analysis
from decompose.model import AuthorElsewhere, Hotspot, ServiceHotspots, ServiceOwnership
from decompose.render.html._charts import Chart
from decompose.render.html._figures import Comparison, headline, percent
from decompose.render.html._matrix import Cell, service_matrix

__all__ = ["HistoryView", "history_view", "HISTORY_CSV"]

HISTORY_CSV = "history.csv"  # the History section's, written only when there is history


class ChangeRow(NamedTuple):
    """A proposed service's changesets, and those that changed another service too."""

    index: int  # its colour class, -1 for a service that is not the proposal's
    name: str
    commits: int
    crossing: int
    ratio: float | None  # crossing / commits; None without commits
    share: str  # the ratio, as shown


class OwnershipRow(NamedTuple):
    index: int
    ownership: ServiceOwnership
    concentration: str  # as shown; "" without commits


class ElsewhereRow(NamedTuple):
    index: int  # the module's service
    elsewhere_index: int  # the service its main author works in most
    module: AuthorElsewhere


class HotspotRow(NamedTuple):
    rank: int
    index: int
    hotspot: Hotspot


class LoadRow(NamedTuple):
    index: int
    load: ServiceHotspots
    share: str


@dataclass(frozen=True)
class HistoryView:
    """The History section: what git says about the proposal."""

    commits: int  # commits read
    truncated: bool
    max_commits: int
    head: str  # the commit read from, shortened
    changesets: int  # changesets measured (those over the size limit left out)
    max_changeset: int
    months: int  # the authors' window, 0: all history
    authors_recorded: bool  # False with --authors none
    deployability: tuple[Comparison, ...]  # today's packages against the proposal
    services: tuple[ChangeRow, ...]
    matrix: tuple[tuple[Cell, ...], ...]  # the proposal's services, changesets changing both
    ownership: tuple[OwnershipRow, ...]
    elsewhere: tuple[ElsewhereRow, ...]
    hotspots: tuple[HotspotRow, ...]
    chart: Chart | None
    loads: tuple[LoadRow, ...]
    csv: str


def history_view(analysis: Analysis, index_of: dict[str, int], chart: Chart | None) -> HistoryView | None:
    """The History section's rows, from the history, the metrics and the ownership and
    hotspots measured; None without history."""
    history, report = analysis.history, analysis.history_report
    if history is None or report is None:
        return None
    options = analysis.config.history.history_options()
    proposed = analysis.metrics.proposed
    changes = []
    for s in proposed.services:
        commits, crossing = s.commits or 0, s.crossing_commits or 0
        ratio = crossing / commits if commits else None
        share = f"{ratio:.0%}" if ratio is not None else ""
        changes.append(ChangeRow(index_of.get(s.name, -1), s.name, commits, crossing, ratio, share))
    count = len(analysis.decomposition.services)
    together: dict[tuple[int, int], int] = {}
    for a, b, shared in proposed.shared_commits:
        if a in index_of and b in index_of:
            together[(index_of[a], index_of[b])] = together[(index_of[b], index_of[a])] = shared
    own = {row.index: row.commits for row in changes if row.index >= 0}
    total_load = sum(s.load for s in report.service_hotspots)
    return HistoryView(
        commits=history.commits,
        truncated=history.truncated,
        max_commits=options.max_commits,
        head=history.head[:12],
        changesets=len(history.changesets),
        max_changeset=options.max_changeset,
        months=options.months_of_authors,
        authors_recorded=analysis.config.history.authors != "none",
        deployability=tuple(row for row in headline(analysis) if row.name == "cross_service_commits"),
        services=tuple(changes),
        matrix=service_matrix(count, together, own),
        ownership=tuple(
            OwnershipRow(
                index_of.get(o.service, -1),
                o,
                f"{o.concentration:.0%}" if o.concentration is not None else "",
            )
            for o in report.ownership
        ),
        elsewhere=tuple(
            ElsewhereRow(index_of.get(e.service, -1), index_of.get(e.elsewhere, -1), e)
            for o in report.ownership
            for e in o.elsewhere
        ),
        hotspots=tuple(
            HotspotRow(rank, index_of.get(h.service, -1), h) for rank, h in enumerate(report.hotspots, 1)
        ),
        chart=chart,
        loads=tuple(
            LoadRow(index_of.get(s.service, -1), s, percent(s.share) if total_load else "")
            for s in report.service_hotspots
        ),
        csv=HISTORY_CSV,
    )
