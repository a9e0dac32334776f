"""Graph stage: per-file facts to one typed, weighted dependency graph.

Module edges carry a kind (import, type-only, lazy, dynamic, call, inheritance,
decorator, annotation, reference, string) and a weight (how many times the dependency
occurs). An import of a name re-exported by a package counts against the module that
defines the name, not the package's ``__init__``. Symbol edges link top-level classes and
functions (``""`` stands for module-level code).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable

from decompose.graph._resolve import Location, Resolver
from decompose.model import (
    DependencyGraph,
    Diagnostic,
    EdgeKind,
    FileFacts,
    ImportFact,
    ModuleEdge,
    ModuleInfo,
    ModuleName,
    ParseResult,
    ReferenceKind,
    Severity,
    SourceFile,
    SymbolEdge,
)

__all__ = ["build_graph", "imported_modules", "resolver_for", "Location", "Resolver"]

_STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
_REFERENCE_EDGE = {
    ReferenceKind.CALL: EdgeKind.CALL,
    ReferenceKind.INHERIT: EdgeKind.INHERIT,
    ReferenceKind.DECORATOR: EdgeKind.DECORATOR,
    ReferenceKind.ANNOTATION: EdgeKind.ANNOTATION,
    ReferenceKind.REFERENCE: EdgeKind.REFERENCE,
}


def build_graph(results: Iterable[ParseResult]) -> DependencyGraph:
    """Resolve every file's facts against the others; return the project's graph."""
    results = sorted(results, key=lambda r: r.file.module)
    builder = _Builder(resolver_for(results))
    modules = []
    for result in results:
        stdlib, third_party = builder.add_module(result)
        modules.append(
            ModuleInfo(
                name=result.file.module,
                path=result.file.path,
                is_package=result.file.is_package,
                lines=result.facts.lines,
                status=result.status,
                definitions=result.facts.definitions,
                stdlib=stdlib,
                third_party=third_party,
            )
        )
    return DependencyGraph(
        modules=tuple(modules),
        edges=builder.module_edges(),
        symbol_edges=builder.symbol_edges(),
        diagnostics=tuple(sorted(builder.diagnostics)),
    )


def resolver_for(results: Iterable[ParseResult]) -> Resolver:
    """The resolver ``build_graph`` uses, for later stages that trace names themselves."""
    results = list(results)
    files = {r.file.module: r.file for r in results}
    facts = {r.file.module: r.facts for r in results}
    python2 = frozenset(
        r.file.module for r in results if any(d.code == "syntax-error" for d in r.diagnostics)
    )
    return Resolver(files, facts, python2)


def imported_modules(results: Iterable[ParseResult], candidates: Iterable[SourceFile]) -> set[ModuleName]:
    """The candidate modules that the parsed modules import (statically or lazily)."""
    results = list(results)
    candidates = {c.module: c for c in candidates}
    files = {**candidates, **{r.file.module: r.file for r in results}}
    facts = {name: FileFacts(lines=0) for name in candidates}
    facts.update({r.file.module: r.facts for r in results})
    resolver = Resolver(files, facts)
    found: set[ModuleName] = set()
    for result in results:
        for fact in result.facts.imports:
            target = resolver.import_target(result.file.module, fact)
            if target is None or not resolver.is_project(target):
                continue
            location = resolver.locate(target)
            if location is not None and location.module in candidates:
                found.add(location.module)
    return found


class _Builder:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.diagnostics: list[Diagnostic] = []
        self._lines: dict[tuple[str, str, EdgeKind], list[int]] = defaultdict(list)
        self._symbols: dict[tuple[str, str, str, str, EdgeKind], list[int]] = defaultdict(list)

    def add_module(self, result: ParseResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
        module = result.file.module
        stdlib: set[str] = set()
        third_party: set[str] = set()
        for fact in result.facts.imports:
            external = self._add_import(result, fact)
            if external:
                (stdlib if external in _STDLIB else third_party).add(external)
        for reference in result.facts.references:
            found = self.resolver.resolve_reference(module, reference.target, reference.scope)
            if found is not None:
                self._add(module, reference.scope, found, _REFERENCE_EDGE[reference.kind], reference.lines)
        for string_ref in result.facts.string_refs:
            if not self.resolver.is_project(string_ref.value):
                continue
            found = self.resolver.locate(string_ref.value, exact=True)
            if found is not None:
                self._add(module, string_ref.scope, found, EdgeKind.STRING, (string_ref.line,))
        stdlib.discard("__future__")
        return tuple(sorted(stdlib)), tuple(sorted(third_party))

    # Returns the top-level name of an external module the import loads, if it is one.
    def _add_import(self, result: ParseResult, fact: ImportFact) -> str | None:
        module = result.file.module
        target = self.resolver.import_target(module, fact)
        if target is None:
            self.diagnostics.append(
                Diagnostic(
                    result.file.path,
                    "relative-import-beyond-root",
                    f"relative import {'.' * fact.level}{fact.module} climbs past the top-level package; ignored",
                    line=fact.line,
                )
            )
            return None
        if not self.resolver.is_project(target):
            return target.partition(".")[0]
        found = self.resolver.locate(target)
        if found is None:
            return None
        if found.symbol == "" and found.module != target and fact.name != "*":
            missing = target[len(found.module) + 1 :]
            if fact.name is None or missing.partition(".")[0] != fact.name:
                self.diagnostics.append(
                    Diagnostic(
                        result.file.path,
                        "unresolved-import",
                        f"imports {target}, but {missing} is neither a module nor a name in {found.module}",
                        line=fact.line,
                        severity=Severity.INFO,
                    )
                )
        self._add(module, fact.scope, found, _import_kind(fact), (fact.line,))
        return None

    def _add(
        self, module: ModuleName, scope: str, found: Location, kind: EdgeKind, lines: tuple[int, ...]
    ) -> None:
        source_symbol = scope.partition(".")[0]
        if found.module != module:
            self._lines[(module, found.module, kind)].extend(lines)
        if found.module != module or (found.symbol and found.symbol != source_symbol):
            self._symbols[(module, source_symbol, found.module, found.symbol, kind)].extend(lines)

    def module_edges(self) -> tuple[ModuleEdge, ...]:
        return tuple(
            sorted(
                ModuleEdge(source, target, kind, len(lines), tuple(sorted(set(lines))))
                for (source, target, kind), lines in self._lines.items()
            )
        )

    def symbol_edges(self) -> tuple[SymbolEdge, ...]:
        return tuple(
            sorted(
                SymbolEdge(*key, len(lines), tuple(sorted(set(lines))))
                for key, lines in self._symbols.items()
            )
        )


def _import_kind(fact: ImportFact) -> EdgeKind:
    if fact.dynamic:
        return EdgeKind.DYNAMIC
    if fact.type_only:
        return EdgeKind.TYPE_ONLY
    if fact.lazy:
        return EdgeKind.LAZY
    return EdgeKind.IMPORT
