"""The data signal: a module that reads or writes a model is tied to the module defining it,
even where the model is named in a string (``ForeignKey("orders.Order")``) that no import shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from decompose.cluster._signals import SignalInput, WeightedPair
from decompose.model import UseKind

__all__ = ["data_pairs"]


def data_pairs(given: SignalInput) -> Iterator[WeightedPair]:
    if given.data is None:
        return
    members = given.members
    home = {e.name: e.module for e in given.data.entities if e.module in members}
    ties: Counter = Counter()
    for use in given.data.uses:
        owner = home.get(use.entity)
        if use.kind is UseKind.DEFINE or owner is None or use.module not in members or use.module == owner:
            continue
        pair = (use.module, owner) if use.module < owner else (owner, use.module)
        ties[pair] += 1
    for (a, b), count in sorted(ties.items()):
        yield a, b, float(count), "data"
