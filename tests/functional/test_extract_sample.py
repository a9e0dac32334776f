"""decompose extract end to end on a copy of the sample, each service in turn: the tree
compiles, nothing outside the service reaches its internals but through the facade, who
uses which definition is unchanged once the facade is looked through, and the contract
holds, and breaks when an internal import is added back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from decompose import analyze_path
from decompose.extract import ExtractError, apply_extraction, plan_extraction
from helpers.trees import SAMPLE

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Edges made from strings (dotted paths, app labels, task names): reported, not rewritten.
# Uses by name, not by import (a setting is read through django.conf): no facade carries them.
FROM_STRINGS = {"string", "django_model", "url", "loader", "task", "orm", "setting"}
OPTIONS = {"cache_dir": None, "jobs": 1}

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


@pytest.fixture
def analysis(sample):
    """The session's analysis of the sample (the same as with ``OPTIONS``: no cache, one process)."""
    return sample


def copy_sample(tmp_path: Path, name: str) -> Path:
    tree = tmp_path / name
    shutil.copytree(SAMPLE, tree, ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def compile_all(tree: Path) -> None:
    for file in tree.rglob("*.py"):
        compile(file.read_bytes(), str(file), "exec")


def lint(tree: Path, contract: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", contract], cwd=tree, env=env, capture_output=True, text=True
    )


def looked_through(graph, internals, facade, exports) -> Counter:
    """Symbol edges with the facade's names read as the definitions they re-export, and a
    whole-module import of the facade or of an internal module as one of "the service"."""
    through = {e.name: (e.module, e.symbol) for e in exports}
    edges: Counter = Counter()
    for e in graph.symbol_edges:
        if e.source_module == facade:
            continue
        module, symbol = e.target_module, e.target_symbol
        if module == facade and symbol:
            module, symbol = through[symbol]
        if not symbol and (module == facade or (module in internals and e.source_module not in internals)):
            module = "<the service>"
        edges[(e.source_module, e.source_symbol, module, symbol, e.kind.value)] += e.weight
    return edges


def test_each_service_of_the_sample_extracted(analysis, tmp_path):
    before = None
    for service in analysis.decomposition.services:
        internals = {m.name for m in service.modules}
        tree = copy_sample(tmp_path, service.name)
        plan = plan_extraction(tree, service.name, analysis)
        apply_extraction(plan)
        compile_all(tree)
        changed = {c.path for c in plan.changes}
        for file in SAMPLE.rglob("*"):
            relative = file.relative_to(SAMPLE).as_posix()
            if file.is_file() and "__pycache__" not in relative and relative not in changed:
                assert (tree / relative).read_bytes() == file.read_bytes(), relative

        # Analysed with the facade opaque (its names defined there), so that an edge into the
        # internals shows an import that does not go through it.
        facade = tree / plan.facade_path
        real = facade.read_bytes()
        facade.write_text("".join(f"{e.name} = None\n" for e in plan.exports))
        after = analyze_path(tree, OPTIONS)
        facade.write_bytes(real)
        kept = {k.module for k in plan.kept}
        leaks = sorted(
            f"{e.source} -> {e.target} [{e.kind.value}]"
            for e in after.graph.edges
            if e.target in internals
            and e.source not in internals | {plan.facade}
            and e.kind.value not in FROM_STRINGS
            and e.source not in kept
        )
        assert leaks == [], service.name
        # Every module whose import was kept says why, and the contract lets exactly those pass.
        assert all(k.reason.startswith("kept: ") for k in plan.kept)

        before = looked_through(analysis.graph, internals, plan.facade, plan.exports)
        now = looked_through(after.graph, internals, plan.facade, plan.exports)
        assert before - now == Counter() and now - before == Counter(), service.name

        passed = lint(tree, plan.contract_path)
        assert passed.returncode == 0, passed.stdout + passed.stderr
        assert "1 kept, 0 broken" in passed.stdout

        # An internal import added back, in a module outside the service, breaks it.
        outside = next(
            m for m in analysis.graph.modules if m.name not in internals and m.name.startswith("shop.views.")
        )
        inside = sorted(m for m in internals if m.startswith("shop.") and m.count(".") >= 2)[0]
        with open(tree / outside.path, "a", encoding="utf-8") as handle:
            handle.write(f"\nimport {inside}  # added back\n")
        broken = lint(tree, plan.contract_path)
        assert broken.returncode == 1, broken.stdout
        assert f"{outside.name} -> {inside}" in broken.stdout
    assert before is not None


def test_symbol_moves_move_the_class_and_leave_it_importable(analysis, tmp_path):
    """Each service's moves, applied where that is safe, refused with a reason where not
    (a class its old module still uses, whose module's names it needs: neither loads first)."""
    applied_any = False
    for service in sorted({m.to_service for m in analysis.decomposition.symbol_moves}):
        tree = copy_sample(tmp_path, f"moves-{service}")
        try:
            plan = plan_extraction(tree, service, analysis, moves=True)
        except ExtractError as error:
            assert "move it by hand" in str(error)
            continue
        apply_extraction(plan)
        compile_all(tree)
        after = analyze_path(tree, OPTIONS)
        defined = {(m.name, d.name) for m in after.graph.modules for d in m.definitions}
        for move in plan.moves:
            applied_any = True
            assert (move.to_module, move.symbol) in {(e.module, e.name) for e in plan.exports}
            assert (move.to_module, move.symbol) in defined and (move.module, move.symbol) not in defined
            old_home = (tree / next(m.path for m in analysis.graph.modules if m.name == move.module)).read_text()
            assert "def __getattr__(name: str):" in old_home or f"import {move.symbol}  # moved" in old_home
        passed = lint(tree, plan.contract_path)
        assert passed.returncode == 0, passed.stdout + passed.stderr
    assert applied_any
