"""Folders when they fit: the package tree cut where its folders follow the code's coupling.

A tree whose folders already follow the coupling (Django's apps, a set of libraries) gives
the better proposal, and the one a team recognises; a tree laid out by technical layer
(``models/``, ``views/``) scores low, or is recognised by its folder names, and keeps the
clustering.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from decompose.cluster._communities import edge_modularity
from decompose.model import ModuleName

__all__ = [
    "folders_if_they_fit",
    "folder_cut",
    "edge_modularity",
    "folder_names",
    "place_lone_modules",
    "fold_technical_groups",
    "app_packages",
    "is_layered",
    "with_technical_folded",
    "FOLDER_SHARE",
    "LAYER_FOLDERS",
    "LAYERED_SHARE",
    "TECHNICAL_FOLDERS",
]

FOLDER_SHARE = 0.5
# Subpackages that hold one technical part of their parent (its types, its tasks, its
# commands), never a domain of their own: the folder cut keeps them with the parent.
TECHNICAL_FOLDERS = frozenset(
    "commands constants decorators enums exceptions fields filters helpers management "
    "middleware migrations mixins tasks templatetags types utils validators widgets".split()
)
# Folder names that say which layer, not which domain.
LAYER_FOLDERS = TECHNICAL_FOLDERS | frozenset(
    "admin api apis apps base common core forms graphql models rest serializers services "
    "settings signals static templates tests urls views viewsets".split()
)
# A folder cut with this share of its modules in layer folders is a tree laid out by
# technical layer (models/, views/, api/): its folders are no domains, whatever their
# modularity. Django's own tree, organised by concern, has 0.2; pretix's, 0.54.
LAYERED_SHARE = 0.75


def folders_if_they_fit(weighted, clusters, isolated, most: int, apps: frozenset[str] = frozenset()):
    """The package tree, cut where its folders follow the code's coupling, when that cut
    reaches ``FOLDER_SHARE`` of the clustering's modularity: a tree whose folders already
    follow the coupling (Django's apps, a set of libraries) is the better proposal, and the
    one a team recognises. A tree laid out by technical layer (models/, views/) scores near
    zero and keeps the clustering."""
    members = set().union(*clusters, isolated) if clusters else set(isolated)
    edges = [  # sorted nodes: networkx walks them in the order given, a set's is the hashes'
        (a, b, d["weight"])
        for a, b, d in weighted.edges(sorted(members), data=True)
        if a in members and b in members
    ]
    if not edges:
        return None
    labels = {m: i for i, c in enumerate(clusters) for m in c}
    labels.update({m: f"isolated:{m}" for m in isolated})
    clustered = edge_modularity(edges, labels)
    groups = with_technical_folded(folder_cut(members, edges, most, apps))
    quality = edge_modularity(edges, {m: package for package, group in groups.items() for m in group})
    if quality <= 0 or quality < FOLDER_SHARE * clustered or is_layered(groups):
        return None
    folders = [set(group) for _, group in sorted(groups.items())]
    names = {min(group): package for package, group in sorted(groups.items())}
    method = f"folders, {len(groups)} packages (modularity {quality:.2f}, clustering {clustered:.2f})"
    return folders, names, method


def folder_cut(
    members: set[str], edges, most: int, apps: frozenset[str] = frozenset()
) -> dict[ModuleName, set[str]]:
    """Top down through the package tree: starting from the top-level packages, the package
    whose split into its subpackages (its own modules staying together) raises modularity
    most is split, until no split raises it or ``most`` groups are reached. One branch can
    so go deeper than another (``django.contrib``'s apps, but ``django.db`` whole). One of
    ``apps`` (Django apps' packages) is one unit: it splits only into the apps inside it
    (oscar's dashboard into its dashboards), its forms/, models/ and views/ staying with it."""
    import heapq

    total = sum(w for _, _, w in edges)
    neighbours: dict[str, list[tuple[str, float]]] = defaultdict(list)
    degree: Counter = Counter()
    for a, b, w in edges:
        neighbours[a].append((b, w))
        neighbours[b].append((a, w))
        degree[a] += w
        degree[b] += w
    packages = {package for m in members for package in ModuleName(m).ancestors}
    holding_apps = {package for app in apps for package in (app, *ModuleName(app).ancestors)}

    # Groups are walked sorted: the gains are float sums, which must add in one order (a
    # set's follows the process's string hashes) for equal gains to stay equal.
    def share(group: set[str]) -> float:
        ordered = sorted(group)
        inside = sum(w for m in ordered for o, w in neighbours[m] if o in group) / 2
        return inside / total - (sum(degree[m] for m in ordered) / (2 * total)) ** 2

    def split(package: ModuleName, group: set[str]) -> dict[ModuleName, set[str]]:
        parts: dict[ModuleName, set[str]] = defaultdict(set)
        for module in sorted(group):
            if module == package:
                parts[package].add(module)
                continue
            child = ModuleName(module).head(package.depth + 1)
            # an app splits only into the apps inside it
            keep = child not in packages or (package in apps and child not in holding_apps)
            parts[package if keep else child].add(module)
        return parts

    groups: dict[ModuleName, set[str]] = defaultdict(set)
    for module in sorted(members):
        groups[ModuleName(module).top].add(module)
    # (-gain, package, split twice, the inner app to peel off or "")
    queue: list[tuple[float, ModuleName, bool, str]] = []

    def split_again(package: ModuleName, parts: dict[ModuleName, set[str]]) -> dict[ModuleName, set[str]]:
        """``package``'s split ``parts``, each that is a subpackage split once more where that
        gains."""
        finer_parts: dict[ModuleName, set[str]] = {}
        for child, part in parts.items():
            finer = split(child, part) if child != package else {child: part}
            if len(finer) > 1 and sum(share(p) for p in finer.values()) > share(part):
                finer_parts.update(finer)
            else:
                finer_parts[child] = part
        return finer_parts

    def peel_gain(group: set[str], part: set[str]) -> float:
        return share(part) + share(group - part) - share(group)

    def inner_apps(package: ModuleName, group: set[str]) -> dict[ModuleName, set[str]]:
        """The outermost apps inside app ``package``, each with its modules."""
        below = [ModuleName(app) for app in sorted(apps) if ModuleName(app).is_below(package)]
        found: dict[ModuleName, set[str]] = defaultdict(set)
        for module in sorted(group):
            inner = min((app for app in below if ModuleName(module).is_within(app)), key=len, default=None)
            if inner is not None:
                found[inner].add(module)
        return found

    def consider(package: ModuleName) -> None:
        group = groups[package]
        parts = split(package, group)
        while len(parts) == 1 and package not in parts:  # one subpackage holds it all
            ((package, group),) = parts.items()
            parts = split(package, group)
        if len(parts) > 1:
            gain = sum(share(part) for part in parts.values()) - share(group)
            # One level of look-ahead: a split that gains nothing by itself (oscar into
            # oscar.apps, oscar.core, ...) can be the way to one that gains much (the apps).
            deeper = split_again(package, parts)
            deep_gain = sum(share(part) for part in deeper.values()) - share(group)
            twice = len(deeper) > len(parts) and deep_gain > max(gain, 0.0)
            if max(gain, deep_gain) > 1e-9 or package not in apps:
                heapq.heappush(queue, (-(deep_gain if twice else gain), package, twice, ""))
                return
        if package in apps:
            # An app whose inner apps do not all come apart: each that gains on its own comes
            # out (shuup's front and its carousel), the rest staying with the app.
            for inner, part in sorted(inner_apps(package, group).items()):
                peel = peel_gain(group, part)
                if peel > 1e-9:
                    heapq.heappush(queue, (-peel, package, False, inner))

    for package in sorted(groups):
        consider(package)
    while queue and len(groups) < most:
        gain, package, twice, inner = heapq.heappop(queue)
        if -gain <= 1e-9:
            break
        # The group holding the package: the one of the longest name above it.
        owner = max((g for g in groups if package.is_within(g)), key=len)
        if inner:
            group = groups[owner]
            peeled = inner_apps(package, group).get(ModuleName(inner), set())
            if not peeled or peeled == group:
                continue
            now = peel_gain(group, peeled)
            if abs(now + gain) > 1e-12:  # an earlier peel changed the app: weigh it again
                if now > 1e-9:
                    heapq.heappush(queue, (-now, package, False, inner))
                continue
            parts = {owner: group - peeled, ModuleName(inner): peeled}
        else:
            parts = split(package, groups[owner])
        if twice:
            parts = split_again(package, parts)
        if len(groups) - 1 + len(parts) > most:
            break
        del groups[owner]
        groups.update(parts)
        for name in sorted(parts):
            if name != package:
                consider(name)
    return groups


def is_layered(groups: Mapping[str, set[str]]) -> bool:
    """Whether ``LAYERED_SHARE`` of the grouped modules sit in layer folders."""
    total = sum(len(group) for group in groups.values())
    layered = sum(
        len(group) for package, group in groups.items() if ModuleName(package).leaf in LAYER_FOLDERS
    )
    return total > 0 and layered >= LAYERED_SHARE * total


def with_technical_folded(groups: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """Each group of a ``TECHNICAL_FOLDERS`` package joins the group of the nearest package
    above it, where there is one below the top level (``app.graphql.core.types`` joins
    ``app.graphql.core``; ``django.utils`` stays: the top level's own modules are no domain
    it belongs to)."""
    folded = {package: set(group) for package, group in groups.items()}
    for package in sorted(groups, key=lambda p: (-ModuleName(p).depth, p)):
        if ModuleName(package).leaf not in TECHNICAL_FOLDERS:
            continue
        above = [other for other in folded if "." in other and ModuleName(package).is_below(other)]
        if above:
            folded[max(above, key=len)] |= folded.pop(package)
    return folded


def folder_names(clusters, given_names: Mapping[str, ModuleName]) -> dict[int, str]:
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
        for take in range(1, package.depth + 1):
            name = package.tail(take)
            clash = [p for i, p in packages.items() if i != index and p.tail(take) == name]
            if not clash:
                break
        names[index] = name
    return names


def place_lone_modules(clusters, names: Mapping[str, str], links, kernel: set[str]):
    """A top-level module alone in its group is no folder: one used from a single group
    joins it (a constants file beside the app that reads it); the rest, an entry script
    used by none (manage.py, a command line) or a module used from several groups, go with
    the kernel. Returns the clusters, their names and the modules for the kernel."""
    index = {m: i for i, c in enumerate(clusters) for m in c}
    lone = sorted(m for c in clusters if len(c) == 1 for m in c if ModuleName(m).depth == 1)
    if not lone:
        return clusters, names, set()
    lone_groups = {index[m] for m in lone}
    package_of = {i: names.get(min(c)) for i, c in enumerate(clusters)}
    result = [set(c) for c in clusters]
    to_kernel: set[str] = set()
    for module in lone:
        used_from = {index[u] for u in links.users[module] if u in index and u not in kernel}
        used_from.discard(index[module])
        result[index[module]].discard(module)
        if len(used_from) == 1 and not used_from <= lone_groups:
            result[used_from.pop()].add(module)
        else:
            to_kernel.add(module)
    kept, kept_names = [], {}
    for number, cluster in enumerate(result):
        if cluster:
            kept.append(cluster)
            if package_of[number] is not None:
                kept_names[min(cluster)] = package_of[number]
    return kept, kept_names, to_kernel


def fold_technical_groups(clusters, names: Mapping[str, str], apps: frozenset[str]):
    """In a project whose modules are mostly in apps, a folder group outside every app whose
    name says which layer it is (``core``, ``forms``, ``templatetags``, ``utils``) is the
    apps' shared code, not a domain: it goes with the kernel. ``apps``: the packages of
    Django apps (``app_packages``). Returns the clusters, their names and the modules for
    the kernel."""
    packages = [names.get(min(cluster)) for cluster in clusters]

    def in_app(package: str | None) -> bool:
        return package is not None and any(ModuleName(package).is_within(app) for app in apps)

    in_apps = sum(
        len(cluster) for cluster, package in zip(clusters, packages, strict=True) if in_app(package)
    )
    if not apps or in_apps * 2 <= sum(len(cluster) for cluster in clusters):
        return clusters, names, set()
    technical = {
        number
        for number, package in enumerate(packages)
        if package is not None and not in_app(package) and ModuleName(package).leaf in LAYER_FOLDERS
    }
    if not technical:
        return clusters, names, set()
    kept = [cluster for number, cluster in enumerate(clusters) if number not in technical]
    firsts = {min(cluster) for cluster in kept}
    kept_names = {first: name for first, name in names.items() if first in firsts}
    return kept, kept_names, set().union(*(clusters[number] for number in technical))


def app_packages(app_modules, declared=()) -> frozenset[str]:
    """The packages of Django apps: those holding an ``apps.py`` (``app_modules``), and the
    packages an ``AppConfig`` names (``declared``: shuup's sit in the app's ``__init__``).
    A package named by a config elsewhere that holds half the other apps or more is the
    project's own config (oscar's ``Shop`` in ``oscar/config.py`` names ``oscar``), not one
    app; an ``apps.py`` always marks one (wagtail's core app is its top package)."""
    marked = {ModuleName(m).parent for m in app_modules}
    apps = marked | {ModuleName(m) for m in declared}

    def holds_most(app: ModuleName) -> bool:
        inside = sum(1 for other in apps if other.is_below(app))
        return inside >= 2 and inside * 2 >= len(apps) - 1

    return frozenset(app for app in apps if app in marked or not holds_most(app))
