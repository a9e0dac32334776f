"""The values the codemod passes around: the service as the rewrite sees it, the findings
and the result of one module's rewrite, and the planner's decision for each import."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from decompose.model import ModuleName

__all__ = [
    "ServiceView",
    "FileRewrite",
    "Finding",
    "Keep",
    "FromFacade",
    "FromOrigin",
    "ModuleAlias",
    "Dotted",
    "KEEP",
    "Binding",
    "Statement",
]


@dataclass(frozen=True)
class ServiceView:
    """What the codemod knows of the service it cuts out."""

    facade: ModuleName
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


@dataclass(frozen=True)
class Keep:
    pass


@dataclass(frozen=True)
class FromFacade:
    name: str  # the facade's name
    bound: str  # the local name, as before
    module: ModuleName  # the internal module that defines it


@dataclass(frozen=True)
class FromOrigin:
    """A name an internal module merely re-exports: imported from where it lives."""

    module: str
    name: str | None  # None: ``module`` itself
    bound: str


@dataclass(frozen=True)
class ModuleAlias:
    """A local name bound to an internal module: bound to the facade instead."""

    internal: ModuleName
    bound: str


@dataclass(frozen=True)
class Dotted:
    """``import pkg.internal``: becomes ``import facade``, and ``pkg.internal.x`` ``facade.x``."""

    internal: ModuleName


KEEP = Keep()


@dataclass
class Binding:
    node: cst.CSTNode  # the Import / ImportFrom statement
    decision: ModuleAlias | Dotted


@dataclass
class Statement:
    decisions: list = field(default_factory=list)  # per alias, in order
    eager: bool = True
