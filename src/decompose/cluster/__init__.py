"""Cluster stage: modules grouped into candidate bounded contexts.

1. Edge weights combine the graph's signals: a call or an inheritance says more about
   belonging together than a bare import; type-only and lazy imports say less.
2. The shared kernel comes out first. A module is in it when at least ``kernel_share`` of
   all modules use it and everything it uses in the project is in the kernel too (the
   greatest such set): utilities, base classes, settings. Left in, such hubs pull every
   community together; taken out, they become the ``shared`` service. Entry points (used by
   none, using five or more: url routes, an ``__init__`` gathering its submodules) are set
   aside too, and placed after clustering: their edges join whatever they list.
3. Weak priors. The package tree: each module tied to its package with
   ``hierarchy_weight``, except inside packages laid out by technical layer (see
   ``_vocabulary.layer_packages``) and packages holding more than twice the square root of
   all modules directly (a folder of hundreds of files says nothing). The vocabulary of
   identifiers, off by default (``vocabulary_weight`` 0): modules whose names and
   definitions share rare words are tied with that weight times their cosine. On the
   quality bench it moved scores by less than Louvain's seed does (sample mean MoJoFM over
   six seeds 85.6 off, 86.8 at 0.5, 82.5 at 1), so it is there to try, not assumed.
   Strong code coupling wins over every prior.
4. Louvain community detection (networkx). The number of services K is ``services`` when
   given, else the square root of the number of modules (a rule that looks at no reference:
   9 services for 81 modules, 29 for Django's 853). The smallest resolution of a grid that
   gives at least K clusters is used, then the most coupled pair of clusters (relative to
   their sizes) is merged until K remain, the kernel counting as one.
5. Hubs seen once clusters exist join the kernel: modules (or whole clusters) used from
   half of the other clusters that use nothing outside the kernel, and composition roots
   (``_spread_hubs``, ``_wiring``).
6. Folders win when they fit: the package tree cut top down where splits raise modularity
   (``_folder_cut``); when that reaches half the clustering's modularity on the code graph,
   the folders are the proposal.
7. Confidence of a module: the share of its code coupling that stays inside its service
   (for a module placed by its package, the share of the package that is there).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import NamedTuple

from decompose.cluster._vocabulary import layer_packages, vocabulary_ties
from decompose.errors import ConfigError
from decompose.model import DefinitionKind, DependencyGraph, ModuleName

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
_ENTRY_FAN_OUT = 5
_CODE_KINDS = (DefinitionKind.FUNCTION, DefinitionKind.METHOD)
_PACKAGE = "\0pkg:"  # prefix of the package-tree nodes, never a module name


class _Links(NamedTuple):
    """Who uses each module and what each uses (project modules, any edge kind)."""

    users: Mapping[ModuleName, set[ModuleName]]
    uses: Mapping[ModuleName, set[ModuleName]]


@dataclass(frozen=True)
class ClusterOptions:
    algorithm: str = "louvain"  # or "leiden" (leidenalg: communities guaranteed connected)
    services: int | None = None  # how many services to propose; None: sqrt(modules)
    seed: int = 0
    resolution: float | None = None  # fixed Louvain resolution (no merging); None: from K
    kernel_share: float = 0.1  # share of modules that must use a module for the kernel
    hierarchy_weight: float = 2.0
    vocabulary_weight: float = 0.0  # weight of a tie between modules with one vocabulary (cosine 1); 0: off
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
    links = _links(graph)
    kernel = _kernel(modules, links, options.kernel_share)
    pinned_to = _pins(modules, options.pins)
    kernel -= set(pinned_to)
    # Modules with no code edges at all (an empty __init__, a stray script) say nothing
    # about where they belong; placed after clustering, they take no service of their own.
    isolated = {m for m in modules if m not in kernel and m not in pinned_to and weighted.degree(m) == 0}
    entries = _entry_points(modules, links, kernel | isolated | set(pinned_to))
    rest = [m for m in modules if m not in kernel and m not in isolated and m not in entries]
    work = weighted.subgraph(rest).copy()
    layers = layer_packages(modules)
    _add_vocabulary(work, graph, rest, options.vocabulary_weight)
    work = _with_hierarchy(work, rest, options.hierarchy_weight, skip=layers | _crowded_packages(modules))
    work = _contract_pins(work, pinned_to)

    runs: dict[tuple[float, int], list[set[str]]] = {}

    def run(resolution: float, seed: int) -> list[set[str]]:
        if (resolution, seed) not in runs:  # the search's last run is the one kept
            if options.algorithm == "leiden":
                runs[(resolution, seed)] = _leiden(work, resolution, seed)
            else:
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
    _place_entry_points(entries, clusters, weighted)
    spread = _spread_hubs(links, clusters, kernel, set(pinned_to))
    if spread:
        kernel |= spread
        clusters = [c - spread for c in clusters if c - spread]
    wiring = _wiring(graph, links, clusters, kernel, set(pinned_to))
    if wiring:
        kernel |= wiring
        clusters = [c - wiring for c in clusters]
        clusters = [c for c in clusters if c]
    found_late = spread | wiring  # hubs by the clusters' light; folders, if they win, keep them
    if options.resolution is None:
        clusters = _merge_to(clusters, weighted, wanted)
    method = f"louvain, resolution {resolution:g}"
    given_names: dict[str, str] = {}
    if not (options.services or options.resolution or pinned_to):
        folders = _folders_if_they_fit(weighted, clusters, isolated | found_late, most=2 * target)
        if folders is not None:
            clusters, given_names, method = folders
            isolated = set()
            kernel -= found_late
            kernel -= _home_hubs(links, clusters, kernel, given_names)
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
    """The package tree, cut where its folders follow the code's coupling, when that cut
    reaches ``_FOLDER_SHARE`` of the clustering's modularity: a tree whose folders already
    follow the coupling (Django's apps, a set of libraries) is the better proposal, and the
    one a team recognises. A tree laid out by technical layer (models/, views/) scores near
    zero and keeps the clustering."""
    members = set().union(*clusters, isolated) if clusters else set(isolated)
    edges = [
        (a, b, d["weight"]) for a, b, d in weighted.edges(members, data=True) if a in members and b in members
    ]
    if not edges:
        return None
    labels = {m: i for i, c in enumerate(clusters) for m in c}
    labels.update({m: f"isolated:{m}" for m in isolated})
    clustered = _modularity(edges, labels)
    groups = _folder_cut(members, edges, most)
    quality = _modularity(edges, {m: package for package, group in groups.items() for m in group})
    if quality <= 0 or quality < _FOLDER_SHARE * clustered:
        return None
    folders = [set(group) for _, group in sorted(groups.items())]
    names = {min(group): package for package, group in groups.items()}
    method = f"folders, {len(groups)} packages (modularity {quality:.2f}, clustering {clustered:.2f})"
    return folders, names, method


def _home_hubs(links: _Links, folders: list[set[str]], kernel: set[str], packages) -> set[str]:
    """Kernel modules used mostly from their own folder (at least half of their users there):
    the folder's hub, not shared code. Each joins its folder; returns them."""
    home = {}
    for index, folder in enumerate(folders):
        package = packages.get(min(folder)) if folder else None
        if package is not None:
            home[package] = index
    users = links.users
    index_of = {m: i for i, f in enumerate(folders) for m in f}
    returned = set()
    for module in sorted(kernel):
        owner = max((p for p in home if module == p or module.startswith(p + ".")), key=len, default=None)
        if owner is None or not users[module]:
            continue
        inside = sum(1 for u in users[module] if index_of.get(u) == home[owner])
        if inside * 2 >= len(users[module]):
            folders[home[owner]].add(module)
            returned.add(module)
    return returned


def _folder_cut(members: set[str], edges, most: int) -> dict[str, set[str]]:
    """Top down through the package tree: starting from the top-level packages, the package
    whose split into its subpackages (its own modules staying together) raises modularity
    most is split, until no split raises it or ``most`` groups are reached. One branch can
    so go deeper than another (``django.contrib``'s apps, but ``django.db`` whole)."""
    import heapq

    total = sum(w for _, _, w in edges)
    neighbours: dict[str, list[tuple[str, float]]] = defaultdict(list)
    degree: Counter = Counter()
    for a, b, w in edges:
        neighbours[a].append((b, w))
        neighbours[b].append((a, w))
        degree[a] += w
        degree[b] += w
    packages = {".".join(m.split(".")[:i]) for m in members for i in range(1, len(m.split(".")))}

    def share(group: set[str]) -> float:
        inside = sum(w for m in group for o, w in neighbours[m] if o in group) / 2
        return inside / total - (sum(degree[m] for m in group) / (2 * total)) ** 2

    def split(package: str, group: set[str]) -> dict[str, set[str]]:
        parts: dict[str, set[str]] = defaultdict(set)
        for module in group:
            if module == package:
                parts[package].add(module)
                continue
            child = package + "." + module[len(package) + 1 :].split(".")[0]
            parts[child if child in packages else package].add(module)
        return parts

    groups: dict[str, set[str]] = defaultdict(set)
    for module in members:
        groups[module.split(".")[0]].add(module)
    queue: list[tuple[float, str]] = []

    def consider(package: str) -> None:
        group = groups[package]
        parts = split(package, group)
        while len(parts) == 1 and package not in parts:  # one subpackage holds it all
            ((package, group),) = parts.items()
            parts = split(package, group)
        if len(parts) > 1:
            gain = sum(share(part) for part in parts.values()) - share(group)
            heapq.heappush(queue, (-gain, package, tuple(sorted(parts))))

    for package in sorted(groups):
        consider(package)
    while queue and len(groups) < most:
        gain, package, _ = heapq.heappop(queue)
        if -gain <= 1e-9:
            break
        # The group holding the package: the one of the longest name above it.
        owner = max((g for g in groups if g == package or package.startswith(g + ".")), key=len)
        parts = split(package, groups[owner])
        if len(groups) - 1 + len(parts) > most:
            break
        del groups[owner]
        groups.update(parts)
        for name in sorted(parts):
            if name != package:
                consider(name)
    return groups


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


def _links(graph: DependencyGraph) -> _Links:
    users: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        users[edge.target].add(edge.source)
        uses[edge.source].add(edge.target)
    return _Links(users, uses)


def _kernel(modules: Sequence[ModuleName], links: _Links, share: float) -> set[ModuleName]:
    users, uses = links
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


def _with_hierarchy(work, modules: Sequence[ModuleName], weight: float, skip: set[str]):
    """Each module tied to its package node, each package node to its parent's, except
    inside packages laid out by technical layer (``skip``)."""
    if weight <= 0:
        return work
    for module in modules:
        parts = module.split(".")
        child = module
        for depth in range(len(parts) - 1, 0, -1):
            package = ".".join(parts[:depth])
            parent = _PACKAGE + package
            if package in skip:
                break
            if not work.has_edge(parent, child):
                work.add_edge(parent, child, weight=weight)
            child = parent
    return work


def _crowded_packages(modules: Sequence[ModuleName]) -> set[str]:
    """Packages holding more modules directly than a service should (twice the square root
    of all modules): one folder of hundreds of files says nothing about which belong together."""
    children: Counter = Counter(m.rpartition(".")[0] for m in modules if "." in m)
    most = 2 * math.sqrt(len(modules))
    return {package for package, count in children.items() if count > most}


def _add_vocabulary(work, graph: DependencyGraph, members: Sequence[ModuleName], weight: float) -> None:
    if weight <= 0:
        return
    for a, b, similarity in vocabulary_ties(graph.modules, members):
        tie = weight * similarity
        if work.has_edge(a, b):
            work.edges[a, b]["weight"] += tie
        else:
            work.add_edge(a, b, weight=tie)


def _entry_points(
    modules: Sequence[ModuleName], links: _Links, set_aside: set[ModuleName]
) -> set[ModuleName]:
    """Modules no other module uses that use many (url routes, a package ``__init__`` that
    gathers its submodules, a command): their edges join whatever they list, so they are
    clustered afterwards, with what they use most."""
    users, uses = links
    return {
        m
        for m in modules
        if m not in set_aside and not (users[m] - set_aside) and len(uses[m] - set_aside) >= _ENTRY_FAN_OUT
    }


def _place_entry_points(entries: set[ModuleName], clusters: list[set[str]], weighted) -> None:
    """Each entry point joins the cluster it is most coupled to; ``_wiring`` then moves those
    that wire three clusters or more to the kernel."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    for module in sorted(entries):
        ties: Counter = Counter()
        for other, data in weighted[module].items():
            if other in index and other != module:
                ties[index[other]] += data["weight"]
        if ties:
            best = min(ties, key=lambda i: (-ties[i], i))
            clusters[best].add(module)
        else:
            best = len(clusters)
            clusters.append({module})
        index[module] = best


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


def _spread_hubs(links: _Links, clusters, kernel: set[str], pinned: set[str]) -> set[str]:
    """Hubs seen once the clusters are known: a module (or a whole cluster) used from at
    least half of the other clusters (and three) that uses nothing outside the kernel (and
    itself) is shared code wherever its file sits (a base model, an event bus, settings with
    the task app), however few modules use it."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    users, uses = links
    least = max(3, (len(clusters) - 1) / 2)
    shared: set[str] = set()
    changed = True
    while changed:
        changed = False
        for module in sorted(index):
            if module in shared or module in pinned:
                continue
            reached_from = {index[u] for u in users[module] if u in index and u not in shared} - {
                index[module]
            }
            if len(reached_from) >= least and uses[module] <= kernel | shared:
                shared.add(module)
                changed = True
        for number, cluster in enumerate(clusters):
            members = cluster - shared
            if not members:
                continue
            reached_from = {index[u] for m in members for u in users[m] if u in index and u not in shared}
            used = set().union(*(uses[m] for m in members))
            if len(reached_from - {number}) >= least and used <= kernel | shared | members:
                shared |= members
                changed = True
    return shared


def _wiring(graph: DependencyGraph, links: _Links, clusters, kernel: set[str], pinned: set[str]) -> set[str]:
    """Composition roots, which belong to no domain and go with the kernel: nothing outside
    the kernel uses them, and they use three or more clusters (url routes, app registries,
    task wiring); likewise a whole cluster of them (settings naming the apps, the task app
    naming the task modules). A configuration module alone stays where it is: Django's
    packages own their settings."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    users = links.users
    reaches: dict[str, set[int]] = defaultdict(set)
    names: dict[str, set[int]] = defaultdict(set)  # reached by a dotted path in a string
    coded: dict[str, set[int]] = defaultdict(set)  # reached by code
    for edge in graph.edges:
        if edge.target in index:
            reaches[edge.source].add(index[edge.target])
            if edge.kind.value == "string":
                names[edge.source].add(index[edge.target])
            else:
                coded[edge.source].add(index[edge.target])
    wiring = set()
    for module in graph.modules:
        name = module.name
        if name in kernel or name in pinned or name not in index:
            continue
        if not (users[name] - kernel) and len(reaches[name] - {index[name]}) >= 3:
            wiring.add(name)
    # A cluster of configuration, used by no other: settings naming the apps, the task app
    # naming the task modules, the URL routes, wsgi and manage. It reaches the others by
    # dotted paths in strings alone, or it declares rather than computes (a function or
    # method a module at most, where a library used by none, httpx beside its transports,
    # has dozens).
    declared = {m.name: sum(1 for d in m.definitions if d.kind in _CODE_KINDS) for m in graph.modules}
    for number, cluster in enumerate(clusters):
        if cluster & pinned:
            continue
        used_from = set().union(*(users[m] for m in cluster)) - kernel - cluster
        reached = set().union(*(names[m] for m in cluster)) - {number}
        by_code = set().union(*(coded[m] for m in cluster)) - {number}
        if used_from:
            continue
        if len(reached) >= 3 and not by_code:
            wiring |= cluster
        elif len(reached | by_code) >= 3 and sum(declared.get(m, 0) for m in cluster) <= len(cluster):
            wiring |= cluster
    return wiring


# ------------------------------------------------------------------------------ choosing


def _leiden(work, resolution: float, seed: int) -> list[set[str]]:
    """Leiden (Traag, Waltman and van Eck 2019) on the same modularity with resolution:
    unlike Louvain, its communities are always connected."""
    try:
        import igraph
        import leidenalg
    except ImportError as error:
        raise ConfigError(
            'method "leiden" needs the leidenalg package: pip install "decompose[leiden]"'
        ) from error

    nodes = sorted(work.nodes)
    position = {n: i for i, n in enumerate(nodes)}
    edges = sorted(
        (min(position[a], position[b]), max(position[a], position[b]), d["weight"])
        for a, b, d in work.edges(data=True)
    )
    graph = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights=[w for _, _, w in edges],
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=-1,
    )
    return [{nodes[i] for i in community} for community in partition]


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
            i, j = sorted(
                sorted(range(len(clusters)), key=lambda k: (len(clusters[k]), min(clusters[k])))[:2]
            )
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
            mover = (
                clash_right
                if _ties(clash_right, cluster, weighted) <= _ties(clash_left, cluster, weighted)
                else clash_left
            )
            cluster -= mover
            others = [
                c
                for c in clusters
                if c is not cluster and not (c & (lefts if mover is clash_right else rights))
            ]
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
