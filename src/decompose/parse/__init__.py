"""Parse stage: each file to a ``ParseResult`` of plain facts. Never raises on bad input.

The hot path is the standard library's ``ast`` (about ten times faster than libcst's
parser on Django's source). Files ``ast`` rejects go, in one batch, to libcst in a child
process, which reads newer grammar; what neither can parse keeps the imports that can be
read line by line, and a warning says so.
"""

from __future__ import annotations

import ast
import gc
import os
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from decompose._processes import process_context
from decompose.model import Diagnostic, FileFacts, ModuleName, ParseResult, ParseStatus, Severity, SourceFile
from decompose.parse._cache import FactCache, content_key, default_cache_dir
from decompose.parse._imports import collect_imports_only
from decompose.parse._lowering import run_lowering, too_complex_for_libcst
from decompose.parse._nodes import dotted_name
from decompose.parse._read import count_lines, decode_source
from decompose.parse._recover import recover_imports
from decompose.parse._visitor import collect_facts

__all__ = ["parse_files", "parse_source", "ParseRun", "FactCache", "default_cache_dir", "dotted_name"]

ProgressCallback = Callable[[int, int], None]

# Syntax errors that mean "too deep for Python" rather than "written in other grammar":
# libcst cannot help with them, and its parser crashes or hangs on deep input.
_TOO_DEEP_ERRORS = ("too many nested", "too many levels of indentation", "too complex")


@dataclass(frozen=True)
class ParseRun:
    results: tuple[ParseResult, ...]  # one per file, in the order given
    parsed: int  # files parsed in this run
    from_cache: int  # files whose facts came from the cache
    jobs: int  # processes that parsed


def parse_files(
    root: Path,
    files: Iterable[SourceFile],
    max_file_bytes: int,
    *,
    jobs: int = 1,
    cache: FactCache | None = None,
    progress: ProgressCallback | None = None,
) -> ParseRun:
    """Parse every file, ``jobs`` processes at a time, taking what ``cache`` already knows
    and adding what it learns (the caller saves the cache).

    The results are the same whatever ``jobs`` is and whether the cache was used.
    """
    files = list(files)
    total = len(files)
    first: list[ParseResult | _NeedsNewerGrammar | None] = [None] * total
    keys: dict[int, bytes] = {}
    todo: list[tuple[int, SourceFile, bytes]] = []
    hits = 0
    for index, source_file in enumerate(files):
        path = root / source_file.path
        info = _stat(path, source_file, max_file_bytes)
        if isinstance(info, ParseResult):
            first[index] = info
            continue
        if cache is not None:
            # Unchanged size, time and inode: the content key recorded last time still holds.
            known = cache.key_for(source_file.path, info)
            cached = cache.get(known, source_file) if known is not None else None
            if cached is not None:
                cache.remember(source_file.path, info, known)
                first[index] = cached
                hits += 1
                continue
        data = _read(path, source_file)
        if isinstance(data, ParseResult):
            first[index] = data
            continue
        key = content_key(data)
        cached = cache.get(key, source_file) if cache is not None else None
        if cache is not None:
            cache.remember(source_file.path, info, key)
        if cached is not None:
            first[index] = cached
            hits += 1
        else:
            keys[index] = key
            todo.append((index, source_file, data))
    done = total - len(todo)
    if progress is not None:
        progress(done, total)
    workers = max(1, min(jobs, len(todo) // _MIN_FILES_PER_PROCESS))
    for chunk, results in _parse_chunks(todo, workers):
        for (index, _, _), result in zip(chunk, results, strict=True):
            first[index] = result
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    finished = _finish(first)
    if cache is not None:
        for index, key in keys.items():
            cache.put(key, finished[index])
    return ParseRun(finished, parsed=len(todo), from_cache=hits, jobs=workers)


# Below this many files per process, starting processes costs more than it saves.
_MIN_FILES_PER_PROCESS = 50
_MAX_CHUNK = 32


def _parse_chunks(todo: list[tuple[int, SourceFile, bytes]], workers: int):
    """Yield (chunk, results) in order, parsed here or in a pool of ``workers`` processes."""
    if workers <= 1:
        for item in todo:
            yield [item], [_parse_bytes(item[1], item[2])]
        return
    size = max(1, min(_MAX_CHUNK, len(todo) // (workers * 8)))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=process_context()) as pool:
        payloads = ([(file, data) for _, file, data in chunk] for chunk in chunks)
        yield from zip(chunks, pool.map(_parse_chunk, payloads), strict=True)


def _parse_chunk(chunk: list[tuple[SourceFile, bytes]]) -> list[ParseResult | _NeedsNewerGrammar]:
    # Syntax trees and facts hold no reference cycles; in a pool worker the cyclic GC only
    # rescans what is alive, which cost more than the parsing itself.
    gc.disable()
    return [_parse_bytes(file, data) for file, data in chunk]


def parse_source(source: str | bytes, file: SourceFile | None = None) -> ParseResult:
    """Parse one module given as text or bytes (for tests and library callers)."""
    source_file = file or SourceFile(module=ModuleName("module"), path="module.py", is_package=False)
    data = source.encode("utf-8") if isinstance(source, str) else source
    return _finish([_parse_bytes(source_file, data)])[0]


@dataclass(frozen=True)
class _NeedsNewerGrammar:
    """``ast`` rejected the file; libcst may read it. Carries what we know meanwhile."""

    fallback: ParseResult  # the result to keep if libcst cannot read it either
    text: str


def _finish(first: list[ParseResult | _NeedsNewerGrammar]) -> tuple[ParseResult, ...]:
    pending = {item.fallback.file.path: item for item in first if isinstance(item, _NeedsNewerGrammar)}
    lowered = run_lowering({path: item.text for path, item in pending.items()}) if pending else {}
    results = []
    for item in first:
        if isinstance(item, ParseResult):
            results.append(item)
            continue
        code, _ = lowered.get(item.fallback.file.path, (None, None))
        results.append(_parse_lowered(item, code) if code is not None else item.fallback)
    return tuple(results)


def _stat(path: Path, source_file: SourceFile, max_file_bytes: int) -> os.stat_result | ParseResult:
    """The file's stat, or why it cannot be read."""
    try:
        info = os.stat(path)
    except OSError as error:
        return _failed(source_file, 0, "unreadable", f"could not be read: {error.strerror or error}")
    if info.st_size > max_file_bytes:
        return _failed(
            source_file,
            0,
            "too-large",
            f"{info.st_size:,} bytes, over the limit of {max_file_bytes:,} (max-file-bytes); not analysed",
        )
    return info


def _read(path: Path, source_file: SourceFile) -> bytes | ParseResult:
    """The file's bytes, or the failure to read them."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        return _failed(source_file, 0, "unreadable", f"could not be read: {error.strerror or error}")


def _parse_bytes(source_file: SourceFile, data: bytes) -> ParseResult | _NeedsNewerGrammar:
    if b"\0" in data:
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        return _failed(
            source_file, lines, "nul-bytes", "contains NUL bytes; Python cannot import it, not analysed"
        )
    decoded = decode_source(data)
    diagnostics = []
    if decoded.problem:
        diagnostics.append(Diagnostic(source_file.path, "decode-error", decoded.problem, line=decoded.line))
    text = decoded.text
    lines = count_lines(text)
    try:
        tree = _quiet_parse(text, source_file.path)
    except SyntaxError as error:
        return _after_syntax_error(source_file, text, lines, error, diagnostics)
    except (RecursionError, MemoryError):
        return _too_deep(source_file, text, lines, diagnostics, "too deeply nested for Python's parser")
    except ValueError as error:
        return _failed(source_file, lines, "syntax-error", str(error), diagnostics)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # string annotations are parsed too
            facts = collect_facts(tree, lines)
    except RecursionError:
        why = "nesting too deep to follow calls; only its imports were read"
        return _imports_only(source_file, tree, lines, diagnostics, "too-deep", why)
    except Exception as error:  # noqa: BLE001 - a bug of ours on one file must not cost the others
        why = f"decompose failed on this file ({type(error).__name__}: {error}); only its imports were read"
        return _imports_only(source_file, tree, lines, diagnostics, "internal-error", why)
    return ParseResult(source_file, ParseStatus.OK, facts, tuple(diagnostics))


def _imports_only(
    source_file: SourceFile, tree: ast.Module, lines: int, diagnostics: list[Diagnostic], code: str, why: str
) -> ParseResult:
    facts = collect_imports_only(tree, lines)
    diagnostics.append(Diagnostic(source_file.path, code, why))
    return ParseResult(source_file, ParseStatus.PARTIAL, facts, tuple(diagnostics))


def _quiet_parse(text: str, path: str) -> ast.Module:
    """``ast.parse`` without its SyntaxWarnings (``"\\d"`` in a string, ``x is 1``): they are
    the analysed code's business, and Python 3.12+ would print them on our stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=path)


def _after_syntax_error(
    source_file: SourceFile, text: str, lines: int, error: SyntaxError, diagnostics: list[Diagnostic]
) -> ParseResult | _NeedsNewerGrammar:
    message = error.msg or "invalid syntax"
    if any(fragment in message for fragment in _TOO_DEEP_ERRORS):
        return _too_deep(source_file, text, lines, diagnostics, message, line=error.lineno)
    hint = ""
    if "Missing parentheses in call to 'print'" in message or "parenthesized" in message:
        hint = " (Python 2 code?)"
    diagnostic = Diagnostic(
        source_file.path,
        "syntax-error",
        f"syntax error: {message}{hint}; only the imports readable line by line were kept",
        line=error.lineno,
    )
    fallback = _recovered(source_file, text, lines, [*diagnostics, diagnostic])
    if too_complex_for_libcst(text):
        return fallback
    return _NeedsNewerGrammar(fallback=fallback, text=text)


def _parse_lowered(item: _NeedsNewerGrammar, code: str) -> ParseResult:
    source_file = item.fallback.file
    lines = item.fallback.facts.lines
    kept = [d for d in item.fallback.diagnostics if d.code != "syntax-error"]
    try:
        facts = collect_facts(_quiet_parse(code, source_file.path), lines)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return item.fallback
    note = Diagnostic(
        source_file.path,
        "newer-syntax",
        "uses syntax newer than the running Python; read through libcst's parser",
        severity=Severity.INFO,
    )
    return ParseResult(source_file, ParseStatus.OK, facts, tuple([*kept, note]))


def _too_deep(
    source_file: SourceFile,
    text: str,
    lines: int,
    diagnostics: list[Diagnostic],
    why: str,
    line: int | None = None,
) -> ParseResult:
    diagnostic = Diagnostic(
        source_file.path, "too-deep", f"{why}; only the imports readable line by line were kept", line=line
    )
    return _recovered(source_file, text, lines, [*diagnostics, diagnostic])


def _recovered(source_file: SourceFile, text: str, lines: int, diagnostics: list[Diagnostic]) -> ParseResult:
    imports = recover_imports(text)
    status = ParseStatus.PARTIAL if imports else ParseStatus.FAILED
    return ParseResult(source_file, status, FileFacts(lines=lines, imports=imports), tuple(diagnostics))


def _failed(
    source_file: SourceFile,
    lines: int,
    code: str,
    message: str,
    diagnostics: Iterable[Diagnostic] = (),
) -> ParseResult:
    diagnostic = Diagnostic(source_file.path, code, message)
    return ParseResult(source_file, ParseStatus.FAILED, FileFacts(lines=lines), (*diagnostics, diagnostic))
