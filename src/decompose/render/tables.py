"""Tables of an analysis as pandas DataFrames, and as CSV files.

Each ``*_frame`` function is public and plain: one row per thing, readable column names,
values as computed (no formatting), so the HTML report can reuse the frames for its
sortable tables and downloads. ``write_tables`` writes them as CSV. pandas is imported
inside the functions that use it: the CLI starts without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from decompose._io import write_atomic
from decompose.api import Analysis
from decompose.metrics import OVERALL
from decompose.model import Measures

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "modules_frame",
    "services_frame",
    "api_frame",
    "edges_frame",
    "metrics_frame",
    "history_frame",
    "write_tables",
    "TABLES",
    "HISTORY_TABLES",
]

# A cell a spreadsheet would run as a formula (OWASP, "CSV injection"): docstrings and
# signatures come from untrusted code.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def modules_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per module: its metrics, its proposed service and its package (the service
    it is in under the current package structure)."""
    import pandas as pd

    paths = {m.name: m.path for m in analysis.graph.modules}
    package = {m.module: m.service for m in analysis.metrics.current.modules}
    return pd.DataFrame(
        [
            {
                "module": m.module,
                "path": paths[m.module],
                "service": m.service,
                "package": package[m.module],
                "lines": m.lines,
                "afferent (Ca)": m.afferent,
                "efferent (Ce)": m.efferent,
                "instability (I)": m.instability,
                "abstractness (A)": m.abstractness,
                "distance (D)": m.distance,
                "classes": m.classes,
                "abstract classes": m.abstract_classes,
                "functions": m.functions,
                "complexity": m.complexity,
                "max complexity": m.max_complexity,
            }
            for m in analysis.metrics.proposed.modules
        ],
        columns=_MODULE_COLUMNS,
    )


def services_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per service of the proposal, then one per service of the current package
    structure (column ``decomposition``: ``proposed`` or ``current``)."""
    import pandas as pd

    rows = []
    for which, measures in (("proposed", analysis.metrics.proposed), ("current", analysis.metrics.current)):
        rows.extend(_service_rows(which, measures))
    return pd.DataFrame(rows, columns=_SERVICE_COLUMNS)


def api_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per symbol of each proposed service's API surface, most used first."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "service": service.name,
                "module": symbol.module,
                "symbol": symbol.symbol,
                "kind": symbol.kind,
                "signature": symbol.signature,
                "doc": symbol.doc,
                "uses": symbol.uses,
                "caller modules": symbol.caller_modules,
                "caller services": symbol.caller_services,
            }
            for service in analysis.decomposition.services
            for symbol in service.api
        ],
        columns=_API_COLUMNS,
    )


def edges_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per module edge (one per kind), with the services and packages of its ends."""
    import pandas as pd

    service = {m.module: m.service for m in analysis.metrics.proposed.modules}
    package = {m.module: m.service for m in analysis.metrics.current.modules}
    return pd.DataFrame(
        [
            {
                "source": e.source,
                "target": e.target,
                "kind": e.kind.value,
                "weight": e.weight,
                "source service": service[e.source],
                "target service": service[e.target],
                "crosses services": service[e.source] != service[e.target],
                "source package": package[e.source],
                "target package": package[e.target],
                "crosses packages": package[e.source] != package[e.target],
            }
            for e in analysis.graph.edges
        ],
        columns=_EDGE_COLUMNS,
    )


def metrics_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per overall metric: the proposal's value, the current package structure's,
    the difference, and whether higher or lower is better."""
    import pandas as pd

    proposed = asdict(analysis.metrics.proposed.overall)  # counts stay integers
    current = asdict(analysis.metrics.current.overall)
    names = [n for n in proposed if proposed[n] is not None and current[n] is not None]

    def column(values: list) -> pd.Series:
        return pd.Series(values, dtype=object)  # a float column would print 9 services as 9.0

    return pd.DataFrame(
        {
            "metric": names,
            "proposed": column([proposed[n] for n in names]),
            "current": column([current[n] for n in names]),
            "change": column([round(proposed[n] - current[n], 4) + type(proposed[n])(0) for n in names]),
            "better": [str(OVERALL[n].better or "") for n in names],
        }
    )


def history_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per module with the git history: its proposed service, how often and how much
    it changed, its complexity, its hotspot score (churn × complexity), its main author
    (most commits over the authors' window) and how many authors changed it then. Empty
    without history."""
    import pandas as pd

    report = analysis.history_report
    return pd.DataFrame(
        [
            {
                "module": h.module,
                "service": h.service,
                "revisions": h.revisions,
                "churn": h.churn,
                "complexity": h.complexity,
                "hotspot score": h.score,
                "main author": h.main_author,
                "authors": h.authors,
            }
            for h in (report.modules if report is not None else ())
        ],
        columns=_HISTORY_COLUMNS,
    )


def write_tables(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write every table as CSV (UTF-8, ``\\n`` line ends, no index) into ``out_dir``,
    each file atomically; return their paths. ``HISTORY_TABLES`` only with history."""
    written = []
    tables = {**TABLES, **(HISTORY_TABLES if analysis.history_report is not None else {})}
    for name, builder in tables.items():
        frame = _defused(builder(analysis))
        target = out_dir / name
        write_atomic(target, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        written.append(target)
    return written


def _service_rows(which: str, measures: Measures) -> list[dict]:
    return [
        {
            "decomposition": which,
            "service": s.name,
            "kind": s.kind,
            "modules": s.modules,
            "lines": s.lines,
            "cohesion": s.cohesion,
            "internal weight": s.internal_weight,
            "out edges": s.out_edges,
            "out weight": s.out_weight,
            "services used": s.out_services,
            "in edges": s.in_edges,
            "in weight": s.in_weight,
            "used by services": s.in_services,
            "api size": s.api_size,
            "entities": s.entities,
            "entities in conflict": s.entities_in_conflict,
        }
        for s in measures.services
    ]


def _defused(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would evaluate, quoted with a leading apostrophe."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        values = frame[column].tolist()
        if any(isinstance(v, str) and v.startswith(_FORMULA_STARTS) for v in values):
            frame[column] = pd.Series(
                ["'" + v if isinstance(v, str) and v.startswith(_FORMULA_STARTS) else v for v in values],
                index=frame.index,
                dtype=object,
            )
    return frame


_MODULE_COLUMNS = [
    "module",
    "path",
    "service",
    "package",
    "lines",
    "afferent (Ca)",
    "efferent (Ce)",
    "instability (I)",
    "abstractness (A)",
    "distance (D)",
    "classes",
    "abstract classes",
    "functions",
    "complexity",
    "max complexity",
]
_SERVICE_COLUMNS = [
    "decomposition",
    "service",
    "kind",
    "modules",
    "lines",
    "cohesion",
    "internal weight",
    "out edges",
    "out weight",
    "services used",
    "in edges",
    "in weight",
    "used by services",
    "api size",
    "entities",
    "entities in conflict",
]
_API_COLUMNS = [
    "service",
    "module",
    "symbol",
    "kind",
    "signature",
    "doc",
    "uses",
    "caller modules",
    "caller services",
]
_EDGE_COLUMNS = [
    "source",
    "target",
    "kind",
    "weight",
    "source service",
    "target service",
    "crosses services",
    "source package",
    "target package",
    "crosses packages",
]
_HISTORY_COLUMNS = [
    "module",
    "service",
    "revisions",
    "churn",
    "complexity",
    "hotspot score",
    "main author",
    "authors",
]

# file name -> the function that builds its frame, in the order they are written
TABLES: dict[str, Callable[[Analysis], pd.DataFrame]] = {
    "modules.csv": modules_frame,
    "services.csv": services_frame,
    "api.csv": api_frame,
    "edges.csv": edges_frame,
    "metrics.csv": metrics_frame,
}
# ... and those written only when there is git history
HISTORY_TABLES: dict[str, Callable[[Analysis], pd.DataFrame]] = {
    "history.csv": history_frame,
}
