"""Fixture trees written from inline text, edges as ``"a -> b"`` strings, and the hostile project."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

from decompose.api import Analysis

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``root``; return ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def edges(analysis: Analysis, kinds: Iterable[str] | None = None) -> set[str]:
    """Module edges as ``"a -> b"``, optionally only of the given kinds."""
    wanted = set(kinds) if kinds is not None else None
    return {
        f"{e.source} -> {e.target}" for e in analysis.graph.edges if wanted is None or e.kind.value in wanted
    }


def typed_edges(analysis: Analysis) -> set[str]:
    """Module edges as ``"a -> b [kind]"``."""
    return {f"{e.source} -> {e.target} [{e.kind.value}]" for e in analysis.graph.edges}


def symbol_edges(analysis: Analysis, kinds: Iterable[str] | None = None) -> set[str]:
    wanted = set(kinds) if kinds is not None else None
    return {
        f"{e.source_module}:{e.source_symbol} -> {e.target_module}:{e.target_symbol}"
        for e in analysis.graph.symbol_edges
        if wanted is None or e.kind.value in wanted
    }


def codes(analysis: Analysis) -> set[tuple[str, str]]:
    """Diagnostics as (path, code)."""
    return {(d.path, d.code) for d in analysis.diagnostics}


# Markup and script in every place analysed code can put text: the project's folder name, a
# package's name (so a service's name), a docstring, a signature, a model's table and app
# label, and the path of a file that does not parse (so a warning).
HOSTILE_NAME = "<img src=x onerror=window.__pwned=8>"
HOSTILE_FILES = {
    "app/__init__.py": '"""</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"""\n',
    "app/models.py": '''
        from django.db import models

        def place(order="</script><script>window.__pwned=3</script>"):
            """<img src=x onerror=window.__pwned=4> & </textarea></style>"""

        class Order(models.Model):
            class Meta:
                db_table = "</script><script>window.__pwned=5</script>"
                app_label = "<img src=x onerror=window.__pwned=6>"
        ''',
    "web/__init__.py": "",
    "web/views.py": """
        from app.models import Order, place

        def view():
            place()
            return Order.objects.filter()
        """,
    "<svg onload=window.__pwned=7>/__init__.py": "",
    "<svg onload=window.__pwned=7>/broken.py": "def (:\n",
}


def hostile_project(parent: Path) -> Path:
    """Write the hostile project under ``parent``; return its root."""
    return write_tree(parent / HOSTILE_NAME, HOSTILE_FILES)
