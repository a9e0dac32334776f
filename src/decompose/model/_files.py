"""Discovery: the files found under the analysed root, the module names Python gives them,
what was left out and why, and the folders the code imports from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from decompose.model._diagnostics import Diagnostic

__all__ = [
    "DeferredFile",
    "Discovery",
    "Exclusion",
    "ImportCensus",
    "ImportRoot",
    "ModuleName",
    "SourceFile",
]


class ModuleName(str):
    """The one identity of a module: its dotted import name, e.g. ``shop.models.core``.

    A ``str``, so that it sorts, hashes, compares and is written (JSON, CSV, dict keys)
    exactly as its text; on top, the operations on its dotted parts. The empty name is no
    module: the parent of a top-level name and what names sharing no package have in
    common; nothing but itself is within it.
    """

    __slots__ = ()

    @classmethod
    def of(cls, parts: Iterable[str]) -> ModuleName:
        """The name of dotted ``parts``: ``of(["shop", "orders"])`` is ``shop.orders``."""
        return cls(".".join(parts))

    @staticmethod
    def common_ancestor(names: Iterable[str]) -> ModuleName:
        """The deepest name every one of ``names`` is within (one of them, when the others
        are below it); empty when they share no top-level package, or there are none."""
        shared: list[str] | None = None
        for name in names:
            parts = name.split(".")
            if shared is None:
                shared = parts
                continue
            same = 0
            for mine, theirs in zip(shared, parts, strict=False):
                if mine != theirs:
                    break
                same += 1
            del shared[same:]
            if not shared:
                break
        return ModuleName(".".join(shared or ()))

    @property
    def parts(self) -> tuple[str, ...]:
        """``("shop", "models", "core")``; none for the empty name."""
        return tuple(self.split(".")) if self else ()

    @property
    def depth(self) -> int:
        """How many parts: 1 for a top-level name, 0 for the empty one."""
        return self.count(".") + 1 if self else 0

    @property
    def top(self) -> ModuleName:
        """The top-level package (or module): ``shop`` of ``shop.models.core``."""
        return ModuleName(self.partition(".")[0])

    @property
    def parent(self) -> ModuleName:
        """The package it is in: ``shop.models`` of ``shop.models.core``; empty for a
        top-level name."""
        return ModuleName(self.rpartition(".")[0])

    @property
    def leaf(self) -> str:
        """The last part: ``core`` of ``shop.models.core``."""
        return self.rpartition(".")[2]

    @property
    def ancestors(self) -> tuple[ModuleName, ...]:
        """The packages it is in, nearest first: ``shop.models``, then ``shop``."""
        parts = self.split(".")
        return tuple(ModuleName(".".join(parts[:depth])) for depth in range(len(parts) - 1, 0, -1))

    def head(self, depth: int) -> ModuleName:
        """Its first ``depth`` parts: ``shop.models`` for 2 (itself when it has no more)."""
        return ModuleName(".".join(self.split(".")[:depth]))

    def tail(self, count: int) -> ModuleName:
        """Its last ``count`` parts: ``models.core`` for 2 (itself when it has no more)."""
        return ModuleName(".".join(self.split(".")[-count:])) if count > 0 else ModuleName()

    def child(self, name: str) -> ModuleName:
        """The name ``name`` (one part, or dotted) below it: ``shop.models`` of ``shop``
        and ``models``; ``name`` itself below the empty name."""
        return ModuleName(f"{self}.{name}" if self else name)

    def is_within(self, package: str) -> bool:
        """Whether it is ``package`` or below it: ``shop.models`` is within ``shop`` and
        within itself, ``shopping`` is not within ``shop``."""
        return self == package or self.startswith(package + ".")

    def is_below(self, package: str) -> bool:
        """Whether it is below ``package``, not ``package`` itself."""
        return self.startswith(package + ".")

    def relative_to(self, package: str) -> ModuleName:
        """The rest of the name below ``package``: ``models.core`` of ``shop.models.core``
        relative to ``shop``; empty relative to itself. ValueError when not within it."""
        if self == package:
            return ModuleName()
        if not self.is_below(package):
            raise ValueError(f"{self!r} is not within {package!r}")
        return ModuleName(self[len(package) + 1 :])


@dataclass(frozen=True, order=True)
class SourceFile:
    """A Python file found under the root, with the module name Python would give it."""

    module: ModuleName
    path: str  # relative to the analysed root, POSIX separators
    is_package: bool  # an ``__init__.py``


@dataclass(frozen=True, order=True)
class Exclusion:
    """A file or folder left out on purpose, by a default rule or the user's pattern."""

    path: str
    reason: str


@dataclass(frozen=True, order=True)
class DeferredFile:
    """A test file: analysed only if the analysed code imports it (``django.test`` is a
    library, ``tests/test_views.py`` is not)."""

    file: SourceFile
    group: str  # the folder (or file) the rule matched, for reporting
    reason: str


@dataclass(frozen=True)
class Discovery:
    root: str  # absolute path of the analysed tree
    files: tuple[SourceFile, ...]  # sorted by module name
    diagnostics: tuple[Diagnostic, ...]
    excluded: tuple[Exclusion, ...] = ()
    deferred: tuple[DeferredFile, ...] = ()
    # Folders that module names are counted from (the src layout, nested projects), with why.
    source_roots: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- import roots


@dataclass(frozen=True, order=True)
class ImportRoot:
    """A folder on the import path: the code names the modules below it from there."""

    path: str  # relative to the analysed folder, POSIX; "." for the folder itself
    reason: str  # why it counts as a root, for the report
    # The dotted name discovery gave the folder ("" when names already start below it), and
    # whether the modules below it are named from here (the code imports them that way) or
    # keep their discovered names, with the short form resolving to them.
    prefix: str = ""
    named_here: bool = False


@dataclass(frozen=True)
class ImportCensus:
    """Every absolute import statement, classified by who owns the top-level name it imports."""

    project: int = 0  # the project's own modules
    resolved: int = 0  # ... of which the module (or the name in it) was found
    stdlib: int = 0
    declared: int = 0  # distributions the project declares (pyproject, requirements, lock files)
    installed: int = 0  # installed here, not declared
    unknown: int = 0
    unknown_names: tuple[tuple[str, int], ...] = ()  # top-level name, statements; most first

    @property
    def total(self) -> int:
        return self.project + self.stdlib + self.declared + self.installed + self.unknown

    @property
    def resolved_share(self) -> float:
        """Of the imports that look like the project's (its own, or owned by nobody), the
        share that resolved to a project module; 1.0 when there are none."""
        looking = self.project + self.unknown
        return self.resolved / looking if looking else 1.0
