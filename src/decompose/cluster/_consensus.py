"""Consensus: the communities of many runs, agreed.

One run of a community method depends on its seed: about one module in six changed service
between two seeds. The method runs ``RUNS`` times, with seeds drawn from the given one and
at the chosen resolution and its neighbours (γ/1.25, γ, 1.25·γ). How often two nodes share
a community over the runs is their co-assignment (Lancichinetti and Fortunato's consensus
matrix). The communities are agreed in two steps:

1. nodes joined by an edge of the graph that are together in at least ``_SURE`` of the runs
   form the cores;
2. cores joined by an edge merge by average linkage, most co-assigned first: a pair of
   groups whose modules are together in at least ``_SURE`` of the runs, on average over
   all their pairs, merges; one together in at most ``1 - _SURE`` stays apart; in between,
   where the runs are split and a finite sample of seeds would decide by chance, the pair
   merges only where that raises the graph's modularity at the chosen resolution. So the
   proposals of two seeds differ only where the runs of one of them are lopsided.

A node that no run majority holds to any neighbour is a community of its own, for the later
steps to place. A module's confidence is the share of runs in which it lands with its
community's core: the run's community holding most of the consensus community's members.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass

from decompose.cluster._communities import CommunityGraph, Labels, Method, derived_seeds, merge_gain

__all__ = ["Consensus", "consensus", "RUNS"]

RUNS = 30
_SPREAD = (1 / 1.25, 1.0, 1.25)
_SURE = 0.9  # co-assignment that decides on its own; between 1 - _SURE and _SURE the graph does


@dataclass(frozen=True)
class Consensus:
    communities: tuple[frozenset[str], ...]  # nodes of the graph, package nodes included
    confidence: dict[str, float]  # node -> share of runs with its community's core
    runs: int


def consensus(graph: CommunityGraph, method: Method, resolution: float, seed: int) -> Consensus:
    seeds = derived_seeds(seed, RUNS, "consensus")
    runs: list[Labels] = [
        method.run(graph, resolution * _SPREAD[i % len(_SPREAD)], s) for i, s in enumerate(seeds)
    ]
    groups = _agree(graph, runs, resolution)
    communities = tuple(frozenset(graph.nodes[n] for n in group) for group in groups)
    confidence: dict[str, float] = {}
    for group in groups:
        held = Counter()
        for labels in runs:
            core, _ = Counter(labels[n] for n in group).most_common(1)[0]
            for node in group:
                if labels[node] == core:
                    held[node] += 1
        for node in group:
            confidence[graph.nodes[node]] = round(held[node] / len(runs), 3)
    return Consensus(communities, confidence, len(runs))


def _agree(graph: CommunityGraph, runs: list[Labels], resolution: float) -> list[list[int]]:
    """The consensus groups of node indices, each sorted, ordered by their first node."""
    count = len(graph.nodes)
    parent = list(range(count))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b, _ in graph.edges:
        if sum(1 for labels in runs if labels[a] == labels[b]) >= _SURE * len(runs):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    cores: dict[int, list[int]] = {}
    for node in range(count):
        cores.setdefault(find(node), []).append(node)
    return _link(graph, runs, resolution, [cores[key] for key in sorted(cores)])


def _link(
    graph: CommunityGraph, runs: list[Labels], resolution: float, cores: list[list[int]]
) -> list[list[int]]:
    """Average linkage of the cores along the graph's edges (see the module's docstring)."""
    group_of = [0] * len(graph.nodes)
    for index, core in enumerate(cores):
        for node in core:
            group_of[node] = index
    members = {index: list(core) for index, core in enumerate(cores)}
    # Per group and run, how many of its nodes each community holds: co-assignment of two
    # groups is the dot product of their profiles over the pairs they make.
    profiles = {index: [Counter(labels[n] for n in core) for labels in runs] for index, core in members.items()}
    volume = {index: sum(graph.degree[n] for n in core) for index, core in members.items()}
    between: dict[int, Counter] = {index: Counter() for index in members}
    for a, b, weight in graph.edges:
        i, j = group_of[a], group_of[b]
        if i != j:
            between[i][j] += weight
            between[j][i] += weight

    def together(i: int, j: int) -> float:
        small, large = (i, j) if len(profiles[i][0]) <= len(profiles[j][0]) else (j, i)
        shared = sum(
            n * there.get(label, 0)
            for here, there in zip(profiles[small], profiles[large], strict=True)
            for label, n in here.items()
        )
        return shared / (len(members[i]) * len(members[j]) * len(runs))

    def gains(i: int, j: int) -> bool:
        return graph.total > 0 and merge_gain(between[i][j], volume[i], volume[j], graph.total, resolution) > 0

    heap = [(-together(i, j), i, j) for i in members for j in between[i] if i < j]
    heapq.heapify(heap)
    version = dict.fromkeys(members, 0)
    stamps = {(i, j): (0, 0) for _, i, j in heap}
    while heap:
        score, i, j = heapq.heappop(heap)
        if i not in members or j not in members or stamps.get((i, j)) != (version[i], version[j]):
            continue
        share = -score
        if share <= 1 - _SURE:
            break  # the heap is ordered: no pair left is together often enough
        if share < _SURE and not gains(i, j):
            continue
        # j joins i.
        members[i].extend(members.pop(j))
        profiles[i] = [a + b for a, b in zip(profiles[i], profiles.pop(j), strict=True)]
        volume[i] += volume.pop(j)
        for k, weight in between.pop(j).items():
            if k == i:
                continue
            between[k].pop(j, None)
            between[i][k] += weight
            between[k][i] += weight
        between[i].pop(j, None)
        version[i] += 1
        for k in between[i]:
            pair = (min(i, k), max(i, k))
            stamps[pair] = (version[pair[0]], version[pair[1]])
            heapq.heappush(heap, (-together(i, k), pair[0], pair[1]))
    return sorted((sorted(core) for core in members.values()), key=lambda core: core[0])
