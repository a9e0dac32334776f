"""Read a stored ``analysis.json`` back into the model's values.

``decompose export`` and ``decompose compare`` start from an analysis written earlier,
not from the code. The file is input like any other: a missing, corrupt, foreign or newer
file is an ``InputError`` that names the file and the place in it, never a traceback.
Keys this version does not know (added by a newer writer, or by another stage) are ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from decompose._version import SCHEMA_VERSION
from decompose.errors import InputError
from decompose.metrics import measure_history, metrics_report
from decompose.model import (
    ApiSymbol,
    ApiSymbolKind,
    CallSite,
    ChangeHistory,
    CycleEdge,
    DataModel,
    Decomposition,
    DependencyGraph,
    Diagnostic,
    Exclusion,
    HistoryReport,
    MetricsReport,
    ModuleName,
    OwnershipConflict,
    Service,
    ServiceCycle,
    ServiceDependency,
    ServiceKind,
    ServiceModule,
    Severity,
    SymbolMove,
    Tie,
)
from decompose.stored._graph import GraphRecords

__all__ = ["StoredAnalysis", "load_analysis", "ANALYSIS_FILE"]

ANALYSIS_FILE = "analysis.json"


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


class _Reader(GraphRecords):
    """Turns the parsed document into values; every shape error names where it is."""

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
            apps=tuple(ModuleName(app) for app in self.strings(document, "apps", "", optional=True)),
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

    def service(self, record: dict, where: str) -> Service:
        return Service(
            name=self.field(record, "name", str, where),
            kind=self.enum(ServiceKind, record, "kind", where),
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
            kind=self.enum(ApiSymbolKind, record, "kind", where),
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
