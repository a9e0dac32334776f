"""The glossary of metrics: for each figure the metrics stage measures, its label, what it
means in one line, and which way is better; and the one verdict on a change of a figure.

Every renderer (the report, ``summary.md``, the terminal, ``compare``) and the compare stage
read labels, explanations and directions from here, so that a metric is worded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from decompose._strenum import StrEnum
from decompose.metrics._measure import NED_BOUNDS
from decompose.model import Better

__all__ = [
    "Better",
    "Verdict",
    "Metric",
    "OVERALL",
    "SERVICE",
    "MODULE",
    "verdict",
]


class Verdict(StrEnum):
    """What a change of a figure is, for the figure's better direction."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    CHANGED = "changed"  # a figure with no better direction, or measured on one side only


class Metric(NamedTuple):
    name: str  # the stable name: a field of the metrics' dataclass, a column of the CSV files
    label: str  # what a person reads
    explanation: str  # one line, without the direction (``sentence`` adds it)
    better: Better | None  # None: neither higher nor lower is better

    @property
    def sentence(self) -> str:
        """The explanation followed by "Higher is better." or "Lower is better." (if either)."""
        if self.better is None:
            return self.explanation
        return f"{self.explanation} {self.better.value.capitalize()} is better."

    @property
    def labelled(self) -> str:
        """The label with its direction: "Modularity Q (higher is better)"."""
        return self.label if self.better is None else f"{self.label} ({self.better} is better)"


def verdict(before: float | None, after: float | None, better: Better | None) -> Verdict:
    """The change from ``before`` to ``after`` (rounded to the 4 decimals figures have): the
    same, better or worse for ``better``, or just changed (no direction, or a side is None)."""
    if before is None or after is None:
        return Verdict.CHANGED
    delta = round(after - before, 4)
    if delta == 0:
        return Verdict.SAME
    if better is None:
        return Verdict.CHANGED
    return Verdict.BETTER if (delta > 0) == (better == Better.HIGHER) else Verdict.WORSE


def _table(*metrics: Metric) -> Mapping[str, Metric]:
    return MappingProxyType({m.name: m for m in metrics})


_LOW, _HIGH = NED_BOUNDS
_H, _L = Better.HIGHER, Better.LOWER

# ``OverallMetrics``, in its order.
OVERALL: Mapping[str, Metric] = _table(
    Metric(
        "services",
        "Services",
        "Today's packages taken as services, measured exactly like the proposal (whose count "
        "includes the shared kernel). More services is neither better nor worse, but MQ grows with it.",
        None,
    ),
    Metric("modules", "Modules", "Python modules analysed, each in one service.", None),
    Metric(
        "modularity",
        "Modularity Q",
        "How much more of the coupling stays inside services than a random cut into services of the "
        "same sizes would keep: 0 is no better than chance; 0.3 and above is a clear structure.",
        _H,
    ),
    Metric(
        "mq",
        "MQ (TurboMQ)",
        "For each service, the share of its coupling that stays inside, added up: it grows with the "
        "number of services, so it compares fairly only decompositions of similar size.",
        _H,
    ),
    Metric(
        "sm",
        "Structural modularity SM",
        "How densely each service's modules depend on each other, minus how densely services depend "
        "on each other; from -1 to 1.",
        _H,
    ),
    Metric(
        "icp",
        "Inter-call percentage ICP",
        "The share of calls that go from one service to another, each pair of modules counted on a "
        "log scale so that one busy pair does not dominate.",
        _L,
    ),
    Metric(
        "ifn",
        "Interface number IFN",
        "Classes and functions that each service would have to publish for the others, on average; "
        "more, smaller services each publish less.",
        _L,
    ),
    Metric(
        "ned",
        "Non-extreme distribution NED",
        f"The share of modules in services of {_LOW} to {_HIGH} modules: neither fragments nor monoliths.",
        _H,
    ),
    Metric(
        "cross_call_share",
        "Calls across services",
        "Of all the call sites from one module to another, the share that would become calls "
        "between services.",
        _L,
    ),
    Metric(
        "cross_edges",
        "Dependencies across services",
        "Pairs of modules in different services where one uses the other (in brackets, how often): "
        "each becomes an API call, an event or a shared library after the split.",
        _L,
    ),
    Metric(
        "cross_weight",
        "Uses across services",
        "Imports, calls and other uses from one service into another, counted each time.",
        _L,
    ),
    Metric(
        "cycles",
        "Cycles between services",
        "Pairs of services that use each other, and loops of three (in brackets, the services on a "
        "cycle): none of them can be released alone.",
        _L,
    ),
    Metric(
        "cyclic_services", "Services on a cycle", "Services on a cycle of dependencies between services.", _L
    ),
    Metric(
        "cross_service_commits",
        "Commits across services",
        "Of the commits in the git history (those changing at most 30 files), the share that changed "
        "two services or more: each would have been a coordinated release.",
        _L,
    ),
)

# ``ServiceMetrics``' figures, in its order.
SERVICE: Mapping[str, Metric] = _table(
    Metric("modules", "modules", "Modules in the service.", None),
    Metric("lines", "lines", "Lines of its modules.", None),
    Metric("cohesion", "cohesion", "The share of the uses touching the service that stay inside it.", _H),
    Metric("internal_weight", "uses inside", "Uses of its modules by its modules.", None),
    Metric("out_edges", "out edges", "Pairs of modules where one of its modules uses another service's.", _L),
    Metric("out_weight", "out weight", "Uses of other services by its modules.", _L),
    Metric("out_services", "services used", "Other services it uses.", _L),
    Metric("in_edges", "in edges", "Pairs of modules where another service's module uses one of its.", _L),
    Metric("in_weight", "in weight", "Uses of its modules by other services.", _L),
    Metric("in_services", "used by", "Other services that use it.", _L),
    Metric("api_size", "API size", "Its classes, functions and names other services use.", _L),
    Metric("entities", "entities", "Models and tables it owns.", None),
    Metric("entities_in_conflict", "contested entities", "Entities it owns that other services use too.", _L),
    Metric("commits", "commits", "Commits changing it, in the git history.", None),
    Metric("crossing_commits", "commits across", "Of those, the ones changing another service too.", _L),
)

# ``ModuleMetrics``' figures, in its order.
MODULE: Mapping[str, Metric] = _table(
    Metric("lines", "lines", "Lines of the module.", None),
    Metric("afferent", "Ca", "Afferent coupling: project modules that depend on it.", None),
    Metric("efferent", "Ce", "Efferent coupling: project modules it depends on.", _L),
    Metric("instability", "I", "Instability Ce / (Ca + Ce): 0 is depended on only, 1 depends only.", None),
    Metric("classes", "classes", "Top-level classes.", None),
    Metric("abstract_classes", "abstract classes", "Of those, the abstract ones.", None),
    Metric("abstractness", "A", "Abstractness: abstract classes over classes.", None),
    Metric("distance", "D", "Distance |A + I - 1| from the main sequence.", _L),
    Metric("functions", "functions", "Functions and methods.", None),
    Metric("complexity", "complexity", "Cyclomatic complexity (McCabe) over its functions and methods.", _L),
    Metric("max_complexity", "max complexity", "Of its most complex function or method.", _L),
)
