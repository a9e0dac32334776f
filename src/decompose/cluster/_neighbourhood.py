"""The neighbourhood signal: modules that use, and are used by, the same modules.

Two views of one order domain seldom import each other, but both use the order model and
the order service, and the same URL module uses both. Each module is a vector over its code
neighbours (itself included, so that linked modules are close too), a neighbour weighing
``ln(N / its degree)``; two modules are tied by the cosine of their vectors, each keeping
its ``NEAREST`` most similar.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from decompose.cluster._signals import SignalInput, WeightedPair

__all__ = ["neighbourhood_pairs", "nearest_pairs", "feature_holders", "cosines", "NEAREST"]

NEAREST = 15
_LEAST = 0.05  # a cosine below this is noise
_HUB_SHARE = 0.1  # a neighbour of more than this share of the modules (and 20) tells nothing


def neighbourhood_pairs(given: SignalInput) -> Iterator[WeightedPair]:
    members = given.members
    neighbours: dict[str, set[str]] = {m: {m} for m in members}
    for module in members:
        for other in given.links.uses.get(module, ()):
            if other in members and other != module:
                neighbours[module].add(other)
                neighbours[other].add(module)
    count = len(members)
    degree = {m: len(n) for m, n in neighbours.items()}
    widest = max(20, _HUB_SHARE * count)
    vectors: dict[str, dict[str, float]] = {}
    for module in sorted(members):
        # Sorted: the sums below (norms, cosines) then add in one order, not the set's,
        # which follows the process's string hashes and moves the last bits of a weight.
        vector = {n: math.log(count / degree[n]) for n in sorted(neighbours[module]) if degree[n] <= widest}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        if norm:
            vectors[module] = {n: v / norm for n, v in vector.items()}
    yield from nearest_pairs(vectors, "neighbourhood")


def feature_holders(vectors: Mapping[str, Mapping[str, float]], among: Iterable[str]) -> dict[str, list[str]]:
    """Feature -> the modules of ``among`` (in their order) whose vectors hold it."""
    holders: dict[str, list[str]] = defaultdict(list)
    for module in among:
        for feature in vectors[module]:
            holders[feature].append(module)
    return holders


def cosines(
    module: str,
    features: Iterable[tuple[str, float]],
    vectors: Mapping[str, Mapping[str, float]],
    holders: Mapping[str, list[str]],
) -> dict[str, float]:
    """Other module -> the cosine of ``module``'s normalised ``features`` with its vector,
    for the modules sharing a feature (as ``holders`` lists them)."""
    scores: dict[str, float] = defaultdict(float)
    for feature, value in features:
        for other in holders.get(feature, ()):
            if other != module:
                scores[other] += value * vectors[other][feature]
    return scores


def nearest_pairs(vectors: dict[str, dict[str, float]], label: str) -> Iterator[WeightedPair]:
    """(a, b, cosine, label) for each module's ``NEAREST`` most similar (a pair kept when
    either side keeps it), from normalised sparse vectors."""
    holders = feature_holders(vectors, sorted(vectors))
    similar: dict[str, dict[str, float]] = defaultdict(dict)
    for module in sorted(vectors):
        scores = cosines(module, vectors[module].items(), vectors, holders)
        best = sorted(((s, o) for o, s in scores.items() if s >= _LEAST), key=lambda so: (-so[0], so[1]))
        for score, other in best[:NEAREST]:
            similar[module][other] = score
    kept: dict[tuple[str, str], float] = {}
    for module, others in similar.items():
        for other, score in others.items():
            pair = (module, other) if module < other else (other, module)
            kept[pair] = max(kept.get(pair, 0.0), score)
    for (a, b), score in sorted(kept.items()):
        yield a, b, score, label
