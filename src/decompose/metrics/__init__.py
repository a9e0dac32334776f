"""Metrics stage: figures computed from a graph and a decomposition. Computes, never formats.

``measure`` gives a decomposition's module, service and overall metrics; the partition
measures it uses are public for benches and other stages; MoJo and MoJoFM compare two
partitions; the glossary (``OVERALL``, ``SERVICE``, ``MODULE``) words each figure once and
``verdict`` judges a change of one; ``measure_history`` gives a decomposition's ownership and hotspots from the git
history.
"""

from __future__ import annotations

from decompose.metrics._glossary import MODULE, OVERALL, SERVICE, Better, Metric, Verdict, verdict
from decompose.metrics._history import HOTSPOTS, measure_history
from decompose.metrics._measure import NED_BOUNDS, UNASSIGNED, measure, metrics_report
from decompose.metrics._mojo import mojo_distance, mojofm
from decompose.metrics._quality import (
    inter_call_percentage,
    modularity,
    non_extreme_distribution,
    structural_modularity,
    turbo_mq,
)

__all__ = [
    "measure",
    "metrics_report",
    "measure_history",
    "HOTSPOTS",
    "NED_BOUNDS",
    "UNASSIGNED",
    "modularity",
    "turbo_mq",
    "structural_modularity",
    "inter_call_percentage",
    "non_extreme_distribution",
    "mojo_distance",
    "mojofm",
    "Better",
    "Verdict",
    "Metric",
    "OVERALL",
    "SERVICE",
    "MODULE",
    "verdict",
]
