"""Read a folder's commit history from git: files renamed along the way are followed to
their newest names, bots and merges are left out, and the result is cached by HEAD."""

from __future__ import annotations

import re
from pathlib import Path

from decompose.history._cache import HistoryCache
from decompose.history._gitlog import Location, RawCommit, locate, read_log, resolve_head, shallow_boundary
from decompose.history._model import Commit, History, HistoryOptions

__all__ = ["read_history"]


def read_history(
    folder: Path,
    options: HistoryOptions,
    repo: Path | None = None,
    *,
    cache_dir: Path | None = None,
    path_in_repo: str | None = None,
) -> History | None:
    """The history of ``folder``: its non-merge commits from HEAD, newest first, at most
    ``options.max_commits``, each with the files it changed under ``folder`` (by their
    newest names: renames are followed) and how many files it changed in all. Only commits
    touching the folder are read, so a file moved in from elsewhere brings the commits that
    also touched the folder, not those before it that did not.

    ``repo`` is the repository when ``folder`` is not inside its work tree (a bare
    repository, or a revision exported elsewhere); ``path_in_repo`` then says where the
    folder is in it (by default the folder's place in the work tree, else the root).
    git is only read: nothing is checked out and refs, index and work tree are untouched.
    With ``cache_dir``, a history read before for the same HEAD, folder and reading
    options is returned without running ``git log``.

    Returns None when git is missing or there is no repository. Everything else that can
    go wrong (a shallow clone, missing objects, an empty repository, git failing) is said
    in ``History.notes``; nothing is raised but InputError for a ``path_in_repo`` with ``..``.
    """
    location = locate(folder, repo, path_in_repo)
    if location is None:
        return None
    notes = list(location.notes)
    head, detached = resolve_head(location)
    if not head:
        notes.append("the repository has no commit yet: there is no history to read")
        return History((), "", location.repository, tuple(notes), False, location.prefix)
    if detached:
        notes.append(f"HEAD is detached at {head[:12]}: the history read is that commit's")
    boundary = shallow_boundary(location)
    cache = HistoryCache(cache_dir, location, head, options, boundary) if cache_dir is not None else None
    if cache is not None:
        cached = cache.load()
        if cached is not None:
            return cached
    log = read_log(location, head, options.max_commits, options.since)
    notes.extend(log.notes)
    raw = log.commits
    truncated = len(raw) > options.max_commits
    if truncated:
        raw = raw[: options.max_commits]
        notes.append(
            f"only the newest {options.max_commits:,} commits were read (max_commits): older ones were not"
        )
    commits, cut = _commits(raw, location, re.compile(options.bot_pattern, re.IGNORECASE), boundary)
    if location.shallow:
        notes.append(
            "the repository is a shallow clone: history older than it holds is missing"
            + (f" ({cut} boundary commit(s), whose diffs would list every file, left out)" if cut else "")
        )
    if not commits and log.complete:
        where = f"{location.prefix}/" if location.prefix else "the repository"
        notes.append(f"no commit read (merges and bots' left out) changes a file under {where}")
    history = History(tuple(commits), head, location.repository, tuple(notes), truncated, location.prefix)
    if cache is not None and log.complete:
        problem = cache.store(history)
        if problem is not None:
            history = History(
                history.commits,
                head,
                history.repository,
                (*history.notes, problem),
                truncated,
                location.prefix,
            )
    return history


def _commits(
    raw: list[RawCommit], location: Location, bots: re.Pattern[str], boundary: frozenset[str]
) -> tuple[list[Commit], int]:
    """Commits from git's records, newest first. Walking from the newest, every older path
    of a renamed file is mapped to the file's newest path, so its history is one history.
    Renames by bots and boundary commits are followed too; those commits are not kept."""
    newest: dict[str, str] = {}  # an older path -> the newest path of that file
    prefix = location.prefix + "/" if location.prefix else ""
    cut = len(prefix)
    commits: list[Commit] = []
    left_out = 0
    for oid, name, email, moment, entries in raw:
        changed: dict[str, list[int]] = {}
        renamed: list[tuple[str, str]] = []
        for path_bytes, added, deleted, old_bytes in entries:
            path = path_bytes.decode("utf-8", "surrogateescape")
            current = newest.get(path, path)
            if old_bytes is not None:
                renamed.append((old_bytes.decode("utf-8", "surrogateescape"), current))
            if current.startswith(prefix):
                counts = changed.setdefault(current[cut:], [0, 0])
                counts[0] += added
                counts[1] += deleted
        for old, current in renamed:  # after the whole commit: its own paths are the newer names
            newest[old] = current
        commit_id = oid.decode("ascii", "replace")
        if commit_id in boundary:
            left_out += 1
            continue
        author = name.decode("utf-8", "replace")
        if bots.search(author) or bots.search(email.decode("utf-8", "replace")):
            continue
        if not changed:
            continue
        files = tuple(sorted(changed))
        commits.append(
            Commit(
                commit_id,
                author,
                moment,
                files,
                tuple((file, changed[file][0], changed[file][1]) for file in files),
                len(entries),
            )
        )
    return commits, left_out
