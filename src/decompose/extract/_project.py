"""The analysed tree as the codemod needs it: modules, their files, and where names live.

Built from the parse stage's facts and resolved by the graph stage's ``Resolver``, so that
the rewrite agrees with the analysis on what every import means.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.graph import Location, resolver_for
from decompose.model import FileFacts, ImportFact, ModuleName, ParseResult, ParseStatus, SourceFile

__all__ = ["ProjectIndex"]


@dataclass(frozen=True)
class _Module:
    file: SourceFile
    facts: FileFacts
    status: ParseStatus


class ProjectIndex:
    """Name resolution over one tree's modules (as named by the analysis)."""

    def __init__(self, results: Iterable[ParseResult]) -> None:
        results = list(results)
        self._modules = {r.file.module: _Module(r.file, r.facts, r.status) for r in results}
        self._resolver = resolver_for(results)

    # ------------------------------------------------------------------ modules

    def __contains__(self, module: object) -> bool:
        return module in self._modules

    @property
    def modules(self) -> tuple[ModuleName, ...]:
        return tuple(sorted(self._modules))

    def file(self, module: ModuleName) -> SourceFile:
        return self._modules[module].file

    def facts(self, module: ModuleName) -> FileFacts:
        return self._modules[module].facts

    def status(self, module: ModuleName) -> ParseStatus:
        return self._modules[module].status

    # ------------------------------------------------------------------ names

    def absolute(self, module: ModuleName, level: int, dotted: str) -> str | None:
        """The absolute module a ``from``/``import`` in ``module`` names; None past the root."""
        fact = ImportFact(module=dotted, level=level, name=None, bound_as=None, line=0)
        return self._resolver.absolute_module(module, fact)

    def locate(self, dotted: str) -> Location | None:
        """The module and top-level symbol that ``dotted`` denotes exactly, re-exports followed."""
        if not self._resolver.is_project(dotted):
            return None
        return self._resolver.locate(dotted, exact=True)

    def qualified(self, module: ModuleName, name: str) -> str | None:
        """What ``name`` bound in ``module`` stands for, in the project or outside it."""
        if module not in self._modules:
            return None
        return self._resolver.qualified_name(module, name)

    def loaded_by(self, dotted: str) -> tuple[ModuleName, ...]:
        """The project modules that importing ``dotted`` runs: each package on the way."""
        name = ModuleName(dotted)
        return tuple(package for package in (*reversed(name.ancestors), name) if package in self)

    def star_names(self, module: ModuleName, _seen: frozenset[str] = frozenset()) -> frozenset[str]:
        """The names ``from module import *`` binds (``__all__``, else its public names)."""
        if module not in self._modules or module in _seen:
            return frozenset()
        facts = self._modules[module].facts
        if facts.all_names is not None:
            return frozenset(facts.all_names)
        names = {d.name for d in facts.definitions if "." not in d.name and not d.name.startswith("_")}
        for fact in facts.imports:
            if fact.scope:
                continue
            if fact.name == "*":
                base = self._resolver.absolute_module(module, fact)
                if base is not None:
                    names |= self.star_names(ModuleName(base), _seen | {module})
            elif fact.bound_as and not fact.bound_as.startswith("_"):
                names.add(fact.bound_as)
        return frozenset(names)

    def eager_imports(self) -> Mapping[ModuleName, frozenset[ModuleName]]:
        """Per module, the project modules its module-level code imports when it runs
        (``TYPE_CHECKING`` and function-level imports left out), packages on the way included."""
        result: dict[ModuleName, frozenset[ModuleName]] = {}
        for name, module in self._modules.items():
            loaded: set[ModuleName] = set()
            for fact in module.facts.imports:
                if fact.lazy or fact.type_only or fact.scope:
                    continue
                target = self._resolver.import_target(name, fact)
                if target is not None and self._resolver.is_project(target):
                    loaded.update(self.loaded_by(target))
            loaded.discard(name)
            result[name] = frozenset(loaded)
        return result

    def import_target(self, module: ModuleName, fact: ImportFact) -> str | None:
        """The absolute dotted path an import fact of ``module`` loads."""
        return self._resolver.import_target(module, fact)

    def is_project(self, dotted: str) -> bool:
        return self._resolver.is_project(dotted)
