"""The code signal: the graph's edges between the modules being clustered.

An edge of n uses weighs ``w(kind) * (1 + ln n)``, times the rarity of its target: a module
used by u of the N modules weighs ``(ln(N / u) / ln N)²``. A helper every domain uses says
little about which domain a module belongs to; one used by a single other module says most.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from decompose.cluster._links import edge_weight
from decompose.cluster._signals import SignalInput, WeightedPair

__all__ = ["code_pairs", "rarity"]


def rarity(users: int, modules: int) -> float:
    """``(ln(N / u) / ln N)²``: 1 for a module one other uses, 0 for one every module uses."""
    if modules <= 2:
        return 1.0
    users = min(max(users, 1), modules)
    return (math.log(modules / users) / math.log(modules)) ** 2


def code_pairs(given: SignalInput) -> Iterator[WeightedPair]:
    members = given.members
    count = len(members)
    users = {m: len(given.links.users.get(m, frozenset()) & members) for m in members}
    weights = given.edge_weights
    for edge in given.graph.edges:
        source, target = edge.source, edge.target
        if source not in members or target not in members:
            continue
        weight = edge_weight(edge, weights) * rarity(users[target], count)
        if weight > 0:
            a, b = (source, target) if source < target else (target, source)
            yield a, b, weight, edge.kind.value
