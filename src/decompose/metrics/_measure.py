"""Measure a decomposition of a graph: per module, per service, and overall.

Only the decomposition's assignment of modules to services (and its data ownership) is
read; everything else (API surfaces, cycles, coupling) is recomputed from ``graph``, so a
decomposition made from one version of the code can be measured on another. Every pass
is linear in the graph's modules, edges and symbol edges, but for the cycle search on the
service graph, which has one node per service.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import replace

from decompose.history import GroupCommits, crossing_commits
from decompose.metrics._quality import (
    inter_call_percentage,
    modularity,
    non_extreme_distribution,
    structural_modularity,
    turbo_mq,
)
from decompose.model import (
    ChangeHistory,
    DataModel,
    Decomposition,
    DefinitionKind,
    DependencyGraph,
    EdgeKind,
    Measures,
    MetricsReport,
    ModuleMetrics,
    ModuleName,
    OverallMetrics,
    ServiceKind,
    ServiceMetrics,
    UseKind,
)
from decompose.services import package_outline, short_cycles

__all__ = ["measure", "metrics_report", "NED_BOUNDS", "UNASSIGNED"]

# Non-extreme service sizes, in modules. Jin et al. count classes and call 5 to 20 of them
# non-extreme. A Python module holds 1.3 (the sample) to 2.2 (Django) top-level classes on
# average, besides functions: five classes are two or three modules, so a service of one
# or two modules is a fragment. Twenty classes would be about ten modules, but Python code
# is grouped in packages of ten to thirty modules (a Django app's models, views, forms,
# admin, urls, serializers, tasks) and a service holds one to a few of them: 50 modules,
# some 9,000 lines at Django's 183 lines a module, is the most one team keeps in its head.
NED_BOUNDS = (3, 50)
UNASSIGNED = "(unassigned)"  # modules of the graph that the decomposition does not place
_DIGITS = 4
_FUNCTIONS = (DefinitionKind.FUNCTION, DefinitionKind.METHOD)


def measure(
    graph: DependencyGraph,
    decomposition: Decomposition,
    data: DataModel,
    *,
    ned_bounds: tuple[int, int] = NED_BOUNDS,
    history: ChangeHistory | None = None,
) -> Measures:
    """Module, service and overall metrics of ``decomposition`` applied to ``graph``.

    Edges of every kind count (type-only imports and dotted strings too: each is a
    dependency on the target's names); weights are occurrences. A module the
    decomposition does not place is measured in a service of its own name ``UNASSIGNED``;
    a service with no module in ``graph`` is left out. Ratios are rounded to 4 decimals.
    """
    assignment = _assignment(graph, decomposition)
    sizes: Counter = Counter(assignment.values())
    order = [s.name for s in decomposition.services if sizes[s.name]]
    if sizes[UNASSIGNED] and UNASSIGNED not in order:
        order.append(UNASSIGNED)
    kinds = {s.name: s.kind for s in decomposition.services}

    pairs: dict[tuple[ModuleName, ModuleName], int] = {}
    calls: dict[tuple[ModuleName, ModuleName], int] = {}
    for edge in graph.edges:
        key = (edge.source, edge.target)
        pairs[key] = pairs.get(key, 0) + edge.weight
        if edge.kind is EdgeKind.CALL:
            calls[key] = calls.get(key, 0) + edge.weight

    api = _api_sizes(graph, assignment)
    owned, contested = _entities(data, decomposition, assignment)
    services = _service_metrics(graph, pairs, assignment, order, kinds, api, owned, contested)
    cycles, cyclic = _cycles(pairs, assignment)
    cross = [(key, weight) for key, weight in pairs.items() if assignment[key[0]] != assignment[key[1]]]
    call_total = sum(calls.values())
    call_cross = sum(n for (a, b), n in calls.items() if assignment[a] != assignment[b])
    overall = OverallMetrics(
        services=len(order),
        modules=len(graph.modules),
        modularity=_round(modularity(pairs, assignment)),
        mq=_round(turbo_mq(pairs, assignment)),
        sm=_round(structural_modularity(pairs, assignment, {s: sizes[s] for s in order})),
        icp=_round(inter_call_percentage(calls, assignment)),
        ifn=_round(sum(api.values()) / len(order)) if order else 0.0,
        ned=_round(non_extreme_distribution({s: sizes[s] for s in order}, ned_bounds)),
        cross_call_share=_round(call_cross / call_total) if call_total else 0.0,
        cross_edges=len(cross),
        cross_weight=sum(weight for _, weight in cross),
        cycles=cycles,
        cyclic_services=cyclic,
    )
    shared: tuple[tuple[str, str, int], ...] = ()
    if history is not None:
        # Independent deployability: changesets changing more than one service. Modules no
        # longer in the tree are not counted, nor the changesets left with none.
        crossing = crossing_commits(history.changesets, assignment)
        none = GroupCommits(0, 0)
        services = [
            replace(
                s,
                commits=crossing.per_group.get(s.name, none).commits,
                crossing_commits=crossing.per_group.get(s.name, none).crossing,
            )
            for s in services
        ]
        overall = replace(overall, cross_service_commits=_round(crossing.share))
        shared = tuple(
            sorted(((a, b, n) for (a, b), n in crossing.pairs.items()), key=lambda item: (-item[2], item[0], item[1]))
        )
    return Measures(
        modules=_module_metrics(graph, pairs, assignment),
        services=tuple(services),
        overall=overall,
        shared_commits=shared,
    )


def metrics_report(
    graph: DependencyGraph, proposal: Decomposition, data: DataModel, history: ChangeHistory | None = None
) -> MetricsReport:
    """The proposal and the code's current package structure (packages below a common root:
    ``services.package_outline``), measured alike (with ``history``, their commits too)."""
    return MetricsReport(
        proposed=measure(graph, proposal, data, history=history),
        current=measure(graph, package_outline(graph, below_common_root=True), data, history=history),
    )


def _assignment(graph: DependencyGraph, decomposition: Decomposition) -> dict[ModuleName, str]:
    placed = {m.name: s.name for s in decomposition.services for m in s.modules}
    return {m.name: placed.get(m.name, UNASSIGNED) for m in graph.modules}


# ------------------------------------------------------------------------------ modules


def _module_metrics(
    graph: DependencyGraph, pairs: Mapping[tuple[ModuleName, ModuleName], int], assignment
) -> tuple[ModuleMetrics, ...]:
    """Martin's package metrics taken per module (R. C. Martin, "OO Design Quality Metrics:
    An Analysis of Dependencies", 1994; "Agile Software Development", 2003, ch. 20):
    Ca and Ce count distinct project modules, I = Ce / (Ca + Ce), A = abstract classes /
    classes, D = |A + I - 1|. Classes are the top-level ones (a Django model's ``Meta``
    is configuration, not a class of the design); a subclass that declares nothing
    abstract itself counts as concrete. Complexity is McCabe's (see the parse stage)."""
    afferent: Counter = Counter()
    efferent: Counter = Counter()
    for source, target in pairs:
        efferent[source] += 1
        afferent[target] += 1
    rows = []
    for module in graph.modules:
        ca, ce = afferent[module.name], efferent[module.name]
        classes = abstract = functions = total = most = 0
        for definition in module.definitions:
            kind = definition.kind
            if kind is DefinitionKind.CLASS:
                if "." not in definition.name:
                    classes += 1
                    abstract += definition.abstract
            elif kind in _FUNCTIONS:
                functions += 1
                total += definition.complexity
                most = max(most, definition.complexity)
        instability = ce / (ca + ce) if ca + ce else None
        abstractness = abstract / classes if classes else 0.0
        rows.append(
            ModuleMetrics(
                module=module.name,
                service=assignment[module.name],
                lines=module.lines,
                afferent=ca,
                efferent=ce,
                instability=_round(instability) if instability is not None else None,
                classes=classes,
                abstract_classes=abstract,
                abstractness=_round(abstractness),
                distance=_round(abs(abstractness + instability - 1)) if instability is not None else None,
                functions=functions,
                complexity=total,
                max_complexity=most,
            )
        )
    return tuple(rows)


# ------------------------------------------------------------------------------ services


def _service_metrics(graph, pairs, assignment, order, kinds, api, owned, contested) -> list[ServiceMetrics]:
    lines: Counter = Counter()
    for module in graph.modules:
        lines[assignment[module.name]] += module.lines
    inside: Counter = Counter()
    out_edges: Counter = Counter()
    out_weight: Counter = Counter()
    in_edges: Counter = Counter()
    in_weight: Counter = Counter()
    out_services: dict[str, set[str]] = defaultdict(set)
    in_services: dict[str, set[str]] = defaultdict(set)
    for (a, b), weight in pairs.items():
        sa, sb = assignment[a], assignment[b]
        if sa == sb:
            inside[sa] += weight
            continue
        out_edges[sa] += 1
        out_weight[sa] += weight
        out_services[sa].add(sb)
        in_edges[sb] += 1
        in_weight[sb] += weight
        in_services[sb].add(sa)
    modules: Counter = Counter(assignment.values())
    rows = []
    for name in order:
        touching = inside[name] + out_weight[name] + in_weight[name]
        rows.append(
            ServiceMetrics(
                name=name,
                kind=kinds.get(name, ServiceKind.DOMAIN),
                modules=modules[name],
                lines=lines[name],
                cohesion=_round(inside[name] / touching) if touching else None,
                internal_weight=inside[name],
                out_edges=out_edges[name],
                out_weight=out_weight[name],
                out_services=len(out_services[name]),
                in_edges=in_edges[name],
                in_weight=in_weight[name],
                in_services=len(in_services[name]),
                api_size=api.get(name, 0),
                entities=owned.get(name, 0),
                entities_in_conflict=contested.get(name, 0),
            )
        )
    return rows


def _api_sizes(graph: DependencyGraph, assignment) -> dict[str, int]:
    """Per service, its top-level classes, functions and names that another service uses,
    by any kind of edge: the API surface as the services stage defines it."""
    symbols: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for edge in graph.symbol_edges:
        if edge.target_symbol:
            home = assignment[edge.target_module]
            if assignment[edge.source_module] != home:
                symbols[home].add((edge.target_module, edge.target_symbol))
    return {service: len(found) for service, found in symbols.items()}


def _entities(data: DataModel, decomposition: Decomposition, assignment) -> tuple[Counter, Counter]:
    """Entities owned per service, and how many of those other services use. The owner is
    the decomposition's when it names one in this graph, else the service of the module
    that defines the entity, else (a bare table) its heaviest user."""
    services = set(assignment.values())
    decided = {entity: owner for entity, owner in decomposition.ownership if owner in services}
    users: dict[str, Counter] = defaultdict(Counter)
    for use in data.uses:
        service = assignment.get(use.module)
        if service is not None and use.kind is not UseKind.DEFINE:
            users[use.entity][service] += len(use.lines) or 1
    owned: Counter = Counter()
    contested: Counter = Counter()
    for entity in data.entities:
        owner = decided.get(entity.name)
        if owner is None and entity.module is not None:
            owner = assignment.get(entity.module)
        if owner is None and users[entity.name]:
            owner = min(users[entity.name].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if owner is None:
            continue
        owned[owner] += 1
        if any(service != owner for service in users[entity.name]):
            contested[owner] += 1
    return owned, contested


# ------------------------------------------------------------------------------ cycles


def _cycles(pairs, assignment) -> tuple[int, int]:
    """(cycles, services on a cycle). Cycles are counted as the services stage lists them,
    without its cap: each pair of services that depend on each other, and each cycle of
    three services none of whose links is such a pair (longer cycles are made of these)."""
    import networkx as nx

    links = sorted({(assignment[a], assignment[b]) for a, b in pairs if assignment[a] != assignment[b]})
    services = nx.DiGraph(links)
    cyclic = sum(len(c) for c in nx.strongly_connected_components(services) if len(c) > 1)
    return len(short_cycles(links)), cyclic


def _round(value: float) -> float:
    return round(value, _DIGITS) + 0.0  # + 0.0: no "-0.0" in the output
