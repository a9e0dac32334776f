"""Imports as written: the statements, ``importlib.import_module("literal")``, and which of
a file's own names come from ``abc`` and ``typing`` (so that an abstract class is told from
one that merely inherits from a class called ``Protocol``)."""

from __future__ import annotations

import ast

from decompose.model import FileFacts, ImportFact
from decompose.parse._nodes import dotted_name

__all__ = ["DYNAMIC_IMPORTERS", "ImportVisitor", "collect_imports_only", "import_facts"]

DYNAMIC_IMPORTERS = frozenset({"importlib.import_module", "import_module", "__import__"})
# What makes a class abstract is read through the file's own imports of these modules, so
# that ``abc.ABC``, ``from abc import ABC as Base`` and ``import typing as t; t.Protocol``
# count and Twisted's ``protocol.Protocol`` does not.
_ABSTRACTION_MODULES = frozenset({"abc", "typing", "typing_extensions"})
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



class ImportVisitor:
    """The fact visitor's part that records imports: it needs the visitor's ``imports``
    list, its ``scope``, ``function_depth``, ``type_only`` and ``conditional``."""

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
