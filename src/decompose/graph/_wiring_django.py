"""Django's wiring: models named by app label (``apps.get_model``, ``"orders.Order"``,
``AUTH_USER_MODEL``), signal receivers and senders, admin registration. A part of
``graph/_wiring.py``'s resolver, which holds the hooks, the resolver and the edges found."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from decompose.graph._apps import Apps
from decompose.graph._claims import WiringEdge
from decompose.graph._models import Models, find_models, unique
from decompose.graph._resolve import Location, Resolver
from decompose.model import (
    EdgeKind,
    Entity,
    EntityKind,
    HookKind,
    HookRef,
    ModuleName,
    ParseResult,
    ReferenceKind,
)

__all__ = ["DjangoWiring"]

_USER_MODEL = frozenset({"django.conf.settings.AUTH_USER_MODEL", "django.contrib.auth.get_user_model"})


class DjangoWiring:
    """The Django part of the wiring resolver (mixed into ``_Wiring``)."""

    resolver: Resolver
    results: Sequence[ParseResult]
    hooks: dict[HookKind, list[tuple[ModuleName, HookRef]]]

    # ------------------------------------------------------------------ apps and models

    @cached_property
    def apps(self) -> Apps:
        return Apps(self)

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

    # ------------------------------------------------------------------ app_config

    def _app_configs(self) -> None:
        """An ``AppConfig`` subclass to the app package it names: the config declares the
        app it belongs to; once per app, however many configs a module holds for it."""
        declared: set[tuple[ModuleName, ModuleName]] = set()
        for module, hook in self.hooks[HookKind.APP_CONFIG]:
            package = self.apps.configured_package((module, hook.subject))
            if package is not None and package != module and (module, package) not in declared:
                declared.add((module, package))
                self._edge(module, hook, Location(package, ""), EdgeKind.APP_CONFIG)

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

    # ------------------------------------------------------------------ admin

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


def _framework_signal(qualified: str | None) -> bool:
    """A signal of Django, Flask or blinker: ``django.db.models.signals.post_save``."""
    if not qualified:
        return False
    parts = qualified.split(".")
    return parts[0] in ("blinker", "flask") or (parts[0] == "django" and "signals" in parts)
