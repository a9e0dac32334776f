"""Ownership and hotspots: what a decomposition's services look like in the git history.

Ownership (Conway's law): who changed each service over the authors' window, how much of
that work the top three authors did, and the modules whose main author changes another
service more than this one (a team boundary the cut does not follow). An author's commits
to a service are summed over its modules, as ``ModuleHistory.authors`` counts them: a
commit changing two of its modules counts twice.

Hotspots (Tornhill, "Your Code as a Crime Scene", 2015): a module's churn (lines added
plus deleted, every commit read) times its complexity (McCabe's, summed over its functions
and methods): code that is both hard to read and often changed. A service's hotspot load
is the sum of its modules' scores.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from decompose.metrics._measure import UNASSIGNED
from decompose.model import (
    AuthorElsewhere,
    ChangeHistory,
    Decomposition,
    DefinitionKind,
    DependencyGraph,
    HistoryReport,
    Hotspot,
    ModuleName,
    ServiceAuthor,
    ServiceHotspots,
    ServiceOwnership,
)

__all__ = ["measure_history", "HOTSPOTS", "TOP_AUTHORS"]

HOTSPOTS = 20  # hotspots listed
TOP_AUTHORS = 10  # authors kept per service
_CONCENTRATED = 3  # the concentration is the share of this many authors' commits
_FUNCTIONS = (DefinitionKind.FUNCTION, DefinitionKind.METHOD)
_DIGITS = 4


def measure_history(
    history: ChangeHistory, decomposition: Decomposition, graph: DependencyGraph
) -> HistoryReport:
    """Ownership per service and hotspots per module and service of ``decomposition``.

    Only the modules of ``graph`` count (a module of the history no longer analysed is left
    out); one the decomposition does not place is in a service named ``UNASSIGNED``, as
    the metrics stage measures it. Shares are rounded to 4 decimals."""
    placed = {m.name: s.name for s in decomposition.services for m in s.modules}
    service_of = {m.name: placed.get(m.name, UNASSIGNED) for m in graph.modules}
    order = [s.name for s in decomposition.services]
    if UNASSIGNED in service_of.values() and UNASSIGNED not in order:
        order.append(UNASSIGNED)
    changes = {m.module: m for m in history.modules if m.module in service_of}
    ownership = _ownership(changes, service_of, order)
    modules = tuple(
        _hotspot(m.name, service_of[m.name], changes.get(m.name), m.definitions) for m in graph.modules
    )
    hottest = sorted((m for m in modules if m.score > 0), key=_hottest_first)
    return HistoryReport(
        ownership=ownership,
        modules=modules,
        hotspots=tuple(hottest[:HOTSPOTS]),
        service_hotspots=_service_hotspots(hottest, order),
    )


# ------------------------------------------------------------------------------ ownership


def _ownership(changes, service_of, order) -> tuple[ServiceOwnership, ...]:
    # service -> author -> [commits, lines], summed over the service's modules
    work: dict[str, dict[str, list[int]]] = {name: defaultdict(lambda: [0, 0]) for name in order}
    for module, change in sorted(changes.items()):
        for share in change.authors:
            figures = work[service_of[module]][share.author]
            figures[0] += share.commits
            figures[1] += share.lines
    # author -> the service they change most (most commits, then the first by name)
    busiest: dict[str, tuple[str, int]] = {}
    for service in sorted(work):
        for author, (commits, _) in work[service].items():
            if author not in busiest or commits > busiest[author][1]:
                busiest[author] = (service, commits)
    elsewhere: dict[str, list[AuthorElsewhere]] = defaultdict(list)
    for module, change in sorted(changes.items()):
        if not change.authors:
            continue
        main = change.authors[0].author  # most commits first, then most lines, then by name
        here = service_of[module]
        there, commits_there = busiest[main]
        commits_here = work[here][main][0]
        if there != here and commits_there > commits_here:
            elsewhere[here].append(AuthorElsewhere(module, main, here, there, commits_here, commits_there))
    rows = []
    for service in order:
        authors = sorted(
            (ServiceAuthor(author, commits, lines) for author, (commits, lines) in work[service].items()),
            key=lambda a: (-a.commits, -a.lines, a.author),
        )
        commits = sum(a.commits for a in authors)
        top = sum(a.commits for a in authors[:_CONCENTRATED])
        rows.append(
            ServiceOwnership(
                service=service,
                commits=commits,
                lines=sum(a.lines for a in authors),
                authors=len(authors),
                top_authors=tuple(authors[:TOP_AUTHORS]),
                concentration=_round(top / commits) if commits else None,
                elsewhere=tuple(elsewhere[service]),
            )
        )
    return tuple(rows)


# ------------------------------------------------------------------------------ hotspots


def _hotspot(module: ModuleName, service: str, change, definitions) -> Hotspot:
    complexity = sum(d.complexity for d in definitions if d.kind in _FUNCTIONS)
    if change is None:
        return Hotspot(module, service, 0, 0, complexity, 0, None, 0)
    return Hotspot(
        module=module,
        service=service,
        revisions=change.revisions,
        churn=change.churn,
        complexity=complexity,
        score=change.churn * complexity,
        main_author=change.authors[0].author if change.authors else None,
        authors=len({a.author for a in change.authors}),
    )


def _hottest_first(hotspot: Hotspot) -> tuple:
    return (-hotspot.score, -hotspot.churn, hotspot.module)


def _service_hotspots(hottest: list[Hotspot], order: list[str]) -> tuple[ServiceHotspots, ...]:
    """Every service by its load, the highest first (then in the decomposition's order)."""
    load: Counter[str] = Counter()
    scoring: Counter[str] = Counter()
    first: dict[str, ModuleName] = {}
    for hotspot in hottest:  # the highest first: a service's first is its hottest
        load[hotspot.service] += hotspot.score
        scoring[hotspot.service] += 1
        first.setdefault(hotspot.service, hotspot.module)
    total = sum(load.values())
    position = {name: i for i, name in enumerate(order)}
    return tuple(
        ServiceHotspots(
            service=name,
            load=load[name],
            share=_round(load[name] / total) if total else 0.0,
            modules=scoring[name],
            hottest=first.get(name),
        )
        for name in sorted(order, key=lambda name: (-load[name], position[name]))
    )


def _round(value: float) -> float:
    return round(value, _DIGITS) + 0.0
