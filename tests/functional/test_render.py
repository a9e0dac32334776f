"""Render stage: analysis.json's contract, and atomic writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from decompose.render import analysis_json, write_atomic, write_report


@pytest.fixture(scope="module")
def document(sample):
    return json.loads(analysis_json(sample))


def test_document_has_the_contracted_keys(document):
    assert list(document) == [
        "schema_version",
        "tool",
        "project",
        "summary",
        "imports",
        "apps",
        "modules",
        "edges",
        "symbol_edges",
        "services",
        "decomposition",
        "metrics",
        "entities",
        "warnings",
        "excluded",
    ]
    module = document["modules"][0]
    assert {"name", "path", "lines", "status", "stdlib", "third_party", "symbols"} <= set(module)
    edge = document["edges"][0]
    assert set(edge) == {"source", "target", "kind", "weight", "lines"}


def test_every_module_is_in_exactly_one_service(document):
    in_services = [m["name"] for s in document["services"] for m in s["modules"]]
    assert sorted(in_services) == sorted(m["name"] for m in document["modules"])
    placed = [  # each module with its placement evidence, the keys always in this order
        "name",
        "path",
        "confidence",
        "ties",
        "runner_up",
        "runner_up_ties",
        "own_weight",
        "runner_up_weight",
    ]
    assert all(list(m) == placed for s in document["services"] for m in s["modules"])
    assert all(
        {"name", "kind", "lines", "modules", "api", "depends_on", "entities"} == set(s) for s in document["services"]
    )


def test_metrics_put_the_proposal_and_the_current_packages_side_by_side(document):
    metrics = document["metrics"]
    assert list(metrics) == ["proposed", "current", "better", "services", "modules"]
    assert list(metrics["proposed"]) == list(metrics["current"]) == list(metrics["better"])
    assert metrics["proposed"]["services"] == len(document["services"])
    assert {s["decomposition"] for s in metrics["services"]} == {"proposed", "current"}
    assert [s["name"] for s in metrics["services"] if s["decomposition"] == "proposed"] == [
        s["name"] for s in document["services"]
    ]
    assert [m["module"] for m in metrics["modules"]] == [m["name"] for m in document["modules"]]
    module = metrics["modules"][0]
    assert {"afferent", "efferent", "instability", "abstractness", "distance", "complexity"} <= set(module)
    assert {"service", "current_service"} <= set(module)
    floats = [v for v in metrics["proposed"].values() if isinstance(v, float)]
    assert floats and all(round(v, 4) == v for v in floats)


def test_paths_are_relative_and_posix(document):
    assert all(not m["path"].startswith("/") and "\\" not in m["path"] for m in document["modules"])
    assert {m["name"]: m["path"] for m in document["modules"]}["shop.models"] == "shop/models/__init__.py"


def test_write_report_replaces_the_old_file_whole(sample, tmp_path):
    analysis = sample
    (tmp_path / "analysis.json").write_text("old")
    written, *_ = write_report(analysis, tmp_path)
    assert json.loads(written.read_text())["summary"]["modules"] == len(analysis.graph.modules)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in write_report(analysis, tmp_path))


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "analysis.json"
    target.write_bytes(b"previous")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.json"]


WRITER = """
import sys
from pathlib import Path
from decompose.render import write_atomic
target = Path(sys.argv[1])
size = 8_000_000
print("ready", flush=True)
for i in range(10_000):
    write_atomic(target, (b"a" if i % 2 else b"b") * size)
"""


def test_a_process_killed_midway_leaves_a_whole_file(tmp_path):
    target = tmp_path / "analysis.json"
    target.write_bytes(b"b" * 8_000_000)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE)
    assert writer.stdout.readline().strip() == b"ready"
    time.sleep(0.5)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    content = target.read_bytes()
    assert len(content) == 8_000_000
    assert content in (b"a" * 8_000_000, b"b" * 8_000_000)
