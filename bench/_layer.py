"""The technical layer of a module, for bench/quality.py's layered variant: every module
re-filed under ``lyr.<layer>`` (``lyr.models.m0042``), the way a project organised by layer
rather than by domain would be, so that the folders mislead instead of saying nothing.

A module's layer is decided by the first of these that says something:

1. tests: a file that discover defers as a test (a test file name, or a tests folder), so
   that the layered tree defers exactly the modules the as-shipped one does;
2. its base name: ``models.py``, a ``views`` package, ``serializers.py``;
3. the package it sits in: ``models/order.py``, ``management/commands/sync.py``;
4. its content: the layer most of its top-level statements point to, one vote each: a
   class by the name its base ends in (``models.Model`` -> models, ``ModelForm`` -> forms,
   ``ModelSerializer`` -> api.serializers), a function by its decorator (``@receiver`` ->
   signals, ``@shared_task`` -> tasks, ``@register.filter`` -> templatetags) or else by a
   first parameter named ``request`` (views), ``urlpatterns = ...`` (urls),
   ``register = template.Library()`` (templatetags), ``placed = Signal()`` (signals); ties
   go to the layer listed first in ``_NAMES``;
5. else utils.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import _obfuscate

from decompose.discover import _TEST_DIRS, _is_test_file  # discover's own rule: the two never disagree
from decompose.parse._visitor import dotted_name

__all__ = ["PACKAGE", "layer_of", "renaming"]

PACKAGE = "lyr"

# layer -> the base names (of a module, or of the package it sits in) that file a module there
_NAMES = {
    "models": {"models", "model", "managers", "querysets"},
    "views": {"views", "view"},
    "forms": {"forms", "form", "formsets", "widgets"},
    "admin": {"admin", "admins"},
    "api.serializers": {"serializers", "serializer"},
    "api.views": {"api", "viewsets", "api_views"},
    "tasks": {"tasks", "task", "celery"},
    "signals": {"signals", "receivers", "handlers", "signal_handlers"},
    "urls": {"urls", "urlconf", "routers"},
    "templatetags": {"templatetags"},
    "management.commands": {"management", "commands"},
    "migrations": {"migrations"},
    "middleware": {"middleware", "middlewares"},
    "services": {"services", "service", "selectors"},
    "apps": {"apps"},
    "settings": {"settings", "conf", "app_settings"},
    "utils": {"utils", "util", "helpers"},
}
_LAYER_OF_NAME = {name: layer for layer, names in _NAMES.items() for name in names}
_ORDER = {layer: index for index, layer in enumerate(_NAMES)}
_TESTS = "tests"
_FALLBACK = "utils"

# How a class's base ends -> its layer; the first match counts ("ModelAdmin" is admin).
_BASE_SUFFIXES = (
    ("Serializer", "api.serializers"),
    ("ViewSet", "api.views"),
    ("APIView", "api.views"),
    ("Admin", "admin"),
    ("Inline", "admin"),
    ("FormSet", "forms"),
    ("Form", "forms"),
    ("Widget", "forms"),
    ("Model", "models"),
    ("Manager", "models"),
    ("QuerySet", "models"),
    ("View", "views"),
    ("Command", "management.commands"),
    ("Migration", "migrations"),
    ("Middleware", "middleware"),
    ("MiddlewareMixin", "middleware"),
    ("AppConfig", "apps"),
    ("Task", "tasks"),
)
# A decorator's last name -> the layer of the function it decorates.
_DECORATORS = {
    "receiver": "signals",
    "shared_task": "tasks",
    "task": "tasks",
    "periodic_task": "tasks",
    "api_view": "api.views",
}
# What a module-level assignment calls -> its layer: ``register = template.Library()``.
_CALLS = {"Library": "templatetags", "Signal": "signals"}


def layer_of(module: str, is_package: bool, source: bytes | str) -> str:
    """The dotted layer (``models``, ``api.serializers``, ...) to file ``module`` under."""
    parts = module.split(".")
    folders = parts if is_package else parts[:-1]
    if any(part in _TEST_DIRS for part in folders) or (not is_package and _is_test_file(f"{parts[-1]}.py")):
        return _TESTS
    for name in reversed(parts[-2:]):  # its own name, then its package's
        layer = _LAYER_OF_NAME.get(name.lstrip("_"))
        if layer is not None:
            return layer
    return _by_content(source) or _FALLBACK


def renaming(root: Path, files: Mapping[str, tuple[str, bool]], package: str = PACKAGE) -> dict[str, str]:
    """Original module -> ``package.<layer>.mNNNN`` for the modules of ``files`` (module ->
    (path relative to ``root``, is_package)), numbered as ``_obfuscate.renaming`` numbers."""
    layers = {
        name: layer_of(name, is_package, (root / relative).read_bytes())
        for name, (relative, is_package) in files.items()
    }
    return _obfuscate.renaming(files, package, folders=layers)


def _by_content(source: bytes | str) -> str | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    votes = Counter(layer for statement in tree.body if (layer := _vote(statement)) is not None)
    if not votes:
        return None
    return min(votes, key=lambda layer: (-votes[layer], _ORDER[layer]))


def _vote(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.ClassDef):
        return _class_layer(statement)
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return _function_layer(statement)
    if isinstance(statement, ast.Assign):
        if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in statement.targets):
            return "urls"
        value = statement.value
        if isinstance(value, ast.Call):
            return _CALLS.get((dotted_name(value.func) or "").rpartition(".")[2])
    return None


def _class_layer(node: ast.ClassDef) -> str | None:
    for base in node.bases:
        name = (dotted_name(base) or "").rpartition(".")[2]
        for suffix, layer in _BASE_SUFFIXES:
            if name.endswith(suffix):
                return layer
    return None


def _function_layer(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    for decorator in node.decorator_list:
        dotted = dotted_name(decorator.func if isinstance(decorator, ast.Call) else decorator) or ""
        if dotted.startswith("register."):  # register = template.Library()
            return "templatetags"
        layer = _DECORATORS.get(dotted.rpartition(".")[2])
        if layer is not None:
            return layer
    arguments = [*node.args.posonlyargs, *node.args.args]
    if arguments and arguments[0].arg == "request":
        return "views"
    return None
