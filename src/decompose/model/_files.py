"""Discovery: the files found under the analysed root, the module names Python gives them,
what was left out and why, and the folders the code imports from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

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

# The one identity of a module: its dotted import name, e.g. "shop.models.core".
ModuleName = NewType("ModuleName", str)


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
