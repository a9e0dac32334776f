"""The same input writes the same bytes, whatever the process's string hashes.

Python salts the hash of every string per process (``PYTHONHASHSEED``), so the order of a set
of strings, and of a dict built from one, changes from run to run. Every list the report cuts
or orders must follow the data instead. The fixture has more cycles between services than
the report lists, so which ones are listed is a choice the data must make.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.trees import write_tree

PACKAGES = 30
# Package i uses i+1, i+2 and i-3: the cycles i -> i+1 -> i+3 -> i and i -> i+2 -> i+3 -> i,
# two per package, none of whose links is a mutual pair: 60 three-service cycles.
OFFSETS = (1, 2, -3)
SEEDS = ("1", "2")


def _ring_of_packages(root: Path) -> Path:
    files: dict[str, str] = {}
    for i in range(PACKAGES):
        used = [(i + offset) % PACKAGES for offset in OFFSETS]
        imports = "".join(f"from p{j:02d}.core import Thing{j}, make{j}\n" for j in used)
        calls = ", ".join(f"make{j}()" for j in used)
        files[f"p{i:02d}/__init__.py"] = ""
        files[f"p{i:02d}/models.py"] = (
            f"from django.db import models\n\n\nclass Record{i}(models.Model):\n    name = models.TextField()\n"
        )
        files[f"p{i:02d}/rules.py"] = (
            f"from p{i:02d}.models import Record{i}\n\n\ndef check{i}(record: Record{i}):\n    return record.name\n"
        )
        files[f"p{i:02d}/core.py"] = (
            f"{imports}from p{i:02d}.models import Record{i}\nfrom p{i:02d}.rules import check{i}\n\n\n"
            f"class Thing{i}:\n    def run(self):\n        return [{calls}]\n\n\n"
            f"def make{i}():\n    return Thing{i}(), [check{i}(r) for r in Record{i}.objects.all()]\n"
        )
        nxt = used[0]
        files[f"p{i:02d}/views.py"] = (
            f"from p{i:02d}.core import Thing{i}\nfrom p{nxt:02d}.core import make{nxt}\n"
            f"from p{nxt:02d}.models import Record{nxt}\n\n\n"
            f"def view():\n    return Thing{i}().run(), make{nxt}(), Record{nxt}.objects.count()\n"
        )
    return write_tree(root, files)


def _analyze(tree: Path, out: Path, seed: str, options: list[str]) -> subprocess.Popen:
    script = Path(sys.executable).parent / "decompose"
    command = [str(script), "analyze", str(tree), "--out", str(out), "--no-cache", "-q", *options]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("options", [[], ["--method", "packages"]], ids=["clustered", "packages"])
def test_two_hash_seeds_write_the_same_bytes(tmp_path, options):
    tree = _ring_of_packages(tmp_path / "ring")
    runs = {seed: _analyze(tree, tmp_path / f"out{seed}", seed, options) for seed in SEEDS}
    for seed, run in runs.items():
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, f"PYTHONHASHSEED={seed}: {stderr}"

    document = json.loads((tmp_path / "out1" / "analysis.json").read_text())
    listed = document["decomposition"]["cycles"]
    counted = document["metrics"]["proposed"]["cycles"]
    assert len(document["services"]) == PACKAGES
    assert counted == 2 * PACKAGES > len(listed) > 0  # more cycles than the report lists

    first, second = _files(tmp_path / "out1"), _files(tmp_path / "out2")
    assert sorted(first) == sorted(second)
    assert "index.html" in first and "summary.md" in first
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_short_cycles_are_the_mutual_pairs_then_the_one_way_triangles_in_data_order():
    import networkx as nx

    from decompose.services import short_cycles

    links = {(f"p{i:02d}", f"p{(i + o) % PACKAGES:02d}") for i in range(PACKAGES) for o in OFFSETS}
    links.add(("p00", "p29"))  # p29 -> p00 is there: a mutual pair
    found = short_cycles(links)
    assert found[0] == ("p00", "p29")
    assert found[1:] == sorted(found[1:]) and all(len(c) == 3 for c in found[1:])
    assert ("p00", "p01", "p03") in found and ("p00", "p03", "p01") not in found
    assert ("p00", "p02", "p29") not in found  # p29 -> p00 -> p02 -> p29 is made of the pair
    assert len(found) == 1 + 2 * PACKAGES - 2
    # The same cycles as networkx finds, each once, from its least service.
    mutual = {frozenset(link) for link in links if link[::-1] in links}
    expected = set()
    for cycle in nx.simple_cycles(nx.DiGraph(sorted(links)), length_bound=3):
        if len(cycle) == 3 and any(frozenset((cycle[k], cycle[(k + 1) % 3])) in mutual for k in range(3)):
            continue
        start = cycle.index(min(cycle))
        expected.add(tuple(cycle[start:] + cycle[:start]))
    assert set(found) == expected and len(found) == len(expected)
    assert short_cycles(sorted(links, reverse=True)) == found
