"""Fixtures every test may use: trees analysed from inline text, the sample analysed once per
session, and one chart-drawing process shared by every report written.

Helpers that tests import (``write_tree``, ``edges``, the graph builders...) live in
``tests/helpers/``; ``pythonpath = ["tests"]`` in pyproject.toml makes them importable as
``helpers``."""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose import analyze_path
from decompose.api import Analysis
from helpers.trees import SAMPLE, hostile_project, write_tree


@pytest.fixture
def tree(tmp_path: Path):
    """Build a fixture project from a dict of files and analyse it."""

    def build(files: dict[str, str | bytes], **overrides) -> Analysis:
        root = write_tree(tmp_path / "proj", files)
        return analyze_path(root, overrides or None)

    return build


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """The CLI caches facts by default: keep each test's cache out of the user's home."""
    monkeypatch.setenv("DECOMPOSE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session", autouse=True)
def _one_chart_process():
    """``write_report`` and ``decompose analyze`` draw the page's charts in a child process
    that first imports matplotlib (most of a second): share one such process, still a child,
    across the session instead of starting one per report. ``ChartDrawer(None)`` (drawing
    in the caller's process) is untouched."""
    from decompose.render import ChartDrawer

    shared = ChartDrawer.start()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ChartDrawer, "start", classmethod(lambda cls: shared))
        patch.setattr(shared, "close", lambda: None)
        yield shared
    ChartDrawer.close(shared)


@pytest.fixture(scope="session")
def sample() -> Analysis:
    """``analyze_path(SAMPLE)`` with the default options, once for the session: for tests that
    only read it (its values are frozen)."""
    return analyze_path(SAMPLE)


@pytest.fixture(scope="session")
def sample_report(sample, tmp_path_factory) -> Path:
    """The folder ``write_report`` fills from ``sample``, once for the session: read it, do not
    write into it."""
    from decompose.render import write_report

    out = tmp_path_factory.mktemp("sample_report")
    write_report(sample, out)
    return out


@pytest.fixture(scope="session")
def sample_cli(tmp_path_factory):
    """``decompose analyze sample_monolith --out FOLDER`` through click's runner, once for the
    session: ``(result, FOLDER)``. For tests that only read what it printed and wrote."""
    from click.testing import CliRunner

    from decompose.cli import main

    out = tmp_path_factory.mktemp("sample_cli") / "report"
    cache = tmp_path_factory.mktemp("sample_cli_cache")
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(out), "--cache-dir", str(cache)])
    return result, out


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Analysis:
    """The hostile project (``helpers.trees.hostile_project``) analysed by packages, once for
    the session: for tests that only read it."""
    return analyze_path(hostile_project(tmp_path_factory.mktemp("hostile")), {"method": "packages"})


@pytest.fixture(scope="session")
def hostile_report(hostile, tmp_path_factory) -> Path:
    """The folder ``write_report`` fills from ``hostile``, once for the session: read it only."""
    from decompose.render import write_report

    out = tmp_path_factory.mktemp("hostile_report")
    write_report(hostile, out)
    return out
