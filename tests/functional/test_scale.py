"""Parallel parsing and the facts cache: faster runs, never different answers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from decompose import analyze_path
from decompose.cli import main
from decompose.discover import discover
from decompose.parse import FactCache, parse_files
from decompose.render import analysis_json
from helpers.trees import SAMPLE, write_tree


def many_modules(root, count=160):
    """A package big enough for the process pool: each module imports and calls the previous."""
    files = {"big/__init__.py": ""}
    for i in range(count):
        previous = f"from big import m{i - 1}\n\ndef f{i}():\n    return m{i - 1}.f{i - 1}()\n" if i else ""
        files[f"big/m{i}.py"] = previous + f"\nclass C{i}:\n    pass\n"
    files["big/broken.py"] = 'print "python 2"\nimport big.m3\n'
    return write_tree(root, files)


def test_process_pool_gives_the_same_bytes_as_one_process(tmp_path):
    root = many_modules(tmp_path / "proj")
    one = analyze_path(root, {"jobs": 1})
    two = analyze_path(root, {"jobs": 2})
    assert one.jobs == 1 and two.jobs == 2
    assert analysis_json(one) == analysis_json(two)
    assert "big.m5 -> big.m4" in {f"{e.source} -> {e.target}" for e in two.graph.edges}


def test_cache_rerun_parses_nothing_and_one_edit_parses_one_file(tmp_path):
    root = many_modules(tmp_path / "proj", count=30)
    cache = tmp_path / "cache"
    cold = analyze_path(root, {"cache_dir": cache})
    assert (cold.files_parsed, cold.files_from_cache) == (32, 0)
    warm = analyze_path(root, {"cache_dir": cache})
    assert (warm.files_parsed, warm.files_from_cache) == (0, 32)
    assert analysis_json(warm) == analysis_json(cold)

    (root / "big/m7.py").write_text("from big import m2\n\ndef f7():\n    return m2.f2()\n")
    edited = analyze_path(root, {"cache_dir": cache})
    assert (edited.files_parsed, edited.files_from_cache) == (1, 31)
    assert analysis_json(edited) == analysis_json(analyze_path(root))
    targets = {e.target for e in edited.graph.edges if e.source == "big.m7"}
    assert targets == {"big.m2"}


def test_cached_diagnostics_follow_a_moved_file(tmp_path):
    root = write_tree(tmp_path / "proj", {"a/__init__.py": "", "a/old.py": 'print "x"\n'})
    cache = tmp_path / "cache"
    analyze_path(root, {"cache_dir": cache})
    (root / "a/old.py").rename(root / "a/new.py")
    moved = analyze_path(root, {"cache_dir": cache})
    assert moved.files_from_cache == 2
    assert [(d.path, d.code) for d in moved.warnings] == [("a/new.py", "syntax-error")]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-10] + b"0123456789", id="corrupt"),
        pytest.param(lambda data: b"\x89PNG\r\n\x1a\n" + data, id="foreign"),
        pytest.param(lambda data: data.replace(b'"tool"', b'"tooo"', 1), id="other-version"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_damaged_cache_is_ignored_and_rebuilt(tmp_path, damage):
    root = many_modules(tmp_path / "proj", count=10)
    cache = tmp_path / "cache"
    clean = analyze_path(root, {"cache_dir": cache})
    (store,) = cache.iterdir()
    store.write_bytes(damage(store.read_bytes()))
    rerun = analyze_path(root, {"cache_dir": cache})
    assert rerun.files_from_cache == 0 and rerun.files_parsed == 12
    assert len(rerun.notes) == 1 and "ignored and rebuilt" in rerun.notes[0]
    assert analysis_json(rerun) == analysis_json(clean)
    again = analyze_path(root, {"cache_dir": cache})
    assert again.files_from_cache == 12 and again.notes == ()


def test_a_cache_folder_that_cannot_be_written_is_a_note_not_a_failure(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    analysis = analyze_path(SAMPLE, {"cache_dir": blocker / "cache"})
    assert len(analysis.graph.modules) == 81
    assert any("not saved" in note for note in analysis.notes)


def test_cli_jobs_and_cache_give_identical_json(tmp_path):
    outputs = []
    for name, options in [
        ("serial", ["--jobs", "1", "--no-cache"]),
        ("pool-cold", ["--jobs", "2", "--cache-dir", str(tmp_path / "c")]),
        ("pool-warm", ["--jobs", "2", "--cache-dir", str(tmp_path / "c")]),
    ]:
        out = tmp_path / name
        result = CliRunner().invoke(main, ["analyze", str(SAMPLE), "--out", str(out), "-q", *options])
        assert result.exit_code == 0, result.output
        assert result.output == ""  # quiet, and no progress bar off a terminal
        outputs.append((out / "analysis.json").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    options = json.loads(outputs[0])["project"]["options"]
    assert "jobs" not in options and "cache_dir" not in options
    assert options["method"] == "leiden" and options["seed"] == 0


def test_cache_keeps_sql_model_and_relation_facts(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "shop/__init__.py": "",
            "shop/models.py": """
                from django.db import models
                class Order(models.Model):
                    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE)
                    class Meta:
                        app_label = "orders"
                        db_table = "orders_order"
            """,
            "shop/report.py": 'TOTALS = "SELECT sum(total) FROM orders_order JOIN payments p ON true"\n',
        },
    )
    files = discover(root).files
    cache_dir = tmp_path / "cache"
    cold_cache = FactCache.for_root(cache_dir, root)
    cold = parse_files(root, files, 10**6, cache=cold_cache)
    cold_cache.save()
    warm = parse_files(root, files, 10**6, cache=FactCache.for_root(cache_dir, root))
    assert (cold.from_cache, warm.from_cache) == (0, 3)
    assert warm.results == cold.results
    facts = {r.file.module: r.facts for r in warm.results}
    assert [tuple(m) for m in facts["shop.models"].model_meta] == [("Order", "orders_order", "orders", False)]
    assert [r.target for r in facts["shop.models"].relations] == ["customers.Customer"]
    assert [s.table for s in facts["shop.report"].sql_refs] == ["orders_order", "payments"]
    options = {"cache_dir": cache_dir}
    assert analysis_json(analyze_path(root, options)) == analysis_json(analyze_path(root))


def test_cache_keeps_complexity_and_abstractness(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "shop/base.py": """
                from abc import ABC
                class Repository(ABC): ...
                def pick(x):
                    return 1 if x else 2
            """,
        },
    )
    files = discover(root).files
    cache = FactCache.for_root(tmp_path / "cache", root)
    cold = parse_files(root, files, 10**6, cache=cache)
    cache.save()
    warm = parse_files(root, files, 10**6, cache=FactCache.for_root(tmp_path / "cache", root))
    assert warm.from_cache == 1 and warm.results == cold.results
    definitions = {d.name: d for d in warm.results[0].facts.definitions}
    assert (definitions["Repository"].abstract, definitions["pick"].complexity) == (True, 2)
