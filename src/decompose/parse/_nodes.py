"""Small readers of ``ast`` nodes that the visitor's parts share: dotted names, literal
strings and the text a report can hold."""

from __future__ import annotations

import ast
import re

__all__ = [
    "DOTTED_STRING",
    "dotted_name",
    "is_true",
    "literal_assignment",
    "literal_strings",
    "printable",
]

DOTTED_STRING = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


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


def printable(text: str) -> str:
    """``text`` with lone surrogates (``"\\ud800"`` in a literal) spelled as escapes:
    they cannot be written as UTF-8, so a report holding them could not be saved."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def literal_strings(node: ast.AST | None) -> tuple[str, ...] | None:
    """The strings of a list or tuple literal of strings only, else None."""
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(values) == len(node.elts):
            return tuple(printable(v) for v in values)
    return None


def literal_assignment(statement: ast.Assign | ast.AnnAssign) -> tuple[str | None, str | None]:
    """``name = "literal"``: the name and the string (None when not a literal)."""
    targets = statement.targets if type(statement) is ast.Assign else [statement.target]
    if len(targets) != 1 or type(targets[0]) is not ast.Name:
        return None, None
    value = statement.value
    if type(value) is ast.Constant and type(value.value) is str:
        return targets[0].id, printable(value.value)
    return targets[0].id, None


def is_true(value: ast.expr | None) -> bool:
    """``value`` is the literal ``True``."""
    return type(value) is ast.Constant and value.value is True
