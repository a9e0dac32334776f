"""How well a partition of a module graph separates it: one pure function per measure.

Each takes the graph as aggregated directed edges, ``(source, target) -> weight`` (one
entry per pair of distinct modules, the weight summing every kind of use), and a
labelling ``module -> service``. None of them looks at anything else, so the same
function scores the proposal, the package structure, or a clustering under test.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping

from decompose.cluster._communities import edge_modularity

__all__ = [
    "modularity",
    "turbo_mq",
    "structural_modularity",
    "inter_call_percentage",
    "non_extreme_distribution",
]

Pairs = Mapping[tuple[Hashable, Hashable], float]
Labels = Mapping[Hashable, Hashable]


def modularity(pairs: Pairs, labels: Labels) -> float:
    """Newman's modularity Q of the labelling, on the graph taken as undirected and weighted
    (M. E. J. Newman and M. Girvan, "Finding and evaluating community structure in
    networks", Phys. Rev. E 69, 026113, 2004; weighted form: Newman, Phys. Rev. E 70,
    056131, 2004): ``Q = sum over services c of (L_c / m - (d_c / 2m) ** 2)``, where ``m`` is
    the total weight, ``L_c`` the weight inside ``c`` and ``d_c`` the summed weighted degree
    of its modules. A dependency ``a -> b`` and one ``b -> a`` add up to one undirected tie.

    From -1/2 to 1; 0 is what a random cut with the same degrees would give. Higher is
    better. 0 for a graph without edges.
    """
    return edge_modularity(((a, b, weight) for (a, b), weight in pairs.items()), labels)


def turbo_mq(pairs: Pairs, labels: Labels) -> float:
    """Bunch's modularization quality, TurboMQ (B. S. Mitchell and S. Mancoridis, "On the
    automatic modularization of software systems using the Bunch tool", IEEE TSE 32(3),
    2006): the sum over services of the cluster factor
    ``CF_i = 2 mu_i / (2 mu_i + sum over j != i of (eps_ij + eps_ji))``, where ``mu_i`` is
    the weight of the edges inside service ``i`` and ``eps_ij`` the weight from ``i`` to
    ``j``; a service with nothing inside scores 0.

    From 0 to the number of services. Higher is better; it grows with the number of
    services, so compare decompositions of similar size or divide by ``services``.
    """
    inside: Counter = Counter()
    crossing: Counter = Counter()
    for (a, b), weight in pairs.items():
        la, lb = labels[a], labels[b]
        if la == lb:
            inside[la] += weight
        else:
            crossing[la] += weight
            crossing[lb] += weight
    return sum(2 * mu / (2 * mu + crossing[c]) for c, mu in inside.items() if mu)


def structural_modularity(
    pairs: Iterable[tuple[Hashable, Hashable]], labels: Labels, sizes: Mapping
) -> float:
    """Structural modularity SM (W. Jin, T. Liu, Y. Cai, R. Kazman, R. Mo and Q. Zheng,
    "Service Candidate Identification from Monolithic Systems Based on Execution Traces",
    IEEE TSE, 2021; online 2019): mean cohesion minus mean coupling,
    ``SM = 1/K sum_i mu_i / N_i**2  -  1/(K(K-1)/2) sum_{i<j} sigma_ij / (2 N_i N_j)``,
    with ``mu_i`` the edges inside service ``i``, ``sigma_ij`` the edges between ``i`` and
    ``j`` (both ways) and ``N_i`` its size, over the ``K`` services of ``sizes``. Edges are
    counted, not weighted (the densities are only bounded by 1 that way): ``pairs`` are
    the distinct directed module pairs. With one service, SM is its cohesion.

    From -1 to 1. Higher is better.
    """
    k = len(sizes)
    if k == 0:
        return 0.0
    inside: Counter = Counter()
    between: Counter = Counter()
    for a, b in pairs:
        la, lb = labels[a], labels[b]
        if la == lb:
            inside[la] += 1
        else:
            between[(la, lb)] += 1
    cohesion = sum(inside[c] / sizes[c] ** 2 for c in sizes) / k
    if k == 1:
        return cohesion
    coupling = sum(n / (2 * sizes[i] * sizes[j]) for (i, j), n in between.items()) / (k * (k - 1) / 2)
    return cohesion - coupling


def inter_call_percentage(calls: Pairs, labels: Labels) -> float:
    """Inter-call percentage ICP (Jin et al. 2021, as above): the share of calls that cross
    services, each pair of modules counted as ``log(1 + calls)`` so that one call in a hot
    loop does not outweigh many distinct ones:
    ``ICP = sum over crossing pairs of ln(1 + c_ab) / sum over all pairs of ln(1 + c_ab)``.
    Jin et al. count calls in execution traces; here a call is a static call site (a call
    or an instantiation of something the target module defines).

    From 0 to 1. Lower is better. 0 without calls.
    """
    total = crossing = 0.0
    for (a, b), count in calls.items():
        damped = math.log1p(count)
        total += damped
        if labels[a] != labels[b]:
            crossing += damped
    return crossing / total if total else 0.0


def non_extreme_distribution(sizes: Mapping, bounds: tuple[int, int]) -> float:
    """Non-extreme distribution NED (J. Wu, A. E. Hassan and R. C. Holt, "Comparison of
    clustering algorithms in the context of software evolution", ICSM 2005; as used by
    Jin et al. 2021): the share of modules that are in a service whose size lies within
    ``bounds`` (inclusive), neither a fragment nor a monolith. Some tools report
    ``1 - NED`` over services instead; this is the share of modules.

    From 0 to 1. Higher is better.
    """
    low, high = bounds
    total = sum(sizes.values())
    if not total:
        return 0.0
    return sum(size for size in sizes.values() if low <= size <= high) / total
