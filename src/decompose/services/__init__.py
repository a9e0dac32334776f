"""Services stage: from clusters to services a team can read and act on.

For each service: a name from its content, its modules with their confidence, its size,
its API surface (what other services use of it), and what it depends on. For the whole
proposal: symbols to move out of god modules, cycles between services with the cheapest
cut, and who owns which data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from decompose.cluster import KERNEL_NAME, Clustering, ModuleEvidence
from decompose.model import (
    ApiSymbol,
    ApiSymbolKind,
    CallSite,
    DataModel,
    Decomposition,
    DefinitionKind,
    DependencyGraph,
    ModuleName,
    OwnershipConflict,
    Service,
    ServiceDependency,
    ServiceKind,
    ServiceModule,
    SymbolMove,
    UseKind,
)
from decompose.services._cycles import MAX_CYCLES, service_cycles, short_cycles

__all__ = [
    "package_services",
    "package_outline",
    "propose_services",
    "assigned_services",
    "SHARED",
    "LOOSE_MODULES_SERVICE",
    "short_cycles",
]

SHARED = KERNEL_NAME
LOOSE_MODULES_SERVICE = "(top-level modules)"
_MAX_CALLERS = 20


def package_services(
    graph: DependencyGraph, data: DataModel | None = None, *, below_common_root: bool = False
) -> Decomposition:
    """One service per top-level package (the code's current structure); modules outside
    any package together in one more.

    With ``below_common_root``, when every package is inside one (a project laid out as
    one package, perhaps with a ``manage.py`` beside it), the tree is cut below that one,
    as many levels down as that holds: ``shop.orders`` and ``shop.payments`` rather than
    ``shop``; the root package's own modules (its ``__init__``, ``shop/settings.py``) are
    the service ``shop``. That is the structure a team sees in such a project.
    """
    assignment = _package_assignment(graph, below_common_root)
    kinds = {name: ServiceKind.PACKAGE for name in assignment.values()}
    return _decomposition(graph, assignment, kinds, {}, data, method="packages")


def package_outline(graph: DependencyGraph, *, below_common_root: bool = False) -> Decomposition:
    """The services of ``package_services`` with their modules and nothing else (no API
    surfaces, dependencies, moves, cycles or data): what measuring the structure needs,
    at a fraction of the cost."""
    modules = {m.name: m for m in graph.modules}
    members: dict[str, list[ModuleName]] = defaultdict(list)
    for module, service in _package_assignment(graph, below_common_root).items():
        members[service].append(module)
    return Decomposition(
        services=tuple(
            Service(
                name=name,
                kind=ServiceKind.PACKAGE,
                modules=tuple(ServiceModule(m, modules[m].path) for m in sorted(members[name])),
                lines=sum(modules[m].lines for m in members[name]),
            )
            for name in sorted(members, key=lambda s: (-len(members[s]), s))
        ),
        method="packages",
    )


def _package_assignment(graph: DependencyGraph, below_common_root: bool) -> dict[ModuleName, str]:
    root = _common_root(graph) if below_common_root else ModuleName()
    depth = root.depth
    containers = {m.name for m in graph.modules if m.is_package and m.name.depth == depth + 1}
    for module in graph.modules:
        if module.name.depth > depth + 1 and module.name.head(depth) == root:
            containers.add(module.name.head(depth + 1))  # a package, or a namespace package
    assignment: dict[ModuleName, str] = {}
    for module in graph.modules:
        if module.name.depth > depth and module.name.head(depth) == root:
            head = module.name.head(depth + 1)
            assignment[module.name] = head if head in containers else root or LOOSE_MODULES_SERVICE
        else:
            assignment[module.name] = root if module.name == root else LOOSE_MODULES_SERVICE
    return assignment


def _common_root(graph: DependencyGraph) -> ModuleName:
    """The package every package lies in: ``shop`` when the only modules outside ``shop``
    are loose ones like ``manage.py``; empty when there are two top packages."""
    names = [m.name for m in graph.modules]
    root = ModuleName()
    while True:
        depth = root.depth
        heads = {name.head(depth + 1) for name in names if name.depth > depth + 1 and name.head(depth) == root}
        if len(heads) != 1:
            return root
        root = heads.pop()


def propose_services(
    graph: DependencyGraph, clustering: Clustering, data: DataModel | None = None
) -> Decomposition:
    """Services from a clustering: named, measured, with API surfaces, cycles and data, and
    each module's placement evidence."""
    names = clustering.names
    assignment: dict[ModuleName, str] = {m: SHARED for m in clustering.kernel}
    kinds = {SHARED: ServiceKind.SHARED} if clustering.kernel else {}
    for index, cluster in enumerate(clustering.clusters):
        for module in cluster:
            assignment[module] = names[index]
        kinds[names[index]] = ServiceKind.DOMAIN
    return _decomposition(
        graph,
        assignment,
        kinds,
        dict(clustering.confidence),
        data,
        method=clustering.method,
        evidence={e.module: e for e in clustering.evidence},
        names=clustering.names,
    )


def assigned_services(
    graph: DependencyGraph,
    assignment: Mapping[ModuleName, str],
    kinds: Mapping[str, ServiceKind],
    data: DataModel | None = None,
    *,
    method: str = "assigned",
    all_cycles: bool = False,
) -> Decomposition:
    """Services from an assignment made elsewhere (a stored proposal carried over to another
    version of the code, say), analysed as a proposal is: API surfaces, dependencies, moves,
    cycles, data. ``kinds``: service name -> kind (domain when absent). ``assignment``
    must name every module of ``graph`` (ValueError otherwise); others are ignored.
    ``all_cycles``: every cycle, not the first 50 a report lists."""
    kept = {m.name: assignment.get(m.name) for m in graph.modules}
    missing = sorted(name for name, service in kept.items() if service is None)
    if missing:
        raise ValueError(f"no service for {len(missing)} modules, e.g. {missing[0]}")
    return _decomposition(
        graph, kept, kinds, {}, data, method=method, cycle_limit=None if all_cycles else MAX_CYCLES
    )


# ------------------------------------------------------------------------------ analysis


def _decomposition(
    graph: DependencyGraph,
    assignment: Mapping[ModuleName, str],
    kinds: Mapping[str, ServiceKind],
    confidence: Mapping[ModuleName, float],
    data: DataModel | None,
    method: str,
    cycle_limit: int | None = MAX_CYCLES,
    evidence: Mapping[ModuleName, ModuleEvidence] | None = None,
    names: Sequence[str] = (),
) -> Decomposition:
    modules = {m.name: m for m in graph.modules}
    evidence = evidence or {}
    definitions = {(m.name, d.name): d for m in graph.modules for d in m.definitions}
    members: dict[str, list[ModuleName]] = defaultdict(list)
    for module, service in assignment.items():
        members[service].append(module)

    api = _api_surfaces(graph, assignment, definitions)
    depends = _dependencies(graph, assignment)
    moves = _symbol_moves(graph, assignment, definitions)
    ownership, conflicts = _ownership(data, assignment, moves)
    owned: dict[str, list[str]] = defaultdict(list)
    for entity, service in ownership:
        owned[service].append(entity)

    services = []
    for name in sorted(members, key=lambda s: (kinds.get(s) == ServiceKind.SHARED, -len(members[s]), s)):
        services.append(
            Service(
                name=name,
                kind=ServiceKind(kinds.get(name, ServiceKind.DOMAIN)),
                modules=tuple(
                    _service_module(
                        m, modules[m].path, confidence.get(m, 1.0), (evidence or {}).get(m), names
                    )
                    for m in sorted(members[name])
                ),
                lines=sum(modules[m].lines for m in members[name]),
                api=api.get(name, ()),
                depends_on=depends.get(name, ()),
                entities=tuple(sorted(owned.get(name, ()))),
            )
        )
    return Decomposition(
        services=tuple(services),
        method=method,
        symbol_moves=moves,
        cycles=service_cycles(graph, assignment, cycle_limit),
        ownership=ownership,
        conflicts=conflicts,
    )


def _service_module(
    name: ModuleName, path: str, confidence: float, evidence: ModuleEvidence | None, names: Sequence[str]
) -> ServiceModule:
    """A module of a service, with its placement evidence when the clustering gave one (its
    runner-up named by the cluster's service name)."""
    if evidence is None:
        return ServiceModule(name, path, confidence)
    return ServiceModule(
        name,
        path,
        confidence,
        ties=evidence.ties,
        runner_up=names[evidence.runner_up] if evidence.runner_up is not None else None,
        runner_up_ties=evidence.runner_up_ties,
        own_weight=evidence.own_weight,
        runner_up_weight=evidence.runner_up_weight,
    )


def _api_surfaces(graph, assignment, definitions) -> dict[str, tuple[ApiSymbol, ...]]:
    uses: Counter = Counter()
    callers: dict[tuple[str, str], list[CallSite]] = defaultdict(list)
    users: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)  # (service, module)
    for edge in graph.symbol_edges:
        if not edge.target_symbol:
            continue
        source_service, target_service = assignment[edge.source_module], assignment[edge.target_module]
        if source_service == target_service:
            continue
        key = (edge.target_module, edge.target_symbol)
        uses[key] += edge.weight
        users[key].add((source_service, edge.source_module))
        for line in edge.lines:
            callers[key].append(CallSite(source_service, edge.source_module, line))
    surfaces: dict[str, list[ApiSymbol]] = defaultdict(list)
    for (module, symbol), count in uses.items():
        definition = definitions.get((module, symbol))
        sites = sorted(set(callers[(module, symbol)]), key=lambda c: (c.service, c.module, c.line))
        using = users[(module, symbol)]
        surfaces[assignment[module]].append(
            ApiSymbol(
                module=module,
                symbol=symbol,
                kind=ApiSymbolKind(definition.kind.value) if definition else ApiSymbolKind.NAME,
                signature=definition.signature if definition else "",
                doc=definition.doc if definition else "",
                uses=count,
                callers=tuple(sites[:_MAX_CALLERS]),
                caller_modules=len(using),
                caller_services=len({service for service, _ in using}),
            )
        )
    return {
        service: tuple(sorted(symbols, key=lambda s: (-s.uses, s.module, s.symbol)))
        for service, symbols in surfaces.items()
    }


def _dependencies(graph, assignment) -> dict[str, tuple[ServiceDependency, ...]]:
    weights: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for edge in graph.edges:
        source, target = assignment[edge.source], assignment[edge.target]
        if source != target:
            weights[source][target] += edge.weight
            kinds[(source, target)][edge.kind.value] += edge.weight
    return {
        source: tuple(
            ServiceDependency(
                target,
                weight,
                tuple(sorted(kinds[(source, target)].items(), key=lambda kv: (-kv[1], kv[0]))),
            )
            for target, weight in sorted(targets.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        for source, targets in weights.items()
    }


def _symbol_moves(graph, assignment, definitions) -> tuple[SymbolMove, ...]:
    """Classes and functions used more by one other service than by their own."""
    by_service: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for edge in graph.symbol_edges:
        if edge.target_symbol and not (edge.source_module == edge.target_module and edge.source_symbol == ""):
            by_service[(edge.target_module, edge.target_symbol)][assignment[edge.source_module]] += (
                edge.weight
            )
    moves = []
    for (module, symbol), counts in by_service.items():
        definition = definitions.get((module, symbol))
        if definition is None or definition.kind not in (DefinitionKind.CLASS, DefinitionKind.FUNCTION):
            continue
        home = assignment[module]
        (top, top_uses), *_ = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        home_uses = counts.get(home, 0)
        if top in (home, SHARED) or top_uses < 3 or top_uses < 2 * max(1, home_uses):
            continue
        if home == SHARED and (
            definition.kind is not DefinitionKind.CLASS or top_uses * 2 < sum(counts.values())
        ):
            continue  # the kernel is shared on purpose: only classes one service mostly uses
        moves.append(SymbolMove(module, symbol, home, top, top_uses, home_uses))
    # In the kernel, a module is split only when its classes go to two services or more: a
    # god module of several domains, not a utility one service happens to use most.
    targets: dict[str, set[str]] = defaultdict(set)
    for move in moves:
        targets[move.module].add(move.to_service)
    kept = [m for m in moves if m.from_service != SHARED or len(targets[m.module]) >= 2]
    return tuple(sorted(kept, key=lambda m: (m.module, m.symbol)))


def _ownership(data: DataModel | None, assignment, moves) -> tuple[tuple, tuple]:
    if data is None:
        return (), ()
    moved = {(m.module, m.symbol): m.to_service for m in moves}
    owners: dict[str, str] = {}
    users: dict[str, Counter] = defaultdict(Counter)
    defined_by: dict[str, Counter] = defaultdict(Counter)
    for use in data.uses:
        service = assignment.get(use.module)
        if service is None:
            continue
        if use.kind is UseKind.DEFINE:
            defined_by[use.entity][service] += 1
        else:
            users[use.entity][service] += len(use.lines) or 1
    for entity in data.entities:
        if entity.module is not None and (entity.module, entity.symbol) in moved:
            owners[entity.name] = moved[(entity.module, entity.symbol)]
        elif entity.module is not None and entity.module in assignment:
            owners[entity.name] = assignment[entity.module]
        elif users[entity.name]:  # a bare table: its heaviest user owns it
            owners[entity.name] = sorted(users[entity.name].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    conflicts = []
    for entity, owner in sorted(owners.items()):
        others = sorted(
            ((s, n) for s, n in users[entity].items() if s != owner), key=lambda kv: (-kv[1], kv[0])
        )
        if others:
            conflicts.append(OwnershipConflict(entity, owner, tuple(others)))
    conflicts.sort(key=lambda c: (-len(c.users), -sum(n for _, n in c.users), c.entity))
    return tuple(sorted(owners.items())), tuple(conflicts)
