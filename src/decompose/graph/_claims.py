"""The graph builder's untyped uses that framework wiring edges take over: an occurrence
counts once, under the kind that says what it is (see ``graph/_wiring.py``)."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from decompose.graph._resolve import Location
from decompose.model import EdgeKind, ModuleName

__all__ = ["Claims", "WiringEdge"]


class WiringEdge(NamedTuple):
    """One framework dependency: from ``module`` (code in ``scope``) to ``target``."""

    module: ModuleName
    scope: str
    target: Location
    kind: EdgeKind
    line: int
    end_line: int  # the untyped uses of the target within line..end_line are this one


UNTYPED = (EdgeKind.REFERENCE, EdgeKind.STRING, EdgeKind.CALL, EdgeKind.ANNOTATION, EdgeKind.DECORATOR)


class Claims:
    """The graph builder's tables of untyped uses, from which each wiring edge takes the
    one it explains: a use of the same target module within the edge's lines."""

    def __init__(self, module_lines: dict, symbol_lines: dict) -> None:
        self._module_lines = module_lines  # (source, target, kind) -> lines
        self._symbol_lines = symbol_lines  # (source, symbol, target, symbol, kind) -> lines
        self._by_pair: dict[tuple, list[tuple]] = defaultdict(list)
        for key in symbol_lines:
            if key[4] in UNTYPED:
                self._by_pair[(key[0], key[2], key[4])].append(key)

    def apply(self, edges: list[WiringEdge], add) -> None:
        for edge in edges:
            line = self._claim(edge)
            add(edge.module, edge.scope, edge.target, edge.kind, (edge.line if line is None else line,))

    def _claim(self, edge: WiringEdge) -> int | None:
        source, target = edge.module, edge.target.module
        kinds = UNTYPED
        line = None
        if source != target:
            for kind in UNTYPED:
                key = (source, target, kind)
                lines = self._module_lines.get(key)
                line = _take(lines, edge.line, edge.end_line) if lines else None
                if line is not None:
                    if not lines:
                        del self._module_lines[key]
                    kinds = (kind,)
                    break
            else:
                return None
        source_symbol = edge.scope.partition(".")[0]
        for kind in kinds:
            # The use of the very symbol from the same source symbol first (a dict lookup),
            # then any other of the pair (a string naming the module of a loaded class).
            exact = (source, source_symbol, target, edge.target.symbol, kind)
            for key in (exact, *self._by_pair.get((source, target, kind), ())):
                lines = self._symbol_lines.get(key)
                taken = _take(lines, edge.line, edge.end_line) if lines else None
                if taken is not None:
                    if not lines:
                        del self._symbol_lines[key]
                    return taken if line is None else line
        return line


def _take(lines: list[int], start: int, end: int) -> int | None:
    """Remove and return one of ``lines`` within start..end."""
    for index, line in enumerate(lines):
        if start <= line <= end:
            del lines[index]
            return line
    return None
