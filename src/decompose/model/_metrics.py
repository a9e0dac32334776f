"""Figures of a decomposition: per module, per service and overall.

Definitions and sources are in the metrics stage (``decompose.metrics``); ratios are
rounded to 4 decimals there, so that the same code gives the same figures anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import ClassVar

from decompose._strenum import StrEnum
from decompose.model._files import ModuleName
from decompose.model._services import ServiceKind

__all__ = ["Better", "Measures", "MetricsReport", "ModuleMetrics", "OverallMetrics", "ServiceMetrics"]


class Better(StrEnum):
    """Which way a figure is better; a figure with neither has ``None`` instead."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class ModuleMetrics:
    """One module's coupling (Martin), abstraction and complexity (McCabe)."""

    module: ModuleName
    service: str  # the service it is in, in the decomposition measured
    lines: int
    afferent: int  # Ca: distinct project modules that depend on it (edges of every kind)
    efferent: int  # Ce: distinct project modules it depends on
    instability: float | None  # I = Ce / (Ca + Ce); None when it has no coupling at all
    classes: int  # top-level classes
    abstract_classes: int
    abstractness: float  # A = abstract classes / classes; 0 for a module without classes
    distance: float | None  # D = |A + I - 1| from the main sequence; None when I is
    functions: int  # functions and methods
    complexity: int  # cyclomatic complexity summed over its functions and methods
    max_complexity: int  # of its most complex function or method (0 without any)


@dataclass(frozen=True)
class ServiceMetrics:
    """One service's size, cohesion and coupling (module edges, weighted by occurrences)."""

    name: str
    kind: ServiceKind
    modules: int
    lines: int
    cohesion: float | None  # share of the weight of edges touching it that stays inside; higher is better
    internal_weight: int
    out_edges: int  # distinct (module, module) dependencies on other services
    out_weight: int
    out_services: int  # distinct services it depends on
    in_edges: int  # distinct (module, module) dependencies of other services on it
    in_weight: int
    in_services: int  # distinct services that depend on it
    api_size: int  # its classes, functions and names other services use
    entities: int  # entities it owns
    entities_in_conflict: int  # of those, the ones other services use too
    # With git history: changesets changing it, and of those the ones changing another service too.
    commits: int | None = None
    crossing_commits: int | None = None


@dataclass(frozen=True)
class OverallMetrics:
    """Figures of a whole decomposition; ``values()`` is the stable flat mapping a CI gate
    reads, and ``BETTER`` says for each whether higher or lower is better."""

    services: int
    modules: int
    modularity: float  # Newman's Q; higher is better
    mq: float  # Bunch TurboMQ, from 0 to the number of services; higher is better
    sm: float  # structural modularity (Jin et al.), from -1 to 1; higher is better
    icp: float  # inter-call percentage (Jin et al.), from 0 to 1; lower is better
    ifn: float  # interface number: API symbols per service; lower is better
    ned: float  # non-extreme distribution: share of modules in services of sane size; higher is better
    cross_call_share: float  # share of call occurrences that cross services; lower is better
    cross_edges: int  # distinct (module, module) dependencies across services; lower is better
    cross_weight: int  # occurrences of those; lower is better
    cycles: int  # mutual dependencies and three-service cycles; lower is better
    cyclic_services: int  # services on a dependency cycle; lower is better
    # With git history: the share of changesets changing two services or more (independent
    # deployability); lower is better. None without history, and then absent from ``values``.
    cross_service_commits: float | None = None

    BETTER: ClassVar[Mapping[str, Better | None]] = MappingProxyType(
        {
            "services": None,
            "modules": None,
            "modularity": Better.HIGHER,
            "mq": Better.HIGHER,
            "sm": Better.HIGHER,
            "icp": Better.LOWER,
            "ifn": Better.LOWER,
            "ned": Better.HIGHER,
            "cross_call_share": Better.LOWER,
            "cross_edges": Better.LOWER,
            "cross_weight": Better.LOWER,
            "cycles": Better.LOWER,
            "cyclic_services": Better.LOWER,
            "cross_service_commits": Better.LOWER,
        }
    )
    # Figures only git history gives: None without it, and then left out of ``values``.
    HISTORY_ONLY: ClassVar[frozenset[str]] = frozenset({"cross_service_commits"})

    def values(self) -> dict[str, float]:
        """Every figure by its stable name, in declaration order (those not measured left out)."""
        return {f.name: float(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Measures:
    """Metrics of one decomposition of one graph."""

    modules: tuple[ModuleMetrics, ...]  # sorted by module
    services: tuple[ServiceMetrics, ...]  # in the decomposition's order
    overall: OverallMetrics
    # With git history: (service, service, changesets changing both), most first.
    shared_commits: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class MetricsReport:
    """The proposal and the code's current package structure, measured the same way."""

    proposed: Measures
    current: Measures
