"""Django settings as dependencies: a module reading ``settings.NAME`` (``django.conf``)
depends on the settings module that declares ``NAME``. A part of ``graph/_wiring.py``.

The settings modules are those that declare the apps (``INSTALLED_APPS``, ``*_APPS``,
``AUTH_USER_MODEL``), with every module joined to them by star imports either way
(``from .base import *``). A name declared in several of them (a base and its overrides)
belongs to the one the others build on: the one reached by star imports from the most
settings modules, then by name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from decompose.graph._claims import WiringEdge
from decompose.graph._resolve import Location, Resolver
from decompose.model import DefinitionKind, EdgeKind, HookRef, ModuleName, ParseResult

__all__ = ["settings_edges"]

_SETTINGS = "django.conf.settings."
# Read through the user model it names (the ``django_model`` edge), not as a setting.
_READ_AS_MODEL = frozenset({"AUTH_USER_MODEL"})


def settings_edges(
    resolver: Resolver,
    results: Sequence[ParseResult],
    setting_hooks: Sequence[tuple[ModuleName, HookRef]],
) -> list[WiringEdge]:
    """One edge per read of a declared setting, from the reading module's scope."""
    declared = _declarations(resolver, results, {module for module, _ in setting_hooks})
    if not declared:
        return []
    found: list[WiringEdge] = []
    for result in results:
        module = result.file.module
        for reference in result.facts.references:
            _, dot, rest = reference.target.partition(".")
            name = rest.partition(".")[0]
            if not dot or not name.isupper() or name in _READ_AS_MODEL or name not in declared:
                continue
            qualified = resolver.qualified_name(module, reference.target, reference.scope)
            if qualified is None or not qualified.startswith(_SETTINGS):
                continue
            target = declared[name]
            if target.module == module:
                continue
            for line in reference.lines:
                found.append(WiringEdge(module, reference.scope, target, EdgeKind.SETTING, line, line))
    return found


def _declarations(
    resolver: Resolver, results: Sequence[ParseResult], seeds: set[ModuleName]
) -> dict[str, Location]:
    """Each upper-case name the settings modules declare, with the module it belongs to."""
    if not seeds:
        return {}
    known = {r.file.module: r for r in results}
    stars: dict[ModuleName, set[ModuleName]] = defaultdict(set)  # star imports, both ways
    below: dict[ModuleName, set[ModuleName]] = defaultdict(set)  # what each star-imports
    for module in known:
        for star in resolver.star_imports(module):
            located = resolver.locate(star, exact=True) if resolver.is_project(star) else None
            if located is None or located.symbol or located.module == module:
                continue
            below[module].add(located.module)
            stars[module].add(located.module)
            stars[located.module].add(module)
    settings: set[ModuleName] = set()
    frontier = sorted(seeds & known.keys())
    while frontier:
        module = frontier.pop()
        if module in settings:
            continue
        settings.add(module)
        frontier.extend(sorted(stars[module] - settings))
    reached_from: dict[ModuleName, int] = defaultdict(int)
    for module in settings:
        for reached in _reach(module, below):
            reached_from[reached] += 1
    owners: dict[str, list[ModuleName]] = defaultdict(list)
    for module in sorted(settings):
        for definition in known[module].facts.definitions:
            if definition.kind is DefinitionKind.VARIABLE and definition.name.isupper():
                owners[definition.name].append(module)
    return {
        name: Location(min(modules, key=lambda m: (-reached_from[m], m)), name)
        for name, modules in owners.items()
    }


def _reach(module: ModuleName, below: dict[ModuleName, set[ModuleName]]) -> set[ModuleName]:
    """``module`` and every module its star imports reach."""
    seen = {module}
    frontier = [module]
    while frontier:
        for nxt in below[frontier.pop()] - seen:
            seen.add(nxt)
            frontier.append(nxt)
    return seen
