"""bench/_obfuscate.py: the flattened, renamed tree has the module graph of the original."""

from __future__ import annotations

import sys
from pathlib import Path

from decompose import analyze_path
from helpers.trees import REPO, write_tree

sys.path.insert(0, str(REPO / "bench"))

import _obfuscate  # noqa: E402

TREE = {
    "app/__init__.py": """
        from .core import helper
        __all__ = ["helper"]
    """,
    "app/core.py": """
        import app.util.text
        from app.util import numbers as nums
        from . import settings

        def helper(x):
            return app.util.text.clean(x) + nums.add(1, 2) + app.util.numbers.add(2, 3)

        def shadowed(app):
            return app.util
    """,
    "app/util/__init__.py": "",
    "app/util/text.py": """
        def clean(s):
            return s.strip()
    """,
    "app/util/numbers.py": """
        import importlib
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from ..models import Order

        def add(a, b):
            from app.util.text import clean
            return clean(a) + b

        def load():
            return importlib.import_module("app.views")
    """,
    "app/models.py": """
        from app.util import text

        class Order:
            def total(self) -> "app.util.numbers.Number":
                return text.clean("x")
    """,
    "app/views.py": """
        from app.models import Order
        from app import util

        def show():
            return util.text.clean(Order.__name__)
    """,
    "app/settings.py": """
        from app import *
        INSTALLED_APPS = ["app.views", "app.models.Order"]
    """,
}


def typed_edges(root: Path, back: dict[str, str] | None = None) -> set[str]:
    analysis = analyze_path(root, {"jobs": 1})
    rename = back or {}
    return {
        f"{rename.get(e.source, e.source)} -> {rename.get(e.target, e.target)} [{e.kind.value}]"
        for e in analysis.graph.edges
    }


def test_obfuscated_tree_has_the_same_module_graph(tmp_path: Path) -> None:
    original = write_tree(tmp_path / "original", TREE)
    analysis = analyze_path(original, {"jobs": 1})
    files = {m.name: (m.path, m.is_package) for m in analysis.graph.modules}
    table = _obfuscate.renaming(files)
    _obfuscate.obfuscate(original, files, table, tmp_path / "obfuscated")

    written = sorted(p.relative_to(tmp_path / "obfuscated").as_posix() for p in (tmp_path / "obfuscated").rglob("*.py"))
    assert written == ["obf/__init__.py", *sorted(n.replace(".", "/") + ".py" for n in table.values())]
    assert all(n.startswith("obf.m") and n.count(".") == 1 for n in table.values())

    before = typed_edges(original)
    after = typed_edges(tmp_path / "obfuscated", {new: old for old, new in table.items()})
    assert "app.views -> app.util.text [call]" in before
    assert "app.util.numbers -> app.models [type_only]" in before
    assert "app.util.numbers -> app.views [dynamic]" in before
    assert "app.settings -> app.models [string]" in before
    # ``util.text`` reached through ``from app import util``: the rewrite names the deeper
    # module, and imports it beside the alias since nothing else binds the package name.
    assert after - before == {"app.views -> app.util.text [import]"}
    assert before - after == set()


def test_a_file_that_does_not_parse_is_copied_unchanged() -> None:
    assert _obfuscate.rewrite_source(b"print 'python 2'\n", "app.old", False, {"app.old": "obf.m0001"}) is None


def test_a_file_in_newer_syntax_is_rewritten_from_the_lowering_decompose_reads(tmp_path: Path) -> None:
    # Nested quotes in an f-string (PEP 701) are Python 3.12 grammar; on an older Python,
    # decompose reads the file through libcst's lowering.
    original = write_tree(
        tmp_path / "original",
        {
            "app/__init__.py": "",
            "app/util.py": "def clean(s):\n    return s\n",
            "app/views.py": "from app.util import clean\n\ndef show(d):\n    return f'{clean(d['name'])}'\n",
        },
    )
    analysis = analyze_path(original, {"jobs": 1})
    files = {m.name: (m.path, m.is_package) for m in analysis.graph.modules}
    table = _obfuscate.renaming(files)
    _obfuscate.obfuscate(original, files, table, tmp_path / "obfuscated")

    before = typed_edges(original)
    assert "app.views -> app.util [call]" in before
    assert typed_edges(tmp_path / "obfuscated", {new: old for old, new in table.items()}) == before
