"""The codemod: one module's imports of a service's internals rewritten to use its facade.

libcst keeps every byte it is not asked to change, so a file comes back identical but for
the import statements (and the ``pkg.mod.name`` uses after ``import pkg.mod``) that named
the service's modules. Every import form counts wherever it stands: ``from`` imports,
``import x.y as z``, ``import x.y`` with its attribute uses, under ``if TYPE_CHECKING:``
and inside functions.

The result is a value, never an exception: what could not be rewritten unambiguously (a
star import of an internal module, a name the facade does not export, a module used as a
value) comes back as problems, and the caller writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, ScopeProvider

from decompose.extract._project import ProjectIndex
from decompose.model import ModuleName

__all__ = ["ServiceView", "FileRewrite", "Finding", "rewrite_module"]


@dataclass(frozen=True)
class ServiceView:
    """What the codemod knows of the service it cuts out."""

    facade: str  # dotted module name of the facade
    internals: frozenset[ModuleName]  # the service's modules
    exports: tuple[tuple[ModuleName, str, str], ...]  # (module, symbol, name in the facade)

    def exported(self) -> dict[tuple[str, str], str]:
        return {(module, symbol): name for module, symbol, name in self.exports}


@dataclass(frozen=True)
class Finding:
    line: int
    message: str
    target: str = ""  # for a kept import: the internal module it names, as import-linter sees it


@dataclass(frozen=True)
class FileRewrite:
    """One module's verdict: its new code (None when nothing changes) and what was found."""

    module: ModuleName
    code: bytes | None
    problems: tuple[Finding, ...] = ()  # make the rewrite ambiguous: nothing may be written
    strings: tuple[Finding, ...] = ()  # string uses of an internal name, reported, not rewritten
    kept: tuple[Finding, ...] = ()  # imports of internals left as they are, and why
    eager_facade: bool = False  # module-level code now imports the facade
    rewritten: int = 0  # import statements rewritten


def rewrite_module(
    code: bytes,
    module: ModuleName,
    index: ProjectIndex,
    view: ServiceView,
    *,
    eager: bool = True,
) -> FileRewrite:
    """``module``'s source with its imports of ``view``'s internals pointed at the facade.

    With ``eager`` false, module-level imports (those that run when the module is imported)
    are kept as they are and reported: importing the facade there would be circular.
    """
    try:
        tree = cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        return FileRewrite(module, None, problems=(Finding(error.raw_line, f"libcst cannot parse it: {error.message}"),))
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    plan = _Planner(wrapper, module, index, view, eager)
    wrapper.visit(plan)
    plan.find_uses()
    if plan.problems:
        return FileRewrite(module, None, problems=tuple(plan.problems))
    changed = plan.changes_anything()
    new_code = None
    if changed:
        new_tree = tree.visit(_Rewriter(plan))
        new_code = new_tree.bytes
        if new_code == code:
            new_code = None
    return FileRewrite(
        module,
        new_code,
        strings=tuple(plan.strings),
        kept=tuple(plan.kept),
        eager_facade=plan.eager_facade,
        rewritten=len(plan.statements_by_node) if new_code is not None else 0,
    )


# ------------------------------------------------------------------------------ decisions


@dataclass(frozen=True)
class _Keep:
    pass


@dataclass(frozen=True)
class _FromFacade:
    name: str  # the facade's name
    bound: str  # the local name, as before
    module: ModuleName  # the internal module that defines it


@dataclass(frozen=True)
class _FromOrigin:
    """A name an internal module merely re-exports: imported from where it lives."""

    module: str
    name: str | None  # None: ``module`` itself
    bound: str


@dataclass(frozen=True)
class _ModuleAlias:
    """A local name bound to an internal module: bound to the facade instead."""

    internal: ModuleName
    bound: str


@dataclass(frozen=True)
class _Dotted:
    """``import pkg.internal``: becomes ``import facade``, and ``pkg.internal.x`` ``facade.x``."""

    internal: ModuleName


_KEEP = _Keep()


@dataclass
class _Binding:
    node: cst.CSTNode  # the Import / ImportFrom statement
    decision: _ModuleAlias | _Dotted


@dataclass
class _Statement:
    decisions: list = field(default_factory=list)  # per alias, in order
    eager: bool = True


class _Planner(cst.CSTVisitor):
    """Gathers the decisions for every import, then the uses of the module bindings."""

    def __init__(
        self, wrapper: MetadataWrapper, module: ModuleName, index: ProjectIndex, view: ServiceView, eager: bool
    ) -> None:
        self.module = module
        self.index = index
        self.view = view
        self.allow_eager = eager
        self.package = module if index.file(module).is_package else None
        self.exported = view.exported()
        self._positions = None
        self._parents = None
        self._function_depth = 0
        self._type_checking_blocks: set[int] = set()
        self._type_checking_depth = 0
        self.wrapper = wrapper
        self.statements_by_node: dict[cst.CSTNode, _Statement] = {}
        self.bindings: list[_Binding] = []
        self.attribute_changes: dict[cst.CSTNode, tuple[str | None, str]] = {}  # node -> (new value, attr)
        self.problems: list[Finding] = []
        self.strings: list[Finding] = []
        self.kept: list[Finding] = []
        self.eager_facade = False
        self._strings: list[cst.SimpleString] = []

    # ------------------------------------------------------------------ visiting

    # Metadata costs a walk of the whole tree each: resolved only for files that need it.
    @property
    def parents(self):
        if self._parents is None:
            self._parents = self.wrapper.resolve(ParentNodeProvider)
        return self._parents

    def line(self, node: cst.CSTNode) -> int:
        if self._positions is None:
            self._positions = self.wrapper.resolve(PositionProvider)
        return self._positions[node].start.line

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._function_depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._function_depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._function_depth += 1

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._function_depth -= 1

    def visit_If(self, node: cst.If) -> None:
        if _is_type_checking(node.test):
            self._type_checking_blocks.add(id(node.body))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self._type_checking_blocks:
            self._type_checking_depth += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        if id(original_node) in self._type_checking_blocks:
            self._type_checking_depth -= 1

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        if id(node) in self._type_checking_blocks:
            self._type_checking_depth += 1

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        if id(original_node) in self._type_checking_blocks:
            self._type_checking_depth -= 1

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._strings.append(node)

    def _own(self, internal: str) -> bool:
        """A package's ``__init__`` importing its own submodule: left as it is."""
        return self.package is not None and internal.startswith(self.package + ".")

    def visit_Import(self, node: cst.Import) -> None:
        decisions = []
        targets = []
        for alias in node.names:
            dotted = _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname else None  # type: ignore[union-attr]
            if dotted not in self.view.internals:
                decisions.append(_KEEP)
                continue
            targets.append(dotted)
            if self._own(dotted):
                self._keep_own(node, dotted)
                decisions.append(_KEEP)
            elif bound is not None:
                decisions.append(_ModuleAlias(ModuleName(dotted), bound))
            elif dotted.partition(".")[0] != self.view.facade.partition(".")[0]:
                top = dotted.partition(".")[0]
                self.problems.append(
                    Finding(
                        self.line(node),
                        f"'import {dotted}' binds {top!r}, and the facade {self.view.facade} is not in {top}: "
                        f"rewriting it would bind another name; write 'import {dotted} as ...' first, or "
                        "choose a facade inside that package",
                    )
                )
                decisions.append(_KEEP)
            else:
                decisions.append(_Dotted(ModuleName(dotted)))
        self._record(node, decisions, targets)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        level = len(node.relative)
        written = _dotted(node.module) if node.module is not None else ""
        base = self.index.absolute(self.module, level, written)
        if base is None:
            return
        if isinstance(node.names, cst.ImportStar):
            if self._own(base):
                if base in self.view.internals:
                    self._keep_own(node, base)
                return
            self._star(node, base)
            return
        decisions = []
        targets = []
        for alias in node.names:
            name = _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            seen_as = f"{base}.{name}" if f"{base}.{name}" in self.index else base
            decision = self._decide_from(node, base, name, bound)
            if decision is not _KEEP and seen_as in self.view.internals:
                targets.append(seen_as)
            if decision is not _KEEP and self._own(seen_as):
                if seen_as in self.view.internals:
                    self._keep_own(node, seen_as)
                decision = _KEEP
            decisions.append(decision)
        self._record(node, decisions, targets)

    def _keep_own(self, node: cst.CSTNode, internal: str) -> None:
        self.kept.append(
            Finding(
                self.line(node),
                f"kept: the package {self.module} re-exports its own submodule {internal}",
                internal,
            )
        )

    def _decide_from(self, node: cst.CSTNode, base: str, name: str, bound: str):
        dotted = f"{base}.{name}"
        if dotted in self.view.internals:
            return _ModuleAlias(ModuleName(dotted), bound)
        found = self.index.locate(dotted)
        moved = self.exported.get((found.module, found.symbol)) if found is not None and found.symbol else None
        if found is not None and found.module not in self.view.internals and moved is not None:
            return _FromFacade(moved, bound, found.module)  # a name moved into the service
        if found is not None and found.module in self.view.internals:
            if not found.symbol:
                return _ModuleAlias(found.module, bound)
            exported = self.exported.get((found.module, found.symbol))
            if exported is None:
                self.problems.append(
                    Finding(
                        self.line(node),
                        f"imports {found.module}.{found.symbol}, which is not in the API surface of the "
                        f"service (the analysis is older than the code? analyse again)",
                    )
                )
                return _KEEP
            return _FromFacade(exported, bound, found.module)
        if base not in self.view.internals or base not in self.index:
            return _KEEP  # (a module new in this extraction, such as the moves' own, is not rewritten)
        # An internal module passing on a name of another module: import it from there.
        if found is not None:
            return _FromOrigin(found.module, found.symbol or None, bound)
        origin = self.index.qualified(ModuleName(base), name)
        if origin is None or origin == dotted or self.index.locate(origin) is not None:
            self.problems.append(
                Finding(self.line(node), f"imports {name} from {base}, which neither defines nor imports it")
            )
            return _KEEP
        where, _, what = origin.rpartition(".")
        return _FromOrigin(where, what, bound) if where else _FromOrigin(what, None, bound)

    def _star(self, node: cst.ImportFrom, base: str) -> None:
        if base in self.view.internals:
            self.problems.append(
                Finding(
                    self.line(node),
                    f"'from {base} import *' imports an internal module of the service whole: which names "
                    "it needs is ambiguous; import them by name first",
                )
            )
            return
        internal = sorted(
            name
            for name in self.index.star_names(ModuleName(base))
            if (found := self.index.locate(f"{base}.{name}")) is not None
            and (found.module in self.view.internals or (found.module, found.symbol) in self.exported)
        )
        if internal:
            shown = ", ".join(internal[:5]) + (" ..." if len(internal) > 5 else "")
            self.problems.append(
                Finding(
                    self.line(node),
                    f"'from {base} import *' brings in names of the service ({shown}): which ones are "
                    "used is ambiguous; import them by name first",
                )
            )

    def _record(self, node: cst.CSTNode, decisions: list, targets: Sequence[str]) -> None:
        if all(d is _KEEP for d in decisions):
            return
        eager = self._is_eager(node)
        if eager and not self.allow_eager:
            reason = f"kept: importing {self.view.facade} here, at module level, would be circular"
            for target in sorted(set(targets)) or [""]:
                self.kept.append(Finding(self.line(node), reason, target))
            return
        self.statements_by_node[node] = _Statement(decisions, eager)
        for decision in decisions:
            if isinstance(decision, (_ModuleAlias, _Dotted)):
                self.bindings.append(_Binding(node, decision))
            if eager and isinstance(decision, (_FromFacade, _ModuleAlias, _Dotted)):
                self.eager_facade = True

    def _is_eager(self, node: cst.CSTNode) -> bool:
        """Whether the statement runs when the module is imported (not in a function, not
        under ``if TYPE_CHECKING:``)."""
        return self._function_depth == 0 and self._type_checking_depth == 0

    # ------------------------------------------------------------------ uses

    def find_uses(self) -> None:
        """Every use of a name bound to an internal module: each must be ``name.x`` with
        ``x`` in the facade (renamed when the facade calls it otherwise)."""
        if not self.bindings:
            return
        by_node: dict[cst.CSTNode, list[_Binding]] = {}
        for binding in self.bindings:
            by_node.setdefault(binding.node, []).append(binding)
        seen: set[int] = set()
        resolved = self.wrapper.resolve(ScopeProvider)  # the costly part: only when needed
        scopes = {id(scope): scope for scope in resolved.values() if scope is not None}
        for scope in scopes.values():
            for assignment in scope.assignments:
                statement = getattr(assignment, "node", None)
                if statement not in by_node:
                    continue
                for access in assignment.references:
                    root = access.node
                    if isinstance(root, cst.SimpleString):
                        continue  # a string annotation: see _string_uses
                    while isinstance(root, cst.Attribute):
                        root = root.value
                    if not isinstance(root, cst.Name) or id(root) in seen:
                        continue
                    seen.add(id(root))
                    others = [r for r in access.referents if getattr(r, "node", None) not in by_node]
                    if others:
                        self.problems.append(
                            Finding(
                                self.line(root),
                                f"{root.value!r} is bound here both to an internal module of the service and "
                                "to something else: which one a use means is ambiguous",
                            )
                        )
                        continue
                    candidates = [
                        b for r in access.referents for b in by_node[r.node] if self._binds(b, root.value)
                    ]
                    if candidates:
                        self._use(root, candidates)
        self._string_uses()

    def _binds(self, binding: _Binding, name: str) -> bool:
        decision = binding.decision
        if isinstance(decision, _ModuleAlias):
            return decision.bound == name
        return decision.internal.partition(".")[0] == name

    def _use(self, name: cst.Name, candidates: Sequence[_Binding]) -> None:
        chain: list[cst.CSTNode] = [name]
        dotted = [name.value]
        parent = self.parents.get(name)
        while isinstance(parent, cst.Attribute) and parent.value is chain[-1]:
            chain.append(parent)
            dotted.append(parent.attr.value)
            parent = self.parents.get(parent)
        for binding in candidates:
            decision = binding.decision
            if isinstance(decision, _ModuleAlias):
                depth = 1
                internal = decision.internal
            else:
                internal = decision.internal
                depth = internal.count(".") + 1
                if ".".join(dotted[:depth]) != internal:
                    continue  # another module of the same package: not this binding's
            if len(dotted) <= depth:
                what = ".".join(dotted)
                self.problems.append(
                    Finding(
                        self.line(name),
                        f"uses {what} (the internal module {internal}) as a value, not one of its names: "
                        "the facade cannot stand for it",
                    )
                )
                return
            attribute = dotted[depth]
            exported = self._exported_attribute(name, internal, attribute)
            if exported is None:
                return
            node = chain[depth]
            new_value = self.view.facade if isinstance(decision, _Dotted) else None
            if new_value is not None or exported != attribute:
                self.attribute_changes[node] = (new_value, exported)
            return

    def _exported_attribute(self, at: cst.CSTNode, internal: ModuleName, attribute: str) -> str | None:
        found = self.index.locate(f"{internal}.{attribute}")
        if found is not None and found.module in self.view.internals and found.symbol:
            exported = self.exported.get((found.module, found.symbol))
            if exported is not None:
                return exported
            problem = "which is not in the API surface of the service (the analysis is older than the code?)"
        elif found is not None and found.module in self.view.internals:
            problem = "a module of the service: the facade exports names, not modules"
        elif found is not None:
            problem = f"which lives in {found.module}, outside the service: import it from there"
        else:
            problem = "which the service does not define"
        self.problems.append(Finding(self.line(at), f"uses {internal}.{attribute}, {problem}"))
        return None

    def _string_uses(self) -> None:
        """Dotted strings (string annotations) naming an internal module through a
        ``import pkg.mod`` binding: reported, since the facade name would differ."""
        dotted_prefixes = {b.decision.internal + "." for b in self.bindings if isinstance(b.decision, _Dotted)}
        if not dotted_prefixes:
            return
        for node in self._strings:
            try:
                value = node.evaluated_value
            except Exception:  # noqa: BLE001 - an odd literal is simply not a dotted name
                continue
            if isinstance(value, str) and any(value.startswith(p) for p in dotted_prefixes):
                self.strings.append(Finding(self.line(node), f"string {value!r} names an internal module"))

    # ------------------------------------------------------------------ summary

    def changes_anything(self) -> bool:
        return bool(self.statements_by_node or self.attribute_changes)


class _Rewriter(cst.CSTTransformer):
    """Applies the planner's decisions; touches nothing else."""

    def __init__(self, plan: _Planner) -> None:
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
            line = line.with_changes(leading_lines=[*line.leading_lines, *_comment_lines(on_line)])
        if not extra:
            return line
        lines = [cst.SimpleStatementLine(body=[s]) for s in extra]
        if on_extra:
            lines[0] = lines[0].with_changes(leading_lines=_comment_lines(on_extra))
        return cst.FlattenSentinel([line, *lines])

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ):
        body, extra, _ = self._rewrite_body(original_node.body, updated_node.body)
        if body is None and not extra:
            return updated_node
        body = list(body if body is not None else updated_node.body)
        if extra:
            body = [*_with_semicolons(body), *extra]
        return updated_node.with_changes(body=body)

    def _rewrite_body(self, originals: Sequence[cst.BaseSmallStatement], updated: Sequence[cst.BaseSmallStatement]):
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

    def _rewrite(self, node: cst.BaseSmallStatement, statement: _Statement):
        """The statement with its kept names (None when none is left), new statements, and
        the comments of the parts that are gone."""
        if isinstance(node, cst.Import):
            names = []
            for alias, decision in zip(node.names, statement.decisions, strict=True):
                if isinstance(decision, (_ModuleAlias, _Dotted)):
                    alias = alias.with_changes(name=_expression(self.facade))
                names.append(alias)
            return node.with_changes(names=names), [], []
        assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
        decisions = statement.decisions
        aliases = list(node.names)
        if all(isinstance(d, _FromFacade) for d in decisions):
            renamed = [_renamed(alias, d.name, d.bound) for alias, d in zip(aliases, decisions, strict=True)]
            return node.with_changes(module=_expression(self.facade), relative=(), names=renamed), [], []
        kept = [alias for alias, d in zip(aliases, decisions, strict=True) if d is _KEEP]
        new: list[cst.BaseSmallStatement] = []
        facade_names = [d for d in decisions if isinstance(d, _FromFacade)]
        if facade_names:
            new.append(_from_statement(self.facade, [(d.name, d.bound) for d in facade_names]))
        for decision in decisions:
            if isinstance(decision, _ModuleAlias):
                new.append(_import_statement(self.facade, decision.bound))
        origins: dict[str, list[tuple[str, str]]] = {}
        for decision in decisions:
            if isinstance(decision, _FromOrigin):
                if decision.name is None:
                    new.append(_import_statement(decision.module, decision.bound))
                else:
                    origins.setdefault(decision.module, []).append((decision.name, decision.bound))
        for module, names in origins.items():
            new.append(_from_statement(module, names))
        if not kept:
            return None, new, _comments(node)
        gone = [alias for alias, d in zip(aliases, decisions, strict=True) if d is not _KEEP]
        last_comma = aliases[-1].comma
        kept[-1] = kept[-1].with_changes(comma=last_comma)
        return node.with_changes(names=kept), new, [c for alias in gone for c in _comments(alias)]

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        change = self.plan.attribute_changes.get(original_node)
        if change is None:
            return updated_node
        value, attribute = change
        return updated_node.with_changes(
            value=_expression(value) if value is not None else updated_node.value,
            attr=updated_node.attr.with_changes(value=attribute),
        )


# ------------------------------------------------------------------------------ helpers


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    raise TypeError(f"not a dotted name: {node!r}")


def _expression(dotted: str) -> cst.Attribute | cst.Name:
    parts = dotted.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _is_type_checking(test: cst.BaseExpression) -> bool:
    return (isinstance(test, cst.Name) and test.value == "TYPE_CHECKING") or (
        isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"
    )


def _renamed(alias: cst.ImportAlias, name: str, bound: str) -> cst.ImportAlias:
    if _dotted(alias.name) == name:
        return alias
    asname = alias.asname if alias.asname is not None else cst.AsName(name=cst.Name(bound))
    return alias.with_changes(name=cst.Name(name), asname=asname)


def _from_statement(module: str, names: Sequence[tuple[str, str]]) -> cst.ImportFrom:
    parts = ", ".join(name if name == bound else f"{name} as {bound}" for name, bound in names)
    statement = cst.parse_statement(f"from {module} import {parts}\n")
    assert isinstance(statement, cst.SimpleStatementLine)
    node = statement.body[0]
    assert isinstance(node, cst.ImportFrom)
    return node


def _import_statement(module: str, bound: str) -> cst.Import:
    text = f"import {module}" if module == bound else f"import {module} as {bound}"
    statement = cst.parse_statement(text + "\n")
    assert isinstance(statement, cst.SimpleStatementLine)
    node = statement.body[0]
    assert isinstance(node, cst.Import)
    return node


def _comments(node: cst.CSTNode) -> list[str]:
    return [c.value for c in m.findall(node, m.Comment()) if isinstance(c, cst.Comment)]


def _comment_lines(comments: Sequence[str]) -> list[cst.EmptyLine]:
    return [cst.EmptyLine(comment=cst.Comment(c)) for c in comments]


def _with_semicolons(body: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    return [
        s.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" ")))
        if isinstance(s.semicolon, cst.MaybeSentinel)
        else s
        for s in body
    ]
