"""History stage: what git says about the analysed folder.

``read_history`` reads the commits (read-only, cached by HEAD); ``revisions``, ``cochange``,
``cross_group_commits`` and ``authors`` turn them into the evidence a decomposition is
checked against: modules that change together, changes that cross services, and who
knows which module. Same history, same options: same answer, in the same order.
"""

from __future__ import annotations

from decompose.history._cochange import (
    authors,
    changesets,
    cochange,
    cross_group_commits,
    crossing_commits,
    module_sets,
    revisions,
)
from decompose.history._model import (
    AUTHOR_MODES,
    AuthorShare,
    CoChange,
    Commit,
    CrossCommits,
    GroupCommits,
    History,
    HistoryOptions,
    HistorySettings,
)
from decompose.history._read import read_history
from decompose.history._summary import summarise

__all__ = [
    "AUTHOR_MODES",
    "summarise",
    "AuthorShare",
    "CoChange",
    "Commit",
    "CrossCommits",
    "GroupCommits",
    "History",
    "HistoryOptions",
    "HistorySettings",
    "authors",
    "changesets",
    "cochange",
    "cross_group_commits",
    "crossing_commits",
    "module_sets",
    "read_history",
    "revisions",
]
