"""Read the import statements of a file that does not parse whole, one statement at a time.

A Python 2 module or a file with one broken line still says what it depends on; losing
those edges would move it in the proposal without a word.
"""

from __future__ import annotations

import ast
import re

from decompose.model import ImportFact
from decompose.parse._imports import import_facts
from decompose.parse._read import source_lines

__all__ = ["recover_imports"]

_IMPORT_LINE = re.compile(r"^([ \t\f]*)(?:import|from)[ \t]+[\w.]")
_MAX_CONTINUATION_LINES = 50
_TRIPLE_QUOTES = ('"""', "'''")


def recover_imports(text: str) -> tuple[ImportFact, ...]:
    lines = source_lines(text)
    in_string = _starts_in_string(lines)
    facts: list[ImportFact] = []
    index = 0
    while index < len(lines):
        match = _IMPORT_LINE.match(lines[index])
        if not match or in_string[index]:  # "    from x import y" in a docstring is an example
            index += 1
            continue
        statement, used = _statement_from(lines, index)
        try:
            tree = ast.parse(statement.strip())
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            index += 1
            continue
        indented = bool(match.group(1))
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                node.lineno = index + 1
                facts.extend(import_facts(node, scope="", type_only=False, lazy=False, conditional=indented))
        index += used
    return tuple(facts)


def _statement_from(lines: list[str], start: int) -> tuple[str, int]:
    """The statement starting at ``start``, joined over parentheses and backslashes."""
    parts = [lines[start].split("#", 1)[0]]
    used = 1
    while used < _MAX_CONTINUATION_LINES and start + used < len(lines):
        current = parts[-1].rstrip()
        open_paren = "(" in "".join(parts) and ")" not in "".join(parts)
        if not (current.endswith("\\") or open_paren):
            break
        if current.endswith("\\"):
            parts[-1] = current[:-1]
        parts.append(lines[start + used].split("#", 1)[0])
        used += 1
    return " ".join(p.strip() for p in parts), used


def _starts_in_string(lines: list[str]) -> list[bool]:
    """For each line, whether it begins inside a triple-quoted string."""
    starts = []
    open_quote: str | None = None
    for line in lines:
        starts.append(open_quote is not None)
        if "'" in line or '"' in line:
            open_quote = _quote_after(line, open_quote)
    return starts


def _quote_after(line: str, open_quote: str | None) -> str | None:
    """The triple quote still open at the end of ``line``, given the one open at its start."""
    index = 0
    while index < len(line):
        if open_quote is not None:
            end = line.find(open_quote, index)
            if end < 0:
                return open_quote
            before = end
            while before > index and line[before - 1] == "\\":
                before -= 1
            if (end - before) % 2:  # an escaped quote: the string goes on
                index = end + 1
            else:
                index, open_quote = end + 3, None
            continue
        char = line[index]
        if char == "#":
            return None
        if line.startswith(_TRIPLE_QUOTES, index):
            open_quote = line[index : index + 3]
            index += 3
        elif char in "\"'":  # a one-line string: skip to its closing quote
            index += 1
            while index < len(line) and line[index] != char:
                index += 2 if line[index] == "\\" else 1
            index += 1
        else:
            index += 1
    return open_quote
