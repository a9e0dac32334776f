"""Consensus: the communities of many runs, agreed.

One run of a community method depends on its seed: about one module in six changed service
between two seeds. The method runs ``RUNS`` times, with seeds drawn from the given one and
at the chosen resolution and its neighbours (γ/1.25, γ, 1.25·γ), and two nodes joined by an
edge of the graph stay together where more than half of the runs put them together
(Lancichinetti and Fortunato's consensus matrix, thresholded at ½, restricted to the
graph's edges, then its connected components). A node that no majority holds to any
neighbour is a community of its own, for the later steps to place.

A module's confidence is the share of runs in which it lands with its community's core: the
run's community holding most of the consensus community's members.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from decompose.cluster._communities import CommunityGraph, Labels, Method, derived_seeds

__all__ = ["Consensus", "consensus", "RUNS"]

RUNS = 30
_SPREAD = (1 / 1.25, 1.0, 1.25)
_MAJORITY = 0.5


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
    parent = list(range(len(graph.nodes)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b, _ in graph.edges:
        together = sum(1 for labels in runs if labels[a] == labels[b])
        if together > _MAJORITY * len(runs):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for node in range(len(graph.nodes)):
        groups.setdefault(find(node), []).append(node)
    communities = tuple(frozenset(graph.nodes[n] for n in group) for _, group in sorted(groups.items()))
    confidence: dict[str, float] = {}
    for group in groups.values():
        held = Counter()
        for labels in runs:
            core, _ = Counter(labels[n] for n in group).most_common(1)[0]
            for node in group:
                if labels[node] == core:
                    held[node] += 1
        for node in group:
            confidence[graph.nodes[node]] = round(held[node] / len(runs), 3)
    return Consensus(communities, confidence, len(runs))
