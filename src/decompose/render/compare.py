"""A comparison and a baseline check as files and terminal text: ``compare.json`` (the
machine-readable result; same input, same bytes), the terminal summary, the baseline
file. ``compare.html`` is in ``render.compare_html``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from decompose._io import write_atomic
from decompose._version import SCHEMA_VERSION, __version__
from decompose.api import BaselineCheck, CompareResult
from decompose.baseline import BASELINE_FORMAT, Baseline
from decompose.compare import Comparison, CrossEdge, CycleChange, MetricDelta
from decompose.gate import Violation
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
    c = result.comparison
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "decompose", "version": __version__},
        "comparison": {
            "project": c.project,
            "before": c.before,
            "after": c.after,
            "services_from": c.services_from,
            "modules_matched": len(c.matched),
            "modules_renamed": len(c.renamed),
            "modules_new": len(c.placed),
            "modules_removed": len(c.removed),
            "proposal_agreement": c.proposal_agreement,
        },
        "gate": {
            "passed": result.passed,
            "rules": [rule.text for rule in result.rules],
            "violations": [_violation(v) for v in result.violations],
        },
        "overall": [_delta(d) for d in c.overall],
        "services": [
            {
                "name": s.name,
                "kind": s.kind,
                **{f.name: _delta(f, named=False) for f in s.figures},
                "api_added": list(s.api_added),
                "api_removed": list(s.api_removed),
            }
            for s in c.services
        ],
        "edges_added": [_edge(e) for e in c.edges_added],
        "edges_removed": [_edge(e) for e in c.edges_removed],
        "cycles_added": [_cycle(x) for x in c.cycles_added],
        "cycles_removed": [_cycle(x) for x in c.cycles_removed],
        "renamed": [{"before": m.before, "after": m.after, "similarity": m.similarity} for m in c.renamed],
        "placed": [
            {"module": p.module, "service": p.service, "reason": p.reason, "weight": p.weight}
            for p in c.placed
        ],
        "removed": list(c.removed),
        "proposal_moves": [
            {
                "module": m.module,
                "service": m.service,
                "proposed": m.proposed,
                "proposed_like": m.proposed_like,
            }
            for m in c.moves
        ],
        "assignment": [{"module": module, "service": service} for module, service in c.assignment],
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

    c = result.comparison
    out = _Text(width)
    out.line(f"{c.project}: {c.before} -> {c.after}, measured with the services of {_source(c)}")
    out.line(
        f"modules: {len(c.matched)} matched ({len(c.renamed)} renamed or moved), "
        f"{len(c.placed)} new, {len(c.removed)} removed"
    )
    out.table(_figures_table(c.overall))

    services = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for title in ("service", "modules", "cohesion", "uses out", "uses in", "API"):
        services.add_column(title, justify="left" if title == "service" else "right")
    for s in c.services:
        services.add_row(
            s.name,
            *(
                _change(s.figure(name))
                for name in ("modules", "cohesion", "out_weight", "in_weight", "api_size")
            ),
        )
    out.table(services)

    _edges(out, "cross-service dependencies removed", c.edges_removed)
    _edges(out, "cross-service dependencies added", c.edges_added)
    _cycles(out, "cycles removed", c.cycles_removed)
    _cycles(out, "cycles added", c.cycles_added)
    api = [(s.name, "+", n) for s in c.services for n in s.api_added]
    api += [(s.name, "-", n) for s in c.services for n in s.api_removed]
    if api:
        out.line(f"API surface changes ({len(api)}):")
        for service, sign, name in sorted(api)[:_LISTED]:
            out.line(f"  {service}: {sign} {name}")
        out.more(len(api))
    if c.renamed:
        out.line(f"renamed or moved ({len(c.renamed)}):")
        for match in c.renamed[:_LISTED]:
            out.line(f"  {match.before} -> {match.after} ({match.similarity:.0%} of definitions alike)")
        out.more(len(c.renamed))
    if c.placed:
        out.line(f"new modules ({len(c.placed)}), placed in the service they couple to most:")
        for placed in c.placed[:_LISTED]:
            out.line(f"  {placed.module} -> {placed.service} ({_reason(placed)})")
        out.more(len(c.placed))
    if c.removed:
        out.line(
            f"removed ({len(c.removed)}): "
            + ", ".join(c.removed[:_LISTED])
            + (" ..." if len(c.removed) > _LISTED else "")
        )
    out.line(
        f"proposal on {c.after}: {c.proposal_agreement:g}% like these services (MoJoFM); "
        f"{len(c.moves)} modules would move"
    )
    for move in c.moves[:_LISTED]:
        out.line(
            f"  {move.module}: {move.service} -> {move.proposed_like} (its proposed service {move.proposed!r})"
        )
    out.more(len(c.moves))
    _gate(out, result.rules, result.violations)
    return out.text()


def _source(c: Comparison) -> str:
    return f"{c.before} and [tool.decompose.pin]" if c.services_from == "pinned" else c.before


def _reason(placed) -> str:
    if placed.reason == "coupling":
        return f"{placed.weight} uses"
    return {
        "package": "no coupling: its package's service",
        "pinned": "pinned",
        "none": "coupled to nothing",
    }[placed.reason]


def _figures_table(figures: Sequence[MetricDelta]):
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
            _number(figure.before),
            _number(figure.after),
            _signed(figure.delta),
            figure.verdict if figure.verdict in ("better", "worse") else "",
        )
    return table


def _edges(out: _Text, title: str, edges: Sequence[CrossEdge]) -> None:
    out.line(f"{title} ({len(edges)}):")
    for edge in edges[:_LISTED]:
        out.line(
            f"  {edge.source} -> {edge.target} ({edge.source_service} -> {edge.target_service}, {edge.weight} uses)"
        )
    out.more(len(edges))


def _cycles(out: _Text, title: str, cycles: Sequence[CycleChange]) -> None:
    out.line(f"{title} ({len(cycles)}):")
    for cycle in cycles[:_LISTED]:
        closing = ", ".join(f"{e.source} -> {e.target}" for e in cycle.edges[:4])
        more = f", and {len(cycle.edges) - 4} more" if len(cycle.edges) > 4 else ""
        out.line(f"  {' -> '.join((*cycle.services, cycle.services[0]))}: {closing}{more}")
    out.more(len(cycles))


def _gate(out: _Text, rules, violations: Sequence[Violation]) -> None:
    if not rules:
        out.line("gate: no rules (--fail-on or [tool.decompose] fail-on)")
    elif not violations:
        out.line(f"gate: passed ({', '.join(r.text for r in rules)})")
    else:
        out.line(f"gate: FAILED, {len(violations)} of the limits passed:")
        for violation in violations:
            out.line(f"  {violation.message}")


def _change(delta: MetricDelta) -> str:
    if delta.before == delta.after:
        return _number(delta.after)
    return f"{_number(delta.before)} -> {_number(delta.after)}"


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:.4f}"


def _signed(value: float | None) -> str:
    if value is None:
        return "-"
    if value == 0:
        return "0"
    text = _number(abs(value))
    return f"+{text}" if value > 0 else f"-{text}"


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

    def more(self, total: int) -> None:
        if total > _LISTED:
            self.line(f"  ... and {total - _LISTED} more (compare.json has them all)")

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
    out.table(_figures_table(check.figures))
    _gate(out, check.rules, check.violations)
    return out.text()
