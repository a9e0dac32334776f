"""The proposal as import rules: which modules each service's modules may import.

A service may import its own modules and those of the services the proposal lets it depend
on (``Service.depends_on``: every dependency the code has today, of any kind). On top of
that, one allowance that the import tools need and the proposal's graph does not show:

**Package facades.** ``from shop.utils import Money`` imports ``shop/utils/__init__.py``,
which re-exports ``Money`` from ``shop.utils.money``. decompose follows the re-export and
records a use of ``shop.utils.money``; import-linter and tach see an import of
``shop.utils``. So a package's ``__init__`` that imports from its own submodules is also
importable by every service that may use one of the services those submodules belong to,
and it may star-import those submodules (``*`` is in their interface). Likewise any module's
interface holds the names it imports, since other modules may import them from it.

These rules are values; ``render/export.py`` writes them in each tool's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.model import (
    Decomposition,
    DependencyGraph,
    EdgeKind,
    Exclusion,
    ModuleInfo,
    ModuleName,
    ServiceKind,
)

__all__ = ["Boundaries", "ServiceBoundary", "boundaries", "compress"]

_IMPORT_KINDS = frozenset({EdgeKind.IMPORT, EdgeKind.TYPE_ONLY, EdgeKind.LAZY})


@dataclass(frozen=True)
class ServiceBoundary:
    name: str
    kind: ServiceKind
    lines: int
    modules: tuple[ModuleName, ...]  # sorted
    may_use: tuple[str, ...]  # services it may depend on, sorted
    facades: tuple[ModuleName, ...]  # other services' package facades it may import, sorted


@dataclass(frozen=True)
class Boundaries:
    services: tuple[ServiceBoundary, ...]  # the proposal's order
    # Per module, the names other services may import from it: its API symbols and the names
    # it re-exports (see ``_interfaces``). Sorted.
    interfaces: tuple[tuple[ModuleName, tuple[str, ...]], ...]
    # Per module: (name, path, is_package) of every module analysed, sorted by name.
    modules: tuple[ModuleInfo, ...]
    excluded: tuple[Exclusion, ...]

    def importable_by(self, service: ServiceBoundary) -> frozenset[ModuleName]:
        """Every module ``service``'s modules may import."""
        own = {s.name: s for s in self.services}
        allowed: set[ModuleName] = set(service.modules) | set(service.facades)
        for other in service.may_use:
            allowed.update(own[other].modules)
        return frozenset(allowed)

    def service_graph(self) -> dict[str, tuple[str, ...]]:
        return {s.name: s.may_use for s in self.services}

    def is_acyclic(self) -> bool:
        """Whether no service may depend, directly or through others, on itself."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(s.name for s in self.services)
        graph.add_edges_from((s.name, t) for s in self.services for t in s.may_use)
        return nx.is_directed_acyclic_graph(graph)


def boundaries(
    graph: DependencyGraph, decomposition: Decomposition, excluded: Iterable[Exclusion] = ()
) -> Boundaries:
    """The import rules the proposal implies, for every service."""
    service_of = {m.name: s.name for s in decomposition.services for m in s.modules}
    leads_to = _facades(graph, service_of)
    interfaces = _interfaces(graph, decomposition)
    for edge in graph.edges:
        if edge.source in leads_to and edge.kind in _IMPORT_KINDS and edge.target.is_below(edge.source):
            interfaces[edge.target].add("*")  # a facade may re-export a submodule whole

    result = []
    for service in decomposition.services:
        may_use = tuple(sorted({d.service for d in service.depends_on} - {service.name}))
        reachable = {service.name, *may_use}
        facades = sorted(
            module
            for module, services in leads_to.items()
            if service_of[module] not in reachable and services & reachable
        )
        result.append(
            ServiceBoundary(
                name=service.name,
                kind=service.kind,
                lines=service.lines,
                modules=tuple(sorted(m.name for m in service.modules)),
                may_use=may_use,
                facades=tuple(facades),
            )
        )
    return Boundaries(
        services=tuple(result),
        interfaces=tuple(
            (module, tuple(sorted(names))) for module, names in sorted(interfaces.items()) if names
        ),
        modules=tuple(sorted(graph.modules, key=lambda m: m.name)),
        excluded=tuple(excluded),
    )


def compress(
    names: Iterable[ModuleName], modules: Iterable[ModuleInfo], excluded: Iterable[Exclusion] = ()
) -> list[tuple[ModuleName, bool]]:
    """``names`` as (module, with_descendants) pairs, sorted: a package whose every analysed
    module is in ``names`` stands for all of them, unless a path under it was excluded (the
    tools would see modules there that the proposal does not place)."""
    wanted = set(names)
    by_name = {m.name: m for m in modules}
    children: dict[str, list[ModuleName]] = defaultdict(list)
    for name in by_name:
        parent = name.parent
        if parent:
            children[parent].append(name)
    excluded_paths = [x.path for x in excluded]
    whole: dict[str, bool] = {}

    def covered(name: str) -> bool:
        if name not in whole:
            whole[name] = name in wanted and all(covered(child) for child in children.get(name, ()))
        return whole[name]

    def foldable(name: str) -> bool:
        module = by_name.get(name)
        if module is None or not module.is_package or not covered(name):
            return False
        folder = module.path.rpartition("/")[0]
        under = folder + "/" if folder else ""
        return not any(path.startswith(under) for path in excluded_paths)

    result = []
    for name in sorted(wanted):
        if any(foldable(package) for package in ModuleName(name).ancestors):
            continue  # written with a package above it
        result.append((name, foldable(name)))
    return result


def _interfaces(graph: DependencyGraph, decomposition: Decomposition) -> dict[ModuleName, set[str]]:
    """Per module, what other services may import from it: its API symbols, and every name
    it imports at module level, since ``from m import X`` works for a name ``m`` imported
    (decompose credits the use to the module that defines ``X``). A module imported whole
    (``import m``, ``from m import *``) passes on what that module exposes."""
    exposed: dict[ModuleName, set[str]] = defaultdict(set)
    for service in decomposition.services:
        for symbol in service.api:
            exposed[symbol.module].add(symbol.symbol.partition(".")[0])
    passes_on: dict[ModuleName, set[ModuleName]] = defaultdict(set)
    for edge in graph.symbol_edges:
        if edge.source_symbol or edge.kind is not EdgeKind.IMPORT or edge.source_module == edge.target_module:
            continue
        if edge.target_symbol:
            exposed[edge.source_module].add(edge.target_symbol.partition(".")[0])
        else:
            passes_on[edge.target_module].add(edge.source_module)
            exposed[edge.target_module].add("*")  # the import may be ``from m import *``
    waiting = list(passes_on)
    while waiting:  # to a fixed point: re-exports of re-exports
        module = waiting.pop()
        for importer in passes_on[module]:
            if not exposed[module] <= exposed[importer]:
                exposed[importer] |= exposed[module]
                if importer in passes_on:
                    waiting.append(importer)
    return exposed


def _facades(graph: DependencyGraph, service_of: Mapping[ModuleName, str]) -> dict[ModuleName, set[str]]:
    """Package ``__init__`` modules that import from their own submodules, with the services
    those submodules belong to."""
    packages = {m.name for m in graph.modules if m.is_package}
    leads_to: dict[ModuleName, set[str]] = defaultdict(set)
    for edge in graph.edges:
        if edge.kind in _IMPORT_KINDS and edge.source in packages and edge.target.is_below(edge.source):
            leads_to[edge.source].add(service_of[edge.target])
    return dict(leads_to)
