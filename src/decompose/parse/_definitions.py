"""Definitions: the classes, functions and methods a module defines, with their signatures,
first docstring lines, cyclomatic complexity (counted by the fact visitor) and whether they
are declared abstract."""

from __future__ import annotations

import ast

from decompose.model import Definition, DefinitionKind, ModelMeta, ReferenceKind
from decompose.parse._nodes import dotted_name
from decompose.parse._orm import model_meta
from decompose.parse._scope import Scope
from decompose.parse._signature import class_signature, first_doc_line, signature

__all__ = ["DefinitionVisitor"]

# What makes a class abstract, as (module, name) read through the file's own imports.
_ABSTRACT_BASES = frozenset({"abc.ABC", "typing.Protocol", "typing_extensions.Protocol"})
_ABSTRACT_METACLASSES = frozenset({"abc.ABCMeta"})
_ABSTRACT_DECORATORS = frozenset(
    {"abc.abstractmethod", "abc.abstractproperty", "abc.abstractclassmethod", "abc.abstractstaticmethod"}
)


class DefinitionVisitor:
    """The fact visitor's part that records definitions: it needs the visitor's
    ``definitions``, ``model_meta``, its scopes, its decision count and its readers of
    imports (``_abstraction``) and hooks."""

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
        meta = model_meta(node, qualname) if record else None
        if record and node.bases and self.scope.kind == "module":
            self._hook_app_config(node, qualname)
        if record:
            self._define(
                qualname,
                DefinitionKind.CLASS,
                node,
                bases=tuple(bases),
                signature=class_signature(node),
                doc=first_doc_line(node),
                abstract=self._is_abstract_class(node, meta),
            )
        self._push(Scope("class", qualname, record_defs=record))
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
        self._define(
            qualname,
            kind,
            node,
            signature=signature(node.args, node.returns),
            doc=first_doc_line(node),
            complexity=complexity,
            abstract=self._is_abstract_function(node),
        )

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

    def _define(self, name: str, kind: DefinitionKind, node: ast.stmt, **facts) -> None:
        """Record a definition spanning ``node``'s lines (a class, function, method or
        module-level variable); ``facts`` are the rest of its ``Definition`` fields."""
        end = node.end_lineno or node.lineno
        self.definitions.append(Definition(name=name, kind=kind, line=node.lineno, end_line=end, **facts))

    def _visit_arguments(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *args.kw_defaults]:
            if default is not None:
                self.visit(default)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self._visit_as(arg.annotation, ReferenceKind.ANNOTATION)

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


def _argument_names(args: ast.arguments) -> frozenset[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return frozenset(a.arg for a in every if a is not None)

