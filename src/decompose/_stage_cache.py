"""Results of deterministic stages kept between runs, keyed by a hash of exactly their inputs.

A warm run over an unchanged tree rebuilds the same graph, clusters it into the same
services and draws the same charts: each of those is a pure function of values this run
has anyway (the files' content keys, the options, the graph), so its result is looked up
under a hash of those values and of the code that computes it (every source file of
decompose, the Python and the libraries it calls), and computed only when it is not there.

Entries live in one folder per analysed tree, beside the parse cache's folder. Each is written
atomically and read with suspicion: another format, another code version, a truncated or
corrupt entry, or a value of the wrong type is a miss (the stage runs again and the entry
is rewritten), never an error and never a different output. Entries are pickles, as the
parse cache's are marshal data: both are the user's own files, not input to trust from others.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import importlib.metadata
import json
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from decompose._io import write_atomic

__all__ = ["StageCache", "fingerprint", "code_version"]

_MAGIC = b"decompose-stage\n"
_FORMAT = 1
_DIGEST_BYTES = 32
# The libraries whose results the cached stages keep: another version may cluster or draw otherwise.
_LIBRARIES = ("igraph", "networkx", "matplotlib")
# What unpickling a damaged or foreign payload can raise (its digest matched, so rarely any).
_UNREADABLE = (
    pickle.UnpicklingError,
    EOFError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
    RecursionError,
    TypeError,
    ValueError,
)


_T = TypeVar("_T")


class StageCache:
    """Stage results by key, for one analysed tree. ``hits`` and ``misses`` count, by
    stage, what this process found and did not (a run's way of telling what it reused)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits: dict[str, int] = {}
        self.misses: dict[str, int] = {}

    @classmethod
    def for_root(cls, cache_dir: Path, root: Path) -> StageCache:
        """The store of ``root``'s stages beside ``cache_dir`` (``~/.cache/decompose-stages/``
        beside ``~/.cache/decompose/``), in a folder named as the parse cache names its store:
        the parse cache's folder holds its one store per tree and nothing else."""
        cache_dir = Path(cache_dir)
        tree_key = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        return cls(cache_dir.with_name(f"{cache_dir.name}-stages") / tree_key)

    def get(
        self, stage: str, key: str, kind: type | tuple[type, ...], check: Callable[[Any], bool] | None = None
    ) -> Any | None:
        """The value kept for ``stage`` under ``key`` if it is an instance of ``kind`` (and
        ``check`` accepts it), else None."""
        value = self._read(self._path(stage, key), kind)
        if value is not None and check is not None and not check(value):
            value = None
        counts = self.hits if value is not None else self.misses
        counts[stage] = counts.get(stage, 0) + 1
        return value

    def value(
        self, stage: str, key: str, compute: Callable[[], _T], kind: type, check: Callable[[Any], bool]
    ) -> _T:
        """The value kept for ``stage`` under ``key``, else ``compute()``, kept there now."""
        kept = self.get(stage, key, kind, check)
        if kept is not None:
            return kept
        value = compute()
        self.put(stage, key, value)
        return value

    def put(self, stage: str, key: str, value: Any, keep: Iterable[str] = ()) -> None:
        """Keep ``value`` for ``stage`` under ``key``; the stage's other entries go, but for
        those of ``keep`` (one tree needs one graph, not one per edit). A cache that cannot
        be written is no cache: the error is swallowed, the run goes on."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            digest = hashlib.blake2b(payload, digest_size=_DIGEST_BYTES).digest()
            write_atomic(self._path(stage, key), _MAGIC + _header() + b"\n" + digest + payload, durable=False)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # not written (a full disk, a value that does not pickle): computed next time
        self.keep_only(stage, {key, *keep})

    def keep_only(self, stage: str, keys: Iterable[str]) -> None:
        """Remove ``stage``'s entries other than those of ``keys``."""
        wanted = {self._path(stage, key).name for key in keys}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.startswith(f"{stage}-") and name.endswith(".bin") and name not in wanted:
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass

    def _path(self, stage: str, key: str) -> Path:
        return self.folder / f"{stage}-{key}.bin"

    @staticmethod
    def _read(path: Path, kind: type | tuple[type, ...]) -> Any | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not data.startswith(_MAGIC):
            return None
        header, newline, rest = data[len(_MAGIC) :].partition(b"\n")
        if not newline or header != _header():
            return None
        digest, payload = rest[:_DIGEST_BYTES], rest[_DIGEST_BYTES:]
        if hashlib.blake2b(payload, digest_size=_DIGEST_BYTES).digest() != digest:
            return None
        try:
            value = pickle.loads(payload)
        except _UNREADABLE:
            return None
        return value if isinstance(value, kind) else None


def fingerprint(*parts: Any) -> str:
    """A hex key of ``parts`` and of the code: equal for equal values in any run of the same
    code (sets and mappings are taken in sorted order, not in the order of this process's
    string hashes)."""
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(code_version().encode())
    for part in parts:
        hasher.update(repr(_canonical(part)).encode("utf-8", "surrogateescape"))
        hasher.update(b"\0")
    return hasher.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every source file of decompose, the Python and the libraries the cached
    stages call: a change to any of them (an edit in a checkout too) makes every key new."""
    hasher = hashlib.blake2b(digest_size=20)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode())
        try:
            hasher.update(path.read_bytes())
        except OSError:
            hasher.update(b"unreadable")
    hasher.update(repr(sys.version_info).encode())
    for library in _LIBRARIES:
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        hasher.update(f"{library}={version}".encode())
    return hasher.hexdigest()


def _header() -> bytes:
    return json.dumps({"format": _FORMAT, "code": code_version()}, sort_keys=True).encode()


def _canonical(value: Any) -> Any:
    """``value`` as nested tuples of plain values whose ``repr`` is the same in every run."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, enum.Enum):
        return (type(value).__name__, _canonical(value.value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple((f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    if isinstance(value, Mapping):
        return ("map", tuple(sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr)))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((_canonical(v) for v in value), key=repr)))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_canonical(v) for v in value))
    if isinstance(value, Path):
        return ("path", str(value))
    raise TypeError(f"no canonical form for {type(value).__name__}")
