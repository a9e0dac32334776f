"""The cluster stage on the sample: what the seed and the similarity signals may change."""

from __future__ import annotations

import pytest

from decompose import analyze_path
from decompose.metrics import mojofm
from helpers.trees import SAMPLE


@pytest.fixture(scope="module")
def sample_by_seed(sample):
    return {0: sample, 1: analyze_path(SAMPLE, {"seed": 1})}  # the session's sample has the default seed, 0


def test_seed_0_and_seed_1_agree_on_the_sample(sample_by_seed):
    zero, one = (
        {m.name: s.name for s in sample_by_seed[seed].decomposition.services for m in s.modules}
        for seed in (0, 1)
    )
    assert mojofm(one, zero) >= 95


def test_vocabulary_weight_leaves_the_samples_code_edges_alone(sample_by_seed):
    without = analyze_path(SAMPLE, {"signal_weights": {"vocabulary": 0.0}})
    assert without.graph.edges == sample_by_seed[0].graph.edges
