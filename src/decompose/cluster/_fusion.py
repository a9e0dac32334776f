"""Fusion: every signal's pairs summed into one similarity graph, each signal scaled to its
share of the code signal's total (see ``_signals``), with what each pair is made of kept
for the placement evidence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from decompose.cluster._signals import SIGNALS, SignalInput

__all__ = ["FusedGraph", "fuse"]


@dataclass(frozen=True)
class FusedGraph:
    nodes: tuple[str, ...]  # sorted: the modules clustered, then package nodes
    weights: Mapping[tuple[str, str], float]  # (a, b), a < b -> fused weight
    parts: Mapping[tuple[str, str], Mapping[str, float]]  # (a, b) -> label -> its share of the weight

    def strongest_label(self, pair: tuple[str, str]) -> str:
        parts = self.parts[pair]
        return min(parts, key=lambda label: (-parts[label], label))


def fuse(given: SignalInput, weights: Mapping[str, float]) -> FusedGraph:
    raw = {}
    for signal in SIGNALS:
        if weights.get(signal.kind, 0.0) > 0:
            raw[signal.kind] = list(signal.pairs(given))
    code_total = sum(w for _, _, w, _ in raw.get("code", ()))
    total: dict[tuple[str, str], float] = defaultdict(float)
    parts: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    nodes = set(given.members)
    for signal in SIGNALS:
        pairs = raw.get(signal.kind)
        if not pairs:
            continue
        mass = sum(w for _, _, w, _ in pairs)
        if signal.is_code or mass <= 0:
            scale = weights[signal.kind]
        else:  # a share of the code's total; with no code at all, of one unit per module
            scale = weights[signal.kind] * (code_total or len(given.members)) / mass
        for a, b, weight, label in pairs:
            value = weight * scale
            total[(a, b)] += value
            parts[(a, b)][label] += value
            nodes.add(a)
            nodes.add(b)
    return FusedGraph(
        nodes=tuple(sorted(nodes)),
        weights=dict(total),
        parts={pair: dict(labels) for pair, labels in parts.items()},
    )
