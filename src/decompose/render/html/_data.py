"""The page's data: the JSON embedded in ``index.html`` that the script reads to build the
per-service pages, the drill-downs and the editor, with modules referred to by index."""

from __future__ import annotations

import json
from typing import Any

from decompose.api import Analysis
from decompose.model import Service, ServiceModule, Tie
from decompose.render.html._edit import edit_data
from decompose.render.html._index import PageIndex

__all__ = ["page_data", "script_json"]


def page_data(analysis: Analysis, index: PageIndex, pairs: dict[tuple[str, str], int]) -> dict:
    """What the script needs to build the per-service pages and the matrix's drill-down,
    kept lean: modules are referred to by index."""
    colors, index_of, home = index.colors, index.index_of, index.home
    modules = analysis.graph.modules
    module_index = {m.name: i for i, m in enumerate(modules)}
    packages = [s.name for s in analysis.metrics.current.services]
    package_index = {name: i for i, name in enumerate(packages)}
    measured = {m.module: m for m in analysis.metrics.proposed.modules}
    package = {m.module: package_index[m.service] for m in analysis.metrics.current.modules}
    tie_kinds = sorted(
        {
            t.kind
            for s in analysis.decomposition.services
            for m in s.modules
            for t in (*m.ties, *m.runner_up_ties)
        }
    )
    kind_index = {kind: i for i, kind in enumerate(tie_kinds)}
    return {
        "project": analysis.project,
        "modules": [[m.name, m.path, m.lines, home.get(m.name, -1)] for m in modules],
        # Per module, in the order of "modules": its package today, then its metrics.
        "packages": packages,
        "metrics": [_module_metrics(measured[m.name], package[m.name]) for m in modules],
        # The kinds of signal a module's placement evidence names, referred to by index.
        "tie_kinds": tie_kinds,
        "services": [
            _service_data(s, colors[i], index_of, module_index, kind_index)
            for i, s in enumerate(analysis.decomposition.services)
        ],
        "pairs": [
            [module_index[s], module_index[t], w]
            for (s, t), w in sorted(pairs.items())
            if s in module_index and t in module_index
        ],
        "moves": [
            [module_index.get(m.module, -1), m.symbol, index_of[m.from_service], index_of[m.to_service]]
            + [m.uses_by_target, m.uses_by_home]
            for m in analysis.decomposition.symbol_moves
        ],
        "edit": edit_data(analysis, module_index),  # what the page's editor reads
    }


def _module_metrics(m, package: int) -> list:
    """[package, Ca, Ce, I, A, D, complexity, max complexity]; I and D null without coupling."""
    return [
        package,
        m.afferent,
        m.efferent,
        m.instability,
        m.abstractness,
        m.distance,
        m.complexity,
        m.max_complexity,
    ]


def _service_data(
    service: Service,
    color: str,
    index_of: dict[str, int],
    module_index: dict[str, int],
    kind_index: dict[str, int],
) -> dict:
    return {
        "name": service.name,
        "kind": service.kind,
        "color": color,
        "lines": service.lines,
        "modules": [_module_data(m, index_of, module_index, kind_index) for m in service.modules],
        "api": [
            [
                module_index[a.module],
                a.symbol,
                a.kind,
                a.signature,
                a.doc,
                a.uses,
                [[index_of[c.service], module_index[c.module], c.line] for c in a.callers],
            ]
            for a in service.api
        ],
        "depends": [[index_of[d.service], d.weight, [list(k) for k in d.kinds]] for d in service.depends_on],
        "entities": list(service.entities),
    }


def _module_data(
    module: ServiceModule, index_of: dict[str, int], module_index: dict[str, int], kind_index: dict[str, int]
) -> list:
    """[module, confidence], and when it has placement evidence: its ties here, the runner-up
    service (-1: none), its ties there, and the two sums. A tie is [module, kind, weight]; a
    module the page does not know (from a hand-edited analysis.json) is -1, shown as "?"."""
    entry: list = [module_index[module.name], round(module.confidence, 3)]
    weighed = module.ties or module.runner_up_ties or module.own_weight or module.runner_up_weight
    if module.runner_up is None and not weighed:
        return entry
    runner_up = -1 if module.runner_up is None else index_of.get(module.runner_up, -1)
    return [
        *entry,
        [_tie_data(t, module_index, kind_index) for t in module.ties],
        runner_up,
        [_tie_data(t, module_index, kind_index) for t in module.runner_up_ties],
        round(module.own_weight, 4),
        round(module.runner_up_weight, 4),
    ]


def _tie_data(tie: Tie, module_index: dict[str, int], kind_index: dict[str, int]) -> list:
    return [module_index.get(tie.module, -1), kind_index[tie.kind], round(tie.weight, 4)]


def script_json(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no character of it can close
    the element or start markup (ASCII only, so U+2028/9 are escaped too)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
