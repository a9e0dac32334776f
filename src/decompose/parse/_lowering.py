"""Rewrite code written for a newer Python into code the running ``ast`` accepts.

libcst's parser reads newer grammar (PEP 695 type parameters, PEP 701 f-strings,
``except A, B`` of PEP 758, template strings) than an older interpreter's ``ast``. We parse
with libcst only the files ``ast`` rejects, lower the new syntax to equivalents that keep
every name and call (an f-string becomes a tuple of its expressions), and hand the result
back to ``ast``. Line breaks inside a lowered string are kept so that line numbers hold.

libcst's native parser can crash the process on pathological input, so this runs in a
child process (see ``run_lowering``), never in the analysing process.
"""

from __future__ import annotations

import functools
import io
import json
import queue
import subprocess
import sys
import threading
import tokenize
from collections.abc import Mapping
from pathlib import Path
from typing import IO

__all__ = ["lower_source", "run_lowering", "LoweringOutcome", "too_complex_for_libcst"]

# (lowered source, None) or (None, reason)
LoweringOutcome = tuple[str | None, str | None]
_PER_FILE_SECONDS = 20.0
# libcst's parser segfaults on a few thousand nested brackets, and its time grows with the
# square of a chain's length (``a + a + ...`` of 2,000 terms: 0.7 s; of 5,000: 8 s; of
# 20,000: minutes; ``a.b.b...`` likewise). Long flat literals are fine: a list of 100,000
# items takes 3 s. So chains are measured apart from statements.
_MAX_BRACKET_DEPTH = 100
_MAX_CHAIN_TOKENS = 4_000  # tokens with no comma between them, at one bracket depth
_MAX_STATEMENT_TOKENS = 200_000
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
_SKIPPED_TOKENS = frozenset({tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})


def too_complex_for_libcst(source: str) -> bool:
    """Whether libcst's parser would crash or take minutes on ``source``: brackets nested
    deeper than 100, a chain of more than 4,000 tokens (``a + a + ...``, ``a.b.b...``,
    ``f()()...``) or a statement of more than 200,000."""
    if len(source) <= _MAX_CHAIN_TOKENS and sum(source.count(c) for c in _OPENING) <= _MAX_BRACKET_DEPTH:
        return False
    chains = [0]  # per open bracket: tokens since its last comma; a bracketed group counts 2
    statement = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in _SKIPPED_TOKENS:
                continue
            if token.type == tokenize.NEWLINE or token.string == ";":
                chains, statement = [0], 0
                continue
            statement += 1
            if token.type == tokenize.OP and token.string in _OPENING:
                chains[-1] += 1
                chains.append(0)
            elif token.type == tokenize.OP and token.string in _CLOSING:
                if len(chains) > 1:
                    chains.pop()
                chains[-1] += 1
            elif token.string == ",":
                chains[-1] = 0
            else:
                chains[-1] += 1
            if len(chains) > _MAX_BRACKET_DEPTH or chains[-1] > _MAX_CHAIN_TOKENS:
                return True
            if statement > _MAX_STATEMENT_TOKENS:
                return True
    except (tokenize.TokenError, SyntaxError) as error:
        # The C tokenizer of Python 3.12+ stops at the nesting limit itself.
        return "too many" in str(error)
    return False


def lower_source(source: str) -> str:
    """Lowered source; raises libcst's ParserSyntaxError when libcst cannot parse it either."""
    import libcst as cst

    module = cst.parse_module(source)
    return module.visit(_Lowerer()).code


def run_lowering(sources: Mapping[str, str]) -> dict[str, LoweringOutcome]:
    """Lower each source in a child process; a crash or hang costs only the file it hit."""
    keys = sorted(sources)
    outcomes: dict[str, LoweringOutcome] = {}
    while keys:
        replies, failure = _run_batch([sources[key] for key in keys])
        outcomes.update(zip(keys, replies, strict=False))
        keys = keys[len(replies) :]
        if keys:
            outcomes[keys[0]] = (None, failure)
            keys = keys[1:]
    return outcomes


def _run_batch(sources: list[str]) -> tuple[list[LoweringOutcome], str]:
    """Replies in order, until the child finished or stopped; and why it stopped.

    Each file gets its own time limit, so that a slow batch is not blamed on whichever file
    happened to be in progress when a limit for the whole batch ran out.
    """
    child = subprocess.Popen(
        _child_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_feed, args=(child.stdin, sources), daemon=True).start()
    threading.Thread(target=_drain, args=(child.stdout, lines), daemon=True).start()
    failure = "the newer-grammar parser crashed"
    replies: list[LoweringOutcome] = []
    while len(replies) < len(sources):
        try:
            line = lines.get(timeout=_PER_FILE_SECONDS)
        except queue.Empty:
            failure = "the newer-grammar parser gave up (time limit)"
            break
        if line is None:  # the child closed its output: it has exited
            break
        try:
            reply = json.loads(line)
        except json.JSONDecodeError:
            break
        replies.append((reply.get("lowered"), reply.get("error")))
    if child.poll() is None:
        child.kill()
    returncode = child.wait()
    if returncode != 0 and len(replies) < len(sources) and "time limit" not in failure:
        failure = f"the newer-grammar parser crashed (exit code {returncode})"
    return replies, failure


def _child_command() -> list[str]:
    """The child runs isolated (``-I``): with ``-m`` Python would put the current folder,
    often the analysed project, first on ``sys.path``, and its ``json.py`` or ``libcst/``
    would be imported, that is, run. Where decompose itself lives is passed explicitly."""
    home = str(Path(__file__).resolve().parents[2])
    code = f"import sys; sys.path.insert(0, {home!r}); from decompose.parse._lowering import _main; _main()"
    return [sys.executable, "-I", "-c", code]


def _feed(stdin: IO[str], sources: list[str]) -> None:
    try:
        for source in sources:
            stdin.write(json.dumps({"source": source}) + "\n")
        stdin.close()
    except (OSError, ValueError):  # the child died or was killed: its replies say how far it got
        pass


def _drain(stdout: IO[str], lines: queue.Queue[str | None]) -> None:
    try:
        for line in stdout:
            lines.put(line)
    except (OSError, ValueError):
        pass
    lines.put(None)


def _main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = {"lowered": lower_source(request["source"]), "error": None}
        except Exception as error:  # the child reports any failure as a value
            message = str(error).strip().splitlines()
            reply = {"lowered": None, "error": message[0] if message else type(error).__name__}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


@functools.cache  # built on first use: importing this module must not import libcst
def _make_lowerer():
    import libcst as cst

    class Lowerer(cst.CSTTransformer):
        def leave_FormattedString(self, original, updated):
            return _as_tuple(updated, original)

        def leave_TemplatedString(self, original, updated):
            return _as_tuple(updated, original)

        def leave_FunctionDef(self, original, updated):
            return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

        def leave_ClassDef(self, original, updated):
            if not updated.type_parameters:
                return updated
            return updated.with_changes(type_parameters=None)

        def leave_TypeAlias(self, original, updated):
            return cst.Assign(targets=[cst.AssignTarget(target=updated.name)], value=updated.value)

        def leave_TryStar(self, original, updated):
            handlers = [
                cst.ExceptHandler(
                    body=h.body,
                    type=h.type,
                    name=h.name,
                    leading_lines=h.leading_lines,
                    whitespace_after_except=cst.SimpleWhitespace(" "),
                )
                for h in updated.handlers
            ]
            return cst.Try(
                body=updated.body,
                handlers=handlers,
                orelse=updated.orelse,
                finalbody=updated.finalbody,
                leading_lines=updated.leading_lines,
            )

        def leave_ExceptHandler(self, original, updated):
            kind = updated.type
            if isinstance(kind, cst.Tuple) and not kind.lpar:
                return updated.with_changes(
                    type=kind.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                )
            return updated

    def _as_tuple(updated, original):
        module = cst.Module(body=[])
        expressions = [
            module.code_for_node(part.expression) for part in updated.parts if hasattr(part, "expression")
        ]
        newlines = module.code_for_node(original).count("\n")
        if not expressions:
            return cst.parse_expression('""' if not newlines else '("" ' + "\n" * newlines + ")")
        kept = sum(e.count("\n") for e in expressions)
        padding = "\n" * max(0, newlines - kept)
        return cst.parse_expression("(" + ", ".join(expressions) + "," + padding + ")")

    return Lowerer


def _Lowerer():
    return _make_lowerer()()


if __name__ == "__main__":
    _main()
