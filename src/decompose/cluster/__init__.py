"""Cluster stage: modules grouped into candidate bounded contexts.

``cluster_modules`` runs these steps, each a module of this package:

1. **Set aside** (``_placement``): the shared kernel (modules at least ``kernel_share`` of all
   use, that use only the kernel), entry points (used by none, using five or more), pinned
   modules, and modules without code edges (or, once the signals are fused, without a tie
   outside the kernel): those join their package's cluster, else the kernel.
2. **Signals** (``_signals``, one table): code dependency, and the similarity evidence of
   shared neighbourhoods, vocabulary, data and cohesive packages, each yielding weighted
   pairs of the modules left.
3. **Fusion** (``_fusion``): one similarity graph, each signal weighing its share of the code.
4. **Communities** (``_communities``): Leiden or Louvain, at the resolution read off the graph
   (the largest that keeps most of the best modularity).
5. **Consensus** (``_consensus``): many seeded runs at that resolution and its neighbours,
   agreed by majority; a module's confidence is how often it lands with its cluster's core.
6. **Placement** (``_placement``, ``_folders``, ``_shapes``): entry points and loose modules
   join what they use, hubs and composition roots join the kernel, the folders win where they
   follow the coupling, a domain's vertical slices are joined, a blob is split where the code
   allows, pins and ``apart`` rules are kept, and with ``services`` the closest clusters merge.
7. **Naming** (``_naming``) and **evidence** (``_evidence``): a domain name per cluster, and
   per module its strongest ties to its own cluster and to the runner-up.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.cluster._communities import (
    METHODS,
    PACKAGES,
    CommunityGraph,
    Method,
    choose_resolution,
    derived_seeds,
    method_named,
)
from decompose.cluster._consensus import consensus
from decompose.cluster._evidence import ModuleEvidence, placement_evidence
from decompose.cluster._folders import (
    app_packages,
    fold_technical_groups,
    folder_names,
    folders_if_they_fit,
    place_lone_modules,
)
from decompose.cluster._fusion import FusedGraph, fuse
from decompose.cluster._links import code_graph, links_of
from decompose.cluster._naming import name_clusters
from decompose.cluster._placement import (
    entry_points,
    find_kernel,
    home_hubs,
    keep_apart,
    merge_to,
    pinned_modules,
    place_entry_points,
    place_isolated,
    spread_hubs,
    wiring,
)
from decompose.cluster._shapes import join_slices, join_small, split_blobs, split_to
from decompose.cluster._signals import PACKAGE_NODE, SIGNALS, SignalInput, signal_weights
from decompose.cluster._vocabulary import vocabulary_homes
from decompose.model import ChangeHistory, DataModel, DependencyGraph, ModuleName

__all__ = [
    "ClusterOptions",
    "Clustering",
    "cluster_modules",
    "DEFAULT_EDGE_WEIGHTS",
    "DEFAULT_METHOD",
    "KERNEL_NAME",
    "METHODS",
    "PACKAGES",
    "SIGNALS",
    "ModuleEvidence",
    "edge_weights",
    "signal_weights",
]

DEFAULT_EDGE_WEIGHTS: Mapping[str, float] = {
    "call": 1.0,
    "inherit": 1.5,
    "reference": 0.6,
    "decorator": 0.4,
    "annotation": 0.4,
    "import": 0.5,
    "lazy": 0.4,
    "dynamic": 0.3,
    "type_only": 0.2,
    "string": 0.2,
    # Framework wiring (graph/_wiring.py). Each takes over the plain use it explains, so those
    # that mostly replace a reference (admin, bindings, loaders, Depends) weigh what it did; a
    # relation between models a little more; work handed over (signals, tasks) less; routes,
    # which a composition root writes, what the dotted string did. On the quality bench's
    # Django corpora: as shipped unchanged; obfuscated within run-to-run noise (MoJoFM 51.6
    # on average, 51.1 without these edges; twice these weights for bindings: 50.6).
    "app_config": 0.2,  # the string it takes over: 1.0 cost wagtail layered seed agreement 98.7 -> 94.6
    "django_model": 0.8,
    "orm": 0.8,
    "admin": 0.6,
    "model_binding": 0.6,
    "loader": 0.6,
    "depends": 0.6,
    "signal": 0.4,
    "task": 0.4,
    "blueprint": 0.3,
    "router": 0.3,
    "url": 0.2,
    "setting": 0.2,
}
DEFAULT_METHOD = "leiden"
_PIN = "\0pin:"  # prefix of a pinned service's node in the fused graph
KERNEL_NAME = "shared"  # the shared kernel's service name, which no cluster takes


@dataclass(frozen=True)
class ClusterOptions:
    """How the modules are grouped into services."""

    method: str = DEFAULT_METHOD
    """A clustering method (a key of METHODS), or "packages": one service per top-level package."""
    services: int | None = None
    """How many services to propose; unset: read off the graph."""
    seed: int = 0
    """Random seed of the clustering."""
    resolution: float | None = None
    """A fixed clustering resolution; unset: read off the graph."""
    kernel_share: float = 0.1
    """Share of the modules that must use a module for it to join the shared kernel."""
    signal_weights: tuple[tuple[str, float], ...] = ()
    """Similarity signal -> weight in the clustering, over each signal's default (SIGNALS); 0 turns one off."""
    edge_weights: tuple[tuple[str, float], ...] = ()
    """Code edge kind -> weight in the clustering, over the defaults (DEFAULT_EDGE_WEIGHTS)."""
    pins: tuple[tuple[str, str], ...] = ()
    """Modules that must be in a service, as (module glob, service name); in the file, service = [globs]."""
    apart: tuple[tuple[str, str], ...] = ()
    """Pairs of module globs that must be in different services."""


@dataclass(frozen=True)
class Clustering:
    clusters: tuple[tuple[ModuleName, ...], ...]  # domain clusters, each sorted, largest first
    kernel: tuple[ModuleName, ...]  # the shared kernel, sorted
    names: tuple[str, ...]  # one per cluster, unique, never "shared"
    confidence: tuple[tuple[ModuleName, float], ...]  # per module, sorted by module
    resolution: float
    method: str  # what ran, for the report: "leiden consensus of 12 runs, resolution 4"
    evidence: tuple[ModuleEvidence, ...] = ()  # per module, sorted by module
    notes: tuple[str, ...] = ()  # what the user should hear of (a blob that cannot be split)


def cluster_modules(
    graph: DependencyGraph,
    options: ClusterOptions,
    data: DataModel | None = None,
    history: ChangeHistory | None = None,
) -> Clustering:
    """Group the graph's modules; every module ends in exactly one cluster or the kernel.

    Raises ConfigError for an unknown method."""
    method = method_named(options.method)
    weights = edge_weights(options.edge_weights)
    modules = [m.name for m in graph.modules]
    links = links_of(graph)
    code = code_graph(graph, weights)

    # 1. Set aside.
    kernel = find_kernel(modules, links, options.kernel_share)
    pinned_to = pinned_modules(modules, options.pins)
    # A pin to the kernel's own name is a pin into the kernel (as the report's pins export
    # writes it), not a domain service that happens to be called "shared".
    into_kernel = {m for m, service in pinned_to.items() if service == KERNEL_NAME}
    pinned_to = {m: service for m, service in pinned_to.items() if service != KERNEL_NAME}
    kernel = (kernel - set(pinned_to)) | into_kernel
    isolated = {m for m in modules if m not in kernel and m not in pinned_to and code.degree(m) == 0}
    entries = entry_points(modules, links, kernel | isolated | set(pinned_to))
    members = frozenset(m for m in modules if m not in kernel and m not in isolated and m not in entries)

    # 2-3. Signals, fused.
    given = SignalInput(graph, data, members, links, weights, history)
    fused = fuse(given, signal_weights(options.signal_weights))
    # A module whose every tie leads into the kernel is as loose as one without code edges:
    # no signal says which cluster it belongs to, so it is placed like one.
    tied = {node for pair, weight in fused.weights.items() if weight > 0 for node in pair}
    loose = {m for m in members if m not in tied and m not in pinned_to}
    isolated |= loose

    # 4-5. Communities, agreed.
    contracted = _contract_pins(fused, pinned_to)
    communities_graph = CommunityGraph(contracted)
    target = options.services
    resolution = options.resolution
    if resolution is None:
        resolution = choose_resolution(communities_graph, method, options.seed)
        if target is not None:
            resolution = _at_least(communities_graph, method, options.seed, resolution, target)
    agreed = consensus(communities_graph, method, resolution, options.seed)
    clusters = [c - loose for c in _expand(agreed.communities, pinned_to, contracted) if c - loose]
    method_label = f"{method.name} consensus of {agreed.runs} runs, resolution {resolution:g}"

    # 6. Placement.
    clusters = join_small(clusters, fused, set(pinned_to))
    place_entry_points(entries, clusters, code)
    spread = spread_hubs(links, clusters, kernel, set(pinned_to))
    if spread:
        kernel |= spread
        clusters = [c - spread for c in clusters if c - spread]
    wired: set[str] = set()
    while True:  # wiring found makes more visible: the URL routes that the settings name
        # After the first pass, single modules only: not the clusters they used.
        more = wiring(graph, clusters, kernel, set(pinned_to), whole_clusters=not wired)
        if not more:
            break
        wired |= more
        kernel |= more
        clusters = [c - more for c in clusters if c - more]
    found_late = spread | wired  # hubs by the clusters' light; folders, if they win, keep them
    clusters = join_small(clusters, fused, set(pinned_to))
    notes: list[str] = []
    given_names: dict[str, str] = {}
    if not (options.services or options.resolution or pinned_to):
        apps = app_packages(
            (m.name for m in graph.modules if m.name.leaf == "apps" and not m.is_package), graph.apps
        )
        folders = folders_if_they_fit(
            code, clusters, isolated | found_late, most=_most_folders(len(modules)), apps=apps
        )
        if folders is not None:
            clusters, given_names, method_label = folders
            isolated = set()
            kernel -= found_late
            cut = len(clusters)
            clusters, given_names, lone = place_lone_modules(clusters, given_names, links, kernel)
            clusters, given_names, technical = fold_technical_groups(clusters, given_names, apps)
            kernel |= lone | technical
            if len(clusters) < cut:
                method_label += f", {cut - len(clusters)} of them shared code or lone modules for the kernel"
            kernel -= home_hubs(links, clusters, kernel, given_names)
    if not pinned_to:  # pinned services are the user's to shape, slices included
        clusters = join_slices(clusters, code, given_names)
    if options.services is None and not pinned_to:
        clusters, blob_notes = split_blobs(
            clusters, graph, fused, method, options.seed, code, by_folders=bool(given_names)
        )
        notes.extend(blob_notes)
    if options.services is not None:
        wanted = max(1, options.services - (1 if kernel else 0))
        clusters = merge_to(split_to(clusters, fused, method, options.seed, wanted), code, wanted)
    clusters = keep_apart(clusters, code, modules, options.apart)
    placed = place_isolated(isolated, clusters)
    for module, (number, share) in vocabulary_homes(graph.modules, isolated - placed.keys(), clusters).items():
        clusters[number].add(module)
        placed[module] = share
    kernel |= isolated - placed.keys()
    ordered = sorted((tuple(sorted(c)) for c in clusters if c), key=lambda c: (-len(c), c))

    # 7. Naming and evidence.
    fixed = _pinned_names(ordered, pinned_to)
    for index, name in folder_names(ordered, given_names).items():
        fixed.setdefault(index, name)
    names = name_clusters(graph.modules, ordered, fixed, reserved=(KERNEL_NAME,))
    confidence = _confidence(ordered, kernel - placed.keys(), agreed.confidence, code, placed, given_names)
    evidence = placement_evidence(graph, fused, weights, ordered, sorted(kernel))
    return Clustering(
        clusters=tuple(ordered),
        kernel=tuple(sorted(kernel)),
        names=tuple(names),
        confidence=tuple(sorted(confidence.items())),
        resolution=resolution,
        method=method_label,
        evidence=evidence,
        notes=tuple(notes),
    )


def edge_weights(overrides: Iterable[tuple[str, float]] = ()) -> dict[str, float]:
    """Each code edge kind's weight: its default, then ``overrides``."""
    return {**DEFAULT_EDGE_WEIGHTS, **dict(overrides)}


def _at_least(graph: CommunityGraph, method: Method, seed: int, resolution: float, wanted: int) -> float:
    """A resolution giving at least ``wanted`` communities, from ``resolution`` up."""
    (first,) = derived_seeds(seed, 1, "services")
    for _ in range(12):
        labels = method.run(graph, resolution, first)
        found = len({labels[i] for i, n in enumerate(graph.nodes) if not n.startswith(PACKAGE_NODE)})
        if found >= wanted:
            return resolution
        resolution *= min(4.0, max(1.5, wanted / max(1, found)))
    return resolution


def _contract_pins(fused: FusedGraph, pinned_to: Mapping[ModuleName, str]) -> FusedGraph:
    """Each pinned service becomes one node, so the rest clusters around it."""
    if not pinned_to:
        return fused
    rename = {m: _PIN + s for m, s in pinned_to.items()}
    weights: dict[tuple[str, str], float] = {}
    for (a, b), w in fused.weights.items():
        a, b = rename.get(a, a), rename.get(b, b)
        if a == b:
            continue
        pair = (a, b) if a < b else (b, a)
        weights[pair] = weights.get(pair, 0.0) + w
    nodes = {rename.get(n, n) for n in fused.nodes} | {_PIN + s for s in pinned_to.values()}
    return FusedGraph(tuple(sorted(nodes)), weights, {})


def _expand(communities, pinned_to: Mapping[ModuleName, str], fused: FusedGraph) -> list[set[str]]:
    """Modules of each community, pin nodes replaced by their modules, package nodes dropped.
    Two pinned services never share a cluster: a community holding several is divided, each
    of its other nodes going with the pin it is most tied to (or staying apart when tied to none)."""
    members: dict[str, list[str]] = {}
    for module, service in pinned_to.items():
        members.setdefault(_PIN + service, []).append(module)
    ties: dict[str, dict[str, float]] = {}
    for (a, b), weight in fused.weights.items():
        if a.startswith(_PIN) != b.startswith(_PIN):
            pin, other = (a, b) if a.startswith(_PIN) else (b, a)
            ties.setdefault(other, {})[pin] = ties.get(other, {}).get(pin, 0.0) + weight
    clusters = []
    for community in communities:
        pins = sorted(n for n in community if n.startswith(_PIN))
        groups: dict[str, set[str]] = {pin: set() for pin in pins} if len(pins) > 1 else {"": set()}
        for node in sorted(community):
            if node.startswith(PACKAGE_NODE):
                continue
            home = ""
            if len(pins) > 1:
                if node.startswith(_PIN):
                    home = node
                else:
                    near = {p: w for p, w in ties.get(node, {}).items() if p in groups}
                    home = min(near, key=lambda p: (-near[p], p)) if near else ""
                    groups.setdefault(home, set())
            groups[home].update(members.get(node, [node]))
        clusters.extend(group for group in groups.values() if group)
    return clusters


def _pinned_names(clusters, pinned_to: Mapping[ModuleName, str]) -> dict[int, str]:
    names: dict[int, str] = {}
    for index, cluster in enumerate(clusters):
        services = Counter(pinned_to[m] for m in cluster if m in pinned_to)
        if services:
            names[index] = services.most_common(1)[0][0]
    return names


def _confidence(clusters, kernel, agreed: Mapping[str, float], code, placed, given_names) -> dict[str, float]:
    """From the consensus where it placed the module and the proposal is the clustering's;
    otherwise (folders won, or a module placed after clustering) the share of its code
    coupling that stays in its service; for a module placed by its package, the share of
    the package there; 1.0 for the kernel."""
    confidence = {m: 1.0 for m in kernel}
    confidence.update(placed)
    for cluster in clusters:
        members = set(cluster)
        for module in cluster:
            if module in placed:
                continue
            if module in agreed and not given_names:
                confidence[module] = agreed[module]
                continue
            total = inside = 0.0
            for other, data in code[module].items():
                total += data["weight"]
                if other in members:
                    inside += data["weight"]
            confidence[module] = round(inside / total, 3) if total else 1.0
    return confidence


def _most_folders(modules: int) -> int:
    """A cap on the folder cut's services, which stops where no split raises modularity
    anyway: four times the square root of the modules."""
    return max(2, round(4 * math.sqrt(modules)))
