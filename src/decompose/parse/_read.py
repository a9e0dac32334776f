"""Read a file's bytes and decode them the way Python would, without giving up on bad bytes."""

from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass

__all__ = ["DecodedSource", "decode_source"]


@dataclass(frozen=True)
class DecodedSource:
    text: str
    problem: str | None  # why the text is only an approximation of the file, if it is


def decode_source(data: bytes) -> DecodedSource:
    """Decode by BOM and PEP 263 cookie; undecodable bytes become U+FFFD and are reported."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # unknown or contradictory coding cookie
        return DecodedSource(_lenient(data, "utf-8"), f"{error.msg}; read as UTF-8")
    try:
        codecs.lookup(encoding)
    except LookupError:
        return DecodedSource(_lenient(data, "utf-8"), f"unknown encoding {encoding!r}; read as UTF-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        return DecodedSource(
            _lenient(data, encoding),
            f"bytes not valid {encoding} at offset {error.start}; replaced with U+FFFD",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return DecodedSource(text, None)


def _lenient(data: bytes, encoding: str) -> str:
    text = data.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text
