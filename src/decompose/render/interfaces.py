"""Interface sketches: each service's API surface as a Python ``Protocol`` stub.

A team splitting a service out needs a contract to start from. The sketch lists what other
services use today, with the signatures and first docstring lines the code has, and who
uses each symbol: the first draft of the contract, to be edited, never generated again
over a team's edits (each run rewrites ``interfaces/`` in the output folder).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from decompose._io import write_atomic
from decompose.api import Analysis
from decompose.model import ApiSymbol, ApiSymbolKind, DefinitionKind, DependencyGraph, Service

__all__ = ["interface_sketch", "write_interfaces"]

_ANY_SIGNATURE = "(self, *args: Any, **kwargs: Any) -> Any"


def write_interfaces(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write ``interfaces/<service>.py`` for each service with an API; return the paths."""
    written = []
    folder = out_dir / "interfaces"
    taken: set[str] = set()
    for service in analysis.decomposition.services:
        if not service.api:
            continue
        stem = _file_stem(service.name)
        while stem in taken:  # "a.b" and "a_b" would share a file
            stem += "_"
        taken.add(stem)
        target = folder / f"{stem}.py"
        write_atomic(target, interface_sketch(service, analysis.graph).encode("utf-8"))
        written.append(target)
    return written


def interface_sketch(service: Service, graph: DependencyGraph) -> str:
    """The stub's text: one Protocol for the service's functions, one per class used."""
    definitions = {(m.name, d.name): d for m in graph.modules for d in m.definitions}
    functions = [a for a in service.api if a.kind == ApiSymbolKind.FUNCTION]
    classes = [a for a in service.api if a.kind == ApiSymbolKind.CLASS]
    variables = [a for a in service.api if a.kind not in (ApiSymbolKind.FUNCTION, ApiSymbolKind.CLASS)]
    lines = [
        f'"""Interface sketch of the {_text(service.name)} service: what other services use today.',
        "",
        "Written by decompose from the code's API surface, ranked by use. A first draft of the",
        "contract: rename, narrow and document it before other teams build on it.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any, Protocol",
        "",
    ]
    if functions:
        lines += ["", f"class {_class_name(service.name)}Service(Protocol):"]
        lines.append(f'    """Functions of {_text(service.name)} that other services call."""')
        for symbol in functions:
            lines += [""] + _method(symbol.symbol.rpartition(".")[2], symbol.signature, _about(symbol))
    for symbol in classes:
        name = symbol.symbol.rpartition(".")[2]
        lines += ["", "", f"class {name}(Protocol):", f"    {_docstring(_about(symbol))}"]
        # Symbol edges end at top-level names, so which members other services call is not
        # known: the sketch lists the class's public methods.
        prefix = symbol.symbol + "."
        for (module, qualified), definition in sorted(definitions.items()):
            member = qualified[len(prefix) :]
            if (
                module != symbol.module
                or not qualified.startswith(prefix)
                or "." in member
                or member.startswith("_")
                or definition.kind is not DefinitionKind.METHOD
            ):
                continue
            about = "Public method." + (f" {definition.doc}" if definition.doc else "")
            lines += [""] + _method(member, definition.signature, about)
    if variables:
        lines += ["", ""]
        for symbol in variables:
            name = symbol.symbol.rpartition(".")[2]
            lines.append(f"{name}: Any  # {_comment(_about(symbol))}")
    return "\n".join(lines).rstrip() + "\n"


def _method(name: str, signature: str, about: str) -> list[str]:
    signature = signature or "()"
    if not signature.startswith("(self") and not signature.startswith("(cls"):
        signature = "(self" + (", " if not signature.startswith("()") else "") + signature[1:]
    elif signature.startswith("(cls"):
        signature = "(self" + signature[4:]
    text = f"    def {name}{signature}:"
    if not _parses(f"class _P:\n{text}\n        ...\n"):
        text = f"    def {name}{_ANY_SIGNATURE}:  # the code's signature does not parse on its own"
    return [text, f"        {_docstring(about)}", "        ..."]


def _about(symbol: ApiSymbol) -> str:
    users = sorted({c.service for c in symbol.callers})
    where = f"{symbol.module}.{symbol.symbol}"
    said = f"{symbol.doc} " if symbol.doc else ""
    return f"{said}Defined in {where}; used {symbol.uses} times by {', '.join(users) or 'other services'}."


def _docstring(text: str) -> str:
    return repr(text.replace("\n", " "))


def _comment(text: str) -> str:
    return text.replace("\n", " ").replace("\r", " ")


def _text(text: str) -> str:
    return text.replace('"""', "'''").replace("\\", "/")


def _class_name(service: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", service)
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Unnamed"
    return name if name[0].isalpha() else f"S{name}"


def _file_stem(service: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", service).strip("_") or "service"
    return stem if stem[0].isalpha() else f"s_{stem}"


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True
