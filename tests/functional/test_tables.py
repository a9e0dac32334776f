"""CSV tables: readable by pandas, one row per thing, the same bytes every run, and safe to
open in a spreadsheet."""

from __future__ import annotations

import pandas as pd
import pytest

from decompose import analyze_path
from decompose.render import write_report
from decompose.render.tables import api_frame, edges_frame, metrics_frame, modules_frame, services_frame
from helpers.trees import SAMPLE


@pytest.fixture(scope="module")
def written(sample_report):
    """The session's report of the sample: the tables ``write_report`` wrote beside it."""
    return sample_report


def test_each_csv_has_one_row_per_thing(sample, written):
    api_symbols = sum(len(s.api) for s in sample.decomposition.services)
    proposed, current = sample.metrics.proposed, sample.metrics.current
    assert api_symbols > 0
    expected = {
        "modules.csv": len(sample.graph.modules),
        "services.csv": len(proposed.services) + len(current.services),
        "api.csv": api_symbols,
        "edges.csv": len(sample.graph.edges),
        "metrics.csv": len(proposed.overall.values()),
    }
    for name, rows in expected.items():
        assert len(pd.read_csv(written / name)) == rows, name


def test_modules_csv_carries_each_modules_metrics_service_and_package(sample, written):
    table = pd.read_csv(written / "modules.csv").set_index("module")
    for row in sample.metrics.proposed.modules:
        line = table.loc[row.module]
        assert (line["service"], line["lines"], line["afferent (Ca)"], line["efferent (Ce)"]) == (
            row.service, row.lines, row.afferent, row.efferent
        )
        assert line["complexity"] == row.complexity
        if row.instability is None:
            assert pd.isna(line["instability (I)"]) and pd.isna(line["distance (D)"])
        else:
            assert line["instability (I)"] == row.instability
    assert table.loc["shop.models.orders", "package"] == "shop.models"
    assert table.loc["manage", "package"] == "(top-level modules)"


def test_metrics_csv_sets_proposed_against_current(sample, written):
    table = pd.read_csv(written / "metrics.csv").set_index("metric")
    proposed, current = sample.metrics.proposed.overall, sample.metrics.current.overall
    assert table.loc["modularity", "proposed"] == proposed.modularity
    assert table.loc["modularity", "current"] == current.modularity
    assert table.loc["icp", "change"] == pytest.approx(proposed.icp - current.icp, abs=1e-4)
    assert table.loc["icp", "better"] == "lower" and table.loc["sm", "better"] == "higher"
    # Counts stay integers: "9", not "9.0".
    assert f"\nservices,{proposed.services},{current.services}," in (written / "metrics.csv").read_text()


def test_edges_csv_flags_the_edges_that_cross(sample, written):
    table = pd.read_csv(written / "edges.csv")
    service = {m.module: m.service for m in sample.metrics.proposed.modules}
    crossing = sum(service[e.source] != service[e.target] for e in sample.graph.edges)
    assert 0 < table["crosses services"].sum() == crossing < len(table)
    assert set(table.columns) >= {"source", "target", "kind", "weight", "source service", "target service"}
    assert (table["crosses packages"] == (table["source package"] != table["target package"])).all()


def test_two_runs_write_the_same_bytes(sample, written, tmp_path):
    write_report(analyze_path(SAMPLE), tmp_path)
    for path in sorted(written.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_frames_are_plain_tables_for_the_report(sample):
    frames = {
        "modules": modules_frame(sample),
        "services": services_frame(sample),
        "api": api_frame(sample),
        "edges": edges_frame(sample),
        "metrics": metrics_frame(sample),
    }
    assert all(isinstance(f, pd.DataFrame) and f.index.is_unique for f in frames.values())
    assert list(frames["services"]["decomposition"].unique()) == ["proposed", "current"]
    assert list(frames["api"].columns[:5]) == ["service", "module", "symbol", "kind", "signature"]
    assert frames["modules"]["module"].tolist() == [m.name for m in sample.graph.modules]


def test_a_docstring_shaped_like_a_formula_is_not_a_formula_in_the_csv(tree, tmp_path):
    analysis = tree(
        {
            "alpha/__init__.py": "",
            "alpha/api.py": '''
                def run(total=-1):
                    """=HYPERLINK("http://example.invalid", "click")"""
            ''',
            "beta/__init__.py": "",
            "beta/use.py": "from alpha.api import run\nrun()\n",
        },
        method="packages",
    )
    out = tmp_path / "out"
    write_report(analysis, out)
    (row,) = pd.read_csv(out / "api.csv").itertuples()
    assert (row.service, row.symbol, row.signature) == ("alpha", "run", "(total=-1)")
    assert row.doc == "'=HYPERLINK(\"http://example.invalid\", \"click\")"
    assert api_frame(analysis)["doc"].tolist() == ['=HYPERLINK("http://example.invalid", "click")']
