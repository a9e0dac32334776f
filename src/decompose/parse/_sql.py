"""Tables named in literal SQL: ``"SELECT ... FROM orders_order"`` reads ``orders_order``.

A string is SQL only if it starts like a statement and the words after its first keyword
are what SQL puts there; the tables are read by a small tokenizer, never by running or
fully parsing the statement.
"""

from __future__ import annotations

import re

from decompose.model import SqlRef
from decompose.parse._nodes import printable

__all__ = ["HOLE", "sql_refs", "sql_tables", "starts_like_sql"]


# SQL: a string counts only if it starts (after blanks and comments) with a statement
# keyword written in one case: "SELECT" or "select", not the English "Select".
# Each comment can match only one way (a line comment runs to the end of its line, a block
# comment to its first "*/"): a string of dashes must not make the pattern backtrack.
_SQL_START = re.compile(
    r"\s*(?:(?:--[^\n]*(?:\n|\Z)|/\*(?:[^*]|\*(?!/))*\*/)\s*)*"
    r"(?:SELECT|INSERT|UPDATE|DELETE|WITH|select|insert|update|delete|with)\b"
)
_SQL_TOKEN = re.compile(
    r"""(?P<skip>\s+|--[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<literal>'(?:[^']|'')*'?)
    |(?P<quoted>"(?:[^"\n]|""){0,128}"|`[^`\n]{0,128}`|\[[^\]\n]{0,128}\])
    |(?P<word>[^\W\d][\w$]*)
    |(?P<punct>[(),;.])
    |(?P<other>.)""",
    re.S | re.X,
)
_SQL_VERBS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"})
# Words after which a comma no longer separates tables of a FROM list.
_SQL_CLAUSES = frozenset(
    "WHERE ON USING GROUP ORDER HAVING LIMIT OFFSET FETCH UNION EXCEPT INTERSECT SET VALUES"
    " RETURNING WINDOW FOR SELECT".split()
)
_SQL_NOT_TABLES = frozenset(
    "SELECT WHERE SET VALUES LATERAL DUAL ON AS JOIN FROM WITH INTO USING GROUP ORDER LIMIT UNNEST"
    " DEFAULT NULL".split()
)
_SQL_PLACEHOLDER = re.compile(r"[%{}?:\0]")  # '"%s"' is a parameter, not a table
HOLE = "\0"  # stands for an f-string's interpolation: a table name touching it is unknown
_MAX_SQL = 100_000


def starts_like_sql(text: str) -> bool:
    """``text`` starts (after blanks and comments) with a SQL statement keyword."""
    return _SQL_START.match(text) is not None


def sql_refs(text: str, line: int, last: int, scope: str) -> list[SqlRef]:
    """The tables a SQL text standing on lines ``line``..``last`` names, each once, in the
    order they stand, with the line each stands on; none for a text over 100,000 characters."""
    if len(text) > _MAX_SQL:
        return []
    refs: list[SqlRef] = []
    seen = set()
    counted = 0  # tables come in the order they stand: count line breaks once
    for verb, table, offset in sql_tables(text):
        line += text.count("\n", counted, offset)
        counted = offset
        ref = SqlRef(printable(table), verb, min(line, last), scope)
        if ref not in seen:
            seen.add(ref)
            refs.append(ref)
    return refs


def sql_tables(text: str) -> list[tuple[str, str, int]]:
    """(statement keyword, table, offset in ``text``) for each table a SQL text reads or
    writes: after FROM (and its commas), JOIN, INTO, and UPDATE as the statement's verb.

    Tables are lower-cased, unquoted and without schema. Parentheses that do not open a
    subquery are not searched (``EXTRACT(YEAR FROM created)`` names no table), nor are
    table functions (``FROM generate_series(1, 3)``), common table expressions, or names
    an f-string interpolation touches. Text shaped like English, such as "delete the
    file from disk", names nothing.
    """
    tokens = [
        (kind, match.group().upper() if kind == "word" else match.group(), match.start(), match.end())
        for match in _SQL_TOKEN.finditer(text)
        if (kind := match.lastgroup) != "skip"
    ]
    if not tokens or tokens[0][0] != "word" or not _plausible_statement(tokens):
        return []
    found: list[tuple[str, str, int]] = []
    ctes: set[str] = set()
    # One frame per open parenthesis: [statement keyword, opens a query, in a FROM list]
    frames: list[list] = [[None, True, False]]
    expect_verb = True
    previous = ""
    index, count = 0, len(tokens)
    while index < count:
        kind, word, _, _ = tokens[index]
        frame = frames[-1]
        index += 1
        if kind == "punct":
            if word == "(":
                query = index < count and tokens[index][1] in ("SELECT", "WITH")
                frames.append([None, query, False])
                expect_verb = query
            elif word == ")":
                if len(frames) > 1:
                    frames.pop()
                expect_verb = frames[-1][0] == "with"  # the statement after a CTE's body
            elif word == ";":
                frames = [[None, True, False]]
                expect_verb = True
            elif word == "," and frame[1] and frame[2]:
                index = _sql_table(text, tokens, index, frame, ctes, found, False)
            previous = word
            continue
        if kind != "word":
            previous = word
            continue
        if expect_verb and word in _SQL_VERBS:
            frame[0] = word.lower()
            if word == "UPDATE":
                index = _sql_table(text, tokens, index, frame, ctes, found, False, needs_set=True)
        elif frame[0] == "with" and previous in ("WITH", "RECURSIVE", ","):
            ctes.add(word.lower())
        elif frame[1]:
            if word == "FROM" and previous != "DISTINCT" or word == "JOIN":
                index = _sql_table(text, tokens, index, frame, ctes, found, False)
                frame[2] = True
            elif word == "INTO":
                index = _sql_table(text, tokens, index, frame, ctes, found, True)
            elif word in _SQL_CLAUSES:
                frame[2] = False
        expect_verb = False
        previous = word
    return found


def _plausible_statement(tokens: list[tuple[str, str, int, int]]) -> bool:
    """The words after the first keyword are what SQL puts there."""
    verb = tokens[0][1]
    following = [t[1] for t in tokens[1:4]]
    if verb == "DELETE":
        return following[:1] == ["FROM"]
    if verb == "INSERT":
        return "INTO" in following
    if verb == "WITH":
        # WITH [RECURSIVE] name [(columns)] AS (
        rest = tokens[1:]
        if rest and rest[0][1] == "RECURSIVE":
            rest = rest[1:]
        if not rest or rest[0][0] not in ("word", "quoted"):
            return False
        rest = rest[1:]
        if rest and rest[0][1] == "(":
            close = next((i for i, token in enumerate(rest) if token[1] == ")"), None)
            rest = rest[close + 1 :] if close is not None else []
        return bool(rest) and rest[0][1] == "AS"
    return True


def _sql_table(
    text: str,
    tokens: list[tuple[str, str, int, int]],
    index: int,
    frame: list,
    ctes: set[str],
    found: list[tuple[str, str, int]],
    columns_may_follow: bool,
    needs_set: bool = False,
) -> int:
    """Read a table reference starting at ``tokens[index]``; record it; return the index
    after it (or ``index`` when there is none)."""
    count = len(tokens)
    start = index
    if index < count and tokens[index][1] == "ONLY":
        index += 1
    parts = []
    while index < count and tokens[index][0] in ("word", "quoted"):
        parts.append(tokens[index])
        index += 1
        if index + 1 < count and tokens[index][1] == "." and tokens[index + 1][0] in ("word", "quoted"):
            index += 1
            continue
        break
    if not parts:
        return start
    if index < count and tokens[index][1] == "(" and not columns_may_follow:
        return start  # a table function
    kind, name, begin, end = parts[-1]
    if kind == "word" and name in _SQL_NOT_TABLES:
        return start
    if (parts[0][2] > 0 and text[parts[0][2] - 1] == HOLE) or text[end : end + 1] == HOLE:
        return index
    if needs_set and "SET" not in [t[1] for t in tokens[index : index + 3]]:
        return index
    table = name[1:-1].replace('""', '"') if kind == "quoted" else name
    table = table.lower()
    if table and table not in ctes and not _SQL_PLACEHOLDER.search(table):
        found.append((frame[0] or "select", table, begin))
    return index
