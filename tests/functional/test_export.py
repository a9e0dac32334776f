"""Exporting the proposal: import-linter and tach configs that the real tools accept on the
proposal's own code and reject on a violation; diagrams with every untrusted name escaped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose import analyze_path
from decompose.boundaries import boundaries, compress
from decompose.cli import EXPORT_FORMATS, ExitCode, main
from decompose.render import write_report
from decompose.render.export import (
    FORMATS,
    dot_graph,
    export,
    import_linter_config,
    mermaid_graph,
    tach_config,
)
from decompose.stored import load_analysis
from helpers.trees import SAMPLE, write_tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

BIN = Path(sys.executable).parent

# Three top-level packages, one service each (method "packages"): billing uses catalog and
# common, catalog uses common, common uses nothing.
SMALL = {
    "pyproject.toml": '[tool.decompose]\nmethod = "packages"\n',
    "common/__init__.py": "from common.money import Money\n",
    "common/money.py": "class Money:\n    pass\n\n\ndef _internal():\n    pass\n",
    "catalog/__init__.py": "",
    "catalog/products.py": "from common import Money\n\n\ndef price():\n    return Money()\n",
    "billing/__init__.py": "",
    "billing/invoices.py": (
        "from catalog.products import price\nfrom common.money import Money\n\n\n"
        "def total():\n    return price(), Money()\n"
    ),
}


def stored_from(tmp_path: Path, root: Path, **overrides):
    written, *_ = write_report(analyze_path(root, overrides or None), tmp_path / "report")
    return load_analysis(written)


@pytest.fixture(scope="module")
def sample_stored(tmp_path_factory):
    return stored_from(tmp_path_factory.mktemp("sample"), SAMPLE)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The three packages and their stored analysis, for the module's tests to read (a test
    that changes the code works on a copy)."""
    folder = tmp_path_factory.mktemp("small")
    root = write_tree(folder / "small", SMALL)
    return root, stored_from(folder, root)


def run_tool(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------------------------ rules


def test_facade_packages_are_importable_by_services_that_may_use_what_they_re_export(small):
    _, stored = small
    rules = boundaries(stored.graph, stored.decomposition)
    by_name = {s.name: s for s in rules.services}
    assert by_name["billing"].may_use == ("catalog", "common")
    assert by_name["common"].may_use == ()
    assert sorted(rules.importable_by(by_name["catalog"])) == [
        "catalog",
        "catalog.products",
        "common",
        "common.money",
    ]
    assert dict(rules.interfaces) == {
        "billing.invoices": ("Money", "price"),  # what a module imports, others may import from it
        "catalog.products": ("Money", "price"),
        "common": ("Money",),  # re-exported from common.money
        "common.money": ("*", "Money"),
    }
    assert rules.is_acyclic()


def test_compress_writes_a_package_whole_only_when_nothing_under_it_is_elsewhere_or_excluded(small):
    _, stored = small
    modules = stored.graph.modules
    every = [m.name for m in modules]
    assert compress(every, modules) == [("billing", True), ("catalog", True), ("common", True)]
    assert compress(["common", "catalog.products"], modules) == [
        ("catalog.products", False),
        ("common", False),
    ]
    from decompose.model import Exclusion

    assert compress(every, modules, [Exclusion("catalog/tests", "tests")])[1:3] == [
        ("catalog", False),
        ("catalog.products", False),
    ]


# ------------------------------------------------------------------------------ import-linter


def test_import_linter_config_for_three_packages(small):
    _, stored = small
    config = import_linter_config(stored)
    body = config[config.index("[tool.importlinter]") :]
    assert body == (
        "[tool.importlinter]\n"
        'root_packages = ["billing", "catalog", "common"]\n'
        "\n"
        "# billing: no contract, it may use every other service\n"
        "\n"
        "[[tool.importlinter.contracts]]\n"
        'id = "decompose-2"\n'
        'name = "Service catalog imports only from common"\n'
        'type = "forbidden"\n'
        'source_modules = ["catalog", "catalog.**"]\n'
        'forbidden_modules = ["billing", "billing.**"]\n'
        "as_packages = false\n"
        "allow_indirect_imports = true\n"
        "\n"
        "[[tool.importlinter.contracts]]\n"
        'id = "decompose-3"\n'
        'name = "Service common imports only from no other service"\n'
        'type = "forbidden"\n'
        'source_modules = ["common", "common.**"]\n'
        'forbidden_modules = ["billing", "billing.**", "catalog", "catalog.**"]\n'
        "as_packages = false\n"
        "allow_indirect_imports = true\n"
    )
    assert "their dependencies acyclic" in config


def write_lint_config(root: Path, stored) -> Path:
    config = root / "importlinter.toml"
    config.write_text(import_linter_config(stored))
    return config


def test_lint_imports_keeps_the_sample_proposal(sample_stored, tmp_path):
    root = shutil.copytree(SAMPLE, tmp_path / "sample")
    config = write_lint_config(root, sample_stored)
    completed = run_tool([str(BIN / "lint-imports"), str(config), "--no-cache"], root)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    contracts = import_linter_config(sample_stored).count("[[tool.importlinter.contracts]]")
    assert contracts >= 5
    assert f"{contracts} kept, 0 broken" in completed.stdout


def a_forbidden_import(stored):
    """(importing module, its path, a module the proposal does not let its service import)."""
    rules = boundaries(stored.graph, stored.decomposition, stored.excluded)
    paths = {m.name: m.path for m in stored.graph.modules}
    for service in rules.services:
        allowed = rules.importable_by(service)
        outside = sorted(
            m
            for m in paths
            if m not in allowed and m.startswith("shop.") and not paths[m].endswith("__init__.py")
        )
        sources = [
            m for m in service.modules if m.startswith("shop.") and not paths[m].endswith("__init__.py")
        ]
        if outside and sources:
            return sources[0], paths[sources[0]], outside[0]
    raise AssertionError("every service may use every other")


def test_lint_imports_reports_an_import_across_a_forbidden_boundary(sample_stored, tmp_path):
    root = shutil.copytree(SAMPLE, tmp_path / "sample")
    source, path, target = a_forbidden_import(sample_stored)
    with open(root / path, "a", encoding="utf-8") as handle:
        handle.write(f"\nimport {target}  # crosses the boundary\n")
    config = write_lint_config(root, sample_stored)
    completed = run_tool([str(BIN / "lint-imports"), str(config), "--no-cache"], root)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "1 broken" in completed.stdout
    assert f"{source} -> {target}" in completed.stdout


# ------------------------------------------------------------------------------ tach


def test_tach_config_for_three_packages(small):
    _, stored = small
    config = tomllib.loads(tach_config(stored))
    assert config["source_roots"] == ["."]
    modules = {tuple(m["paths"]): m["depends_on"] for m in config["modules"]}
    assert modules[("catalog", "catalog.products")] == ["catalog", "catalog.**", "common", "common.**"]
    assert modules[("common", "common.money")] == ["common", "common.**"]
    interfaces = [(i["expose"], i["from"], i.get("visibility")) for i in config["interfaces"]]
    assert (["^Money$"], ["^common$"], None) in interfaces
    assert ([r"^\*$", "^Money$"], [r"^common\.money$"], None) in interfaces
    assert ([".*"], ["^common$", r"^common\.money$"], ["common", "common.money"]) in interfaces


def test_tach_keeps_the_sample_proposal(sample_stored, tmp_path):
    root = shutil.copytree(SAMPLE, tmp_path / "sample")
    (root / "tach.toml").write_text(tach_config(sample_stored))
    completed = run_tool([str(BIN / "tach"), "check"], root)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_tach_reports_an_import_across_a_forbidden_boundary(sample_stored, tmp_path):
    root = shutil.copytree(SAMPLE, tmp_path / "sample")
    source, path, target = a_forbidden_import(sample_stored)
    with open(root / path, "a", encoding="utf-8") as handle:
        handle.write(f"\nimport {target}  # crosses the boundary\n")
    (root / "tach.toml").write_text(tach_config(sample_stored))
    completed = run_tool([str(BIN / "tach"), "check"], root)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert f"Module '{source}' cannot depend on '{target}'" in completed.stdout + completed.stderr


def test_tach_reports_a_use_of_another_services_internals(small, tmp_path):
    shared, stored = small
    root = shutil.copytree(shared, tmp_path / "small")
    (root / "tach.toml").write_text(tach_config(stored))
    assert run_tool([str(BIN / "tach"), "check"], root).returncode == 0
    with open(root / "catalog/products.py", "a", encoding="utf-8") as handle:
        handle.write("\nfrom common.money import _internal\n")
    completed = run_tool([str(BIN / "tach"), "check"], root)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert (
        "common.money._internal' is not part of the public interface" in completed.stdout + completed.stderr
    )


# ------------------------------------------------------------------------------ diagrams


def test_dot_graph_has_one_node_per_service_and_edges_with_calls_and_uses(small):
    _, stored = small
    dot = dot_graph(stored)
    assert '"billing" [label="billing\\n2 modules, ' in dot
    assert '"billing" -> "catalog" [label="1 / ' in dot
    assert dot.count(" -> ") == 3
    assert dot.rstrip().endswith("}")


def test_cycles_are_red_and_the_kernel_is_grey_and_dashed(sample_stored):
    dot = dot_graph(sample_stored)
    (cycle, *_) = sample_stored.decomposition.cycles
    first, second = cycle.services[0], cycle.services[1]
    edge = next(line for line in dot.splitlines() if line.startswith(f'  "{first}" -> "{second}" '))
    assert 'color="#d93025"' in edge
    assert '"shared" [label="shared\\n' in dot and "dashed" in dot.split('"shared" [label=')[1].split("\n")[0]
    mermaid = mermaid_graph(sample_stored)
    assert ":::shared" in mermaid
    assert "linkStyle " in mermaid and "stroke:#d93025" in mermaid


def test_mermaid_flowchart_of_three_services(small):
    _, stored = small
    lines = mermaid_graph(stored).splitlines()
    assert lines[2] == "flowchart LR"
    assert '  s0["<b>billing</b><br/>2 modules, 6 lines"]:::service' in lines
    assert sum(" -->|" in line for line in lines) == 3


HOSTILE = 'evil"] --> x\n[[tool.importlinter.contracts]]\n<script>#'


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydot's parser on new pyparsing
def test_hostile_service_names_are_quoted_in_every_format(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "pyproject.toml": f"[tool.decompose]\nservices = 2\n[tool.decompose.pin]\n{json.dumps(HOSTILE)} = ['app.a*']\n",
            "app/__init__.py": "",
            "app/a.py": "def f():\n    return 1\n",
            "app/a2.py": "from app import a\n\ndef h():\n    return a.f()\n",
            "app/b.py": "from app import a\n\ndef g():\n    return a.f()\n",
            "app/b2.py": "from app import b\n\ndef k():\n    return b.g()\n",
        },
    )
    stored = stored_from(tmp_path, root)
    assert HOSTILE in {s.name for s in stored.decomposition.services}
    contracts = tomllib.loads(import_linter_config(stored))["tool"]["importlinter"]["contracts"]
    assert [c["name"] for c in contracts] == [f"Service {HOSTILE} imports only from no other service"]
    tach = tomllib.loads(tach_config(stored))
    assert len(tach["modules"]) == 2
    dot = dot_graph(stored)
    assert '"evil\\"] --> x\\n[[tool.importlinter.contracts]]\\n<script>#" [label=' in dot
    (graph,) = pytest.importorskip("pydot").graph_from_dot_data(dot)
    assert len(graph.get_nodes()) == 5  # two services and the graph, node and edge defaults
    labels = [line for line in mermaid_graph(stored).splitlines() if '["' in line]
    assert len(labels) == 2
    for line in labels:
        label = line.split('["', 1)[1].rsplit('"]', 1)[0]
        assert not set(label) & set('"[]\n'), label
    assert any(
        "evil#34;#93; --#62; x#10;#91;#91;tool.importlinter.contracts#93;#93;#10;#60;script#62;#35;" in line
        for line in labels
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydot's parser on new pyparsing
def test_dot_output_parses_as_graphviz(sample_stored):
    pydot = pytest.importorskip("pydot")
    (graph,) = pydot.graph_from_dot_data(dot_graph(sample_stored))
    names = {node.get_name().strip('"') for node in graph.get_nodes()} - {"node", "edge", "graph"}
    assert names == {s.name for s in sample_stored.decomposition.services}


# ------------------------------------------------------------------------------ command line


def test_export_writes_to_stdout_or_a_file(tmp_path, small):
    root, stored = small
    report = stored.source.parent
    result = CliRunner().invoke(main, ["export", str(report), "--format", "mermaid"])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == mermaid_graph(stored)
    out = tmp_path / "tach.toml"
    result = CliRunner().invoke(
        main, ["export", str(report / "analysis.json"), "--format", "tach", "--out", str(out)]
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert out.read_text() == tach_config(stored)
    assert f"wrote {out}" in result.stderr


def test_export_of_a_missing_or_foreign_analysis_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["export", str(tmp_path), "--format", "dot"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.stderr.count("\n") == 1 and "holds no analysis.json" in result.stderr
    (tmp_path / "analysis.json").write_text('{"name": "a package.json, say"}')
    result = CliRunner().invoke(main, ["export", str(tmp_path), "--format", "dot"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "not an analysis written by decompose" in result.stderr
    assert "Traceback" not in result.output


def test_the_cli_offers_every_format_the_renderer_has(small):
    _, stored = small
    assert EXPORT_FORMATS == tuple(FORMATS)
    assert all(export(stored, f).endswith("\n") for f in EXPORT_FORMATS)
