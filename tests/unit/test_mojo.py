"""MoJo and MoJoFM against hand-checked cases."""

from __future__ import annotations

import pytest

from decompose.metrics import mojo_distance, mojofm


def partition(**clusters: str) -> dict[str, str]:
    """partition(a="1 2 3", b="4") -> {"1": "a", "2": "a", "3": "a", "4": "b"}"""
    return {item: name for name, items in clusters.items() for item in items.split()}


def test_identical_partitions_are_zero_apart_whatever_the_labels():
    a = partition(x="1 2 3", y="4 5")
    b = partition(p="1 2 3", q="4 5")
    assert mojo_distance(a, b) == 0
    assert mojofm(a, b) == 100.0


def test_one_object_in_the_wrong_cluster_is_one_move():
    # A2 shares 3 objects with B2 and 1 with B1: move object 5; no join.
    a = partition(a1="1 2 3 4", a2="5 6 7 8")
    b = partition(b1="1 2 3 4 5", b2="6 7 8")
    assert mojo_distance(a, b) == 1
    # max over all A: B sizes (3, 5) give g = 2, so 8 - 2 = 6
    assert mojofm(a, b) == pytest.approx((1 - 1 / 6) * 100)


def test_all_singletons_against_one_cluster_is_the_worst_case():
    a = partition(a="1", b="2", c="3", d="4")
    b = partition(all="1 2 3 4")
    assert mojo_distance(a, b) == 3  # three joins
    assert mojofm(a, b) == 0.0


def test_splitting_one_cluster_in_two_costs_one_move_per_object_moved_out():
    a = partition(a="1 2 3 4 5 6")
    b = partition(p="1 2 3 4", q="5 6")
    assert mojo_distance(a, b) == 2


def test_ties_are_broken_by_maximum_matching_not_first_come():
    # Each cluster of A overlaps both clusters of B by one object. A greedy tag could
    # give both the same group and count a join; the matching gives one group each.
    a = partition(a1="1 2", a2="3 4")
    b = partition(b1="1 3", b2="2 4")
    assert mojo_distance(a, b) == 2  # two moves, no join


def test_a_join_and_moves_together():
    # A: {1,2} {3,4} {5,6,7}; B: {1,2,3,4} {5,6} {7}
    # moves: a3 keeps 5,6 and moves 7 (1); groups: a1,a2 -> b1 (one join), a3 -> b2
    a = partition(a1="1 2", a2="3 4", a3="5 6 7")
    b = partition(b1="1 2 3 4", b2="5 6", b3="7")
    assert mojo_distance(a, b) == 2
    # B sizes sorted (1, 2, 4) give g = 3: max = 7 - 3 = 4
    assert mojofm(a, b) == pytest.approx(50.0)


def test_objects_only_one_side_knows_are_left_out():
    a = partition(x="1 2 3 extra")
    b = partition(y="1 2 3", z="missing")
    assert mojo_distance(a, b) == 0
