"""How a definition reads in a report: its signature as written, shortened, and the first
line of its docstring."""

from __future__ import annotations

import ast

from decompose.parse._nodes import printable

__all__ = ["class_signature", "first_doc_line", "signature"]

_MAX_SIGNATURE = 300
_MAX_DOC = 200


def signature(args: ast.arguments, returns: ast.expr | None, drop_first: bool = False) -> str:
    """``"(self, amount: Decimal, *, currency='EUR') -> Money"``, at most 300 characters."""
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


def class_signature(node: ast.ClassDef) -> str:
    """The signature of the class's own ``__init__`` without ``self``; "" when it has none."""
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == "__init__":
            return signature(statement.args, None, drop_first=True)
    return ""


def first_doc_line(node: ast.AST) -> str:
    """The first line of the docstring that is not blank, at most 200 characters."""
    body = getattr(node, "body", None)
    if not body or not isinstance(body[0], ast.Expr):
        return ""
    value = body[0].value
    if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
        return ""
    for line in value.value.strip().splitlines():
        if line.strip():
            return printable(line.strip()[:_MAX_DOC])
    return ""


def _parameter(arg: ast.arg, default: ast.expr | None) -> str:
    text = arg.arg
    if arg.annotation is not None:
        text += ": " + _unparse(arg.annotation)
    if default is not None:
        text += (" = " if arg.annotation is not None else "=") + _unparse(default)
    return text


def _unparse(node: ast.AST | None) -> str:
    if node is None:
        return ""
    try:
        text = ast.unparse(node)
    except (RecursionError, ValueError, AttributeError):
        return "…"
    text = printable(text)
    return text if len(text) <= 80 else text[:77] + "…"
