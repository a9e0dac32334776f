"""The codemod's first pass: which import of a service's internals becomes what, and which
uses, strings and star imports stand in the way (read-only over libcst's tree)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, ScopeProvider

from decompose.extract._cst import (
    dotted_of,
    is_type_checking,
)
from decompose.extract._edits import (
    KEEP,
    Binding,
    Dotted,
    Finding,
    FromFacade,
    FromOrigin,
    ModuleAlias,
    ServiceView,
    Statement,
)
from decompose.extract._project import ProjectIndex
from decompose.model import ModuleName

__all__ = ["Planner"]


class Planner(cst.CSTVisitor):
    """Gathers the decisions for every import, then the uses of the module bindings."""

    def __init__(
        self,
        wrapper: MetadataWrapper,
        module: ModuleName,
        index: ProjectIndex,
        view: ServiceView,
        eager: bool,
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
        self.statements_by_node: dict[cst.CSTNode, Statement] = {}
        self.bindings: list[Binding] = []
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

    def visit_FunctionDef(self, node: cst.FunctionDef | cst.Lambda) -> None:
        self._function_depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef | cst.Lambda) -> None:
        self._function_depth -= 1

    visit_Lambda = visit_FunctionDef
    leave_Lambda = leave_FunctionDef

    def visit_If(self, node: cst.If) -> None:
        if is_type_checking(node.test):
            self._type_checking_blocks.add(id(node.body))

    # The body of an ``if TYPE_CHECKING:``, indented or on the same line.
    def visit_IndentedBlock(self, node: cst.IndentedBlock | cst.SimpleStatementSuite) -> None:
        if id(node) in self._type_checking_blocks:
            self._type_checking_depth += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock | cst.SimpleStatementSuite) -> None:
        if id(original_node) in self._type_checking_blocks:
            self._type_checking_depth -= 1

    visit_SimpleStatementSuite = visit_IndentedBlock
    leave_SimpleStatementSuite = leave_IndentedBlock

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._strings.append(node)

    def _own(self, internal: str) -> bool:
        """A package's ``__init__`` importing its own submodule: left as it is."""
        return self.package is not None and ModuleName(internal).is_below(self.package)

    def visit_Import(self, node: cst.Import) -> None:
        decisions = []
        targets = []
        for alias in node.names:
            dotted = dotted_of(alias.name)
            bound = alias.asname.name.value if alias.asname else None  # type: ignore[union-attr]
            if dotted not in self.view.internals:
                decisions.append(KEEP)
                continue
            targets.append(dotted)
            if self._own(dotted):
                self._keep_own(node, dotted)
                decisions.append(KEEP)
            elif bound is not None:
                decisions.append(ModuleAlias(ModuleName(dotted), bound))
            elif ModuleName(dotted).top != self.view.facade.top:
                top = ModuleName(dotted).top
                self.problems.append(
                    Finding(
                        self.line(node),
                        f"'import {dotted}' binds {top!r}, and the facade {self.view.facade} is not in {top}: "
                        f"rewriting it would bind another name; write 'import {dotted} as ...' first, or "
                        "choose a facade inside that package",
                    )
                )
                decisions.append(KEEP)
            else:
                decisions.append(Dotted(ModuleName(dotted)))
        self._record(node, decisions, targets)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        level = len(node.relative)
        written = dotted_of(node.module) if node.module is not None else ""
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
            name = dotted_of(alias.name)
            bound = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            seen_as = f"{base}.{name}" if f"{base}.{name}" in self.index else base
            decision = self._decide_from(node, base, name, bound)
            if decision is not KEEP and seen_as in self.view.internals:
                targets.append(seen_as)
            if decision is not KEEP and self._own(seen_as):
                if seen_as in self.view.internals:
                    self._keep_own(node, seen_as)
                decision = KEEP
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
            return ModuleAlias(ModuleName(dotted), bound)
        found = self.index.locate(dotted)
        moved = (
            self.exported.get((found.module, found.symbol)) if found is not None and found.symbol else None
        )
        if found is not None and found.module not in self.view.internals and moved is not None:
            return FromFacade(moved, bound, found.module)  # a name moved into the service
        if found is not None and found.module in self.view.internals:
            if not found.symbol:
                return ModuleAlias(found.module, bound)
            exported = self.exported.get((found.module, found.symbol))
            if exported is None:
                self.problems.append(
                    Finding(
                        self.line(node),
                        f"imports {found.module}.{found.symbol}, which is not in the API surface of the "
                        f"service (the analysis is older than the code? analyse again)",
                    )
                )
                return KEEP
            return FromFacade(exported, bound, found.module)
        if base not in self.view.internals or base not in self.index:
            return KEEP  # (a module new in this extraction, such as the moves' own, is not rewritten)
        # An internal module passing on a name of another module: import it from there.
        if found is not None:
            return FromOrigin(found.module, found.symbol or None, bound)
        origin = self.index.qualified(ModuleName(base), name)
        if origin is None or origin == dotted or self.index.locate(origin) is not None:
            self.problems.append(
                Finding(self.line(node), f"imports {name} from {base}, which neither defines nor imports it")
            )
            return KEEP
        where, _, what = origin.rpartition(".")
        return FromOrigin(where, what, bound) if where else FromOrigin(what, None, bound)

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
        if all(d is KEEP for d in decisions):
            return
        eager = self._is_eager(node)
        if eager and not self.allow_eager:
            reason = f"kept: importing {self.view.facade} here, at module level, would be circular"
            for target in sorted(set(targets)) or [""]:
                self.kept.append(Finding(self.line(node), reason, target))
            return
        self.statements_by_node[node] = Statement(decisions, eager)
        for decision in decisions:
            if isinstance(decision, (ModuleAlias, Dotted)):
                self.bindings.append(Binding(node, decision))
            if eager and isinstance(decision, (FromFacade, ModuleAlias, Dotted)):
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
        by_node: dict[cst.CSTNode, list[Binding]] = {}
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

    def _binds(self, binding: Binding, name: str) -> bool:
        decision = binding.decision
        if isinstance(decision, ModuleAlias):
            return decision.bound == name
        return decision.internal.top == name

    def _use(self, name: cst.Name, candidates: Sequence[Binding]) -> None:
        chain: list[cst.CSTNode] = [name]
        dotted = [name.value]
        parent = self.parents.get(name)
        while isinstance(parent, cst.Attribute) and parent.value is chain[-1]:
            chain.append(parent)
            dotted.append(parent.attr.value)
            parent = self.parents.get(parent)
        for binding in candidates:
            decision = binding.decision
            if isinstance(decision, ModuleAlias):
                depth = 1
                internal = decision.internal
            else:
                internal = decision.internal
                depth = internal.depth
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
            new_value = self.view.facade if isinstance(decision, Dotted) else None
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
        dotted_prefixes = {b.decision.internal + "." for b in self.bindings if isinstance(b.decision, Dotted)}
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
