"""The values the history stage hands on: options, commits, a history, and what is
computed from them (co-change pairs, commits crossing groups, authors)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import NamedTuple

from decompose.errors import ConfigError

__all__ = [
    "AUTHOR_MODES",
    "HistorySettings",
    "HistoryOptions",
    "Commit",
    "History",
    "CoChange",
    "GroupCommits",
    "CrossCommits",
    "AuthorShare",
]

BOT_PATTERN = r"(\[bot\]|^dependabot|^renovate|^github-actions|^pre-commit-ci)"
# How authors appear in the output: by name (through the mailmap), as a short hash of the
# name, or not at all. The first is the default.
AUTHOR_MODES = ("name", "hash", "none")


@dataclass(frozen=True)
class HistoryOptions:
    """How much history is read and which commits count. Defaults as code-maat's."""

    max_commits: int = 10_000
    """At most this many commits are read, newest first (merges are never read)."""
    since: str | None = None
    """Only commits after this date, as git's ``--since`` reads it ("2 years ago", "2024-01-01")."""
    bot_pattern: str = BOT_PATTERN
    """Commits whose author name or e-mail matches this (case-insensitive) are skipped."""
    group_by_day: bool = False
    """One author's commits on one (UTC) day count as one changeset."""
    min_revisions: int = 5
    """A module changed in fewer changesets than this is in no co-change pair."""
    min_shared: int = 5
    """A pair of modules is kept when at least this many changesets change both."""
    max_changeset: int = 30
    """Changesets touching more files than this (every file, not only Python) are left out."""
    months_of_authors: int = 12
    """Authors are counted over this many months before the newest commit (0: all history)."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "since":
                if value is not None and (not isinstance(value, str) or not value.strip() or "\n" in value):
                    raise ConfigError(f"history.since: {value!r} is not a date git can read")
            elif item.name == "bot_pattern":
                if not isinstance(value, str):
                    raise ConfigError(f"history.bot_pattern: {value!r} is not a regular expression")
                try:
                    re.compile(value)
                except re.error as error:
                    raise ConfigError(
                        f"history.bot_pattern: {value!r} is not a regular expression: {error}"
                    ) from None
            elif item.name == "group_by_day":
                if not isinstance(value, bool):
                    raise ConfigError(f"history.group_by_day: {value!r} is not true or false")
            elif (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value < (1 if item.name == "max_commits" else 0)
            ):
                least = 1 if item.name == "max_commits" else 0
                raise ConfigError(f"history.{item.name}: {value!r} is not a whole number of at least {least}")


@dataclass(frozen=True)
class HistorySettings:
    """Whether and where the history is read, how authors appear, and the HistoryOptions set."""

    enabled: bool = True
    """Read the git history."""
    repo: str | None = None
    """The repository, when the folder is not inside its work tree."""
    path_in_repo: str | None = None
    """Where the analysed folder sits in that repository; unset: its place in the work tree, or the repository's root."""
    authors: str = AUTHOR_MODES[0]
    """How authors appear: by name (mailmap), as a hash, or not at all."""
    options: tuple[tuple[str, object], ...] = ()
    """The HistoryOptions fields set, sorted, over its defaults."""

    def history_options(self) -> HistoryOptions:
        """The HistoryOptions these settings read with. Raises ConfigError for a value it refuses."""
        return HistoryOptions(**dict(self.options))


@dataclass(frozen=True)
class Commit:
    """One commit, as far as it changed the analysed folder."""

    id: str  # the full commit id
    author: str  # the author's name, through the repository's mailmap
    timestamp: int  # author time, seconds since the epoch
    files: tuple[str, ...]  # files changed under the analysed folder, relative to it, newest names, sorted
    changes: tuple[tuple[str, int, int], ...]  # (file, lines added, lines deleted), in the order of ``files``
    touched: int  # every file the commit changed, in the folder or not, Python or not


@dataclass(frozen=True)
class History:
    """The commits read, newest first, and what a reader should know about them."""

    commits: tuple[Commit, ...]
    head: str  # the commit the history was read from ("" in a repository without commits)
    repository: str  # the work tree, or the git directory of a bare repository
    notes: tuple[str, ...]  # what was left out or could not be read, in plain words
    truncated: bool  # more commits than ``max_commits`` exist: the oldest were not read
    path_in_repo: str = ""  # the analysed folder inside the repository, POSIX ("" for its root)


@dataclass(frozen=True)
class CoChange:
    """Two modules changed together: ``shared`` changesets changed both (``a < b``)."""

    a: str
    b: str
    shared: int
    degree: float  # shared / mean(revisions of a, revisions of b) * 100, as code-maat's coupling


class GroupCommits(NamedTuple):
    commits: int  # changesets touching the group
    crossing: int  # of which touched another group too


@dataclass(frozen=True)
class CrossCommits:
    """How many changesets touched more than one group (service)."""

    total: int  # changesets touching at least one grouped module
    crossing: int  # changesets touching two groups or more
    per_group: dict[str, GroupCommits]
    pairs: dict[tuple[str, str], int]  # (g1, g2) with g1 < g2 -> changesets touching both

    @property
    def share(self) -> float:
        """The share of changesets crossing groups, 0..1 (0 when there is none)."""
        return self.crossing / self.total if self.total else 0.0


class AuthorShare(NamedTuple):
    author: str
    commits: int  # commits changing the module
    lines: int  # lines added plus lines deleted in the module's files
