"""Kernel and placement: the steps around the communities that make a proposal an architect
would draw.

Before the communities: the shared kernel (``kernel``: modules a ``share`` of all use, and
that use only the kernel), entry points (``entry_points``: used by none, using five or more:
url routes, an ``__init__`` gathering its submodules) set aside to be placed afterwards with
what they use most, and pinned modules. After: hubs seen once clusters exist join the
kernel (``spread_hubs``), composition roots too (``wiring``), modules without edges follow
their package (``place_isolated``), pairs that must stay apart are parted (``keep_apart``),
and with a number of services asked for, the most coupled clusters merge (``merge_to``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from fnmatch import fnmatchcase

from decompose.cluster._links import Links
from decompose.model import DefinitionKind, DependencyGraph, ModuleName

__all__ = [
    "find_kernel",
    "entry_points",
    "place_entry_points",
    "pinned_modules",
    "place_isolated",
    "spread_hubs",
    "wiring",
    "merge_to",
    "coupling_between",
    "keep_apart",
    "home_hubs",
]

_ENTRY_FAN_OUT = 5
_CODE_KINDS = (DefinitionKind.FUNCTION, DefinitionKind.METHOD)


def find_kernel(modules: Sequence[ModuleName], links: Links, share: float) -> set[ModuleName]:
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


def entry_points(modules: Sequence[ModuleName], links: Links, set_aside: set[ModuleName]) -> set[ModuleName]:
    """Modules no other module uses that use many (url routes, a package ``__init__`` that
    gathers its submodules, a command): their edges join whatever they list, so they are
    clustered afterwards, with what they use most."""
    users, uses = links
    return {
        m
        for m in modules
        if m not in set_aside and not (users[m] - set_aside) and len(uses[m] - set_aside) >= _ENTRY_FAN_OUT
    }


def place_entry_points(entries: set[ModuleName], clusters: list[set[str]], weighted) -> None:
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


def pinned_modules(modules: Sequence[ModuleName], pins: Sequence[tuple[str, str]]) -> dict[ModuleName, str]:
    pinned: dict[ModuleName, str] = {}
    for module in modules:
        for pattern, service in pins:
            if fnmatchcase(module, pattern):
                pinned[module] = service
                break
    return pinned


def place_isolated(isolated: set[str], clusters: list[set[str]]) -> dict[str, float]:
    """Each isolated module joins the cluster holding most of its package's modules (its
    children for a package, else its siblings) when that is at least half of them; the
    rest go to the kernel. Returns module -> the share that placed it."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    placed: dict[str, float] = {}
    for module in sorted(isolated):
        family = [m for m in index if ModuleName(m).is_below(module)]
        if not family:
            parent = ModuleName(module).parent
            family = [m for m in index if parent and ModuleName(m).parent == parent]
        counts = Counter(index[m] for m in family)
        if not counts:
            continue
        cluster, count = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if count * 2 >= len(family):
            clusters[cluster].add(module)
            placed[module] = round(count / len(family), 3)
    return placed


def spread_hubs(links: Links, clusters, kernel: set[str], pinned: set[str]) -> set[str]:
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
            members = cluster - shared - pinned  # a pinned module stays in its service
            if not members:
                continue
            reached_from = {index[u] for m in members for u in users[m] if u in index and u not in shared}
            used = set().union(*(uses[m] for m in members))
            if len(reached_from - {number}) >= least and used <= kernel | shared | members:
                shared |= members
                changed = True
    return shared


# Edges that name their target by a dotted path in a string: plain ones, and the framework
# wiring that took such strings over (a route's include("app.urls"), a beat schedule's task).
_NAMING_KINDS = frozenset({"string", "url", "task"})
_CONFIGURATION_KIND = "setting"
# A module that puts this share of its uses into one cluster belongs to that cluster, however
# many others it touches. On the quality bench's obfuscated Django corpora it keeps views and
# admin hooks out of the kernel: MoJoFM 55.0 -> 55.8 on average, ARI 0.140 -> 0.148.
_DOMINANT_SHARE = 0.5


def wiring(
    graph: DependencyGraph,
    clusters,
    kernel: set[str],
    pinned: set[str],
    whole_clusters: bool = True,
) -> set[str]:
    """Composition roots, which belong to no domain and go with the kernel: nothing outside
    the kernel uses them, and they use three or more clusters with none holding half of
    their uses (url routes, app registries, task wiring; an app's hooks or views, which
    mostly use their own domain, stay with it); likewise a whole cluster of them (settings
    naming the apps, the task app naming the task modules). A configuration module alone stays where it is: Django's
    packages own their settings."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    # Reading a setting does not make its module part of a domain: settings stay the
    # composition root however many modules read them.
    users: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[int]] = defaultdict(set)  # reached by a dotted path in a string
    coded: dict[str, set[int]] = defaultdict(set)  # reached by code
    uses: dict[str, Counter] = defaultdict(Counter)  # module -> cluster -> uses of it
    for edge in graph.edges:
        if edge.kind.value != _CONFIGURATION_KIND:
            users[edge.target].add(edge.source)
        if edge.target in index:
            uses[edge.source][index[edge.target]] += edge.weight
            if edge.kind.value in _NAMING_KINDS:
                names[edge.source].add(index[edge.target])
            else:
                coded[edge.source].add(index[edge.target])
    wiring = set()
    for module in graph.modules:
        name = module.name
        if name in kernel or name in pinned or name not in index:
            continue
        spread = uses[name]
        if not (users[name] - kernel) and len(spread.keys() - {index[name]}) >= 3:
            if max(spread.values()) < _DOMINANT_SHARE * sum(spread.values()):
                wiring.add(name)
    # A cluster of configuration, used by no other: settings naming the apps, the task app
    # naming the task modules, the URL routes, wsgi and manage. It reaches the others by
    # dotted paths in strings alone, or it declares rather than computes (a function or
    # method a module at most, where a library used by none, httpx beside its transports,
    # has dozens).
    declared = {m.name: sum(1 for d in m.definitions if d.kind in _CODE_KINDS) for m in graph.modules}
    single = set(wiring)
    for number, whole in enumerate(clusters if whole_clusters else ()):
        cluster = whole - single  # the routes found above do not make their cluster wiring
        if not cluster or cluster & pinned:
            continue
        used_from = set().union(*(users[m] for m in cluster)) - kernel - cluster - single
        reached = set().union(*(names[m] for m in cluster)) - {number}
        by_code = set().union(*(coded[m] for m in cluster)) - {number}
        if used_from:
            continue
        if len(reached) >= 3 and not by_code:
            wiring |= cluster
        elif len(reached | by_code) >= 3 and sum(declared.get(m, 0) for m in cluster) <= len(cluster):
            wiring |= cluster
    return wiring


def merge_to(clusters: list[set[str]], weighted, wanted: int) -> list[set[str]]:
    """Merge the pair with the strongest coupling (relative to their sizes) until ``wanted``."""
    clusters = [set(c) for c in clusters]
    while len(clusters) > wanted:
        between = coupling_between(clusters, weighted)
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


def coupling_between(clusters: Sequence[set[str]], weighted) -> Counter:
    """(i, j), i < j -> the code coupling between clusters i and j."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    weights: Counter = Counter()
    for a, b, data in weighted.edges(data=True):
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None and i != j:
            weights[(min(i, j), max(i, j))] += data["weight"]
    return weights


def keep_apart(clusters, weighted, modules, apart) -> list[set[str]]:
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
                if ties(clash_right, cluster, weighted) <= ties(clash_left, cluster, weighted)
                else clash_left
            )
            cluster -= mover
            others = [
                c
                for c in clusters
                if c is not cluster and not (c & (lefts if mover is clash_right else rights))
            ]
            target = max(others, key=lambda c: (ties(mover, c, weighted), -len(c)), default=None)
            if target is not None and ties(mover, target, weighted) > 0:
                target |= mover
            else:
                clusters.append(set(mover))
    return clusters


def ties(group: set[str], cluster: set[str], weighted) -> float:
    """The code weight between ``group`` and the rest of ``cluster`` (added in the modules'
    order: a set's follows the string hashes, and would move the sum's last bits)."""
    return sum(
        data["weight"]
        for module in sorted(group)
        if module in weighted
        for other, data in weighted[module].items()
        if other in cluster and other not in group
    )


def home_hubs(links: Links, folders: list[set[str]], kernel: set[str], packages) -> set[str]:
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
        owner = max((p for p in home if ModuleName(module).is_within(p)), key=len, default=None)
        if owner is None or not users[module]:
            continue
        inside = sum(1 for u in users[module] if index_of.get(u) == home[owner])
        if inside * 2 >= len(users[module]):
            folders[home[owner]].add(module)
            returned.add(module)
    return returned
