"""Folders that entry scripts and settings modules add to ``sys.path``, found by evaluating
their path expressions statically (the code is never run): literals, ``os.path`` calls,
``Path(__file__)`` and its parents, and module-level names assigned such expressions."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from decompose.model import SourceFile
from decompose.parse import dotted_name

__all__ = ["sys_path_roots"]

_PATH_SCRIPTS = {
    "manage.py",
    "wsgi.py",
    "asgi.py",
    "__main__.py",
    "conftest.py",
    "run.py",
    "app.py",
    "main.py",
}
_MAX_SCRIPT_BYTES = 1_000_000


def sys_path_roots(root: Path, files: Iterable[SourceFile]) -> list[tuple[str, str]]:
    """Folders that entry scripts and settings modules add to ``sys.path``."""
    found = []
    for file in files:
        path = PurePosixPath(file.path)
        if not (path.name in _PATH_SCRIPTS or "settings" in path.stem or path.parent.name == "settings"):
            continue
        try:
            real = root / file.path
            if real.stat().st_size > _MAX_SCRIPT_BYTES:
                continue
            text = real.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "sys.path" not in text and "addsitedir" not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for folder in _PathEvaluator(path).entries(tree):
            found.append((folder, f"added to sys.path by {file.path}"))
    return sorted(set(found))


class _PathEvaluator:
    """Evaluates the path expressions scripts build from ``__file__``, relative to the
    analysed folder: literals, ``os.path.dirname/join/abspath``, ``Path(__file__).parent``,
    ``.parents[n]``, ``/``, and module-level names assigned such expressions."""

    def __init__(self, script: PurePosixPath) -> None:
        self.script = script
        self.names: dict[str, list[str] | None] = {}

    def entries(self, tree: ast.Module) -> list[str]:
        entries: list[str] = []
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                if node in tree.body:
                    self.names[node.targets[0].id] = self.value(node.value)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = dotted_name(node.func)
            arguments: list[ast.expr] = []
            if callee == "sys.path.insert" and len(node.args) == 2:
                arguments = [node.args[1]]
            elif callee in {"sys.path.append", "site.addsitedir"} and len(node.args) == 1:
                arguments = [node.args[0]]
            elif (
                callee == "sys.path.extend"
                and len(node.args) == 1
                and isinstance(node.args[0], (ast.List, ast.Tuple))
            ):
                arguments = list(node.args[0].elts)
            for argument in arguments:
                parts = self.value(argument)
                if parts is not None:
                    entries.append("/".join(parts) or ".")
        return entries

    # Returns the path's parts relative to the analysed folder, or None when unknown or
    # outside it.
    def value(self, node: ast.AST, depth: int = 0) -> list[str] | None:
        if depth > 30:
            return None
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return list(self.script.parts)
            return self.names.get(node.id)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith("/"):
                return None
            return _joined(list(self.script.parent.parts), node.value)
        if isinstance(node, ast.Attribute):
            if node.attr == "parent":
                inner = self.value(node.value, depth + 1)
                return inner[:-1] if inner else None  # the analysed folder's parent is outside
            return None
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "parents"
        ):
            index = node.slice
            if isinstance(index, ast.Constant) and isinstance(index.value, int) and index.value >= 0:
                inner = self.value(node.value.value, depth + 1)
                if inner is None or len(inner) < index.value + 1:
                    return None
                return inner[: len(inner) - index.value - 1]
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left = self.value(node.left, depth + 1)
            if (
                left is None
                or not isinstance(node.right, ast.Constant)
                or not isinstance(node.right.value, str)
            ):
                return None
            return _joined(left, node.right.value)
        if isinstance(node, ast.Call):
            callee = dotted_name(node.func) or ""
            func = node.func
            method = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if isinstance(node.func, ast.Attribute) and method in {"resolve", "absolute", "expanduser"}:
                return self.value(node.func.value, depth + 1)
            if isinstance(node.func, ast.Attribute) and method == "joinpath":
                return _joined_literals(self.value(node.func.value, depth + 1), node.args)
            if not node.args:
                return None
            if method in {
                "abspath",
                "realpath",
                "normpath",
                "str",
                "fspath",
                "Path",
                "PurePath",
                "PosixPath",
            }:
                return self.value(node.args[0], depth + 1)
            if method == "dirname":
                inner = self.value(node.args[0], depth + 1)
                return inner[:-1] if inner else None
            if method == "join" and callee.endswith("path.join"):
                return _joined_literals(self.value(node.args[0], depth + 1), node.args[1:])
        return None


def _joined_literals(parts: list[str] | None, arguments: list[ast.expr]) -> list[str] | None:
    """``parts`` joined with each argument in turn, when every one is a string literal."""
    for argument in arguments:
        if parts is None or not isinstance(argument, ast.Constant) or not isinstance(argument.value, str):
            return None
        parts = _joined(parts, argument.value)
    return parts


def _joined(parts: list[str], relative: str) -> list[str] | None:
    if relative.startswith("/"):
        return None
    result = list(parts)
    for part in relative.replace("\\", "/").split("/"):
        if part in {"", "."}:
            continue
        if part == "..":
            if not result:
                return None
            result.pop()
        else:
            result.append(part)
    return result
