"""Read a stored ``analysis.json`` back into the model's values.

``decompose export`` and ``decompose compare`` start from an analysis written earlier,
not from the code. The file is input like any other: a missing, corrupt, foreign or newer
file is an ``InputError`` that names the file and the place in it, never a traceback.
Keys this version does not know (added by a newer writer, or by another stage) are ignored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from decompose._version import SCHEMA_VERSION
from decompose.errors import InputError
from decompose.metrics import measure_history, metrics_report
from decompose.model import (
    ApiSymbol,
    AuthorWork,
    CallSite,
    ChangeHistory,
    CoChangePair,
    CycleEdge,
    DataModel,
    Decomposition,
    Definition,
    DefinitionKind,
    DependencyGraph,
    Diagnostic,
    EdgeKind,
    Entity,
    EntityKind,
    EntityUse,
    Exclusion,
    HistoryReport,
    ImportCensus,
    ImportRoot,
    MetricsReport,
    ModuleEdge,
    ModuleHistory,
    ModuleInfo,
    ModuleName,
    OwnershipConflict,
    ParseStatus,
    Service,
    ServiceCycle,
    ServiceDependency,
    ServiceModule,
    Severity,
    SymbolEdge,
    SymbolMove,
    Tie,
    UseKind,
)

__all__ = ["StoredAnalysis", "load_analysis", "ANALYSIS_FILE"]

ANALYSIS_FILE = "analysis.json"

T = TypeVar("T")


@dataclass(frozen=True)
class StoredAnalysis:
    """What ``analysis.json`` holds, as the values the pipeline made it from."""

    source: Path  # the file read
    project: str
    tool_version: str
    options: tuple[tuple[str, object], ...]  # the options that shaped the output, in file order
    graph: DependencyGraph
    decomposition: Decomposition
    data: DataModel
    metrics: MetricsReport  # measured again from the graph, decomposition and data read
    diagnostics: tuple[Diagnostic, ...]
    excluded: tuple[Exclusion, ...]
    history: ChangeHistory | None = None
    # Ownership and hotspots, measured again (as ``metrics``) from the history, services and graph read.
    history_report: HistoryReport | None = None

    def option(self, name: str, default: object = None) -> object:
        return dict(self.options).get(name, default)

    def service_of(self) -> dict[ModuleName, str]:
        """Module name -> the service it is proposed for."""
        return {m.name: s.name for s in self.decomposition.services for m in s.modules}


def load_analysis(path: str | Path) -> StoredAnalysis:
    """Read an analysis folder (or its ``analysis.json``) written by ``decompose analyze``.

    Raises InputError when the file is missing, unreadable, not JSON, not decompose's, of
    another schema version, or has a record of the wrong shape.
    """
    path = Path(path)
    file = path / ANALYSIS_FILE if path.is_dir() else path
    if not file.is_file():
        where = f"{path} holds no {ANALYSIS_FILE}" if path.is_dir() else f"{path} does not exist"
        raise InputError(f"{where}; run 'decompose analyze' first")
    try:
        text = file.read_bytes().decode("utf-8")
        document = json.loads(text)
    except OSError as error:
        raise InputError(f"{file}: cannot be read: {error.strerror or error}") from None
    except ValueError as error:  # not UTF-8, not JSON, or a number of over 4,300 digits
        raise InputError(f"{file}: not an analysis written by decompose (not valid JSON: {error})") from None
    except RecursionError:
        raise InputError(f"{file}: not an analysis written by decompose (nested too deep)") from None
    return _Reader(file).analysis(document)


class _Reader:
    """Turns the parsed document into values; every shape error names where it is."""

    def __init__(self, file: Path) -> None:
        self.file = file

    # ------------------------------------------------------------------ document

    def analysis(self, document: object) -> StoredAnalysis:
        if not isinstance(document, dict) or "schema_version" not in document:
            raise InputError(f"{self.file}: not an analysis written by decompose (no schema_version)")
        tool = document.get("tool")
        if not isinstance(tool, dict) or tool.get("name") != "decompose":
            raise InputError(
                f"{self.file}: not an analysis written by decompose (tool.name is not 'decompose')"
            )
        version = document["schema_version"]
        if version != SCHEMA_VERSION:
            newer = isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION
            hint = "; upgrade decompose" if newer else "; analyse the code again"
            raise InputError(
                f"{self.file}: schema_version {version!r}, this decompose reads {SCHEMA_VERSION}{hint}"
            )
        project = self.field(document, "project", dict, "")
        options = self.field(project, "options", dict, "project")
        modules = tuple(self.each(document, "modules", self.module))
        roots, census = self.imports(document.get("imports", {}))
        graph = DependencyGraph(
            modules=modules,
            edges=tuple(self.each(document, "edges", self.edge)),
            symbol_edges=tuple(self.each(document, "symbol_edges", self.symbol_edge)),
            roots=roots,
            imports=census,
        )
        entities, uses = [], []
        for entity, entity_uses in self.each(document, "entities", self.entity):
            entities.append(entity)
            uses.extend(entity_uses)
        services = tuple(self.each(document, "services", self.service))
        self.check_runner_ups(services)
        decomposition = self.decomposition(self.field(document, "decomposition", dict, ""), services)
        data = DataModel(entities=tuple(entities), uses=tuple(sorted(uses)))
        history = self.history(document["history"]) if "history" in document else None
        metrics = metrics_report(graph, decomposition, data, history)
        history_report = measure_history(history, decomposition, graph) if history is not None else None
        return StoredAnalysis(
            source=self.file,
            project=self.field(project, "name", str, "project"),
            tool_version=str(tool.get("version", "")),
            options=tuple(options.items()),
            graph=graph,
            decomposition=decomposition,
            data=data,
            metrics=metrics,
            diagnostics=tuple(self.each(document, "warnings", self.diagnostic)),
            excluded=tuple(self.each(document, "excluded", self.exclusion)),
            history=history,
            history_report=history_report,
        )

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

    def service(self, record: dict, where: str) -> Service:
        return Service(
            name=self.field(record, "name", str, where),
            kind=self.field(record, "kind", str, where),
            modules=tuple(self.each(record, "modules", self.service_module, where)),
            lines=self.field(record, "lines", int, where),
            api=tuple(self.each(record, "api", self.api_symbol, where)),
            depends_on=tuple(
                ServiceDependency(
                    service=self.field(d, "service", str, w),
                    weight=self.field(d, "weight", int, w),
                    kinds=tuple(self.counts(d, "kinds", w)),
                )
                for d, w in self.records(record, "depends_on", where)
            ),
            entities=tuple(self.strings(record, "entities", where)),
        )

    def service_module(self, record: dict, where: str) -> ServiceModule:
        # The placement evidence (ties, runner-up, sums) is written since it was made; older
        # files have none, and read as a module without evidence.
        return ServiceModule(
            name=ModuleName(self.field(record, "name", str, where)),
            path=self.field(record, "path", str, where),
            confidence=self.number(record, "confidence", where),
            ties=tuple(self.each(record, "ties", self.tie, where)),
            runner_up=self.field(record, "runner_up", str, where, nullable=True, default=None),
            runner_up_ties=tuple(self.each(record, "runner_up_ties", self.tie, where)),
            own_weight=self.number(record, "own_weight", where, default=0.0),
            runner_up_weight=self.number(record, "runner_up_weight", where, default=0.0),
        )

    def tie(self, record: dict, where: str) -> Tie:
        return Tie(
            module=ModuleName(self.field(record, "module", str, where)),
            kind=self.field(record, "kind", str, where),
            weight=self.number(record, "weight", where),
        )

    def check_runner_ups(self, services: tuple[Service, ...]) -> None:
        """A module's runner-up is another service of the same proposal."""
        names = {s.name for s in services}
        for i, service in enumerate(services):
            for j, module in enumerate(service.modules):
                runner_up = module.runner_up
                if runner_up is None or (runner_up in names and runner_up != service.name):
                    continue
                problem = "its own service" if runner_up == service.name else "no service of the proposal"
                raise self.error(
                    f"services[{i}].modules[{j}].runner_up", f"{runner_up!r:.80} names {problem}"
                )

    def api_symbol(self, record: dict, where: str) -> ApiSymbol:
        return ApiSymbol(
            module=ModuleName(self.field(record, "module", str, where)),
            symbol=self.field(record, "symbol", str, where),
            kind=self.field(record, "kind", str, where),
            signature=self.field(record, "signature", str, where),
            doc=self.field(record, "doc", str, where),
            uses=self.field(record, "uses", int, where),
            caller_modules=self.field(record, "caller_modules", int, where, default=0),
            caller_services=self.field(record, "caller_services", int, where, default=0),
            callers=tuple(
                CallSite(
                    service=self.field(c, "service", str, w),
                    module=ModuleName(self.field(c, "module", str, w)),
                    line=self.field(c, "line", int, w),
                )
                for c, w in self.records(record, "callers", where)
            ),
        )

    def decomposition(self, record: dict, services: tuple[Service, ...]) -> Decomposition:
        where = "decomposition"
        return Decomposition(
            services=services,
            method=self.field(record, "method", str, where),
            symbol_moves=tuple(
                SymbolMove(
                    module=ModuleName(self.field(m, "module", str, w)),
                    symbol=self.field(m, "symbol", str, w),
                    from_service=self.field(m, "from", str, w),
                    to_service=self.field(m, "to", str, w),
                    uses_by_target=self.field(m, "uses_by_target", int, w),
                    uses_by_home=self.field(m, "uses_by_home", int, w),
                )
                for m, w in self.records(record, "symbol_moves", where)
            ),
            cycles=tuple(
                ServiceCycle(
                    services=tuple(self.strings(c, "services", w)),
                    edges=tuple(self.each(c, "edges", self.cycle_edge, w)),
                    cheapest_cut=tuple(self.each(c, "cheapest_cut", self.cycle_edge, w)),
                )
                for c, w in self.records(record, "cycles", where)
            ),
            ownership=tuple(
                (self.field(o, "entity", str, w), self.field(o, "owner", str, w))
                for o, w in self.records(record, "ownership", where)
            ),
            conflicts=tuple(
                OwnershipConflict(
                    entity=self.field(c, "entity", str, w),
                    owner=self.field(c, "owner", str, w),
                    users=tuple(
                        (self.field(u, "service", str, uw), self.field(u, "uses", int, uw))
                        for u, uw in self.records(c, "used_by", w)
                    ),
                )
                for c, w in self.records(record, "conflicts", where)
            ),
        )

    def cycle_edge(self, record: dict, where: str) -> CycleEdge:
        return CycleEdge(
            source=ModuleName(self.field(record, "source", str, where)),
            target=ModuleName(self.field(record, "target", str, where)),
            weight=self.field(record, "weight", int, where),
        )

    # ------------------------------------------------------------------ diagnostics

    def diagnostic(self, record: dict, where: str) -> Diagnostic:
        return Diagnostic(
            path=self.field(record, "path", str, where),
            code=self.field(record, "code", str, where),
            message=self.field(record, "message", str, where),
            line=self.field(record, "line", int, where, nullable=True),
            severity=self.enum(Severity, record, "severity", where),
        )

    def exclusion(self, record: dict, where: str) -> Exclusion:
        return Exclusion(
            path=self.field(record, "path", str, where), reason=self.field(record, "reason", str, where)
        )

    # ------------------------------------------------------------------ checked access

    _MISSING = object()

    def field(self, record: Mapping, key: str, kind, where: str, *, nullable=False, default=_MISSING):
        if key not in record:
            if default is not self._MISSING:
                return default
            raise self.error(where, f"{key!r} is missing")
        value = record[key]
        if value is None and nullable:
            return None
        # bool is an int in Python, and an int is not a bool in JSON: tell them apart.
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.error(f"{where}.{key}" if where else key, f"expected {names}, got {_json_type(value)}")
        return value

    def number(self, record: Mapping, key: str, where: str, *, default=_MISSING) -> float:
        """A finite number, as a float: NaN, an infinity or an int too large for a float
        would break every figure computed from it."""
        value = self.field(record, key, (int, float), where, default=default)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(f"{where}.{key}", f"expected a finite number, got {value!r:.40}")
        return number

    def enum(self, enum_type, record: Mapping, key: str, where: str):
        value = self.field(record, key, str, where)
        try:
            return enum_type(value)
        except ValueError:
            known = ", ".join(member.value for member in enum_type)
            raise self.error(f"{where}.{key}", f"unknown value {value!r} (known: {known})") from None

    def records(self, record: Mapping, key: str, where: str = "") -> Iterator[tuple[dict, str]]:
        items = self.field(record, key, list, where, default=[])
        prefix = f"{where}.{key}" if where else key
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(f"{prefix}[{index}]", f"expected an object, got {_json_type(item)}")
            yield item, f"{prefix}[{index}]"

    def each(self, record: Mapping, key: str, read: Callable[[dict, str], T], where: str = "") -> Iterator[T]:
        for item, item_where in self.records(record, key, where):
            yield read(item, item_where)

    def strings(self, record: Mapping, key: str, where: str, optional: bool = False) -> list[str]:
        return self.items_of(record, key, where, str, optional)

    def ints(self, record: Mapping, key: str, where: str, optional: bool = False) -> list[int]:
        return self.items_of(record, key, where, int, optional)

    def items_of(self, record: Mapping, key: str, where: str, kind: type, optional: bool) -> list:
        values = self.field(record, key, list, where, **({"default": []} if optional else {}))
        for index, value in enumerate(values):
            if not isinstance(value, kind) or isinstance(value, bool):
                raise self.error(
                    f"{where}.{key}[{index}]", f"expected {kind.__name__}, got {_json_type(value)}"
                )
        return values

    def counts(self, record: Mapping, key: str, where: str) -> list[tuple[str, int]]:
        values = self.field(record, key, dict, where)
        for name, count in values.items():
            if not isinstance(count, int) or isinstance(count, bool):
                raise self.error(f"{where}.{key}.{name}", f"expected int, got {_json_type(count)}")
        return list(values.items())

    def error(self, where: str, problem: str) -> InputError:
        return InputError(f"{self.file}: {where}: {problem}" if where else f"{self.file}: {problem}")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "int", float: "float", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )
