"""Per-file facts kept between runs, keyed by the hash of the file's bytes.

One store file per analysed tree. It is written atomically, and read with suspicion: a
store from another tool version or Python, a truncated or corrupt one, or a foreign file
under its name is ignored (and then rebuilt), never trusted and never fatal. Facts are kept
as plain tuples and read with ``marshal``: on a million-line tree that loads in a fraction
of the time pickle takes to rebuild the same dataclasses.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from decompose._io import write_atomic
from decompose._version import __version__
from decompose.model import (
    Definition,
    DefinitionKind,
    Diagnostic,
    FileFacts,
    HookKind,
    HookRef,
    ImportFact,
    ModelMeta,
    ParseResult,
    ParseStatus,
    Reference,
    ReferenceKind,
    RelationRef,
    Severity,
    SourceFile,
    SqlRef,
    StringRef,
)

__all__ = ["FactCache", "content_key", "default_cache_dir"]

_MAGIC = b"decompose-facts\n"
_FORMAT = 6  # 5: Definition.complexity and Definition.abstract; 6: FileFacts.hooks
_DIGEST_BYTES = 32
# Codes that describe the file system, not the bytes: never cached.
_NOT_CACHED = frozenset({"unreadable", "too-large"})
_RACY_NS = 2_000_000_000  # file times newer than the last save minus this are not trusted


def content_key(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def default_cache_dir() -> Path:
    """``$DECOMPOSE_CACHE_DIR``, else the user's cache folder (XDG), ``decompose`` in it."""
    explicit = os.environ.get("DECOMPOSE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "decompose"


@dataclass
class FactCache:
    """Facts by content key, for one analysed tree."""

    path: Path
    problem: str | None = None  # why an existing store was ignored
    _entries: dict[bytes, tuple] = field(default_factory=dict)
    _used: dict[bytes, tuple] = field(default_factory=dict)
    # path -> (size, mtime_ns, inode, content key), as last seen and as seen now
    _stats: dict[str, tuple] = field(default_factory=dict)
    _new_stats: dict[str, tuple] = field(default_factory=dict)
    _saved_ns: int = 0

    @classmethod
    def for_root(cls, cache_dir: Path, root: Path) -> FactCache:
        tree_key = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        cache = cls(Path(cache_dir) / f"facts-{tree_key}.bin")
        cache._load()
        return cache

    def get(self, key: bytes, file: SourceFile) -> ParseResult | None:
        plain = self._entries.get(key)
        if plain is None:
            return None
        try:
            result = _result_from_plain(file, plain)
        except (TypeError, ValueError, KeyError, IndexError):
            return None  # a store of the right format but wrong shape: parse again
        self._used[key] = plain
        return result

    def key_for(self, path: str, info: os.stat_result) -> bytes | None:
        """The content key of ``path`` if its stat is what it was when last hashed.

        As git does with its index: a file changed within the same clock tick as the last
        save could keep its size and time, so files that new are hashed again."""
        seen = self._stats.get(path)
        if not isinstance(seen, tuple) or seen[:3] != (info.st_size, info.st_mtime_ns, info.st_ino):
            return None
        if info.st_mtime_ns >= self._saved_ns - _RACY_NS:
            return None
        return seen[3]

    def remember(self, path: str, info: os.stat_result, key: bytes) -> None:
        self._new_stats[path] = (info.st_size, info.st_mtime_ns, info.st_ino, key)

    def seen_key(self, path: str) -> bytes | None:
        """The content key of the file at ``path`` as this run read it (None if it did not):
        what its facts are a function of, for the caches of the stages after parsing."""
        seen = self._new_stats.get(path)
        return seen[3] if seen is not None else None

    def put(self, key: bytes, result: ParseResult) -> None:
        if any(d.code in _NOT_CACHED for d in result.diagnostics):
            return
        self._used[key] = _plain_result(result)

    def save(self) -> None:
        """Write the entries this run used or made; others (deleted or changed files) go.
        A run that used exactly what the store holds writes nothing."""
        if (
            self.problem is None
            and self._used.keys() == self._entries.keys()
            and self._new_stats == self._stats
        ):
            return
        payload = marshal.dumps((self._used, self._new_stats, time.time_ns()))
        digest = hashlib.blake2b(payload, digest_size=_DIGEST_BYTES).digest()
        write_atomic(self.path, _MAGIC + _header() + b"\n" + digest + payload, durable=False)

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as error:
            self.problem = f"could not be read ({error.strerror or error})"
            return
        if not data.startswith(_MAGIC):
            self.problem = "not a decompose cache"
            return
        header, newline, rest = data[len(_MAGIC) :].partition(b"\n")
        if not newline or header != _header():
            self.problem = "written by another version of decompose or Python"
            return
        digest, payload = rest[:_DIGEST_BYTES], rest[_DIGEST_BYTES:]
        if hashlib.blake2b(payload, digest_size=_DIGEST_BYTES).digest() != digest:
            self.problem = "truncated or corrupt"
            return
        try:
            entries = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            self.problem = "unreadable contents"
            return
        if not (
            isinstance(entries, tuple)
            and len(entries) == 3
            and isinstance(entries[0], dict)
            and isinstance(entries[1], dict)
            and isinstance(entries[2], int)
        ):
            self.problem = "unreadable contents"
            return
        self._entries, self._stats, self._saved_ns = entries


def _header() -> bytes:
    # Facts depend on the grammar of the Python that parsed them: key on its version too.
    return json.dumps(
        {"format": _FORMAT, "tool": __version__, "python": list(sys.version_info[:2])}, sort_keys=True
    ).encode()


# ---------------------------------------------------------------------------- plain tuples

_DEFINITION_KINDS = {kind.value: kind for kind in DefinitionKind}
_REFERENCE_KINDS = {kind.value: kind for kind in ReferenceKind}
_HOOK_KINDS = {kind.value: kind for kind in HookKind}
_STATUSES = {status.value: status for status in ParseStatus}
_SEVERITIES = {severity.value: severity for severity in Severity}


def _plain_result(result: ParseResult) -> tuple:
    facts = result.facts
    return (
        result.status.value,
        facts.lines,
        tuple(map(tuple, facts.imports)),  # marshal takes plain tuples only
        tuple((d.name, d.kind.value, *d[2:]) for d in facts.definitions),
        tuple((r.target, r.kind.value, r.scope, r.lines) for r in facts.references),
        tuple(map(tuple, facts.string_refs)),
        facts.all_names,
        tuple((d.code, d.message, d.line, d.severity.value) for d in result.diagnostics),
        tuple(map(tuple, facts.sql_refs)),
        tuple(map(tuple, facts.model_meta)),
        tuple(map(tuple, facts.relations)),
        tuple((h.kind.value, *h[1:]) for h in facts.hooks),
    )


def _result_from_plain(file: SourceFile, plain: tuple) -> ParseResult:
    (
        status,
        lines,
        imports,
        definitions,
        references,
        string_refs,
        all_names,
        diagnostics,
        sql_refs,
        model_meta,
        relations,
        hooks,
    ) = plain
    definition_kinds, reference_kinds = _DEFINITION_KINDS, _REFERENCE_KINDS
    make_import, make_string_ref = ImportFact._make, StringRef._make
    facts = FileFacts(
        lines=lines,
        imports=tuple(map(make_import, imports)),
        definitions=tuple(
            Definition(name, definition_kinds[kind], *rest) for name, kind, *rest in definitions
        ),
        references=tuple(
            Reference(target, reference_kinds[kind], scope, uses) for target, kind, scope, uses in references
        ),
        string_refs=tuple(map(make_string_ref, string_refs)),
        all_names=all_names,
        sql_refs=tuple(map(SqlRef._make, sql_refs)),
        model_meta=tuple(map(ModelMeta._make, model_meta)),
        relations=tuple(map(RelationRef._make, relations)),
        hooks=tuple(HookRef(_HOOK_KINDS[kind], *rest) for kind, *rest in hooks),
    )
    notes = tuple(
        Diagnostic(file.path, code, message, line, _SEVERITIES[severity])
        for code, message, line, severity in diagnostics
    )
    return ParseResult(file, _STATUSES[status], facts, notes)
