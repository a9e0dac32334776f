"""Reading analysis.json back: the same values, the same bytes, and clear errors for bad files."""

from __future__ import annotations

import json

import pytest

from decompose import InputError, analyze_path
from decompose.baseline import baseline_of, load_baseline
from decompose.model import ApiSymbolKind, EdgeKind, ServiceKind, Severity
from decompose.render import analysis_json, write_report
from decompose.render.compare import baseline_json
from decompose.render.json import document_json, stored_document
from decompose.stored import load_analysis
from helpers.trees import SAMPLE, write_tree


@pytest.fixture
def sample_file(tmp_path, sample_report):
    """The analysis.json ``write_report`` wrote of the session's sample, copied here for the
    test to read or damage."""
    copy = tmp_path / "report" / "analysis.json"
    copy.parent.mkdir()
    copy.write_bytes((sample_report / "analysis.json").read_bytes())
    return copy


def test_the_sample_reads_back_into_equal_values(sample, sample_file):
    stored = load_analysis(sample_file.parent)
    assert stored.project == "sample_monolith"
    assert stored.graph == sample.graph
    assert stored.decomposition == sample.decomposition
    assert stored.data == sample.data
    assert stored.metrics == sample.metrics  # measured again from what was read
    assert stored.diagnostics == sample.diagnostics
    assert stored.excluded == sample.excluded
    assert stored.options == tuple(sample.config.options().items())
    assert stored.option("seed") == 0


def test_writing_what_was_read_gives_the_same_bytes(sample_file):
    stored = load_analysis(sample_file)
    assert document_json(stored_document(stored)) == sample_file.read_bytes()


def test_symbol_edges_keep_their_lines(sample, sample_file):
    stored = load_analysis(sample_file)
    with_lines = [e for e in stored.graph.symbol_edges if e.lines]
    assert len(with_lines) == len(stored.graph.symbol_edges) > 1000
    place = next(e for e in sample.graph.symbol_edges if e.target_symbol == "place_order")
    assert place in stored.graph.symbol_edges


def test_warnings_exclusions_and_entities_survive_the_round_trip(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "app/__init__.py": "",
            "app/models.py": """
                from django.db import models

                class Order(models.Model):
                    class Meta:
                        db_table = "orders"
            """,
            "app/broken.py": "print 'python 2'\nimport app.models\n",
            "app/report.py": 'SQL = "SELECT * FROM orders"\n',
            "tests/test_app.py": "import app\n",
        },
    )
    analysis = analyze_path(root)
    written, *_ = write_report(analysis, tmp_path / "out")
    stored = load_analysis(written)
    # the three coupled modules of app are most of the lines and one community: a blob, said so
    assert {d.code for d in stored.diagnostics} == {"syntax-error", "blob-service"}
    assert stored.diagnostics == analysis.diagnostics
    assert all(d.severity is Severity.WARNING for d in stored.diagnostics)
    assert [x.path for x in stored.excluded] == ["tests"]
    assert [e.name for e in stored.data.entities] == ["app.models:Order"]
    assert stored.data == analysis.data
    assert document_json(stored_document(stored)) == written.read_bytes()


def test_keys_it_does_not_know_are_ignored(sample_file):
    document = json.loads(sample_file.read_text())
    document["metrics"] = {"modularity": 0.5}
    document["modules"][0]["owner_team"] = "platform"
    sample_file.write_text(json.dumps(document))
    stored = load_analysis(sample_file)
    assert len(stored.graph.modules) == len(document["modules"])


def test_an_analysis_without_symbol_edge_lines_still_reads(sample_file):
    document = json.loads(sample_file.read_text())
    for edge in document["symbol_edges"]:
        del edge["lines"]
    sample_file.write_text(json.dumps(document))
    stored = load_analysis(sample_file)
    assert all(e.lines == () for e in stored.graph.symbol_edges)
    assert stored.graph.symbol_edges[0].kind is EdgeKind(document["symbol_edges"][0]["kind"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe garbage", "not valid JSON"),
        (b"[1, 2]", "no schema_version"),
        (b'{"name": "some-package", "version": "1.0"}', "no schema_version"),
        (b'{"schema_version": 1, "tool": {"name": "other"}}', "tool.name is not 'decompose'"),
        (
            b'{"schema_version": 7, "tool": {"name": "decompose"}}',
            "schema_version 7, this decompose reads 1; upgrade",
        ),
        (b'{"schema_version": "1", "tool": {"name": "decompose"}}', "schema_version '1'"),
        (b"[" * 100_000 + b"]" * 100_000, "not"),
        (b'{"schema_version": ' + b"1" * 5000 + b"}", "not valid JSON: Exceeds the limit (4300 digits)"),
    ],
)
def test_a_file_that_is_not_our_analysis_is_an_input_error(tmp_path, content, message):
    file = tmp_path / "analysis.json"
    file.write_bytes(content)
    with pytest.raises(InputError, match="analysis.json: ") as caught:
        load_analysis(tmp_path)
    assert message in str(caught.value)


def test_a_record_of_the_wrong_shape_is_named_with_its_place(sample_file):
    document = json.loads(sample_file.read_text())
    document["services"][2]["modules"][1]["name"] = 42
    sample_file.write_text(json.dumps(document))
    with pytest.raises(InputError, match=r"services\[2\]\.modules\[1\]\.name: expected str, got int"):
        load_analysis(sample_file)


def test_an_unknown_edge_kind_is_named(sample_file):
    document = json.loads(sample_file.read_text())
    document["edges"][3]["kind"] = "telepathy"
    sample_file.write_text(json.dumps(document))
    with pytest.raises(InputError, match=r"edges\[3\]\.kind: unknown value 'telepathy' \(known: import, "):
        load_analysis(sample_file)


def test_service_and_api_kinds_read_back_as_enums(sample_file):
    document = json.loads(sample_file.read_text())
    services = load_analysis(sample_file).decomposition.services
    assert [s.kind for s in services] == [ServiceKind(s["kind"]) for s in document["services"]]
    assert all(type(s.kind) is ServiceKind for s in services)
    assert ServiceKind.SHARED in {s.kind for s in services}
    api = [a for s in services for a in s.api]
    assert api and all(type(a.kind) is ApiSymbolKind for a in api)


def test_an_unknown_service_kind_is_named(sample_file):
    document = json.loads(sample_file.read_text())
    document["services"][1]["kind"] = "microservice"
    sample_file.write_text(json.dumps(document))
    with pytest.raises(
        InputError,
        match=r"services\[1\]\.kind: unknown value 'microservice' \(known: domain, shared, package\)",
    ):
        load_analysis(sample_file)


def test_a_baseline_reads_its_kinds_as_enums_and_names_an_unknown_one(sample, tmp_path):
    file = tmp_path / "baseline.json"
    file.write_bytes(
        baseline_json(baseline_of("sample", sample.decomposition, sample.metrics.proposed.overall))
    )
    kinds = load_baseline(file).kinds()
    assert kinds == {s.name: s.kind for s in sample.decomposition.services}
    assert all(type(kind) is ServiceKind for kind in kinds.values())
    record = json.loads(file.read_text())
    record["services"][0]["kind"] = "kernel"
    file.write_text(json.dumps(record))
    with pytest.raises(
        InputError, match=r"services\[0\]\.kind: unknown kind 'kernel' \(known: domain, shared"
    ):
        load_baseline(file)


def test_a_missing_key_is_named(sample_file):
    document = json.loads(sample_file.read_text())
    del document["decomposition"]["method"]
    sample_file.write_text(json.dumps(document))
    with pytest.raises(InputError, match=r"decomposition: 'method' is missing"):
        load_analysis(sample_file)


def test_a_missing_file_or_a_folder_without_one_says_what_to_do(tmp_path):
    with pytest.raises(InputError, match="does not exist; run 'decompose analyze' first"):
        load_analysis(tmp_path / "nowhere")
    with pytest.raises(InputError, match="holds no analysis.json; run 'decompose analyze' first"):
        load_analysis(tmp_path)


def test_the_writer_is_still_deterministic_with_lines_on_symbol_edges(sample):
    assert analysis_json(sample) == analysis_json(analyze_path(SAMPLE))
