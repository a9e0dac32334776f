"""``decompose extract``: carry out the first step of cutting one service out, safely.

Give the service one front door (a **facade** module re-exporting exactly its API surface)
and make the rest of the code use it: a libcst codemod rewrites every import of the
service's internals from outside, keeping every other byte. Strings that name internals
(``mock.patch`` targets, dotted paths in settings) are reported, not rewritten. An
import-linter contract keeps the door the only one.

``plan_extraction`` computes everything and writes nothing (``ExtractPlan.diff()`` is the
dry run); ``apply_extraction`` writes the plan's files atomically.
"""

from __future__ import annotations

from decompose.extract._apply import apply_extraction, uncommitted_changes
from decompose.extract._model import (
    AmbiguousRewrite,
    DirtyWorkTree,
    Export,
    ExtractError,
    ExtractPlan,
    ExtractResult,
    FileChange,
    KeptImport,
    StringReference,
    SymbolMoveApplied,
)
from decompose.extract._plan import Source, contract_file, default_facade, plan_extraction
from decompose.extract._source import default_source, read_source

__all__ = [
    "plan_extraction",
    "apply_extraction",
    "read_source",
    "default_source",
    "default_facade",
    "contract_file",
    "uncommitted_changes",
    "Source",
    "ExtractPlan",
    "ExtractResult",
    "Export",
    "FileChange",
    "KeptImport",
    "StringReference",
    "SymbolMoveApplied",
    "ExtractError",
    "AmbiguousRewrite",
    "DirtyWorkTree",
]
