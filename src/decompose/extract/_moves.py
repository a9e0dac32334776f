"""Symbol moves: a class or function of a god module moved into the service it serves.

The proposal's ``SymbolMove`` says which (a class of ``shop.models.core`` that the payment
service uses far more than its own does). The definition moves, verbatim, into a new
module of the service, ``<package>.<service>_moved``, with the imports it needs; the old
module keeps the name importable so that every old import still works:

* when the moved code needs nothing of its old module, by a plain re-export where the
  definition stood (``from shop.payment_moved import Payment``);
* when it does (a model's foreign key to a class beside it), by a module ``__getattr__``
  (PEP 562) that imports it on first use, so that neither module needs the other while it
  loads. The old module may then not use the name itself: such a move is refused.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from pathlib import Path

import libcst as cst

from decompose.extract._model import Export, ExtractError, FileChange, KeptImport, SymbolMoveApplied
from decompose.extract._project import ProjectIndex
from decompose.extract._texts import FACADE_MARK
from decompose.model import Decomposition, ImportFact, ModuleInfo, ModuleName, Service

__all__ = ["MovePlan", "plan_moves", "moved_module_name"]

_BUILTINS = frozenset(dir(builtins)) | {"__name__", "__file__", "__doc__", "__spec__", "__package__"}


class MovePlan:
    """What the moves into one service change: the files, the facade's new names, the
    re-exports left behind (imports of the service from outside, on purpose), and the
    modules the new module imports when it loads."""

    def __init__(self) -> None:
        self.applied: list[SymbolMoveApplied] = []
        self.changes: list[FileChange] = []
        self.exports: list[Export] = []
        self.kept: list[KeptImport] = []
        self.loads: set[str] = set()


def moved_module_name(facade: ModuleName, service: str) -> ModuleName:
    leaf = facade.leaf.removesuffix("_api") or "service"
    return facade.parent.child(f"{leaf}_moved")


def plan_moves(
    root: Path,
    decomposition: Decomposition,
    service: Service,
    index: ProjectIndex,
    infos: Mapping[ModuleName, ModuleInfo],
    facade: ModuleName,
    target_path: str,
) -> MovePlan:
    """The proposal's moves into ``service``. Raises ExtractError for a move that cannot be
    made safely (nothing is written)."""
    plan = MovePlan()
    moves = [m for m in decomposition.symbol_moves if m.to_service == service.name]
    if not moves:
        return plan
    target = moved_module_name(facade, service.name)
    if (root / target_path).exists():
        raise ExtractError(f"{target_path} exists: the symbol moves would overwrite it; nothing was written")
    header: list[str] = []
    body: list[str] = []
    future = False
    by_module: dict[ModuleName, list[str]] = {}
    for move in moves:
        by_module.setdefault(move.module, []).append(move.symbol)
    for module, symbols in sorted(by_module.items()):
        if module not in index:
            raise ExtractError(f"symbol move: {module} is not in the analysed tree")
        path = index.file(module).path
        source = (root / path).read_bytes()
        tree = cst.parse_module(source)
        imports, blocks, lazy, uses_old = _moved_code(index, module, tree, symbols)
        future |= any(f.module == "__future__" for f in index.facts(module).imports)
        header.extend(i for i in imports if i not in header)
        body.extend(blocks)
        if uses_old:
            plan.loads.add(module)
        new_tree = tree.visit(_LeaveBehind(set(symbols), target, lazy=lazy))
        if lazy:
            new_tree = _with_getattr(new_tree, symbols, target)
        else:
            lines = {d.name: d.line for d in index.facts(module).definitions}
            plan.kept.extend(
                KeptImport(
                    path, lines.get(s, 0), module, target, f"kept: the re-export left behind by moving {s} to {target}"
                )
                for s in symbols
            )
        plan.changes.append(FileChange(path, source, new_tree.bytes))
        for symbol in sorted(symbols):
            plan.applied.append(SymbolMoveApplied(module, symbol, target))
            plan.exports.append(Export(symbol, target, symbol))
    header = _merged(header)
    for line in header:
        plan.loads.add(line.split()[1])
    text = [
        f"{FACADE_MARK.decode()}: symbols moved into the service {service.name} by its symbol moves.",
        f'"""What the proposal moves into the service {service.name}, from the modules named below."""',
        "",
        *(["from __future__ import annotations", ""] if future else []),
        *header,
        "",
        "",
        *body,
    ]
    plan.changes.append(FileChange(target_path, None, ("\n".join(text).rstrip("\n") + "\n").encode("utf-8")))
    return plan


def _moved_code(
    index: ProjectIndex, module: ModuleName, tree: cst.Module, symbols: list[str]
) -> tuple[list[str], list[str], bool, bool]:
    """The import lines the moved definitions need, their code, whether the old module must
    re-export lazily (they need its names), and whether they need it at all."""
    facts = index.facts(module)
    top_level = {d.name for d in facts.definitions if "." not in d.name}
    bound = {f.bound_as: f for f in facts.imports if not f.scope and f.bound_as}
    needed: dict[str, None] = {}
    for ref in facts.references:
        if any(ref.scope == s or ref.scope.startswith(s + ".") for s in symbols):
            needed.setdefault(ref.target.partition(".")[0], None)
    for definition in facts.definitions:
        if definition.name in symbols:
            for base in definition.bases:
                needed.setdefault(base.partition(".")[0], None)
    outside_uses = [
        r
        for r in facts.references
        if r.target.partition(".")[0] in symbols
        and not any(r.scope == s or r.scope.startswith(s + ".") for s in symbols)
    ]
    imports: list[str] = []
    from_old: list[str] = []
    for name in needed:
        if name in symbols:
            continue
        if name in bound:
            imports.append(_import_line(index, module, bound[name]))
        elif name in top_level:
            from_old.append(name)
        elif name not in _BUILTINS:
            raise ExtractError(
                f"symbol move: {module}.{symbols[0]} uses {name!r}, which {module} neither defines nor imports by "
                "name (a star import?); move it by hand"
            )
    if from_old:
        imports.append(f"from {module} import {', '.join(sorted(from_old))}")
        if outside_uses:
            used = sorted({r.target.partition('.')[0] for r in outside_uses})
            raise ExtractError(
                f"symbol move: {', '.join(used)} would move out of {module}, which still uses it and whose names "
                "the moved code needs: neither could load first; move it by hand"
            )
    blocks = []
    found = set()
    for statement in tree.body:
        if isinstance(statement, (cst.ClassDef, cst.FunctionDef)) and statement.name.value in symbols:
            found.add(statement.name.value)
            blocks.append(tree.code_for_node(statement.with_changes(leading_lines=())).rstrip("\n") + "\n\n")
    missing = set(symbols) - found
    if missing:
        raise ExtractError(f"symbol move: {module} has no top-level class or function {', '.join(sorted(missing))}")
    return imports, blocks, bool(from_old), bool(from_old)


def _merged(lines: list[str]) -> list[str]:
    """``from m import a`` and ``from m import b`` as one line; plain imports as they are."""
    names: dict[str, list[str]] = {}
    merged: list[str] = []
    for line in lines:
        if line.startswith("from "):
            module, _, imported = line[5:].partition(" import ")
            if module not in names:
                names[module] = []
                merged.append(module)
            names[module].extend(n for n in imported.split(", ") if n not in names[module])
        elif line not in merged:
            merged.append(line)
    return [f"from {m} import {', '.join(sorted(names[m]))}" if m in names else m for m in merged]


def _import_line(index: ProjectIndex, module: ModuleName, fact: ImportFact) -> str:
    base = index.absolute(module, fact.level, fact.module) if fact.level else fact.module
    if fact.name is None:
        top = ModuleName(fact.module).top
        return f"import {fact.module}" if fact.bound_as == top else f"import {fact.module} as {fact.bound_as}"
    if fact.name == fact.bound_as:
        return f"from {base} import {fact.name}"
    return f"from {base} import {fact.name} as {fact.bound_as}"


class _LeaveBehind(cst.CSTTransformer):
    """Removes the moved definitions; with ``lazy`` off, a re-export stands in their place."""

    def __init__(self, symbols: set[str], target: str, lazy: bool) -> None:
        self.symbols = symbols
        self.target = target
        self.lazy = lazy
        self.depth = 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.depth += 1

    def leave_IndentedBlock(self, original_node, updated_node):
        self.depth -= 1
        return updated_node

    def _leave(self, original_node, updated_node):
        if self.depth or original_node.name.value not in self.symbols:
            return updated_node
        if self.lazy:
            return cst.RemoveFromParent()
        name = original_node.name.value
        line = cst.parse_statement(f"from {self.target} import {name}  # moved there by decompose extract\n")
        return line.with_changes(leading_lines=original_node.leading_lines)

    def leave_ClassDef(self, original_node, updated_node):
        return self._leave(original_node, updated_node)

    def leave_FunctionDef(self, original_node, updated_node):
        return self._leave(original_node, updated_node)


def _with_getattr(tree: cst.Module, symbols: list[str], target: str) -> cst.Module:
    for statement in tree.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "__getattr__":
            raise ExtractError("symbol move: the module defines __getattr__ already; move it by hand")
    names = ", ".join(repr(s) for s in sorted(symbols))
    code = (
        f"def __getattr__(name: str):\n"
        f'    """{names}: moved to {target} by decompose extract, still importable from here."""\n'
        f"    if name in ({names},):\n"
        f"        import importlib\n\n"
        f"        return getattr(importlib.import_module({target!r}), name)\n"
        f'    raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")\n'
    )
    addition = cst.parse_module(code).body[0]
    addition = addition.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    return tree.with_changes(body=[*tree.body, addition])
