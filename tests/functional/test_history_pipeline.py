"""The history in the pipeline: a scripted repository analysed end to end, its co-change,
cross-service commits and authors in analysis.json, the report, compare and the gate."""

from __future__ import annotations

import copy
import json
import math
import shutil

import pytest
from click.testing import CliRunner

from decompose import analyze_path
from decompose.cli import main
from decompose.model import CoChangePair
from decompose.render import write_report
from decompose.render.json import document_json, stored_document
from decompose.stored import load_analysis
from helpers.gitscript import ANN, BOB, Scripted


@pytest.fixture(scope="module")
def _scripted(tmp_path_factory):
    """The repository, scripted once for the module (some forty git runs)."""
    repo = Scripted(tmp_path_factory.mktemp("history") / "proj")
    code = {
        "shop/orders/models.py": "from shop.orders import views\nORDER = views\n",
        "shop/orders/views.py": "def show():\n    return 1\n",
        "shop/billing/invoice.py": "from shop.billing.tax import rate\nRATE = rate()\n",
        "shop/billing/tax.py": "def rate():\n    return 2\n",
    }
    for path, text in code.items():
        (repo.path / path).parent.mkdir(parents=True, exist_ok=True)
        (repo.path / path).write_text(text, encoding="utf-8")
    repo.commit()  # the first version of the code: two lines in each module
    for _ in range(6):
        repo.commit("shop/orders/models.py", "shop/billing/invoice.py")
    for _ in range(5):
        repo.commit("shop/billing/tax.py", author=BOB)
    repo.commit(*[f"shop/bulk/m{i}.py" for i in range(40)])  # a reformatting: says nothing
    repo.commit("shop/billing/tax.py", author=("dependabot[bot]", "bot@example.com"))
    return repo


@pytest.fixture
def repository(_scripted, tmp_path):
    """A copy of the scripted repository, the test's own to change."""
    repo = copy.copy(_scripted)
    repo.path = shutil.copytree(_scripted.path, tmp_path / "proj", symlinks=True)
    repo.lines = dict(_scripted.lines)
    return repo


def test_the_history_of_the_tree_is_read_and_measured(repository):
    analysis = analyze_path(repository.path)
    history = analysis.history
    assert history.commits == 13  # the bot's commit skipped
    assert len(history.changesets) == 12  # the 40-file commit left out
    assert history.cochange == (CoChangePair("shop.billing.invoice", "shop.orders.models", 7, 100.0),)
    orders = next(m for m in history.modules if m.module == "shop.orders.models")
    assert (orders.revisions, orders.churn) == (7, 8)
    assert [(a.author, a.commits) for a in orders.authors] == [(ANN[0], 7)]
    # today's packages: the first commit and the six shared ones change orders and billing
    current = analysis.metrics.current
    assert current.overall.cross_service_commits == round(7 / 12, 4)
    assert current.shared_commits == (("shop.billing", "shop.orders", 7),)
    billing = next(s for s in current.services if s.name == "shop.billing")
    assert (billing.commits, billing.crossing_commits) == (12, 7)
    assert analysis.metrics.proposed.overall.cross_service_commits is not None


def test_analysis_json_carries_the_history_and_reads_it_back(repository, tmp_path):
    analysis = analyze_path(repository.path)
    written, *_ = write_report(analysis, tmp_path / "out")
    document = json.loads(written.read_text())
    assert document["history"]["commits"] == 13
    assert document["history"]["cochange"] == [
        {"modules": ["shop.billing.invoice", "shop.orders.models"], "shared": 7, "degree": 100.0}
    ]
    assert document["history"]["authors"]["shop.billing.tax"] == [[BOB[0], 5, 5], [ANN[0], 1, 2]]
    assert "ann@example.com" not in written.read_text()
    assert document["metrics"]["current"]["cross_service_commits"] == round(7 / 12, 4)
    assert document["metrics"]["better"]["cross_service_commits"] == "lower"
    # ownership and hotspots (test_history_report.py has their figures)
    assert {"ownership", "hotspots", "service_hotspots"} <= document["history"].keys()
    assert [(h["module"], h["score"]) for h in document["history"]["hotspots"]] == [
        ("shop.billing.tax", 7),  # 7 lines changed, complexity 1
        ("shop.orders.views", 2),
    ]
    stored = load_analysis(written)
    assert stored.history == analysis.history
    assert stored.metrics == analysis.metrics
    assert stored.history_report == analysis.history_report
    assert document_json(stored_document(stored)) == written.read_bytes()


def test_without_history_the_keys_are_absent(repository, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyze", str(repository.path), "--out", str(out), "--no-history", "-q"])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "analysis.json").read_text())
    assert "history" not in document
    assert "cross_service_commits" not in document["metrics"]["current"]
    assert "cross_service_commits" not in document["metrics"]["better"]
    assert all("commits" not in row for row in document["metrics"]["services"])
    assert not (out / "history.csv").exists()
    assert load_analysis(out).history_report is None


def test_authors_can_be_hashed_or_left_out(repository, tmp_path):
    hashed = analyze_path(repository.path, {"history": {"authors": "hash"}}).history
    names = {a.author for m in hashed.modules for a in m.authors}
    assert len(names) == 2 and all(n.startswith("author-") and len(n) == 17 for n in names)
    assert all(m.authors == () for m in analyze_path(repository.path, {"history": {"authors": "none"}}).history.modules)


def test_history_options_come_from_the_project_file(repository):
    (repository.path / "pyproject.toml").write_text(
        "[tool.decompose.history]\nmin-shared = 7\nmax-commits = 3\n", encoding="utf-8"
    )
    analysis = analyze_path(repository.path)
    assert analysis.history.commits == 2 and analysis.history.truncated  # of 3 read, one a bot's
    assert analysis.history.cochange == ()


def test_an_unknown_history_key_names_itself(repository):
    from decompose.errors import ConfigError

    with pytest.raises(ConfigError, match="history.min-share"):
        analyze_path(repository.path, {"history": {"min-share": 3}})


def test_the_gate_knows_commits_across_services(repository, tmp_path):
    (repository.path / "pyproject.toml").write_text(
        '[tool.decompose.pin]\norders = ["shop.orders.*"]\nbilling = ["shop.billing.*"]\n', encoding="utf-8"
    )
    before = tmp_path / "before"
    first = CliRunner().invoke(main, ["analyze", str(repository.path), "--out", str(before), "-q"])
    assert first.exit_code == 0, first.output
    result = CliRunner().invoke(
        main, ["compare", str(before), str(before), "--fail-on", "cross_service_commits>0.5"]
    )
    assert "cross_service_commits went from 0.5833 to 0.5833" in result.output
    assert result.exit_code == 1, result.output
    passing = CliRunner().invoke(
        main, ["compare", str(before), str(before), "--fail-on", "cross_service_commits>0.6"]
    )
    assert passing.exit_code == 0, passing.output


def test_the_cochange_signal_yields_the_pairs_among_the_clustered_modules():
    from dataclasses import replace

    from decompose.cluster._cochange import cochange_pairs
    from decompose.model import ChangeHistory
    from helpers.graphs import graph, signal_input

    history = ChangeHistory(
        commits=40,
        head="",
        truncated=False,
        changesets=(),
        cochange=(
            CoChangePair("a.x", "b.y", 20, 50.0),
            CoChangePair("a.x", "gone.z", 9, 90.0),  # a module no longer analysed
        ),
        modules=(),
    )
    given = replace(signal_input(graph("a.x -> a.w", "b.y -> b.v")), history=history)
    assert [(a, b, round(w, 4), kind) for a, b, w, kind in cochange_pairs(given)] == [
        ("a.x", "b.y", round(0.5 * (1 + math.log(20)), 4), "cochange")
    ]
    assert list(cochange_pairs(replace(given, history=None))) == []


def test_co_change_joins_two_halves_the_code_alone_keeps_apart():
    from decompose.cluster import ClusterOptions, cluster_modules
    from decompose.model import ChangeHistory
    from helpers.graphs import graph

    def clique(prefix: str) -> list[str]:  # flat modules: no folder to fall back on
        names = [f"{prefix}{i}" for i in range(4)]
        return [f"{a} -> {b}:call" for i, a in enumerate(names) for b in names[i + 1 :]]

    code = graph(*clique("p"), *clique("q"), *clique("r"), "p0 -> q0", "q1 -> r1", "r2 -> p2")
    history = ChangeHistory(
        commits=100,
        head="",
        truncated=False,
        changesets=(),
        cochange=tuple(CoChangePair(f"p{i}", f"q{j}", 30, 90.0) for i in range(4) for j in range(4)),
        modules=(),
    )

    def together(weight: float) -> bool:
        options = ClusterOptions(signal_weights=(("cochange", weight),))
        clustering = cluster_modules(code, options, history=history)
        home = {m: i for i, members in enumerate(clustering.clusters) for m in members}
        return home["p0"] == home["q0"]

    assert not together(0.0)
    assert together(1.0)
