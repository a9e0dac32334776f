"""Metrics stage: every figure against a value worked out by hand on a tiny graph, then the
sample measured as proposed and as its packages stand."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from decompose.metrics import (
    UNASSIGNED,
    inter_call_percentage,
    measure,
    modularity,
    non_extreme_distribution,
    structural_modularity,
    turbo_mq,
)
from decompose.model import (
    DataModel,
    Decomposition,
    Definition,
    DefinitionKind,
    DependencyGraph,
    EdgeKind,
    Entity,
    EntityKind,
    EntityUse,
    ModuleEdge,
    ModuleInfo,
    OverallMetrics,
    ParseStatus,
    Service,
    ServiceModule,
    SymbolEdge,
    UseKind,
)


def graph_of(edges: list[str], modules: dict[str, tuple], symbol_edges=()) -> DependencyGraph:
    """Module edges written ``"a -> b call 2"``; every module 10 lines long."""
    parsed = []
    for text in edges:
        source, _, target, kind, weight = text.split()
        parsed.append(ModuleEdge(source, target, EdgeKind(kind), int(weight), ()))
    infos = tuple(
        ModuleInfo(name, f"{name}.py", False, 10, ParseStatus.OK, definitions, (), ())
        for name, definitions in sorted(modules.items())
    )
    return DependencyGraph(infos, tuple(sorted(parsed)), tuple(symbol_edges))


def decomposition_of(services: dict[str, list[str]], ownership=()) -> Decomposition:
    return Decomposition(
        services=tuple(
            Service(name, "domain", tuple(ServiceModule(m, f"{m}.py") for m in members))
            for name, members in services.items()
        ),
        method="test",
        ownership=tuple(ownership),
    )


def cls(name: str, abstract: bool = False) -> Definition:
    return Definition(name, DefinitionKind.CLASS, 1, 2, abstract=abstract)


def fn(name: str, complexity: int, kind: DefinitionKind = DefinitionKind.FUNCTION) -> Definition:
    return Definition(name, kind, 1, 2, complexity=complexity)


# Two services: X = {a, b} and Y = {c, d, e}; e has no edges at all.
#   a -> b  call 2        b -> a  import 1      c -> d  call 3
#   a -> c  call 1        d -> b  import 1
EDGES = ["a -> b call 2", "b -> a import 1", "c -> d call 3", "a -> c call 1", "d -> b import 1"]
MODULES = {
    "a": (
        cls("Base", abstract=True),
        cls("Impl"),
        cls("Impl.Meta"),
        fn("f", 3),
        fn("Impl.run", 5, DefinitionKind.METHOD),
    ),
    "b": (cls("Thing"),),
    "c": (cls("Order"), fn("g", 1)),
    "d": (),
    "e": (),
}
SYMBOL_EDGES = (
    SymbolEdge("a", "f", "b", "Thing", EdgeKind.CALL, 1),  # inside X: not API
    SymbolEdge("a", "f", "c", "g", EdgeKind.CALL, 1),
    SymbolEdge("d", "", "b", "Thing", EdgeKind.IMPORT, 1),
    SymbolEdge("d", "h", "b", "Thing", EdgeKind.CALL, 1),  # the same API symbol again
    SymbolEdge("d", "", "b", "", EdgeKind.IMPORT, 1),  # the module itself: not a symbol
)
DATA = DataModel(
    entities=(
        Entity("c:Order", EntityKind.DJANGO, "c", "Order", "c_order"),
        Entity("table:logs", EntityKind.TABLE, None, "", "logs"),
    ),
    uses=(
        EntityUse("c:Order", "c", UseKind.DEFINE, (1,)),
        EntityUse("c:Order", "a", UseKind.QUERY, (4,)),
        EntityUse("table:logs", "b", UseKind.SQL, (3, 9)),
        EntityUse("table:logs", "d", UseKind.SQL, (5,)),
    ),
)


@pytest.fixture(scope="module")
def measured():
    graph = graph_of(EDGES, MODULES, SYMBOL_EDGES)
    return measure(graph, decomposition_of({"X": ["a", "b"], "Y": ["c", "d", "e"]}), DATA)


def test_overall_figures_worked_out_by_hand(measured):
    ln = math.log
    assert measured.overall.values() == {
        "services": 2,
        "modules": 5,
        # m = 8; inside X 3, inside Y 3; degrees X 8, Y 8: 2 * (3/8 - (8/16)**2)
        "modularity": 0.25,
        # CF_X = 2*3 / (2*3 + 1 + 1) = 0.75, CF_Y the same
        "mq": 1.5,
        # cohesion (2/2**2 + 1/3**2) / 2; coupling (1/(2*2*3) + 1/(2*3*2)) / 1
        "sm": round((0.5 + 1 / 9) / 2 - 1 / 6, 4),
        # calls a->b 2, c->d 3 inside, a->c 1 across
        "icp": round(ln(2) / (ln(3) + ln(4) + ln(2)), 4),
        # X publishes b:Thing, Y publishes c:g
        "ifn": 1.0,
        # X has 2 modules (a fragment), Y 3
        "ned": 0.6,
        "cross_call_share": round(1 / 6, 4),
        "cross_edges": 2,
        "cross_weight": 2,
        "cycles": 1,  # X and Y depend on each other
        "cyclic_services": 2,
    }


def test_modularity_is_networkx_modularity_of_the_undirected_sum():
    undirected = nx.Graph()
    undirected.add_weighted_edges_from([("a", "b", 3), ("c", "d", 3), ("a", "c", 1), ("d", "b", 1)])
    undirected.add_node("e")
    expected = nx.community.modularity(undirected, [{"a", "b"}, {"c", "d", "e"}], weight="weight")
    assert expected == pytest.approx(0.25)
    rng = random.Random(7)
    for _ in range(20):
        nodes = list(range(12))
        pairs = {}
        for _ in range(30):
            a, b = rng.sample(nodes, 2)
            pairs[(a, b)] = pairs.get((a, b), 0) + rng.randint(1, 5)
        labels = {n: rng.randrange(3) for n in nodes}
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        for (a, b), w in pairs.items():
            previous = graph.edges[a, b]["weight"] if graph.has_edge(a, b) else 0
            graph.add_edge(a, b, weight=previous + w)
        communities = [{n for n in nodes if labels[n] == c} for c in set(labels.values())]
        assert modularity(pairs, labels) == pytest.approx(nx.community.modularity(graph, communities))


def test_module_metrics_worked_out_by_hand(measured):
    rows = {m.module: m for m in measured.modules}
    assert [m.module for m in measured.modules] == ["a", "b", "c", "d", "e"]
    a = rows["a"]
    # a -> b, a -> c out; b -> a in.  Classes Base (abstract) and Impl; Impl.Meta is nested.
    assert (a.service, a.afferent, a.efferent, a.instability) == ("X", 1, 2, 0.6667)
    assert (a.classes, a.abstract_classes, a.abstractness) == (2, 1, 0.5)
    assert a.distance == round(abs(0.5 + 2 / 3 - 1), 4)
    assert (a.functions, a.complexity, a.max_complexity, a.lines) == (2, 8, 5, 10)
    b = rows["b"]
    assert (b.afferent, b.efferent, b.instability, b.abstractness, b.distance) == (2, 1, 0.3333, 0.0, 0.6667)
    # A module of functions only is concrete: A = 0.
    assert (rows["c"].abstractness, rows["c"].distance, rows["c"].max_complexity) == (0.0, 0.5, 1)
    # No coupling at all: instability and distance are undefined, not 0.
    e = rows["e"]
    assert (e.afferent, e.efferent, e.instability, e.distance, e.functions, e.max_complexity) == (
        0, 0, None, None, 0, 0
    )


def test_service_metrics_worked_out_by_hand(measured):
    x, y = measured.services
    assert (x.name, x.modules, x.lines, x.internal_weight, x.cohesion) == ("X", 2, 20, 3, 0.6)
    assert (x.out_edges, x.out_weight, x.out_services) == (1, 1, 1)
    assert (x.in_edges, x.in_weight, x.in_services) == (1, 1, 1)
    assert (y.name, y.modules, y.lines, y.internal_weight, y.cohesion) == ("Y", 3, 30, 3, 0.6)
    assert (x.api_size, y.api_size) == (1, 1)
    # Y owns Order (a in X queries it); the bare table logs goes to its heaviest user, X
    # (b, twice), and d in Y uses it too.
    assert (x.entities, x.entities_in_conflict, y.entities, y.entities_in_conflict) == (1, 1, 1, 1)


def test_the_decompositions_ownership_wins_over_the_defining_module():
    graph = graph_of(EDGES, MODULES, SYMBOL_EDGES)
    decomposition = decomposition_of({"X": ["a", "b"], "Y": ["c", "d", "e"]}, ownership=[("c:Order", "X")])
    x, y = measure(graph, decomposition, DATA).services
    # Order moved to X: a's query is at home now, and nobody in Y uses it.
    assert (x.entities, x.entities_in_conflict, y.entities, y.entities_in_conflict) == (2, 1, 0, 0)


def test_turbo_mq_and_structural_modularity_of_one_service_and_of_singletons():
    pairs = {("a", "b"): 2, ("b", "c"): 1}
    one = {"a": 0, "b": 0, "c": 0}
    assert turbo_mq(pairs, one) == 1.0
    assert structural_modularity(pairs, one, {0: 3}) == pytest.approx(2 / 9)
    apart = {"a": 0, "b": 1, "c": 2}
    assert turbo_mq(pairs, apart) == 0.0
    # No edge inside; coupling (1/(2*1*1) + 1/(2*1*1)) over 3 pairs
    assert structural_modularity(pairs, apart, {0: 1, 1: 1, 2: 1}) == pytest.approx(-1 / 3)


def test_icp_damps_repeated_calls_unlike_the_plain_share():
    labels = {"a": 0, "b": 0, "c": 1}
    calls = {("a", "b"): 99, ("a", "c"): 1}
    assert inter_call_percentage(calls, labels) == pytest.approx(math.log(2) / (math.log(100) + math.log(2)))
    assert inter_call_percentage({}, labels) == 0.0


def test_ned_bounds_are_inclusive():
    assert non_extreme_distribution({"s": 3, "m": 50, "l": 51, "xs": 2}, (3, 50)) == pytest.approx(53 / 106)
    assert non_extreme_distribution({}, (3, 50)) == 0.0


def test_three_service_cycles_count_once_and_not_when_made_of_a_mutual_pair():
    modules = {name: () for name in "abcd"}
    ring = graph_of(["a -> b import 1", "b -> c import 1", "c -> a import 1"], modules)
    three = decomposition_of({"A": ["a"], "B": ["b"], "C": ["c"], "D": ["d"]})
    overall = measure(ring, three, DataModel()).overall
    assert (overall.cycles, overall.cyclic_services) == (1, 3)
    tangled = graph_of(["a -> b import 1", "b -> a import 1", "b -> c import 1", "c -> a import 1"], modules)
    overall = measure(tangled, three, DataModel()).overall
    assert (overall.cycles, overall.cyclic_services) == (1, 3)  # the pair A-B; A-B-C uses its link


def test_a_module_the_decomposition_does_not_place_is_measured_unassigned():
    graph = graph_of(EDGES, MODULES)
    stale = decomposition_of({"X": ["a", "b"], "Y": ["c", "d"], "Gone": ["z"]})
    measures = measure(graph, stale, DataModel())
    assert [s.name for s in measures.services] == ["X", "Y", UNASSIGNED]
    assert {m.module: m.service for m in measures.modules}["e"] == UNASSIGNED
    assert measures.overall.services == 3


def test_values_are_the_stable_flat_mapping_with_a_direction_for_each(measured):
    values = measured.overall.values()
    # without git history, the history's figure is not measured and not listed
    assert list(values) == [name for name in OverallMetrics.BETTER if name != "cross_service_commits"]
    assert all(type(v) is float for v in values.values())
    assert {k for k, v in OverallMetrics.BETTER.items() if v == "lower"} == {
        "icp", "ifn", "cross_call_share", "cross_edges", "cross_weight", "cycles", "cyclic_services",
        "cross_service_commits",
    }


def test_an_empty_graph_measures_to_zeros():
    empty = measure(DependencyGraph((), (), ()), Decomposition(), DataModel())
    assert empty.modules == () and empty.services == ()
    assert set(empty.overall.values().values()) == {0.0}
