"""What a history says about modules: how often each changed, which changed together
(code-maat's coupling), how many changes crossed services, and who changed what.

A changeset is a commit, or with ``group_by_day`` all of one author's commits on one UTC
day. Changesets touching more than ``max_changeset`` files are left out of revisions,
co-change and crossing counts: a reformatting or a mass rename says nothing about which
modules belong together. Files that ``module_of`` does not map are ignored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations

from decompose.history._model import (
    AuthorShare,
    CoChange,
    CrossCommits,
    GroupCommits,
    History,
    HistoryOptions,
)

__all__ = ["revisions", "cochange", "cross_group_commits", "crossing_commits", "authors", "changesets", "module_sets"]

_DAY = 86_400
MONTH = 2_629_746  # seconds in a mean Gregorian month (365.2425 days / 12)


def revisions(history: History, module_of: Mapping[str, str], options: HistoryOptions) -> dict[str, int]:
    """Changesets touching each module (the largest left out), by module name."""
    counts = Counter(module for modules in module_sets(history, module_of, options) for module in modules)
    return dict(sorted(counts.items()))


def cochange(history: History, module_of: Mapping[str, str], options: HistoryOptions) -> tuple[CoChange, ...]:
    """Pairs of modules changed in the same changesets, as code-maat's coupling: both have at
    least ``min_revisions`` revisions, at least ``min_shared`` changesets changed both, and the
    degree is shared / mean(revisions of a, revisions of b) * 100.

    Sorted by most shared first, then by (a, b)."""
    sets = module_sets(history, module_of, options)
    counts = Counter(module for modules in sets for module in modules)
    kept = sorted(module for module, n in counts.items() if n >= options.min_revisions)
    number = {module: index for index, module in enumerate(kept)}
    pairs: Counter[tuple[int, int]] = Counter()
    for modules in sets:
        ids = [number[m] for m in modules if m in number]  # ascending: ``modules`` is sorted
        if len(ids) > 1:
            pairs.update(combinations(ids, 2))
    found = []
    for (i, j), shared in pairs.items():
        if shared >= options.min_shared:
            a, b = kept[i], kept[j]
            found.append(CoChange(a, b, shared, 200.0 * shared / (counts[a] + counts[b])))
    found.sort(key=lambda pair: (-pair.shared, pair.a, pair.b))
    return tuple(found)


def cross_group_commits(
    history: History, module_of: Mapping[str, str], group_of: Mapping[str, str], options: HistoryOptions
) -> CrossCommits:
    """How many changesets touched modules of two groups (services) or more: the share of
    changes a team could not have shipped one service at a time.

    ``group_of`` maps a module to its group. Changesets touching no grouped module are not
    counted; changesets larger than ``max_changeset`` are left out, as in co-change."""
    return crossing_commits(module_sets(history, module_of, options), group_of)


def crossing_commits(module_sets: Iterable[Iterable[str]], group_of: Mapping[str, str]) -> CrossCommits:
    """``cross_group_commits`` over changesets given as the modules each changed (as
    ``ChangeHistory.changesets`` holds them); modules ``group_of`` does not map are ignored."""
    total = crossing = 0
    per_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    pairs: Counter[tuple[str, str]] = Counter()
    for modules in module_sets:
        groups = sorted({group_of[m] for m in modules if m in group_of})
        if not groups:
            continue
        total += 1
        crosses = len(groups) > 1
        crossing += crosses
        for group in groups:
            per_group[group][0] += 1
            per_group[group][1] += crosses
        if crosses:
            pairs.update(combinations(groups, 2))
    return CrossCommits(
        total,
        crossing,
        {group: GroupCommits(*per_group[group]) for group in sorted(per_group)},
        dict(sorted(pairs.items())),
    )


def authors(
    history: History, module_of: Mapping[str, str], options: HistoryOptions, now: int | None = None
) -> dict[str, tuple[AuthorShare, ...]]:
    """Per module, who changed it in the ``months_of_authors`` months up to ``now`` (by
    default the newest commit's time, so that the answer does not change with the day it is
    asked): commits and lines changed (added + deleted) per author, most commits first.

    Every commit counts, however large: authorship is not coupling."""
    if not history.commits:
        return {}
    end = now if now is not None else max(commit.timestamp for commit in history.commits)
    start = end - options.months_of_authors * MONTH if options.months_of_authors else None
    shares: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for commit in history.commits:
        if commit.timestamp > end or (start is not None and commit.timestamp < start):
            continue
        lines: dict[str, int] = {}
        for path, added, deleted in commit.changes:
            module = module_of.get(path)
            if module is not None:
                lines[module] = lines.get(module, 0) + added + deleted
        for module, changed in lines.items():
            share = shares[module][commit.author]
            share[0] += 1
            share[1] += changed
    return {
        module: tuple(
            sorted(
                (AuthorShare(author, n, changed) for author, (n, changed) in by_author.items()),
                key=lambda share: (-share.commits, -share.lines, share.author),
            )
        )
        for module, by_author in sorted(shares.items())
    }


def changesets(history: History, options: HistoryOptions) -> list[tuple[str, ...]]:
    """The files of each changeset not larger than ``max_changeset``, in a stable order.

    With ``group_by_day``, a day's changeset counts as many files as it changed under the
    folder plus, for each of its commits, the files that commit changed elsewhere."""
    if not options.group_by_day:
        return [commit.files for commit in history.commits if commit.touched <= options.max_changeset]
    days: dict[tuple[str, int], tuple[set[str], list[int]]] = {}
    for commit in history.commits:
        files, outside = days.setdefault((commit.author, commit.timestamp // _DAY), (set(), [0]))
        files.update(commit.files)
        outside[0] += commit.touched - len(commit.files)
    return [
        tuple(sorted(files))
        for _, (files, outside) in sorted(days.items())
        if len(files) + outside[0] <= options.max_changeset
    ]


def module_sets(
    history: History, module_of: Mapping[str, str], options: HistoryOptions
) -> list[tuple[str, ...]]:
    """The modules each changeset changed, sorted, for the changesets changing any module
    ``module_of`` maps (those over ``max_changeset`` left out): what co-change counts."""
    sets = []
    for files in changesets(history, options):
        modules = {module_of[f] for f in files if f in module_of}
        if modules:
            sets.append(tuple(sorted(modules)))
    return sets
