"""Ownership and hotspots (issue 12): who changes each proposed service, the modules whose
main author works mostly in another one, churn × complexity per module and service; in
analysis.json, history.csv, summary.md and the report's History section, on a scripted
repository analysed end to end, and on values written here."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from dataclasses import replace

import pandas as pd
import pytest
from click.testing import CliRunner

from decompose import analyze_path
from decompose.cli import main
from decompose.metrics import UNASSIGNED, measure_history
from decompose.model import (
    AuthorElsewhere,
    AuthorWork,
    ChangeHistory,
    Decomposition,
    Definition,
    DefinitionKind,
    Hotspot,
    ModuleHistory,
    ModuleName,
    Service,
    ServiceAuthor,
    ServiceHotspots,
    ServiceModule,
)
from decompose.render import write_report
from decompose.render.html import report_html
from decompose.render.json import document_json, stored_document
from decompose.render.markdown import summary_markdown
from decompose.render.tables import history_frame
from decompose.stored import load_analysis
from helpers.gitscript import ANN, BOB, Scripted
from helpers.graphs import graph

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PINS = {"pin": {"orders": ["shop.orders.*"], "billing": ["shop.billing.*"]}}
# git strips "<" and ">" from names (and quotes at their ends): what it keeps of a hostile one.
EVE = ('=HYPERLINK("http://x") & Eve <img src=x onerror=alert(1)>', "eve@example.com")
HOSTILE = "<img src=x onerror=alert(1)>"


def _code(tmp_path_factory) -> Scripted:
    repo = Scripted(tmp_path_factory.mktemp("history-report") / "proj")
    code = {
        "shop/orders/models.py": "from shop.orders import views\nORDER = views\n",
        "shop/orders/views.py": "def show(x):\n    if x:\n        return 1\n    return 2\n",  # complexity 2
        "shop/billing/invoice.py": "from shop.billing.tax import rate\nRATE = rate()\n",
        "shop/billing/tax.py": "def rate():\n    return 2\n",  # complexity 1
    }
    for path, text in code.items():
        (repo.path / path).parent.mkdir(parents=True, exist_ok=True)
        (repo.path / path).write_text(text, encoding="utf-8")
    repo.commit()  # Ann: every module, as many lines as it has
    for _ in range(6):
        repo.commit("shop/orders/models.py", "shop/billing/invoice.py")  # Ann: one line in each
    for _ in range(5):
        repo.commit("shop/billing/tax.py", author=BOB)
    for _ in range(2):
        repo.commit("shop/orders/views.py", author=BOB)  # Bob: views' main author, though mostly in billing
    return repo


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    return _code(tmp_path_factory)


@pytest.fixture(scope="module")
def analysis(repository):
    return analyze_path(repository.path, PINS)


@pytest.fixture(scope="module")
def written(analysis, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    write_report(analysis, out)
    return out


# ------------------------------------------------------------------------------ the analysis


def test_ownership_sums_each_authors_work_over_the_services_modules(analysis):
    assert [s.name for s in analysis.decomposition.services] == ["billing", "orders"]
    billing, orders = analysis.history_report.ownership
    # billing: Ann's first commit (2 modules, 2 lines each) and 6 one-line commits; Bob's 5
    assert (billing.service, billing.commits, billing.lines, billing.authors) == ("billing", 13, 15, 2)
    assert billing.top_authors == (ServiceAuthor(ANN[0], 8, 10), ServiceAuthor(BOB[0], 5, 5))
    assert billing.concentration == 1.0 and billing.elsewhere == ()
    # orders: Ann's first commit (2 + 4 lines) and 6 one-line commits; Bob's 2
    assert (orders.commits, orders.lines, orders.authors) == (10, 14, 2)
    assert orders.top_authors == (ServiceAuthor(ANN[0], 8, 12), ServiceAuthor(BOB[0], 2, 2))


def test_a_module_whose_main_author_works_mostly_in_another_service_is_named(analysis):
    _, orders = analysis.history_report.ownership
    # Bob made 2 of views' 3 commits, and 5 commits to billing against 2 to orders; Ann's
    # 8 and 8 are even: her modules are not named.
    assert orders.elsewhere == (AuthorElsewhere("shop.orders.views", BOB[0], "orders", "billing", 2, 5),)


def test_hotspots_are_churn_times_complexity_the_highest_first(analysis):
    report = analysis.history_report
    assert report.hotspots == (
        Hotspot("shop.orders.views", "orders", 3, 6, 2, 12, BOB[0], 2),
        Hotspot("shop.billing.tax", "billing", 6, 7, 1, 7, BOB[0], 2),
    )
    # modules without functions score 0 however often they change: no hotspot
    assert [(m.module, m.churn, m.complexity, m.score) for m in report.modules] == [
        ("shop.billing.invoice", 8, 0, 0),
        ("shop.billing.tax", 7, 1, 7),
        ("shop.orders.models", 8, 0, 0),
        ("shop.orders.views", 6, 2, 12),
    ]
    assert report.service_hotspots == (
        ServiceHotspots("orders", 12, round(12 / 19, 4), 1, "shop.orders.views"),
        ServiceHotspots("billing", 7, round(7 / 19, 4), 1, "shop.billing.tax"),
    )


def _module(name: str, *complexities: int):
    return [
        Definition(f"f{i}", DefinitionKind.FUNCTION, i, i, complexity=c) for i, c in enumerate(complexities)
    ] + [Definition("K", DefinitionKind.CLASS, 90, 99)]


def _measured(modules: dict[str, tuple[int, ...]], services: dict[str, list[str]], changes):
    code = graph(modules=list(modules))
    code = replace(
        code,
        modules=tuple(replace(m, definitions=tuple(_module(m.name, *modules[m.name]))) for m in code.modules),
    )
    decomposition = Decomposition(
        tuple(
            Service(name, "domain", tuple(ServiceModule(ModuleName(m), m) for m in members))
            for name, members in services.items()
        )
    )
    history = ChangeHistory(100, "", False, (), (), tuple(changes))
    return measure_history(history, decomposition, code)


def test_the_concentration_is_the_top_three_authors_share_of_the_commits():
    work = (AuthorWork("a", 5, 50), AuthorWork("b", 3, 1), AuthorWork("c", 1, 9), AuthorWork("d", 1, 1))
    report = _measured(
        {"x.one": (3,), "x.two": (1, 1), "y.z": ()},
        {"x": ["x.one", "x.two"], "y": ["y.z"]},
        [
            ModuleHistory(ModuleName("x.one"), 4, 10, work[:2]),
            ModuleHistory(ModuleName("x.two"), 2, 5, work[2:]),
        ],
    )
    x, y = report.ownership
    assert (x.commits, x.lines, x.authors, x.concentration) == (10, 61, 4, 0.9)
    assert [a.author for a in x.top_authors] == ["a", "b", "c", "d"]
    assert (y.commits, y.authors, y.concentration, y.top_authors) == (0, 0, None, ())
    assert [(h.module, h.score) for h in report.hotspots] == [("x.one", 30), ("x.two", 10)]
    assert [(s.service, s.load, s.modules, s.hottest) for s in report.service_hotspots] == [
        ("x", 40, 2, "x.one"),
        ("y", 0, 0, None),
    ]


def test_modules_no_longer_analysed_are_left_out_and_unplaced_ones_are_unassigned():
    report = _measured(
        {"a.one": (2,), "loose": (1,)},
        {"a": ["a.one"]},
        [
            ModuleHistory(ModuleName("a.one"), 3, 4, (AuthorWork("ann", 3, 4),)),
            ModuleHistory(ModuleName("loose"), 1, 9, (AuthorWork("bob", 1, 9),)),
            ModuleHistory(ModuleName("gone"), 50, 900, (AuthorWork("bob", 50, 900),)),  # deleted since
        ],
    )
    assert [o.service for o in report.ownership] == ["a", UNASSIGNED]
    assert report.ownership[1].top_authors == (ServiceAuthor("bob", 1, 9),)  # "gone" counts nowhere
    assert [(h.module, h.service, h.score) for h in report.hotspots] == [
        ("loose", UNASSIGNED, 9),
        ("a.one", "a", 8),
    ]
    assert all(o.elsewhere == () for o in report.ownership)


def test_the_top_twenty_hotspots_are_kept_ties_by_churn_then_name():
    modules = {f"m.x{i:02d}": (1,) for i in range(25)}
    changes = [ModuleHistory(ModuleName(name), 1, 10 + i // 2, ()) for i, name in enumerate(modules)]
    report = _measured(modules, {"m": list(modules)}, changes)
    assert len(report.hotspots) == 20 and len(report.modules) == 25
    assert [h.module for h in report.hotspots[:3]] == ["m.x24", "m.x22", "m.x23"]
    assert report.hotspots[0].main_author is None and report.hotspots[0].authors == 0


# ------------------------------------------------------------------------------ the outputs


def test_analysis_json_carries_ownership_and_hotspots_and_reads_them_back(analysis, written):
    file = written / "analysis.json"
    document = json.loads(file.read_text(encoding="utf-8"))
    history = document["history"]
    assert history["ownership"][1] == {
        "service": "orders",
        "commits": 10,
        "lines": 14,
        "authors": 2,
        "concentration": 1.0,
        "top_authors": [[ANN[0], 8, 12], [BOB[0], 2, 2]],
        "elsewhere": [
            {
                "module": "shop.orders.views",
                "author": BOB[0],
                "elsewhere": "billing",
                "commits_here": 2,
                "commits_elsewhere": 5,
            }
        ],
    }
    assert history["hotspots"][0] == {
        "module": "shop.orders.views",
        "service": "orders",
        "revisions": 3,
        "churn": 6,
        "complexity": 2,
        "score": 12,
        "main_author": BOB[0],
        "authors": 2,
    }
    assert [s["service"] for s in history["service_hotspots"]] == ["orders", "billing"]
    stored = load_analysis(file)
    assert stored.history_report == analysis.history_report
    assert document_json(stored_document(stored)) == file.read_bytes()


def test_history_csv_has_each_modules_change_complexity_and_main_author(written):
    assert (written / "history.csv").read_text(encoding="utf-8") == (
        "module,service,revisions,churn,complexity,hotspot score,main author,authors\n"
        "shop.billing.invoice,billing,7,8,0,0,Ann Author,1\n"
        "shop.billing.tax,billing,6,7,1,7,Bob Builder,2\n"
        "shop.orders.models,orders,7,8,0,0,Ann Author,1\n"
        "shop.orders.views,orders,3,6,2,12,Bob Builder,2\n"
    )


def test_the_summary_gives_commits_across_services_and_the_top_hotspots(analysis):
    summary = summary_markdown(analysis).decode()
    history = summary[summary.index("### History") :]
    assert "50% with today's packages, 50% proposed (better: –); 14 commits read." in history
    assert "`shop.orders.views` in `orders` (12), `shop.billing.tax` in `billing` (7)." in history


def _section(html: str) -> str:
    start = html.index('<section id="history">')
    return html[start : html.index("</section>", start)]


def _rows(section: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]* id="{table}">.*?<tbody>(.*?)</tbody>', section, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_history_section_shows_deployability_coupling_ownership_and_hotspots(written):
    html = (written / "index.html").read_text(encoding="utf-8")
    assert '<a href="#history">History</a>' in html
    section = _section(html)
    assert "14 commits" in section
    (deployability,) = re.findall(r'<tr data-metric="cross_service_commits">(.*?)</tr>', section, re.S)
    assert re.findall(r'<td class="num[^"]*">([^<]*)</td>', deployability) == ["50%", "50%"]
    assert _rows(section, "history-services") == [["billing", "12", "7", "58%"], ["orders", "9", "7", "78%"]]
    # the change-coupling matrix: each service's commits on the diagonal, the shared ones off it
    assert _rows(section, "change-matrix") == [["billing", "12", "7"], ["orders", "7", "9"]]
    assert _rows(section, "ownership")[1][:5] == ["orders", "2", "10", "14", "100%"]
    assert _rows(section, "owned-elsewhere") == [["shop.orders.views", "orders", BOB[0], "billing", "2", "5"]]
    assert [row[1] for row in _rows(section, "hotspots")] == ["shop.orders.views", "shop.billing.tax"]
    assert _rows(section, "hotspot-load")[0] == ["orders", "12", "63%", "1", "shop.orders.views"]
    assert '<a class="csv" href="history.csv" download>' in section
    (chart,) = re.findall(
        r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="The hottest modules">', section
    )
    svg = base64.b64decode(chart).decode()
    assert "shop.orders.views" in svg and "<dc:date>" not in svg
    # the hotspot chart is the History section's, not one more of the Charts section's
    charts = html[html.index('<section id="charts">') :]
    assert charts.count("<figure") == 5


def test_hostile_author_names_reach_the_page_and_the_csv_only_as_text(tmp_path_factory):
    repo = _code(tmp_path_factory)
    for _ in range(3):  # Eve: views' main author (3 commits to Bob's 2), and 4 commits to billing
        repo.commit("shop/billing/tax.py", "shop/orders/views.py", author=EVE)
    repo.commit("shop/billing/tax.py", author=EVE)
    analysis = analyze_path(repo.path, PINS)
    kept = analysis.history_report.modules[-1].main_author  # what git kept of Eve's name
    assert kept.startswith('=HYPERLINK("http://x") & Eve') and "<" not in kept
    # git cannot carry "<" in a name, a hand-edited history can: rename Eve to markup
    history = analysis.history
    renamed = tuple(
        m._replace(authors=tuple(a._replace(author=HOSTILE) if a.author == kept else a for a in m.authors))
        for m in history.modules
    )
    history = replace(history, modules=renamed)
    hostile = replace(
        analysis,
        history=history,
        history_report=measure_history(history, analysis.decomposition, analysis.graph),
    )
    html = report_html(hostile).decode()
    section = _section(html)
    assert HOSTILE not in html and "onerror=alert(1)>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in section
    assert _rows(section, "owned-elsewhere") == [
        ["shop.orders.views", "orders", "&lt;img src=x onerror=alert(1)&gt;", "billing", "3", "4"]
    ]
    out = tmp_path_factory.mktemp("hostile-out")
    write_report(analysis, out)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&#34;http://x&#34;) &amp; Eve" in page and kept not in page
    table = pd.read_csv(out / "history.csv", keep_default_na=False).set_index("module")
    assert table.loc["shop.orders.views", "main author"] == "'" + kept  # a spreadsheet shows it, runs nothing
    assert "eve@example.com" not in (out / "analysis.json").read_text(encoding="utf-8")
    assert history_frame(hostile).set_index("module").loc["shop.orders.views", "main author"] == HOSTILE


def test_without_history_there_is_no_history_section_csv_or_key(repository, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["analyze", str(repository.path), "--out", str(out), "--no-history", "-q"]
    )
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="history"' not in html and 'href="#history"' not in html
    assert not (out / "history.csv").exists()
    assert "### History" not in (out / "summary.md").read_text(encoding="utf-8")
    assert "history" not in json.loads((out / "analysis.json").read_text(encoding="utf-8"))


def test_a_folder_exported_from_the_repository_reads_its_history_with_path_in_repo(repository, tmp_path):
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repository.path), str(bare)], check=True)
    exported = shutil.copytree(repository.path / "shop", tmp_path / "export" / "shop")
    out = tmp_path / "out"
    args = ["analyze", str(exported), "--repo", str(bare), "--out", str(out), "-q"]
    lost = CliRunner().invoke(main, args)
    assert lost.exit_code == 0, lost.output
    assert "none of the 14 commits read changed a file analysed here" in lost.output
    assert "--path-in-repo" in lost.output
    found = CliRunner().invoke(main, [*args, "--path-in-repo", "shop"])
    assert found.exit_code == 0, found.output
    document = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert document["history"]["modules"]["orders.views"] == {"revisions": 3, "churn": 6}
    assert document["project"]["options"]["history_path_in_repo"] == "shop"
    assert {h["module"] for h in document["history"]["hotspots"]} == {"orders.views", "billing.tax"}


def test_path_in_repo_is_checked(repository):
    from decompose.errors import ConfigError

    with pytest.raises(ConfigError, match="history.path-in-repo"):
        analyze_path(repository.path, {"history": {"path-in-repo": 3}})
    assert analyze_path(repository.path, {"history": {"path-in-repo": "shop/orders"}}).history.modules == ()
