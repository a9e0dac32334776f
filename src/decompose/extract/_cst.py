"""Small libcst helpers the codemod's planner and rewriter share."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m

__all__ = [
    "dotted_of",
    "expression_of",
    "is_type_checking",
    "renamed_alias",
    "from_statement",
    "import_statement",
    "comments_of",
    "comment_lines",
    "with_semicolons",
]


def dotted_of(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_of(node.value)}.{node.attr.value}"
    raise TypeError(f"not a dotted name: {node!r}")


def expression_of(dotted: str) -> cst.Attribute | cst.Name:
    parts = dotted.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def is_type_checking(test: cst.BaseExpression) -> bool:
    return (isinstance(test, cst.Name) and test.value == "TYPE_CHECKING") or (
        isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"
    )


def renamed_alias(alias: cst.ImportAlias, name: str, bound: str) -> cst.ImportAlias:
    if dotted_of(alias.name) == name:
        return alias
    asname = alias.asname if alias.asname is not None else cst.AsName(name=cst.Name(bound))
    return alias.with_changes(name=cst.Name(name), asname=asname)


def from_statement(module: str, names: Sequence[tuple[str, str]]) -> cst.ImportFrom:
    parts = ", ".join(name if name == bound else f"{name} as {bound}" for name, bound in names)
    statement = cst.parse_statement(f"from {module} import {parts}\n")
    assert isinstance(statement, cst.SimpleStatementLine)
    node = statement.body[0]
    assert isinstance(node, cst.ImportFrom)
    return node


def import_statement(module: str, bound: str) -> cst.Import:
    text = f"import {module}" if module == bound else f"import {module} as {bound}"
    statement = cst.parse_statement(text + "\n")
    assert isinstance(statement, cst.SimpleStatementLine)
    node = statement.body[0]
    assert isinstance(node, cst.Import)
    return node


def comments_of(node: cst.CSTNode) -> list[str]:
    return [c.value for c in m.findall(node, m.Comment()) if isinstance(c, cst.Comment)]


def comment_lines(comments: Sequence[str]) -> list[cst.EmptyLine]:
    return [cst.EmptyLine(comment=cst.Comment(c)) for c in comments]


def with_semicolons(body: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    return [
        s.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" ")))
        if isinstance(s.semicolon, cst.MaybeSentinel)
        else s
        for s in body
    ]
