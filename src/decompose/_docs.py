"""Reference pages written from the code's own tables, so that they cannot drift from it.

``docs/configuration.md`` is :func:`configuration_markdown`: the keys of the option table
``decompose.config.OPTIONS``, each with the default and the field docstring of the stage
options it sets, and the default signal and edge weights of the cluster stage. ``make docs``
(``docs/generate.py``) writes the pages; ``tests/functional/test_docs.py`` checks that they
are what these functions return.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections.abc import Callable, Iterable
from functools import cache
from itertools import pairwise

from decompose.cluster import DEFAULT_EDGE_WEIGHTS, SIGNALS
from decompose.config import OPTIONS, Option

__all__ = ["PAGES", "configuration_markdown"]

_HISTORY = "history"  # the sub-table [tool.decompose.history]


def configuration_markdown() -> str:
    """Return docs/configuration.md: every configuration key, its type, default and meaning."""
    parts = [
        _CONFIG_INTRO,
        "## `[tool.decompose]`\n",
        _table(("key", "type", "default", "field", "meaning"), _option_rows()),
        _HISTORY_INTRO,
        _table(("key", "type", "default", "meaning"), _history_rows()),
        _WEIGHTS_INTRO,
        _table(("signal", "default weight", "what it says"), _signal_rows()),
        _EDGES_INTRO,
        _table(("edge kind", "default weight"), _edge_rows()),
        _CONFIG_EXAMPLES,
    ]
    return "\n".join(part.rstrip("\n") + "\n" for part in parts)


# docs/<name> -> the function returning its text
PAGES: dict[str, Callable[[], str]] = {"configuration.md": configuration_markdown}


def _file_options() -> list[Option]:
    return [option for option in OPTIONS.values() if option.in_file]


def _option_rows() -> Iterable[tuple[str, ...]]:
    history = [o for o in _file_options() if o.key.startswith(f"{_HISTORY}.")]
    for option in _file_options():
        if option is history[0]:
            owners = dict.fromkeys(f"`{o.owner.__name__}`" for o in history)
            keys = f"[tool.decompose.{_HISTORY}]: " + ", ".join(o.key.partition(".")[2] for o in history)
            yield f"`{_HISTORY}`", "table", "see [below](#tooldecomposehistory)", ", ".join(owners), keys
        if option in history:
            continue
        field = f"`{option.owner.__name__}.{option.field}`"
        yield f"`{option.key}`", option.value.kind, _literal(option.default, option.value.kind), field, _meaning(option)


def _history_rows() -> Iterable[tuple[str, ...]]:
    for option in _file_options():
        if option.key.startswith(f"{_HISTORY}."):
            key = option.key.partition(".")[2]
            yield f"`{key}`", option.value.kind, _literal(option.default, option.value.kind), _meaning(option)


def _meaning(option: Option) -> str:
    """The field's docstring as a table cell, with the choices and the command line's flag."""
    meaning = _phrase(_field_docstrings(option.owner).get(option.field, ""))
    if option.value.choices:
        meaning += "; one of " + ", ".join(f'`"{choice}"`' for choice in option.value.choices)
    if option.flag:
        meaning += f" (`{option.flag}`)"
    return meaning


def _signal_rows() -> Iterable[tuple[str, ...]]:
    for signal in SIGNALS:
        yield f"`{signal.kind}`", _number(signal.default_weight), signal.summary


def _edge_rows() -> Iterable[tuple[str, ...]]:
    for kind, weight in DEFAULT_EDGE_WEIGHTS.items():
        yield f"`{kind}`", _number(weight)


@cache
def _field_docstrings(cls: type) -> dict[str, str]:
    """Field name -> the string literal written right below it in the class body."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for statement, following in pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = " ".join(following.value.value.split())
    return docs


def _phrase(docstring: str) -> str:
    """A field docstring as a table cell: no final full stop, lower case first ("At" -> "at")."""
    text = docstring.rstrip(".")
    if text[:1].isupper() and not text[1:2].isupper():
        text = text[0].lower() + text[1:]
    return text


def _literal(value: object, kind: str) -> str:
    """A default as TOML would write it, in backquotes; "unset" for None."""
    if value is None:
        return "unset"
    if value == ():
        return "`{}`" if kind == "table" else "`[]`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{_number(value)}`"
    if isinstance(value, str):
        return f"`{json.dumps(value)}`"
    return f"`{value}`"


def _number(value: float) -> str:
    return f"{value:g}"


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines) + "\n"


_CONFIG_INTRO = """\
# Configuration

<!-- Generated by `make docs` from src/decompose/_docs.py and the tables it reads
(decompose.config.OPTIONS, the stage options classes whose fields it sets, decompose.cluster.SIGNALS
and DEFAULT_EDGE_WEIGHTS). Do not edit by hand: tests/functional/test_docs.py fails when this page differs. -->

decompose reads its options from the analysed project's `pyproject.toml`, under
`[tool.decompose]`. Precedence: the defaults below, then `[tool.decompose]`, then the command
line (see [analyse](analyze.md#options)): `--exclude` adds to `exclude`, every other option
replaces its key. A key may be written with `-` or `_`. An unknown key or a value of the wrong
type is an error naming the key (exit code 2). `decompose compare` reads the gate and the pins
from `--config FILE`, else from the `pyproject.toml` of `--repo`, else of the current folder.
"""

_HISTORY_INTRO = """\
## `[tool.decompose.history]`

How the git history is read (see [how it works](how-it-works.md#history)); the thresholds are
code-maat's.
"""

_WEIGHTS_INTRO = """\
## Signal weights

`signal-weights` (or `--signal KIND=WEIGHT`, repeatable) sets a clustering signal's weight over
these defaults, e.g. `{ vocabulary = 0.5, package = 0 }`; `0` turns a signal off. What each
signal does: [how it works](how-it-works.md#the-proposal).
"""

_EDGES_INTRO = """\
## Edge weights

`edge-weights` sets, over these defaults, how much one use of each code edge kind weighs in
the `code` signal (the kinds: [how it works](how-it-works.md#the-graph)). They shape the
clustering only: the metrics count every edge by its occurrences.
"""

_CONFIG_EXAMPLES = """\
## Examples

```toml
[tool.decompose]
exclude = ["legacy/*", "**/generated/*"]   # globs on paths relative to the analysed folder;
                                           # a pattern without "/" also matches a file or folder name
include-tests = false
include-migrations = false
max-file-bytes = 20000000
roots = ["backend"]                        # replaces the roots found; --root DIR on the command line
```

Teams edit the first proposal here:

```toml
[tool.decompose]
services = 8                       # how many services (default: chosen automatically)
method = "leiden"                  # or "louvain", or "packages": one service per top-level package
seed = 0
apart = [["shop.models.core", "shop.services.payment_gateway"]]

[tool.decompose.pin]               # service = module globs that must be in it
payments = ["shop.*.payment*", "shop.integrations.stripe_client"]
```

Pinned modules are clustered as one unit and the rest around them; `apart` pairs end in
different services. The gate, for `decompose compare` and `decompose analyze --baseline`
(see [compare and gate](compare.md#gate-rules)):

```toml
[tool.decompose]
fail-on = ["icp>+0.02", "cycles>+0"]   # for compare and analyze --baseline
regression-tolerance = 0.01            # the "regressions" rule's leeway, a share of the before value

[tool.decompose.pin]                   # the services both sides are measured with (--services-from pinned)
payments = ["shop.*.payment*", "shop.integrations.stripe_client"]
```

History, for a folder exported from a repository:

```toml
[tool.decompose.history]
repo = "../monolith.git"       # --repo: when the folder is not inside the repository's work tree
path-in-repo = "src/app"       # --path-in-repo: where the analysed folder sits in that repository
since = "2 years ago"          # --since: any date git reads
group-by-day = true            # one author's commits on one day as one change
months-of-authors = 0          # authors over all of the history
```
"""
