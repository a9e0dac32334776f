"""The graph's records of a stored analysis (modules, definitions, edges, entities, import
roots, history), read back into the model's values."""

from __future__ import annotations

from decompose.model import (
    AuthorWork,
    ChangeHistory,
    CoChangePair,
    Definition,
    DefinitionKind,
    EdgeKind,
    Entity,
    EntityKind,
    EntityUse,
    ImportCensus,
    ImportRoot,
    ModuleEdge,
    ModuleHistory,
    ModuleInfo,
    ModuleName,
    ParseStatus,
    SymbolEdge,
    UseKind,
)
from decompose.stored._fields import CheckedReader

__all__ = ["GraphRecords"]


class GraphRecords(CheckedReader):
    """Reads the records of the dependency graph, the data model and the history."""

    # ------------------------------------------------------------------ graph

    def history(self, record: object) -> ChangeHistory:
        where = "history"
        if not isinstance(record, dict):
            raise self.error(where, "must be an object")
        cochange = []
        for item, at in self.records(record, "cochange", where):
            pair = self.strings(item, "modules", at)
            if len(pair) != 2:
                raise self.error(f"{at}.modules", "expected two modules")
            cochange.append(
                CoChangePair(
                    ModuleName(pair[0]),
                    ModuleName(pair[1]),
                    int(self.number(item, "shared", at)),
                    self.number(item, "degree", at),
                )
            )
        authors = self.field(record, "authors", dict, where, default={})
        modules = []
        for name, figures in self.field(record, "modules", dict, where, default={}).items():
            if not isinstance(figures, dict):
                raise self.error(f"{where}.modules.{name}", "must be an object")
            work = []
            for index, entry in enumerate(authors.get(name, [])):
                if (
                    not isinstance(entry, list)
                    or len(entry) != 3
                    or not isinstance(entry[0], str)
                    or not all(isinstance(n, int) and not isinstance(n, bool) for n in entry[1:])
                ):
                    raise self.error(f"{where}.authors.{name}[{index}]", "expected [name, commits, lines]")
                work.append(AuthorWork(*entry))
            modules.append(
                ModuleHistory(
                    ModuleName(name),
                    int(self.number(figures, "revisions", f"{where}.modules.{name}")),
                    int(self.number(figures, "churn", f"{where}.modules.{name}")),
                    tuple(work),
                )
            )
        changesets = []
        for index, modules_ in enumerate(self.field(record, "changesets", list, where, default=[])):
            if not isinstance(modules_, list) or not all(isinstance(m, str) for m in modules_):
                raise self.error(f"{where}.changesets[{index}]", "expected a list of modules")
            changesets.append(tuple(ModuleName(m) for m in modules_))
        return ChangeHistory(
            commits=int(self.number(record, "commits", where)),
            head=self.field(record, "head", str, where),
            truncated=self.field(record, "truncated", bool, where),
            changesets=tuple(changesets),
            cochange=tuple(cochange),
            modules=tuple(modules),
            notes=tuple(self.strings(record, "notes", where, optional=True)),
        )

    def imports(self, record: object) -> tuple[tuple[ImportRoot, ...], ImportCensus]:
        if not isinstance(record, dict):
            raise self.error("imports", "must be an object")
        roots = tuple(
            ImportRoot(
                path=self.field(r, "path", str, where),
                reason=self.field(r, "reason", str, where),
                prefix=self.field(r, "prefix", str, where),
                named_here=self.field(r, "named_here", bool, where),
            )
            for r, where in self.records(record, "roots", "imports")
        )
        statements = record.get("statements", {})
        if not isinstance(statements, dict):
            raise self.error("imports.statements", "must be an object")
        counts = {
            key: int(self.number(statements, key, "imports.statements", default=0))
            for key in ("project", "resolved", "stdlib", "declared", "installed", "unknown")
        }
        unknown = tuple(self.counts(record, "unknown_names", "imports")) if "unknown_names" in record else ()
        return roots, ImportCensus(**counts, unknown_names=unknown)

    def module(self, record: dict, where: str) -> ModuleInfo:
        return ModuleInfo(
            name=ModuleName(self.field(record, "name", str, where)),
            path=self.field(record, "path", str, where),
            is_package=self.field(record, "is_package", bool, where),
            lines=self.field(record, "lines", int, where),
            status=self.enum(ParseStatus, record, "status", where),
            definitions=tuple(self.each(record, "symbols", self.definition, where)),
            stdlib=tuple(self.strings(record, "stdlib", where)),
            third_party=tuple(self.strings(record, "third_party", where)),
        )

    def definition(self, record: dict, where: str) -> Definition:
        return Definition(
            name=self.field(record, "name", str, where),
            kind=self.enum(DefinitionKind, record, "kind", where),
            line=self.field(record, "line", int, where),
            end_line=self.field(record, "end_line", int, where),
            bases=tuple(self.strings(record, "bases", where, optional=True)),
            signature=self.field(record, "signature", str, where, default=""),
            doc=self.field(record, "doc", str, where, default=""),
            complexity=self.field(record, "complexity", int, where, default=0),
            abstract=self.field(record, "abstract", bool, where, default=False),
        )

    def edge(self, record: dict, where: str) -> ModuleEdge:
        return ModuleEdge(
            source=ModuleName(self.field(record, "source", str, where)),
            target=ModuleName(self.field(record, "target", str, where)),
            kind=self.enum(EdgeKind, record, "kind", where),
            weight=self.field(record, "weight", int, where),
            lines=tuple(self.ints(record, "lines", where)),
        )

    def symbol_edge(self, record: dict, where: str) -> SymbolEdge:
        source_module, source_symbol = self.symbol_ref(record, "source", where)
        target_module, target_symbol = self.symbol_ref(record, "target", where)
        return SymbolEdge(
            source_module=source_module,
            source_symbol=source_symbol,
            target_module=target_module,
            target_symbol=target_symbol,
            kind=self.enum(EdgeKind, record, "kind", where),
            weight=self.field(record, "weight", int, where),
            # Written since symbol edges carried lines; older files have none.
            lines=tuple(self.ints(record, "lines", where, optional=True)),
        )

    def symbol_ref(self, record: dict, key: str, where: str) -> tuple[ModuleName, str]:
        value = self.field(record, key, str, where)
        module, colon, symbol = value.partition(":")
        if not colon or not module:
            raise self.error(f"{where}.{key}", f"expected 'module:Symbol', got {value!r}")
        return ModuleName(module), symbol

    # ------------------------------------------------------------------ data

    def entity(self, record: dict, where: str) -> tuple[Entity, list[EntityUse]]:
        name = self.field(record, "name", str, where)
        module = self.field(record, "module", str, where, nullable=True)
        entity = Entity(
            name=name,
            kind=self.enum(EntityKind, record, "kind", where),
            module=ModuleName(module) if module is not None else None,
            symbol=self.field(record, "symbol", str, where),
            table=self.field(record, "table", str, where),
            app_label=self.field(record, "app_label", str, where, nullable=True, default=None),
        )
        uses = [
            EntityUse(
                entity=name,
                module=ModuleName(self.field(use, "module", str, use_where)),
                kind=self.enum(UseKind, use, "kind", use_where),
                lines=tuple(self.ints(use, "lines", use_where)),
            )
            for use, use_where in self.records(record, "uses", where)
        ]
        return entity, uses

    # ------------------------------------------------------------------ services
