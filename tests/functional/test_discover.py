"""Discovery: which files are analysed, under which module names, and what is left out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from decompose import analyze_path
from decompose.api import Analysis
from decompose.errors import ConfigError
from helpers.trees import edges, write_tree


def modules(analysis: Analysis) -> set[str]:
    return {m.name for m in analysis.graph.modules}


def excluded(analysis: Analysis) -> dict[str, str]:
    return {e.path: e.reason for e in analysis.excluded}


def warnings(analysis: Analysis) -> set[tuple[str, str]]:
    return {(d.path, d.code) for d in analysis.warnings}


# --------------------------------------------------------------------------- module names


def test_plain_packages_are_named_from_the_root(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/models.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/views.py": "",
        }
    )
    assert modules(analysis) == {"shop", "shop.models", "shop.orders", "shop.orders.views"}
    paths = {m.name: (m.path, m.is_package) for m in analysis.graph.modules}
    assert paths["shop.orders"] == ("shop/orders/__init__.py", True)
    assert paths["shop.orders.views"] == ("shop/orders/views.py", False)


def test_src_layout_names_are_relative_to_src(tree):
    analysis = tree(
        {
            "pyproject.toml": "[project]\nname = 'shop'\n",
            "src/shop/__init__.py": "",
            "src/shop/core.py": "",
            "src/shop/api.py": "from shop import core\n",
        }
    )
    assert modules(analysis) == {"shop", "shop.core", "shop.api"}
    assert edges(analysis) == {"shop.api -> shop.core"}


def test_namespace_packages_without_init_still_give_dotted_names(tree):
    analysis = tree({"ns/pkg/mod.py": "", "ns/pkg/other.py": "from ns.pkg import mod\n"})
    assert modules(analysis) == {"ns.pkg.mod", "ns.pkg.other"}
    assert edges(analysis) == {"ns.pkg.other -> ns.pkg.mod"}


def test_several_top_level_packages_and_loose_scripts(tree):
    analysis = tree(
        {
            "manage.py": "import shop.settings\n",
            "setup.py": "",
            "shop/__init__.py": "",
            "shop/settings.py": "",
            "billing/__init__.py": "",
            "billing/invoice.py": "from shop import settings\n",
        }
    )
    assert modules(analysis) == {
        "manage",
        "setup",
        "shop",
        "shop.settings",
        "billing",
        "billing.invoice",
    }
    assert edges(analysis) == {"manage -> shop.settings", "billing.invoice -> shop.settings"}


def test_analysed_folder_that_is_a_package_gives_names_starting_with_it(tmp_path):
    write_tree(
        tmp_path / "proj",
        {
            "shop/__init__.py": "",
            "shop/models.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/views.py": "from shop import models\nfrom .. import models as m\n",
        },
    )
    analysis = analyze_path(tmp_path / "proj" / "shop")
    assert modules(analysis) == {"shop", "shop.models", "shop.orders", "shop.orders.views"}
    assert edges(analysis) == {"shop.orders.views -> shop.models"}
    assert {m.path for m in analysis.graph.modules} == {
        "__init__.py",
        "models.py",
        "orders/__init__.py",
        "orders/views.py",
    }


def test_nested_project_names_are_relative_to_its_own_root(tree):
    analysis = tree(
        {
            "pyproject.toml": "[project]\nname = 'mono'\n",
            "app/__init__.py": "",
            "app/main.py": "import plugin.core\n",
            "libs/plugin/pyproject.toml": "[project]\nname = 'plugin'\n",
            "libs/plugin/src/plugin/__init__.py": "",
            "libs/plugin/src/plugin/core.py": "",
            "libs/other/setup.py": "",
            "libs/other/other.py": "",
        }
    )
    assert modules(analysis) == {"app", "app.main", "plugin", "plugin.core", "setup", "other"}
    assert edges(analysis) == {"app.main -> plugin.core"}


# --------------------------------------------------------------------------- default skips


def test_tooling_hidden_and_environment_folders_are_skipped_and_reported(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            ".git/hooks/x.py": "",
            ".tox/py311/lib/x.py": "",
            "shop/__pycache__/x.py": "",
            "web/node_modules/pkg/x.py": "",
            "myenv/pyvenv.cfg": "home = /usr/bin\n",
            "myenv/lib/python3.11/site.py": "",
            "build/lib/shop/__init__.py": "",
            "dist/helper.py": "",
            "shop.egg-info/x.py": "",
        }
    )
    assert modules(analysis) == {"shop"}
    assert excluded(analysis) == {
        ".git": "hidden folder",
        ".tox": "hidden folder",
        "shop/__pycache__": "tooling folder",
        "web/node_modules": "tooling folder",
        "myenv": "virtual environment",
        "build": "build or environment folder",
        "dist": "build or environment folder",
        "shop.egg-info": "tooling folder",
    }


def test_hidden_files_are_skipped_and_reported(tmp_path):
    root = write_tree(tmp_path / "proj", {"pkg/__init__.py": "", "pkg/views.py": "", "pkg/.scratch.py": ""})
    os.symlink("user@host.4242:1700000000", root / "pkg" / ".#views.py")  # an Emacs lock file
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg", "pkg.views"}
    assert excluded(analysis) == {"pkg/.scratch.py": "hidden file", "pkg/.#views.py": "hidden file"}
    assert analysis.warnings == ()


def test_a_package_named_build_is_analysed(tree):
    analysis = tree({"build/__init__.py": "", "build/steps.py": "", "dist/__init__.py": ""})
    assert modules(analysis) == {"build", "build.steps", "dist"}
    assert excluded(analysis) == {}


def test_django_migrations_are_skipped_unless_asked_for(tree):
    files = {
        "shop/__init__.py": "",
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": "from django.db import migrations\n",
        "shop/migrations/0002_order_total.py": "",
        "django/__init__.py": "",
        "django/db/__init__.py": "",
        "django/db/migrations/__init__.py": "",
        "django/db/migrations/operations.py": "",
        "django/db/migrations/state.py": "",
    }
    analysis = tree(files)
    assert modules(analysis) == {
        "shop",
        "django",
        "django.db",
        "django.db.migrations",
        "django.db.migrations.operations",
        "django.db.migrations.state",
    }
    assert excluded(analysis) == {"shop/migrations": "migrations (use --include-migrations)"}


def test_include_migrations_analyses_them(tree):
    analysis = tree(
        {
            "shop/__init__.py": "",
            "shop/migrations/__init__.py": "",
            "shop/migrations/0001_initial.py": "",
        },
        include_migrations=True,
    )
    assert modules(analysis) == {"shop", "shop.migrations", "shop.migrations.0001_initial"}
    assert excluded(analysis) == {}


# --------------------------------------------------------------------------- tests


TESTED_TREE = {
    "shop/__init__.py": "",
    "shop/core.py": "",
    "shop/test_core.py": "from shop import core\n",
    "shop/core_test.py": "",
    "conftest.py": "",
    "tests/__init__.py": "",
    "tests/test_api.py": "import shop.core\n",
    "tests/helpers.py": "",
}


def test_tests_are_left_out_by_default_and_reported(tree):
    analysis = tree(TESTED_TREE)
    assert modules(analysis) == {"shop", "shop.core"}
    assert excluded(analysis) == {
        "conftest.py": "tests (use --include-tests)",
        "shop/core_test.py": "tests (use --include-tests)",
        "shop/test_core.py": "tests (use --include-tests)",
        "tests": "tests (use --include-tests): 3 files",
    }


def test_include_tests_analyses_them(tree):
    analysis = tree(TESTED_TREE, include_tests=True)
    assert modules(analysis) == {
        "shop",
        "shop.core",
        "shop.test_core",
        "shop.core_test",
        "conftest",
        "tests",
        "tests.test_api",
        "tests.helpers",
    }
    assert excluded(analysis) == {}
    assert edges(analysis) == {"shop.test_core -> shop.core", "tests.test_api -> shop.core"}


def test_a_test_package_the_code_imports_is_pulled_in(tree):
    analysis = tree(
        {
            "django/__init__.py": "",
            "django/core.py": "",
            "django/test/__init__.py": "from .client import Client\n",
            "django/test/client.py": "from django import core\n",
            "django/test/utils.py": "",
            "django/contrib/__init__.py": "",
            "django/contrib/auth.py": "from django.test import Client\n",
            "django/contrib/tests/test_auth.py": "",
        }
    )
    assert modules(analysis) == {
        "django",
        "django.core",
        "django.contrib",
        "django.contrib.auth",
        "django.test",
        "django.test.client",
    }
    assert "django.contrib.auth -> django.test.client" in edges(analysis)
    assert "django.test.client -> django.core" in edges(analysis)
    assert excluded(analysis) == {
        "django/test": "tests (use --include-tests)",
        "django/contrib/tests": "tests (use --include-tests)",
    }


# --------------------------------------------------------------------------- exclude patterns


EXCLUDABLE = {
    "pkg/__init__.py": "",
    "pkg/core.py": "",
    "pkg/old_views.py": "",
    "pkg/old/__init__.py": "",
    "pkg/generated/__init__.py": "",
    "pkg/generated/proto_pb2.py": "",
    "pkg/sub/generated/api.py": "",
    "legacy/__init__.py": "",
    "legacy/thing.py": "",
    "pkg/legacy/x.py": "",
}


def test_exclude_by_folder_name_matches_at_any_depth(tree):
    analysis = tree(EXCLUDABLE, exclude=("legacy",))
    assert "legacy" not in modules(analysis)
    assert not any(name.startswith(("legacy", "pkg.legacy")) for name in modules(analysis))
    assert excluded(analysis) == {"legacy": "excluded by 'legacy'", "pkg/legacy": "excluded by 'legacy'"}


def test_exclude_by_double_star_glob(tree):
    analysis = tree(EXCLUDABLE, exclude=("**/generated/*",))
    assert modules(analysis) == {
        "pkg",
        "pkg.core",
        "pkg.old_views",
        "pkg.old",
        "legacy",
        "legacy.thing",
        "pkg.legacy.x",
    }
    assert excluded(analysis) == {
        "pkg/generated/__init__.py": "excluded by '**/generated/*'",
        "pkg/generated/proto_pb2.py": "excluded by '**/generated/*'",
        "pkg/sub/generated/api.py": "excluded by '**/generated/*'",
    }


def test_exclude_by_file_glob(tree):
    analysis = tree(EXCLUDABLE, exclude=("pkg/old_*.py",))
    assert "pkg.old_views" not in modules(analysis)
    assert "pkg.old" in modules(analysis)
    assert excluded(analysis) == {"pkg/old_views.py": "excluded by 'pkg/old_*.py'"}


def test_exclude_in_pyproject_tool_table(tree):
    analysis = tree(
        {
            **EXCLUDABLE,
            "pyproject.toml": '[tool.decompose]\nexclude = ["legacy", "pkg/generated"]\n',
        }
    )
    assert modules(analysis) == {"pkg", "pkg.core", "pkg.old_views", "pkg.old", "pkg.sub.generated.api"}
    assert excluded(analysis) == {
        "legacy": "excluded by 'legacy'",
        "pkg/legacy": "excluded by 'legacy'",
        "pkg/generated": "excluded by 'pkg/generated'",
    }


def test_unknown_tool_key_is_a_config_error_naming_it(tmp_path):
    root = write_tree(tmp_path / "proj", {"a.py": "", "pyproject.toml": "[tool.decompose]\nexclud = ['x']\n"})
    with pytest.raises(ConfigError, match="'exclud'"):
        analyze_path(root)


def test_malformed_pyproject_is_a_warning_not_a_crash(tree):
    analysis = tree({"a.py": "", "pyproject.toml": "[tool.decompose\nexclude = \n"})
    assert modules(analysis) == {"a"}
    assert ("pyproject.toml", "config-unreadable") in warnings(analysis)


# --------------------------------------------------------------------------- links and odd files


def test_symlink_loop_ends_with_a_warning(tmp_path):
    root = write_tree(
        tmp_path / "proj", {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/m.py": ""}
    )
    os.symlink(root / "pkg", root / "pkg" / "sub" / "back")
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg", "pkg.sub", "pkg.sub.m"}
    loop = [d for d in analysis.warnings if d.code == "symlink-loop"]
    assert [(d.path, d.message) for d in loop] == [
        ("pkg/sub/back", "symbolic link loops back to pkg, not followed")
    ]


def test_symlink_outside_the_tree_is_not_followed(tmp_path):
    write_tree(tmp_path / "elsewhere", {"secret/__init__.py": "", "secret/keys.py": "", "stray.py": ""})
    root = write_tree(tmp_path / "proj", {"pkg/__init__.py": "", "pkg/a.py": "import secret.keys\n"})
    os.symlink(tmp_path / "elsewhere" / "secret", root / "secret")
    os.symlink(tmp_path / "elsewhere" / "stray.py", root / "pkg" / "stray.py")
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg", "pkg.a"}
    assert {("secret", "symlink-outside"), ("pkg/stray.py", "symlink-outside")} <= warnings(analysis)
    assert edges(analysis) == set()


def test_broken_symlink_is_reported(tmp_path):
    root = write_tree(tmp_path / "proj", {"pkg/__init__.py": ""})
    os.symlink(root / "missing.py", root / "pkg" / "gone.py")
    os.symlink(root / "nowhere", root / "pkg" / "gonedir")
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg"}
    assert {("pkg/gone.py", "broken-symlink"), ("pkg/gonedir", "broken-symlink")} <= warnings(analysis)


def test_in_tree_link_to_an_analysed_folder_gives_no_duplicates(tmp_path):
    root = write_tree(
        tmp_path / "proj", {"pkg/__init__.py": "", "pkg/core/__init__.py": "", "pkg/core/m.py": ""}
    )
    os.symlink(root / "pkg" / "core", root / "alias")
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg", "pkg.core", "pkg.core.m"}
    assert [(d.path, d.code) for d in analysis.warnings] == [("alias", "symlink-duplicate")]
    assert {m.path for m in analysis.graph.modules} == {
        "pkg/__init__.py",
        "pkg/core/__init__.py",
        "pkg/core/m.py",
    }


def test_a_link_does_not_bring_back_an_excluded_folder(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "pkg/__init__.py": "",
            "legacy/__init__.py": "",
            "legacy/old.py": "",
            ".venv/pyvenv.cfg": "",
            ".venv/lib/site-packages/requests/__init__.py": "",
        },
    )
    os.symlink(root / "legacy", root / "pkg" / "compat")
    os.symlink(root / ".venv" / "lib" / "site-packages", root / "vendor")
    analysis = analyze_path(root, {"exclude": ("legacy",)})
    assert modules(analysis) == {"pkg"}
    assert excluded(analysis) == {
        ".venv": "hidden folder",
        "legacy": "excluded by 'legacy'",
        "pkg/compat": "symbolic link into legacy, which is excluded",
        "vendor": "symbolic link into .venv, which is excluded",
    }


def test_fifo_named_like_a_module_is_not_read(tmp_path):
    root = write_tree(tmp_path / "proj", {"pkg/__init__.py": ""})
    os.mkfifo(root / "pkg" / "x.py")
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg"}
    assert ("pkg/x.py", "not-a-file") in warnings(analysis)


def test_link_to_a_fifo_is_not_read(tmp_path):
    root = write_tree(tmp_path / "proj", {"pkg/__init__.py": ""})
    os.mkfifo(root / "pipe")
    os.symlink(root / "pipe", root / "pkg" / "x.py")
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg"}
    assert ("pkg/x.py", "not-a-file") in warnings(analysis)


def test_names_that_are_not_utf8_are_skipped_and_spelled_with_escapes(tmp_path):
    root = write_tree(tmp_path / "proj", {"pkg/__init__.py": "", "pkg/ok.py": ""})
    bad_file = os.path.join(os.fsencode(root / "pkg"), b"caf\xe9.py")
    bad_dir = os.path.join(os.fsencode(root), b"bad\xffdir")
    Path(os.fsdecode(bad_file)).write_text("import pkg.ok\n")
    os.mkdir(bad_dir)
    Path(os.fsdecode(os.path.join(bad_dir, b"m.py"))).write_text("import pkg.ok\n")
    analysis = analyze_path(root)
    assert modules(analysis) == {"pkg", "pkg.ok"}
    assert {("pkg/caf\\xe9.py", "undecodable-name"), ("bad\\xffdir", "undecodable-name")} <= warnings(
        analysis
    )
    for diagnostic in analysis.diagnostics:
        diagnostic.path.encode("utf-8")  # the report can be written


def test_an_unlistable_folder_is_a_warning(tmp_path, monkeypatch):
    root = write_tree(
        tmp_path / "proj", {"pkg/__init__.py": "", "pkg/locked/__init__.py": "", "pkg/locked/m.py": ""}
    )
    locked = root / "pkg" / "locked"
    if os.geteuid() == 0:  # root lists through chmod 000: make discovery's scandir refuse
        real_scandir = os.scandir

        def refusing_scandir(path):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr("decompose.discover.os.scandir", refusing_scandir)
        analysis = analyze_path(root)
    else:
        locked.chmod(0)
        try:
            analysis = analyze_path(root)
        finally:
            locked.chmod(0o755)
    assert modules(analysis) == {"pkg"}
    (diagnostic,) = [d for d in analysis.warnings if d.code == "unreadable"]
    assert diagnostic.path == "pkg/locked"
    assert "Permission denied" in diagnostic.message


def test_package_wins_over_a_module_file_of_the_same_name(tree):
    analysis = tree(
        {"pkg/__init__.py": "", "pkg/foo.py": "", "pkg/foo/__init__.py": "", "pkg/foo/bar.py": ""}
    )
    assert modules(analysis) == {"pkg", "pkg.foo", "pkg.foo.bar"}
    assert {m.name: m.path for m in analysis.graph.modules}["pkg.foo"] == "pkg/foo/__init__.py"
    (duplicate,) = [d for d in analysis.warnings if d.code == "duplicate-module"]
    assert duplicate.path == "pkg/foo.py"
    assert "pkg/foo/__init__.py" in duplicate.message


def test_module_list_is_sorted_and_stable(tree, tmp_path):
    files = {f"pkg{i}/mod{j}.py": "" for i in (3, 1, 2) for j in (2, 0, 1)}
    first = tree(files)
    second = analyze_path(tmp_path / "proj")
    names = [m.name for m in first.graph.modules]
    assert names == sorted(names)
    assert names == [m.name for m in second.graph.modules]
    assert first.graph == second.graph
