"""Control flow, as the fact visitor reads it: whether code runs only under some condition
(an import under ``if``/``try`` is conditional, one under ``if TYPE_CHECKING:`` is for types
only), and how many decision points each function has.

While the visitor walks, it counts each function's decision points for McCabe's cyclomatic
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

from decompose.parse._nodes import dotted_name

__all__ = ["FlowVisitor"]


class FlowVisitor:
    """The fact visitor's part that reads control flow: it needs the visitor's ``decisions``,
    ``type_only``, ``conditional``, ``_bind`` and ``generic_visit``."""

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

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self.decisions += 1
        if node.name:
            self._bind(node.name)
        self.generic_visit(node)



def _is_type_checking(test: ast.expr) -> bool:
    dotted = dotted_name(test)
    return dotted is not None and dotted.rpartition(".")[2] == "TYPE_CHECKING"
