"""Evidence: why each module is where it is, and what else it could be.

For every module, its strongest ties into its own cluster and into the cluster it is next
most tied to (the runner-up), by the fused similarity graph; modules the clustering set
aside (the kernel, entry points, modules without code edges) are judged by their code edges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from decompose.cluster._fusion import FusedGraph
from decompose.cluster._links import edge_weight
from decompose.model import DependencyGraph, ModuleName, Tie

__all__ = ["ModuleEvidence", "placement_evidence", "KERNEL", "SHOWN"]

KERNEL = -1  # the cluster index of the shared kernel
SHOWN = 3  # ties shown per side


@dataclass(frozen=True)
class ModuleEvidence:
    module: ModuleName
    ties: tuple[Tie, ...]
    runner_up: int | None  # a domain cluster's index, or None when tied to no other
    runner_up_ties: tuple[Tie, ...]
    own_weight: float
    runner_up_weight: float


def placement_evidence(
    graph: DependencyGraph,
    fused: FusedGraph,
    edge_weights: Mapping[str, float],
    clusters: Sequence[Sequence[ModuleName]],
    kernel: Sequence[ModuleName],
) -> tuple[ModuleEvidence, ...]:
    where = {m: i for i, c in enumerate(clusters) for m in c}
    where.update({m: KERNEL for m in kernel})
    ties: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    for (a, b), weight in fused.weights.items():
        if a in where and b in where:
            label = fused.strongest_label((a, b))
            ties[a][b] = ties[b][a] = (weight, label)
    code: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for edge in graph.edges:
        a, b = sorted((edge.source, edge.target))
        if a in where and b in where and b not in ties[a]:
            code[(a, b)][edge.kind.value] += edge_weight(edge, edge_weights)
    for (a, b), kinds in code.items():
        weight = sum(kinds.values())
        if weight > 0:
            label = min(kinds, key=lambda k: (-kinds[k], k))
            ties[a][b] = ties[b][a] = (weight, label)
    evidence = []
    for module in sorted(where):
        home = where[module]
        by_cluster: dict[int, list[tuple[float, str, str]]] = defaultdict(list)
        for other, (weight, label) in ties[module].items():
            by_cluster[where[other]].append((weight, other, label))
        sums = {c: sum(w for w, _, _ in items) for c, items in by_cluster.items()}
        rivals = [c for c in sums if c not in (home, KERNEL)]  # the kernel is no other home
        runner = min(rivals, key=lambda c: (-sums[c], c)) if rivals else None
        evidence.append(
            ModuleEvidence(
                module=module,
                ties=_strongest(by_cluster.get(home, [])),
                runner_up=runner,
                runner_up_ties=_strongest(by_cluster[runner]) if runner is not None else (),
                own_weight=round(sums.get(home, 0.0), 4),
                runner_up_weight=round(sums[runner], 4) if runner is not None else 0.0,
            )
        )
    return tuple(evidence)


def _strongest(items: list[tuple[float, str, str]]) -> tuple[Tie, ...]:
    ranked = sorted(items, key=lambda item: (-item[0], item[1]))[:SHOWN]
    return tuple(Tie(other, label, round(weight, 4)) for weight, other, label in ranked)
