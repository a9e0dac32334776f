"""Compare stage: two versions of the code measured against one service assignment.

A refactoring is judged by how the code changed, not by how the clustering changed: both
sides are measured with the before side's services (or the pinned ones), carried over to
the after side's modules (``_match``). The result says what changed globally and per
service, which cross-service dependencies and cycles came and went, what became of each
module, and where the after side's own proposal would now put modules. Computes only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import NamedTuple

from decompose.compare._match import (
    RENAME_SIMILARITY,
    RENAME_SIMILARITY_SAME_FILE_NAME,
    ModuleMatch,
    NamedModule,
    Placement,
    match_modules,
    place_modules,
)
from decompose.metrics import OVERALL, SERVICE, UNASSIGNED, Better, Verdict, measure, mojofm, verdict
from decompose.model import (
    ChangeHistory,
    CycleEdge,
    DataModel,
    Decomposition,
    DependencyGraph,
    Measures,
    ModuleInfo,
    ModuleName,
    OverallMetrics,
    ServiceKind,
    ServiceMetrics,
)
from decompose.services import assigned_services

__all__ = [
    "Snapshot",
    "Comparison",
    "MetricDelta",
    "ServiceDelta",
    "CrossEdge",
    "CycleChange",
    "ModuleMatch",
    "NamedModule",
    "Placement",
    "ServiceMove",
    "compare",
    "carry_assignment",
    "SERVICES_FROM",
    "RENAME_SIMILARITY",
    "RENAME_SIMILARITY_SAME_FILE_NAME",
]

SERVICES_FROM = ("before", "pinned")
# Service figures compared per service (their better direction is the glossary's).
_SERVICE_FIGURES: tuple[str, ...] = (
    "modules",
    "lines",
    "cohesion",
    "out_edges",
    "out_weight",
    "in_edges",
    "in_weight",
    "api_size",
    "entities_in_conflict",
)


@dataclass(frozen=True)
class Snapshot:
    """One side of a comparison: an analysis of one version of the code."""

    label: str  # what the user named: a folder, or "main (3f2a1c9)"
    project: str
    graph: DependencyGraph
    decomposition: Decomposition  # this version's own proposal
    data: DataModel
    history: ChangeHistory | None = None  # its git history, when it was read


class MetricDelta(NamedTuple):
    name: str
    before: float | None  # None: not measured on that side (a service without modules there)
    after: float | None
    better: Better | None  # None when neither is better

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 4) + 0.0

    @property
    def verdict(self) -> Verdict:
        """Better, worse, the same, or changed (a figure with no better direction)."""
        return verdict(self.before, self.after, self.better)


@dataclass(frozen=True)
class ServiceDelta:
    name: str
    kind: ServiceKind
    figures: tuple[MetricDelta, ...]  # in ``_SERVICE_FIGURES`` order
    api_added: tuple[str, ...]  # "module:Symbol" other services use now and did not before
    api_removed: tuple[str, ...]

    def figure(self, name: str) -> MetricDelta:
        return next(f for f in self.figures if f.name == name)


class CrossEdge(NamedTuple):
    """A dependency of a module on a module of another service (every kind, weights summed)."""

    source: ModuleName  # after-side names; a module gone since keeps its before name
    target: ModuleName
    source_service: str
    target_service: str
    weight: int


class CycleChange(NamedTuple):
    services: tuple[str, ...]  # the cycle, from its smallest name
    edges: tuple[CycleEdge, ...]  # the module edges that close it, on the side that has it


class ServiceMove(NamedTuple):
    """A module that the after side's own proposal puts with another service's modules."""

    module: ModuleName
    service: str  # in the shared assignment
    proposed: str  # the after proposal's service it is in
    proposed_like: str  # the shared service most of that proposed service's modules are in


@dataclass(frozen=True)
class Comparison:
    before: str  # labels
    after: str
    project: str
    services_from: str  # "before" or "pinned"
    kinds: tuple[tuple[str, ServiceKind], ...]  # service -> kind, in the before side's order
    assignment: tuple[tuple[ModuleName, str], ...]  # after module -> service, sorted
    matched: tuple[ModuleMatch, ...]  # renames included; sorted by after name
    placed: tuple[Placement, ...]  # after modules new since before, and where they went
    removed: tuple[ModuleName, ...]  # before modules with no match after
    overall: tuple[MetricDelta, ...]  # every OverallMetrics figure, in its order
    services: tuple[ServiceDelta, ...]  # the shared assignment's services
    edges_added: tuple[CrossEdge, ...]  # heaviest first
    edges_removed: tuple[CrossEdge, ...]
    cycles_added: tuple[CycleChange, ...]
    cycles_removed: tuple[CycleChange, ...]
    moves: tuple[ServiceMove, ...]  # the after side's own proposal against the shared assignment
    proposal_agreement: float  # MoJoFM (percent) of the after proposal against the shared assignment
    before_measures: Measures
    after_measures: Measures

    @property
    def renamed(self) -> tuple[ModuleMatch, ...]:
        return tuple(m for m in self.matched if m.before != m.after)

    def values(self, side: str) -> dict[str, float]:
        """The overall figures of ``side`` ("before" or "after") by name, for the gate."""
        return {d.name: getattr(d, side) for d in self.overall}


def carry_assignment(
    before_modules: Sequence[ModuleInfo | NamedModule],
    before_assignment: Mapping[ModuleName, str],
    kinds: Mapping[str, ServiceKind],
    after_graph: DependencyGraph,
    pins: Sequence[tuple[str, str]] = (),
) -> tuple[dict[ModuleName, str], tuple[ModuleMatch, ...], tuple[Placement, ...]]:
    """The before side's services on the after side's modules: (assignment, matches,
    placements). ``before_modules``: the before side's modules (their definitions find
    renames; NamedModule ones match by name only). Pinned globs win on both sides."""
    matches = match_modules(before_modules, after_graph.modules)
    known = {m.after: before_assignment[m.before] for m in matches if m.before in before_assignment}
    pinned = _pinned([m.name for m in after_graph.modules], pins)
    known.update(pinned)
    kernel = [name for name, kind in kinds.items() if kind == ServiceKind.SHARED]
    assignment, placements = place_modules(after_graph, known, kernel=kernel, fallback=UNASSIGNED)
    matched = {m.after for m in matches}
    placements += tuple(Placement(m, s, "pinned", 0) for m, s in pinned.items() if m not in matched)
    return assignment, matches, tuple(sorted(placements))


def compare(
    before: Snapshot,
    after: Snapshot,
    *,
    services_from: str = "before",
    pins: Sequence[tuple[str, str]] = (),
) -> Comparison:
    """Measure ``before`` and ``after`` with one assignment and say what changed.

    ``services_from``: "before" takes the before side's proposal; "pinned" takes it too but
    puts every module matching a ``pins`` glob (``[tool.decompose.pin]``) in the pinned
    service, on both sides. Raises ValueError for "pinned" without pins.
    """
    if services_from not in SERVICES_FROM:
        raise ValueError(f"services_from must be one of {', '.join(SERVICES_FROM)}")
    if services_from == "pinned" and not pins:
        raise ValueError("services_from='pinned' needs pins ([tool.decompose.pin])")
    used_pins = pins if services_from == "pinned" else ()
    base = {m.name: s.name for s in before.decomposition.services for m in s.modules}
    kinds = {s.name: s.kind for s in before.decomposition.services}
    pinned_before = _pinned(list(base), used_pins)
    base.update(pinned_before)
    for service in set(pinned_before.values()):
        kinds.setdefault(service, ServiceKind.DOMAIN)
    for module in before.graph.modules:  # a stored proposal names them all; be safe anyway
        base.setdefault(module.name, UNASSIGNED)
    if UNASSIGNED in base.values():
        kinds.setdefault(UNASSIGNED, ServiceKind.DOMAIN)
    assignment, matches, placements = carry_assignment(
        before.graph.modules, base, kinds, after.graph, used_pins
    )
    if UNASSIGNED in assignment.values():
        kinds.setdefault(UNASSIGNED, ServiceKind.DOMAIN)

    before_services = assigned_services(
        before.graph, base, kinds, before.data, method="compared", all_cycles=True
    )
    after_services = assigned_services(
        after.graph, assignment, kinds, after.data, method="compared", all_cycles=True
    )
    before_measures = measure(before.graph, before_services, before.data, history=before.history)
    after_measures = measure(after.graph, after_services, after.data, history=after.history)

    renamed = {m.before: m.after for m in matches}
    matched_before = set(renamed)
    added, removed = _cross_edge_changes(before.graph, base, after.graph, assignment, renamed)
    cycles_added, cycles_removed = _cycle_changes(before_services, after_services)
    own = {m.name: s.name for s in after.decomposition.services for m in s.modules}
    moves, agreement = _moves(own, assignment)
    return Comparison(
        before=before.label,
        after=after.label,
        project=after.project,
        services_from=services_from,
        kinds=tuple(kinds.items()),
        assignment=tuple(sorted(assignment.items())),
        matched=matches,
        placed=placements,
        removed=tuple(sorted(m.name for m in before.graph.modules if m.name not in matched_before)),
        overall=_overall(before_measures.overall, after_measures.overall),
        services=_services(kinds, before_measures, after_measures, before_services, after_services, renamed),
        edges_added=added,
        edges_removed=removed,
        cycles_added=cycles_added,
        cycles_removed=cycles_removed,
        moves=moves,
        proposal_agreement=agreement,
        before_measures=before_measures,
        after_measures=after_measures,
    )


def _pinned(modules: Sequence[str], pins: Sequence[tuple[str, str]]) -> dict[ModuleName, str]:
    """Module -> pinned service, the first matching glob winning (as the cluster stage does)."""
    found = {}
    for module in modules:
        for pattern, service in pins:
            if fnmatchcase(module, pattern):
                found[ModuleName(module)] = service
                break
    return found


def _overall(before: OverallMetrics, after: OverallMetrics) -> tuple[MetricDelta, ...]:
    old, new = before.values(), after.values()
    # A figure only one side measured (history on one side only) is not compared.
    return tuple(MetricDelta(name, old[name], new[name], OVERALL[name].better) for name in old if name in new)


def _services(kinds, before: Measures, after: Measures, before_services, after_services, renamed):
    rows_before = {s.name: s for s in before.services}
    rows_after = {s.name: s for s in after.services}
    api_before = _api(before_services, renamed)
    api_after = _api(after_services, {})
    deltas = []
    for name, kind in kinds.items():
        old: ServiceMetrics | None = rows_before.get(name)
        new: ServiceMetrics | None = rows_after.get(name)
        if old is None and new is None:
            continue
        figures = tuple(
            MetricDelta(
                figure,
                _number(getattr(old, figure)) if old is not None else None,
                _number(getattr(new, figure)) if new is not None else None,
                SERVICE[figure].better,
            )
            for figure in _SERVICE_FIGURES
        )
        deltas.append(
            ServiceDelta(
                name=name,
                kind=kind,
                figures=figures,
                api_added=tuple(sorted(api_after[name] - api_before[name])),
                api_removed=tuple(sorted(api_before[name] - api_after[name])),
            )
        )
    return tuple(deltas)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _api(decomposition: Decomposition, renamed: Mapping[str, str]) -> dict[str, set[str]]:
    """Per service, its API symbols as "module:Symbol", before-side modules under their after names."""
    found: dict[str, set[str]] = defaultdict(set)
    for service in decomposition.services:
        for symbol in service.api:
            found[service.name].add(f"{renamed.get(symbol.module, symbol.module)}:{symbol.symbol}")
    return found


def _cross_edge_changes(before_graph, before_assignment, after_graph, after_assignment, renamed):
    def crossing(graph, assignment, names) -> dict[tuple[str, str], CrossEdge]:
        weights: Counter = Counter()
        for edge in graph.edges:
            if assignment[edge.source] != assignment[edge.target]:
                weights[(edge.source, edge.target)] += edge.weight
        return {
            (names.get(a, a), names.get(b, b)): CrossEdge(
                names.get(a, a), names.get(b, b), assignment[a], assignment[b], weight
            )
            for (a, b), weight in weights.items()
        }

    old = crossing(before_graph, before_assignment, renamed)
    new = crossing(after_graph, after_assignment, {})

    # An edge whose ends changed service only (a pin moved one) is gone from one pair and new
    # in another; an edge that kept its ends and services is the same edge, whatever its weight.
    def key(edge: CrossEdge):
        return (edge.source, edge.target, edge.source_service, edge.target_service)

    old_keys = {key(e) for e in old.values()}
    new_keys = {key(e) for e in new.values()}
    heaviest = lambda e: (-e.weight, e.source, e.target)  # noqa: E731
    added = sorted((e for e in new.values() if key(e) not in old_keys), key=heaviest)
    removed = sorted((e for e in old.values() if key(e) not in new_keys), key=heaviest)
    return tuple(added), tuple(removed)


def _cycle_changes(before: Decomposition, after: Decomposition):
    old = {c.services: c for c in before.cycles}
    new = {c.services: c for c in after.cycles}
    added = tuple(CycleChange(s, new[s].edges) for s in sorted(new.keys() - old.keys(), key=_cycle_order))
    removed = tuple(CycleChange(s, old[s].edges) for s in sorted(old.keys() - new.keys(), key=_cycle_order))
    return added, removed


def _cycle_order(services: tuple[str, ...]):
    return (len(services), services)


def _moves(own: Mapping[ModuleName, str], shared: Mapping[ModuleName, str]):
    """Modules whose after-side proposed service is mostly made of another shared service's
    modules; and the agreement of the two partitions (MoJoFM, percent)."""
    common = {m: own[m] for m in own if m in shared}
    if not common:
        return (), 100.0
    overlap: dict[str, Counter] = defaultdict(Counter)
    for module, proposed in common.items():
        overlap[proposed][shared[module]] += 1
    like = {p: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for p, c in overlap.items()}
    moves = tuple(
        ServiceMove(module, shared[module], proposed, like[proposed])
        for module, proposed in sorted(common.items())
        if like[proposed] != shared[module]
    )
    return moves, round(mojofm(common, {m: shared[m] for m in common}), 1)
