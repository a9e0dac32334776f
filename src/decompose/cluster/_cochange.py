"""The co-change signal: modules the git history shows changing together.

A pair's weight is code-maat's coupling degree (shared changesets over the pair's mean
revisions) times ``1 + ln(shared)``: a pair changed together in 40 of its 50 changes says
more than one changed together in 5 of 6.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from decompose.cluster._signals import SignalInput, WeightedPair

__all__ = ["cochange_pairs"]


def cochange_pairs(given: SignalInput) -> Iterator[WeightedPair]:
    if given.history is None:
        return
    for pair in given.history.cochange:
        if pair.a in given.members and pair.b in given.members:
            yield pair.a, pair.b, pair.degree / 100 * (1 + math.log(pair.shared)), "cochange"
