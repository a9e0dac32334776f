"""Read the import statements of a file that does not parse whole, one statement at a time.

A Python 2 module or a file with one broken line still says what it depends on; losing
those edges would move it in the proposal without a word.
"""

from __future__ import annotations

import ast
import re

from decompose.model import ImportFact
from decompose.parse._visitor import import_facts

__all__ = ["recover_imports"]

_IMPORT_LINE = re.compile(r"^([ \t]*)(?:import|from)[ \t]+[\w.]")
_MAX_CONTINUATION_LINES = 50


def recover_imports(text: str) -> tuple[ImportFact, ...]:
    lines = text.splitlines()
    facts: list[ImportFact] = []
    index = 0
    while index < len(lines):
        match = _IMPORT_LINE.match(lines[index])
        if not match:
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
