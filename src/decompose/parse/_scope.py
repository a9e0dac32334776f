"""The scopes the fact visitor walks through, and the names each function binds itself:
a local variable called ``order`` is not the module ``order`` imported at the top."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from decompose.model import ReferenceKind
from decompose.parse._hooks import unshadowed_hooks

__all__ = ["Scope", "ScopeStack"]


@dataclass
class Scope:
    kind: str  # "module", "class", "function"
    qualname: str  # innermost recorded definition; references are attributed to it
    bound: set[str] | None = None  # function scopes: the names the function binds itself
    record_defs: bool = True  # False inside functions: nested defs are not addressable
    declared_global: set[str] | None = None
    first_reference: int = 0  # where this scope's references start in the collector's list
    first_hook: int = 0  # likewise for framework hooks



class ScopeStack:
    """The fact visitor's part that keeps its scopes: it needs the visitor's ``scope`` and
    ``scopes``, ``function_depth``, ``ref_kind``, ``raw_references`` and ``hooks``."""

    def _push(self, scope: Scope) -> None:
        self.scopes.append(scope)
        self.scope = scope

    def _pop(self) -> Scope:
        scope = self.scopes.pop()
        self.scope = self.scopes[-1]
        return scope

    def _open_function(self, qualname: str, parameters: set[str], record_defs: bool) -> None:
        self.function_depth += 1
        self._push(
            Scope(
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
                self.hooks[scope.first_hook :] = unshadowed_hooks(self.hooks[scope.first_hook :], local)

    def _bind(self, name: str) -> None:
        if self.scope.bound is not None:
            self.scope.bound.add(name)

    def _record(self, target: str, kind: ReferenceKind, line: int) -> None:
        self.raw_references.append(
            (target.partition(".")[0], target, self.ref_kind or kind, line, self.scope.qualname)
        )

    def _qualify(self, name: str) -> str:
        return f"{self.scope.qualname}.{name}" if self.scope.qualname else name

    @contextmanager
    def _header(self, qualname: str) -> Iterator[None]:
        """Decorators, bases, defaults and annotations are evaluated where the definition
        stands, but they are uses *by* the definition: attribute them to it."""
        current = self.scope
        self._push(
            Scope(current.kind, qualname, current.bound, current.record_defs, current.declared_global)
        )
        try:
            yield
        finally:
            self._pop()
