"""A comparison and a baseline check as files and terminal text: ``compare.json`` (the
machine-readable result; same input, same bytes), the terminal summary, the baseline
file. ``compare.html`` is in ``render.compare_html``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from decompose._io import write_atomic
from decompose._version import SCHEMA_VERSION, __version__
from decompose.api import BaselineCheck, CompareResult
from decompose.baseline import BASELINE_FORMAT, Baseline
from decompose.compare import CrossEdge, CycleChange, MetricDelta
from decompose.gate import Violation
from decompose.metrics import Verdict
from decompose.render._compare_view import FigureRow, comparison_view, figure_rows, reason
from decompose.render.json import document_json

__all__ = [
    "comparison_document",
    "comparison_json",
    "comparison_text",
    "baseline_json",
    "baseline_text",
    "write_comparison",
    "COMPARE_FILE",
    "COMPARE_PAGE",
]

COMPARE_FILE = "compare.json"
COMPARE_PAGE = "compare.html"
_LISTED = 15  # edges, modules and moves listed on the terminal; the files hold them all
_T = TypeVar("_T")


def write_comparison(result: CompareResult, out_dir: Path) -> list[Path]:
    """Write ``compare.json`` and ``compare.html`` into ``out_dir``; return their paths."""
    from decompose.render.compare_html import comparison_html

    data, page = out_dir / COMPARE_FILE, out_dir / COMPARE_PAGE
    write_atomic(data, comparison_json(result))
    write_atomic(page, comparison_html(result).encode("utf-8"))
    return [data, page]


# ------------------------------------------------------------------------------ compare.json


def comparison_json(result: CompareResult) -> bytes:
    return document_json(comparison_document(result))


def comparison_document(result: CompareResult) -> dict:
    v = comparison_view(result)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "decompose", "version": __version__},
        "comparison": {
            "project": v.project,
            "before": v.before,
            "after": v.after,
            "services_from": v.services_from,
            "modules_matched": v.matched,
            "modules_renamed": len(v.renamed),
            "modules_new": len(v.placed),
            "modules_removed": len(v.removed),
            "proposal_agreement": v.proposal_agreement,
        },
        "gate": {
            "passed": v.passed,
            "rules": [rule.text for rule in v.rules],
            "violations": [_violation(x) for x in v.violations],
        },
        "overall": [_delta(f.delta) for f in v.overall],
        "services": [
            {
                "name": s.name,
                "kind": s.kind,
                **{f.name: _delta(f.delta, named=False) for f in s.figures},
                "api_added": list(s.api_added),
                "api_removed": list(s.api_removed),
            }
            for s in v.services
        ],
        "edges_added": [_edge(e) for e in v.edges_added],
        "edges_removed": [_edge(e) for e in v.edges_removed],
        "cycles_added": [_cycle(x) for x in v.cycles_added],
        "cycles_removed": [_cycle(x) for x in v.cycles_removed],
        "renamed": [{"before": m.before, "after": m.after, "similarity": m.similarity} for m in v.renamed],
        "placed": [
            {"module": p.module, "service": p.service, "reason": p.reason, "weight": p.weight}
            for p in v.placed
        ],
        "removed": list(v.removed),
        "proposal_moves": [
            {
                "module": m.module,
                "service": m.service,
                "proposed": m.proposed,
                "proposed_like": m.proposed_like,
            }
            for m in v.moves
        ],
        "assignment": [{"module": module, "service": service} for module, service in v.assignment],
    }


def _delta(delta: MetricDelta, named: bool = True) -> dict:
    record = {"name": delta.name} if named else {}
    record.update(
        before=delta.before, after=delta.after, delta=delta.delta, better=delta.better, verdict=delta.verdict
    )
    return record


def _edge(edge: CrossEdge) -> dict:
    return {
        "source": edge.source,
        "target": edge.target,
        "source_service": edge.source_service,
        "target_service": edge.target_service,
        "weight": edge.weight,
    }


def _cycle(cycle: CycleChange) -> dict:
    return {
        "services": list(cycle.services),
        "edges": [{"source": e.source, "target": e.target, "weight": e.weight} for e in cycle.edges],
    }


def _violation(violation: Violation) -> dict:
    return {
        "rule": violation.rule.text,
        "metric": violation.metric,
        "before": violation.before,
        "after": violation.after,
        "limit": violation.limit,
        "message": violation.message,
    }


# ------------------------------------------------------------------------------ terminal


def comparison_text(result: CompareResult, width: int = 100) -> str:
    """The summary a person reads on the terminal: figures, services, what changed, the gate."""
    from rich import box
    from rich.table import Table

    v = comparison_view(result)
    out = _Text(width)
    out.line(f"{v.project}: {v.before} -> {v.after}, measured with the services of {v.source}")
    out.line(
        f"modules: {v.matched} matched ({len(v.renamed)} renamed or moved), "
        f"{len(v.placed)} new, {len(v.removed)} removed"
    )
    out.table(_figures_table(v.overall))

    services = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for title in ("service", "modules", "cohesion", "uses out", "uses in", "API"):
        services.add_column(title, justify="left" if title == "service" else "right")
    for s in v.services:
        services.add_row(
            s.name,
            *(
                _change(s.figure(name))
                for name in ("modules", "cohesion", "out_weight", "in_weight", "api_size")
            ),
        )
    out.table(services)

    out.listing(f"cross-service dependencies removed ({len(v.edges_removed)}):", v.edges_removed, _edge_line)
    out.listing(f"cross-service dependencies added ({len(v.edges_added)}):", v.edges_added, _edge_line)
    out.listing(f"cycles removed ({len(v.cycles_removed)}):", v.cycles_removed, _cycle_line)
    out.listing(f"cycles added ({len(v.cycles_added)}):", v.cycles_added, _cycle_line)
    if v.api:
        out.listing(
            f"API surface changes ({len(v.api)}):", v.api, lambda c: f"{c.service}: {c.sign} {c.symbol}"
        )
    if v.renamed:
        out.listing(
            f"renamed or moved ({len(v.renamed)}):",
            v.renamed,
            lambda m: f"{m.before} -> {m.after} ({m.similarity:.0%} of definitions alike)",
        )
    if v.placed:
        out.listing(
            f"new modules ({len(v.placed)}), placed in the service they couple to most:",
            v.placed,
            lambda p: f"{p.module} -> {p.service} ({reason(p)})",
        )
    if v.removed:
        out.line(
            f"removed ({len(v.removed)}): "
            + ", ".join(v.removed[:_LISTED])
            + (" ..." if len(v.removed) > _LISTED else "")
        )
    out.listing(
        f"proposal on {v.after}: {v.proposal_agreement:g}% like these services (MoJoFM); "
        f"{len(v.moves)} modules would move",
        v.moves,
        lambda m: f"{m.module}: {m.service} -> {m.proposed_like} (its proposed service {m.proposed!r})",
    )
    _gate(out, v.rules, v.violations)
    return out.text()


def _figures_table(figures: Sequence[FigureRow]):
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("metric")
    for column in ("before", "after", "change"):
        table.add_column(column, justify="right")
    table.add_column("")
    for figure in figures:
        table.add_row(
            figure.name,
            figure.before,
            figure.after,
            figure.change,
            figure.verdict if figure.verdict in (Verdict.BETTER, Verdict.WORSE) else "",
        )
    return table


def _edge_line(edge: CrossEdge) -> str:
    return f"{edge.source} -> {edge.target} ({edge.source_service} -> {edge.target_service}, {edge.weight} uses)"


def _cycle_line(cycle: CycleChange) -> str:
    closing = ", ".join(f"{e.source} -> {e.target}" for e in cycle.edges[:4])
    more = f", and {len(cycle.edges) - 4} more" if len(cycle.edges) > 4 else ""
    return f"{' -> '.join((*cycle.services, cycle.services[0]))}: {closing}{more}"


def _gate(out: _Text, rules, violations: Sequence[Violation]) -> None:
    if not rules:
        out.line("gate: no rules (--fail-on or [tool.decompose] fail-on)")
    elif not violations:
        out.line(f"gate: passed ({', '.join(r.text for r in rules)})")
    else:
        out.line(f"gate: FAILED, {len(violations)} of the limits passed:")
        for violation in violations:
            out.line(f"  {violation.message}")


def _change(figure: FigureRow) -> str:
    return f"{figure.before} -> {figure.after}" if figure.changed else figure.after


class _Text:
    """Lines and rich tables, rendered to plain text (no colour, fixed width)."""

    def __init__(self, width: int) -> None:
        from io import StringIO

        from rich.console import Console

        self._buffer = StringIO()
        self._console = Console(
            file=self._buffer, width=width, color_system=None, highlight=False, markup=False, emoji=False
        )

    def line(self, text: str) -> None:
        self._console.print(text, soft_wrap=True)

    def table(self, table) -> None:
        self._console.print(table)

    def listing(self, heading: str, items: Sequence[_T], show: Callable[[_T], str]) -> None:
        """``heading``, then the first items shown one a line, indented, then how many more."""
        self.line(heading)
        for item in items[:_LISTED]:
            self.line(f"  {show(item)}")
        if len(items) > _LISTED:
            self.line(f"  ... and {len(items) - _LISTED} more (compare.json has them all)")

    def text(self) -> str:
        lines = [line.rstrip() for line in self._buffer.getvalue().splitlines()]
        kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
        return "\n".join(kept).strip("\n") + "\n"


# ------------------------------------------------------------------------------ baseline


def baseline_json(baseline: Baseline) -> bytes:
    return document_json(
        {
            "decompose_baseline": BASELINE_FORMAT,
            "tool": {"name": "decompose", "version": __version__},
            "project": baseline.project,
            "metrics": dict(baseline.figures),
            "services": [
                {"name": name, "kind": kind, "modules": list(modules)}
                for name, kind, modules in baseline.services
            ],
        }
    )


def baseline_text(check: BaselineCheck, source: str, width: int = 100) -> str:
    """Today's figures against the baseline's, and the gate."""
    out = _Text(width)
    out.line(
        f"against the baseline {source}: {len(check.placed)} new modules placed, {len(check.removed)} gone"
    )
    out.table(_figures_table(figure_rows(check.figures)))
    _gate(out, check.rules, check.violations)
    return out.text()
