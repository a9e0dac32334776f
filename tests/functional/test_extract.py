"""decompose extract: the codemod on inline sources, then the plan, the writes and the CLI
on small trees. End to end on the sample: test_extract_sample.py."""

from __future__ import annotations

import dataclasses
import shutil
import textwrap

import pytest
from click.testing import CliRunner

import decompose.extract as extract_package
from decompose import analyze_path
from decompose.cli import main
from decompose.extract import (
    AmbiguousRewrite,
    DirtyWorkTree,
    ExtractError,
    ExtractPlan,
    apply_extraction,
    plan_extraction,
)
from decompose.extract._codemod import ServiceView, rewrite_module
from decompose.extract._project import ProjectIndex
from decompose.model import ModuleName, SourceFile
from decompose.parse import parse_source
from helpers.trees import write_tree

# A small shop: the service "orders" is shop.orders.models and shop.orders.services.
SHOP = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": "from shop.util import helper\n\n\nclass Order:\n    pass\n\n\nclass Line:\n    pass\n",
    "shop/orders/services.py": "def place():\n    pass\n\n\ndef cancel():\n    pass\n\n\nLIMIT = 3\n",
    "shop/util.py": "def helper():\n    pass\n",
}
INTERNALS = ("shop.orders.models", "shop.orders.services")
FACADE = ModuleName("shop.orders_api")


def _module_of(path: str) -> tuple[str, bool]:
    name = path[: -len(".py")].replace("/", ".")
    if name.endswith(".__init__"):
        return name[: -len(".__init__")], True
    return name, False


def rewrite(
    source: str,
    *,
    files: dict[str, str] | None = None,
    module: str = "shop.views",
    package: bool = False,
    eager: bool = True,
):
    """``source`` as module ``module`` beside SHOP, rewritten for the service "orders"."""
    path = module.replace(".", "/") + ("/__init__.py" if package else ".py")
    files = {**SHOP, **(files or {}), path: textwrap.dedent(source)}
    results = []
    for path, text in files.items():
        name, is_package = _module_of(path)
        results.append(parse_source(text, SourceFile(ModuleName(name), path, is_package)))
    index = ProjectIndex(results)
    exports = tuple(
        (ModuleName(m), d.name, d.name)
        for m in INTERNALS
        for d in index.facts(ModuleName(m)).definitions
        if "." not in d.name
    )
    view = ServiceView(FACADE, frozenset(ModuleName(m) for m in INTERNALS), exports)
    code = textwrap.dedent(source).encode()
    return rewrite_module(code, ModuleName(module), index, view, eager=eager)


def rewritten(source: str, **options) -> str:
    result = rewrite(source, **options)
    assert not result.problems, result.problems
    assert result.code is not None, "nothing was rewritten"
    return result.code.decode()


def problems(source: str, **options) -> list[str]:
    return [p.message for p in rewrite(source, **options).problems]


# ------------------------------------------------------------------------------ import forms


def test_from_import_absolute_and_relative_with_aliases_and_comments():
    assert rewritten(
        """\
        from shop.orders.models import Order, Line as L  # the models
        from .orders.services import place
        from ..shop.util import helper
        """
    ) == (
        "from shop.orders_api import Order, Line as L  # the models\n"
        "from shop.orders_api import place\n"
        "from ..shop.util import helper\n"
    )


def test_from_import_of_a_module_binds_the_facade_under_the_same_name():
    assert rewritten(
        """\
        from shop.orders import services
        from shop.orders import models as m

        services.place(m.Order())
        """
    ) == (
        "import shop.orders_api as services\n"
        "import shop.orders_api as m\n"
        "\n"
        "services.place(m.Order())\n"
    )


def test_import_as_alias():
    assert rewritten("import shop.orders.services as svc\nsvc.cancel()\n") == (
        "import shop.orders_api as svc\nsvc.cancel()\n"
    )


def test_import_dotted_rewrites_its_attribute_uses_and_leaves_others():
    assert rewritten(
        """\
        import shop.orders.services
        import shop.util

        def run():
            shop.orders.services.place()
            return shop.util.helper, shop.orders.services.LIMIT
        """
    ) == textwrap.dedent(
        """\
        import shop.orders_api
        import shop.util

        def run():
            shop.orders_api.place()
            return shop.util.helper, shop.orders_api.LIMIT
        """
    )


def test_type_checking_and_function_level_imports():
    assert rewritten(
        """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from shop.orders.models import Order
        else:
            Order = None


        def total(order: "Order") -> int:
            from shop.orders.services import place  # lazily: import cycles
            return place()
        """
    ) == textwrap.dedent(
        """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from shop.orders_api import Order
        else:
            Order = None


        def total(order: "Order") -> int:
            from shop.orders_api import place  # lazily: import cycles
            return place()
        """
    )


def test_without_eager_module_level_imports_are_kept_and_reported():
    result = rewrite(
        """\
        from typing import TYPE_CHECKING
        from shop.orders.models import Order

        if TYPE_CHECKING:
            from shop.orders.models import Line

        def f():
            from shop.orders.services import place
        """,
        eager=False,
    )
    code = result.code.decode()
    assert "from shop.orders.models import Order\n" in code
    assert "    from shop.orders_api import Line\n" in code
    assert "    from shop.orders_api import place\n" in code
    assert [(k.line, k.target) for k in result.kept] == [(2, "shop.orders.models")]
    assert not result.eager_facade


def test_a_statement_naming_internals_and_others_is_split_keeping_its_layout():
    source = """\
        # header comment
        from shop.orders import (  # why these
            models,
            services as svc,  # the service
        )
        from shop import (
            util,  # kept
            orders,
        )
        """
    assert rewritten(source) == textwrap.dedent(source).replace(
        "from shop.orders import (  # why these\n    models,\n    services as svc,  # the service\n)\n",
        "# why these\n# the service\nimport shop.orders_api as models\nimport shop.orders_api as svc\n",
    )


def test_mixed_names_from_a_package_re_export():
    # shop/views_helpers.py re-exports Order: a user importing it from there goes to the facade.
    files = {"shop/legacy.py": "from shop.orders.models import Order\nfrom shop.util import helper\n"}
    assert rewritten("from shop.legacy import Order, helper\n", files=files) == (
        "from shop.legacy import helper\nfrom shop.orders_api import Order\n"
    )


def test_a_name_an_internal_module_only_passes_on_is_imported_from_its_home():
    # shop.orders.models imports helper from shop.util: not the service's, not in the facade.
    assert rewritten("from shop.orders.models import Order, helper\n") == (
        "from shop.orders_api import Order\nfrom shop.util import helper\n"
    )


def test_a_standard_library_name_an_internal_module_imports_comes_from_the_library():
    files = {"shop/orders/services.py": "from decimal import Decimal\n\n\ndef place():\n    pass\n"}
    assert rewritten("from shop.orders.services import Decimal as D, place\n", files=files) == (
        "from shop.orders_api import place\nfrom decimal import Decimal as D\n"
    )


def test_a_package_keeps_re_exporting_its_own_submodules():
    result = rewrite(
        "from .models import Order\nfrom . import services\nfrom shop.util import helper\n",
        module="shop.orders",
        package=True,
    )
    assert result.code is None
    assert {k.target for k in result.kept} == {"shop.orders.models", "shop.orders.services"}


def test_untouched_module_is_left_alone():
    result = rewrite("import os\nfrom shop.util import helper\n")
    assert result.code is None and not result.problems and not result.kept


def test_every_other_byte_is_kept_crlf_tabs_and_odd_spacing():
    source = "import os\r\n#\tcomment\r\nfrom   shop.orders.models   import   Order\r\nx = ( 1 ,\r\n  2 )\r\n"
    assert rewritten(source) == source.replace("shop.orders.models", "shop.orders_api")


def test_one_line_suite_and_semicolons():
    assert rewritten("if True: from shop.orders import services; services.place()\n") == (
        "if True: import shop.orders_api as services; services.place()\n"
    )


# ------------------------------------------------------------------------------ refusals


def test_star_import_of_an_internal_module_is_refused():
    assert problems("from shop.orders.models import *\n") == [
        "'from shop.orders.models import *' imports an internal module of the service whole: which names "
        "it needs is ambiguous; import them by name first"
    ]


def test_star_import_of_a_package_that_re_exports_internals_is_refused():
    files = {"shop/everything.py": "from shop.orders.models import Order\n__all__ = ['Order']\n"}
    assert problems("from shop.everything import *\n", files=files) == [
        "'from shop.everything import *' brings in names of the service (Order): which ones are used is "
        "ambiguous; import them by name first"
    ]
    assert not problems("from shop.util import *\n")


def test_a_module_used_as_a_value_is_refused():
    [problem] = problems("from shop.orders import services\nregistry = [services]\n")
    assert "uses services (the internal module shop.orders.services) as a value" in problem


def test_a_name_bound_to_an_internal_module_and_to_something_else_is_refused():
    [problem] = problems(
        """\
        try:
            from shop.orders import services
        except ImportError:
            services = None
        services.place()
        """
    )
    assert "'services' is bound here both to an internal module of the service and to something else" in problem


def test_an_attribute_the_facade_does_not_have_is_refused():
    [problem] = problems("from shop.orders import models\nmodels.helper()\n")
    assert problem == "uses shop.orders.models.helper, which lives in shop.util, outside the service: import it from there"


def test_import_dotted_outside_the_facade_package_is_refused():
    files = {"other/__init__.py": "", "other/thing.py": "def f():\n    pass\n"}
    results = []
    for path, text in {**SHOP, **files}.items():
        name, is_package = _module_of(path)
        results.append(parse_source(text, SourceFile(ModuleName(name), path, is_package)))
    index = ProjectIndex(results)
    view = ServiceView(FACADE, frozenset({ModuleName("other.thing")}), ((ModuleName("other.thing"), "f", "f"),))
    result = rewrite_module(b"import other.thing\nother.thing.f()\n", ModuleName("shop.util"), index, view)
    assert "binds 'other', and the facade shop.orders_api is not in other" in result.problems[0].message


def test_unparsable_file_is_a_problem_not_a_crash():
    result = rewrite("from shop.orders.models import Order\nprint 'x'\n")
    assert result.problems and "libcst cannot parse it" in result.problems[0].message


# ------------------------------------------------------------------------------ plan and write

TREE = {
    **SHOP,
    "shop/views.py": """\
        from shop.orders.models import Order  # a comment
        from shop.orders import services


        def show():
            return services.place(), Order
        """,
    "shop/urls.py": 'ROUTES = ["shop.orders.services.place"]\nimport shop.util\n',
    "shop/orders/views.py": "from shop.orders.models import Line\nfrom shop.util import helper\n\n\ndef v():\n    return Line, helper\n",
    "pyproject.toml": '[tool.decompose.pin]\norders = ["shop.orders.*"]\nweb = ["shop.views", "shop.urls", "shop.util"]\n',
}


@pytest.fixture
def shop(tmp_path):
    root = write_tree(tmp_path / "shop-tree", TREE)
    return root, analyze_path(root, {"cache_dir": None, "history": {"enabled": False}})


def test_plan_writes_nothing_and_apply_writes_the_plan(shop):
    root, analysis = shop
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    plan = plan_extraction(root, "orders", analysis)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    assert plan.facade == "shop.orders_api" and plan.facade_path == "shop/orders_api.py"
    assert {(e.module, e.name) for e in plan.exports} == {
        ("shop.orders.models", "Order"),
        ("shop.orders.services", "place"),
    }
    assert [c.path for c in plan.changes] == ["importlinter-orders.toml", "shop/orders_api.py", "shop/views.py"]
    assert "+from shop.orders_api import Order  # a comment\n" in plan.diff()
    assert [(s.path, s.value, s.suggestion) for s in plan.strings] == [
        ("shop/urls.py", "shop.orders.services.place", "shop.orders_api.place")
    ]
    apply_extraction(plan)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    changed = {str(p.relative_to(root)) for p in after if before.get(p) != after[p]}
    assert changed == {c.path for c in plan.changes}
    facade = (root / "shop/orders_api.py").read_text()
    assert "from shop.orders.models import Order\n" in facade and '__all__ = [\n    "Order",\n    "place",\n]' in facade
    assert (root / "shop/views.py").read_text() == (
        "from shop.orders_api import Order  # a comment\nimport shop.orders_api as services\n\n\n"
        "def show():\n    return services.place(), Order\n"
    )
    # Again on the rewritten tree: no code changes (the contract follows the new analysis's services).
    again = plan_extraction(root, "orders", analyze_path(root, {"cache_dir": None}))
    assert {c.path for c in again.changes if c.before != c.after and c.path.endswith(".py")} == set()


def test_a_name_clash_in_the_api_stops_with_nothing_written(tmp_path):
    files = {
        **TREE,
        "shop/orders/services.py": "def place():\n    pass\n\n\nclass Order:\n    pass\n",
        "shop/views.py": "from shop.orders.models import Order\nfrom shop.orders.services import Order as O2, place\n",
    }
    root = write_tree(tmp_path / "clash", files)
    analysis = analyze_path(root, {"cache_dir": None})
    with pytest.raises(ExtractError, match=r"two names alike .*Order: shop.orders.models.Order, shop.orders.services.Order"):
        plan_extraction(root, "orders", analysis)


def test_a_star_import_stops_the_plan_naming_the_place(tmp_path):
    root = write_tree(tmp_path / "star", {**TREE, "shop/views.py": "from shop.orders.models import *\n"})
    analysis = analyze_path(root, {"cache_dir": None})
    with pytest.raises(AmbiguousRewrite) as raised:
        plan_extraction(root, "orders", analysis)
    assert raised.value.problems[0].startswith("shop/views.py:1: 'from shop.orders.models import *'")


def test_an_analysis_older_than_the_code_is_refused(shop):
    root, analysis = shop
    (root / "shop/views.py").write_text("from shop.orders.models import Order\n\n\ndef show():\n    return Order\n")
    with pytest.raises(ExtractError, match=r"the code changed since it was analysed \(shop/views.py\)"):
        plan_extraction(root, "orders", analysis)  # as many lines as before, another definition


def test_unknown_service_and_foreign_facade_file(shop):
    root, analysis = shop
    with pytest.raises(ExtractError, match="no service 'nope'.*services: orders, web"):
        plan_extraction(root, "nope", analysis)
    with pytest.raises(ExtractError, match="not a dotted module name"):
        plan_extraction(root, "orders", analysis, facade="shop.orders-api")
    with pytest.raises(ExtractError, match="shop/util.py exists and was not written by decompose extract"):
        plan_extraction(root, "orders", analysis, facade="shop.util")


def test_never_writes_outside_the_tree(shop, tmp_path):
    root, analysis = shop
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(root / "shop" / "orders")
    (root / "shop" / "orders").symlink_to(outside, target_is_directory=True)
    for name, text in SHOP.items():
        if name.startswith("shop/orders/"):
            (outside / name.rpartition("/")[2]).write_text(text)
    (outside / "views.py").write_text(TREE["shop/orders/views.py"])
    with pytest.raises(ExtractError, match="outside the analysed tree"):
        plan_extraction(root, "orders", analysis, facade="shop.orders.api")


def test_a_dirty_work_tree_is_refused_unless_forced(shop):
    from helpers.refactoring import git

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root, analysis = shop
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    plan = plan_extraction(root, "orders", analysis)
    (root / "reports").mkdir()
    (root / "reports" / "analysis.json").write_text("{}")  # untracked: does not count
    assert extract_package.uncommitted_changes(root) == []
    with open(root / "pyproject.toml", "a", encoding="utf-8") as handle:
        handle.write("# work in progress\n")
    head, status = git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain")
    with pytest.raises(DirtyWorkTree, match=r"uncommitted changes \(pyproject.toml\)"):
        apply_extraction(plan)
    assert not (root / "shop/orders_api.py").exists()
    assert git(root, "status", "--porcelain") == status and git(root, "rev-parse", "HEAD") == head
    apply_extraction(plan, force=True)
    assert (root / "shop/orders_api.py").is_file()
    assert git(root, "rev-parse", "HEAD") == head  # git is only read


def test_a_file_changed_after_planning_stops_the_writes(shop):
    root, analysis = shop
    plan = plan_extraction(root, "orders", analysis)
    (root / "shop/views.py").write_text("# changed meanwhile\n")
    with pytest.raises(ExtractError, match="shop/views.py changed since the extraction was planned"):
        apply_extraction(plan)
    assert not (root / "shop/orders_api.py").exists()


def test_plan_values_are_frozen_and_the_package_exports_what_it_says():
    assert dataclasses.is_dataclass(ExtractPlan)
    assert ExtractPlan.__dataclass_params__.frozen
    assert sorted(extract_package.__all__) == sorted(
        name for name in vars(extract_package) if not name.startswith("_") and name not in {"annotations"}
    )
    assert issubclass(AmbiguousRewrite, ExtractError) and issubclass(DirtyWorkTree, ExtractError)


# ------------------------------------------------------------------------------ CLI


def test_cli_dry_run_prints_a_diff_and_writes_nothing(shop):
    root, _ = shop
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = CliRunner().invoke(main, ["extract", "orders", str(root), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "+++ b/shop/orders_api.py" in result.stdout and "-from shop.orders import services" in result.stdout
    assert "would change 3 files" in result.stderr
    assert "string: shop/urls.py:1: 'shop.orders.services.place'" in result.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_cli_from_a_stored_analysis_applies_and_errors_exit_2(shop, tmp_path, monkeypatch):
    root, _ = shop
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["analyze", str(root), "-q", "--no-cache"]).exit_code == 0
    result = runner.invoke(main, ["extract", "orders", "--tree", str(root)])  # reports/shop-tree/
    assert result.exit_code == 0, result.output
    assert (root / "shop/orders_api.py").is_file() and "wrote " in result.stderr
    missing = runner.invoke(main, ["extract", "orders", "--tree", str(tmp_path)])
    assert missing.exit_code == 2 and "run 'decompose analyze" in missing.stderr
    star = write_tree(tmp_path / "star", {**TREE, "shop/views.py": "from shop.orders.models import *\n"})
    refused = runner.invoke(main, ["extract", "orders", str(star)])
    assert refused.exit_code == 2 and "the rewrite would be ambiguous; nothing was written" in refused.stderr
