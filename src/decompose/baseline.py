"""A baseline: today's overall figures and service assignment, frozen in a small file, so
that a legacy codebase's gate fails on what gets worse, not on what already is.

The file is JSON (written by ``render.compare.baseline_json``); reading it back is input
like any other: anything wrong is an ``InputError`` naming the file and the place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from decompose.errors import InputError
from decompose.model import Decomposition, ModuleName, OverallMetrics, ServiceKind

__all__ = ["Baseline", "baseline_of", "load_baseline", "BASELINE_FORMAT"]

BASELINE_FORMAT = 1
_KINDS = {kind.value: kind for kind in ServiceKind}


@dataclass(frozen=True)
class Baseline:
    project: str
    figures: tuple[tuple[str, float], ...]  # OverallMetrics.values(), in its order
    services: tuple[tuple[str, ServiceKind, tuple[ModuleName, ...]], ...]  # (name, kind, modules sorted)

    def values(self) -> dict[str, float]:
        return dict(self.figures)

    def assignment(self) -> dict[ModuleName, str]:
        return {module: name for name, _, modules in self.services for module in modules}

    def kinds(self) -> dict[str, ServiceKind]:
        return {name: kind for name, kind, _ in self.services}


def baseline_of(project: str, decomposition: Decomposition, overall: OverallMetrics) -> Baseline:
    """The baseline of a proposal measured as ``overall``."""
    return Baseline(
        project=project,
        figures=tuple(overall.values().items()),
        services=tuple(
            (s.name, s.kind, tuple(sorted(m.name for m in s.modules))) for s in decomposition.services
        ),
    )


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file. Raises InputError when it is missing or not a baseline."""
    file = Path(path)
    try:
        document = json.loads(file.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{file} does not exist; write one with 'decompose analyze PATH --write-baseline FILE'"
        ) from None
    except OSError as error:
        raise InputError(f"{file}: cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise InputError(f"{file}: not a decompose baseline (not valid JSON: {error})") from None
    if not isinstance(document, dict) or "decompose_baseline" not in document:
        raise InputError(f"{file}: not a decompose baseline (no 'decompose_baseline' key)")
    if document["decompose_baseline"] != BASELINE_FORMAT:
        raise InputError(
            f"{file}: baseline format {document['decompose_baseline']!r}, this decompose reads {BASELINE_FORMAT}"
        )
    metrics = document.get("metrics")
    if not isinstance(metrics, dict):
        raise InputError(f"{file}: metrics: expected an object")
    figures = []
    for name in OverallMetrics.BETTER:
        value = metrics.get(name)
        if value is None and name in OverallMetrics.HISTORY_ONLY:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{file}: metrics.{name}: expected a number")
        figures.append((name, float(value)))
    services = []
    records = document.get("services")
    if not isinstance(records, list):
        raise InputError(f"{file}: services: expected an array")
    for index, record in enumerate(records):
        where = f"{file}: services[{index}]"
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected an object")
        name, kind, modules = record.get("name"), record.get("kind"), record.get("modules")
        if not isinstance(name, str) or not isinstance(kind, str):
            raise InputError(f"{where}: 'name' and 'kind' must be strings")
        if kind not in _KINDS:
            raise InputError(f"{where}.kind: unknown kind {kind!r} (known: {', '.join(_KINDS)})")
        if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
            raise InputError(f"{where}.modules: expected an array of module names")
        services.append((name, _KINDS[kind], tuple(ModuleName(m) for m in sorted(modules))))
    project = document.get("project")
    return Baseline(project if isinstance(project, str) else "", tuple(figures), tuple(services))
