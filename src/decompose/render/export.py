"""The accepted proposal in other tools' languages: import-linter and tach configs that
enforce it, Graphviz and Mermaid diagrams that show it. Text builders only: every rule
comes from ``decompose.boundaries``.

Every name written here comes from the analysed code (module names from file names,
service names from ``[tool.decompose.pin]``), so every one is quoted for the format it is
written in: a file called ``x"]; evil`` cannot add a contract or a node.

import-linter semantics: one ``forbidden`` contract per service (``as_packages = false``,
``allow_indirect_imports = true``): the service's modules may not directly import any
module outside what ``Boundaries.importable_by`` allows. That passes on today's code and
fails exactly when a module imports one that the proposal does not let its service use.
No ``independence`` or ``layers`` contract: both treat every listed module as a package
with all its submodules and check indirect chains, so a service that holds a package's
``__init__`` but not its submodules, or two allowed dependencies in a row, would break
them on code that keeps the proposal. When the services' dependencies are acyclic, the
forbidden contracts already reject every import that would close a cycle.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

from decompose._version import __version__
from decompose.boundaries import Boundaries, ServiceBoundary, boundaries, compress
from decompose.model import ModuleInfo, ModuleName, ServiceKind
from decompose.stored import StoredAnalysis

__all__ = ["FORMATS", "export", "import_linter_config", "tach_config", "dot_graph", "mermaid_graph"]


def export(stored: StoredAnalysis, format: str) -> str:
    """The proposal in ``format`` (one of ``FORMATS``)."""
    return FORMATS[format](stored)


# ------------------------------------------------------------------------------ import-linter


def import_linter_config(stored: StoredAnalysis) -> str:
    """``[tool.importlinter]`` with one forbidden contract per service (see the module doc)."""
    rules = _rules(stored)
    packages = frozenset(m.name for m in rules.modules if m.is_package)
    checked = [m for m in rules.modules if _checkable(m, packages)]
    checked_names = {m.name for m in checked}
    unchecked = [m.name for m in rules.modules if m.name not in checked_names]
    roots = sorted({m.name.top for m in checked})
    lines = _header(stored, "import-linter", "lint-imports --config FILE", rules)
    lines += [
        "# Each service's modules may import only its own modules, those of the services the proposal",
        "# lets it depend on, and package facades that re-export them (direct imports; import-linter",
        "# 2.3 or newer). Run it from the folder the top-level packages are in: "
        + ", ".join(_comment(r) for r in _source_roots(rules.modules)),
    ]
    if unchecked:
        lines.append(
            f"# Not checked: {len(unchecked)} module(s) outside a package import-linter can see, e.g. "
            + ", ".join(_comment(n) for n in unchecked[:5])
        )
    lines += ["", "[tool.importlinter]", f"root_packages = {_toml_list(roots)}"]
    for index, service in enumerate(rules.services, start=1):
        sources = [m for m in service.modules if m in checked_names]
        allowed = rules.importable_by(service)
        forbidden = [m for m in checked_names if m not in allowed]
        lines.append("")
        if not sources or not forbidden:
            reason = "none of its modules can be checked" if not sources else "it may use every other service"
            lines.append(f"# {_comment(service.name)}: no contract, {reason}")
            continue
        lines += [
            "[[tool.importlinter.contracts]]",
            f"id = {_toml_string(f'decompose-{index}')}",
            f"name = {_toml_string(_contract_name(service))}",
            'type = "forbidden"',
            f"source_modules = {_toml_list(_expressions(sources, rules))}",
            f"forbidden_modules = {_toml_list(_expressions(forbidden, rules))}",
            "as_packages = false",
            "allow_indirect_imports = true",
        ]
    return "\n".join(lines) + "\n"


def _contract_name(service: ServiceBoundary) -> str:
    uses = ", ".join(service.may_use) if service.may_use else "no other service"
    return f"Service {service.name} imports only from {uses}"


def _expressions(names: Iterable[ModuleName], rules: Boundaries) -> list[str]:
    """Module expressions: a package written whole as ``pkg`` and ``pkg.**``."""
    expressions = []
    for name, whole in compress(names, rules.modules, rules.excluded):
        expressions.append(name)
        if whole:
            expressions.append(f"{name}.**")
    return expressions


def _checkable(module: ModuleInfo, packages: frozenset[str]) -> bool:
    """Whether grimp sees the module: a valid dotted name inside regular packages (a
    top-level single-file module cannot be a root package)."""
    if not _importable_name(module.name):
        return False
    if module.name.depth == 1:
        return module.is_package
    return all(package in packages for package in module.name.ancestors)


# ------------------------------------------------------------------------------ tach


def tach_config(stored: StoredAnalysis) -> str:
    """``tach.toml``: each service's modules as one ``[[modules]]`` entry (``paths``) with the
    modules it may use as ``depends_on``, and its API surface as ``[[interfaces]]``."""
    rules = _rules(stored)
    declared = {m.name for m in rules.modules if _importable_name(m.name)}
    lines = _header(stored, "tach", "tach check", rules)
    lines += [
        "# Each service's modules may import only its own modules, those of the services the proposal",
        "# lets it depend on, and package facades that re-export them; other services' modules only",
        "# through the names in their interface (the service's API surface). Put this file in the",
        "# analysed folder.",
        "",
        f"source_roots = {_toml_list(_source_roots(rules.modules))}",
        f"exclude = {_toml_list(_glob_literal(x.path) for x in rules.excluded)}",
        "exact = false",
        'root_module = "ignore"',
    ]
    for service in rules.services:
        paths = [m for m in service.modules if m in declared]
        lines.append("")
        if not paths:
            lines.append(f"# {_comment(service.name)}: no module with an importable name")
            continue
        allowed = [m for m in rules.importable_by(service) if m in declared]
        depends_on = []
        for name, whole in compress(allowed, rules.modules, rules.excluded):
            depends_on.append(name)
            if whole:
                depends_on.append(f"{name}.**")
        lines += [
            f"# service {_comment(service.name)}: {len(paths)} modules, may use "
            + (", ".join(_comment(s) for s in service.may_use) or "no other service"),
            "[[modules]]",
            f"paths = {_toml_list(paths)}",
            f"depends_on = {_toml_list(depends_on)}",
            "",
            "[[interfaces]]",
            'expose = [".*"]',
            f"from = {_toml_list(_exact(p) for p in paths)}",
            f"visibility = {_toml_list(paths)}",
        ]
    for module, names in rules.interfaces:
        if module not in declared:
            continue
        lines += [
            "",
            "[[interfaces]]",
            f"expose = {_toml_list(_exact(n) for n in names)}",
            f"from = {_toml_list([_exact(module)])}",
        ]
    return "\n".join(lines) + "\n"


def _exact(name: str) -> str:
    """A regular expression matching exactly ``name``."""
    return f"^{re.escape(name)}$"


def _glob_literal(path: str) -> str:
    """A path as a glob that matches only itself (and, for a folder, what is under it)."""
    return re.sub(r"([*?\[\]])", r"[\1]", path)


# ------------------------------------------------------------------------------ diagrams


def dot_graph(stored: StoredAnalysis) -> str:
    """Graphviz: services as boxes (the shared kernel grey and dashed), dependencies as edges
    labelled with cross-service calls and uses, edges on a cycle red."""
    services = stored.decomposition.services
    on_cycle = _cycle_links(stored)
    lines = [
        f"// decompose {__version__}: the proposed services of {_comment(stored.project)}",
        "// edge labels: cross-service calls / all uses; red edges close a cycle between services",
        "digraph services {",
        f"  graph [rankdir=LR, label={_dot_string(stored.project + ' (proposed services)')}, labelloc=t];",
        '  node [shape=box, style="rounded,filled", fillcolor="#e8f0fe", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10, color="#5f6368"];',
    ]
    for service in services:
        label = f"{service.name}\n{len(service.modules)} modules, {service.lines:,} lines"
        style = ', style="rounded,filled,dashed", fillcolor="#eeeeee"' if service.kind == ServiceKind.SHARED else ""
        lines.append(f"  {_dot_string(service.name)} [label={_dot_string(label)}{style}];")
    heaviest = max((d.weight for s in services for d in s.depends_on), default=1)
    for service in services:
        for dependency in service.depends_on:
            calls = dict(dependency.kinds).get("call", 0)
            width = 1 + 3 * dependency.weight / heaviest
            cycle = (
                ', color="#d93025", fontcolor="#d93025"'
                if (service.name, dependency.service) in on_cycle
                else ""
            )
            lines.append(
                f"  {_dot_string(service.name)} -> {_dot_string(dependency.service)} "
                f'[label="{calls} / {dependency.weight}", weight={dependency.weight}, '
                f"penwidth={width:.1f}{cycle}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def mermaid_graph(stored: StoredAnalysis) -> str:
    """Mermaid flowchart: the same picture as ``dot_graph``."""
    services = stored.decomposition.services
    ids = {service.name: f"s{index}" for index, service in enumerate(services)}
    on_cycle = _cycle_links(stored)
    lines = [
        f"%% decompose {__version__}: the proposed services of {_comment(stored.project)}",
        "%% edge labels: cross-service calls / all uses; red edges close a cycle between services",
        "flowchart LR",
        "  classDef service fill:#e8f0fe,stroke:#1a73e8",
        "  classDef shared fill:#eeeeee,stroke:#5f6368,stroke-dasharray:5 5",
    ]
    for service in services:
        size = _mermaid_text(f"{len(service.modules)} modules, {service.lines:,} lines")
        label = f"<b>{_mermaid_text(service.name)}</b><br/>{size}"
        kind = "shared" if service.kind == ServiceKind.SHARED else "service"
        lines.append(f'  {ids[service.name]}["{label}"]:::{kind}')
    red = []
    index = 0
    for service in services:
        for dependency in service.depends_on:
            if dependency.service not in ids:
                continue
            calls = dict(dependency.kinds).get("call", 0)
            lines.append(
                f'  {ids[service.name]} -->|"{calls} / {dependency.weight}"| {ids[dependency.service]}'
            )
            if (service.name, dependency.service) in on_cycle:
                red.append(index)
            index += 1
    for chunk in range(0, len(red), 50):
        indices = ",".join(str(i) for i in red[chunk : chunk + 50])
        lines.append(f"  linkStyle {indices} stroke:#d93025,stroke-width:2px")
    return "\n".join(lines) + "\n"


def _cycle_links(stored: StoredAnalysis) -> set[tuple[str, str]]:
    links = set()
    for cycle in stored.decomposition.cycles:
        ring = cycle.services
        links.update(zip(ring, ring[1:] + ring[:1], strict=True))
    return links


# ------------------------------------------------------------------------------ shared


FORMATS = {
    "import-linter": import_linter_config,
    "tach": tach_config,
    "dot": dot_graph,
    "mermaid": mermaid_graph,
}


def _rules(stored: StoredAnalysis) -> Boundaries:
    return boundaries(stored.graph, stored.decomposition, stored.excluded)


def _header(stored: StoredAnalysis, tool: str, command: str, rules: Boundaries) -> list[str]:
    acyclic = "acyclic" if rules.is_acyclic() else "with cycles"
    return [
        f"# {tool} configuration generated by decompose {__version__} from the analysis of "
        f"{_comment(stored.project)}:",
        f"# {len(rules.services)} proposed services, their dependencies {acyclic}. Check with: {command}",
    ]


def _source_roots(modules: Iterable[ModuleInfo]) -> list[str]:
    """Folders (relative to the analysed one) that the module names are relative to."""
    roots = set()
    for module in modules:
        depth = (module.name if module.is_package else module.name.parent).depth
        parts = module.path.split("/")
        roots.add("/".join(parts[: len(parts) - 1 - depth]) or ".")
    return sorted(roots)


def _importable_name(name: str) -> bool:
    return all(part.isidentifier() and not keyword.iskeyword(part) for part in name.split("."))


def _toml_list(values: Iterable[str]) -> str:
    items = [_toml_string(v) for v in values]
    if sum(len(i) + 2 for i in items) < 80:
        return "[" + ", ".join(items) + "]"
    return "[\n" + "".join(f"    {i},\n" for i in items) + "]"


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in value:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F or 0xD800 <= ord(char) <= 0xDFFF:
            out.append(f"\\u{0xFFFD if 0xD800 <= ord(char) <= 0xDFFF else ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _comment(text: str) -> str:
    """Text safe inside a one-line comment of any of the formats (no line breaks)."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


def _dot_string(value: str) -> str:
    """A Graphviz quoted string; a line break becomes Graphviz's centred-line escape."""
    escaped = []
    for char in value:
        if char == "\n":
            escaped.append("\\n")
        elif char in ('"', "\\"):
            escaped.append("\\" + char)
        elif not char.isprintable():
            escaped.append("\ufffd")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _mermaid_text(value: str) -> str:
    """Text for a quoted Mermaid label: anything beyond letters, digits and a few marks is an
    entity code, so no name can close the label, open a tag or start a directive."""
    return "".join(c if c.isalnum() or c in " -_.,/" else f"#{ord(c)};" for c in value)
