"""Graph stage: per-file facts to one typed, weighted dependency graph.

Module edges carry a kind (import, type-only, lazy, dynamic, call, inheritance,
decorator, annotation, reference, string, or a framework wiring kind of ``_wiring``) and a
weight (how many times the dependency occurs). An import of a name re-exported by a package
counts against the module that defines the name, not the package's ``__init__``. Symbol
edges link top-level classes and functions (``""`` stands for module-level code).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from decompose.graph._resolve import Location, Resolver
from decompose.graph._wiring import add_wiring
from decompose.model import (
    DependencyGraph,
    Diagnostic,
    EdgeKind,
    FileFacts,
    ImportCensus,
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
from decompose.roots import NO_ALIASES, NO_ROOTS, STDLIB, Aliases, RootPlan

__all__ = ["build_graph", "imported_modules", "resolver_for", "Location", "Resolver"]

UNRESOLVED_SHARE = 0.02  # of import statements naming modules nobody owns, before a warning
_UNRESOLVED_FLOOR = 10  # statements: a toy tree importing django once is not a gap in the graph
_UNKNOWN_SHOWN = 8
_REFERENCE_EDGE = {
    ReferenceKind.CALL: EdgeKind.CALL,
    ReferenceKind.INHERIT: EdgeKind.INHERIT,
    ReferenceKind.DECORATOR: EdgeKind.DECORATOR,
    ReferenceKind.ANNOTATION: EdgeKind.ANNOTATION,
    ReferenceKind.REFERENCE: EdgeKind.REFERENCE,
}


def build_graph(results: Iterable[ParseResult], plan: RootPlan = NO_ROOTS) -> DependencyGraph:
    """Resolve every file's facts against the others (through ``plan``'s other names of
    modules); return the project's graph with its census of imports."""
    results = sorted(results, key=lambda r: r.file.module)
    builder = _Builder(resolver_for(results, plan.aliases), plan)
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
    # Framework wiring (graph/_wiring.py): typed edges that take over the untyped uses they explain.
    apps = add_wiring(builder, results)
    return DependencyGraph(
        modules=tuple(modules),
        edges=builder.module_edges(),
        symbol_edges=builder.symbol_edges(),
        diagnostics=tuple(sorted(builder.diagnostics + builder.census_warnings())),
        roots=plan.roots,
        imports=builder.census(),
        apps=apps,
    )


def resolver_for(results: Iterable[ParseResult], aliases: Aliases = NO_ALIASES) -> Resolver:
    """The resolver ``build_graph`` uses, for later stages that trace names themselves."""
    results = list(results)
    files = {r.file.module: r.file for r in results}
    facts = {r.file.module: r.facts for r in results}
    python2 = frozenset(
        r.file.module for r in results if any(d.code == "syntax-error" for d in r.diagnostics)
    )
    return Resolver(files, facts, python2, aliases)


def imported_modules(
    results: Iterable[ParseResult], candidates: Iterable[SourceFile], aliases: Aliases = NO_ALIASES
) -> set[ModuleName]:
    """The candidate modules that the parsed modules import (statically or lazily)."""
    results = list(results)
    candidates = {c.module: c for c in candidates}
    files = {**candidates, **{r.file.module: r.file for r in results}}
    facts = {name: FileFacts(lines=0) for name in candidates}
    facts.update({r.file.module: r.facts for r in results})
    resolver = Resolver(files, facts, aliases=aliases)
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
    def __init__(self, resolver: Resolver, plan: RootPlan = NO_ROOTS) -> None:
        self.resolver = resolver
        self.plan = plan
        self.diagnostics: list[Diagnostic] = []
        self._owners: Counter[str] = Counter()  # statements by who owns the name
        self._unknown: Counter[str] = Counter()  # statements by unknown top-level name
        self._seen_statements: set[tuple[str, int, str]] = set()
        self._lines: dict[tuple[str, str, EdgeKind], list[int]] = defaultdict(list)
        self._symbols: dict[tuple[str, str, str, str, EdgeKind], list[int]] = defaultdict(list)

    def add_module(self, result: ParseResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
        module = result.file.module
        stdlib: set[str] = set()
        third_party: set[str] = set()
        for fact in result.facts.imports:
            external = self._add_import(result, fact)
            if external:
                (stdlib if external in STDLIB else third_party).add(external)
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
        owner = self._classify(module, fact, target)
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
            return ModuleName(target).top
        found = self.resolver.locate(target)
        if found is None:
            return None
        if owner == "project":
            self._owners["resolved"] += 1
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

    def _classify(self, module: ModuleName, fact: ImportFact, target: str | None) -> str | None:
        """Count the statement once (a ``from`` import binding two names is one) under the
        owner of the top-level name it imports; returns the owner, None for a repeat."""
        written = ModuleName(fact.module).top if fact.level == 0 else ""
        key = (module, fact.line, written or str(fact.level))
        if key in self._seen_statements:
            return None
        self._seen_statements.add(key)
        if fact.level > 0 or (target is not None and self.resolver.is_project(target)):
            owner = "project"
        elif written in STDLIB:
            owner = "stdlib"
        elif written in self.plan.declared:
            owner = "declared"
        elif written in self.plan.installed:
            owner = "installed"
        else:
            owner = "unknown"
            self._unknown[written] += 1
        self._owners[owner] += 1
        return owner

    def census(self) -> ImportCensus:
        return ImportCensus(
            project=self._owners["project"],
            resolved=self._owners["resolved"],
            stdlib=self._owners["stdlib"],
            declared=self._owners["declared"],
            installed=self._owners["installed"],
            unknown=self._owners["unknown"],
            unknown_names=tuple(sorted(self._unknown.items(), key=lambda item: (-item[1], item[0]))),
        )

    def census_warnings(self) -> list[Diagnostic]:
        """``unresolved-imports`` when names nobody owns account for more than 2% of the
        import statements: the graph is probably missing an import root."""
        census = self.census()
        if census.unknown < _UNRESOLVED_FLOOR or census.unknown <= UNRESOLVED_SHARE * census.total:
            return []
        top = ", ".join(f"{name} ({count})" for name, count in census.unknown_names[:_UNKNOWN_SHOWN])
        more = len(census.unknown_names) - _UNKNOWN_SHOWN
        return [
            Diagnostic(
                path=".",
                code="unresolved-imports",
                message=(
                    f"{census.unknown} of {census.total} import statements "
                    f"({census.unknown / census.total:.0%}) name modules that are neither the project's, "
                    f"the standard library's nor a declared dependency's: {top}"
                    + (f" and {more} more" if more > 0 else "")
                    + "; if they are the project's, add the folder they are imported from with --root"
                ),
            )
        ]

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
