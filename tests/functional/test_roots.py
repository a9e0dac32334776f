"""Import roots and the census of imports: fixture trees laid out the way real projects
run, with "a -> b" assertions on the edges that only a root makes visible."""

from __future__ import annotations

import json

from click.testing import CliRunner

from decompose.cli import main
from decompose.manifests import import_names, read_manifests
from decompose.model import ImportRoot
from helpers.trees import codes, edges, write_tree


def roots(analysis) -> set[tuple[str, str, bool]]:
    return {(r.path, r.reason, r.named_here) for r in analysis.graph.roots}


# A Django project whose manage.py sits inside the package: apps import each other by
# top-level names (label-studio's layout).
MANAGE_INSIDE_PACKAGE = {
    "studio/__init__.py": "",
    "studio/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n",
    "studio/core/__init__.py": "",
    "studio/core/settings.py": "INSTALLED_APPS = ['tasks', 'projects']\n",
    "studio/core/utils.py": "def helper():\n    return 1\n",
    "studio/tasks/__init__.py": "",
    "studio/tasks/models.py": "from core.utils import helper\nfrom projects.models import Project\n\nclass Task:\n    pass\n",
    "studio/tasks/api.py": "from ..core import utils\nfrom studio.tasks.models import Task\n",
    "studio/projects/__init__.py": "",
    "studio/projects/models.py": "import core.utils\n\nclass Project:\n    def f(self):\n        return core.utils.helper()\n",
}


def test_a_folder_holding_manage_py_is_a_root_and_names_its_apps_as_the_code_does(tree):
    analysis = tree({"requirements.txt": "django\n", **MANAGE_INSIDE_PACKAGE})
    names = {m.name for m in analysis.graph.modules}
    assert {"tasks.models", "core.utils", "projects.models", "studio"} <= names
    assert ("studio", "holds studio/manage.py", True) in roots(analysis)
    assert edges(analysis, {"import"}) >= {
        "tasks.models -> core.utils",
        "tasks.models -> projects.models",
        "projects.models -> core.utils",
        # a relative import counted from the outer root, and the long name, resolve alike
        "tasks.api -> core.utils",
        "tasks.api -> tasks.models",
    }
    assert not any(m.third_party for m in analysis.graph.modules)
    census = analysis.graph.imports
    assert census.unknown == 0 and census.resolved == census.project and census.resolved_share == 1.0


def test_the_analysed_package_itself_can_be_the_root(tmp_path):
    root = write_tree(tmp_path, MANAGE_INSIDE_PACKAGE) / "studio"
    from decompose import analyze_path

    analysis = analyze_path(root)
    assert ("." , "holds manage.py", True) in roots(analysis)
    assert "tasks.models -> core.utils" in edges(analysis, {"import"})


def test_a_manage_py_beside_non_package_apps_makes_its_folder_a_root(tree):
    analysis = tree(
        {
            "backend/manage.py": "",
            "backend/orders/__init__.py": "",
            "backend/orders/models.py": "from catalog.models import Product\n",
            "backend/catalog/__init__.py": "",
            "backend/catalog/models.py": "class Product:\n    pass\n",
            "docs/conf.py": "",
        }
    )
    assert "orders.models -> catalog.models" in edges(analysis)
    assert ("backend", "holds backend/manage.py", True) in roots(analysis)


def test_sys_path_entries_of_scripts_and_settings_are_roots(tree):
    analysis = tree(
        {
            "scripts/run.py": (
                "import os, sys\n"
                "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))\n"
                "import toolkit.io\n"
            ),
            "lib/toolkit/__init__.py": "",
            "lib/toolkit/io.py": "def read():\n    pass\n",
            "site/settings.py": (
                "import sys\nfrom pathlib import Path\n"
                "BASE_DIR = Path(__file__).resolve().parent.parent\n"
                "sys.path.append(str(BASE_DIR / 'apps'))\n"
            ),
            "apps/billing/__init__.py": "",
            "apps/billing/views.py": "from shipping.rates import rate\n",
            "apps/shipping/__init__.py": "",
            "apps/shipping/rates.py": "def rate():\n    pass\n",
        }
    )
    assert {"scripts.run -> toolkit.io", "billing.views -> shipping.rates"} <= edges(analysis)
    assert ("lib", "added to sys.path by scripts/run.py", True) in roots(analysis)
    assert ("apps", "added to sys.path by site/settings.py", True) in roots(analysis)


def test_joinpath_of_literals_is_evaluated_and_of_anything_else_refused(tree):
    analysis = tree(
        {
            "manage.py": (
                "import sys\nfrom pathlib import Path\n"
                "sys.path.insert(0, str(Path(__file__).parent.joinpath('vendor', 'libs')))\n"
                "sys.path.insert(0, str(Path(__file__).parent.joinpath(NAME)))\n"
            ),
            "vendor/libs/toolkit/__init__.py": "",
            "vendor/libs/toolkit/io.py": "def read():\n    pass\n",
            "job.py": "import toolkit.io\n",
        }
    )
    assert "job -> toolkit.io" in edges(analysis)
    assert ("vendor/libs", "added to sys.path by manage.py", True) in roots(analysis)
    assert not any(reason == "added to sys.path by manage.py" and folder != "vendor/libs" for folder, reason, _ in roots(analysis))


def test_packaging_package_dir_is_a_root(tree):
    analysis = tree(
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["requests>=2"]\n'
            '[tool.setuptools]\npackage-dir = {"" = "code"}\n',
            "code/shop/__init__.py": "",
            "code/shop/cart.py": "import requests\nfrom shop.prices import total\n",
            "code/shop/prices.py": "def total():\n    pass\n",
        }
    )
    assert "shop.cart -> shop.prices" in edges(analysis)
    assert ("code", "pyproject.toml [tool.setuptools] package-dir", True) in roots(analysis)
    assert analysis.graph.imports.declared == 1


def test_the_general_rule_finds_a_folder_whose_packages_are_imported_by_top_level_name(tree):
    analysis = tree(
        {
            "server/apps/__init__.py": "",
            "server/apps/users/__init__.py": "",
            "server/apps/users/models.py": "class User:\n    pass\n",
            "server/apps/billing/__init__.py": "",
            "server/apps/billing/invoice.py": "from users.models import User\n",
        }
    )
    assert edges(analysis) == {"billing.invoice -> users.models"}
    (found,) = [r for r in analysis.graph.roots if r.path == "server/apps"]
    assert found.reason == "its modules are imported by top-level name (users)"


def test_a_bare_import_of_a_library_beside_a_namesake_module_is_not_a_root(tree):
    analysis = tree(
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/redis.py": "import redis\n\nclient = redis.Redis()\n",
        }
    )
    assert [r.path for r in analysis.graph.roots] == ["."]
    assert edges(analysis) == set()
    assert analysis.graph.modules[-1].third_party == ("redis",)


def test_configured_roots_replace_the_ones_found(tree):
    files = {
        "backend/manage.py": "",
        "backend/orders/__init__.py": "",
        "backend/orders/models.py": "from catalog.models import Product\n",
        "backend/catalog/__init__.py": "",
        "backend/catalog/models.py": "class Product:\n    pass\n",
    }
    analysis = tree(files, roots=["backend/orders"])
    assert roots(analysis) == {(".", "the analysed folder", True), ("backend/orders", "configured (roots)", False)}
    assert "orders.models -> catalog.models" not in edges(analysis)


def test_root_option_on_the_command_line(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            "backend/orders/__init__.py": "",
            "backend/orders/models.py": "from catalog.models import Product\n",
            "backend/catalog/__init__.py": "",
            "backend/catalog/models.py": "class Product:\n    pass\n",
        },
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyze", str(root), "--out", str(out), "--root", "backend", "-q"])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "analysis.json").read_text())
    assert document["imports"]["roots"][-1] == {
        "path": "backend",
        "reason": "configured (roots)",
        "prefix": "backend",
        "named_here": True,
    }
    assert document["project"]["options"]["roots"] == ["backend"]
    assert {"source": "orders.models", "target": "catalog.models"}.items() <= document["edges"][0].items()


def test_unknown_imports_above_two_percent_are_a_warning_naming_them(tree):
    files = {"app/__init__.py": ""}
    for index in range(12):
        files[f"app/m{index}.py"] = "import json\nimport mystery.client\nfrom vendorlib import x\n"
    analysis = tree(files)
    (warning,) = [d for d in analysis.warnings if d.code == "unresolved-imports"]
    assert warning.message.startswith("24 of 36 import statements (67%) name modules")
    assert "mystery (12), vendorlib (12)" in warning.message
    assert analysis.graph.imports.unknown_names == (("mystery", 12), ("vendorlib", 12))
    assert analysis.graph.imports.stdlib == 12


def test_declared_distributions_are_not_unknown(tree):
    files = {
        "app/__init__.py": "",
        "requirements.txt": "# pinned\nmystery-client==1.0\n-r base.txt\n",
        "requirements/dev.txt": "Vendor.Lib[extra]>=2 ; python_version > '3'\n",
    }
    for index in range(12):
        files[f"app/m{index}.py"] = "import mystery_client\nfrom vendor_lib import x\n"
    analysis = tree(files)
    assert ("." , "unresolved-imports") not in codes(analysis)
    assert analysis.graph.imports.declared == 24 and analysis.graph.imports.unknown == 0


def test_manifests_of_every_format_declare_their_distributions(tmp_path):
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\ndependencies = ["Django>=4"]\n[project.optional-dependencies]\n'
            'dev = ["pytest"]\n[tool.poetry.dependencies]\npython = "^3.10"\ncelery = "*"\n',
            "setup.cfg": "[options]\ninstall_requires =\n    PyYAML\n    attrs\npackage_dir =\n    =lib\n",
            "setup.py": "from setuptools import setup, find_packages\n"
            "setup(install_requires=['Pillow'], packages=find_packages(where='src'))\n",
            "uv.lock": '[[package]]\nname = "beautifulsoup4"\n',
            "Pipfile.lock": '{"default": {"python-dateutil": {}}, "develop": {}}',
            "x.dist-info/METADATA": "Name: x\nRequires-Dist: djangorestframework (>=3)\n\nbody\n",
            "setup.py.bak": "",
        },
    )
    manifest = read_manifests([tmp_path], tmp_path)
    assert manifest.distributions == (
        "attrs",
        "beautifulsoup4",
        "celery",
        "django",
        "djangorestframework",
        "pillow",
        "pytest",
        "python-dateutil",
        "pyyaml",
    )
    assert set(manifest.package_dirs) == {
        ("lib", "setup.cfg [options] package_dir"),
        ("src", "setup.py find_packages"),
    }
    declared = manifest.declared_imports()
    assert {"django", "rest_framework", "PIL", "yaml", "bs4", "dateutil", "celery", "attr"} <= declared


def test_unreadable_manifests_are_noted_not_fatal(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "[project\n", "setup.py": "setup(\n"})
    manifest = read_manifests([tmp_path], tmp_path)
    assert {(d.path, d.code) for d in manifest.diagnostics} == {
        ("pyproject.toml", "manifest-unreadable"),
        ("setup.py", "manifest-unreadable"),
    }


def test_import_names_of_distributions():
    assert import_names("python-dateutil") == ("dateutil",)
    assert import_names("Django") == ("django",)
    assert import_names("zope.interface") == ("zope", "zope_interface")
    assert import_names("django-mptt") == ("django_mptt", "mptt")
    assert import_names("social-auth-core") == ("social", "social_auth_core", "social_core")
    assert import_names("my-lib", {"my-lib": ("mylib",)}) == ("mylib",)


def test_roots_survive_the_stored_round_trip(tmp_path):
    from decompose import analyze_path
    from decompose.render import write_report
    from decompose.render.json import document_json, stored_document
    from decompose.stored import load_analysis

    root = write_tree(tmp_path / "proj", MANAGE_INSIDE_PACKAGE)
    analysis = analyze_path(root)
    written, *_ = write_report(analysis, tmp_path / "out")
    stored = load_analysis(written)
    assert stored.graph.roots == analysis.graph.roots
    assert ImportRoot("studio", "holds studio/manage.py", "studio", True) in stored.graph.roots
    assert stored.graph.imports == analysis.graph.imports
    assert document_json(stored_document(stored)) == written.read_bytes()


def test_a_wsgi_module_of_the_analysed_package_adds_no_root(tmp_path):
    from decompose import analyze_path

    root = write_tree(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/wsgi.py": "from site.common import app\n",
            "site/common/__init__.py": "app = None\n",
        },
    ) / "site"
    analysis = analyze_path(root)
    assert roots(analysis) == {(".", "the analysed folder", True)}
    assert edges(analysis) == {"site.wsgi -> site.common"}


def test_a_wsgi_module_in_a_project_package_makes_the_folder_above_a_root(tree):
    analysis = tree(
        {
            "web/mysite/__init__.py": "",
            "web/mysite/wsgi.py": "import mysite.settings\n",
            "web/mysite/settings.py": "",
            "web/polls/__init__.py": "",
            "web/polls/views.py": "from polls import models\n",
            "web/polls/models.py": "",
        }
    )
    assert ("web", "holds web/mysite/wsgi.py", True) in roots(analysis)
    assert edges(analysis) == {"mysite.wsgi -> mysite.settings", "polls.views -> polls.models"}


def test_a_folder_of_a_repository_reads_the_declarations_at_its_top(tmp_path):
    from decompose import analyze_path

    files = {"requirements.txt": "mystery-client\n", ".git/HEAD": "ref: refs/heads/main\n"}
    for index in range(12):
        files[f"backend/app/m{index}.py"] = "import mystery_client\n"
    root = write_tree(tmp_path / "repo", files) / "backend"
    analysis = analyze_path(root, {"history": {"enabled": False}})
    assert analysis.graph.imports.declared == 12 and analysis.graph.imports.unknown == 0


def test_a_configured_root_that_cannot_be_used_is_a_warning(tree):
    analysis = tree(
        {"app/__init__.py": "", "app/models.py": "", "docs/readme.txt": "x"},
        roots=["../elsewhere", "docs", "/abs/path", "app"],
    )
    messages = sorted(d.message for d in analysis.warnings if d.code == "root-unused")
    assert messages == [
        "root '../elsewhere' is not used: it is not a folder inside the analysed one",
        "root '/abs/path' is not used: it is not a folder inside the analysed one",
        "root 'docs' is not used: no analysed module is below it",
    ]
    assert {m.name for m in analysis.graph.modules} == {"app", "app.models"}


def test_hostile_path_expressions_and_manifests_never_crash(tree):
    deep = "Path(__file__)" + ".parent" * 5000
    analysis = tree(
        {
            "manage.py": f"import sys\nfrom pathlib import Path\nsys.path.insert(0, str({deep}))\n"
            "sys.path.append(os.path.join(*['a'] * 1000))\nsys.path.extend([1, None, '..', '/etc'])\n",
            "settings.py": "import sys\nsys.path.insert(0)\nsys.path.append()\nX = X\nsys.path.append(X)\n",
            "pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "../../etc"}\n'
            '[tool.poetry]\npackages = [1, {from = 3}]\n[project]\ndependencies = [1, "ok>=1"]\n',
            "setup.py": "setup(package_dir=7, packages=find_packages(where=1), install_requires='x')\n",
            "app/__init__.py": "",
        }
    )
    assert {m.name for m in analysis.graph.modules} >= {"manage", "settings", "app"}
    assert [r.path for r in analysis.graph.roots] == ["."]
