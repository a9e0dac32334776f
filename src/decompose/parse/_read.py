"""Read a file's bytes and decode them the way Python would, without giving up on bad bytes;
count and split its lines the way Python numbers them."""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from dataclasses import dataclass

__all__ = ["DecodedSource", "count_lines", "decode_source", "source_lines"]

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")
_ASCII_PROBE = "# probe\n"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NO_SURROGATES = frozenset({"utf-8", "utf-8-sig"})  # strict UTF-8 never yields them
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class DecodedSource:
    text: str
    problem: str | None  # why the text is only an approximation of the file, if it is
    line: int | None = None  # where the problem is, when it has a place


def decode_source(data: bytes) -> DecodedSource:
    """Decode by BOM and PEP 263 cookie; undecodable bytes become U+FFFD and are reported.

    A cookie Python would refuse (unknown, not a text encoding, not ASCII-compatible)
    is reported and the file read as UTF-8, so that its imports can still be read.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        cookie_line = _cookie_line(data)
        if cookie_line is not None:  # unknown or contradictory coding cookie
            return DecodedSource(_lenient(data, "utf-8"), f"{error.msg}; read as UTF-8", cookie_line)
        encoding = "utf-8"  # no cookie, but bad bytes on line 1 or 2: report them as such below
    refusal = _refused_encoding(encoding)
    if refusal:
        return DecodedSource(_lenient(data, "utf-8"), f"{refusal}; read as UTF-8", _cookie_line(data))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return DecodedSource(
            _lenient(data, encoding),
            f"bytes not valid {encoding} at offset {error.start}; replaced with U+FFFD",
            line,
        )
    except UnicodeError as error:  # a codec that fails other than by position (punycode, idna)
        return DecodedSource(
            _lenient(data, "utf-8"),
            f"cannot decode as {encoding}: {error}; read as UTF-8",
            _cookie_line(data),
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if encoding not in _NO_SURROGATES:
        lone = _LONE_SURROGATE.search(text)
        if lone:  # utf-7 or unicode_escape can decode to them; ast and JSON refuse them
            return DecodedSource(
                _LONE_SURROGATE.sub("\ufffd", text),
                f"{encoding} decodes to lone surrogates (U+{ord(lone.group()):04X}); replaced with U+FFFD",
                text.count("\n", 0, lone.start()) + 1,
            )
    return DecodedSource(text, None)


def _refused_encoding(encoding: str) -> str | None:
    """Why Python would refuse a file declaring ``encoding``, or None."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return f"unknown encoding {encoding!r}"
    # rot13, base64, zlib...: byte-to-byte codecs, which ``bytes.decode`` rejects.
    if not getattr(info, "_is_text_encoding", True):
        return f"{encoding!r} is not a text encoding"
    try:
        ascii_compatible = _ASCII_PROBE.encode("ascii").decode(encoding) == _ASCII_PROBE
    except (UnicodeError, LookupError):
        ascii_compatible = False
    if not ascii_compatible:
        return f"{encoding!r} is not ASCII-compatible, so it cannot be a source encoding"
    return None


def _lenient(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding, errors="replace")
    except (UnicodeError, LookupError):  # a codec without the "replace" handler
        text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def _cookie_line(data: bytes) -> int | None:
    """The line (1 or 2) of the PEP 263 coding cookie, if there is one."""
    for number, line in enumerate(data.split(b"\n", 2)[:2], start=1):
        if _COOKIE.match(line):
            return number
    return None


def count_lines(text: str) -> int:
    """Lines as Python counts them: ended by ``\\n``, ``\\r\\n`` or a lone ``\\r``."""
    if not text:
        return 0
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if text.endswith(("\n", "\r")) else 1)


def source_lines(text: str) -> list[str]:
    """The lines as Python numbers them; unlike ``str.splitlines``, a form feed or U+2028
    in the text is not a line break."""
    return _LINE_BREAK.split(text)
