"""End to end on a real git repository built here: the sample, a refactoring that takes a
cross-service dependency away, and a commit that adds a cycle between services (see
``helpers.refactoring``). Also the baseline workflow on the same changes."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from decompose import InputError
from decompose.api import compare_sources
from decompose.cli import ExitCode, main
from helpers.refactoring import add_cycle, build_repository, git
from helpers.trees import SAMPLE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return build_repository(tmp_path_factory.mktemp("git"))


@pytest.fixture(scope="module")
def refactoring(repo):
    return compare_sources("v1", "v2", repo=repo).comparison


def test_the_refactoring_removes_inventorys_dependency_on_orders(refactoring):
    removed = {
        f"{e.source} -> {e.target} ({e.source_service} -> {e.target_service}, {e.weight})"
        for e in refactoring.edges_removed
    }
    # one import and two calls (mark_backordered, is_awaiting_payment)
    assert removed == {"shop.services.stock -> shop.services.order_service (inventory -> orders, 3)"}
    assert refactoring.edges_added == ()
    assert refactoring.cycles_added == refactoring.cycles_removed == ()


def test_the_coupling_drops_by_exactly_that_dependency(refactoring):
    figures = {d.name: d for d in refactoring.overall}
    assert figures["cross_edges"].delta == -1
    assert figures["cross_weight"].delta == -3
    assert figures["cross_edges"].verdict == "better"
    assert figures["icp"].after < figures["icp"].before
    # The code that moved took its uses along: inventory loses its 3 uses of order_service,
    # the Order query of expire_reservations and that job's now() and log_event; orders
    # gains a call of stock.release_for_order, now() and log_event. 3 + 3 - 3 = 3 fewer.
    inventory = next(s for s in refactoring.services if s.name == "inventory")
    order = next(s for s in refactoring.services if s.name == "orders")
    assert inventory.figure("out_weight").delta == -6
    assert order.figure("out_weight").delta == +3
    assert "shop.services.order_service:mark_backordered" in order.api_removed
    assert "shop.tasks.order_tasks:release_unpaid_reservations" in order.api_added


def test_both_revisions_are_measured_with_v1s_services(refactoring):
    assert {name for name, _ in refactoring.kinds} >= {"catalog", "inventory", "orders", "payments"}
    assert refactoring.before.startswith("v1 (") and refactoring.after.startswith("v2 (")
    assert len(refactoring.matched) == 81
    assert refactoring.placed == refactoring.removed == refactoring.renamed == ()
    # v2's own proposal is reported against these services, whatever the clustering does.
    assignment = dict(refactoring.assignment)
    assert all(assignment[m.module] == m.service != m.proposed_like for m in refactoring.moves)
    assert 0 <= refactoring.proposal_agreement <= 100


def test_a_new_cycle_fails_the_gate_naming_the_metric_its_values_and_the_limit(repo, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["compare", "--repo", str(repo), "v2", "v3", "--fail-on", "cycles>+0", "--out", str(out)]
        + ["--services-from", "pinned"],  # the pins of the repository's pyproject.toml
    )
    assert result.exit_code == ExitCode.GATE_FAILED, result.output
    document = json.loads((out / "compare.json").read_text())
    cycles = next(d for d in document["overall"] if d["name"] == "cycles")
    before, after = int(cycles["before"]), int(cycles["after"])
    assert after == before + 1
    message = f"cycles went from {before} to {after} (+1), over the limit +0 (cycles>+0)"
    assert f"decompose: gate failed: {message}" in result.stderr
    assert document["gate"]["violations"][0]["message"] == message
    assert [c["services"] for c in document["cycles_added"]] == [["catalog", "inventory"]]
    assert {
        (e["source"], e["target"]) for e in document["edges_added"]
    } == {("shop.services.catalog_service", "shop.services.stock")}
    assert "cycles added (1):" in result.stdout
    assert document["comparison"]["services_from"] == "pinned"
    assert (out / "compare.html").read_text().startswith("<!DOCTYPE html>")


def test_the_refactoring_passes_the_same_gate(repo, tmp_path):
    result = CliRunner().invoke(
        main,
        ["compare", "--repo", str(repo), "v1", "v2", "--fail-on", "cycles>+0", "--fail-on", "icp>+0.02",
         "--out", str(tmp_path)],
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert "gate: passed (cycles>+0, icp>+0.02)" in result.stdout


def test_the_repository_is_left_as_it_was(repo):
    head, status = git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")
    compare_sources("v1", "HEAD:shop", repo=repo)  # a folder of a revision too
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == status == ""
    assert git(repo, "worktree", "list").count("\n") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["v1", "v9"], "'v9' is not a revision"),
        (["v1", "v2:nowhere"], "'v2:nowhere' is not a revision (or a folder of one)"),
        (["--", "v1", "-x"], "'-x' is not a git revision"),
    ],
)
def test_an_unknown_revision_is_an_input_error(repo, args, message):
    result = CliRunner().invoke(main, ["compare", "--repo", str(repo), *args])
    assert result.exit_code == ExitCode.INPUT_ERROR, result.output
    assert message in result.stderr


def test_a_folder_that_is_not_a_repository_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is not a git repository"):
        compare_sources("v1", "v2", repo=tmp_path)


# ------------------------------------------------------------------------------ baseline


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    file = tmp_path_factory.mktemp("baseline") / "decompose-baseline.json"
    result = CliRunner().invoke(
        main, ["analyze", str(SAMPLE), "--out", str(file.parent / "report"), "--write-baseline", str(file)]
    )
    assert result.exit_code == ExitCode.OK, result.output
    return file


def test_the_code_the_baseline_was_taken_from_passes(baseline, tmp_path):
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(tmp_path), "--baseline", str(baseline)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "gate: passed (regressions)" in result.stdout
    document = json.loads(baseline.read_text())
    assert document["decompose_baseline"] == 1
    assert sum(len(s["modules"]) for s in document["services"]) == 81


def test_a_regression_against_the_baseline_fails(baseline, tmp_path):
    code = tmp_path / "sample_monolith"
    shutil.copytree(SAMPLE, code)
    add_cycle(code)
    result = CliRunner().invoke(main, ["analyze", str(code), "--out", str(tmp_path / "r"), "--baseline", str(baseline)])
    assert result.exit_code == ExitCode.GATE_FAILED, result.output
    cycles = json.loads(baseline.read_text())["metrics"]["cycles"]
    assert (
        f"decompose: gate failed: cycles went from {int(cycles)} to {int(cycles) + 1} (+1), "
        "over the limit a rise of 1% (regressions)"
    ) in result.stderr
    # With explicit rules instead of the default, only those are checked.
    result = CliRunner().invoke(
        main,
        ["analyze", str(code), "--out", str(tmp_path / "r"), "--baseline", str(baseline), "--fail-on", "icp>+0.02"],
    )
    assert result.exit_code == ExitCode.OK, result.output


def test_a_relative_rule_without_a_baseline_is_an_input_error_and_an_absolute_one_is_checked(tmp_path):
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(tmp_path), "--fail-on", "icp>+0.02"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "give a baseline" in result.stderr
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(tmp_path), "--fail-on", "services>50"])
    assert result.exit_code == ExitCode.OK, result.output
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(tmp_path), "--fail-on", "cycles>0"])
    assert result.exit_code == ExitCode.GATE_FAILED
    assert "decompose: gate failed: cycles is " in result.stderr and "over the limit > 0 (cycles>0)" in result.stderr


def test_a_file_that_is_not_a_baseline_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1}')
    result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(tmp_path), "--baseline", str(bad)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "not a decompose baseline" in result.stderr


def test_two_analysis_folders_compare_without_reading_the_code_again(sample_cli, tmp_path):
    runner = CliRunner()
    analyzed, folder = sample_cli  # the session's `decompose analyze` of the sample
    assert analyzed.exit_code == 0
    result = runner.invoke(main, ["compare", str(folder), str(folder / "analysis.json"), "--out", str(tmp_path / "c")])
    assert result.exit_code == ExitCode.OK, result.output
    document = json.loads((tmp_path / "c" / "compare.json").read_text())
    assert all(d["delta"] == 0 for d in document["overall"])
    assert document["comparison"]["modules_matched"] == 81
    result = runner.invoke(main, ["compare", str(folder), str(folder), "--services-from", "pinned"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "needs [tool.decompose.pin]" in result.stderr
