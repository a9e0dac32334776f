"""Framework wiring: the dependencies a framework makes by name, resolved to typed edges.

The parse stage records each hook as written (``HookRef``: a call, decorator, class
attribute or setting, by its shape); here they meet the rest of the project:

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
from typing import NamedTuple

from decompose.graph._models import Key, Models, find_models, unique
from decompose.graph._resolve import Location, Resolver
from decompose.model import (
    DefinitionKind,
    EdgeKind,
    Entity,
    EntityKind,
    HookKind,
    HookRef,
    ModuleName,
    ParseResult,
    ReferenceKind,
)

__all__ = ["WiringEdge", "add_wiring", "wiring_edges"]

_APP_CONFIG_BASES = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})
_USER_MODEL = frozenset({"django.conf.settings.AUTH_USER_MODEL", "django.contrib.auth.get_user_model"})
# The untyped uses a wiring edge may take over, the likeliest first.
_UNTYPED = (EdgeKind.REFERENCE, EdgeKind.STRING, EdgeKind.CALL, EdgeKind.ANNOTATION, EdgeKind.DECORATOR)
_SIMPLE = {
    HookKind.BLUEPRINT: EdgeKind.BLUEPRINT,
    HookKind.ROUTER: EdgeKind.ROUTER,
    HookKind.DEPENDS: EdgeKind.DEPENDS,
}


class WiringEdge(NamedTuple):
    """One framework dependency: from ``module`` (code in ``scope``) to ``target``."""

    module: ModuleName
    scope: str
    target: Location
    kind: EdgeKind
    line: int
    end_line: int  # the untyped uses of the target within line..end_line are this one


def add_wiring(builder, results: Sequence[ParseResult]) -> None:
    """Add the framework edges of ``results`` to the graph stage's ``builder`` (its
    ``_add`` and its edge tables), each taking over one untyped use it explains."""
    edges = wiring_edges(builder.resolver, results)
    if edges:
        _Claims(builder._lines, builder._symbols).apply(edges, builder._add)


def wiring_edges(resolver: Resolver, results: Sequence[ParseResult]) -> list[WiringEdge]:
    """Every framework dependency in ``results``, in module order. Never raises on odd
    input: what does not resolve gives no edge."""
    return _Wiring(resolver, results).edges()


# --------------------------------------------------------------------------- resolution


class _Wiring:
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
        self._django_models()
        self._signals()
        self._admin()
        self._bindings()
        self._paths()
        self._tasks()
        self._simple()
        self._model_strings()
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
            parts = module.split(".")
            for cut in range(1, len(parts)):
                index[".".join(parts[cut:])].append(module)
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

    # ------------------------------------------------------------------ apps and models

    @cached_property
    def apps(self) -> _Apps:
        return _Apps(self)

    @cached_property
    def models(self) -> Models:
        return find_models(self.results, self.resolver)

    @cached_property
    def _labels(self) -> dict[tuple[str, str], list[Entity]]:
        """Django models by (app label, lower-cased class name): the data model's label,
        and the label of the app holding the module when ``Meta`` does not set one."""
        declared = {
            (r.file.module, m.symbol) for r in self.results for m in r.facts.model_meta if m.app_label
        }
        index: dict[tuple[str, str], list[Entity]] = defaultdict(list)
        for key, entity in self.models.by_key.items():
            if entity.kind is not EntityKind.DJANGO:
                continue
            labels = {entity.app_label}
            if key not in declared:
                labels.add(self.apps.label_for(key[0]))
            for label in labels - {None}:
                index[(label, entity.symbol.lower())].append(entity)
        return index

    def _django_model(self, label: str, name: str) -> Location | None:
        entity = unique(self._labels.get((label, name.lower()), []))
        return Location(entity.module, entity.symbol) if entity is not None and entity.module else None

    def _model_label(self, text: str) -> Location | None:
        """``"orders.Order"``."""
        label, dot, name = text.partition(".")
        return self._django_model(label, name) if dot and "." not in name else None

    # ------------------------------------------------------------------ django_model

    def _django_models(self) -> None:
        for module, hook in self.hooks[HookKind.MODEL]:
            strings = hook.strings
            target = self._django_model(*strings) if len(strings) == 2 else self._model_label(strings[0])
            self._read(module, hook, *strings)
            if target is not None:
                self._edge(module, hook, target, EdgeKind.DJANGO_MODEL)
        for result in self.results:
            module = result.file.module
            for relation in result.facts.relations:
                if not relation.is_string or relation.target == "self":
                    continue
                entity = self.models.relation_target(module, relation)
                if entity is None and relation.target.count(".") == 1:
                    located = self._model_label(relation.target)
                    kind = EdgeKind.DJANGO_MODEL
                elif entity is not None and entity.module:
                    located = Location(entity.module, entity.symbol)
                    kind = EdgeKind.DJANGO_MODEL if entity.kind is EntityKind.DJANGO else EdgeKind.ORM
                else:
                    continue
                self._relation_strings.add((module, relation.scope, relation.target))
                if located is not None:
                    self.found.append(
                        WiringEdge(module, relation.scope, located, kind, relation.line, relation.line)
                    )
        self._user_model()

    def _user_model(self) -> None:
        """Uses of ``settings.AUTH_USER_MODEL`` and ``get_user_model()``, to the model the
        settings name (when they all name the same project model)."""
        named = {
            self._model_label(hook.strings[0])
            for _, hook in self.hooks[HookKind.SETTING]
            if hook.hook == "AUTH_USER_MODEL"
        }
        if len(named) != 1 or None in named:
            return
        (user_model,) = named
        for result in self.results:
            module = result.file.module
            for reference in result.facts.references:
                if not reference.target.endswith(("AUTH_USER_MODEL", "get_user_model")):
                    continue
                qualified = self.resolver.qualified_name(module, reference.target, reference.scope) or ""
                if qualified in _USER_MODEL or qualified.endswith(".settings.AUTH_USER_MODEL"):
                    for line in reference.lines:
                        self.found.append(
                            WiringEdge(module, reference.scope, user_model, EdgeKind.DJANGO_MODEL, line, line)
                        )

    def _model_strings(self) -> None:
        """Any other ``"app_label.Model"`` string naming a project model (``"orders.Order"``
        in a ``GenericRelation``, a setting, a serializer field)."""
        candidates = [
            (result.file.module, string_ref)
            for result in self.results
            for string_ref in result.facts.string_refs
            if string_ref.value.count(".") == 1 and string_ref.value.partition(".")[2][:1].isupper()
        ]
        if not candidates or not self.models.by_key:
            return
        for module, string_ref in candidates:
            value, line = string_ref.value, string_ref.line
            if (module, string_ref.scope, value) in self._relation_strings:
                continue
            if any(start <= line <= end for start, end in self._read_strings.get((module, value), ())):
                continue
            target = self._model_label(value)
            if target is not None:
                self.found.append(
                    WiringEdge(module, string_ref.scope, target, EdgeKind.DJANGO_MODEL, line, line)
                )

    # ------------------------------------------------------------------ signals

    def _signals(self) -> None:
        receivers = self.hooks[HookKind.RECEIVER]
        if not receivers:
            return
        signals = {
            Location(module, hook.subject) for module, hook in self.hooks[HookKind.SIGNAL] if not hook.scope
        }
        senders = self._senders(signals) if signals else {}
        for module, hook in receivers:
            is_signal = hook.hook.rpartition(".")[2] == "receiver"
            for name in hook.names:
                found = self._symbol(module, name, hook.scope)
                if found is not None and found in signals:
                    is_signal = True
                    for sender, symbol in sorted(senders.get(found, {}).items()):
                        if sender != module:
                            self._edge(module, hook, Location(sender, symbol), EdgeKind.SIGNAL)
                elif _framework_signal(self.resolver.qualified_name(module, name, hook.scope)):
                    is_signal = True
            if not is_signal:
                continue  # ``engine.connect(url)`` and the like
            if hook.subject:
                target = self._named(module, hook.subject, hook.scope)
            else:
                target = self._model_label(hook.strings[0]) if hook.strings else None
                self._read(module, hook, *hook.strings)
            if target is not None:
                self._edge(module, hook, target, EdgeKind.SIGNAL)

    def _senders(self, signals: set[Location]) -> dict[Location, dict[ModuleName, str]]:
        """For each project signal, the modules that send it, each with its first sending
        top-level symbol ("" for module-level code)."""
        found: dict[Location, dict[ModuleName, str]] = defaultdict(dict)
        for result in self.results:
            module = result.file.module
            for reference in result.facts.references:
                if reference.kind is not ReferenceKind.CALL:
                    continue
                head, _, last = reference.target.rpartition(".")
                if not head or not last.startswith(("send", "asend")):  # send, send_robust, ...
                    continue
                signal = self._symbol(module, head, reference.scope)
                if signal in signals:
                    symbol = reference.scope.partition(".")[0]
                    known = found[signal].get(module)
                    found[signal][module] = symbol if known is None else min(known, symbol)
        return found

    # ------------------------------------------------------------------ admin, bindings

    def _admin(self) -> None:
        for module, hook in self.hooks[HookKind.ADMIN]:
            if not hook.hook.endswith(("admin.register", "site.register")):
                qualified = self.resolver.qualified_name(module, hook.hook, hook.scope) or ""
                if not qualified.startswith("django.contrib.admin."):
                    continue
            for name in hook.names:
                target = self._named(module, name, hook.scope)
                if target is not None:
                    self._edge(module, hook, target, EdgeKind.ADMIN)

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


def _framework_signal(qualified: str | None) -> bool:
    """A signal of Django, Flask or blinker: ``django.db.models.signals.post_save``."""
    if not qualified:
        return False
    parts = qualified.split(".")
    return parts[0] in ("blinker", "flask") or (parts[0] == "django" and "signals" in parts)


# --------------------------------------------------------------------------- apps


class _Apps:
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
                apps.add((name, label or name.rpartition(".")[2]))
        configured = {package for package, _ in apps}
        for _, hook in wiring.hooks[HookKind.SETTING]:
            if hook.hook.endswith("_APPS"):
                for name in hook.strings:
                    if name in wiring.modules and name not in configured:
                        apps.add((name, name.rpartition(".")[2]))
        self.by_package: dict[str, set[str]] = defaultdict(set)
        self.by_label: dict[str, set[str]] = defaultdict(set)
        self.by_tail: dict[str, set[str]] = defaultdict(set)  # by each dotted tail of the name
        for package, label in apps:
            self.by_package[package].add(label)
            self.by_label[label].add(package)
            parts = package.split(".")
            for cut in range(len(parts)):
                self.by_tail[".".join(parts[cut:])].add(package)

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

    def label_for(self, module: ModuleName) -> str | None:
        """The label of the app holding ``module``: the innermost app package, if its apps
        agree on one label."""
        parts = module.split(".")
        for cut in range(len(parts), 0, -1):
            labels = self.by_package.get(".".join(parts[:cut]))
            if labels:
                return next(iter(labels)) if len(labels) == 1 else None
        return None

    def modules_under(self, dotted: str, modules: frozenset[ModuleName]) -> set[ModuleName]:
        """Project modules ``<app package>.<rest>`` for ``dotted`` = ``<app>.<rest>``, the
        app named by its label (``catalogue.forms`` under the app labelled ``catalogue``, as
        django-oscar finds it), else by the tail of its name (``dashboard.catalogue``)."""
        parts = dotted.split(".")
        by_label = {
            ModuleName(f"{package}.{'.'.join(parts[1:])}") for package in self.by_label.get(parts[0], ())
        }
        found = {m for m in by_label if m in modules}
        if found or len(parts) < 2:
            return found
        for cut in range(1, len(parts)):
            rest = ".".join(parts[cut:])
            for package in self.by_tail.get(".".join(parts[:cut]), ()):
                candidate = f"{package}.{rest}"
                if candidate in modules:
                    found.add(ModuleName(candidate))
        return found


# --------------------------------------------------------------------------- claims


class _Claims:
    """The graph builder's tables of untyped uses, from which each wiring edge takes the
    one it explains: a use of the same target module within the edge's lines."""

    def __init__(self, module_lines: dict, symbol_lines: dict) -> None:
        self._module_lines = module_lines  # (source, target, kind) -> lines
        self._symbol_lines = symbol_lines  # (source, symbol, target, symbol, kind) -> lines
        self._by_pair: dict[tuple, list[tuple]] = defaultdict(list)
        for key in symbol_lines:
            if key[4] in _UNTYPED:
                self._by_pair[(key[0], key[2], key[4])].append(key)

    def apply(self, edges: list[WiringEdge], add) -> None:
        for edge in edges:
            line = self._claim(edge)
            add(edge.module, edge.scope, edge.target, edge.kind, (edge.line if line is None else line,))

    def _claim(self, edge: WiringEdge) -> int | None:
        source, target = edge.module, edge.target.module
        kinds = _UNTYPED
        line = None
        if source != target:
            for kind in _UNTYPED:
                key = (source, target, kind)
                lines = self._module_lines.get(key)
                line = _take(lines, edge.line, edge.end_line) if lines else None
                if line is not None:
                    if not lines:
                        del self._module_lines[key]
                    kinds = (kind,)
                    break
            else:
                return None
        source_symbol = edge.scope.partition(".")[0]
        for kind in kinds:
            # The use of the very symbol from the same source symbol first (a dict lookup),
            # then any other of the pair (a string naming the module of a loaded class).
            exact = (source, source_symbol, target, edge.target.symbol, kind)
            for key in (exact, *self._by_pair.get((source, target, kind), ())):
                lines = self._symbol_lines.get(key)
                taken = _take(lines, edge.line, edge.end_line) if lines else None
                if taken is not None:
                    if not lines:
                        del self._symbol_lines[key]
                    return taken if line is None else line
        return line


def _take(lines: list[int], start: int, end: int) -> int | None:
    """Remove and return one of ``lines`` within start..end."""
    for index, line in enumerate(lines):
        if start <= line <= end:
            del lines[index]
            return line
    return None
