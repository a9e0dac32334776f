"""Who uses whom: the code graph's adjacency, indexed once per run and shared by the steps."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from decompose.model import DependencyGraph, ModuleEdge, ModuleName

__all__ = ["Links", "links_of", "code_graph", "edge_weight", "Pair"]

Pair = tuple[ModuleName, ModuleName]  # an unordered pair, the smaller name first


class Links(NamedTuple):
    """Who uses each module and what each uses (project modules, any code edge kind)."""

    users: Mapping[ModuleName, set[ModuleName]]
    uses: Mapping[ModuleName, set[ModuleName]]


def links_of(graph: DependencyGraph) -> Links:
    users: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        users[edge.target].add(edge.source)
        uses[edge.source].add(edge.target)
    return Links(users, uses)


def edge_weight(edge: ModuleEdge, weights: Mapping[str, float]) -> float:
    """An edge of n uses weighs ``w(kind) * (1 + ln n)``, so that a hundred calls count more
    than one, but not a hundred times more."""
    return weights.get(edge.kind.value, 0.0) * (1 + math.log(edge.weight))


def code_graph(graph: DependencyGraph, weights: Mapping[str, float]):
    """The undirected code graph (networkx), each edge weighed by ``edge_weight``. Used by the
    placement steps and by confidence, which judge code coupling only."""
    import networkx as nx

    result = nx.Graph()
    result.add_nodes_from(m.name for m in graph.modules)
    for edge in graph.edges:
        weight = edge_weight(edge, weights)
        if weight <= 0:
            continue
        if result.has_edge(edge.source, edge.target):
            result.edges[edge.source, edge.target]["weight"] += weight
        else:
            result.add_edge(edge.source, edge.target, weight=weight)
    return result
