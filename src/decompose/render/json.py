"""``analysis.json``: the machine-readable contract. Same analysis, same bytes."""

from __future__ import annotations

import json
from dataclasses import asdict
from json.encoder import encode_basestring

try:
    from json.encoder import c_make_encoder
except ImportError:  # pragma: no cover
    c_make_encoder = None

from decompose._version import __version__
from decompose.api import SCHEMA_VERSION, Analysis
from decompose.metrics import OVERALL
from decompose.model import (
    ChangeHistory,
    CycleEdge,
    DataModel,
    Decomposition,
    Definition,
    DefinitionKind,
    DependencyGraph,
    Diagnostic,
    EdgeKind,
    Exclusion,
    HistoryReport,
    MetricsReport,
    OverallMetrics,
    ParseStatus,
    Service,
    ServiceModule,
    Severity,
    Tie,
)
from decompose.render._json_history import history_record
from decompose.stored import StoredAnalysis

# Enum.value is a property lookup: on a million-line tree's edges and symbols, seconds.
_EDGE_KINDS = {kind: kind.value for kind in EdgeKind}
_DEFINITION_KINDS = {kind: kind.value for kind in DefinitionKind}

__all__ = ["analysis_document", "analysis_json", "document_json", "stored_document"]


def analysis_json(analysis: Analysis) -> bytes:
    """The document with one module, edge or service per line: easy to diff and grep, and
    written by json's C encoder (an indented dump of a million-line project takes seconds)."""
    return document_json(analysis_document(analysis))


def document_json(document: dict) -> bytes:
    """One top-level key per line, one record of a list per line; a section that is an
    object holding lists (``decomposition``, ``metrics``) is laid out the same way, one
    level deeper."""
    return ("{\n " + _members(document, _record_encoder(), " ") + "\n}\n").encode("utf-8")


def _members(section: dict, encode, indent: str) -> str:
    parts = []
    inner = indent + " "
    for key, value in section.items():
        if isinstance(value, list) and value:
            items = f",\n{inner}".join(encode(item) for item in value)
            parts.append(f"{encode(key)}: [\n{inner}{items}\n{indent}]")
        elif isinstance(value, dict) and any(isinstance(v, list) and v for v in value.values()):
            parts.append(f"{encode(key)}: {{\n{inner}{_members(value, encode, inner)}\n{indent}}}")
        else:
            parts.append(f"{encode(key)}: {encode(value)}")
    return f",\n{indent}".join(parts)


def _record_encoder():
    """json's C encoder, made once: ``JSONEncoder.encode`` builds a new one per call, which
    doubled the time to write a million-line project's records."""
    plain = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
    if c_make_encoder is None:  # no C accelerator (another Python implementation)
        return plain.encode

    def refuse(value):
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")

    encoder = c_make_encoder(None, refuse, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encoder(value, 0))


def analysis_document(analysis: Analysis) -> dict:
    return _document(
        analysis.project,
        analysis.config.options(),
        analysis.graph,
        analysis.decomposition,
        analysis.data,
        analysis.metrics,
        analysis.diagnostics,
        analysis.excluded,
        analysis.history,
        analysis.history_report,
    )


def stored_document(stored: StoredAnalysis) -> dict:
    """The document again from a loaded ``analysis.json``: the same bytes as the file read,
    when it was written by this version."""
    return _document(
        stored.project,
        dict(stored.options),
        stored.graph,
        stored.decomposition,
        stored.data,
        stored.metrics,
        stored.diagnostics,
        stored.excluded,
        stored.history,
        stored.history_report,
    )


def _imports(graph: DependencyGraph) -> dict:
    """Where imports are read from, and what became of them (the graph's health)."""
    census = graph.imports
    return {
        "roots": [
            {"path": r.path, "reason": r.reason, "prefix": r.prefix, "named_here": r.named_here}
            for r in graph.roots
        ],
        "statements": {
            "project": census.project,
            "resolved": census.resolved,
            "stdlib": census.stdlib,
            "declared": census.declared,
            "installed": census.installed,
            "unknown": census.unknown,
        },
        "resolved_share": round(census.resolved_share, 4),
        "unknown_names": dict(census.unknown_names),
    }


def _document(
    project: str,
    options: dict[str, object],
    graph: DependencyGraph,
    decomposition: Decomposition,
    data: DataModel,
    metrics: MetricsReport,
    diagnostics: tuple[Diagnostic, ...],
    excluded: tuple[Exclusion, ...],
    history: ChangeHistory | None = None,
    history_report: HistoryReport | None = None,
) -> dict:
    uses_by_entity: dict[str, list] = {}
    for use in data.uses:
        uses_by_entity.setdefault(use.entity, []).append(use)
    status_counts = {status.value: 0 for status in ParseStatus}
    for module in graph.modules:
        status_counts[module.status.value] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "decompose", "version": __version__},
        "project": {"name": project, "options": options},
        "summary": {
            "modules": len(graph.modules),
            "lines": sum(m.lines for m in graph.modules),
            "edges": len(graph.edges),
            "symbol_edges": len(graph.symbol_edges),
            "parse_status": status_counts,
            "warnings": sum(1 for d in diagnostics if d.severity is Severity.WARNING),
            "excluded": len(excluded),
        },
        "imports": _imports(graph),
        "apps": list(graph.apps),
        "modules": [
            {
                "name": m.name,
                "path": m.path,
                "lines": m.lines,
                "is_package": m.is_package,
                "status": m.status.value,
                "stdlib": list(m.stdlib),
                "third_party": list(m.third_party),
                "symbols": [_definition(d) for d in m.definitions],
            }
            for m in graph.modules
        ],
        # Hundreds of thousands of edges on a large tree: tuples
        # written as they are (the encoder writes a tuple as an array).
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "kind": _EDGE_KINDS[e.kind],
                "weight": e.weight,
                "lines": e.lines,
            }
            for e in graph.edges
        ],
        "symbol_edges": [
            {
                "source": f"{e.source_module}:{e.source_symbol}",
                "target": f"{e.target_module}:{e.target_symbol}",
                "kind": _EDGE_KINDS[e.kind],
                "weight": e.weight,
                "lines": e.lines,
            }
            for e in graph.symbol_edges
        ],
        "services": [_service(s) for s in decomposition.services],
        "decomposition": _decomposition(decomposition),
        **({"history": history_record(history, history_report)} if history is not None else {}),
        "metrics": _metrics(metrics),
        "entities": [
            {
                "name": e.name,
                "kind": e.kind.value,
                "module": e.module,
                "symbol": e.symbol,
                "table": e.table,
                "app_label": e.app_label,
                "uses": [
                    {"module": u.module, "kind": u.kind.value, "lines": list(u.lines)}
                    for u in uses_by_entity.get(e.name, ())
                ],
            }
            for e in data.entities
        ],
        "warnings": [_diagnostic(d) for d in diagnostics],
        "excluded": [{"path": x.path, "reason": x.reason} for x in excluded],
    }


def _service(service: Service) -> dict:
    return {
        "name": service.name,
        "kind": service.kind,
        "lines": service.lines,
        "modules": [_service_module(m) for m in service.modules],
        "api": [
            {
                "module": a.module,
                "symbol": a.symbol,
                "kind": a.kind,
                "signature": a.signature,
                "doc": a.doc,
                "uses": a.uses,
                "caller_modules": a.caller_modules,
                "caller_services": a.caller_services,
                "callers": [{"service": c.service, "module": c.module, "line": c.line} for c in a.callers],
            }
            for a in service.api
        ],
        "depends_on": [
            {"service": d.service, "weight": d.weight, "kinds": dict(d.kinds)} for d in service.depends_on
        ],
        "entities": list(service.entities),
    }


def _service_module(module: ServiceModule) -> dict:
    """A module of a service with its placement evidence: why here, and what else it could be."""
    return {
        "name": module.name,
        "path": module.path,
        "confidence": module.confidence,
        "ties": [_tie(t) for t in module.ties],
        "runner_up": module.runner_up,
        "runner_up_ties": [_tie(t) for t in module.runner_up_ties],
        "own_weight": module.own_weight,
        "runner_up_weight": module.runner_up_weight,
    }


def _tie(tie: Tie) -> dict:
    return {"module": tie.module, "kind": tie.kind, "weight": tie.weight}


def _decomposition(decomposition: Decomposition) -> dict:
    return {
        "method": decomposition.method,
        "symbol_moves": [
            {
                "module": m.module,
                "symbol": m.symbol,
                "from": m.from_service,
                "to": m.to_service,
                "uses_by_target": m.uses_by_target,
                "uses_by_home": m.uses_by_home,
            }
            for m in decomposition.symbol_moves
        ],
        "cycles": [
            {
                "services": list(c.services),
                "edges": [_cycle_edge(e) for e in c.edges],
                "cheapest_cut": [_cycle_edge(e) for e in c.cheapest_cut],
            }
            for c in decomposition.cycles
        ],
        "ownership": [{"entity": entity, "owner": owner} for entity, owner in decomposition.ownership],
        "conflicts": [
            {"entity": c.entity, "owner": c.owner, "used_by": [{"service": s, "uses": n} for s, n in c.users]}
            for c in decomposition.conflicts
        ],
    }


def _metrics(metrics: MetricsReport) -> dict:
    """The proposal's and the current package structure's figures side by side; services
    of both; modules once, with the service each puts them in."""
    current_service = {m.module: m.service for m in metrics.current.modules}
    modules = []
    for row in metrics.proposed.modules:
        record = asdict(row)
        record["current_service"] = current_service.get(row.module)
        modules.append(record)
    measured = metrics.proposed.overall.cross_service_commits is not None
    document = {
        "proposed": _measured(asdict(metrics.proposed.overall)),
        "current": _measured(asdict(metrics.current.overall)),
        "better": {k: m.better for k, m in OVERALL.items() if measured or k not in _HISTORY_METRICS},
        "services": [
            {"decomposition": which, **_measured(asdict(row))}
            for which, measures in (("proposed", metrics.proposed), ("current", metrics.current))
            for row in measures.services
        ],
        "modules": modules,
    }
    if measured:
        document["shared_commits"] = {
            which: [{"services": [a, b], "commits": n} for a, b, n in measures.shared_commits]
            for which, measures in (("proposed", metrics.proposed), ("current", metrics.current))
        }
    return document


# Figures only git history gives (overall, and per service): absent, not null, without it.
_HISTORY_METRICS = OverallMetrics.HISTORY_ONLY | {"commits", "crossing_commits"}


def _measured(record: dict) -> dict:
    return {k: v for k, v in record.items() if not (k in _HISTORY_METRICS and v is None)}


def _cycle_edge(edge: CycleEdge) -> dict:
    return {"source": edge.source, "target": edge.target, "weight": edge.weight}


def _definition(definition: Definition) -> dict:
    entry = {
        "name": definition.name,
        "kind": _DEFINITION_KINDS[definition.kind],
        "line": definition.line,
        "end_line": definition.end_line,
    }
    if definition.bases:
        entry["bases"] = list(definition.bases)
    if definition.signature:
        entry["signature"] = definition.signature
    if definition.doc:
        entry["doc"] = definition.doc
    if definition.complexity:
        entry["complexity"] = definition.complexity
    if definition.abstract:
        entry["abstract"] = True
    return entry


def _diagnostic(diagnostic: Diagnostic) -> dict:
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
    }
