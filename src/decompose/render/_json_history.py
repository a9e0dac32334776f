"""The ``history`` key of analysis.json: what git says (co-change, authors, churn) and, with
it, the proposal's ownership and hotspots."""

from __future__ import annotations

from decompose.model import ChangeHistory, HistoryReport

__all__ = ["history_record"]


def history_record(history: ChangeHistory, report: HistoryReport | None) -> dict:
    document = {
        "commits": history.commits,
        "head": history.head,
        "truncated": history.truncated,
        "cochange": [
            {"modules": [p.a, p.b], "shared": p.shared, "degree": p.degree} for p in history.cochange
        ],
        "authors": {
            m.module: [[a.author, a.commits, a.lines] for a in m.authors]
            for m in history.modules
            if m.authors
        },
        "modules": {m.module: {"revisions": m.revisions, "churn": m.churn} for m in history.modules},
        "changesets": [list(modules) for modules in history.changesets],
        "notes": list(history.notes),
    }
    if report is not None:
        document.update(_ownership_and_hotspots(report))
    return document


def _ownership_and_hotspots(report: HistoryReport) -> dict:
    """Ownership per service, the hotspots, and the services by hotspot load (``history.csv``
    has every module's score)."""
    return {
        "ownership": [
            {
                "service": o.service,
                "commits": o.commits,
                "lines": o.lines,
                "authors": o.authors,
                "concentration": o.concentration,
                "top_authors": [[a.author, a.commits, a.lines] for a in o.top_authors],
                "elsewhere": [
                    {
                        "module": e.module,
                        "author": e.author,
                        "elsewhere": e.elsewhere,
                        "commits_here": e.commits_here,
                        "commits_elsewhere": e.commits_elsewhere,
                    }
                    for e in o.elsewhere
                ],
            }
            for o in report.ownership
        ],
        "hotspots": [h._asdict() for h in report.hotspots],
        "service_hotspots": [s._asdict() for s in report.service_hotspots],
    }
