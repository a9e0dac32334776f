"""The view model of a comparison: what ``compare.json``, ``compare.html`` and the terminal
show of a ``CompareResult``, section by section, with every figure formatted once. The
renderers only lay it out (JSON records, HTML markup, terminal lines)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from decompose.api import CompareResult
from decompose.compare import CrossEdge, CycleChange, MetricDelta, ModuleMatch, Placement, ServiceMove
from decompose.gate import Rule, Violation
from decompose.metrics import Better, Verdict
from decompose.render._numbers import number, signed

__all__ = [
    "ComparisonView",
    "FigureRow",
    "ServiceRow",
    "ApiChange",
    "comparison_view",
    "figure_rows",
    "reason",
]


@dataclass(frozen=True)
class FigureRow:
    """One figure before and after, formatted; ``delta`` is the figure as measured."""

    name: str
    before: str
    after: str
    change: str  # signed
    verdict: Verdict
    better: Better | None
    delta: MetricDelta

    @property
    def changed(self) -> bool:
        """Whether the figure as shown changed (a cell shows "before -> after" then)."""
        return self.delta.before != self.delta.after


@dataclass(frozen=True)
class ServiceRow:
    name: str
    kind: str
    figures: tuple[FigureRow, ...]  # the compare stage's service figures, in its order
    api_added: tuple[str, ...]
    api_removed: tuple[str, ...]

    def figure(self, name: str) -> FigureRow:
        return next(f for f in self.figures if f.name == name)


@dataclass(frozen=True)
class ApiChange:
    service: str
    sign: str  # "+" used by other services now, "-" no longer
    symbol: str  # "module:Symbol"


@dataclass(frozen=True)
class ComparisonView:
    project: str
    before: str
    after: str
    services_from: str
    source: str  # whose services both sides are measured with, in words
    overall: tuple[FigureRow, ...]
    services: tuple[ServiceRow, ...]
    edges_added: tuple[CrossEdge, ...]
    edges_removed: tuple[CrossEdge, ...]
    cycles_added: tuple[CycleChange, ...]
    cycles_removed: tuple[CycleChange, ...]
    api: tuple[ApiChange, ...]  # by service, additions before removals, by symbol
    matched: int
    renamed: tuple[ModuleMatch, ...]
    placed: tuple[Placement, ...]
    removed: tuple[str, ...]
    moves: tuple[ServiceMove, ...]
    proposal_agreement: float  # MoJoFM, percent
    assignment: tuple[tuple[str, str], ...]
    rules: tuple[Rule, ...]
    violations: tuple[Violation, ...]
    passed: bool


def comparison_view(result: CompareResult) -> ComparisonView:
    """What the renderers show of ``result``."""
    c = result.comparison
    services = tuple(
        ServiceRow(s.name, s.kind, figure_rows(s.figures), s.api_added, s.api_removed) for s in c.services
    )
    api = sorted(
        [ApiChange(s.name, "+", n) for s in c.services for n in s.api_added]
        + [ApiChange(s.name, "-", n) for s in c.services for n in s.api_removed],
        key=lambda a: (a.service, a.sign, a.symbol),
    )
    return ComparisonView(
        project=c.project,
        before=c.before,
        after=c.after,
        services_from=c.services_from,
        source=f"{c.before} and [tool.decompose.pin]" if c.services_from == "pinned" else c.before,
        overall=figure_rows(c.overall),
        services=services,
        edges_added=c.edges_added,
        edges_removed=c.edges_removed,
        cycles_added=c.cycles_added,
        cycles_removed=c.cycles_removed,
        api=tuple(api),
        matched=len(c.matched),
        renamed=c.renamed,
        placed=c.placed,
        removed=c.removed,
        moves=c.moves,
        proposal_agreement=c.proposal_agreement,
        assignment=c.assignment,
        rules=tuple(result.rules),
        violations=tuple(result.violations),
        passed=result.passed,
    )


def figure_rows(figures: Sequence[MetricDelta]) -> tuple[FigureRow, ...]:
    """Each figure before and after, formatted (a baseline check has such figures too)."""
    return tuple(
        FigureRow(f.name, number(f.before), number(f.after), signed(f.delta), f.verdict, f.better, f)
        for f in figures
    )


def reason(placed: Placement) -> str:
    """Why a new module joined its service, in words."""
    if placed.reason == "coupling":
        return f"{placed.weight} uses"
    return {
        "package": "no coupling: its package's service",
        "pinned": "pinned",
        "none": "coupled to nothing",
    }[placed.reason]
