"""The codemod's second pass: the planner's decisions applied to libcst's tree, every other
byte kept."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from decompose.extract._cst import (
    comment_lines,
    comments_of,
    expression_of,
    from_statement,
    import_statement,
    renamed_alias,
    with_semicolons,
)
from decompose.extract._edits import (
    KEEP,
    Dotted,
    FromFacade,
    FromOrigin,
    ModuleAlias,
    Statement,
)
from decompose.extract._planner import Planner

__all__ = ["Rewriter"]


class Rewriter(cst.CSTTransformer):
    """Applies the planner's decisions; touches nothing else."""

    def __init__(self, plan: Planner) -> None:
        self.plan = plan
        self.facade = plan.view.facade
        self.pending: list[cst.BaseSmallStatement] = []

    # Imports live in statement lines; a split import adds lines after its own.
    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ):
        body, extra, comments = self._rewrite_body(original_node.body, updated_node.body)
        if not extra and body is None:
            return updated_node
        line = updated_node.with_changes(body=body) if body is not None else updated_node
        # Comments inside a statement that is split up stand on their own lines above its part.
        on_line, on_extra = comments
        if on_line:
            line = line.with_changes(leading_lines=[*line.leading_lines, *comment_lines(on_line)])
        if not extra:
            return line
        lines = [cst.SimpleStatementLine(body=[s]) for s in extra]
        if on_extra:
            lines[0] = lines[0].with_changes(leading_lines=comment_lines(on_extra))
        return cst.FlattenSentinel([line, *lines])

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ):
        body, extra, _ = self._rewrite_body(original_node.body, updated_node.body)
        if body is None and not extra:
            return updated_node
        body = list(body if body is not None else updated_node.body)
        if extra:
            body = [*with_semicolons(body), *extra]
        return updated_node.with_changes(body=body)

    def _rewrite_body(
        self, originals: Sequence[cst.BaseSmallStatement], updated: Sequence[cst.BaseSmallStatement]
    ):
        changed = False
        body: list[cst.BaseSmallStatement] = []
        extra: list[cst.BaseSmallStatement] = []
        on_line: list[str] = []
        on_extra: list[str] = []
        for original, current in zip(originals, updated, strict=True):
            statement = self.plan.statements_by_node.get(original)
            if statement is None:
                body.append(current)
                continue
            changed = True
            kept, new, comments = self._rewrite(current, statement)
            if kept is not None:
                body.append(kept)
                extra.extend(new)
                on_extra.extend(comments)
            elif new:
                first = new[0]
                if isinstance(current, (cst.Import, cst.ImportFrom)):
                    first = first.with_changes(semicolon=current.semicolon)
                body.append(first)
                extra.extend(new[1:])
                on_line.extend(comments)
        return (body if changed else None), extra, (on_line, on_extra)

    def _rewrite(self, node: cst.BaseSmallStatement, statement: Statement):
        """The statement with its kept names (None when none is left), new statements, and
        the comments of the parts that are gone."""
        if isinstance(node, cst.Import):
            names = []
            for alias, decision in zip(node.names, statement.decisions, strict=True):
                if isinstance(decision, (ModuleAlias, Dotted)):
                    alias = alias.with_changes(name=expression_of(self.facade))
                names.append(alias)
            return node.with_changes(names=names), [], []
        assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
        decisions = statement.decisions
        aliases = list(node.names)
        if all(isinstance(d, FromFacade) for d in decisions):
            renamed = [
                renamed_alias(alias, d.name, d.bound) for alias, d in zip(aliases, decisions, strict=True)
            ]
            return node.with_changes(module=expression_of(self.facade), relative=(), names=renamed), [], []
        kept = [alias for alias, d in zip(aliases, decisions, strict=True) if d is KEEP]
        new: list[cst.BaseSmallStatement] = []
        facade_names = [d for d in decisions if isinstance(d, FromFacade)]
        if facade_names:
            new.append(from_statement(self.facade, [(d.name, d.bound) for d in facade_names]))
        for decision in decisions:
            if isinstance(decision, ModuleAlias):
                new.append(import_statement(self.facade, decision.bound))
        origins: dict[str, list[tuple[str, str]]] = {}
        for decision in decisions:
            if isinstance(decision, FromOrigin):
                if decision.name is None:
                    new.append(import_statement(decision.module, decision.bound))
                else:
                    origins.setdefault(decision.module, []).append((decision.name, decision.bound))
        for module, names in origins.items():
            new.append(from_statement(module, names))
        if not kept:
            return None, new, comments_of(node)
        gone = [alias for alias, d in zip(aliases, decisions, strict=True) if d is not KEEP]
        last_comma = aliases[-1].comma
        kept[-1] = kept[-1].with_changes(comma=last_comma)
        return node.with_changes(names=kept), new, [c for alias in gone for c in comments_of(alias)]

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        change = self.plan.attribute_changes.get(original_node)
        if change is None:
            return updated_node
        value, attribute = change
        return updated_node.with_changes(
            value=expression_of(value) if value is not None else updated_node.value,
            attr=updated_node.attr.with_changes(value=attribute),
        )
