"""Gather the facts of one parsed module: imports, definitions, references, and what the
module says about data: tables named in literal SQL, model classes' table names, and
model fields that point at other models.

The visitor records names as written. It resolves nothing across files; it only knows
which names a function binds itself, so that a local variable called ``order`` is not
mistaken for the module ``order`` imported at the top, and which of its own names come
from ``abc`` and ``typing``, so that it can tell an abstract class from one that merely
inherits from a class called ``Protocol``.

While it walks, it counts each function's decision points for McCabe's cyclomatic
complexity (T. J. McCabe, "A Complexity Measure", IEEE TSE 2(4), 1976): for a function
with one entry and one exit, v(G) = decision points + 1. A decision point is an ``if`` or
``elif``, a conditional expression, a ``for`` or ``while`` loop (``async for`` too), an
``except`` clause, a ``case`` of a ``match`` (not a final catch-all ``case _:``), a ``for``
or ``if`` clause of a comprehension, and each ``and``/``or`` beyond the first operand
(a short-circuit is a branch; G. J. Myers' extension, SIGPLAN Notices 12(10), 1977, as
radon and lizard count). ``with``, ``assert``, ``try``/``finally`` and ``else`` add no
decision. A function nested in another one, and a lambda, count towards the function
they stand in (they are not addressable on their own); code at module or class level
counts towards no function.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from decompose.model import (
    Definition,
    DefinitionKind,
    FileFacts,
    HookKind,
    HookRef,
    ImportFact,
    ModelMeta,
    Reference,
    ReferenceKind,
    RelationRef,
    SqlRef,
    StringRef,
)

__all__ = [
    "collect_facts",
    "collect_imports_only",
    "count_lines",
    "source_lines",
    "import_facts",
    "dotted_name",
]

_BUILTIN_NAMES = frozenset(dir(builtins))
_DOTTED_STRING = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_DYNAMIC_IMPORTERS = {"importlib.import_module", "import_module", "__import__"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MAX_SIGNATURE = 300
_MAX_DOC = 200
# Model fields that point at another model: Django's (any prefix, ``models.ForeignKey``)
# and SQLAlchemy's (``relationship("Order")``, ``ForeignKey("orders.id")``).
_RELATION_FIELDS = frozenset(
    {"ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObject", "relationship"}
)
_RELATION_KEYWORDS = ("to", "argument")
# Framework hooks (``HookRef``): calls recognised by the callee's last name, decorators, class
# attributes and settings. The shape alone decides; the graph stage resolves what they name.
_HOOK_CALLS = frozenset(
    {
        "get_model",
        "get_class",
        "get_classes",
        "import_string",
        "include",
        "path",
        "re_path",
        "url",
        "send_task",
        "signature",
        "subtask",
        "connect",
        "register",
        "register_blueprint",
        "include_router",
        "Depends",
        "Security",
    }
)
_SIGNAL_CLASSES = ("Signal", "signal")  # Signal(), ModelSignal(), pretix's EventPluginSignal()
_TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task"})
_MAX_HOOK_STRING = 200  # a longer literal is no module path, task or model name
_MAX_HOOK_ITEMS = 64  # names or strings read from one list argument
# What makes a class abstract, as (module, name): read through the file's own imports, so
# that ``abc.ABC``, ``from abc import ABC as Base`` and ``import typing as t; t.Protocol``
# count and Twisted's ``protocol.Protocol`` does not.
_ABSTRACTION_MODULES = frozenset({"abc", "typing", "typing_extensions"})
_ABSTRACT_BASES = frozenset({"abc.ABC", "typing.Protocol", "typing_extensions.Protocol"})
_ABSTRACT_METACLASSES = frozenset({"abc.ABCMeta"})
_ABSTRACT_DECORATORS = frozenset(
    {"abc.abstractmethod", "abc.abstractproperty", "abc.abstractclassmethod", "abc.abstractstaticmethod"}
)
_STAR_EXPORTS = {
    "abc": (
        "ABC",
        "ABCMeta",
        "abstractmethod",
        "abstractproperty",
        "abstractclassmethod",
        "abstractstaticmethod",
    ),
    "typing": ("Protocol",),
    "typing_extensions": ("Protocol",),
}

# SQL: a string counts only if it starts (after blanks and comments) with a statement
# keyword written in one case: "SELECT" or "select", not the English "Select".
# Each comment can match only one way (a line comment runs to the end of its line, a block
# comment to its first "*/"): a string of dashes must not make the pattern backtrack.
_SQL_START = re.compile(
    r"\s*(?:(?:--[^\n]*(?:\n|\Z)|/\*(?:[^*]|\*(?!/))*\*/)\s*)*"
    r"(?:SELECT|INSERT|UPDATE|DELETE|WITH|select|insert|update|delete|with)\b"
)
_SQL_TOKEN = re.compile(
    r"""(?P<skip>\s+|--[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<literal>'(?:[^']|'')*'?)
    |(?P<quoted>"(?:[^"\n]|""){0,128}"|`[^`\n]{0,128}`|\[[^\]\n]{0,128}\])
    |(?P<word>[^\W\d][\w$]*)
    |(?P<punct>[(),;.])
    |(?P<other>.)""",
    re.S | re.X,
)
_SQL_VERBS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"})
# Words after which a comma no longer separates tables of a FROM list.
_SQL_CLAUSES = frozenset(
    "WHERE ON USING GROUP ORDER HAVING LIMIT OFFSET FETCH UNION EXCEPT INTERSECT SET VALUES"
    " RETURNING WINDOW FOR SELECT".split()
)
_SQL_NOT_TABLES = frozenset(
    "SELECT WHERE SET VALUES LATERAL DUAL ON AS JOIN FROM WITH INTO USING GROUP ORDER LIMIT UNNEST"
    " DEFAULT NULL".split()
)
_SQL_PLACEHOLDER = re.compile(r"[%{}?:\0]")  # '"%s"' is a parameter, not a table
_HOLE = "\0"  # stands for an f-string's interpolation: a table name touching it is unknown
_MAX_SQL = 100_000


def count_lines(text: str) -> int:
    """Lines as Python counts them: ended by ``\\n``, ``\\r\\n`` or a lone ``\\r``."""
    if not text:
        return 0
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if text.endswith(("\n", "\r")) else 1)


def source_lines(text: str) -> list[str]:
    """The lines as Python numbers them; unlike ``str.splitlines``, a form feed or U+2028
    in the text is not a line break."""
    return _LINE_BREAK.split(text)


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


def collect_imports_only(tree: ast.AST, lines: int) -> FileFacts:
    """Imports found by an iterative walk, for trees too deep for the full visitor."""
    imports: list[ImportFact] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.extend(import_facts(node, scope="", type_only=False, lazy=False, conditional=False))
    imports.sort(key=lambda i: (i.line, i.module, i.name or "", i.bound_as or ""))
    return FileFacts(lines=lines, imports=tuple(imports))


def import_facts(
    node: ast.Import | ast.ImportFrom, scope: str, type_only: bool, lazy: bool, conditional: bool
) -> list[ImportFact]:
    facts = []
    common = dict(line=node.lineno, scope=scope, type_only=type_only, lazy=lazy, conditional=conditional)
    if isinstance(node, ast.Import):
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            facts.append(ImportFact(module=alias.name, level=0, name=None, bound_as=bound, **common))
    else:
        for alias in node.names:
            bound = None if alias.name == "*" else (alias.asname or alias.name)
            facts.append(
                ImportFact(
                    module=node.module or "", level=node.level, name=alias.name, bound_as=bound, **common
                )
            )
    return facts


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


@dataclass
class _Scope:
    kind: str  # "module", "class", "function"
    qualname: str  # innermost recorded definition; references are attributed to it
    bound: set[str] | None = None  # function scopes: the names the function binds itself
    record_defs: bool = True  # False inside functions: nested defs are not addressable
    declared_global: set[str] | None = None
    first_reference: int = 0  # where this scope's references start in the collector's list
    first_hook: int = 0  # likewise for framework hooks


# Fields that never hold a reference: expression contexts and operators.
_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind"})


@functools.cache
def _child_fields(node_type: type) -> tuple[str, ...]:
    return tuple(f for f in node_type._fields if f not in _SKIPPED_FIELDS)


_DISPATCH: dict[type, Callable[[_Collector, ast.AST], None]] = {}


@dataclass
class _Collector(ast.NodeVisitor):
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
        self.scope = _Scope("module", "")
        self.scopes: list[_Scope] = [self.scope]
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

    def _push(self, scope: _Scope) -> None:
        self.scopes.append(scope)
        self.scope = scope

    def _pop(self) -> _Scope:
        scope = self.scopes.pop()
        self.scope = self.scopes[-1]
        return scope

    def _open_function(self, qualname: str, parameters: set[str], record_defs: bool) -> None:
        self.function_depth += 1
        self._push(
            _Scope(
                "function",
                qualname,
                parameters,
                record_defs,
                set(),
                len(self.raw_references),
                len(self.hooks),
            )
        )

    def _close_function(self) -> None:
        """A name bound anywhere in a function is local throughout it (and in the functions
        nested in it): drop the uses recorded in its body that name one."""
        scope = self._pop()
        self.function_depth -= 1
        local = scope.bound - scope.declared_global
        if local:
            start = scope.first_reference
            self.raw_references[start:] = [r for r in self.raw_references[start:] if r[0] not in local]
            if len(self.hooks) > scope.first_hook:
                self.hooks[scope.first_hook :] = _unshadowed_hooks(self.hooks[scope.first_hook :], local)

    def _bind(self, name: str) -> None:
        if self.scope.bound is not None:
            self.scope.bound.add(name)

    def _record(self, target: str, kind: ReferenceKind, line: int) -> None:
        self.raw_references.append(
            (target.partition(".")[0], target, self.ref_kind or kind, line, self.scope.qualname)
        )

    def _qualify(self, name: str) -> str:
        return f"{self.scope.qualname}.{name}" if self.scope.qualname else name

    # ------------------------------------------------------------------ imports

    def visit_Import(self, node: ast.Import) -> None:
        self._add_imports(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._add_imports(node)

    def _add_imports(self, node: ast.Import | ast.ImportFrom) -> None:
        lazy = self.function_depth > 0
        facts = import_facts(
            node,
            scope=self.scope.qualname if lazy else "",
            type_only=self.type_only,
            lazy=lazy,
            conditional=self.conditional and not lazy,
        )
        self.imports.extend(facts)
        for fact in facts:
            if fact.level == 0 and fact.module in _ABSTRACTION_MODULES:
                self._note_abstraction_import(fact)

    def _note_abstraction_import(self, fact: ImportFact) -> None:
        names = self._abstraction_names
        if fact.name is None:  # import abc / import typing as t
            names[fact.bound_as] = fact.module
        elif fact.name == "*":
            for name in _STAR_EXPORTS[fact.module]:
                names[name] = f"{fact.module}.{name}"
        else:
            names[fact.bound_as] = f"{fact.module}.{fact.name}"

    def _abstraction(self, node: ast.AST) -> str | None:
        """``"abc.ABC"`` for an expression naming it through this file's imports."""
        if type(node) is ast.Subscript:  # Protocol[T]
            node = node.value
        dotted = dotted_name(node)
        if dotted is None or not self._abstraction_names:
            return None
        head, dot, rest = dotted.partition(".")
        module = self._abstraction_names.get(head)
        return None if module is None else module + dot + rest

    def _is_abstract_class(self, node: ast.ClassDef, meta: ModelMeta | None) -> bool:
        if meta is not None and meta.abstract:
            return True
        if not self._abstraction_names:
            return False
        if any(self._abstraction(base) in _ABSTRACT_BASES for base in node.bases):
            return True
        if any(
            k.arg == "metaclass" and self._abstraction(k.value) in _ABSTRACT_METACLASSES
            for k in node.keywords
        ):
            return True
        return any(
            (type(statement) is ast.FunctionDef or type(statement) is ast.AsyncFunctionDef)
            and self._is_abstract_function(statement)
            for statement in node.body
        )

    def _is_abstract_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        return bool(self._abstraction_names) and any(
            self._abstraction(d) in _ABSTRACT_DECORATORS for d in node.decorator_list
        )

    # ------------------------------------------------------------------ control flow

    def visit_If(self, node: ast.If) -> None:
        self.decisions += 1
        self.visit(node.test)
        saved = (self.type_only, self.conditional)
        self.conditional = True
        if _is_type_checking(node.test):
            self.type_only = True
            self.visit_body(node.body)
            self.type_only = saved[0]
        else:
            self.visit_body(node.body)
        self.visit_body(node.orelse)
        self.type_only, self.conditional = saved

    def _visit_conditional(self, node: ast.AST) -> None:
        saved = self.conditional
        self.conditional = True
        self.generic_visit(node)
        self.conditional = saved

    def visit_While(self, node: ast.While) -> None:
        self.decisions += 1
        self._visit_conditional(node)

    def _visit_decision(self, node: ast.AST) -> None:
        self.decisions += 1
        self.generic_visit(node)

    visit_For = _visit_decision
    visit_AsyncFor = _visit_decision
    visit_IfExp = _visit_decision

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.decisions += len(node.values) - 1
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.decisions += 1 + len(node.ifs)
        self.generic_visit(node)

    def visit_match_case(self, node: ast.AST) -> None:
        pattern = node.pattern
        if not (type(pattern) is ast.MatchAs and pattern.pattern is None and node.guard is None):
            self.decisions += 1  # a final ``case _:`` or ``case name:`` is the fall-through
        self.generic_visit(node)

    visit_Try = _visit_conditional
    visit_With = _visit_conditional
    visit_Match = _visit_conditional
    if hasattr(ast, "TryStar"):
        visit_TryStar = _visit_conditional

    # ------------------------------------------------------------------ definitions

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind(node.name)
        record = self.scope.record_defs
        qualname = self._qualify(node.name) if record else self.scope.qualname
        bases = []
        with self._header(qualname):
            for decorator in node.decorator_list:
                self._hook_decorator(decorator, qualname, function=False)
                self._visit_as(decorator, ReferenceKind.DECORATOR)
            for base in node.bases:
                dotted = dotted_name(base)
                if dotted:
                    bases.append(dotted)
                self._visit_as(base, ReferenceKind.INHERIT)
            for keyword in node.keywords:
                self.visit(keyword.value)
        meta = _model_meta(node, qualname) if record else None
        if record and node.bases and self.scope.kind == "module":
            self._hook_app_config(node, qualname)
        if record:
            self.definitions.append(
                Definition(
                    name=qualname,
                    kind=DefinitionKind.CLASS,
                    line=node.lineno,
                    end_line=node.end_lineno or node.lineno,
                    bases=tuple(bases),
                    signature=_class_signature(node),
                    doc=_first_doc_line(node),
                    abstract=self._is_abstract_class(node, meta),
                )
            )
        self._push(_Scope("class", qualname, record_defs=record))
        self.visit_body(node.body)
        self._pop()
        if meta is not None:
            self.model_meta.append(meta)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._bind(node.name)
        record = self.scope.record_defs
        qualname = self._qualify(node.name) if record else self.scope.qualname
        with self._header(qualname):
            for decorator in node.decorator_list:
                self._hook_decorator(decorator, qualname, function=record)
                self._visit_as(decorator, ReferenceKind.DECORATOR)
            self._visit_arguments(node.args)
            if node.returns is not None:
                self._visit_as(node.returns, ReferenceKind.ANNOTATION)
        if not record:  # a nested function: its decisions are its enclosing function's
            self._open_function(qualname, set(_argument_names(node.args)), record_defs=False)
            self.visit_body(node.body)
            self._close_function()
            return
        kind = DefinitionKind.METHOD if self.scope.kind == "class" else DefinitionKind.FUNCTION
        outer_decisions, self.decisions = self.decisions, 0
        self._open_function(qualname, set(_argument_names(node.args)), record_defs=False)
        self.visit_body(node.body)
        self._close_function()
        complexity, self.decisions = 1 + self.decisions, outer_decisions
        # Appended after the body: nothing inside a function is recorded, so the order of
        # definitions is the order of the source all the same.
        self.definitions.append(
            Definition(
                name=qualname,
                kind=kind,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                signature=_signature(node.args, node.returns),
                doc=_first_doc_line(node),
                complexity=complexity,
                abstract=self._is_abstract_function(node),
            )
        )

    @contextmanager
    def _header(self, qualname: str) -> Iterator[None]:
        """Decorators, bases, defaults and annotations are evaluated where the definition
        stands, but they are uses *by* the definition: attribute them to it."""
        current = self.scope
        self._push(
            _Scope(current.kind, qualname, current.bound, current.record_defs, current.declared_global)
        )
        try:
            yield
        finally:
            self._pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_arguments(node.args)
        self._open_function(self.scope.qualname, set(_argument_names(node.args)), record_defs=False)
        self.visit(node.body)
        self._close_function()

    def visit_Global(self, node: ast.Global | ast.Nonlocal) -> None:
        if self.scope.declared_global is not None:
            self.scope.declared_global.update(node.names)

    visit_Nonlocal = visit_Global

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self.decisions += 1
        if node.name:
            self._bind(node.name)
        self.generic_visit(node)

    def _visit_pattern_capture(self, node: ast.AST) -> None:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            self._bind(name)
        self.generic_visit(node)

    visit_MatchAs = _visit_pattern_capture
    visit_MatchStar = _visit_pattern_capture
    visit_MatchMapping = _visit_pattern_capture

    def _visit_arguments(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *args.kw_defaults]:
            if default is not None:
                self.visit(default)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self._visit_as(arg.annotation, ReferenceKind.ANNOTATION)

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
            extra = _literal_strings(node.value)
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
                self.all_names = _literal_strings(value) if value is not None else None
                continue
            if self.scope.kind != "module" or name in self._module_vars:
                continue
            self._module_vars.add(name)
            self.definitions.append(
                Definition(
                    name=name,
                    kind=DefinitionKind.VARIABLE,
                    line=node.lineno,
                    end_line=node.end_lineno or node.lineno,
                )
            )

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
            if callee in _DYNAMIC_IMPORTERS:
                if self._dynamic_import(node):
                    arguments = node.args[1:]  # the literal is the import, not a string path too
            elif self.scope.kind == "class" and callee.rpartition(".")[2] in _RELATION_FIELDS:
                self._relation(callee, node)
            last = callee.rpartition(".")[2]
            if last in _HOOK_CALLS:
                self._hook_call(callee, last, node)
        for argument in arguments:
            self.visit(argument)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def _dynamic_import(self, node: ast.Call) -> bool:
        """Record ``import_module("literal")``; say whether it was one."""
        if (
            not node.args
            or not isinstance(node.args[0], ast.Constant)
            or not isinstance(node.args[0].value, str)
        ):
            return False
        target = node.args[0].value
        level = len(target) - len(target.lstrip("."))
        module = target[level:]
        if level:
            package = next((k.value for k in node.keywords if k.arg == "package"), None)
            if package is None and len(node.args) > 1:
                package = node.args[1]
            if isinstance(package, ast.Constant) and isinstance(package.value, str):
                # Relative to an explicit package: "pkg" + ".mod" with one dot means pkg.mod.
                base = package.value.split(".")
                base = base[: len(base) - (level - 1)] if level > 1 else base
                module = ".".join([*base, module] if module else base)
                level = 0
            elif not (isinstance(package, ast.Name) and package.id in {"__package__", "__name__"}):
                return False
        if not module or not all(part.isidentifier() for part in module.split(".")):
            return False
        lazy = self.function_depth > 0
        self.imports.append(
            ImportFact(
                module=module,
                level=level,
                name=None,
                bound_as=None,
                line=node.lineno,
                scope=self.scope.qualname if lazy else "",
                type_only=self.type_only,
                lazy=lazy,
                conditional=self.conditional and not lazy,
                dynamic=True,
            )
        )
        return True

    def _relation(self, callee: str, node: ast.Call) -> None:
        """Record the model a field in a class body points at, as written."""
        target = node.args[0] if node.args else None
        if target is None:
            target = next((k.value for k in node.keywords if k.arg in _RELATION_KEYWORDS), None)
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            written, is_string = _printable(target.value), True
        else:
            written, is_string = dotted_name(target) if target is not None else None, False
        if written:
            self.relations.append(RelationRef(callee, written, is_string, node.lineno, self.scope.qualname))

    def visit_Dict(self, node: ast.Dict) -> None:
        """``{"task": "shop.tasks.cancel", ...}``: a Celery beat schedule entry."""
        for key, value in zip(node.keys, node.values, strict=False):
            if type(key) is ast.Constant and key.value == "task":
                text = _hook_string(value)
                if text is not None:
                    self._hook(HookKind.SCHEDULE, "task", value, strings=(text,))
        self.generic_visit(node)

    # ------------------------------------------------------------------ framework hooks

    def _hook(
        self,
        kind: HookKind,
        hook: str,
        node: ast.AST,
        names: tuple[str, ...] = (),
        strings: tuple[str, ...] = (),
        subject: str = "",
    ) -> None:
        line = node.lineno
        self.hooks.append(
            HookRef(kind, hook, names, strings, line, node.end_lineno or line, self.scope.qualname, subject)
        )

    def _hook_call(self, callee: str, last: str, node: ast.Call) -> None:
        """Record a call that wires code by name (``HookKind``), if its arguments have the
        shape the hook takes; anything else (a variable, a wrong arity) is no hook."""
        args = node.args
        if last == "get_model":
            strings = _hook_strings(args[:2])
            if not strings:
                strings = _hook_strings(
                    [k.value for k in node.keywords if k.arg in ("app_label", "model_name")]
                )
            if strings and len(strings) <= 2:
                self._hook(HookKind.MODEL, callee, node, strings=strings)
        elif last == "get_class" or last == "get_classes":
            if len(args) < 2:
                return
            module = _hook_string(args[0])
            names = (_hook_string(args[1]),) if last == "get_class" else _hook_list_strings(args[1])
            if module is not None and names and all(n is not None for n in names):
                self._hook(HookKind.LOADER, callee, node, strings=(module, *names))
        elif last == "import_string":
            text = _hook_string(args[0]) if args else None
            if text is not None:
                self._hook(HookKind.LOADER, callee, node, strings=(text,))
        elif last == "include":
            first = args[0] if args else None
            if type(first) is ast.Tuple and first.elts:
                first = first.elts[0]  # include(("app.urls", "app_name"))
            text = _hook_string(first)
            if text is not None:
                self._hook(HookKind.URL, callee, node, strings=(text,))
        elif last in ("path", "re_path", "url"):
            text = _hook_string(args[1]) if len(args) >= 2 else None
            if text is not None and _DOTTED_STRING.fullmatch(text):
                self._hook(HookKind.URL, callee, node, strings=(text,))
        elif last in ("send_task", "signature", "subtask"):
            text = _hook_string(args[0]) if args else None
            if text is not None:
                self._hook(HookKind.TASK_CALL, callee, node, strings=(text,))
        elif last == "connect":
            signal = callee.rpartition(".")[0]
            if signal and (args or node.keywords):
                self._hook_receiver(callee, (signal,), node)
        elif last == "register":
            site = callee.rpartition(".")[0].rpartition(".")[2]
            if site.endswith("site") and args:
                names = _hook_names(args[0])
                if names:
                    self._hook(HookKind.ADMIN, callee, node, names=names)
        else:  # register_blueprint, include_router, Depends, Security
            keyword = {"include_router": "router", "register_blueprint": "blueprint"}.get(last, "dependency")
            first = args[0] if args else next((k.value for k in node.keywords if k.arg == keyword), None)
            name = dotted_name(first) if first is not None else None
            if name:
                kind = {"register_blueprint": HookKind.BLUEPRINT, "include_router": HookKind.ROUTER}.get(
                    last, HookKind.DEPENDS
                )
                self._hook(kind, callee, node, names=(name,))

    def _hook_receiver(self, callee: str, signals: tuple[str, ...], node: ast.Call) -> None:
        sender = next((k.value for k in node.keywords if k.arg == "sender"), None)
        subject = (dotted_name(sender) or "") if sender is not None else ""
        lazy = _hook_string(sender)
        self._hook(
            HookKind.RECEIVER,
            callee,
            node,
            names=signals,
            strings=(lazy,) if lazy is not None else (),
            subject=subject,
        )

    def _hook_decorator(self, node: ast.expr, subject: str, function: bool) -> None:
        """``@receiver(...)`` and ``@admin.register(...)``; on a function, ``@app.task``."""
        call = node if type(node) is ast.Call else None
        callee = dotted_name(call.func if call is not None else node)
        if callee is None:
            return
        last = callee.rpartition(".")[2]
        if last == "receiver" and call is not None and call.args:
            signals = _hook_names(call.args[0])
            if signals:
                self._hook_receiver(callee, signals, call)
        elif last in _TASK_DECORATORS and function:
            name = next((k.value for k in call.keywords if k.arg == "name"), None) if call else None
            text = _hook_string(name)
            self._hook(HookKind.TASK, callee, node, strings=(text,) if text else (), subject=subject)
        elif last == "register" and call is not None and not function:
            names = tuple(n for a in call.args[:_MAX_HOOK_ITEMS] if (n := dotted_name(a)))
            if names:
                self._hook(HookKind.ADMIN, callee, call, names=names)

    def _hook_assignment(self, name: str, value: ast.expr, node: ast.Assign) -> None:
        """In a class body, ``model = Order`` and ``queryset = Order.objects...``; at module
        level, ``order_placed = Signal()`` and the settings ``_hook_setting`` reads."""
        if self.scope.kind == "class":
            if name == "model":
                dotted = dotted_name(value)
                if dotted:
                    self._hook(HookKind.BINDING, name, node, names=(dotted,))
            elif name == "queryset":
                dotted = _manager_chain(value)
                if dotted and "." in dotted:
                    self._hook(HookKind.BINDING, name, node, names=(dotted,))
            return
        if type(value) is ast.Call:
            callee = dotted_name(value.func)
            if callee and callee.rpartition(".")[2].endswith(_SIGNAL_CLASSES):
                self._hook(HookKind.SIGNAL, callee, node, subject=name)
                return
        self._hook_setting(name, value, node)

    def _hook_setting(self, name: str, value: ast.expr, node: ast.stmt) -> None:
        if name == "AUTH_USER_MODEL":
            text = _hook_string(value)
            if text is not None:
                self._hook(HookKind.SETTING, name, node, strings=(text,))
        elif name.endswith("_APPS") and name.isupper():
            strings = _hook_app_strings(value)
            if strings:
                self._hook(HookKind.SETTING, name, node, strings=strings)

    def _hook_app_config(self, node: ast.ClassDef, qualname: str) -> None:
        """A class that may be a Django ``AppConfig``: its literal ``name`` and ``label``."""
        found = {"name": "", "label": ""}
        for statement in node.body:
            if type(statement) is ast.Assign or type(statement) is ast.AnnAssign:
                target, value = _literal_assignment(statement)
                if target in found and value is not None and len(value) <= _MAX_HOOK_STRING:
                    found[target] = value
        if found["name"] or found["label"]:
            self._hook(
                HookKind.APP_CONFIG,
                node.name,
                node,
                strings=(found["name"], found["label"]),
                subject=qualname,
            )

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
        if _SQL_START.match(value):
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
                parts.append(_HOLE)
                self.visit(value)
        text = "".join(parts)
        if self.ref_kind is not ReferenceKind.ANNOTATION and _SQL_START.match(text):
            self._sql(text, node)

    def _dotted_string(self, value: str, node: ast.AST) -> None:
        if len(value) <= 200 and _DOTTED_STRING.fullmatch(value):
            self.string_refs.append(StringRef(value, node.lineno, self.scope.qualname))

    def _sql(self, text: str, node: ast.expr) -> None:
        if len(text) > _MAX_SQL:
            return
        line, last = node.lineno, node.end_lineno or node.lineno
        seen = set()
        counted = 0  # tables come in the order they stand: count line breaks once
        for verb, table, offset in _sql_tables(text):
            line += text.count("\n", counted, offset)
            counted = offset
            ref = SqlRef(_printable(table), verb, min(line, last), self.scope.qualname)
            if ref not in seen:
                seen.add(ref)
                self.sql_refs.append(ref)

    def _string_annotation(self, value: str, node: ast.Constant) -> None:
        try:
            expression = ast.parse(value.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return
        for inner in ast.walk(expression):
            if hasattr(inner, "lineno"):
                inner.lineno = node.lineno
        self.visit(expression.body)


def _hook_string(node: ast.AST | None) -> str | None:
    """A literal string short enough to name code, else None."""
    if type(node) is ast.Constant and type(node.value) is str and 0 < len(node.value) <= _MAX_HOOK_STRING:
        return _printable(node.value)
    return None


def _hook_strings(nodes) -> tuple[str, ...]:
    """The literal strings ``nodes`` are, or () when one of them is not."""
    strings = tuple(_hook_string(n) for n in nodes)
    return strings if strings and all(s is not None for s in strings) else ()


def _hook_list_strings(node: ast.AST) -> tuple[str | None, ...]:
    if type(node) is ast.List or type(node) is ast.Tuple:
        return tuple(_hook_string(e) for e in node.elts[:_MAX_HOOK_ITEMS])
    return ()


def _hook_names(node: ast.AST) -> tuple[str, ...]:
    """A dotted name, or the dotted names in a list or tuple literal."""
    if type(node) is ast.List or type(node) is ast.Tuple:
        return tuple(n for e in node.elts[:_MAX_HOOK_ITEMS] if (n := dotted_name(e)))
    name = dotted_name(node)
    return (name,) if name else ()


def _hook_app_strings(node: ast.AST) -> tuple[str, ...]:
    """The literal strings of a list or tuple, or of a sum of them (``A + ["x"]``)."""
    found: list[str] = []
    pending = [node]
    while pending and len(found) < 10 * _MAX_HOOK_ITEMS:
        current = pending.pop()
        if type(current) is ast.BinOp and type(current.op) is ast.Add:
            pending += [current.right, current.left]
        elif type(current) is ast.List or type(current) is ast.Tuple:
            found.extend(s for e in current.elts if (s := _hook_string(e)) is not None)
    return tuple(found)


def _manager_chain(node: ast.AST) -> str | None:
    """``Order.objects.filter`` for ``Order.objects.filter(x=1).order_by("y")``: the dotted
    chain a queryset expression starts from."""
    while True:
        kind = type(node)
        if kind is ast.Call:
            node = node.func
        elif kind is ast.Attribute:
            dotted = dotted_name(node)
            if dotted is not None:
                return dotted
            node = node.value
        else:
            return None


def _unshadowed_hooks(hooks: list[HookRef], local: set[str]) -> list[HookRef]:
    """Hooks recorded in a function body, less the names the function binds itself."""
    kept = []
    for hook in hooks:
        names = tuple(n for n in hook.names if n.partition(".")[0] not in local)
        subject = hook.subject
        if hook.kind is HookKind.RECEIVER and subject.partition(".")[0] in local:
            subject = ""
        if names != hook.names or subject != hook.subject:
            if not names and hook.kind is not HookKind.RECEIVER:
                continue
            hook = hook._replace(names=names, subject=subject)
        kept.append(hook)
    return kept


def _is_type_checking(test: ast.expr) -> bool:
    dotted = dotted_name(test)
    return dotted is not None and dotted.rpartition(".")[2] == "TYPE_CHECKING"


def _literal_strings(node: ast.AST | None) -> tuple[str, ...] | None:
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(values) == len(node.elts):
            return tuple(_printable(v) for v in values)
    return None


def _argument_names(args: ast.arguments) -> frozenset[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return frozenset(a.arg for a in every if a is not None)


def _first_doc_line(node: ast.AST) -> str:
    body = getattr(node, "body", None)
    if not body or not isinstance(body[0], ast.Expr):
        return ""
    value = body[0].value
    if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
        return ""
    for line in value.value.strip().splitlines():
        if line.strip():
            return _printable(line.strip()[:_MAX_DOC])
    return ""


def _printable(text: str) -> str:
    """``text`` with lone surrogates (``"\\ud800"`` in a literal) spelled as escapes:
    they cannot be written as UTF-8, so a report holding them could not be saved."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _unparse(node: ast.AST | None) -> str:
    if node is None:
        return ""
    try:
        text = ast.unparse(node)
    except (RecursionError, ValueError, AttributeError):
        return "…"
    text = _printable(text)
    return text if len(text) <= 80 else text[:77] + "…"


def _signature(args: ast.arguments, returns: ast.expr | None, drop_first: bool = False) -> str:
    parts: list[str] = []
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        if drop_first and index == 0:
            continue
        parts.append(_parameter(arg, default))
        if args.posonlyargs and index == len(args.posonlyargs) - 1:
            parts.append("/")
    if args.vararg is not None:
        parts.append("*" + _parameter(args.vararg, None))
    elif args.kwonlyargs:
        parts.append("*")
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        parts.append(_parameter(arg, default))
    if args.kwarg is not None:
        parts.append("**" + _parameter(args.kwarg, None))
    text = "(" + ", ".join(parts) + ")"
    if returns is not None:
        text += " -> " + _unparse(returns)
    return text if len(text) <= _MAX_SIGNATURE else text[: _MAX_SIGNATURE - 1] + "…"


def _parameter(arg: ast.arg, default: ast.expr | None) -> str:
    text = arg.arg
    if arg.annotation is not None:
        text += ": " + _unparse(arg.annotation)
    if default is not None:
        text += (" = " if arg.annotation is not None else "=") + _unparse(default)
    return text


def _class_signature(node: ast.ClassDef) -> str:
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == "__init__":
            return _signature(statement.args, None, drop_first=True)
    return ""


def _model_meta(node: ast.ClassDef, qualname: str) -> ModelMeta | None:
    """The literal table and app label a class body declares: SQLAlchemy's
    ``__tablename__``, Django's ``class Meta: db_table = ...; app_label = ...``."""
    table = app_label = None
    abstract = False
    for statement in node.body:
        kind = type(statement)
        if kind is ast.Assign or kind is ast.AnnAssign:
            name, value = _literal_assignment(statement)
            if name == "__tablename__":
                table = value
            elif name == "__abstract__":
                abstract = _is_true(statement.value)
        elif kind is ast.ClassDef and statement.name == "Meta":
            for inner in statement.body:
                if type(inner) is ast.Assign or type(inner) is ast.AnnAssign:
                    name, value = _literal_assignment(inner)
                    if name == "db_table":
                        table = value
                    elif name == "app_label":
                        app_label = value
                    elif name == "abstract":
                        abstract = _is_true(inner.value)
    if table is None and app_label is None and not abstract:
        return None
    return ModelMeta(qualname, table, app_label, abstract)


def _is_true(value: ast.expr | None) -> bool:
    return type(value) is ast.Constant and value.value is True


def _literal_assignment(statement: ast.Assign | ast.AnnAssign) -> tuple[str | None, str | None]:
    """``name = "literal"``: the name and the string (None when not a literal)."""
    targets = statement.targets if type(statement) is ast.Assign else [statement.target]
    if len(targets) != 1 or type(targets[0]) is not ast.Name:
        return None, None
    value = statement.value
    if type(value) is ast.Constant and type(value.value) is str:
        return targets[0].id, _printable(value.value)
    return targets[0].id, None


def _sql_tables(text: str) -> list[tuple[str, str, int]]:
    """(statement keyword, table, offset in ``text``) for each table a SQL text reads or
    writes: after FROM (and its commas), JOIN, INTO, and UPDATE as the statement's verb.

    Tables are lower-cased, unquoted and without schema. Parentheses that do not open a
    subquery are not searched (``EXTRACT(YEAR FROM created)`` names no table), nor are
    table functions (``FROM generate_series(1, 3)``), common table expressions, or names
    an f-string interpolation touches. Text shaped like English, such as "delete the
    file from disk", names nothing.
    """
    tokens = [
        (kind, match.group().upper() if kind == "word" else match.group(), match.start(), match.end())
        for match in _SQL_TOKEN.finditer(text)
        if (kind := match.lastgroup) != "skip"
    ]
    if not tokens or tokens[0][0] != "word" or not _plausible_statement(tokens):
        return []
    found: list[tuple[str, str, int]] = []
    ctes: set[str] = set()
    # One frame per open parenthesis: [statement keyword, opens a query, in a FROM list]
    frames: list[list] = [[None, True, False]]
    expect_verb = True
    previous = ""
    index, count = 0, len(tokens)
    while index < count:
        kind, word, _, _ = tokens[index]
        frame = frames[-1]
        index += 1
        if kind == "punct":
            if word == "(":
                query = index < count and tokens[index][1] in ("SELECT", "WITH")
                frames.append([None, query, False])
                expect_verb = query
            elif word == ")":
                if len(frames) > 1:
                    frames.pop()
                expect_verb = frames[-1][0] == "with"  # the statement after a CTE's body
            elif word == ";":
                frames = [[None, True, False]]
                expect_verb = True
            elif word == "," and frame[1] and frame[2]:
                index = _sql_table(text, tokens, index, frame, ctes, found, False)
            previous = word
            continue
        if kind != "word":
            previous = word
            continue
        if expect_verb and word in _SQL_VERBS:
            frame[0] = word.lower()
            if word == "UPDATE":
                index = _sql_table(text, tokens, index, frame, ctes, found, False, needs_set=True)
        elif frame[0] == "with" and previous in ("WITH", "RECURSIVE", ","):
            ctes.add(word.lower())
        elif frame[1]:
            if word == "FROM" and previous != "DISTINCT" or word == "JOIN":
                index = _sql_table(text, tokens, index, frame, ctes, found, False)
                frame[2] = True
            elif word == "INTO":
                index = _sql_table(text, tokens, index, frame, ctes, found, True)
            elif word in _SQL_CLAUSES:
                frame[2] = False
        expect_verb = False
        previous = word
    return found


def _plausible_statement(tokens: list[tuple[str, str, int, int]]) -> bool:
    """The words after the first keyword are what SQL puts there."""
    verb = tokens[0][1]
    following = [t[1] for t in tokens[1:4]]
    if verb == "DELETE":
        return following[:1] == ["FROM"]
    if verb == "INSERT":
        return "INTO" in following
    if verb == "WITH":
        # WITH [RECURSIVE] name [(columns)] AS (
        rest = tokens[1:]
        if rest and rest[0][1] == "RECURSIVE":
            rest = rest[1:]
        if not rest or rest[0][0] not in ("word", "quoted"):
            return False
        rest = rest[1:]
        if rest and rest[0][1] == "(":
            close = next((i for i, token in enumerate(rest) if token[1] == ")"), None)
            rest = rest[close + 1 :] if close is not None else []
        return bool(rest) and rest[0][1] == "AS"
    return True


def _sql_table(
    text: str,
    tokens: list[tuple[str, str, int, int]],
    index: int,
    frame: list,
    ctes: set[str],
    found: list[tuple[str, str, int]],
    columns_may_follow: bool,
    needs_set: bool = False,
) -> int:
    """Read a table reference starting at ``tokens[index]``; record it; return the index
    after it (or ``index`` when there is none)."""
    count = len(tokens)
    start = index
    if index < count and tokens[index][1] == "ONLY":
        index += 1
    parts = []
    while index < count and tokens[index][0] in ("word", "quoted"):
        parts.append(tokens[index])
        index += 1
        if index + 1 < count and tokens[index][1] == "." and tokens[index + 1][0] in ("word", "quoted"):
            index += 1
            continue
        break
    if not parts:
        return start
    if index < count and tokens[index][1] == "(" and not columns_may_follow:
        return start  # a table function
    kind, name, begin, end = parts[-1]
    if kind == "word" and name in _SQL_NOT_TABLES:
        return start
    if (parts[0][2] > 0 and text[parts[0][2] - 1] == _HOLE) or text[end : end + 1] == _HOLE:
        return index
    if needs_set and "SET" not in [t[1] for t in tokens[index : index + 3]]:
        return index
    table = name[1:-1].replace('""', '"') if kind == "quoted" else name
    table = table.lower()
    if table and table not in ctes and not _SQL_PLACEHOLDER.search(table):
        found.append((frame[0] or "select", table, begin))
    return index
