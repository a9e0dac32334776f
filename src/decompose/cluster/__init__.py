"""Cluster stage: modules grouped into candidate bounded contexts.

1. Edge weights combine the graph's signals: a call or an inheritance says more about
   belonging together than a bare import; type-only and lazy imports say less.
2. The shared kernel comes out first. A module is in it when at least ``kernel_share`` of
   all modules use it and everything it uses in the project is in the kernel too (the
   greatest such set): utilities, base classes, settings. Left in, such hubs pull every
   community together; taken out, they become the ``shared`` service.
3. The package tree is a weak prior: each module is tied to its package with
   ``hierarchy_weight``, so a module with few code edges stays near its siblings, while
   strong code coupling still wins over folders (a monolith laid out by technical layer).
4. Louvain community detection (networkx). The number of services K is ``services`` when
   given, else the square root of the number of modules (a rule that looks at no reference:
   9 services for 81 modules, 29 for Django's 853). The smallest resolution of a grid that
   gives at least K clusters is used, then the most coupled pair of clusters (relative to
   their sizes) is merged until K remain, the kernel counting as one.
5. Folders win when they fit: if the package tree, cut at its best depth, reaches half the
   modularity of the clustering on the code graph, the folders are the proposal (see
   ``_folders_if_they_fit``).
6. Confidence of a module: the share of its code coupling that stays inside its service
   (for a module placed by its package, the share of the package that is there).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from decompose.model import DependencyGraph, ModuleName

__all__ = ["ClusterOptions", "Clustering", "cluster_modules", "DEFAULT_EDGE_WEIGHTS"]

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
}
_FIRST_RESOLUTION = 1.0
_FOLDER_SHARE = 0.5
_PACKAGE = "\0pkg:"  # prefix of the package-tree nodes, never a module name


@dataclass(frozen=True)
class ClusterOptions:
    services: int | None = None  # how many services to propose; None: sqrt(modules)
    seed: int = 0
    resolution: float | None = None  # fixed Louvain resolution (no merging); None: from K
    kernel_share: float = 0.1  # share of modules that must use a module for the kernel
    hierarchy_weight: float = 2.0
    edge_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_EDGE_WEIGHTS))
    pins: tuple[tuple[str, str], ...] = ()  # (module glob, service name)
    apart: tuple[tuple[str, str], ...] = ()  # (module glob, module glob) never in one service


@dataclass(frozen=True)
class Clustering:
    clusters: tuple[tuple[ModuleName, ...], ...]  # domain clusters, each sorted, largest first
    kernel: tuple[ModuleName, ...]  # the shared kernel, sorted
    pinned: tuple[tuple[int, str], ...]  # (cluster index, service name) named by a pin or folder
    confidence: tuple[tuple[ModuleName, float], ...]  # per module, sorted by module
    resolution: float
    method: str = "louvain"  # how the clusters were found, for the report


def cluster_modules(graph: DependencyGraph, options: ClusterOptions) -> Clustering:
    """Group the graph's modules; every module ends in exactly one cluster or the kernel."""
    import networkx as nx

    modules = [m.name for m in graph.modules]
    weighted = _weighted_graph(graph, options.edge_weights)
    kernel = _kernel(modules, graph, options.kernel_share)
    pinned_to = _pins(modules, options.pins)
    kernel -= set(pinned_to)
    # Modules with no code edges at all (an empty __init__, a stray script) say nothing
    # about where they belong; placed after clustering, they take no service of their own.
    isolated = {m for m in modules if m not in kernel and m not in pinned_to and weighted.degree(m) == 0}
    rest = [m for m in modules if m not in kernel and m not in isolated]
    work = _with_hierarchy(weighted.subgraph(rest).copy(), rest, options.hierarchy_weight)
    work = _contract_pins(work, pinned_to)

    runs: dict[tuple[float, int], list[set[str]]] = {}

    def run(resolution: float, seed: int) -> list[set[str]]:
        if (resolution, seed) not in runs:  # the search's last run is the one kept
            runs[(resolution, seed)] = nx.community.louvain_communities(
                work, weight="weight", resolution=resolution, seed=seed
            )
        return runs[(resolution, seed)]

    target = options.services or max(1, round(math.sqrt(len(modules))))
    wanted = max(1, target - (1 if kernel else 0))
    if options.resolution is not None:
        resolution = options.resolution
    else:
        resolution = _resolution_for(run, options.seed, wanted)
    communities = run(resolution, options.seed)
    clusters = _expand(communities, pinned_to)
    wiring = _wiring(graph, clusters, kernel, set(pinned_to))
    if wiring:
        kernel |= wiring
        clusters = [c - wiring for c in clusters]
        clusters = [c for c in clusters if c]
    if options.resolution is None:
        clusters = _merge_to(clusters, weighted, wanted)
    method = f"louvain, resolution {resolution:g}"
    given_names: dict[str, str] = {}
    if not (options.services or options.resolution or pinned_to):
        folders = _folders_if_they_fit(weighted, clusters, isolated, most=2 * target)
        if folders is not None:
            clusters, given_names, method = folders
            isolated = set()
    clusters = _keep_apart(clusters, weighted, modules, options.apart)
    placed = _place_isolated(isolated, clusters)
    kernel |= isolated - placed.keys()
    clusters = sorted((tuple(sorted(c)) for c in clusters if c), key=lambda c: (-len(c), c))
    names = _pinned_names(clusters, pinned_to)
    names.update(_folder_names(clusters, given_names))
    confidence = _confidence(clusters, kernel - placed.keys(), weighted, placed)
    return Clustering(
        clusters=tuple(clusters),
        kernel=tuple(sorted(kernel)),
        pinned=tuple(sorted(names.items())),
        confidence=tuple(sorted(confidence.items())),
        resolution=resolution,
        method=method,
    )


def _folders_if_they_fit(weighted, clusters, isolated, most: int):
    """The package tree, cut at the depth whose modularity on the code graph is highest
    (among the cuts giving at most ``most`` services, twice the target), when it reaches ``_FOLDER_SHARE`` of the clustering's own: a tree whose
    folders already follow the code's coupling (Django's apps, a set of libraries) is the
    better proposal, and the one a team recognises. A tree laid out by technical layer
    (models/, views/) scores near zero and keeps the clustering."""
    members = set().union(*clusters, isolated) if clusters else set(isolated)
    edges = [(a, b, d["weight"]) for a, b, d in weighted.edges(members, data=True) if a in members and b in members]
    if not edges:
        return None
    labels = {m: i for i, c in enumerate(clusters) for m in c}
    labels.update({m: f"isolated:{m}" for m in isolated})
    clustered = _modularity(edges, labels)
    best = None
    for depth in range(1, 1 + max(len(m.split(".")) for m in members)):
        groups: dict[str, set[str]] = defaultdict(set)
        for module in members:
            groups[".".join(module.split(".")[:depth])].add(module)
        if len(groups) > most and best is not None:
            break  # deeper cuts only give more services than anyone could staff
        quality = _modularity(edges, {m: package for package, group in groups.items() for m in group})
        if best is None or quality > best[0] + 1e-9:
            best = (quality, depth, groups)
    quality, depth, groups = best
    if quality <= 0 or quality < _FOLDER_SHARE * clustered:
        return None
    folders = [set(members) for _, members in sorted(groups.items())]
    names = {min(members): package for package, members in groups.items()}
    method = f"folders at depth {depth} (modularity {quality:.2f}, clustering {clustered:.2f})"
    return folders, names, method


def _modularity(edges: Sequence[tuple[str, str, float]], labels: Mapping[str, object]) -> float:
    """Newman's modularity of a labelling of an undirected weighted graph, in one pass
    (networkx's walks subgraph views, and took seconds on a large tree)."""
    total = sum(w for _, _, w in edges)
    if total == 0:
        return 0.0
    inside: Counter = Counter()
    degree: Counter = Counter()
    for a, b, w in edges:
        degree[labels[a]] += w
        degree[labels[b]] += w
        if labels[a] == labels[b]:
            inside[labels[a]] += w
    return sum(inside[c] / total - (degree[c] / (2 * total)) ** 2 for c in degree)


def _folder_names(clusters, given_names: Mapping[str, str]) -> dict[int, str]:
    """Short names for folder services: the package's last part, or more where that clashes."""
    if not given_names:
        return {}
    packages = {}
    for index, cluster in enumerate(clusters):
        package = given_names.get(min(cluster))
        if package is not None:
            packages[index] = package
    names = {}
    for index, package in packages.items():
        parts = package.split(".")
        for take in range(1, len(parts) + 1):
            name = ".".join(parts[-take:])
            clash = [p for i, p in packages.items() if i != index and ".".join(p.split(".")[-take:]) == name]
            if not clash:
                break
        names[index] = name
    return names


# ------------------------------------------------------------------------------ building


def _weighted_graph(graph: DependencyGraph, weights: Mapping[str, float]):
    """Undirected module graph; an edge of n uses weighs ``w(kind) * (1 + ln n)``, so that a
    hundred calls count more than one, but not a hundred times more."""
    import networkx as nx

    result = nx.Graph()
    result.add_nodes_from(m.name for m in graph.modules)
    for edge in graph.edges:
        weight = weights.get(edge.kind.value, 0.0) * (1 + math.log(edge.weight))
        if weight <= 0:
            continue
        if result.has_edge(edge.source, edge.target):
            result.edges[edge.source, edge.target]["weight"] += weight
        else:
            result.add_edge(edge.source, edge.target, weight=weight)
    return result


def _kernel(modules: Sequence[ModuleName], graph: DependencyGraph, share: float) -> set[ModuleName]:
    users: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        users[edge.target].add(edge.source)
        uses[edge.source].add(edge.target)
    threshold = max(3, share * len(modules))
    kernel = {m for m in modules if len(users[m]) >= threshold}
    changed = True
    while changed:  # the greatest set whose members use only members
        changed = False
        for module in sorted(kernel):
            if not uses[module] <= kernel:
                kernel.discard(module)
                changed = True
    return kernel


def _with_hierarchy(work, modules: Sequence[ModuleName], weight: float):
    if weight <= 0:
        return work
    for module in modules:
        parts = module.split(".")
        child = module
        for depth in range(len(parts) - 1, 0, -1):
            parent = _PACKAGE + ".".join(parts[:depth])
            if not work.has_edge(parent, child):
                work.add_edge(parent, child, weight=weight)
            child = parent
    return work


def _pins(modules: Sequence[ModuleName], pins: Sequence[tuple[str, str]]) -> dict[ModuleName, str]:
    pinned: dict[ModuleName, str] = {}
    for module in modules:
        for pattern, service in pins:
            if fnmatchcase(module, pattern):
                pinned[module] = service
                break
    return pinned


def _contract_pins(work, pinned_to: Mapping[ModuleName, str]):
    """Each pinned service becomes one node, so the rest clusters around it."""
    import networkx as nx

    if not pinned_to:
        return work
    mapping = {module: f"\0pin:{service}" for module, service in pinned_to.items() if module in work}
    contracted = nx.Graph()
    contracted.add_nodes_from(mapping.get(n, n) for n in work.nodes)
    for a, b, data in work.edges(data=True):
        a, b = mapping.get(a, a), mapping.get(b, b)
        if a == b:
            continue
        if contracted.has_edge(a, b):
            contracted.edges[a, b]["weight"] += data["weight"]
        else:
            contracted.add_edge(a, b, weight=data["weight"])
    return contracted


def _expand(communities, pinned_to: Mapping[ModuleName, str]) -> list[set[str]]:
    """Modules of each community, pin nodes replaced by their modules, tree nodes dropped."""
    members: dict[str, list[str]] = defaultdict(list)
    for module, service in pinned_to.items():
        members[f"\0pin:{service}"].append(module)
    clusters = []
    for community in communities:
        cluster: set[str] = set()
        for node in community:
            if node.startswith(_PACKAGE):
                continue
            cluster.update(members.get(node, [node]))
        if cluster:
            clusters.append(cluster)
    return clusters


def _place_isolated(isolated: set[str], clusters: list[set[str]]) -> dict[str, float]:
    """Each isolated module joins the cluster holding most of its package's modules (its
    children for a package, else its siblings) when that is at least half of them; the
    rest go to the kernel. Returns module -> the share that placed it."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    placed: dict[str, float] = {}
    for module in sorted(isolated):
        prefix = module + "."
        family = [m for m in index if m.startswith(prefix)]
        if not family:
            parent = module.rpartition(".")[0]
            family = [m for m in index if parent and m.rpartition(".")[0] == parent]
        counts = Counter(index[m] for m in family)
        if not counts:
            continue
        cluster, count = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if count * 2 >= len(family):
            clusters[cluster].add(module)
            placed[module] = round(count / len(family), 3)
    return placed


def _wiring(graph: DependencyGraph, clusters, kernel: set[str], pinned: set[str]) -> set[str]:
    """Composition roots, which belong to no domain and go with the kernel: nothing outside
    the kernel uses them, and they use three or more clusters (url routes, app registries,
    task wiring). (Putting configuration modules without code there too scored better on
    the sample and worse on Django, whose packages own their settings.)"""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    users: dict[str, set[str]] = defaultdict(set)
    reaches: dict[str, set[int]] = defaultdict(set)
    for edge in graph.edges:
        users[edge.target].add(edge.source)
        if edge.target in index:
            reaches[edge.source].add(index[edge.target])
    wiring = set()
    for module in graph.modules:
        name = module.name
        if name in kernel or name in pinned or name not in index:
            continue
        if not (users[name] - kernel) and len(reaches[name] - {index[name]}) >= 3:
            wiring.add(name)
    return wiring


# ------------------------------------------------------------------------------ choosing


def _resolution_for(run, seed: int, wanted: int) -> float:
    """A resolution giving at least ``wanted`` clusters: from 1, scaled by how far the count
    falls short (the count grows about in proportion), then by 1.5 until it is reached."""
    resolution = _FIRST_RESOLUTION
    for _ in range(12):
        found = len([c for c in run(resolution, seed) if any(not n.startswith(_PACKAGE) for n in c)])
        if found >= wanted:
            return resolution
        resolution *= min(4.0, max(1.5, wanted / max(1, found)))
    return resolution


def _merge_to(clusters: list[set[str]], weighted, wanted: int) -> list[set[str]]:
    """Merge the pair with the strongest coupling (relative to their sizes) until ``wanted``."""
    clusters = [set(c) for c in clusters]
    while len(clusters) > wanted:
        index = {m: i for i, c in enumerate(clusters) for m in c}
        between: Counter = Counter()
        for a, b, data in weighted.edges(data=True):
            i, j = index.get(a), index.get(b)
            if i is not None and j is not None and i != j:
                between[(min(i, j), max(i, j))] += data["weight"]
        if between:
            (i, j), _ = max(
                between.items(),
                key=lambda kv: (kv[1] / math.sqrt(len(clusters[kv[0][0]]) * len(clusters[kv[0][1]])), kv[0]),
            )
        else:  # no coupling left: merge the two smallest
            i, j = sorted(sorted(range(len(clusters)), key=lambda k: (len(clusters[k]), min(clusters[k])))[:2])
        clusters[i] |= clusters.pop(j)
    return clusters


def _keep_apart(clusters, weighted, modules, apart) -> list[set[str]]:
    """Where two modules that must stay apart share a cluster, the one less tied to the
    others moves to its next most coupled cluster, or to one of its own."""
    for left_glob, right_glob in apart:
        lefts = {m for m in modules if fnmatchcase(m, left_glob)}
        rights = {m for m in modules if fnmatchcase(m, right_glob)}
        for cluster in list(clusters):
            clash_left, clash_right = cluster & lefts, cluster & rights
            if not clash_left or not clash_right:
                continue
            mover = clash_right if _ties(clash_right, cluster, weighted) <= _ties(clash_left, cluster, weighted) else clash_left
            cluster -= mover
            others = [c for c in clusters if c is not cluster and not (c & (lefts if mover is clash_right else rights))]
            target = max(others, key=lambda c: (_ties(mover, c, weighted), -len(c)), default=None)
            if target is not None and _ties(mover, target, weighted) > 0:
                target |= mover
            else:
                clusters.append(set(mover))
    return clusters


def _ties(group: set[str], cluster: set[str], weighted) -> float:
    return sum(
        data["weight"]
        for module in group
        if module in weighted
        for other, data in weighted[module].items()
        if other in cluster and other not in group
    )


def _pinned_names(clusters: Sequence[tuple[str, ...]], pinned_to: Mapping[ModuleName, str]) -> dict[int, str]:
    names: dict[int, str] = {}
    for index, cluster in enumerate(clusters):
        services = Counter(pinned_to[m] for m in cluster if m in pinned_to)
        if services:
            names[index] = services.most_common(1)[0][0]
    return names


def _confidence(clusters, kernel: set[str], weighted, placed: Mapping[str, float]) -> dict[str, float]:
    """How firmly each module belongs where it is: the share of its code coupling (edge
    weight) that stays inside its cluster; for a module placed by its package, the share
    of the package that is there; 1.0 for the kernel."""
    confidence = {m: 1.0 for m in kernel}
    confidence.update(placed)
    for cluster in clusters:
        members = set(cluster)
        for module in cluster:
            if module in placed:
                continue
            total = inside = 0.0
            for other, data in weighted[module].items():
                total += data["weight"]
                if other in members:
                    inside += data["weight"]
            confidence[module] = round(inside / total, 3) if total else 1.0
    return confidence
