"""The data the page's editor reads: what the metrics stage reads of the graph, by module index.

The page recomputes the proposal's figures in JavaScript after each edit (moving modules,
merging and splitting services), by the metrics stage's own definitions; this module only
lays out, as small JSON, the inputs those definitions read. It computes no figure.
"""

from __future__ import annotations

from collections import defaultdict

from decompose.api import Analysis
from decompose.metrics import NED_BOUNDS
from decompose.model import DefinitionKind, EdgeKind, UseKind

__all__ = ["edit_data", "SCRIPTS"]

# The page's script, in the order it is inlined: the map's layout, the editor's model and the
# editor's page side first (each defines one name), then the report's script, which uses them.
SCRIPTS = ("map.js", "edit.js", "editor.js", "report.js")

_SEARCHED = (DefinitionKind.CLASS, DefinitionKind.FUNCTION)


def edit_data(analysis: Analysis, module_index: dict[str, int]) -> dict:
    """The editor's inputs, modules referred to by their index in the page's module list:

    - ``edges``: one flat run of [source, target, weight, call weight] per distinct module
      pair, in the order the metrics stage first meets the pair in the graph's edges (weights
      sum every kind of use; the call weight, the uses of kind ``call`` alone);
    - ``symbols``: per top-level symbol another module uses, [its module, its name, the
      distinct modules using it, sorted];
    - ``entities``: per entity, [its defining module (-1: a bare table), [[user module, uses],
      ...]], uses as the metrics stage counts them (lines, at least one);
    - ``defined``: per module, its top-level classes and functions (for the search box);
    - ``ned``: the NED bounds.
    """
    graph = analysis.graph
    weights: dict[tuple[int, int], list[int]] = {}
    for edge in graph.edges:
        if edge.source not in module_index or edge.target not in module_index:
            continue
        key = (module_index[edge.source], module_index[edge.target])
        pair = weights.setdefault(key, [0, 0])
        pair[0] += edge.weight
        if edge.kind is EdgeKind.CALL:
            pair[1] += edge.weight
    edges = [
        n for (source, target), (weight, calls) in weights.items() for n in (source, target, weight, calls)
    ]

    users: dict[tuple[int, str], set[int]] = defaultdict(set)
    for edge in graph.symbol_edges:
        if edge.target_symbol and edge.target_module in module_index and edge.source_module in module_index:
            users[(module_index[edge.target_module], edge.target_symbol)].add(
                module_index[edge.source_module]
            )
    symbols = [[module, name, *sorted(found)] for (module, name), found in sorted(users.items())]

    uses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for use in analysis.data.uses:
        if use.kind is not UseKind.DEFINE and use.module in module_index:
            uses[use.entity][module_index[use.module]] += len(use.lines) or 1
    entities = [
        [
            module_index.get(entity.module, -1) if entity.module is not None else -1,
            [[m, n] for m, n in sorted(uses[entity.name].items())],
        ]
        for entity in analysis.data.entities
    ]
    defined = [
        sorted({d.name for d in m.definitions if d.kind in _SEARCHED and "." not in d.name})
        for m in graph.modules
    ]
    return {
        "edges": edges,
        "symbols": symbols,
        "entities": entities,
        "defined": defined,
        "ned": list(NED_BOUNDS),
    }
