"""``summary.md``: the proposal in a few lines, fit for a pull-request comment.

Every name from the analysed code is put in a code span (so no markup in it renders), with
pipes escaped for tables and line breaks removed.
"""

from __future__ import annotations

from decompose.api import Analysis
from decompose.metrics import OVERALL, Verdict, verdict
from decompose.model import ServiceKind

__all__ = ["summary_markdown"]

_TOP = 5  # cycles and contested entities listed
_UNSURE = 10  # least confident modules listed


# (metric, format): the figures a reviewer weighs first; the report has them all.
_HEADLINE = (
    ("modularity", "{:.2f}"),
    ("icp", "{:.0%}"),
    ("cross_call_share", "{:.0%}"),
    ("cross_edges", "{:,.0f}"),
    ("cycles", "{:,.0f}"),
)


def _better(name: str, before: float, after: float) -> str:
    found = verdict(before, after, OVERALL[name].better)
    return {Verdict.BETTER: "proposed", Verdict.WORSE: "today"}.get(found, "–")


def summary_markdown(analysis: Analysis) -> bytes:
    """The summary as UTF-8 Markdown. Same analysis, same bytes."""
    graph = analysis.graph
    decomposition = analysis.decomposition
    services = decomposition.services
    lines = sum(m.lines for m in graph.modules)
    domain = [s for s in services if s.kind != ServiceKind.SHARED]
    kernel = next((s for s in services if s.kind == ServiceKind.SHARED), None)
    out = [f"## decompose: {_code(analysis.project)}", ""]
    headline = f"**{len(graph.modules):,} modules, {lines:,} lines → {len(domain):,} services**"
    if kernel is not None:
        headline += f" and a shared kernel of {len(kernel.modules):,} modules ({kernel.lines:,} lines)"
    out += [headline + f". Method: {_code(decomposition.method)}.", ""]

    out += ["| service | lines | modules | API symbols | depends most on |", "|---|---:|---:|---:|---|"]
    for service in services:
        depends = ", ".join(f"{_code(d.service, table=True)} ({d.weight:,})" for d in service.depends_on[:3])
        name = _code(service.name, table=True) + (" (shared kernel)" if service.kind == ServiceKind.SHARED else "")
        out.append(
            f"| {name} | {service.lines:,} | {len(service.modules):,} | {len(service.api):,} | {depends or '–'} |"
        )
    out.append("")

    proposed, current = analysis.metrics.proposed, analysis.metrics.current
    crossing = proposed.overall.cross_weight
    total = crossing + sum(s.internal_weight for s in proposed.services)
    share = f" ({crossing / total:.0%})" if total else ""
    out += [
        f"- **Uses across services:** {crossing:,} of {total:,}{share}: each becomes an API call or a "
        "shared library after the split.",
        f"- **Cycles between services:** {proposed.overall.cycles:,}.",
        f"- **Contested data:** {len(decomposition.conflicts):,} of {len(decomposition.ownership):,} "
        "entities are used by services other than their owner.",
        f"- **Symbols to move:** {len(decomposition.symbol_moves):,}.",
        *_least_sure(services),
        f"- **Warnings:** {len(analysis.warnings):,} (files that could not be analysed, or only in part).",
        "",
        "| measure | today's packages | proposed | better |",
        "|---|---:|---:|---|",
    ]
    for name, shown in _HEADLINE:
        before, after = current.overall.values()[name], proposed.overall.values()[name]
        out.append(
            f"| {OVERALL[name].labelled} | {shown.format(before)} | {shown.format(after)} | {_better(name, before, after)} |"
        )
    out.append("")
    if decomposition.cycles:
        out += ["### Cycles and the cheapest cuts", ""]
        for cycle in decomposition.cycles[:_TOP]:
            loop = " → ".join(_code(s) for s in (*cycle.services, cycle.services[0]))
            cut = ", ".join(
                f"{_code(f'{e.source} -> {e.target}')} ({e.weight:,})" for e in cycle.cheapest_cut[:3]
            )
            more = f" and {len(cycle.cheapest_cut) - 3:,} more" if len(cycle.cheapest_cut) > 3 else ""
            out.append(f"- {loop}: cut {cut}{more}")
        if len(decomposition.cycles) > _TOP:
            out.append(f"- … and {len(decomposition.cycles) - _TOP:,} more in the report")
        out.append("")
    if decomposition.conflicts:
        out += ["### Most contested data", ""]
        for conflict in decomposition.conflicts[:_TOP]:
            users = ", ".join(f"{_code(s)} ({n:,})" for s, n in conflict.users)
            out.append(f"- {_code(conflict.entity)}, owned by {_code(conflict.owner)}, used by {users}")
        out.append("")
    out += _history(analysis)
    out += ["Open `index.html` beside this file for the full report.", ""]
    return "\n".join(out).encode("utf-8", "backslashreplace")


def _history(analysis: Analysis) -> list[str]:
    """A paragraph on what git says: commits across services today and proposed, and the
    top hotspots; nothing without history."""
    history, report = analysis.history, analysis.history_report
    if history is None or report is None:
        return []
    today = analysis.metrics.current.overall.cross_service_commits
    proposed = analysis.metrics.proposed.overall.cross_service_commits
    read = f"{history.commits:,} commit{'' if history.commits == 1 else 's'} read"
    if history.truncated:
        read += ", the newest only"
    out = ["### History", ""]
    if today is not None and proposed is not None:
        verdict, commits = _better("cross_service_commits", today, proposed), OVERALL["cross_service_commits"]
        out.append(
            f"- **{commits.label}** ({commits.better} is better): {today:.0%} with today's packages, "
            f"{proposed:.0%} proposed (better: {verdict}); {read}."
        )
    else:
        out.append(f"- {read[0].upper()}{read[1:]}.")
    if report.hotspots:
        shown = ", ".join(
            f"{_code(h.module)} in {_code(h.service)} ({h.score:,})" for h in report.hotspots[:_TOP]
        )
        out.append(f"- **Hotspots** (churn × complexity): {shown}.")
    return [*out, ""]


def _least_sure(services) -> list[str]:
    """One line naming the modules the proposal is least sure of, each with the service it
    is next most tied to; none when it is sure of every module."""
    unsure = sorted(
        (
            (m.confidence, m.name, m.runner_up, s.name)
            for s in services
            for m in s.modules
            if m.confidence < 1
        ),
        key=lambda row: (row[0], row[1]),
    )[:_UNSURE]
    if not unsure:
        return []
    shown = []
    for confidence, module, runner_up, service in unsure:
        other = f" or {_code(runner_up)}" if runner_up is not None else ""
        shown.append(f"{_code(module)} in {_code(service)}{other} ({confidence:.0%})")
    return [f"- **Least sure placements**, with the service each is next most tied to: {'; '.join(shown)}."]


def _code(text: str, table: bool = False) -> str:
    """``text`` as an inline code span: fenced with more backticks than it contains, on one
    line, pipes escaped inside a table."""
    text = " ".join(str(text).split()) or " "
    if table:
        text = text.replace("|", "\\|")
    longest = run = 0
    for character in text:
        run = run + 1 if character == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"
