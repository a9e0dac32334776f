"""The similarity signals: one table, from which each signal's option and documentation come.

A signal reads the analysis and yields weighted pairs of the modules being clustered, under
its own kind. Only the ``code`` signal is code dependency; the others are evidence of
belonging together (a shared vocabulary, shared neighbours, a shared package), which shape
the clustering and the placement evidence but never reach metrics, cycles, API surfaces or
exports: those read ``graph.edges``.

Every signal but ``code`` is scaled so that its pairs weigh, in all, its weight times the
code signal's total: a weight of 0.5 means "half as much say as the code", whatever the size
of the project or the number of pairs the signal yields.

Adding a signal is one module yielding pairs, one entry in ``SIGNALS`` and, where its
default is not the right one, a weight under ``[tool.decompose] signal-weights``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from decompose.cluster._links import Links
from decompose.errors import ConfigError
from decompose.model import ChangeHistory, DataModel, DependencyGraph, ModuleName

__all__ = ["Signal", "SignalInput", "SIGNALS", "WeightedPair", "signal_weights", "PACKAGE_NODE"]

# (a, b, weight, label): a < b; the label is what evidence shows (an edge kind for code).
WeightedPair = tuple[str, str, float, str]
PACKAGE_NODE = "\0pkg:"  # prefix of package-tree nodes, never a module name
# Co-change's default weight: bench/history_quality.py measured 0.1 to 1 on netbox and saleor
# with their history and found no weight that helps without costing seed agreement.
COCHANGE_WEIGHT = 0.0


@dataclass(frozen=True)
class SignalInput:
    graph: DependencyGraph
    data: DataModel | None
    members: frozenset[ModuleName]  # the modules being clustered
    links: Links  # who uses whom, over every module
    edge_weights: Mapping[str, float]  # code edge kind -> weight
    history: ChangeHistory | None = None  # the git history, when the tree has one


@dataclass(frozen=True)
class Signal:
    kind: str
    default_weight: float
    summary: str  # one line: what it says and why, for --help and the README
    pairs: Callable[[SignalInput], Iterable[WeightedPair]]
    is_code: bool = False  # code dependency, the scale every other signal is measured in


def _code(given: SignalInput) -> Iterable[WeightedPair]:
    from decompose.cluster._code import code_pairs

    return code_pairs(given)


def _neighbourhood(given: SignalInput) -> Iterable[WeightedPair]:
    from decompose.cluster._neighbourhood import neighbourhood_pairs

    return neighbourhood_pairs(given)


def _vocabulary(given: SignalInput) -> Iterable[WeightedPair]:
    from decompose.cluster._vocabulary import vocabulary_pairs

    return vocabulary_pairs(given)


def _data(given: SignalInput) -> Iterable[WeightedPair]:
    from decompose.cluster._data import data_pairs

    return data_pairs(given)


def _cochange(given: SignalInput) -> Iterable[WeightedPair]:
    from decompose.cluster._cochange import cochange_pairs

    return cochange_pairs(given)


def _package(given: SignalInput) -> Iterable[WeightedPair]:
    from decompose.cluster._hierarchy import package_pairs

    return package_pairs(given)


SIGNALS: tuple[Signal, ...] = (
    Signal(
        "code",
        1.0,
        "imports, calls, inheritance and references between modules, each edge kind weighted "
        "(edge-weights), uses of a module many others use counting less",
        _code,
        is_code=True,
    ),
    Signal(
        "neighbourhood",
        0.3,
        "modules that use, and are used by, the same modules (cosine of their neighbourhoods, "
        "rare neighbours counting most; each module's nearest 15)",
        _neighbourhood,
    ),
    Signal(
        "vocabulary",
        0.3,
        "modules whose names, classes and functions share rare words (TF-IDF cosine; each "
        "module's nearest 15)",
        _vocabulary,
    ),
    Signal(
        "data",
        0.1,
        "modules that use the same data model (an ORM model, a table) as the module defining it",
        _data,
    ),
    Signal(
        "cochange",
        COCHANGE_WEIGHT,
        "modules changed in the same commits (git history; code-maat's coupling degree, pairs "
        "changed together at least 5 times); none without history",
        _cochange,
    ),
    Signal(
        "package",
        0.3,
        "a module's package, where the package's modules are coupled more than chance "
        "(a folder of one technical layer is not)",
        _package,
    ),
)
_BY_KIND = {signal.kind: signal for signal in SIGNALS}


def signal_weights(overrides: Iterable[tuple[str, float]] = ()) -> dict[str, float]:
    """Each signal's weight: its default, then ``overrides``. ConfigError naming an
    unknown signal."""
    weights = {signal.kind: signal.default_weight for signal in SIGNALS}
    for kind, weight in overrides:
        if kind not in _BY_KIND:
            known = ", ".join(signal.kind for signal in SIGNALS)
            raise ConfigError(f"signal-weights: unknown signal {kind!r} (known: {known})")
        weights[kind] = float(weight)
    return weights
