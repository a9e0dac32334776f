"""The CI gate: limits on the overall metrics, and the violations of them.

A rule is written ``METRIC OP LIMIT``:

- ``icp>+0.02``: relative (the limit has a sign): fails when after - before > 0.02;
- ``cross_weight>+5%``: relative in percent of the before value;
- ``cycles>0``: absolute (no sign): fails when the after value is > 0;
- ``modularity<-0.01`` and ``modularity<0.2``: the same, downwards; ``>=`` and ``<=`` too;
- ``regressions``: every metric with a better direction fails when it gets worse by more
  than the tolerance (a share of its before value, 1% unless told otherwise).

Metric names are those of ``OverallMetrics.values()``; ``-`` may stand for ``_``.
Pure: parses and checks values, reads and prints nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from decompose.errors import ConfigError
from decompose.model import Better, OverallMetrics

__all__ = [
    "GateOptions",
    "Rule",
    "Violation",
    "parse_rule",
    "parse_rules",
    "check",
    "METRICS",
    "REGRESSIONS",
    "DEFAULT_TOLERANCE",
]

METRICS: tuple[str, ...] = tuple(OverallMetrics.BETTER)
REGRESSIONS = "regressions"
DEFAULT_TOLERANCE = 0.01  # 1% of the before value: rounding and a module's worth of noise

_RULE = re.compile(
    r"^\s*(?P<metric>[A-Za-z_][\w-]*)\s*(?P<op>>=|<=|>|<)\s*"
    r"(?P<sign>[+-])?\s*(?P<number>\d+(?:\.\d*)?|\.\d+)\s*(?P<percent>%)?\s*$"
)
_COMPARE = {
    ">": lambda value, limit: value > limit,
    ">=": lambda value, limit: value >= limit,
    "<": lambda value, limit: value < limit,
    "<=": lambda value, limit: value <= limit,
}


class Rule(NamedTuple):
    """One limit. ``relative``: on the change from before; else on the after value."""

    text: str  # as the user wrote it, for messages
    metric: str  # an OverallMetrics name, or REGRESSIONS
    op: str  # ">", ">=", "<", "<="
    limit: float  # signed; a percentage when ``percent``
    relative: bool
    percent: bool = False

    @property
    def needs_before(self) -> bool:
        return self.relative or self.metric == REGRESSIONS


@dataclass(frozen=True)
class GateOptions:
    """The gate's rules, as written: they judge a comparison and never change an analysis."""

    fail_on: tuple[str, ...] = ()
    """Gate rules for compare and analyze --baseline: "icp>+0.02", "cycles>0"."""
    regression_tolerance: float = DEFAULT_TOLERANCE
    """How much worse a metric may get under the "regressions" rule, as a share of its before value."""

    def rules(self) -> tuple[Rule, ...]:
        """The ``fail_on`` rules, parsed. Raises ConfigError for one that does not read."""
        return parse_rules(self.fail_on, self.regression_tolerance)


class Violation(NamedTuple):
    """A rule broken: the metric, its figures on both sides, and the limit it passed."""

    rule: Rule
    metric: str
    before: float | None  # None when the rule is absolute and nothing was compared
    after: float
    limit: str  # the limit as the message shows it: "+0.02", "> 0", "+1% (0.6479 -> 0.6544)"

    @property
    def message(self) -> str:
        after = _figure(self.after)
        if self.before is None:
            return f"{self.metric} is {after}, over the limit {self.limit} ({self.rule.text})"
        change = _signed(self.after - self.before)
        return (
            f"{self.metric} went from {_figure(self.before)} to {after} ({change}), "
            f"over the limit {self.limit} ({self.rule.text})"
        )


def parse_rule(text: str, tolerance: float = DEFAULT_TOLERANCE) -> Rule:
    """``"icp>+0.02"`` as a Rule. Raises ConfigError naming the valid metrics if it does not read."""
    if text.strip().lower() == REGRESSIONS:
        return Rule(text.strip(), REGRESSIONS, ">", tolerance * 100, relative=True, percent=True)
    match = _RULE.match(text)
    if match is None:
        raise ConfigError(
            f"gate rule {text!r} does not read as METRIC>LIMIT (e.g. 'icp>+0.02', 'cycles>0', "
            f"'modularity<-1%', or '{REGRESSIONS}')"
        )
    metric = match["metric"].replace("-", "_").lower()
    if metric not in OverallMetrics.BETTER:
        raise ConfigError(
            f"gate rule {text!r}: unknown metric {match['metric']!r} (known: {', '.join(METRICS)})"
        )
    relative = match["sign"] is not None or match["percent"] is not None
    limit = float(match["number"]) * (-1 if match["sign"] == "-" else 1)
    return Rule(text.strip(), metric, match["op"], limit, relative, percent=match["percent"] is not None)


def parse_rules(texts: Iterable[str], tolerance: float = DEFAULT_TOLERANCE) -> tuple[Rule, ...]:
    return tuple(parse_rule(text, tolerance) for text in texts)


def check(
    rules: Iterable[Rule], after: Mapping[str, float], before: Mapping[str, float] | None = None
) -> tuple[Violation, ...]:
    """The rules ``after`` breaks (relative ones against ``before``), in the rules' order.

    Raises ConfigError when a relative rule has no ``before`` to compare with.
    """
    found: list[Violation] = []
    for rule in rules:
        if rule.needs_before and before is None:
            raise ConfigError(f"gate rule {rule.text!r} compares with a before value: give a baseline")
        if rule.metric == REGRESSIONS:
            found.extend(_regressions(rule, before or {}, after))
            continue
        new = after[rule.metric]
        if not rule.relative:
            if _COMPARE[rule.op](new, rule.limit):
                old = before[rule.metric] if before is not None else None
                found.append(Violation(rule, rule.metric, old, new, f"{rule.op} {_figure(rule.limit)}"))
            continue
        old = before[rule.metric]  # type: ignore[index]
        change = new - old
        if rule.percent:
            if old == 0:
                broken = _COMPARE[rule.op](math.copysign(math.inf, change) if change else 0.0, rule.limit)
            else:
                broken = _COMPARE[rule.op](change / abs(old) * 100, rule.limit)
            shown = f"{_signed(rule.limit)}%"
        else:
            broken = _COMPARE[rule.op](round(change, 10), rule.limit)
            shown = _signed(rule.limit)
        if broken:
            found.append(Violation(rule, rule.metric, old, new, shown))
    return tuple(found)


def _regressions(rule: Rule, before: Mapping[str, float], after: Mapping[str, float]) -> list[Violation]:
    """Each metric with a better direction that moved the worse way by more than the
    tolerance, a share of its before value (so any rise of a count that was 0 fails)."""
    share = rule.limit / 100
    found = []
    for metric, better in OverallMetrics.BETTER.items():
        if better is None or metric not in before or metric not in after:
            continue
        old, new = before[metric], after[metric]
        worse = new - old if better is Better.LOWER else old - new
        if round(worse, 10) > abs(old) * share:
            direction = "rise" if better is Better.LOWER else "fall"
            found.append(Violation(rule, metric, old, new, f"a {direction} of {rule.limit:g}%"))
    return found


def _figure(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def _signed(value: float) -> str:
    text = _figure(abs(value))
    return f"-{text}" if value < 0 else f"+{text}"
