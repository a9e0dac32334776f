"""Carry a service assignment from one version of the code to another.

Modules are matched by name first; the modules left on each side are matched as renames or
moves when their definitions mostly agree; the modules still left on the after side join
the service they are most coupled to.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from decompose.model import DependencyGraph, ModuleInfo, ModuleName

__all__ = [
    "NamedModule",
    "ModuleMatch",
    "Placement",
    "match_modules",
    "place_modules",
    "RENAME_SIMILARITY",
    "RENAME_SIMILARITY_SAME_FILE_NAME",
]

# A rename or a move is accepted when at least half of the definitions of the two modules,
# taken together, are the same (Jaccard similarity of their (kind, qualified name) sets):
# git's own default for a rename is 50% similar content. A module moved to another package
# usually keeps its file name (shop/services/stock.py -> shop/inventory/stock.py): with the
# same file name, a third in common is enough.
RENAME_SIMILARITY = 0.5
RENAME_SIMILARITY_SAME_FILE_NAME = 0.3
# Definitions shared by more modules than this (a ``Meta`` class's fields, ``__str__``
# methods) are too common to propose a rename; they still count in the similarity.
_COMMON_DEFINITION = 50


class NamedModule(NamedTuple):
    """A module known by name only (a baseline's): matched by name, never as a rename."""

    name: ModuleName
    definitions: tuple = ()


class ModuleMatch(NamedTuple):
    """A module of the before side and what became of it on the after side."""

    before: ModuleName
    after: ModuleName
    similarity: float  # 1.0 for the same name; Jaccard of definitions for a rename


class Placement(NamedTuple):
    """A module new on the after side, and the service it was put in."""

    module: ModuleName
    service: str
    reason: str  # "coupling", "package", "pinned", or "none"
    weight: int  # its coupling (uses both ways) with that service; 0 unless "coupling"


def match_modules(
    before: Sequence[ModuleInfo | NamedModule], after: Sequence[ModuleInfo]
) -> tuple[ModuleMatch, ...]:
    """Every before module that is still on the after side, under its name or another.

    Renames are found among the modules each side has and the other has not, by the
    similarity of their definitions (see ``RENAME_SIMILARITY``), best pairs first; modules
    without definitions are matched by name only. Sorted by the after name.
    """
    after_names = {m.name for m in after}
    before_names = {m.name for m in before}
    matches = [ModuleMatch(m.name, m.name, 1.0) for m in before if m.name in after_names]
    gone = [m for m in before if m.name not in after_names and m.definitions]
    new = [m for m in after if m.name not in before_names and m.definitions]
    matches.extend(_renames(gone, new))
    return tuple(sorted(matches, key=lambda m: m.after))


def _renames(gone: Sequence[ModuleInfo], new: Sequence[ModuleInfo]) -> list[ModuleMatch]:
    prints = {m.name: _fingerprint(m) for m in [*gone, *new]}
    holders: dict[tuple[str, str], list[ModuleName]] = defaultdict(list)
    for module in new:
        for item in prints[module.name]:
            holders[item].append(module.name)
    candidates = []
    for module in gone:
        shared: Counter = Counter()
        for item in prints[module.name]:
            if len(holders.get(item, ())) <= _COMMON_DEFINITION:
                shared.update(holders.get(item, ()))
        for other in shared:
            old, now = prints[module.name], prints[other]
            common = len(old & now)
            similarity = common / (len(old) + len(now) - common)
            same_file = module.name.leaf == other.leaf
            if similarity >= RENAME_SIMILARITY or (
                same_file and similarity >= RENAME_SIMILARITY_SAME_FILE_NAME
            ):
                path = difflib.SequenceMatcher(None, module.name, other, autojunk=False).ratio()
                candidates.append((-similarity, -same_file, -path, module.name, other, similarity))
    taken_before: set[str] = set()
    taken_after: set[str] = set()
    found = []
    for *_, old_name, new_name, similarity in sorted(candidates):
        if old_name in taken_before or new_name in taken_after:
            continue
        taken_before.add(old_name)
        taken_after.add(new_name)
        found.append(ModuleMatch(old_name, new_name, round(similarity, 4)))
    return found


def _fingerprint(module: ModuleInfo) -> frozenset[tuple[str, str]]:
    return frozenset((d.kind.value, d.name) for d in module.definitions)


def place_modules(
    graph: DependencyGraph,
    known: Mapping[ModuleName, str],
    kernel: Iterable[str] = (),
    fallback: str = "(unassigned)",
) -> tuple[dict[ModuleName, str], tuple[Placement, ...]]:
    """A service for every module of ``graph``: ``known`` ones keep theirs; each other
    joins the service it uses and is used by most (edge weights both ways).

    The services in ``kernel`` (the shared kernel, which every module uses) are chosen only
    by a module coupled to nothing else. New modules coupled to each other are placed in
    rounds, each round from the modules placed before it. A module coupled to no placed
    module follows its package (the service most modules of its nearest package with
    placed modules are in), else goes to ``fallback``.
    """
    assignment: dict[ModuleName, str] = {m.name: known[m.name] for m in graph.modules if m.name in known}
    waiting = sorted(m.name for m in graph.modules if m.name not in assignment)
    neighbours: dict[ModuleName, Counter] = defaultdict(Counter)
    for edge in graph.edges:
        neighbours[edge.source][edge.target] += edge.weight
        neighbours[edge.target][edge.source] += edge.weight
    kernel = frozenset(kernel)
    placements: list[Placement] = []
    while waiting:
        chosen: dict[ModuleName, tuple[str, int]] = {}
        for module in waiting:
            weights: Counter = Counter()
            for other, weight in neighbours[module].items():
                if other in assignment:
                    weights[assignment[other]] += weight
            if not weights:
                continue
            outside = {s: w for s, w in weights.items() if s not in kernel} or weights
            chosen[module] = min(outside.items(), key=lambda kv: (-kv[1], kv[0]))
        if not chosen:
            break
        for module, (service, weight) in chosen.items():
            assignment[module] = service
            placements.append(Placement(module, service, "coupling", weight))
        waiting = [m for m in waiting if m not in chosen]
    for module in waiting:  # coupled to nothing placed: its package decides
        service = _package_majority(module, assignment)
        assignment[module] = service or fallback
        placements.append(Placement(module, service or fallback, "package" if service else "none", 0))
    return assignment, tuple(sorted(placements))


def _package_majority(module: str, assignment: Mapping[ModuleName, str]) -> str | None:
    for package in ModuleName(module).ancestors:
        counts = Counter(service for name, service in assignment.items() if ModuleName(name).is_within(package))
        if counts:
            return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return None
