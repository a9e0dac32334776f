"""The proposal: services of modules, their APIs and dependencies, and what would have to move."""

from __future__ import annotations

from dataclasses import dataclass, field

from decompose._strenum import StrEnum
from decompose.model._files import ModuleName

__all__ = [
    "ApiSymbol",
    "ApiSymbolKind",
    "CallSite",
    "CycleEdge",
    "Decomposition",
    "OwnershipConflict",
    "Service",
    "ServiceCycle",
    "ServiceDependency",
    "ServiceKind",
    "ServiceModule",
    "SymbolMove",
    "Tie",
]


class ServiceKind(StrEnum):
    """What a service is. A ``StrEnum``, so that it writes (JSON, CSV, f-strings) as its value."""

    DOMAIN = "domain"  # a service the clustering proposes
    SHARED = "shared"  # the shared kernel most modules use
    PACKAGE = "package"  # one of today's top-level packages, taken as a service


class ApiSymbolKind(StrEnum):
    """What a symbol of a service's API is: a definition's kind, or a bare name (one the
    module binds without defining it, an import it re-exports, say)."""

    CLASS = "class"
    FUNCTION = "function"
    METHOD = "method"
    VARIABLE = "variable"
    NAME = "name"


@dataclass(frozen=True)
class Tie:
    """One reason a module sits where it does: another module and the signal joining them."""

    module: ModuleName
    kind: str  # a code edge kind ("call", "import", ...) or a similarity signal ("vocabulary", ...)
    weight: float  # the tie's weight in the fused similarity graph, rounded to 4 decimals


@dataclass(frozen=True)
class ServiceModule:
    name: ModuleName
    path: str
    confidence: float = 1.0  # share of consensus runs that put it with its service's core
    # Why here, and what else it could be: its strongest ties into its own service, and
    # into the service it is next most tied to (None when it is tied to no other).
    ties: tuple[Tie, ...] = ()
    runner_up: str | None = None
    runner_up_ties: tuple[Tie, ...] = ()
    own_weight: float = 0.0  # all its ties into its own service, summed
    runner_up_weight: float = 0.0  # all its ties into the runner-up, summed


@dataclass(frozen=True)
class CallSite:
    service: str
    module: ModuleName
    line: int


@dataclass(frozen=True)
class ApiSymbol:
    """A class or function of one service that other services use."""

    module: ModuleName
    symbol: str
    kind: ApiSymbolKind
    signature: str
    doc: str
    uses: int  # cross-service uses, all kinds
    callers: tuple[CallSite, ...]  # the first few (at most 20), by service, module and line
    caller_modules: int = 0  # modules of other services that use it, all of them
    caller_services: int = 0  # other services that use it


@dataclass(frozen=True)
class ServiceDependency:
    service: str
    weight: int  # cross-service uses, all kinds
    kinds: tuple[tuple[str, int], ...]  # (edge kind, uses), most first


@dataclass(frozen=True)
class Service:
    name: str
    kind: ServiceKind
    modules: tuple[ServiceModule, ...]
    lines: int = 0
    api: tuple[ApiSymbol, ...] = ()
    depends_on: tuple[ServiceDependency, ...] = ()
    entities: tuple[str, ...] = ()  # entities the service owns


@dataclass(frozen=True)
class SymbolMove:
    """Split a god module: move one of its symbols to the service that uses it."""

    module: ModuleName
    symbol: str
    from_service: str
    to_service: str
    uses_by_target: int
    uses_by_home: int


@dataclass(frozen=True)
class CycleEdge:
    source: ModuleName
    target: ModuleName
    weight: int


@dataclass(frozen=True)
class ServiceCycle:
    services: tuple[str, ...]  # one cycle, in order
    edges: tuple[CycleEdge, ...]  # the module edges that close it
    cheapest_cut: tuple[CycleEdge, ...]  # the lightest edges whose removal breaks it


@dataclass(frozen=True)
class OwnershipConflict:
    entity: str
    owner: str
    users: tuple[tuple[str, int], ...]  # (service, uses) of services other than the owner


@dataclass(frozen=True)
class Decomposition:
    services: tuple[Service, ...] = field(default_factory=tuple)
    method: str = "packages"
    symbol_moves: tuple[SymbolMove, ...] = ()
    cycles: tuple[ServiceCycle, ...] = ()
    ownership: tuple[tuple[str, str], ...] = ()  # (entity, owning service)
    conflicts: tuple[OwnershipConflict, ...] = ()
