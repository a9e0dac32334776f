"""Framework wiring: the dependencies a framework makes by name, resolved to typed edges.

The parse stage records each hook as written (``HookRef``: a call, decorator, class
attribute or setting, by its shape); here they meet the rest of the project:

- ``app_config``: an ``AppConfig`` subclass (Django's, or a project parent's) to the app
  package its ``name`` gives: the config is part of the app it declares.
- ``django_model``: ``apps.get_model("orders", "Order")`` and django-oscar's
  ``get_model``, an ``"orders.Order"`` string (model fields' strings included: the same
  ``RelationRef`` facts and resolution as the data model's, ``graph/_models.py``), and uses of
  ``settings.AUTH_USER_MODEL`` / ``get_user_model()``, all to the model's module. An app
  label is a model's ``Meta.app_label``, else its app's: the ``label`` (or the last part
  of the ``name``) of the ``AppConfig`` subclass, or of the ``INSTALLED_APPS`` package,
  that holds its module; else the package above ``models``.
- ``signal``: a receiver (``@receiver(sig, sender=Order)``, ``sig.connect(h, sender=Order)``)
  to its sender's module, and, for a project ``Signal()``, to every module that sends it
  (``sig.send(...)``, ``send_robust``).
- ``admin``: ``admin.site.register(Order, ...)``, ``@admin.register(Order)``.
- ``model_binding``: a class's ``model = Order`` (``Meta``'s too) and ``queryset =
  Order.objects...``, naming a project class.
- ``url``: ``include("app.urls")`` and a view's dotted path (``path("x/", "app.views.f")``).
- ``loader``: ``get_class("dashboard.catalogue.forms", "ProductForm")``, ``get_classes``,
  ``import_string("x.y.Z")``.
- ``task``: ``send_task("name")``, ``signature("name")`` and a beat schedule's ``"task"``,
  to the function of that Celery name (``@app.task(name=...)``, else module.function).
- ``blueprint``, ``router``, ``depends``: Flask's ``register_blueprint(bp)``, FastAPI's
  ``include_router(router)`` and ``Depends(get_db)``, to the module defining the object.
- ``setting``: a read of ``settings.NAME`` (``django.conf``) to the settings module that
  declares ``NAME`` (``graph/_wiring_settings.py``).
- ``orm``: SQLAlchemy ``relationship("Order")`` and ``ForeignKey("orders.id")`` (the model
  whose table is ``orders``).

A dotted module path in a string (``url``, ``loader``, ``task``) is the project module of
that name; else the only module whose name ends with it; else the only one under an app
whose label or name it starts with. Anything ambiguous or unknown gives no edge.

Many of these uses already give a plain edge: ``Order`` named in ``admin.site.register``
is a reference, a beat schedule's dotted path a string. A wiring edge takes over one such
untyped use of the same target within its lines (a reference, call, annotation, decorator
or string use), so that an occurrence counts once, under the kind that says what it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from decompose.graph._claims import Claims, WiringEdge
from decompose.graph._models import Key
from decompose.graph._resolve import Location, Resolver
from decompose.graph._wiring_django import DjangoWiring
from decompose.graph._wiring_settings import settings_edges
from decompose.model import (
    DefinitionKind,
    EdgeKind,
    HookKind,
    HookRef,
    ModuleName,
    ParseResult,
)

__all__ = ["WiringEdge", "add_wiring"]

# The untyped uses a wiring edge may take over, the likeliest first.
_SIMPLE = {
    HookKind.BLUEPRINT: EdgeKind.BLUEPRINT,
    HookKind.ROUTER: EdgeKind.ROUTER,
    HookKind.DEPENDS: EdgeKind.DEPENDS,
}


def add_wiring(builder, results: Sequence[ParseResult]) -> tuple[ModuleName, ...]:
    """Add the framework edges of ``results`` to the graph stage's ``builder`` (its
    ``_add`` and its edge tables), each taking over one untyped use it explains. Never
    raises on odd input: what does not resolve gives no edge. Returns the project packages
    declared as Django apps, sorted."""
    wiring = _Wiring(builder.resolver, results)
    edges = wiring.edges()
    if edges:
        Claims(builder._lines, builder._symbols).apply(edges, builder._add)
    return tuple(sorted(ModuleName(package) for package in wiring.apps.by_package))



# --------------------------------------------------------------------------- resolution


class _Wiring(DjangoWiring):
    def __init__(self, resolver: Resolver, results: Sequence[ParseResult]) -> None:
        self.resolver = resolver
        self.results = results
        self.modules = frozenset(r.file.module for r in results)
        self.hooks: dict[HookKind, list[tuple[ModuleName, HookRef]]] = defaultdict(list)
        for result in results:
            for hook in result.facts.hooks:
                if _well_formed(hook):
                    self.hooks[hook.kind].append((result.file.module, hook))
        self.found: list[WiringEdge] = []
        # (module, string) -> the lines a hook read it on: not a plain "app.Model" string too;
        # likewise (module, class, string) for a model field's string, which may stand on a
        # line after the field's
        self._read_strings: dict[tuple[ModuleName, str], list[tuple[int, int]]] = defaultdict(list)
        self._relation_strings: set[tuple[ModuleName, str, str]] = set()

    def edges(self) -> list[WiringEdge]:
        self._app_configs()
        self._django_models()
        self._signals()
        self._admin()
        self._bindings()
        self._paths()
        self._tasks()
        self._simple()
        self._model_strings()
        self.found.extend(settings_edges(self.resolver, self.results, self.hooks[HookKind.SETTING]))
        return self.found

    def _edge(self, module: ModuleName, hook: HookRef, target: Location, kind: EdgeKind) -> None:
        self.found.append(WiringEdge(module, hook.scope, target, kind, hook.line, hook.end_line))

    def _read(self, module: ModuleName, hook: HookRef, *strings: str) -> None:
        for text in strings:
            self._read_strings[(module, text)].append((hook.line, hook.end_line))

    # ------------------------------------------------------------------ names

    def _symbol(self, module: ModuleName, dotted: str, scope: str) -> Location | None:
        """The project top-level symbol a dotted name used in ``module`` is, exactly."""
        qualified = self.resolver.qualified_name(module, dotted, scope)
        if qualified is None or not self.resolver.is_project(qualified):
            return None
        found = self.resolver.locate(qualified, exact=True)
        return found if found is not None and found.symbol else None

    def _named(self, module: ModuleName, dotted: str, scope: str) -> Location | None:
        """The project symbol a dotted name denotes, attributes after it allowed
        (``Order.objects.all`` is ``Order``)."""
        found = self.resolver.resolve_reference(module, dotted, scope)
        return found if found is not None and found.symbol else None

    @cached_property
    def classes(self) -> frozenset[Key]:
        return frozenset(
            (r.file.module, d.name)
            for r in self.results
            for d in r.facts.definitions
            if d.kind is DefinitionKind.CLASS and "." not in d.name
        )

    # ------------------------------------------------------------------ module paths

    @cached_property
    def _suffixes(self) -> dict[str, list[ModuleName]]:
        """Modules by every proper dotted suffix of their names (built once, when needed)."""
        index: dict[str, list[ModuleName]] = defaultdict(list)
        for module in sorted(self.modules):
            for count in range(1, module.depth):
                index[module.tail(count)].append(module)
        return index

    def _module(self, dotted: str) -> ModuleName | None:
        """The project module a dotted module path names: itself, else the only module
        whose name ends with it, else the only one under an app it starts with."""
        if dotted in self.modules:
            return ModuleName(dotted)
        if self.resolver.is_project(dotted):
            found = self.resolver.locate(dotted, exact=True)
            if found is not None and not found.symbol:
                return found.module
        ending = self._suffixes.get(dotted, [])
        if len(ending) == 1:
            return ending[0]
        under = self.apps.modules_under(dotted, self.modules)
        return next(iter(under)) if len(under) == 1 else None

    def _path(self, dotted: str) -> Location | None:
        """A dotted path to a module or to a name in one."""
        if self.resolver.is_project(dotted):
            found = self.resolver.locate(dotted, exact=True)
            if found is not None:
                return found
        module = self._module(dotted)
        if module is not None:
            return Location(module, "")
        head, _, name = dotted.rpartition(".")
        module = self._module(head) if head else None
        return self._in_module(module, name) if module is not None else None

    def _in_module(self, module: ModuleName, name: str) -> Location:
        found = self.resolver.locate(f"{module}.{name}", exact=True)
        return found if found is not None else Location(module, "")

    # ------------------------------------------------------------------ bindings

    def _bindings(self) -> None:
        for module, hook in self.hooks[HookKind.BINDING]:
            target = self._named(module, hook.names[0], hook.scope)
            if target is not None and (target.module, target.symbol) in self.classes:
                self._edge(module, hook, target, EdgeKind.MODEL_BINDING)

    def _simple(self) -> None:
        for hook_kind, edge_kind in _SIMPLE.items():
            for module, hook in self.hooks[hook_kind]:
                target = self._named(module, hook.names[0], hook.scope)
                if target is not None:
                    self._edge(module, hook, target, edge_kind)

    # ------------------------------------------------------------------ url, loader

    def _paths(self) -> None:
        for module, hook in self.hooks[HookKind.URL]:
            target = self._path(hook.strings[0])
            if target is not None:
                self._edge(module, hook, target, EdgeKind.URL)
        for module, hook in self.hooks[HookKind.LOADER]:
            if len(hook.strings) == 1:  # import_string("x.y.Z")
                target = self._path(hook.strings[0])
                if target is not None:
                    self._edge(module, hook, target, EdgeKind.LOADER)
                continue
            found = self._module(hook.strings[0])  # get_class(es)("app.module", names)
            if found is None:
                continue
            for name in dict.fromkeys(hook.strings[1:]):
                self._edge(module, hook, self._in_module(found, name), EdgeKind.LOADER)

    # ------------------------------------------------------------------ task

    @cached_property
    def _task_names(self) -> dict[str, list[Location]]:
        """Celery tasks by name: ``name=`` when given, else module.function."""
        names: dict[str, list[Location]] = defaultdict(list)
        for module, hook in self.hooks[HookKind.TASK]:
            function = hook.subject
            name = hook.strings[0] if hook.strings else f"{module}.{function}"
            names[name].append(Location(module, function.partition(".")[0]))
        return names

    def _tasks(self) -> None:
        for kind in (HookKind.TASK_CALL, HookKind.SCHEDULE):
            for module, hook in self.hooks[kind]:
                name = hook.strings[0]
                target = unique_location(self._task_names.get(name, []))
                if target is None and "." in name:
                    target = self._path(name)
                    if target is not None and not target.symbol:
                        target = None  # a task is a function, not a module
                if target is not None:
                    self._edge(module, hook, target, EdgeKind.TASK)


_NEEDS_NAMES = frozenset(
    {HookKind.ADMIN, HookKind.BINDING, HookKind.BLUEPRINT, HookKind.ROUTER, HookKind.DEPENDS}
)
_NEEDS_STRINGS = frozenset(
    {HookKind.MODEL, HookKind.LOADER, HookKind.URL, HookKind.TASK_CALL, HookKind.SCHEDULE}
)


def _well_formed(hook: HookRef) -> bool:
    """The hook holds what its kind reads (the visitor makes no other; facts built by hand
    may)."""
    if hook.kind in _NEEDS_NAMES:
        return bool(hook.names)
    if hook.kind in _NEEDS_STRINGS:
        return bool(hook.strings) and (hook.kind is not HookKind.MODEL or len(hook.strings) <= 2)
    if hook.kind is HookKind.APP_CONFIG:
        return len(hook.strings) == 2
    if hook.kind is HookKind.SETTING and hook.hook == "AUTH_USER_MODEL":
        return bool(hook.strings)
    return True


def unique_location(candidates: list[Location]) -> Location | None:
    return candidates[0] if len(candidates) == 1 else None
