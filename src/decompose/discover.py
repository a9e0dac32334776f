"""Find the Python files of a tree and give each the module name Python would give it.

Module names are relative to the nearest *source root* above the file: the analysed
folder itself, a ``src/`` folder (the src layout), or a nested project (a folder with its
own ``pyproject.toml``, ``setup.py`` or ``setup.cfg``) and its ``src/``. Folders without
``__init__.py`` still count as package names (PEP 420 namespace packages). When the
analysed folder is itself a package, names start with its package name.

Symbolic links are followed only while they stay inside the tree, and each real folder
is entered once, so link loops end.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from decompose.errors import InputError
from decompose.model import DeferredFile, Diagnostic, Discovery, Exclusion, ModuleName, SourceFile

__all__ = ["discover", "DiscoverOptions"]

_ALWAYS_SKIPPED_DIRS = {"__pycache__", "node_modules", "site-packages", "dist-packages"}
_SKIPPED_UNLESS_PACKAGE = {"build", "dist", "venv", "env", "htmlcov"}
_TEST_DIRS = {"tests", "test", "testing"}
_MIGRATION_DIRS = {"migrations"}
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")
_MIGRATION_FILE = re.compile(r"\d{4}_\w*\.py")
_TESTS_REASON = "tests (use --include-tests)"


@dataclass(frozen=True)
class DiscoverOptions:
    """Which files of the tree are read, and where their module names start."""

    exclude: tuple[str, ...] = ()
    """Glob patterns of paths to leave out, relative to the analysed folder."""
    roots: tuple[str, ...] = ()
    """Folders the code is imported from, relative to the analysed folder; empty: the roots found."""
    include_tests: bool = False
    """Analyse test files and folders too."""
    include_migrations: bool = False
    """Analyse migration folders too."""
    max_file_bytes: int = 20_000_000
    """Files larger than this are skipped, with a warning (decompose.parse)."""


def discover(root: str | Path, options: DiscoverOptions = DiscoverOptions()) -> Discovery:
    """Walk ``root``; return its Python files sorted by module name.

    Raises InputError when the root is missing, not a folder, or holds no Python file.
    """
    root = Path(root)
    if not root.exists():
        raise InputError(f"{root}: no such file or directory")
    if not root.is_dir():
        raise InputError(f"{root}: not a directory")
    walker = _Walker(root.resolve(), options)
    walker.walk()
    files = _drop_duplicates(walker.files, walker.diagnostics)
    taken = {f.module for f in files}
    deferred = {}
    for item in sorted(walker.deferred):
        if item.file.module not in taken:
            deferred.setdefault(item.file.module, item)
    if not files:
        left_out = f"; {len(deferred)} test files left out (use --include-tests)" if deferred else ""
        raise InputError(f"{root}: no Python files to analyse{left_out}")
    return Discovery(
        root=str(walker.root),
        files=tuple(sorted(files)),
        diagnostics=tuple(sorted(walker.diagnostics)),
        excluded=tuple(sorted(walker.excluded)),
        deferred=tuple(sorted(deferred.values())),
        source_roots=tuple(sorted(walker.source_roots)),
    )


@dataclass
class _Dir:
    path: Path  # as reached (may run through an in-tree link)
    rel: str  # relative to the analysed root, POSIX; "" for the root
    name_parts: tuple[str, ...]  # module name parts of this folder
    is_source_root: bool
    test_group: str | None = None  # inside a tests folder: that folder's path


class _Walker:
    def __init__(self, root: Path, options: DiscoverOptions) -> None:
        self.root = root
        self.options = options
        self.files: list[SourceFile] = []
        self.diagnostics: list[Diagnostic] = []
        self.excluded: list[Exclusion] = []
        self.deferred: list[DeferredFile] = []
        self._visited: set[tuple[int, int]] = set()
        self._links: list[tuple[_Dir, Path, str, str | None]] = []  # linked folders, entered last
        self._excluded_real: list[tuple[Path, str]] = []  # excluded folders: real path, as reported
        self.source_roots: list[tuple[str, str]] = []  # (folder, why module names start there)

    def walk(self) -> None:
        self._mark_visited(self.root)
        self._walk_from(_Dir(self.root, "", _package_prefix(self.root), is_source_root=True))
        # Linked folders are entered only after every real one, so that a folder is named
        # after where it is, not after a link to it that happens to sort first.
        while self._links:
            parent, path, rel, test_group = self._links.pop(0)
            child = self._enter(parent, path, rel, test_group)
            if child is not None:
                self._walk_from(child)

    def _walk_from(self, start: _Dir) -> None:
        stack = [start]
        while stack:
            folder = stack.pop()
            subfolders = self._scan(folder)
            stack.extend(reversed(subfolders))

    # Returns the subfolders to enter, in name order.
    def _scan(self, folder: _Dir) -> list[_Dir]:
        try:
            entries = sorted(os.scandir(folder.path), key=lambda e: e.name)
        except OSError as error:
            self._warn(folder.rel or ".", "unreadable", f"folder could not be listed: {_reason(error)}")
            return []
        subfolders: list[_Dir] = []
        for entry in entries:
            rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
            if not _is_utf8(entry.name):
                # Python cannot import it under any name, and the report could not spell it.
                if entry.name.endswith(".py") or _is_dir(entry):
                    self._warn(rel, "undecodable-name", "name is not valid UTF-8; skipped")
                continue
            if entry.name.startswith(".") and entry.name.endswith(".py"):
                # ".name" cannot be imported; editors' lock files (".#views.py") look like this
                if folder.test_group is None:
                    self.excluded.append(Exclusion(rel, "hidden file"))
                continue
            kind = self._kind(entry, rel)
            if kind == "dir":
                child = self._child_dir(folder, entry, rel)
                if child is not None:
                    subfolders.append(child)
            elif kind == "file" and entry.name.endswith(".py"):
                self._add_file(folder, entry.name, rel)
        return subfolders

    def _kind(self, entry: os.DirEntry, rel: str) -> str | None:
        """ "dir", "file", or None for what is not followed (and is reported)."""
        try:
            if not entry.is_symlink():
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    return "dir"
                if stat.S_ISREG(mode):
                    return "file"
                if entry.name.endswith(".py"):
                    self._warn(rel, "not-a-file", "not a regular file (a pipe, socket or device), skipped")
                return None
            target = Path(os.path.realpath(entry.path))
            if not target.exists():
                if entry.name.endswith(".py") or "." not in entry.name:
                    self._warn(rel, "broken-symlink", "symbolic link to a missing target, skipped")
                return None
            if not _is_within(target, self.root):
                if target.is_dir() or entry.name.endswith(".py"):
                    self._warn(
                        rel, "symlink-outside", "symbolic link leads outside the analysed tree, not followed"
                    )
                return None
            if target.is_dir():
                return "dir"
            if target.is_file():
                return "file"
            if entry.name.endswith(".py"):
                self._warn(
                    rel,
                    "not-a-file",
                    "link to something not a regular file (a pipe, socket or device), skipped",
                )
            return None
        except OSError as error:
            self._warn(rel, "unreadable", f"could not be examined: {_reason(error)}")
            return None

    def _child_dir(self, parent: _Dir, entry: os.DirEntry, rel: str) -> _Dir | None:
        name = entry.name
        path = Path(entry.path)
        reason = self._excluded_dir_reason(name, path, rel)
        if reason:
            if parent.test_group is None:  # inside a tests folder, that folder is reported
                self.excluded.append(Exclusion(rel, reason))
            if not entry.is_symlink():
                self._excluded_real.append((Path(os.path.realpath(path)), rel))
            return None
        test_group = parent.test_group
        if test_group is None and name in _TEST_DIRS and not self.options.include_tests:
            test_group = rel
        if entry.is_symlink():
            self._links.append((parent, path, rel, test_group))
            return None
        return self._enter(parent, path, rel, test_group)

    def _enter(self, parent: _Dir, path: Path, rel: str, test_group: str | None) -> _Dir | None:
        """The folder to walk, or None when its real folder was entered already."""
        name = path.name
        # A link must not bring back what a default rule or the user's pattern left out (a
        # real folder under an excluded one is never reached, so only links are checked).
        if self._excluded_real and path.is_symlink():
            target = Path(os.path.realpath(path))
            for excluded, excluded_rel in self._excluded_real:
                if _is_within(target, excluded):
                    if parent.test_group is None:
                        self.excluded.append(
                            Exclusion(rel, f"symbolic link into {excluded_rel}, which is excluded")
                        )
                    return None
        if not self._mark_visited(path):
            target = Path(os.path.realpath(path))
            where = _rel_or_abs(target, self.root)
            if _is_within(parent.path.resolve(), target):
                self._warn(rel, "symlink-loop", f"symbolic link loops back to {where}, not followed")
            else:
                self._warn(rel, "symlink-duplicate", f"symbolic link to {where}, already analysed there")
            return None
        if parent.is_source_root and name == "src" and not (path / "__init__.py").exists():
            self.source_roots.append((rel, "src layout"))
            return _Dir(path, rel, (), is_source_root=True, test_group=test_group)
        marker = next((m for m in _PROJECT_MARKERS if (path / m).is_file()), None)
        if marker is not None and not (path / "__init__.py").exists():
            self.source_roots.append((rel, f"nested project ({marker})"))
            return _Dir(path, rel, (), is_source_root=True, test_group=test_group)
        return _Dir(path, rel, parent.name_parts + (name,), is_source_root=False, test_group=test_group)

    def _excluded_dir_reason(self, name: str, path: Path, rel: str) -> str | None:
        if name.startswith("."):
            return "hidden folder"
        if name in _ALWAYS_SKIPPED_DIRS or name.endswith(".egg-info"):
            return "tooling folder"
        if (path / "pyvenv.cfg").exists():
            return "virtual environment"
        if name in _SKIPPED_UNLESS_PACKAGE and not (path / "__init__.py").exists():
            return "build or environment folder"
        if name in _MIGRATION_DIRS and not self.options.include_migrations and _holds_migrations(path):
            return "migrations (use --include-migrations)"
        pattern = _matching_pattern(rel, self.options.exclude)
        if pattern:
            return f"excluded by {pattern!r}"
        return None

    def _add_file(self, folder: _Dir, name: str, rel: str) -> None:
        pattern = _matching_pattern(rel, self.options.exclude)
        if pattern:
            self.excluded.append(Exclusion(rel, f"excluded by {pattern!r}"))
            return
        test_group = folder.test_group
        if test_group is None and _is_test_file(name) and not self.options.include_tests:
            test_group = rel
        source = self._source_file(folder, name, rel)
        if test_group is not None:
            self.deferred.append(DeferredFile(source, test_group, _TESTS_REASON))
        else:
            self.files.append(source)

    def _source_file(self, folder: _Dir, name: str, rel: str) -> SourceFile:
        stem = name[:-3]
        if stem == "__init__":
            parts = folder.name_parts
            if not parts:
                # An __init__.py in a source root: Python never imports it as a package.
                parts = ("__init__",)
            return SourceFile(ModuleName.of(parts), rel, is_package=bool(folder.name_parts))
        return SourceFile(ModuleName.of((*folder.name_parts, stem)), rel, is_package=False)

    def _mark_visited(self, path: Path) -> bool:
        try:
            info = os.stat(path)
        except OSError:
            return False
        key = (info.st_dev, info.st_ino)
        if key in self._visited:
            return False
        self._visited.add(key)
        return True

    def _warn(self, rel: str, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(path=_printable(rel), code=code, message=_printable(message)))


def _package_prefix(root: Path) -> tuple[str, ...]:
    """Package names of ``root`` and its package parents, when ``root`` is a package."""
    parts: list[str] = []
    folder = root
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.append(folder.name)
        folder = folder.parent
    return tuple(reversed(parts))


def _holds_migrations(path: Path) -> bool:
    """A Django migrations folder holds numbered files; ``django/db/migrations`` (the
    framework) does not, and is code like any other."""
    try:
        names = os.listdir(path)
    except OSError:
        return True
    return any(_MIGRATION_FILE.fullmatch(n) for n in names) or names == ["__init__.py"]


def _is_test_file(name: str) -> bool:
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name in {"conftest.py", "tests.py", "test.py"}
    )


def _matching_pattern(rel: str, patterns: Iterable[str]) -> str | None:
    """The first pattern matching ``rel``; a pattern without "/" also matches a base name."""
    base = rel.rsplit("/", 1)[-1]
    for raw in patterns:
        pattern = raw.strip().rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if not pattern:
            continue
        candidates = [pattern]
        if pattern.startswith("**/"):
            candidates.append(pattern[3:])
        for candidate in candidates:
            if fnmatchcase(rel, candidate) or ("/" not in candidate and fnmatchcase(base, candidate)):
                return raw
    return None


def _drop_duplicates(files: list[SourceFile], diagnostics: list[Diagnostic]) -> list[SourceFile]:
    """Keep one file per module name, as Python's import system would: a package wins."""
    by_name: dict[ModuleName, list[SourceFile]] = {}
    for source in files:
        by_name.setdefault(source.module, []).append(source)
    kept: list[SourceFile] = []
    for name, candidates in by_name.items():
        candidates.sort(key=lambda s: (not s.is_package, s.path.count("/"), s.path))
        kept.append(candidates[0])
        for shadowed in candidates[1:]:
            diagnostics.append(
                Diagnostic(
                    path=shadowed.path,
                    code="duplicate-module",
                    message=f"module {name} is also {candidates[0].path}; this file is shadowed and skipped",
                )
            )
    return kept


def _is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _rel_or_abs(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def _is_utf8(name: str) -> bool:
    """False for a name holding bytes the file system encoding could not decode."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _printable(text: str) -> str:
    """``text`` with undecodable bytes (surrogate escapes) spelled as ``\\xe9``."""
    if _is_utf8(text):
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__
