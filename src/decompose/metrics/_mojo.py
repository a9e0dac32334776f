"""MoJo distance and MoJoFM: how far a proposed decomposition is from a reference one.

MoJo (Tzerpos and Holt, 1999) counts the Move and Join operations that turn partition A
into partition B. The exact value comes from Wen and Tzerpos, "An optimal algorithm for
MoJo distance" (IWPC 2003): each cluster of A is tagged with the clusters of B it shares
most objects with; moves are the objects outside that best overlap; joins are the clusters
of A beyond one per group, where the number of groups is a maximum bipartite matching
between A's clusters and their candidate tags. MoJoFM (Wen and Tzerpos, 2004) scales it:
``(1 - mno(A, B) / max over all A' of mno(A', B)) * 100``, 100 meaning identical.

Objects that only one partition holds are left out, as the reference tool does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping

__all__ = ["mojo_distance", "mojofm"]

Partition = Mapping[Hashable, Hashable]  # object -> cluster label


def mojo_distance(proposed: Partition, reference: Partition) -> int:
    """mno(A, B): the fewest moves and joins that turn ``proposed`` into ``reference``."""
    import networkx as nx

    shared = proposed.keys() & reference.keys()
    overlaps: dict[Hashable, Counter] = {}
    for item in shared:
        overlaps.setdefault(proposed[item], Counter())[reference[item]] += 1
    moves = 0
    candidates = nx.Graph()
    for cluster, counts in overlaps.items():
        best = max(counts.values())
        moves += sum(counts.values()) - best
        source = ("A", cluster)
        candidates.add_node(source, bipartite=0)
        for target, count in counts.items():
            if count == best:
                candidates.add_edge(source, ("B", target))
    groups = 0
    for component in nx.connected_components(candidates):
        left = {node for node in component if node[0] == "A"}
        matching = nx.bipartite.hopcroft_karp_matching(candidates.subgraph(component), top_nodes=left)
        groups += len(matching) // 2
    joins = len(overlaps) - groups
    return moves + joins


def mojofm(proposed: Partition, reference: Partition) -> float:
    """MoJoFM in percent, from 0 (as far as any partition can be) to 100 (identical)."""
    shared = proposed.keys() & reference.keys()
    if not shared:
        return 0.0
    worst = _max_distance(Counter(reference[item] for item in shared).values(), len(shared))
    if worst == 0:
        return 100.0
    return (1 - mojo_distance(proposed, reference) / worst) * 100


def _max_distance(reference_sizes, objects: int) -> int:
    """max over all A of mno(A, B) = n - g, where g grows by one for each cluster of B, in
    ascending size, that is larger than the groups counted so far."""
    groups = 0
    for size in sorted(reference_sizes):
        if groups < size:
            groups += 1
    return objects - groups
