"""What the git history says: the modules changed together and by whom (``decompose.history``),
and, for a decomposition, who changes each service and where change meets complexity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from decompose.model._files import ModuleName

__all__ = [
    "AuthorElsewhere",
    "AuthorWork",
    "ChangeHistory",
    "CoChangePair",
    "HistoryReport",
    "Hotspot",
    "ModuleHistory",
    "ServiceAuthor",
    "ServiceHotspots",
    "ServiceOwnership",
]


class CoChangePair(NamedTuple):
    """Two modules changed in the same commits (code-maat's coupling), ``a < b``."""

    a: ModuleName
    b: ModuleName
    shared: int  # changesets changing both
    degree: float  # shared / mean revisions of the two, in percent


class AuthorWork(NamedTuple):
    author: str  # a name through the mailmap, a hash of it, never an e-mail address
    commits: int
    lines: int  # lines added plus deleted


class ModuleHistory(NamedTuple):
    module: ModuleName
    revisions: int  # changesets changing it (the largest left out)
    churn: int  # lines added plus deleted, every commit read
    authors: tuple[AuthorWork, ...]  # over the authors' window, most commits first


@dataclass(frozen=True)
class ChangeHistory:
    """What the git history says about the analysed modules (see ``decompose.history``)."""

    commits: int  # commits read
    head: str  # the commit read from
    truncated: bool  # older commits exist that were not read
    # The modules each changeset changed, changesets over the size limit left out: what
    # ``cross_service_commits`` is measured on, for any decomposition.
    changesets: tuple[tuple[ModuleName, ...], ...]
    cochange: tuple[CoChangePair, ...]  # pairs over the thresholds, most shared first
    modules: tuple[ModuleHistory, ...]  # sorted by module; modules never changed left out
    notes: tuple[str, ...] = ()



# --------------------------------------------------------------------------- ownership and hotspots
# What the git history says about each proposed service: who changes it (Conway's law: a
# service changed by the team of another is coupled to that team) and where change meets
# complexity (hotspots). Computed by ``decompose.metrics.measure_history``.


class ServiceAuthor(NamedTuple):
    """One author's work on one service, summed over its modules."""

    author: str  # as ``AuthorWork.author``: a name, a hash of it, never an e-mail address
    commits: int  # commits changing its modules, counted per module (a commit changing two counts twice)
    lines: int  # lines added plus deleted in its modules


class AuthorElsewhere(NamedTuple):
    """A module whose main author (most commits) changes another service more than this one."""

    module: ModuleName
    author: str
    service: str  # the module's service
    elsewhere: str  # the service the author changes most
    commits_here: int  # the author's commits in ``service`` (as ``ServiceAuthor.commits``)
    commits_elsewhere: int  # ... and in ``elsewhere``


@dataclass(frozen=True)
class ServiceOwnership:
    """Who changed a service over the authors' window (``HistoryOptions.months_of_authors``)."""

    service: str
    commits: int  # every author's commits, as ``ServiceAuthor.commits``
    lines: int
    authors: int  # distinct authors
    top_authors: tuple[ServiceAuthor, ...]  # the first ten, most commits first
    concentration: float | None  # share of ``commits`` by the top three authors; None without commits
    elsewhere: tuple[AuthorElsewhere, ...]  # its modules whose main author works mostly elsewhere, by module


class Hotspot(NamedTuple):
    """A module's change and complexity: code that is both complex and often changed."""

    module: ModuleName
    service: str
    revisions: int  # as ``ModuleHistory.revisions``
    churn: int  # lines added plus deleted, every commit read
    complexity: int  # McCabe's, summed over its functions and methods
    score: int  # churn × complexity
    main_author: str | None  # most commits over the authors' window; None: no author in it
    authors: int  # distinct authors over the window


class ServiceHotspots(NamedTuple):
    service: str
    load: int  # its modules' hotspot scores, summed
    share: float  # of every module's score, 0..1 (0 when no module scores)
    modules: int  # its modules scoring above 0
    hottest: ModuleName | None  # its highest-scoring module; None when none scores


@dataclass(frozen=True)
class HistoryReport:
    """Ownership and hotspots of a decomposition, from the history of its modules."""

    ownership: tuple[ServiceOwnership, ...]  # in the decomposition's order
    modules: tuple[Hotspot, ...]  # every analysed module, by name (a module never changed scores 0)
    hotspots: tuple[Hotspot, ...]  # the highest scores above 0 (at most 20), highest first
    service_hotspots: tuple[ServiceHotspots, ...]  # every service, highest load first
