"""Histories kept between runs, one file per HEAD, folder and reading options.

JSON, written atomically; a file that is unreadable, of another format or for another key
is ignored (and then rewritten), never trusted and never fatal."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from decompose._io import write_atomic
from decompose._version import __version__
from decompose.history._gitlog import LINE_COUNTED, Location
from decompose.history._model import Commit, History, HistoryOptions

__all__ = ["HistoryCache"]

_FORMAT = 1


class HistoryCache:
    def __init__(
        self,
        cache_dir: Path,
        location: Location,
        head: str,
        options: HistoryOptions,
        boundary: frozenset[str],
    ) -> None:
        self.key = _key(location, head, options, boundary)
        digest = hashlib.sha256(json.dumps(self.key, ensure_ascii=True).encode("ascii")).hexdigest()
        self.path = Path(cache_dir) / f"history-{digest[:32]}.json"

    def load(self) -> History | None:
        try:
            stored = json.loads(self.path.read_text(encoding="ascii"))
            if stored["key"] != self.key:
                return None
            return _history(stored["history"])
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def store(self, history: History) -> str | None:
        """Write ``history``; a note on why it could not be, else None."""
        data = json.dumps(
            {"key": self.key, "history": _plain(history)}, ensure_ascii=True, separators=(",", ":")
        )
        try:
            write_atomic(self.path, data.encode("ascii"), durable=False)
        except OSError as error:
            return f"the history could not be cached in {self.path.parent} ({error.strerror or error})"
        return None


def _key(location: Location, head: str, options: HistoryOptions, boundary: frozenset[str]) -> list:
    mailmap = b""
    if location.work_tree is not None:
        try:
            mailmap = (Path(location.work_tree) / ".mailmap").read_bytes()
        except OSError:
            pass
    return [
        _FORMAT,
        __version__,
        location.git_dir,
        location.work_tree,
        location.prefix,
        head,
        options.max_commits,
        options.since,
        # "--since=2 years ago" reads a different history tomorrow
        time.strftime("%Y-%m-%d", time.gmtime()) if options.since is not None else None,
        options.bot_pattern,
        sorted(boundary),
        hashlib.sha256(mailmap).hexdigest(),
        list(LINE_COUNTED),
    ]


def _plain(history: History) -> dict:
    return {
        "commits": [
            [c.id, c.author, c.timestamp, [list(change) for change in c.changes], c.touched]
            for c in history.commits
        ],
        "head": history.head,
        "repository": history.repository,
        "notes": list(history.notes),
        "truncated": history.truncated,
        "path_in_repo": history.path_in_repo,
    }


def _history(plain: dict) -> History:
    commits = []
    for oid, author, moment, changes, touched in plain["commits"]:
        change_tuples = tuple((str(path), int(added), int(deleted)) for path, added, deleted in changes)
        commits.append(
            Commit(
                str(oid),
                str(author),
                int(moment),
                tuple(c[0] for c in change_tuples),
                change_tuples,
                int(touched),
            )
        )
    return History(
        tuple(commits),
        str(plain["head"]),
        str(plain["repository"]),
        tuple(str(note) for note in plain["notes"]),
        bool(plain["truncated"]),
        str(plain["path_in_repo"]),
    )
