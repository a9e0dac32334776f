"""The package signal: a module is tied to its package, a package to its parent's, where the
package holds together in the code.

A package is taken for a unit only where its modules are more coupled to one another than
to the rest (Radicchi's weak community: the edges inside, counted from both ends, outnumber
those leaving). A Django app passes; a folder of one technical layer (``views/``, whose
modules use models and forms elsewhere) does not, and so says nothing; nor does a package
of one module. The ties run through package nodes (``PACKAGE_NODE`` + name), which the
communities step drops again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from decompose.cluster._signals import PACKAGE_NODE, SignalInput, WeightedPair
from decompose.model import ModuleName

__all__ = ["package_pairs", "cohesive_packages"]


def cohesive_packages(given: SignalInput) -> set[str]:
    """Packages of at least two of the clustered modules that are weak communities of the
    whole code graph (the kernel's modules count: a package's own hub is part of it)."""
    modules = {m.name for m in given.graph.modules}
    inside: Counter = Counter()
    leaving: Counter = Counter()
    size: Counter = Counter()
    for module in given.members:
        for package in ModuleName(module).ancestors:
            size[package] += 1
    seen = set()
    for source in sorted(modules):
        for target in given.links.uses.get(source, ()):
            if target not in modules or target == source:
                continue
            pair = (source, target) if source < target else (target, source)
            if pair in seen:
                continue
            seen.add(pair)
            left, right = set(ModuleName(source).ancestors), set(ModuleName(target).ancestors)
            for package in left & right:
                inside[package] += 1
            for package in left ^ right:
                leaving[package] += 1
    return {p for p, n in size.items() if n >= 2 and 2 * inside[p] > leaving[p]}


def package_pairs(given: SignalInput) -> Iterator[WeightedPair]:
    cohesive = cohesive_packages(given)
    ties: set[tuple[str, str]] = set()
    for module in sorted(given.members):
        child = module
        for package in ModuleName(module).ancestors:  # nearest first
            if package not in cohesive:
                break
            ties.add((child, PACKAGE_NODE + package))
            child = PACKAGE_NODE + package
    for child, parent in sorted(ties):
        a, b = (child, parent) if child < parent else (parent, child)
        yield a, b, 1.0, "package"
