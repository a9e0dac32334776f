"""The metrics stage on the sample: today's packages measured as the current structure, and
the proposal against them (the sample analysed once for the session)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from decompose import analyze_path
from decompose.metrics import measure
from decompose.services import package_outline, package_services
from helpers.trees import SAMPLE


def test_current_structure_is_the_sample_packages_below_shop(sample):
    current = package_services(sample.graph, sample.data, below_common_root=True)
    assert [s.name for s in current.services] == [
        "shop.services", "shop.utils", "shop.views", "shop.models", "shop.tasks", "shop.integrations",
        "shop", "(top-level modules)",
    ]
    assert {m.name for m in current.services[-1].modules} == {"manage"}
    assert {m.name for m in current.services[-2].modules} >= {"shop", "shop.settings"}
    assert [s.name for s in package_services(sample.graph).services] == ["shop", "(top-level modules)"]
    outline = package_outline(sample.graph, below_common_root=True)
    assert [(s.name, s.modules, s.lines) for s in outline.services] == [
        (s.name, s.modules, s.lines) for s in current.services
    ]
    # Measured alike, but for data: package_services gives entities to the services its
    # symbol moves propose; the current structure owns them where they are defined today.
    full, bare = measure(sample.graph, current, sample.data), measure(sample.graph, outline, sample.data)
    assert (full.modules, full.overall) == (bare.modules, bare.overall)
    assert [replace(s, entities=0, entities_in_conflict=0) for s in full.services] == [
        replace(s, entities=0, entities_in_conflict=0) for s in bare.services
    ]
    defined_in = {e.name: e.module.rpartition(".")[0] for e in sample.data.entities if e.module}
    assert {s.name: s.entities for s in bare.services if s.entities} == dict(Counter(defined_in.values()))


def test_sample_proposal_against_its_layered_packages(sample):
    proposed, current = sample.metrics.proposed.overall, sample.metrics.current.overall
    # The sample is laid out by technical layer (models/, services/, views/): its packages
    # cut through every domain, so the proposal keeps more inside its services.
    assert proposed.modularity > 0.1 > 0 > current.modularity
    assert proposed.mq > current.mq
    assert proposed.sm > current.sm
    assert proposed.icp < current.icp
    assert proposed.cross_call_share < current.cross_call_share
    assert proposed.cross_weight < current.cross_weight
    assert proposed.services == len(sample.decomposition.services)
    assert [s.name for s in sample.metrics.proposed.services] == [
        s.name for s in sample.decomposition.services
    ]
    assert [m.module for m in sample.metrics.current.modules] == [m.name for m in sample.graph.modules]


def test_measuring_is_deterministic(sample):
    again = analyze_path(SAMPLE)
    assert again.metrics == sample.metrics
