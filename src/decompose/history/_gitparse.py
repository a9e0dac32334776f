"""git's ``-z`` log output, turned into plain records.

``git log -z`` with the header ``%x1e%H%x1f%aN%x1f%aE%x1f%at`` prints every commit as a
header token (starting with the record separator) followed by its file tokens, all
NUL-separated; a rename's two paths are two more tokens. ``--numstat`` and ``--raw`` differ
only in what a file token says, so one walk over the tokens serves both parsers.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["RawCommit", "parse_numstat", "parse_raw"]

# One commit as git printed it: id, author name, author e-mail (all bytes), author time,
# and its changed files as (path, lines added, lines deleted, old path or None).
RawCommit = tuple[bytes, bytes, bytes, int, list[tuple[bytes, int, int, "bytes | None"]]]

_NULL_OIDS = (b"0" * 40, b"0" * 64)
_GITLINK = b"160000"


class _Tokens:
    """The NUL-separated tokens, read one by one or a few at a time."""

    def __init__(self, data: bytes) -> None:
        self._tokens = data.split(b"\0")
        self._next = 0

    def __iter__(self) -> Iterator[bytes]:
        while self._next < len(self._tokens):
            self._next += 1
            yield self._tokens[self._next - 1]

    def left(self) -> int:
        return len(self._tokens) - self._next

    def take(self, count: int) -> list[bytes] | None:
        """The next ``count`` tokens, or None (and nothing taken) when fewer are left."""
        if self._next + count > len(self._tokens):
            return None
        taken = self._tokens[self._next : self._next + count]
        self._next += count
        return taken


def _records(data: bytes) -> Iterator[tuple[bool, bytes, _Tokens]]:
    """(is a header, token, the stream) for every non-empty token; the line break git puts
    after a header is dropped from the token that follows it."""
    stream = _Tokens(data)
    after_header = False
    for token in stream:
        if after_header and token.startswith(b"\n"):
            token = token[1:]
        after_header = False
        if not token:
            continue
        after_header = token[0] == 0x1E
        yield after_header, token, stream


def parse_numstat(data: bytes) -> list[RawCommit]:
    """Records of ``git log -z --numstat``. A partial last record (git stopped) is returned
    as far as it goes."""
    commits: list[RawCommit] = []
    entries: list = []
    for is_header, token, stream in _records(data):
        if is_header:
            entries = []
            commits.append(_header(token, entries))
            continue
        parts = token.split(b"\t", 2)
        if len(parts) != 3:
            continue  # not a numstat line: ignored rather than trusted
        path, old = parts[2], None
        if not path:  # a rename: "added\tdeleted\t", old path, new path
            pair = stream.take(2)
            if pair is None:
                break
            old, path = pair
        entries.append((path, _count(parts[0]), _count(parts[1]), old))
    return commits


def parse_raw(data: bytes) -> list[tuple[RawCommit, set[bytes]]]:
    """Records of ``git log -z --raw --no-abbrev``: each with its files (0 lines) and the
    objects its diff would read."""
    commits: list[tuple[RawCommit, set[bytes]]] = []
    objects: set[bytes] = set()
    entries: list = []
    for is_header, token, stream in _records(data):
        if is_header:
            entries, objects = [], set()
            commits.append((_header(token, entries), objects))
            continue
        if token[0] != 0x3A:  # ":"
            continue
        fields = token[1:].split(b" ")
        if len(fields) < 5 or not stream.left():
            continue
        for mode, oid in ((fields[0], fields[2]), (fields[1], fields[3])):
            if mode != _GITLINK and oid not in _NULL_OIDS:
                objects.add(oid)
        status = fields[4][:1]
        if status in (b"R", b"C"):
            pair = stream.take(2)
            if pair is None:
                break  # a rename cut short
            old, path = pair
            entries.append((path, 0, 0, old if status == b"R" else None))
        else:
            (path,) = stream.take(1) or (b"",)
            entries.append((path, 0, 0, None))
    return commits


def _header(token: bytes, entries: list) -> RawCommit:
    parts = token[1:].split(b"\x1f")
    if len(parts) < 4:
        parts = [*parts, b"", b"", b"", b""]
        return (parts[0], parts[1], parts[2], 0, entries)
    try:
        moment = int(parts[-1])
    except ValueError:
        moment = 0
    return (parts[0], b"\x1f".join(parts[1:-2]), parts[-2], moment, entries)


def _count(field: bytes) -> int:
    return int(field) if field.isdigit() else 0  # "-" for files git does not count lines in
