"""Gate rules: how they read, what they let through, and what the failure says."""

from __future__ import annotations

import pytest

from decompose import ConfigError
from decompose.gate import METRICS, Rule, check, parse_rule, parse_rules

BEFORE = {"icp": 0.60, "cycles": 3.0, "modularity": 0.40, "cross_weight": 200.0, "ned": 1.0}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("icp>+0.02", Rule("icp>+0.02", "icp", ">", 0.02, relative=True)),
        ("cycles>0", Rule("cycles>0", "cycles", ">", 0.0, relative=False)),
        ("cycles > +0", Rule("cycles > +0", "cycles", ">", 0.0, relative=True)),
        ("modularity<-0.01", Rule("modularity<-0.01", "modularity", "<", -0.01, relative=True)),
        ("cross-weight>=+5%", Rule("cross-weight>=+5%", "cross_weight", ">=", 5.0, relative=True, percent=True)),
        ("ned<=.5", Rule("ned<=.5", "ned", "<=", 0.5, relative=False)),
    ],
)
def test_rules_read_as_written(text, rule):
    assert parse_rule(text) == rule


def test_an_unknown_metric_is_an_error_listing_the_valid_names():
    with pytest.raises(ConfigError) as error:
        parse_rule("coupling>0")
    assert "unknown metric 'coupling'" in str(error.value)
    assert all(name in str(error.value) for name in METRICS)


@pytest.mark.parametrize("text", ["icp", "icp>", "icp=>1", ">1", "icp>1e3", "icp>+-1"])
def test_a_rule_that_does_not_read_says_the_shape(text):
    with pytest.raises(ConfigError, match="does not read as METRIC>LIMIT"):
        parse_rule(text)


def test_a_relative_limit_is_on_the_change_and_an_absolute_one_on_the_value():
    after = {**BEFORE, "icp": 0.63, "cycles": 3.0}
    (violation,) = check(parse_rules(["icp>+0.02", "icp>0.7", "cycles>+0"]), after, BEFORE)
    assert violation.metric == "icp"
    assert violation.message == "icp went from 0.6 to 0.63 (+0.03), over the limit +0.02 (icp>+0.02)"


def test_exactly_at_the_limit_passes_and_float_noise_does_not_fail():
    after = {**BEFORE, "icp": 0.62}  # 0.62 - 0.60 is 0.020000000000000018 in floats
    assert check(parse_rules(["icp>+0.02"]), after, BEFORE) == ()
    assert len(check(parse_rules(["icp>=+0.02"]), after, BEFORE)) == 1


def test_a_percent_limit_is_a_share_of_the_before_value():
    rules = parse_rules(["cross_weight>+5%"])
    assert check(rules, {**BEFORE, "cross_weight": 210.0}, BEFORE) == ()
    (violation,) = check(rules, {**BEFORE, "cross_weight": 211.0}, BEFORE)
    assert violation.limit == "+5%"


def test_a_fall_is_caught_by_a_less_than_rule():
    (violation,) = check(parse_rules(["modularity<-0.01"]), {**BEFORE, "modularity": 0.38}, BEFORE)
    assert violation.message == (
        "modularity went from 0.4 to 0.38 (-0.02), over the limit -0.01 (modularity<-0.01)"
    )


def test_regressions_fail_on_any_metric_getting_worse_beyond_the_tolerance():
    rule = parse_rule("regressions", tolerance=0.01)
    after = {**BEFORE, "icp": 0.605, "modularity": 0.39, "cycles": 4.0, "ned": 1.0}
    found = {v.metric: v for v in check([rule], after, BEFORE)}
    assert set(found) == {"modularity", "cycles"}  # icp rose by 0.83%, within 1%
    assert found["cycles"].message.startswith("cycles went from 3 to 4 (+1), over the limit a rise of 1%")


def test_a_relative_rule_without_a_before_side_is_an_error():
    with pytest.raises(ConfigError, match="give a baseline"):
        check(parse_rules(["icp>+0.02"]), BEFORE)
    assert check(parse_rules(["cycles>5"]), BEFORE) == ()
