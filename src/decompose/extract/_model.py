"""The values ``decompose extract`` passes around: the plan of one cut, and its errors."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from decompose.errors import DecomposeError
from decompose.model import ModuleName

__all__ = [
    "Export",
    "FileChange",
    "StringReference",
    "KeptImport",
    "SymbolMoveApplied",
    "ExtractPlan",
    "ExtractResult",
    "ExtractError",
    "AmbiguousRewrite",
    "DirtyWorkTree",
]


class ExtractError(DecomposeError):
    """The extraction cannot be planned or applied; nothing was written."""


class AmbiguousRewrite(ExtractError):
    """Some import cannot be rewritten without guessing (a star import, a name clash, a
    module used as a value); ``problems`` lists each as ``path:line: message``."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:20]) + (f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else "")
        super().__init__(f"the rewrite would be ambiguous; nothing was written:\n  {shown}")


class DirtyWorkTree(ExtractError):
    """The tree has uncommitted changes (``--force`` extracts all the same)."""


@dataclass(frozen=True)
class Export:
    """One name of the facade: ``from module import symbol``."""

    name: str
    module: ModuleName
    symbol: str


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the analysed tree, POSIX separators
    before: bytes | None  # None: a new file
    after: bytes

    def diff(self) -> str:
        """A unified diff of the change (``/dev/null`` for a new file)."""
        old = _text(self.before).splitlines(keepends=True) if self.before is not None else []
        new = _text(self.after).splitlines(keepends=True)
        lines = difflib.unified_diff(
            old, new, "/dev/null" if self.before is None else f"a/{self.path}", f"b/{self.path}"
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)

    def counts(self) -> tuple[int, int]:
        """Lines added and removed."""
        added = removed = 0
        for line in self.diff().splitlines():
            if line.startswith("+") and not line.startswith("+++"):
                added += 1
            elif line.startswith("-") and not line.startswith("---"):
                removed += 1
        return added, removed


@dataclass(frozen=True)
class StringReference:
    """A string naming an internal module or name (a ``mock.patch`` target, a dotted path
    in settings): reported, never rewritten."""

    path: str
    line: int
    value: str
    target: str  # "module" or "module:symbol" it names
    suggestion: str  # the facade's dotted path for it, "" when the facade has none


@dataclass(frozen=True)
class KeptImport:
    """An import of the service's internals from outside that is left as it is, and why."""

    path: str
    line: int
    module: ModuleName  # the importing module
    target: str  # the internal module import-linter sees imported ("" when none)
    reason: str


@dataclass(frozen=True)
class SymbolMoveApplied:
    module: ModuleName  # where the symbol was
    symbol: str
    to_module: ModuleName  # the service's module it now lives in


@dataclass(frozen=True)
class ExtractPlan:
    """Everything one extraction would write, and what it found; nothing is written yet."""

    root: Path
    service: str
    facade: ModuleName
    facade_path: str
    exports: tuple[Export, ...]
    changes: tuple[FileChange, ...]  # facade, rewritten modules, moves, contract; by path
    strings: tuple[StringReference, ...]
    kept: tuple[KeptImport, ...]
    contract_path: str
    moves: tuple[SymbolMoveApplied, ...] = ()
    rewritten_statements: int = 0  # import statements pointed at the facade
    import_root: str = ""  # the folder the facade's top-level package is in ("" for the tree)

    def check_command(self) -> str:
        """How to check the contract: from the folder the packages are imported from."""
        folder = self.root / self.import_root if self.import_root else self.root
        contract = Path(os.path.relpath(self.root / self.contract_path, folder)).as_posix()
        return f"cd {folder} && PYTHONPATH=. lint-imports {contract}"

    def diff(self) -> str:
        return "".join(change.diff() for change in self.changes)

    def counts(self) -> tuple[int, int, int]:
        """Files changed, lines added, lines removed."""
        added = removed = 0
        for change in self.changes:
            a, r = change.counts()
            added, removed = added + a, removed + r
        return len(self.changes), added, removed


@dataclass(frozen=True)
class ExtractResult:
    plan: ExtractPlan
    written: tuple[Path, ...]


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")
