"""Communities: the methods that find them, in one table, and the choice of resolution.

Both methods maximise modularity with a resolution γ (Reichardt and Bornholdt): a larger γ
finds more, smaller communities. Leiden (Traag, Waltman and van Eck 2019; igraph's C core)
is the default: its communities are always connected, and a run on two thousand modules
takes about 15 ms, fast enough for the dozens of runs that choosing γ and the consensus
take (leidenalg took 0.3 s, networkx Louvain longer). Louvain is networkx's.

The resolution is read off the graph, not off a wanted number of services: every γ of a grid
from 0.5 to 35 is tried, and the largest whose partition keeps ``_KEPT`` of the best
modularity found (each measured at γ = 1) is used. Modularity at γ = 1 cannot see
communities smaller than about √(2m) edges (Fortunato and Barthélemy's resolution limit),
which merges the small domains of a large monolith; the largest γ that costs little of it
finds them.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from decompose.cluster._fusion import FusedGraph
from decompose.errors import ConfigError

__all__ = [
    "Method",
    "METHODS",
    "PACKAGES",
    "CommunityGraph",
    "choose_resolution",
    "derived_seeds",
    "modularity",
    "edge_modularity",
    "newman_modularity",
]

RESOLUTION_GRID = (0.5, 0.7, 1.0, 1.4, 2.0, 2.8, 4.0, 5.6, 8.0, 11.0, 16.0, 23.0, 35.0)
_KEPT = 0.85
_GRID_SEEDS = 4  # runs per resolution of the grid, so that the choice does not follow one seed
_LEIDEN_ITERATIONS = (
    10  # more passes than the default two: runs agree more (-1, until stable, can loop forever)
)

Labels = tuple[int, ...]  # community of each node, by node index


@dataclass(frozen=True)
class Method:
    name: str
    summary: str
    run: Callable[[CommunityGraph, float, int], Labels]


class CommunityGraph:
    """A fused graph in the compact form the methods run on: nodes by index, edge lists."""

    def __init__(self, fused: FusedGraph):
        self.nodes = fused.nodes
        index = {n: i for i, n in enumerate(self.nodes)}
        self.edges = tuple(sorted((index[a], index[b], w) for (a, b), w in fused.weights.items() if w > 0))
        self.total = sum(w for _, _, w in self.edges)
        degree = [0.0] * len(self.nodes)
        for a, b, w in self.edges:
            degree[a] += w
            degree[b] += w
        self.degree = tuple(degree)
        self._igraph = None
        self._networkx = None

    def igraph(self):
        if self._igraph is None:
            import igraph

            self._igraph = igraph.Graph(
                n=len(self.nodes),
                edges=[(a, b) for a, b, _ in self.edges],
                edge_attrs={"weight": [w for _, _, w in self.edges]},
            )
        return self._igraph

    def networkx(self):
        if self._networkx is None:
            import networkx as nx

            graph = nx.Graph()
            graph.add_nodes_from(range(len(self.nodes)))
            graph.add_weighted_edges_from(self.edges)
            self._networkx = graph
        return self._networkx


def _leiden(graph: CommunityGraph, resolution: float, seed: int) -> Labels:
    import random

    import igraph

    # igraph draws from one process-wide generator: a seeded one for this run, then the
    # default (the random module) back, so that runs are reproducible and nothing leaks.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        partition = graph.igraph().community_leiden(
            objective_function="modularity",
            weights="weight",  # kept on the graph: a list per run costs a second on a large project
            resolution=resolution,
            n_iterations=_LEIDEN_ITERATIONS,
        )
    finally:
        igraph.set_random_number_generator(random)
    return tuple(partition.membership)


def _louvain(graph: CommunityGraph, resolution: float, seed: int) -> Labels:
    import networkx as nx

    labels = [0] * len(graph.nodes)
    communities = nx.community.louvain_communities(
        graph.networkx(), weight="weight", resolution=resolution, seed=seed
    )
    for number, community in enumerate(communities):
        for node in community:
            labels[node] = number
    return tuple(labels)


METHODS: dict[str, Method] = {
    "leiden": Method(
        "leiden", "Leiden (igraph): modularity with resolution, communities always connected", _leiden
    ),
    "louvain": Method("louvain", "Louvain (networkx): modularity with resolution", _louvain),
}

# The method that clusters nothing: one service per top-level package (decompose.services).
PACKAGES = "packages"


def method_named(name: str) -> Method:
    if name not in METHODS:
        raise ConfigError(
            f"method: unknown clustering method {name!r} (known: {', '.join(METHODS)}, {PACKAGES})"
        )
    return METHODS[name]


def modularity(graph: CommunityGraph, labels: Sequence[int], resolution: float = 1.0) -> float:
    """Newman's modularity (with resolution) of a labelling of ``graph``, whose node degrees
    are summed already."""
    if graph.total <= 0:
        return 0.0
    inside: dict[int, float] = defaultdict(float)
    volume: dict[int, float] = defaultdict(float)
    for a, b, w in graph.edges:
        if labels[a] == labels[b]:
            inside[labels[a]] += w
    for node, d in enumerate(graph.degree):
        volume[labels[node]] += d
    return newman_modularity(inside, volume, graph.total, resolution)


def edge_modularity(
    edges: Iterable[tuple[Hashable, Hashable, float]],
    labels: Mapping[Hashable, Hashable],
    resolution: float = 1.0,
) -> float:
    """Newman's modularity of a labelling of an undirected weighted graph given as
    ``(a, b, weight)`` edges, in one pass (networkx's walks subgraph views, and took seconds
    on a large tree). 0 for a graph without weight."""
    total = 0.0
    inside: Counter = Counter()
    degree: Counter = Counter()
    for a, b, w in edges:
        total += w
        la, lb = labels[a], labels[b]
        degree[la] += w
        degree[lb] += w
        if la == lb:
            inside[la] += w
    if total == 0:
        return 0.0
    return newman_modularity(inside, degree, total, resolution)


def newman_modularity(
    inside: Mapping[Hashable, float], volume: Mapping[Hashable, float], total: float, resolution: float = 1.0
) -> float:
    """``Q = sum over communities c of (L_c / m - γ (d_c / 2m) ** 2)`` from the weight ``L_c``
    inside each community, its summed degree ``d_c`` (``volume``, whose order is the sum's)
    and the total weight ``m`` (M. E. J. Newman, Phys. Rev. E 70, 056131, 2004). The one
    formula every modularity of decompose (clustering, folder cut, metrics) ends in."""
    two_m = 2 * total
    return sum(inside.get(c, 0) / total - resolution * (volume[c] / two_m) ** 2 for c in volume)


def merge_gain(between: float, volume_a: float, volume_b: float, total: float, resolution: float = 1.0) -> float:
    """How much joining two communities raises Newman's modularity: the weight ``between``
    them over ``m``, less ``γ · 2 d_a d_b / (2m)²`` (their summed degrees ``d``)."""
    return between / total - resolution * 2 * volume_a * volume_b / (2 * total) ** 2


def derived_seeds(seed: int, count: int, purpose: str) -> tuple[int, ...]:
    """``count`` seeds drawn from ``seed`` by hashing: the runs of ``--seed 0`` and of
    ``--seed 1`` share none (``seed, seed + 1, ...`` would share all but one)."""
    return tuple(
        int.from_bytes(hashlib.sha256(f"{purpose}:{seed}:{i}".encode()).digest()[:4], "big") % (2**31 - 1)
        for i in range(count)
    )


def choose_resolution(graph: CommunityGraph, method: Method, seed: int) -> float:
    """The largest γ of the grid whose partitions keep ``_KEPT`` of the best modularity (at γ = 1)."""
    seeds = derived_seeds(seed, _GRID_SEEDS, "grid")
    scores = {}
    for resolution in RESOLUTION_GRID:
        found = [modularity(graph, method.run(graph, resolution, s)) for s in seeds]
        scores[resolution] = sum(found) / len(found)
        # Past its peak, modularity at 1 only falls as the resolution grows: the grid stops
        # at the first resolution below the bar (the largest ones are the slowest to run).
        if scores[resolution] < _KEPT * max(scores.values()):
            break
    best = max(scores.values())
    if best <= 0:
        return 1.0
    return max(r for r, q in scores.items() if q >= _KEPT * best)
