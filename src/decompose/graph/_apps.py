"""Django apps as the code declares them: each ``AppConfig`` subclass with its name and
label, and each project package an ``INSTALLED_APPS``-style setting lists. Framework wiring
(``graph/_wiring.py``) reads them to resolve ``"app_label.Model"`` strings and dotted paths
relative to an app."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from decompose.graph._models import Key
from decompose.model import DefinitionKind, HookKind, ModuleName

if TYPE_CHECKING:
    from decompose.graph._wiring import _Wiring

__all__ = ["Apps"]

_APP_CONFIG_BASES = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})


class Apps:
    """Django apps: each ``AppConfig`` subclass with its name and label (its own, else
    inherited from a project parent; the label defaults to the name's last part), and each
    project package listed in an ``INSTALLED_APPS``-style setting."""

    def __init__(self, wiring: _Wiring) -> None:
        self._wiring = wiring
        resolver = wiring.resolver
        literal = {(module, hook.subject): hook.strings for module, hook in wiring.hooks[HookKind.APP_CONFIG]}
        bases: dict[Key, tuple[str, ...]] = {}
        if literal:
            bases = {
                (r.file.module, d.name): d.bases
                for r in wiring.results
                for d in r.facts.definitions
                if d.kind is DefinitionKind.CLASS and "." not in d.name and d.bases
            }
        self._resolver, self._literal, self._bases = resolver, literal, bases
        self._configs: dict[Key, tuple[str, str] | None] = {}
        apps: set[tuple[str, str]] = set()  # (package, label)
        for key in sorted(literal):
            found = self._config(key, 0)
            if found is not None and found[0] in wiring.modules:
                name, label = found
                apps.add((name, label or ModuleName(name).leaf))
        configured = {package for package, _ in apps}
        for _, hook in wiring.hooks[HookKind.SETTING]:
            if hook.hook.endswith("_APPS"):
                for name in hook.strings:
                    if name in wiring.modules and name not in configured:
                        apps.add((name, ModuleName(name).leaf))
        self.by_package: dict[str, set[str]] = defaultdict(set)
        self.by_label: dict[str, set[str]] = defaultdict(set)
        self.by_tail: dict[str, set[str]] = defaultdict(set)  # by each dotted tail of the name
        for package, label in apps:
            self.by_package[package].add(label)
            self.by_label[label].add(package)
            name = ModuleName(package)
            for count in range(1, name.depth + 1):
                self.by_tail[name.tail(count)].add(package)

    def _config(self, key: Key, depth: int) -> tuple[str, str] | None:
        """(name, label) of an ``AppConfig`` subclass, "" where neither it nor a project
        parent sets one; None for a class that is no ``AppConfig``."""
        if key in self._configs:
            return self._configs[key]
        self._configs[key] = None  # guards inheritance cycles
        name, label = self._literal.get(key, ("", ""))
        is_config = False
        module = key[0]
        for base in self._bases.get(key, ()):
            qualified = self._resolver.qualified_name(module, base)
            if qualified in _APP_CONFIG_BASES:
                is_config = True
                continue
            if qualified is None or not self._resolver.is_project(qualified) or depth > 20:
                continue
            parent = self._resolver.locate(qualified, exact=True)
            if parent is None or not parent.symbol:
                continue
            inherited = self._config((parent.module, parent.symbol), depth + 1)
            if inherited is not None:
                is_config = True
                name, label = name or inherited[0], label or inherited[1]
        found = (name, label) if is_config else None
        self._configs[key] = found
        return found

    def configured_package(self, key: Key) -> ModuleName | None:
        """The project package the ``AppConfig`` subclass ``key`` (module, class) names, if
        it is one (its own ``name`` or a project parent's)."""
        found = self._config(key, 0)
        if found is None or found[0] not in self._wiring.modules:
            return None
        return ModuleName(found[0])

    def label_for(self, module: ModuleName) -> str | None:
        """The label of the app holding ``module``: the innermost app package, if its apps
        agree on one label."""
        for package in (module, *module.ancestors):
            labels = self.by_package.get(package)
            if labels:
                return next(iter(labels)) if len(labels) == 1 else None
        return None

    def modules_under(self, dotted: str, modules: frozenset[ModuleName]) -> set[ModuleName]:
        """Project modules ``<app package>.<rest>`` for ``dotted`` = ``<app>.<rest>``, the
        app named by its label (``catalogue.forms`` under the app labelled ``catalogue``, as
        django-oscar finds it), else by the tail of its name (``dashboard.catalogue``)."""
        path = ModuleName(dotted)
        if path.depth < 2:
            return set()
        under_label = (ModuleName(p).child(path.relative_to(path.top)) for p in self.by_label.get(path.top, ()))
        found = {m for m in under_label if m in modules}
        if found:
            return found
        for cut in range(1, path.depth):
            rest = path.tail(path.depth - cut)
            for package in self.by_tail.get(path.head(cut), ()):
                candidate = ModuleName(package).child(rest)
                if candidate in modules:
                    found.add(candidate)
        return found
