"""Placement evidence laid over an analysis: the two-package shop, the evidence the cluster
stage would give two of its modules, and the hostile project given hostile evidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from decompose import analyze_path
from decompose.api import Analysis
from decompose.model import Tie

__all__ = ["SHOP", "EVIDENCE", "placed", "HOSTILE_KIND", "HOSTILE_SVG", "HOSTILE_MODULE", "hostile_evidence"]

# Two packages, two services: orders' views call billing, billing's invoice calls its tax.
SHOP = {
    "orders/__init__.py": "",
    "orders/models.py": "class Order:\n    pass\n",
    "orders/views.py": """
        from orders.models import Order
        from billing.invoice import bill

        def view():
            bill(Order())
        """,
    "billing/__init__.py": "",
    "billing/invoice.py": """
        from billing.tax import rate

        def bill(order):
            return rate()
        """,
    "billing/tax.py": "def rate():\n    return 0.2\n",
}

# What the cluster stage would say of two of its modules (the others have no evidence).
EVIDENCE = {
    "billing.invoice": {
        "confidence": 0.75,
        "ties": (Tie("billing.tax", "call", 0.5), Tie("billing", "package", 0.25)),
        "runner_up": "orders",
        "runner_up_ties": (Tie("orders.views", "call", 0.4),),
        "own_weight": 0.75,
        "runner_up_weight": 0.4,
    },
    "orders.views": {
        "confidence": 0.4286,
        "ties": (Tie("orders.models", "import", 0.3),),
        "runner_up": "billing",
        "runner_up_ties": (Tie("billing.invoice", "call", 0.4), Tie("billing.tax", "vocabulary", 0.0123)),
        "own_weight": 0.3,
        "runner_up_weight": 0.4123,
    },
}


def placed(analysis: Analysis, evidence: Mapping[str, Mapping[str, object]]) -> Analysis:
    """``analysis`` with the placement evidence ``evidence`` gives by module name laid over
    its services' modules (the evidence measures nothing, so the metrics stay right)."""
    services = tuple(
        replace(s, modules=tuple(replace(m, **evidence.get(m.name, {})) for m in s.modules))
        for s in analysis.decomposition.services
    )
    return replace(analysis, decomposition=replace(analysis.decomposition, services=services))


HOSTILE_KIND = "<img src=x onerror=alert(1)>"
HOSTILE_SVG = "<svg onload=window.__pwned=7>"
HOSTILE_MODULE = HOSTILE_SVG + ".broken"


def hostile_evidence(root: Path, extra: Mapping[str, Mapping[str, object]] = {}) -> tuple[Analysis, str]:
    """The hostile project (``helpers.trees.hostile_project``) by packages, ``app.models`` given
    evidence whose kinds, modules and runner-up are hostile names (and ``extra``); returns
    the analysis and its hostile service's name."""
    analysis = analyze_path(root, {"method": "packages"})
    (service,) = [s.name for s in analysis.decomposition.services if s.name.startswith("<svg")]
    evidence = {
        "app.models": {
            "confidence": 0.2,
            "ties": (Tie("app", HOSTILE_KIND, 0.1),),
            "runner_up": service,
            "runner_up_ties": (Tie(HOSTILE_MODULE, "call", 0.3), Tie(HOSTILE_SVG, HOSTILE_KIND, 0.2)),
            "own_weight": 0.1,
            "runner_up_weight": 0.5,
        },
        **extra,
    }
    return placed(analysis, evidence), service
