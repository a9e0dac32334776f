"""Resolve names written in one module to the module and top-level symbol that define them.

This is where imports meet: relative imports become absolute, ``from pkg import Name``
is followed through ``pkg/__init__.py`` re-exports and star imports to the module that
defines ``Name``, and ``services.place()`` is traced through the import that bound
``services``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model import FileFacts, ImportFact, ModuleName, SourceFile
from decompose.roots import NO_ALIASES, Aliases

__all__ = ["Resolver", "Location"]

_MAX_HOPS = 12


@dataclass(frozen=True)
class Location:
    module: ModuleName
    symbol: str  # top-level symbol; "" for the module itself


class Resolver:
    def __init__(
        self,
        files: Mapping[ModuleName, SourceFile],
        facts: Mapping[ModuleName, FileFacts],
        python2: frozenset[ModuleName] = frozenset(),
        aliases: Aliases = NO_ALIASES,
    ):
        self._files = files
        self._facts = facts
        self.aliases = aliases
        # Modules that read as Python 2: there ``import models`` may mean a sibling module.
        self._python2 = python2
        self.project_tops = {name.top for name in files} | aliases.tops()
        self._defs = {name: {d.name for d in f.definitions if "." not in d.name} for name, f in facts.items()}
        self._bindings: dict[ModuleName, dict[str, str]] = {}
        self._scoped: dict[ModuleName, dict[str, dict[str, str]]] = {}
        self._stars: dict[ModuleName, list[str]] = {}
        for name, file_facts in facts.items():
            self._index_imports(name, file_facts)
        self._locate_cache: dict[tuple[str, bool], Location | None] = {}
        self._exports_cache: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ imports

    def absolute_module(self, module: ModuleName, fact: ImportFact) -> str | None:
        """The absolute dotted module an import names, by the module's chosen name; None
        when it climbs past the root."""
        found = self._absolute_module(module, fact)
        return None if found is None else self.aliases.canonical(found)

    def _absolute_module(self, module: ModuleName, fact: ImportFact) -> str | None:
        if fact.level == 0:
            if module in self._python2 and ModuleName(fact.module).top not in self.project_tops:
                sibling = self._implicit_relative(module, fact.module)
                if sibling is not None:
                    return sibling
            return fact.module
        source = self._files[module]
        # Counted from the outermost root, where relative imports may climb furthest.
        outer = ModuleName(self.aliases.outer_name(module))
        package = outer if source.is_package else outer.parent
        keep = package.depth - (fact.level - 1)
        if keep < 1:
            return None
        base = package.head(keep)
        return base.child(fact.module) if fact.module else base

    def _implicit_relative(self, module: ModuleName, name: str) -> str | None:
        """Python 2's implicit relative import: ``import models`` inside a package."""
        source = self._files[module]
        package = module if source.is_package else module.parent
        if not package:
            return None
        return package.child(name) if package.child(ModuleName(name).top) in self._files else None

    def import_target(self, module: ModuleName, fact: ImportFact) -> str | None:
        """The absolute dotted path an import loads: a module, or ``module.Name``."""
        base = self.absolute_module(module, fact)
        if base is None:
            return None
        if fact.name is None or fact.name == "*":
            return base
        return f"{base}.{fact.name}"

    def _index_imports(self, module: ModuleName, facts: FileFacts) -> None:
        bindings: dict[str, str] = {}
        scoped: dict[str, dict[str, str]] = {}
        stars: list[str] = []
        for fact in facts.imports:
            if fact.dynamic:
                continue
            if fact.name == "*":
                base = self.absolute_module(module, fact)
                if base:
                    stars.append(base)
                continue
            if fact.bound_as is None:
                continue
            base = self.absolute_module(module, fact)
            if base is None:
                continue
            if fact.name is None:
                # ``import a.b`` binds ``a`` as written; ``locate`` turns ``a.b.X`` into the chosen name.
                written = self._absolute_module(module, fact) or base
                top = ModuleName(written).top
                target = base if fact.bound_as != top else top
            else:
                target = f"{base}.{fact.name}"
            table = scoped.setdefault(fact.scope, {}) if fact.scope else bindings
            table.setdefault(fact.bound_as, target)
        self._bindings[module] = bindings
        self._scoped[module] = scoped
        self._stars[module] = stars

    # ------------------------------------------------------------------ locating

    def is_project(self, dotted: str) -> bool:
        return dotted.partition(".")[0] in self.project_tops

    def locate(self, dotted: str, exact: bool = False) -> Location | None:
        """The project module and top-level symbol an absolute dotted path denotes.

        With ``exact``, the whole path must be a module or a module's top-level name
        (used for paths in strings, where a prefix match would be a guess).
        """
        dotted = self.aliases.canonical(dotted)
        key = (dotted, exact)
        if key not in self._locate_cache:
            self._locate_cache[key] = self._locate(dotted, exact, 0)
        return self._locate_cache[key]

    def _locate(self, dotted: str, exact: bool, hops: int) -> Location | None:
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = ModuleName(".".join(parts[:cut]))
            if module not in self._files:
                continue
            rest = parts[cut:]
            if not rest:
                return Location(module, "")
            if exact and len(rest) > 1:
                return None
            head = rest[0]
            if head in self._defs[module]:
                return Location(module, head)
            if hops < _MAX_HOPS:
                forwarded = self._forward(module, head)
                if forwarded is not None and forwarded != ".".join(parts[: cut + 1]):
                    tail = ".".join([forwarded, *rest[1:]])
                    found = self._locate(tail, exact, hops + 1)
                    if found is not None:
                        return found
            return None if exact else Location(module, "")
        return None

    def _forward(self, module: ModuleName, name: str) -> str | None:
        """Where ``module.name`` really lives when ``module`` imports it (a re-export)."""
        target = self._bindings[module].get(name)
        if target is not None:
            return target
        for star in self._stars[module]:
            if name in self._exports(star):
                return f"{star}.{name}"
        return None

    def star_imports(self, module: ModuleName) -> tuple[str, ...]:
        """The modules ``module`` star-imports, absolute, in the order written."""
        return tuple(self._stars.get(module, ()))

    def _exports(self, module: str) -> frozenset[str]:
        """Names ``from module import *`` binds."""
        if module in self._exports_cache:
            return self._exports_cache[module]
        self._exports_cache[module] = frozenset()  # guards star-import cycles
        facts = self._facts.get(ModuleName(module))
        if facts is None:
            return frozenset()
        if facts.all_names is not None:
            names = frozenset(facts.all_names)
        else:
            names = {n for n in self._defs[ModuleName(module)] if not n.startswith("_")}
            names.update(n for n in self._bindings[ModuleName(module)] if not n.startswith("_"))
            for star in self._stars[ModuleName(module)]:
                names.update(self._exports(star))
            names = frozenset(names)
        self._exports_cache[module] = names
        return names

    # ------------------------------------------------------------------ references

    def resolve_reference(self, module: ModuleName, target: str, scope: str) -> Location | None:
        """Where a dotted name used in ``module`` (inside ``scope``) is defined, if in the project."""
        head, _, rest = target.partition(".")
        bound = self._binding_for(module, head, scope)
        if bound is None:
            if head in self._defs[module]:
                return Location(module, head)
            for star in self._stars[module]:
                if head in self._exports(star):
                    bound = f"{star}.{head}"
                    break
            else:
                return None
        absolute = f"{bound}.{rest}" if rest else bound
        if not self.is_project(absolute):
            return None
        return self.locate(absolute)

    def qualified_name(self, module: ModuleName, target: str, scope: str = "") -> str | None:
        """The absolute dotted path a name used in ``module`` (inside ``scope``) stands for,
        in the project or outside it: after ``from django.db import models``, ``models.Model``
        is ``django.db.models.Model``. None when nothing in the module binds the name."""
        head, _, rest = target.partition(".")
        bound = self._binding_for(module, head, scope)
        if bound is None:
            if head in self._defs[module]:
                bound = f"{module}.{head}"
            else:
                bound = next(
                    (f"{star}.{head}" for star in self._stars[module] if head in self._exports(star)), None
                )
                if bound is None:
                    return None
        return f"{bound}.{rest}" if rest else bound

    def _binding_for(self, module: ModuleName, head: str, scope: str) -> str | None:
        scoped = self._scoped[module]
        while scope:
            table = scoped.get(scope)
            if table and head in table:
                return table[head]
            scope = scope.rpartition(".")[0]
        return self._bindings[module].get(head)
