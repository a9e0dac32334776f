"""Shapes an architect would draw: no stray singletons, a domain's vertical slices in one
service, no blob where the code can be split.

- ``join_small``: a module that no majority of the consensus runs held to any neighbour is a
  cluster of one; it joins the cluster it is most tied to.
- ``join_slices``: a domain laid out in slices across layer packages (``app/orders/`` for
  models and logic, ``app/graphql/orders/`` for its API) is one service where the namesake
  folders are coupled more than chance (merging them raises modularity).
- ``split_blobs``: a cluster holding more than ``BLOB_SHARE`` of the lines is clustered again
  on its own; the split is kept when the proposal's modularity on the code graph does not
  fall (its parts hold together better than chance), else a note says it could not be split.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from decompose.cluster._communities import (
    CommunityGraph,
    Method,
    choose_resolution,
    derived_seeds,
    merge_gain,
)
from decompose.cluster._consensus import consensus
from decompose.cluster._folders import LAYER_FOLDERS, edge_modularity, folder_cut
from decompose.cluster._fusion import FusedGraph
from decompose.cluster._placement import coupling_between
from decompose.cluster._signals import PACKAGE_NODE
from decompose.cluster._vocabulary import words_of
from decompose.model import DependencyGraph, ModuleName

__all__ = ["join_small", "join_slices", "split_blobs", "split_to", "BLOB_SHARE"]

BLOB_SHARE = 0.25


def join_small(clusters: list[set[str]], fused: FusedGraph, keep: set[str]) -> list[set[str]]:
    """Clusters of one module join the cluster they are most tied to (in ``fused``)."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    ties: dict[str, Counter] = defaultdict(Counter)
    for (a, b), weight in fused.weights.items():
        if a in index and b in index:
            ties[a][index[b]] += weight
            ties[b][index[a]] += weight
    for number, cluster in enumerate(clusters):
        if len(cluster) != 1:
            continue
        (module,) = cluster
        if module in keep:
            continue
        options = {c: w for c, w in ties[module].items() if c != number and clusters[c]}
        if options:
            best = min(options, key=lambda c: (-options[c], c))
            clusters[best].add(module)
            cluster.clear()
            index[module] = best
    return [c for c in clusters if c]


def join_slices(clusters: list[set[str]], code, given_names: Mapping[str, str]) -> list[set[str]]:
    """Merge clusters whose home folders are namesakes (the same last name, singular or
    plural, not a layer word) and coupled more than chance: merging them raises modularity
    on the code graph."""
    total = sum(d["weight"] for _, _, d in code.edges(data=True))
    if total <= 0:
        return clusters
    changed = True
    while changed:
        changed = False
        homes = [_home_folder(c) for c in clusters]
        between = coupling_between(clusters, code)
        volume = [sum(code.degree(m, weight="weight") for m in sorted(c)) for c in clusters]
        best = None
        for (i, j), weight in between.items():
            a, b = homes[i], homes[j]
            if not a or not b or a == b:
                continue
            word = a.leaf
            if _namesake(word) != _namesake(b.leaf) or word in LAYER_FOLDERS:
                continue
            gain = merge_gain(weight, volume[i], volume[j], total)
            if gain > 0 and (best is None or (gain, -i, -j) > (best[0], -best[1], -best[2])):
                best = (gain, i, j)
        if best is not None:
            _, i, j = best
            clusters[i] |= clusters[j]
            del clusters[j]
            changed = True
    return clusters


def _namesake(folder: str) -> str:
    """A folder's name as namesakes compare: its words, singular (``offers`` is ``offer``)."""
    return "-".join(words_of(folder)) or folder


def _home_folder(cluster: set[str]) -> ModuleName:
    """The package holding most of the cluster's modules (its deepest on a tie), or none. A
    module counts for its own name too: a package's ``__init__`` is in the package."""
    counts: Counter = Counter()
    for module in cluster:
        name = ModuleName(module)
        counts[name] += 1
        counts.update(name.ancestors)
    if not counts:
        return ModuleName()
    most = max(counts.values())
    if most * 2 < len(cluster):
        return ModuleName()
    return max((p for p, n in counts.items() if n == most), key=lambda p: (p.depth, p))


def split_blobs(
    clusters: list[set[str]],
    graph: DependencyGraph,
    fused: FusedGraph,
    method: Method,
    seed: int,
    code,
    by_folders: bool = False,
) -> tuple[list[set[str]], list[str]]:
    """Split each cluster above ``BLOB_SHARE`` of the lines where that keeps the modularity;
    returns the clusters and a note for each blob that stays. Where the folders are the
    proposal (``by_folders``), a blob may only split along its own subfolders."""
    lines = {m.name: m.lines for m in graph.modules}
    total = sum(lines.values()) or 1
    edges = [(e.source, e.target, 1.0) for e in graph.edges]
    notes: dict[str, str] = {}  # by the blob's first module: one note per blob that stays
    for _ in range(3):
        blobs = [c for c in clusters if len(c) > 1 and sum(lines.get(m, 0) for m in c) > BLOB_SHARE * total]
        if not blobs:
            break
        split_any = False
        for blob in sorted(blobs, key=lambda c: min(c)):
            parts = _split_folder(blob, code) if by_folders else _split(blob, fused, method, seed)
            share = sum(lines.get(m, 0) for m in blob) / total
            held = f"the service of {min(blob)} and {len(blob) - 1} more modules holds {share:.0%} of the lines"
            if len(parts) < 2:
                why = "its subfolders offer" if by_folders else "the code offers"
                notes[min(blob)] = f"{held}; {why} no way to split it (it is one community)"
                continue
            others = [c for c in clusters if c is not blob]
            before = _modularity(edges, clusters)
            after = _modularity(edges, others + parts)
            if after >= before:
                clusters = others + parts
                split_any = True
                notes.pop(min(blob), None)
            else:
                notes[min(blob)] = (
                    f"{held}; splitting it would raise coupling (modularity {before:.3f} -> {after:.3f})"
                )
        if not split_any:
            break
    return clusters, [notes[key] for key in sorted(notes)]


def _split(blob: set[str], fused: FusedGraph, method: Method, seed: int) -> list[set[str]]:
    weights = {p: w for p, w in fused.weights.items() if p[0] in blob and p[1] in blob}
    sub = FusedGraph(tuple(sorted(blob)), weights, {})
    graph = CommunityGraph(sub)
    resolution = choose_resolution(graph, method, seed)
    agreed = consensus(graph, method, resolution, seed)
    parts = [set(c) for c in agreed.communities if any(not n.startswith(PACKAGE_NODE) for n in c)]
    return join_small(parts, sub, set())


def _split_folder(blob: set[str], code) -> list[set[str]]:
    edges = [
        (a, b, d["weight"]) for a, b, d in code.edges(sorted(blob), data=True) if a in blob and b in blob
    ]
    if not edges:
        return [blob]
    return [set(group) for _, group in sorted(folder_cut(set(blob), edges, len(blob)).items())]


def _modularity(edges, clusters: Sequence[set[str]]) -> float:
    labels = {m: i for i, c in enumerate(clusters) for m in c}
    kept = [(a, b, w) for a, b, w in edges if a in labels and b in labels]
    return edge_modularity(kept, labels) if kept else 0.0


def split_to(
    clusters: list[set[str]], fused: FusedGraph, method: Method, seed: int, wanted: int
) -> list[set[str]]:
    """With fewer clusters than the services asked for, the largest is divided (its own
    communities, at a rising resolution) until there are enough or none divides."""
    (first,) = derived_seeds(seed, 1, "split")
    while len(clusters) < wanted:
        largest = max(clusters, key=lambda c: (len(c), min(c)))
        if len(largest) < 2:
            break
        weights = {p: w for p, w in fused.weights.items() if p[0] in largest and p[1] in largest}
        graph = CommunityGraph(FusedGraph(tuple(sorted(largest)), weights, {}))
        parts: list[set[str]] = []
        resolution = 1.0
        for _ in range(12):
            labels = method.run(graph, resolution, first)
            groups: dict[int, set[str]] = defaultdict(set)
            for node, label in zip(graph.nodes, labels, strict=True):
                groups[label].add(node)
            if len(groups) >= 2:
                parts = sorted(groups.values(), key=lambda g: (-len(g), min(g)))
                break
            resolution *= 2
        if not parts:  # no edges left to divide by: its smallest module alone
            loose = min(largest)
            parts = [largest - {loose}, {loose}]
        clusters = [c for c in clusters if c is not largest]
        room = wanted - len(clusters)
        clusters += parts[: room - 1] + [set().union(*parts[room - 1 :])] if room < len(parts) else parts
    return clusters
