"""The page's indexes, computed once for the view, the data and the charts: each service's
position and colour, each module's service, and the uses between services and modules."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from decompose.api import Analysis
from decompose.render.html._colors import service_colors

__all__ = ["PageIndex", "page_index", "module_pairs"]


class PageIndex(NamedTuple):
    names: list[str]  # the proposal's services, in order: a service's index is its position
    index_of: dict[str, int]
    colors: list[str]  # by service index
    home: dict[str, int]  # module -> its service's index
    links: dict[tuple[int, int], int]  # (user, used) service indexes -> uses


def page_index(analysis: Analysis) -> PageIndex:
    """The proposal's services by index, with their colours, modules and dependencies (the
    services stage's)."""
    services = analysis.decomposition.services
    names = [s.name for s in services]
    index_of = {name: i for i, name in enumerate(names)}
    return PageIndex(
        names,
        index_of,
        service_colors(names, [s.kind for s in services]),
        {m.name: index_of[s.name] for s in services for m in s.modules},
        {(index_of[s.name], index_of[d.service]): d.weight for s in services for d in s.depends_on},
    )


def module_pairs(graph) -> dict[tuple[str, str], int]:
    """Module pairs with the weight of every kind of use between them: no figure, only the
    graph's edges as the module matrix and the drill-down into a matrix cell show them."""
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for edge in graph.edges:
        pairs[(edge.source, edge.target)] += edge.weight
    return pairs
