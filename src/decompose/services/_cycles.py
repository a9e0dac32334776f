"""Cycles between services: which services cannot be released alone, the module
dependencies that close each cycle, and its cheapest cut."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from decompose.model import (
    CycleEdge,
    ServiceCycle,
)

__all__ = ["service_cycles", "short_cycles", "MAX_CYCLES"]

MAX_CYCLES = 50  # cycles listed; all are counted


def service_cycles(graph, assignment, limit: int | None = MAX_CYCLES) -> tuple[ServiceCycle, ...]:
    links: dict[tuple[str, str], list] = defaultdict(list)
    for edge in graph.edges:
        source, target = assignment[edge.source], assignment[edge.target]
        if source != target:
            links[(source, target)].append(edge)
    weights = {pair: sum(e.weight for e in edges) for pair, edges in links.items()}
    # The cap keeps the first cycles in the order they are listed, which is the data's:
    # which ones a search meets first follows the order of a set of strings, and so the
    # process's string hashes (two runs listed different cycles).
    found = short_cycles(links)
    cycles = []
    for ordered in found if limit is None else found[:limit]:
        pairs = list(zip(ordered, ordered[1:] + ordered[:1], strict=True))
        closing = [CycleEdge(e.source, e.target, e.weight) for pair in pairs for e in links[pair]]
        lightest = min(pairs, key=lambda p: (weights[p], p))
        cut = [CycleEdge(e.source, e.target, e.weight) for e in links[lightest]]
        cycles.append(
            ServiceCycle(ordered, tuple(_merge_cycle_edges(closing)), tuple(_merge_cycle_edges(cut)))
        )
    return tuple(cycles)


def short_cycles(links: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """The cycles the services stage lists, among the directed ``links`` (source, target)
    between services: every pair that depends both ways, then every cycle of three services
    none of whose links is such a pair (longer cycles are made of these). Each starts at its
    least service; sorted by (length, services), so the order is the data's alone."""
    successors: dict[str, set[str]] = defaultdict(set)
    for source, target in links:
        if source != target:
            successors[source].add(target)
    mutual = {(a, b) for a in successors for b in successors[a] if a < b and a in successors.get(b, ())}

    def one_way(a: str, b: str) -> bool:
        return (min(a, b), max(a, b)) not in mutual

    threes = [
        (a, b, c)
        for a in successors
        for b in successors[a]
        if b > a and one_way(a, b)
        for c in successors.get(b, ())
        if c > a and c != b and a in successors.get(c, ()) and one_way(b, c) and one_way(c, a)
    ]
    return sorted(mutual) + sorted(threes)


def _merge_cycle_edges(edges: Sequence[CycleEdge]) -> list[CycleEdge]:
    weights: Counter = Counter()
    for edge in edges:
        weights[(edge.source, edge.target)] += edge.weight
    return [CycleEdge(s, t, w) for (s, t), w in sorted(weights.items())]
