"""Dependency graphs and fused similarity graphs written as short strings, for the cluster
stage's unit tests: ``graph("a.x -> a.y", "a.y -> b.z:call*3")`` and
``fused("a - b 2.0", "b - c 0.5:vocabulary")``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from decompose.cluster import DEFAULT_EDGE_WEIGHTS
from decompose.cluster._fusion import FusedGraph
from decompose.cluster._links import links_of
from decompose.cluster._signals import SignalInput
from decompose.model import (
    DataModel,
    Definition,
    DefinitionKind,
    DependencyGraph,
    EdgeKind,
    ModuleEdge,
    ModuleInfo,
    ModuleName,
    ParseStatus,
)

__all__ = ["graph", "signal_input", "fused", "pairs_of", "clique", "clique_ties", "ring_of_cliques"]


def graph(
    *edges: str,
    modules: Iterable[str] = (),
    lines: Mapping[str, int] | None = None,
    definitions: Mapping[str, Iterable[str]] | None = None,
) -> DependencyGraph:
    """A graph from edges ``"source -> target[:kind][*uses]"`` (kind ``import`` and one use
    by default; a repeated edge adds its uses). Every module named is in the graph, with
    ``modules`` for those without edges; a module has 100 lines unless ``lines`` says
    otherwise, and the classes (capitalised) and functions ``definitions`` gives it."""
    lines = lines or {}
    definitions = definitions or {}
    uses: dict[tuple[str, str, EdgeKind], int] = defaultdict(int)
    names = set(modules) | set(definitions)
    for spec in edges:
        source, _, rest = (part.strip() for part in spec.partition("->"))
        target, _, kind_and_count = rest.partition(":")
        kind, _, count = kind_and_count.partition("*")
        uses[(source, target.strip(), EdgeKind(kind or "import"))] += int(count or 1)
        names |= {source, target.strip()}
    infos = tuple(
        ModuleInfo(
            ModuleName(name),
            name.replace(".", "/") + ".py",
            False,
            lines.get(name, 100),
            ParseStatus.OK,
            _definitions(definitions.get(name, ())),
            (),
            (),
        )
        for name in sorted(names)
    )
    module_edges = tuple(
        sorted(
            ModuleEdge(ModuleName(s), ModuleName(t), kind, count, tuple(range(1, count + 1)))
            for (s, t, kind), count in uses.items()
        )
    )
    return DependencyGraph(modules=infos, edges=module_edges, symbol_edges=())


def signal_input(
    dependency_graph: DependencyGraph,
    members: Iterable[str] | None = None,
    data: DataModel | None = None,
    edge_weights: Mapping[str, float] = DEFAULT_EDGE_WEIGHTS,
) -> SignalInput:
    """What the signals read: every module of the graph clustered unless ``members`` says.

    The links are indexed by every module, as ``cluster_modules`` hands them on (its kernel
    step reads ``users[m]`` of each): ``links_of`` alone leaves out the modules nobody uses,
    which ``code_pairs`` does not survive (see test_code_pairs_read_links_as_links_of_gives_them)."""
    names = [m.name for m in dependency_graph.modules]
    chosen = frozenset(members) if members is not None else frozenset(names)
    links = links_of(dependency_graph)
    for name in names:
        links.users[name], links.uses[name]  # noqa: B018 - defaultdicts: index every module
    return SignalInput(dependency_graph, data, chosen, links, edge_weights)


def fused(*pairs: str, nodes: Iterable[str] = ()) -> FusedGraph:
    """A fused graph from ``"a - b weight[:label]"`` (label ``call`` by default)."""
    weights: dict[tuple[str, str], float] = defaultdict(float)
    parts: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    names = set(nodes)
    for spec in pairs:
        left, _, rest = (part.strip() for part in spec.partition(" - "))
        right, weight_and_label = rest.split()
        weight, _, label = weight_and_label.partition(":")
        pair = (left, right) if left < right else (right, left)
        weights[pair] += float(weight)
        parts[pair][label or "call"] += float(weight)
        names |= {left, right}
    return FusedGraph(
        tuple(sorted(names)), dict(weights), {pair: dict(labels) for pair, labels in parts.items()}
    )


def pairs_of(pairs: Iterable[tuple[str, str, float, str]]) -> set[str]:
    """Signal pairs as ``"a - b"``."""
    return {f"{a} - {b}" for a, b, _, _ in pairs}


def clique(prefix: str, size: int, kind: str = "call") -> list[str]:
    """Edges joining every two of ``prefix.m0`` ... ``prefix.m{size-1}``."""
    names = [f"{prefix}.m{i}" for i in range(size)]
    return [f"{a} -> {b}:{kind}" for i, a in enumerate(names) for b in names[i + 1 :]]


def clique_ties(prefix: str, size: int, weight: float = 1.0) -> list[str]:
    """Fused ties of ``weight`` joining every two of ``prefix.m0`` ... ``prefix.m{size-1}``."""
    names = [f"{prefix}.m{i}" for i in range(size)]
    return [f"{a} - {b} {weight}" for i, a in enumerate(names) for b in names[i + 1 :]]


def ring_of_cliques(count: int, size: int, link: float, links: int = 1) -> list[str]:
    """``count`` cliques of ``size`` (``c0.m0`` ...), each tied to the next by ``links`` ties of
    ``link`` (``c0.m0 - c1.m1``, ``c0.m2 - c1.m3``, ...), no module carrying two."""
    ties = [tie for k in range(count) for tie in clique_ties(f"c{k}", size)]
    return ties + [
        f"c{k}.m{2 * t} - c{(k + 1) % count}.m{2 * t + 1} {link}" for k in range(count) for t in range(links)
    ]


def _definitions(names: Iterable[str]) -> tuple[Definition, ...]:
    return tuple(
        Definition(
            name, DefinitionKind.CLASS if name[:1].isupper() else DefinitionKind.FUNCTION, 10 * i, 10 * i + 5
        )
        for i, name in enumerate(names, start=1)
    )
