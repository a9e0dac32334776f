"""Framework hooks (``HookRef``): the calls, decorators, class attributes and settings by
which a framework joins code by name rather than by import (``admin.site.register(Order)``,
``@receiver(order_placed)``, ``include("shop.urls")``, ``INSTALLED_APPS``).

A hook is recognised by its shape alone (a call by the callee's last name) and recorded as
written; the graph stage (``graph/_wiring.py``) resolves what it names.
"""

from __future__ import annotations

import ast

from decompose.model import HookKind, HookRef
from decompose.parse._nodes import DOTTED_STRING, dotted_name, literal_assignment, printable
from decompose.parse._orm import manager_chain

__all__ = ["HOOK_CALLS", "HookVisitor", "unshadowed_hooks"]

# Calls that are hooks, by the callee's last name, when their arguments have the shape.
HOOK_CALLS = frozenset(
    {
        "get_model",
        "get_class",
        "get_classes",
        "import_string",
        "include",
        "path",
        "re_path",
        "url",
        "send_task",
        "signature",
        "subtask",
        "connect",
        "register",
        "register_blueprint",
        "include_router",
        "Depends",
        "Security",
    }
)
_SIGNAL_CLASSES = ("Signal", "signal")  # Signal(), ModelSignal(), pretix's EventPluginSignal()
_TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task"})
_MAX_HOOK_STRING = 200  # a longer literal is no module path, task or model name
_MAX_HOOK_ITEMS = 64  # names or strings read from one list argument


class HookVisitor:
    """The fact visitor's part that records hooks: it needs the visitor's ``hooks`` list,
    its current ``scope`` and its ``generic_visit``."""

    def visit_Dict(self, node: ast.Dict) -> None:
        """``{"task": "shop.tasks.cancel", ...}``: a Celery beat schedule entry."""
        for key, value in zip(node.keys, node.values, strict=False):
            if type(key) is ast.Constant and key.value == "task":
                text = _hook_string(value)
                if text is not None:
                    self._hook(HookKind.SCHEDULE, "task", value, strings=(text,))
        self.generic_visit(node)

    def _hook(
        self,
        kind: HookKind,
        hook: str,
        node: ast.AST,
        names: tuple[str, ...] = (),
        strings: tuple[str, ...] = (),
        subject: str = "",
    ) -> None:
        line = node.lineno
        self.hooks.append(
            HookRef(kind, hook, names, strings, line, node.end_lineno or line, self.scope.qualname, subject)
        )

    def _hook_call(self, callee: str, last: str, node: ast.Call) -> None:
        """Record a call that wires code by name (``HookKind``), if its arguments have the
        shape the hook takes; anything else (a variable, a wrong arity) is no hook."""
        args = node.args
        if last == "get_model":
            strings = _hook_strings(args[:2])
            if not strings:
                strings = _hook_strings(
                    [k.value for k in node.keywords if k.arg in ("app_label", "model_name")]
                )
            if strings and len(strings) <= 2:
                self._hook(HookKind.MODEL, callee, node, strings=strings)
        elif last == "get_class" or last == "get_classes":
            if len(args) < 2:
                return
            module = _hook_string(args[0])
            names = (_hook_string(args[1]),) if last == "get_class" else _hook_list_strings(args[1])
            if module is not None and names and all(n is not None for n in names):
                self._hook(HookKind.LOADER, callee, node, strings=(module, *names))
        elif last == "import_string":
            text = _hook_string(args[0]) if args else None
            if text is not None:
                self._hook(HookKind.LOADER, callee, node, strings=(text,))
        elif last == "include":
            first = args[0] if args else None
            if type(first) is ast.Tuple and first.elts:
                first = first.elts[0]  # include(("app.urls", "app_name"))
            text = _hook_string(first)
            if text is not None:
                self._hook(HookKind.URL, callee, node, strings=(text,))
        elif last in ("path", "re_path", "url"):
            text = _hook_string(args[1]) if len(args) >= 2 else None
            if text is not None and DOTTED_STRING.fullmatch(text):
                self._hook(HookKind.URL, callee, node, strings=(text,))
        elif last in ("send_task", "signature", "subtask"):
            text = _hook_string(args[0]) if args else None
            if text is not None:
                self._hook(HookKind.TASK_CALL, callee, node, strings=(text,))
        elif last == "connect":
            signal = callee.rpartition(".")[0]
            if signal and (args or node.keywords):
                self._hook_receiver(callee, (signal,), node)
        elif last == "register":
            site = callee.rpartition(".")[0].rpartition(".")[2]
            if site.endswith("site") and args:
                names = _hook_names(args[0])
                if names:
                    self._hook(HookKind.ADMIN, callee, node, names=names)
        else:  # register_blueprint, include_router, Depends, Security
            keyword = {"include_router": "router", "register_blueprint": "blueprint"}.get(last, "dependency")
            first = args[0] if args else next((k.value for k in node.keywords if k.arg == keyword), None)
            name = dotted_name(first) if first is not None else None
            if name:
                kind = {"register_blueprint": HookKind.BLUEPRINT, "include_router": HookKind.ROUTER}.get(
                    last, HookKind.DEPENDS
                )
                self._hook(kind, callee, node, names=(name,))

    def _hook_receiver(self, callee: str, signals: tuple[str, ...], node: ast.Call) -> None:
        sender = next((k.value for k in node.keywords if k.arg == "sender"), None)
        subject = (dotted_name(sender) or "") if sender is not None else ""
        lazy = _hook_string(sender)
        self._hook(
            HookKind.RECEIVER,
            callee,
            node,
            names=signals,
            strings=(lazy,) if lazy is not None else (),
            subject=subject,
        )

    def _hook_decorator(self, node: ast.expr, subject: str, function: bool) -> None:
        """``@receiver(...)`` and ``@admin.register(...)``; on a function, ``@app.task``."""
        call = node if type(node) is ast.Call else None
        callee = dotted_name(call.func if call is not None else node)
        if callee is None:
            return
        last = callee.rpartition(".")[2]
        if last == "receiver" and call is not None and call.args:
            signals = _hook_names(call.args[0])
            if signals:
                self._hook_receiver(callee, signals, call)
        elif last in _TASK_DECORATORS and function:
            name = next((k.value for k in call.keywords if k.arg == "name"), None) if call else None
            text = _hook_string(name)
            self._hook(HookKind.TASK, callee, node, strings=(text,) if text else (), subject=subject)
        elif last == "register" and call is not None and not function:
            names = tuple(n for a in call.args[:_MAX_HOOK_ITEMS] if (n := dotted_name(a)))
            if names:
                self._hook(HookKind.ADMIN, callee, call, names=names)

    def _hook_assignment(self, name: str, value: ast.expr, node: ast.Assign) -> None:
        """In a class body, ``model = Order`` and ``queryset = Order.objects...``; at module
        level, ``order_placed = Signal()`` and the settings ``_hook_setting`` reads."""
        if self.scope.kind == "class":
            if name == "model":
                dotted = dotted_name(value)
                if dotted:
                    self._hook(HookKind.BINDING, name, node, names=(dotted,))
            elif name == "queryset":
                dotted = manager_chain(value)
                if dotted and "." in dotted:
                    self._hook(HookKind.BINDING, name, node, names=(dotted,))
            return
        if type(value) is ast.Call:
            callee = dotted_name(value.func)
            if callee and callee.rpartition(".")[2].endswith(_SIGNAL_CLASSES):
                self._hook(HookKind.SIGNAL, callee, node, subject=name)
                return
        self._hook_setting(name, value, node)

    def _hook_setting(self, name: str, value: ast.expr, node: ast.stmt) -> None:
        if name == "AUTH_USER_MODEL":
            text = _hook_string(value)
            if text is not None:
                self._hook(HookKind.SETTING, name, node, strings=(text,))
        elif name.endswith("_APPS") and name.isupper():
            strings = _hook_app_strings(value)
            if strings:
                self._hook(HookKind.SETTING, name, node, strings=strings)

    def _hook_app_config(self, node: ast.ClassDef, qualname: str) -> None:
        """A class that may be a Django ``AppConfig``: its literal ``name`` and ``label``."""
        found = {"name": "", "label": ""}
        for statement in node.body:
            if type(statement) is ast.Assign or type(statement) is ast.AnnAssign:
                target, value = literal_assignment(statement)
                if target in found and value is not None and len(value) <= _MAX_HOOK_STRING:
                    found[target] = value
        if found["name"] or found["label"]:
            self._hook(
                HookKind.APP_CONFIG,
                node.name,
                node,
                strings=(found["name"], found["label"]),
                subject=qualname,
            )


def unshadowed_hooks(hooks: list[HookRef], local: set[str]) -> list[HookRef]:
    """Hooks recorded in a function body, less the names the function binds itself."""
    kept = []
    for hook in hooks:
        names = tuple(n for n in hook.names if n.partition(".")[0] not in local)
        subject = hook.subject
        if hook.kind is HookKind.RECEIVER and subject.partition(".")[0] in local:
            subject = ""
        if names != hook.names or subject != hook.subject:
            if not names and hook.kind is not HookKind.RECEIVER:
                continue
            hook = hook._replace(names=names, subject=subject)
        kept.append(hook)
    return kept


def _hook_string(node: ast.AST | None) -> str | None:
    """A literal string short enough to name code, else None."""
    if type(node) is ast.Constant and type(node.value) is str and 0 < len(node.value) <= _MAX_HOOK_STRING:
        return printable(node.value)
    return None


def _hook_strings(nodes) -> tuple[str, ...]:
    """The literal strings ``nodes`` are, or () when one of them is not."""
    strings = tuple(_hook_string(n) for n in nodes)
    return strings if strings and all(s is not None for s in strings) else ()


def _hook_list_strings(node: ast.AST) -> tuple[str | None, ...]:
    if type(node) is ast.List or type(node) is ast.Tuple:
        return tuple(_hook_string(e) for e in node.elts[:_MAX_HOOK_ITEMS])
    return ()


def _hook_names(node: ast.AST) -> tuple[str, ...]:
    """A dotted name, or the dotted names in a list or tuple literal."""
    if type(node) is ast.List or type(node) is ast.Tuple:
        return tuple(n for e in node.elts[:_MAX_HOOK_ITEMS] if (n := dotted_name(e)))
    name = dotted_name(node)
    return (name,) if name else ()


def _hook_app_strings(node: ast.AST) -> tuple[str, ...]:
    """The literal strings of a list or tuple, or of a sum of them (``A + ["x"]``)."""
    found: list[str] = []
    pending = [node]
    while pending and len(found) < 10 * _MAX_HOOK_ITEMS:
        current = pending.pop()
        if type(current) is ast.BinOp and type(current.op) is ast.Add:
            pending += [current.right, current.left]
        elif type(current) is ast.List or type(current) is ast.Tuple:
            found.extend(s for e in current.elts if (s := _hook_string(e)) is not None)
    return tuple(found)
