"""Interface sketches: each service's API surface as a Protocol stub that parses."""

from __future__ import annotations

import ast

from click.testing import CliRunner

from decompose import analyze_path
from decompose.cli import main
from decompose.render.interfaces import interface_sketch, write_interfaces
from helpers.trees import SAMPLE, write_tree


def test_the_sample_services_get_stubs_that_parse_with_their_real_signatures(sample, tmp_path):
    analysis = sample
    written = write_interfaces(analysis, tmp_path)
    with_api = [s for s in analysis.decomposition.services if s.api]
    assert len(written) == len(with_api) >= 7
    owner = {m.name: s for s in analysis.decomposition.services for m in s.modules}
    text = (tmp_path / "interfaces" / f"{owner['shop.services.order_service'].name}.py").read_text()
    tree = ast.parse(text)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    functions = {
        f.name: f
        for f in classes[f"{owner['shop.services.order_service'].name.title()}Service"].body
        if isinstance(f, ast.FunctionDef)
    }
    get_order = functions["get_order"]
    assert [a.arg for a in get_order.args.args] == ["self", "number", "customer"]
    assert ast.unparse(get_order.returns) == "Order"
    assert {"is_open", "recalculate", "total"} <= {
        f.name for f in classes["Order"].body if isinstance(f, ast.FunctionDef)
    }
    for path in written:
        ast.parse(path.read_text())


def test_hostile_docstrings_and_signatures_stay_inside_string_literals(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/core.py": (
            'def place(order=\'"""; import os; os.system("x") #\'):\n'
            "    '''Ends a docstring \"\"\" early\\n and breaks lines.'''\n"
        ),
        "web/__init__.py": "",
        "web/views.py": "from app.core import place\n\ndef view():\n    place()\n",
        "jobs/__init__.py": "",
        "jobs/run.py": "from app.core import place\n\ndef run():\n    place()\n",
    }
    analysis = analyze_path(write_tree(tmp_path / "proj", files), {"services": 3})
    for service in analysis.decomposition.services:
        if service.api:
            tree = ast.parse(interface_sketch(service, analysis.graph))
            calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
            imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
            assert not calls
            assert [ast.unparse(i) for i in imports] == [
                "from __future__ import annotations",
                "from typing import Any, Protocol",
            ]


def test_the_cli_writes_interfaces_only_when_asked(sample_cli, tmp_path):
    runner = CliRunner()
    plain, out = sample_cli  # the session's run on the sample, without --interfaces
    assert plain.exit_code == 0, plain.output
    assert (out / "analysis.json").is_file() and not (out / "interfaces").exists()
    asked = runner.invoke(
        main, ["analyze", str(SAMPLE), "--out", str(tmp_path / "b"), "-q", "--no-cache", "--interfaces"]
    )
    assert asked.exit_code == 0, asked.output
    assert len(list((tmp_path / "b" / "interfaces").glob("*.py"))) >= 7


def test_services_and_method_options_reach_the_proposal(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main, ["analyze", str(SAMPLE), "--out", str(tmp_path / "k"), "-q", "--no-cache", "--services", "4"]
    )
    assert result.exit_code == 0, result.output
    import json

    document = json.loads((tmp_path / "k" / "analysis.json").read_text())
    assert len(document["services"]) == 4
    assert document["project"]["options"]["services"] == 4
