"""Services stage: which modules go together.

Until clustering lands, each top-level package is one service; modules that sit loose
at the root of the tree (scripts such as ``manage.py``) form one service of their own.
"""

from __future__ import annotations

from collections import defaultdict

from decompose.model import Decomposition, DependencyGraph, Service, ServiceModule

__all__ = ["package_services", "LOOSE_MODULES_SERVICE"]

LOOSE_MODULES_SERVICE = "(top-level modules)"


def package_services(graph: DependencyGraph) -> Decomposition:
    """One service per top-level package; every module in exactly one service."""
    packages = {m.name for m in graph.modules if m.is_package and "." not in m.name}
    namespaces = {m.name.partition(".")[0] for m in graph.modules if "." in m.name}
    groups: dict[str, list[ServiceModule]] = defaultdict(list)
    for module in graph.modules:
        top = module.name.partition(".")[0]
        name = top if top in packages or top in namespaces else LOOSE_MODULES_SERVICE
        groups[name].append(ServiceModule(module.name, module.path))
    services = tuple(
        Service(name=name, kind="package", modules=tuple(sorted(members, key=lambda m: m.name)))
        for name, members in sorted(groups.items())
    )
    return Decomposition(services=services)
