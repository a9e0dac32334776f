"""Gather the facts of one parsed module: imports, definitions, references, and what the
module says about data: tables named in literal SQL, model classes' table names, and
model fields that point at other models.

The visitor records names as written. It resolves nothing across files; it only knows
which names a function binds itself (``_scope.py``), so that a local variable called
``order`` is not mistaken for the module ``order`` imported at the top, and which of its
own names come from ``abc`` and ``typing`` (``_imports.py``), so that it can tell an
abstract class from one that merely inherits from a class called ``Protocol``.

Its parts stand beside it, one concern each: control flow and McCabe's complexity
(``_flow.py``), imports, definitions (``_definitions.py``) and framework hooks
(``_hooks.py``). What it reads in literals is in ``_sql.py`` (tables in SQL), ``_orm.py``
(model fields and tables) and ``_signature.py`` (signatures and docstrings).
"""

from __future__ import annotations

import ast
import builtins
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from decompose.model import (
    Definition,
    DefinitionKind,
    FileFacts,
    HookRef,
    ImportFact,
    ModelMeta,
    Reference,
    ReferenceKind,
    RelationRef,
    SqlRef,
    StringRef,
)
from decompose.parse._definitions import DefinitionVisitor
from decompose.parse._flow import FlowVisitor
from decompose.parse._hooks import HOOK_CALLS, HookVisitor
from decompose.parse._imports import DYNAMIC_IMPORTERS, ImportVisitor, collect_imports_only, import_facts
from decompose.parse._nodes import DOTTED_STRING, dotted_name, literal_strings
from decompose.parse._orm import RELATION_FIELDS, relation_ref
from decompose.parse._read import count_lines, source_lines
from decompose.parse._scope import Scope, ScopeStack
from decompose.parse._sql import HOLE, sql_refs, starts_like_sql

__all__ = [
    "collect_facts",
    "collect_imports_only",
    "count_lines",
    "source_lines",
    "import_facts",
    "dotted_name",
]

_BUILTIN_NAMES = frozenset(dir(builtins))


def collect_facts(tree: ast.Module, lines: int) -> FileFacts:
    """Facts of a module. May raise RecursionError on pathologically nested code."""
    collector = _Collector()
    collector.visit_body(tree.body)
    module_names = {d.name for d in collector.definitions if "." not in d.name}
    module_names.update(i.bound_as for i in collector.imports if i.bound_as and not i.scope)
    grouped: dict[tuple[str, ReferenceKind, str], list[int]] = {}
    for head, target, kind, line, scope in collector.raw_references:
        if head in _BUILTIN_NAMES and head not in module_names:
            continue
        grouped.setdefault((target, kind, scope), []).append(line)
    references = tuple(
        Reference(target, kind, scope, tuple(sorted(uses))) for (target, kind, scope), uses in grouped.items()
    )
    return FileFacts(
        lines=lines,
        imports=tuple(collector.imports),
        definitions=tuple(collector.definitions),
        references=references,
        string_refs=tuple(collector.string_refs),
        all_names=collector.all_names,
        sql_refs=tuple(collector.sql_refs),
        model_meta=tuple(collector.model_meta),
        relations=tuple(collector.relations),
        hooks=tuple(collector.hooks),
    )


# Fields that never hold a reference: expression contexts and operators.
_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind"})


@functools.cache
def _child_fields(node_type: type) -> tuple[str, ...]:
    return tuple(f for f in node_type._fields if f not in _SKIPPED_FIELDS)


_DISPATCH: dict[type, Callable[[_Collector, ast.AST], None]] = {}


@dataclass
class _Collector(ScopeStack, FlowVisitor, ImportVisitor, DefinitionVisitor, HookVisitor, ast.NodeVisitor):
    """The fact visitor: traversal, bindings, uses and literals here; scopes, control flow,
    imports, definitions and hooks in the parts it is made of."""

    imports: list[ImportFact] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    # (head name, dotted target, kind, line, scope); filtered as function scopes close
    raw_references: list[tuple[str, str, ReferenceKind, int, str]] = field(default_factory=list)
    string_refs: list[StringRef] = field(default_factory=list)
    all_names: tuple[str, ...] | None = None
    sql_refs: list[SqlRef] = field(default_factory=list)
    model_meta: list[ModelMeta] = field(default_factory=list)
    relations: list[RelationRef] = field(default_factory=list)
    hooks: list[HookRef] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.scope = Scope("module", "")
        self.scopes: list[Scope] = [self.scope]
        self.function_depth = 0
        self.type_only = False
        self.conditional = False
        self.ref_kind: ReferenceKind | None = None  # forced kind inside annotations
        self._module_vars: set[str] = set()
        self.decisions = 0  # decision points counted since the current function opened
        self._abstraction_names: dict[str, str] = {}  # local name -> "abc", "abc.ABC", ...

    # ------------------------------------------------------------------ traversal

    def visit(self, node: ast.AST) -> None:
        # Unbound functions, cached per node type: bound methods kept on self would make
        # every collector a reference cycle that only the cyclic GC frees.
        node_type = type(node)
        method = _DISPATCH.get(node_type)
        if method is None:
            method = getattr(_Collector, "visit_" + node_type.__name__, _Collector.generic_visit)
            _DISPATCH[node_type] = method
        method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in _child_fields(type(node)):
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_body(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.visit(statement)

    # ------------------------------------------------------------------ bindings

    def _visit_pattern_capture(self, node: ast.AST) -> None:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            self._bind(name)
        self.generic_visit(node)

    visit_MatchAs = _visit_pattern_capture
    visit_MatchStar = _visit_pattern_capture
    visit_MatchMapping = _visit_pattern_capture

    def _visit_as(self, node: ast.AST, kind: ReferenceKind) -> None:
        if kind is ReferenceKind.ANNOTATION:
            saved = self.ref_kind
            self.ref_kind = kind
            self.visit(node)
            self.ref_kind = saved
            return
        dotted = dotted_name(node)
        if dotted is not None:
            self._record(dotted, kind, node.lineno)
        elif isinstance(node, ast.Call):
            inner = dotted_name(node.func)
            if inner is not None:
                self._record(inner, kind, node.lineno)
            else:
                self.visit(node.func)
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                self.visit(argument)
        else:
            self.visit(node)

    # ------------------------------------------------------------------ module-level names

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        if len(node.targets) == 1 and type(node.targets[0]) is ast.Name and self.scope.kind != "function":
            self._hook_assignment(node.targets[0].id, node.value, node)
        for target in node.targets:
            self._note_target(target, node)
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self._visit_as(node.annotation, ReferenceKind.ANNOTATION)
        self._note_target(node.target, node)
        self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if self.scope.kind == "module" and type(node.target) is ast.Name:
            self._hook_setting(node.target.id, node.value, node)
        if self.scope.kind == "module" and isinstance(node.target, ast.Name) and node.target.id == "__all__":
            extra = literal_strings(node.value)
            if extra is not None and self.all_names is not None:
                self.all_names = self.all_names + extra
        self.visit(node.target)

    def _note_target(self, target: ast.AST, node: ast.stmt) -> None:
        if self.scope.kind != "module" and self.scope.kind != "class":
            return
        if not self.scope.record_defs:
            return
        names = [t.id for t in ast.walk(target) if isinstance(t, ast.Name)]
        for name in names:
            if self.scope.kind == "module" and name == "__all__":
                value = getattr(node, "value", None)
                self.all_names = literal_strings(value) if value is not None else None
                continue
            if self.scope.kind != "module" or name in self._module_vars:
                continue
            self._module_vars.add(name)
            self._define(name, DefinitionKind.VARIABLE, node)

    # ------------------------------------------------------------------ uses

    def visit_Name(self, node: ast.Name) -> None:
        if type(node.ctx) is ast.Load:
            self._record(node.id, ReferenceKind.REFERENCE, node.lineno)
        else:
            self._bind(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = dotted_name(node)
        if dotted is None:
            self.visit(node.value)
        elif isinstance(node.ctx, ast.Load) or "." in dotted:
            self._record(dotted, ReferenceKind.REFERENCE, node.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        arguments = node.args
        callee = dotted_name(node.func)
        if callee is None:
            self.visit(node.func)
        else:
            self._record(callee, ReferenceKind.CALL, node.lineno)
            if callee in DYNAMIC_IMPORTERS:
                if self._dynamic_import(node):
                    arguments = node.args[1:]  # the literal is the import, not a string path too
            elif self.scope.kind == "class" and callee.rpartition(".")[2] in RELATION_FIELDS:
                relation = relation_ref(callee, node, self.scope.qualname)
                if relation is not None:
                    self.relations.append(relation)
            last = callee.rpartition(".")[2]
            if last in HOOK_CALLS:
                self._hook_call(callee, last, node)
        for argument in arguments:
            self.visit(argument)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def visit_Expr(self, node: ast.Expr) -> None:
        # A string standing alone is a docstring or a comment, never SQL that runs.
        value = node.value
        if type(value) is ast.Constant:
            if type(value.value) is str:
                self._dotted_string(value.value, value)
        else:
            self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is not str:
            return
        if self.ref_kind is ReferenceKind.ANNOTATION:
            if len(value) <= 200:
                self._string_annotation(value, node)
            return
        if starts_like_sql(value):
            self._sql(value, node)
        self._dotted_string(value, node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """An f-string's literal parts, read as one text with a hole for each
        interpolation: ``f"SELECT * FROM orders WHERE id = {n}"`` names ``orders``, while
        ``f"FROM {table}"`` names nothing."""
        parts = []
        for value in node.values:
            if type(value) is ast.Constant and type(value.value) is str:
                parts.append(value.value)
                self._dotted_string(value.value, value)
            else:
                parts.append(HOLE)
                self.visit(value)
        text = "".join(parts)
        if self.ref_kind is not ReferenceKind.ANNOTATION and starts_like_sql(text):
            self._sql(text, node)

    def _dotted_string(self, value: str, node: ast.AST) -> None:
        if len(value) <= 200 and DOTTED_STRING.fullmatch(value):
            self.string_refs.append(StringRef(value, node.lineno, self.scope.qualname))

    def _sql(self, text: str, node: ast.expr) -> None:
        self.sql_refs.extend(sql_refs(text, node.lineno, node.end_lineno or node.lineno, self.scope.qualname))

    def _string_annotation(self, value: str, node: ast.Constant) -> None:
        try:
            expression = ast.parse(value.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return
        for inner in ast.walk(expression):
            if hasattr(inner, "lineno"):
                inner.lineno = node.lineno
        self.visit(expression.body)
