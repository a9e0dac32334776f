"""What the report carries for editing the proposal in the page (render/html/_edit.py): the
inputs of the metrics stage, by module index, and the hooks tools read. The recomputation
itself runs in the page and is tested in Chromium (test_report_edit_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict

import pytest

from decompose import analyze_path
from decompose.metrics import NED_BOUNDS
from decompose.model import EdgeKind, UseKind
from decompose.render.html import report_html
from decompose.render.html._edit import SCRIPTS
from helpers.trees import write_tree


@pytest.fixture(scope="module")
def page(sample) -> str:
    return report_html(sample).decode("utf-8")


def embedded(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_the_page_carries_every_module_pair_with_its_weight_and_calls_in_the_metrics_stages_order(
    sample, page
):
    data = embedded(page)
    names = [m[0] for m in data["modules"]]
    assert names == [m.name for m in sample.graph.modules]
    expected: dict[tuple[str, str], list[int]] = {}
    for edge in sample.graph.edges:  # as metrics.measure sums them: first met, first listed
        pair = expected.setdefault((edge.source, edge.target), [0, 0])
        pair[0] += edge.weight
        pair[1] += edge.weight if edge.kind is EdgeKind.CALL else 0
    flat = data["edit"]["edges"]
    carried = [
        ((names[flat[i]], names[flat[i + 1]]), [flat[i + 2], flat[i + 3]]) for i in range(0, len(flat), 4)
    ]
    assert carried == list(expected.items())


def test_the_page_carries_who_uses_each_symbol_and_each_entity(sample, page):
    edit = embedded(page)["edit"]
    names = [m.name for m in sample.graph.modules]
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in sample.graph.symbol_edges:
        if e.target_symbol:
            users[(e.target_module, e.target_symbol)].add(e.source_module)
    carried = {(names[s[0]], s[1]): {names[m] for m in s[2:]} for s in edit["symbols"]}
    assert carried == users
    assert len(edit["entities"]) == len(sample.data.entities)
    for entity, (module, uses) in zip(sample.data.entities, edit["entities"], strict=True):
        assert (names[module] if module >= 0 else None) == entity.module
        counted = defaultdict(int)
        for use in sample.data.uses:
            if use.entity == entity.name and use.kind is not UseKind.DEFINE:
                counted[use.module] += len(use.lines) or 1
        assert {names[m]: n for m, n in uses} == counted
    assert edit["ned"] == list(NED_BOUNDS)
    assert "cancel_order" in edit["defined"][names.index("shop.services.order_service")]


def test_every_overview_figure_is_a_hook_with_the_proposals_value(sample, page):
    for name, value in sample.metrics.proposed.overall.values().items():
        hooks = re.findall(rf'data-metric="{name}" data-value="([^"]*)"', page)
        assert hooks, name
        assert all(float(v) == value for v in hooks), name
    assert '<pre id="pins-toml" class="pins"></pre>' in page  # filled by the page once edited


def test_the_policy_lets_the_one_inline_script_run_and_it_holds_the_editor(page):
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
    assert f"sha256-{digest}" in page.split("</head>")[0]
    assert SCRIPTS[-1] == "report.js"
    for defined in ("var decomposeMap", "var decomposeEdit", "var decomposeEditor"):
        assert defined in scripts[0]
    assert "innerHTML" not in scripts[0] and "insertAdjacentHTML" not in scripts[0]


def test_the_same_analysis_gives_the_same_bytes(sample, page):
    assert page.encode("utf-8") == report_html(sample)  # ``page`` is report_html(sample), drawn before


def test_hostile_names_reach_the_editors_data_only_escaped(hostile):
    analysis = hostile
    page = report_html(analysis).decode("utf-8")
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert "<svg onload=window.__pwned=7>.broken" in json.dumps(
        json.loads(block)["modules"], ensure_ascii=False
    )


NAMESAKES = {
    "proj/__init__.py": "",
    "proj/conf/__init__.py": "",
    "proj/conf/urls/__init__.py": "from proj.urls.base import resolve\n",
    "proj/conf/urls/static.py": "from proj.urls.base import resolve, reverse\n\ndef static():\n    return resolve() + reverse()\n",
    "proj/urls/__init__.py": "from proj.urls.base import resolve\n",
    "proj/urls/base.py": "def resolve():\n    return 1\n\ndef reverse():\n    return 2\n",
    "proj/urls/conf.py": "from proj.urls.base import resolve\nfrom proj.conf.urls.static import static\n\ndef path():\n    return resolve() + static()\n",
}


def test_a_pins_table_keeps_two_services_whose_folders_share_a_name_apart(tmp_path):
    root = write_tree(tmp_path / "namesakes", NAMESAKES)
    pins = {
        "conf-urls": ["proj.conf.urls", "proj.conf.urls.*"],
        "urls": ["proj.urls", "proj.urls.*"],
        "core": ["proj", "proj.conf"],
    }
    analysis = analyze_path(root, {"pin": pins})
    placed = {m.name: s.name for s in analysis.decomposition.services for m in s.modules}
    assert placed["proj.conf.urls.static"] == "conf-urls"
