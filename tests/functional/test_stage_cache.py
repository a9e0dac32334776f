"""The stage cache: a run over unchanged input reuses the graph, the proposal and the charts,
writes the same bytes, and recomputes exactly what a changed input, a changed option or a
damaged entry touches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import decompose._stage_cache as stage_cache
import decompose.api as api
from decompose import analyze_path
from decompose.cli import ExitCode, main
from decompose.render.html import _charts
from decompose.render.html._charts import ChartJob, draw_charts
from helpers.trees import SAMPLE, write_tree

SHOP = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": """
        from shop.billing.invoices import invoice_for

        class Order:
            def total(self):
                return invoice_for(self)
        """,
    "shop/orders/views.py": """
        from shop.orders.models import Order

        def show(order: Order):
            return order.total()
        """,
    "shop/billing/__init__.py": "",
    "shop/billing/invoices.py": """
        def invoice_for(order):
            return 1
        """,
    "shop/billing/payments.py": """
        from shop.billing.invoices import invoice_for

        def pay(order):
            return invoice_for(order)
        """,
}


@pytest.fixture
def clusterings(monkeypatch) -> list[int]:
    """A spy on the cluster stage: one entry per time it ran."""
    calls: list[int] = []
    real = api._stages.cluster_modules

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(api._stages, "cluster_modules", spy)
    return calls


def _analyze(root: Path, cache: Path | None, **overrides):
    return analyze_path(root, {"cache_dir": cache, **overrides})


def _stage_files(cache: Path, stage: str) -> list[Path]:
    return sorted(cache.with_name(f"{cache.name}-stages").glob(f"*/{stage}-*.bin"))


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cli(*args: str) -> None:
    result = CliRunner().invoke(main, ["analyze", *args, "-q"])
    assert result.exit_code == ExitCode.OK, result.output


def test_a_warm_run_takes_the_graph_and_the_proposal_from_the_cache(tmp_path, clusterings):
    root = write_tree(tmp_path / "proj", SHOP)
    cold = _analyze(root, tmp_path / "cache")
    assert cold.stages_from_cache == () and len(clusterings) == 1
    warm = _analyze(root, tmp_path / "cache")
    assert warm.stages_from_cache == ("graph", "proposal")
    assert len(clusterings) == 1  # not clustered again
    assert (warm.graph, warm.data, warm.decomposition, warm.metrics) == (
        cold.graph,
        cold.data,
        cold.decomposition,
        cold.metrics,
    )


def test_warm_and_cold_reports_are_byte_identical_to_an_uncached_one(tmp_path):
    cache = tmp_path / "cache"
    _cli(str(SAMPLE), "--out", str(tmp_path / "none"), "--no-cache")
    _cli(str(SAMPLE), "--out", str(tmp_path / "cold"), "--cache-dir", str(cache))
    assert _stage_files(cache, "graph") and _stage_files(cache, "proposal") and _stage_files(cache, "chart")
    _cli(str(SAMPLE), "--out", str(tmp_path / "warm"), "--cache-dir", str(cache))
    uncached = _outputs(tmp_path / "none")
    assert {"analysis.json", "index.html", "summary.md"} <= uncached.keys()
    assert _outputs(tmp_path / "cold") == uncached
    assert _outputs(tmp_path / "warm") == uncached


def test_a_changed_edge_recomputes_the_graph_and_the_proposal(tmp_path, clusterings):
    root = write_tree(tmp_path / "proj", SHOP)
    cache = tmp_path / "cache"
    _analyze(root, cache)
    write_tree(root, {"shop/billing/payments.py": "from shop.orders.models import Order\n"})
    changed = _analyze(root, cache)
    assert changed.stages_from_cache == ()
    assert len(clusterings) == 2
    assert "shop.billing.payments -> shop.orders.models" in {f"{e.source} -> {e.target}" for e in changed.graph.edges}
    fresh = _analyze(root, None)
    assert (changed.graph, changed.decomposition, changed.metrics) == (
        fresh.graph,
        fresh.decomposition,
        fresh.metrics,
    )
    # One graph and one proposal kept per tree: the entries of the old input are gone.
    assert len(_stage_files(cache, "graph")) == 1 and len(_stage_files(cache, "proposal")) == 1


def test_a_changed_cluster_option_keeps_the_graph_and_clusters_again(tmp_path, clusterings):
    root = write_tree(tmp_path / "proj", SHOP)
    cache = tmp_path / "cache"
    _analyze(root, cache)
    other = _analyze(root, cache, seed=7)
    assert other.stages_from_cache == ("graph",)
    assert len(clusterings) == 2
    assert other.decomposition == _analyze(root, None, seed=7).decomposition


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped"])
def test_a_damaged_entry_is_ignored_recomputed_and_rewritten(tmp_path, clusterings, damage):
    root = write_tree(tmp_path / "proj", SHOP)
    cache = tmp_path / "cache"
    cold = _analyze(root, cache)
    for entry in [*_stage_files(cache, "graph"), *_stage_files(cache, "proposal")]:
        data = entry.read_bytes()
        if damage == "garbage":
            entry.write_bytes(b"not a cache entry")
        elif damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        else:
            entry.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    again = _analyze(root, cache)
    assert again.stages_from_cache == ()
    assert len(clusterings) == 2
    assert (again.graph, again.decomposition, again.metrics) == (cold.graph, cold.decomposition, cold.metrics)
    assert _analyze(root, cache).stages_from_cache == ("graph", "proposal")


def test_a_damaged_entry_gives_the_same_report(tmp_path):
    cache = tmp_path / "cache"
    _cli(str(SAMPLE), "--out", str(tmp_path / "cold"), "--cache-dir", str(cache))
    for entry in cache.with_name("cache-stages").glob("*/*.bin"):
        entry.write_bytes(entry.read_bytes()[:100])
    _cli(str(SAMPLE), "--out", str(tmp_path / "damaged"), "--cache-dir", str(cache))
    assert _outputs(tmp_path / "damaged") == _outputs(tmp_path / "cold")


def test_entries_of_another_code_version_are_not_read(tmp_path, clusterings, monkeypatch):
    root = write_tree(tmp_path / "proj", SHOP)
    cache = tmp_path / "cache"
    _analyze(root, cache)
    monkeypatch.setattr(stage_cache, "code_version", lambda: "an edited checkout")
    assert _analyze(root, cache).stages_from_cache == ()
    assert len(clusterings) == 2


def test_no_cache_neither_reads_nor_writes_stages(tmp_path, clusterings, monkeypatch):
    root = write_tree(tmp_path / "proj", SHOP)
    cache = tmp_path / "cache"
    _analyze(root, cache)
    uncached = _analyze(root, None)
    assert uncached.stages_from_cache == () and uncached.stage_cache is None
    assert len(clusterings) == 2
    home = tmp_path / "home-cache"
    monkeypatch.setenv("DECOMPOSE_CACHE_DIR", str(home))
    _cli(str(root), "--out", str(tmp_path / "out"), "--no-cache")
    assert not (tmp_path / "home-cache-stages").exists()


def test_charts_are_drawn_once_per_input(tmp_path, monkeypatch):
    drawn: list[str] = []
    real = _charts._draw
    monkeypatch.setattr(_charts, "_draw", lambda job: drawn.append(job.chart) or real(job))
    folder = str(tmp_path / "stages")
    jobs = (
        ChartJob("service_size_chart", (("a", "b"), (10, 20), ("#111111", "#222222")), folder),
        ChartJob("distribution_chart", ("Sizes", "Lines.", (1, 2, 3), "lines", True), folder),
    )
    first = draw_charts(jobs)
    assert drawn == ["service_size_chart", "distribution_chart"]
    assert draw_charts(jobs) == first
    assert len(drawn) == 2  # nothing drawn again
    changed = (jobs[0], jobs[1]._replace(args=("Sizes", "Lines.", (1, 2, 4), "lines", True)))
    assert draw_charts(changed)[0] == first[0]
    assert drawn == ["service_size_chart", "distribution_chart", "distribution_chart"]
    assert len(list((tmp_path / "stages").glob("chart-*.bin"))) == 2  # the old distribution went
    for entry in (tmp_path / "stages").glob("chart-*.bin"):
        entry.write_bytes(b"damaged")
    assert draw_charts(changed) == draw_charts(tuple(job._replace(cache=None) for job in changed))


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path):
    root = write_tree(tmp_path / "proj", SHOP)
    cache = tmp_path / "cache"
    cold = _analyze(root, cache)
    folder = Path(cold.stage_cache)
    shutil.rmtree(folder)
    folder.write_text("a file where the folder should be")
    again = _analyze(root, cache)
    assert again.stages_from_cache == ()
    assert again.decomposition == cold.decomposition
