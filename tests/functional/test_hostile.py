"""Bad input is normal input: each hostile file is listed with its status and a warning,
and every other file of the tree is still analysed with its edges."""

from __future__ import annotations

import builtins
import json
import os
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import decompose.parse
import decompose.parse._lowering
from decompose.api import Analysis
from decompose.cli import main
from decompose.model import Diagnostic, ModuleInfo, Severity
from helpers.trees import typed_edges, write_tree

# The well-behaved part of every fixture; its edges must survive whatever sits beside it.
GOOD = {
    "shop/__init__.py": "",
    "shop/models.py": "class Order:\n    pass\n",
    "shop/views.py": "from shop.models import Order\n\n\ndef show():\n    return Order()\n",
}
GOOD_EDGES = {"shop.views -> shop.models [import]", "shop.views -> shop.models [call]"}


def module(analysis: Analysis, name: str) -> ModuleInfo:
    (found,) = [m for m in analysis.graph.modules if m.name == name]
    return found


def diagnostics_of(analysis: Analysis, path: str) -> list[Diagnostic]:
    return [d for d in analysis.diagnostics if d.path == path]


def only_diagnostic(analysis: Analysis, path: str) -> Diagnostic:
    (found,) = diagnostics_of(analysis, path)
    return found


def hostile(tree, files: dict[str, str | bytes], **overrides) -> Analysis:
    """Analyse GOOD plus ``files``; check the good part came through untouched."""
    analysis = tree({**GOOD, **files}, **overrides)
    assert GOOD_EDGES <= typed_edges(analysis)
    for name in ("shop", "shop.models", "shop.views"):
        assert module(analysis, name).status.value == "ok"
        assert diagnostics_of(analysis, module(analysis, name).path) == []
    return analysis


# --------------------------------------------------------------------------- grammar


def test_python2_file_keeps_its_imports_and_edges(tree):
    source = (
        "import os\n"
        "from shop import models\n"
        "\n"
        "try:\n"
        "    models.Order()\n"
        "except ValueError, e:\n"
        '    print "failed", e\n'
    )
    analysis = hostile(tree, {"shop/legacy.py": source})
    legacy = module(analysis, "shop.legacy")
    assert legacy.status.value == "partial"
    assert legacy.lines == 7
    assert legacy.stdlib == ("os",)
    diagnostic = only_diagnostic(analysis, "shop/legacy.py")
    assert (diagnostic.code, diagnostic.line, diagnostic.severity) == ("syntax-error", 6, Severity.WARNING)
    assert "Python 2 code?" in diagnostic.message
    assert "shop.legacy -> shop.models [import]" in typed_edges(analysis)


def test_python2_recovery_numbers_lines_as_python_does_and_skips_docstrings(tree):
    source = (
        b'"""Usage:\n\n    from shop import views\n"""\n'  # an example, not an import
        b"\x0c\n"  # a form feed: not a line break for Python, though str.splitlines says so
        b'LABEL = "a\xe2\x80\xa8b"\n'  # U+2028, likewise
        b"import os\n"
        b"from shop import models\n"
        b'print "x"\n'
    )
    analysis = hostile(tree, {"shop/legacy.py": source})
    legacy = module(analysis, "shop.legacy")
    assert (legacy.status.value, legacy.lines) == ("partial", 9)
    assert [(d.code, d.line) for d in diagnostics_of(analysis, "shop/legacy.py")] == [("syntax-error", 9)]
    assert [(e.target, e.kind.value, e.lines) for e in analysis.graph.edges if e.source == "shop.legacy"] == [
        ("shop.models", "import", (8,))
    ]


def test_old_mac_line_endings_count_as_lines(tree):
    analysis = hostile(tree, {"shop/mac.py": b"from shop import models\r\rx = models.Order()\r"})
    assert (module(analysis, "shop.mac").status.value, module(analysis, "shop.mac").lines) == ("ok", 3)
    (call,) = [e for e in analysis.graph.edges if e.source == "shop.mac" and e.kind.value == "call"]
    assert call.lines == (3,)


def test_python2_file_without_imports_is_listed_as_failed(tree):
    analysis = hostile(tree, {"shop/script.py": 'print "hello"\n'})
    assert module(analysis, "shop.script").status.value == "failed"
    diagnostic = only_diagnostic(analysis, "shop/script.py")
    assert (diagnostic.code, diagnostic.line) == ("syntax-error", 1)


def test_newer_syntax_is_read_through_libcst_with_a_note(tree):
    source = (
        "from shop import models\n"
        "\n"
        "def first[T](items: list[T]) -> T:\n"
        '    return models.Order(f"{items["k"]}")\n'
        "\n"
        'label = f"{"nested"!r:>{10}}"\n'
    )
    analysis = hostile(tree, {"shop/modern.py": source})
    assert module(analysis, "shop.modern").status.value == "ok"
    note = only_diagnostic(analysis, "shop/modern.py")
    assert (note.code, note.severity) == ("newer-syntax", Severity.INFO)
    assert note not in analysis.warnings
    assert {"shop.modern -> shop.models [import]", "shop.modern -> shop.models [call]"} <= typed_edges(
        analysis
    )
    (call,) = [e for e in analysis.graph.edges if e.source == "shop.modern" and e.kind.value == "call"]
    assert call.lines == (4,)


# --------------------------------------------------------------------------- encodings


def test_undecodable_bytes_are_reported_and_the_imports_still_read(tree):
    analysis = hostile(tree, {"shop/cafe.py": b'from shop import models\n\nNAME = "caf\xe9"\n'})
    assert module(analysis, "shop.cafe").status.value == "ok"
    diagnostic = only_diagnostic(analysis, "shop/cafe.py")
    assert (diagnostic.code, diagnostic.line) == ("decode-error", 3)
    assert "shop.cafe -> shop.models [import]" in typed_edges(analysis)


@pytest.mark.parametrize(
    "data",
    [
        b'# -*- coding: latin-1 -*-\nfrom shop import models\nNAME = "caf\xe9"\n',
        b'#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nfrom shop import models\nNAME = "\x80"\n',
        b"\xef\xbb\xbffrom shop import models\n",
    ],
    ids=["latin-1-cookie", "cookie-on-line-2", "utf-8-bom"],
)
def test_declared_encodings_and_a_bom_read_cleanly(tree, data):
    analysis = hostile(tree, {"shop/enc.py": data})
    assert module(analysis, "shop.enc").status.value == "ok"
    assert diagnostics_of(analysis, "shop/enc.py") == []
    assert "shop.enc -> shop.models [import]" in typed_edges(analysis)


@pytest.mark.parametrize(
    ("cookie", "why"),
    [
        ("klingon", "unknown encoding"),
        ("rot13", "not a text encoding"),  # crashed the run once: a codec, but bytes to bytes
        ("utf-16", "not ASCII-compatible"),
        ("punycode", "not ASCII-compatible"),
    ],
)
def test_a_coding_cookie_python_would_refuse_is_a_warning(tree, cookie, why):
    data = f"# -*- coding: {cookie} -*-\nfrom shop import models\n".encode()
    analysis = hostile(tree, {"shop/enc.py": data})
    diagnostic = only_diagnostic(analysis, "shop/enc.py")
    assert (diagnostic.code, diagnostic.line) == ("decode-error", 1)
    assert why in diagnostic.message
    assert "shop.enc -> shop.models [import]" in typed_edges(analysis)


@pytest.mark.parametrize(
    "data",
    [
        b"# coding: unicode_escape\nfrom shop import models\nNAME = 1  # \\ud800\n",
        b"# coding: utf-7\nfrom shop import models\nNAME = 1  # +2AA-\n",
    ],
    ids=["unicode_escape", "utf-7"],
)
def test_an_encoding_that_decodes_to_lone_surrogates_is_a_warning(tree, data):
    analysis = hostile(tree, {"shop/enc.py": data})
    assert module(analysis, "shop.enc").status.value == "ok"
    diagnostic = only_diagnostic(analysis, "shop/enc.py")
    assert (diagnostic.code, diagnostic.line) == ("decode-error", 3)
    assert "U+D800" in diagnostic.message
    assert "shop.enc -> shop.models [import]" in typed_edges(analysis)


def test_lone_surrogates_in_literals_do_not_stop_the_report(tmp_path):
    source = (
        "from shop import models\n"
        '__all__ = ["f", "\\udcff"]\n'
        'def f(x="\\ud800"):\n'
        '    """Doc \\ud800 line."""\n'
    )
    root = write_tree(tmp_path / "proj", {**GOOD, "shop/odd.py": source})
    result = CliRunner().invoke(main, ["analyze", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "analysis.json").read_text(encoding="utf-8")
    json.loads(text)
    assert r"Doc \\ud800 line." in text  # the escape spelled out, as written in the file


def test_the_analysed_code_s_syntax_warnings_are_not_ours(tree):
    source = 'import re\nfrom shop import models\nDIGITS = re.compile("\\d+")\nsame = models is 1\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        analysis = hostile(tree, {"shop/noisy.py": source})
    assert [str(w.message) for w in caught if w.filename.endswith("noisy.py")] == []
    assert module(analysis, "shop.noisy").status.value == "ok"


def test_nul_bytes_fail_the_file_but_it_stays_listed(tree):
    analysis = hostile(tree, {"shop/blob.py": b"from shop import models\n\x00\x00\x01\n"})
    blob = module(analysis, "shop.blob")
    assert (blob.status.value, blob.lines) == ("failed", 2)
    assert only_diagnostic(analysis, "shop/blob.py").code == "nul-bytes"


# --------------------------------------------------------------------------- size and depth


DEEP = {
    "parentheses": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "long-chain": "x = " + "+".join(["a"] * 100000) + "\n",
    "nested-lists": "x = " + "[" * 300 + "]" * 300 + "\n",
    "indentation": "".join(" " * i + "if x:\n" for i in range(120)) + " " * 120 + "pass\n",
    "attribute-chain": "x = a" + ".b" * 50000 + "\n",
    "call-chain": "x = f" + "()" * 50000 + "\n",
    "chain-of-lists": "x = " + "+".join(["[a, b]"] * 10000) + "\n",
}


@pytest.fixture
def no_libcst(monkeypatch):
    """Fail the test if a file reaches libcst: its parser segfaults or hangs on deep input."""
    sent: list[str] = []

    def refuse(sources):
        sent.extend(sources)
        return {}

    monkeypatch.setattr(decompose.parse, "run_lowering", refuse)
    return sent


@pytest.mark.parametrize("python2", [False, True], ids=["python3", "python2"])
@pytest.mark.parametrize("shape", sorted(DEEP))
def test_pathologically_deep_code_is_a_warning_not_a_crash_or_hang(tree, no_libcst, shape, python2):
    # With a Python 2 line after it, ast rejects the file at once and libcst would be next.
    source = "from shop import models\n" + DEEP[shape] + ('print "x"\n' if python2 else "")
    started = time.monotonic()
    analysis = hostile(tree, {"shop/deep.py": source})
    assert time.monotonic() - started < 30
    assert no_libcst == []
    deep = module(analysis, "shop.deep")
    found = [(d.code, d.severity) for d in diagnostics_of(analysis, "shop/deep.py")]
    if deep.status.value == "ok":  # where Python copes
        assert found == []
    else:
        assert deep.status.value == "partial"
        assert len(found) == 1 and found[0] in {
            ("too-deep", Severity.WARNING),
            ("syntax-error", Severity.WARNING),
        }
    assert "shop.deep -> shop.models [import]" in typed_edges(analysis)


def test_deep_expressions_python_rejects_are_reported_as_too_deep(tree, no_libcst):
    files = {
        f"shop/deep_{i}.py": "from shop import models\n" + DEEP[shape] for i, shape in enumerate(sorted(DEEP))
    }
    analysis = hostile(tree, files)
    by_path = {path: [(d.code, d.line) for d in diagnostics_of(analysis, path)] for path in files}
    names = sorted(DEEP)
    assert by_path[f"shop/deep_{names.index('parentheses')}.py"] == [("too-deep", 2)]
    assert by_path[f"shop/deep_{names.index('nested-lists')}.py"] == [("too-deep", 2)]
    assert by_path[f"shop/deep_{names.index('indentation')}.py"] == [("too-deep", 102)]
    assert no_libcst == []


def test_a_big_flat_literal_in_newer_syntax_still_goes_to_libcst(tree):
    # Long literals are cheap for libcst; only chains and depth are kept from it.
    table = "TABLE = {\n" + "".join(f'    "key{i}": models.Order,\n' for i in range(3000)) + "}\n"
    source = "from shop import models\n" + table + "type Alias = models.Order\n"
    analysis = hostile(tree, {"shop/table.py": source})
    assert module(analysis, "shop.table").status.value == "ok"
    assert only_diagnostic(analysis, "shop/table.py").code == "newer-syntax"
    (reference,) = [
        e for e in analysis.graph.edges if e.source == "shop.table" and e.kind.value == "reference"
    ]
    assert reference.weight == 3001


def test_a_50000_line_generated_file_is_analysed_whole(tree):
    body = "".join(f"value_{i} = models.Order()\n" for i in range(50_000))
    analysis = hostile(tree, {"shop/generated.py": "from shop import models\n" + body})
    generated = module(analysis, "shop.generated")
    assert (generated.status.value, generated.lines) == ("ok", 50_001)
    assert len(generated.definitions) == 50_000
    assert diagnostics_of(analysis, "shop/generated.py") == []
    (call,) = [e for e in analysis.graph.edges if e.source == "shop.generated" and e.kind.value == "call"]
    assert (call.target, call.weight, call.lines[-1]) == ("shop.models", 50_000, 50_001)


def test_a_file_over_max_file_bytes_is_listed_but_not_read(tree):
    analysis = hostile(
        tree, {"shop/huge.py": "from shop import models\n" + "x = 1\n" * 400}, max_file_bytes=1000
    )
    huge = module(analysis, "shop.huge")
    assert huge.status.value == "failed"
    diagnostic = only_diagnostic(analysis, "shop/huge.py")
    assert diagnostic.code == "too-large"
    assert "2,424 bytes" in diagnostic.message
    assert not any(e.source == "shop.huge" for e in analysis.graph.edges)


# --------------------------------------------------------------------------- files and imports


def test_an_unreadable_file_is_reported(tree, tmp_path, monkeypatch):
    secret = tmp_path / "proj" / "shop" / "secret.py"
    if os.geteuid() == 0:  # root reads through chmod 000: make the parse stage's open refuse
        real_open = builtins.open

        def refusing_open(file, *args, **kwargs):
            if Path(file) == secret:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(decompose.parse, "open", refusing_open, raising=False)
        analysis = hostile(tree, {"shop/secret.py": "from shop import models\n"})
    else:
        write_tree(tmp_path / "proj", {**GOOD, "shop/secret.py": "from shop import models\n"})
        secret.chmod(0)
        try:
            analysis = hostile(tree, {})
        finally:
            secret.chmod(0o644)
    assert module(analysis, "shop.secret").status.value == "failed"
    diagnostic = only_diagnostic(analysis, "shop/secret.py")
    assert diagnostic.code == "unreadable"
    assert "Permission denied" in diagnostic.message


def test_relative_imports_past_the_root_are_reported_with_their_line(tree):
    analysis = hostile(
        tree,
        {
            "shop/climb.py": "from .models import Order\nfrom ... import settings\n",
            "loose.py": "import os\nfrom . import sibling\n",
        },
    )
    assert [(d.code, d.line) for d in diagnostics_of(analysis, "shop/climb.py")] == [
        ("relative-import-beyond-root", 2)
    ]
    assert [(d.code, d.line) for d in diagnostics_of(analysis, "loose.py")] == [
        ("relative-import-beyond-root", 2)
    ]
    assert "shop.climb -> shop.models [import]" in typed_edges(analysis)
    assert module(analysis, "shop.climb").status.value == "ok"


def test_code_that_acts_when_run_is_never_run(tree, tmp_path):
    marker = tmp_path / "was_run"
    evil = (
        "import os, sys, shutil\n"
        "from shop import models\n"
        f"open({str(marker)!r}, 'w').write('ran')\n"
        "shutil.rmtree('/')\n"
        "sys.exit(3)\n"
        "os._exit(4)\n"
    )
    analysis = hostile(
        tree,
        {
            "shop/evil.py": evil,
            "setup.py": f"import sys\nopen({str(marker)!r}, 'w')\nsys.exit('no')\n",
            "shop/conftest_like.py": "raise SystemExit(1)\n",
        },
    )
    assert not marker.exists()
    assert module(analysis, "shop.evil").status.value == "ok"
    assert "shop.evil -> shop.models [import]" in typed_edges(analysis)
    assert module(analysis, "setup").status.value == "ok"


def test_analysing_from_inside_the_project_never_imports_its_modules(tree, tmp_path, monkeypatch):
    # Newer syntax sends a file to the libcst child process, whose imports must not come
    # from the current folder, here the analysed project with its own json.py and libcst/.
    marker = tmp_path / "was_run"
    shadow = f"open({str(marker)!r}, 'a').write(__name__)\n"
    root = tmp_path / "proj"
    monkeypatch.chdir(
        write_tree(root, {"json.py": shadow, "libcst/__init__.py": shadow, "decompose.py": shadow})
    )
    analysis = hostile(tree, {"shop/modern.py": "from shop import models\ntype Alias = models.Order\n"})
    assert not marker.exists()
    assert module(analysis, "shop.modern").status.value == "ok"
    assert only_diagnostic(analysis, "shop/modern.py").code == "newer-syntax"


def test_a_slow_file_for_libcst_costs_only_itself(monkeypatch):
    monkeypatch.setattr(decompose.parse._lowering, "_PER_FILE_SECONDS", 2.0)  # a child answers a small file in 0.3 s
    fast = "def f[T](x: T) -> T:\n    return x\n"
    slow = "x = " + "+".join(["a"] * 7000) + "\n"  # about 14 s in libcst: its time is quadratic
    outcomes = decompose.parse._lowering.run_lowering(
        {"a.py": fast, "b.py": slow, "c.py": fast, "d.py": fast}
    )
    assert {path: lowered is not None for path, (lowered, _) in outcomes.items()} == {
        "a.py": True,
        "b.py": False,
        "c.py": True,
        "d.py": True,
    }
    assert outcomes["b.py"][1] == "the newer-grammar parser gave up (time limit)"


# --------------------------------------------------------------------------- the CLI


def test_cli_on_a_hostile_tree_exits_0_and_prints_each_warning(tmp_path):
    root = write_tree(
        tmp_path / "proj",
        {
            **GOOD,
            "shop/legacy.py": 'from shop import models\nprint "x"\n',
            "shop/cafe.py": b'NAME = "caf\xe9"\n',
            "shop/blob.py": b"\x00",
            "shop/deep.py": "x = " + "(" * 5000 + ")" * 5000 + "\n",
        },
    )
    os.symlink(tmp_path / "nowhere", root / "shop" / "gone.py")
    result = CliRunner().invoke(main, ["analyze", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    expected = [
        ("shop/blob.py", "[nul-bytes]"),
        ("shop/cafe.py:1", "[decode-error]"),
        ("shop/deep.py:1", "[too-deep]"),
        ("shop/gone.py", "[broken-symlink]"),
        ("shop/legacy.py:2", "[syntax-error]"),
        # three coupled modules of six hold most of the lines and are one community: said so
        ("project", "[blob-service]"),
    ]
    for where, code in expected:
        assert any(line.startswith(f"warning: {where}: ") and line.endswith(code) for line in lines), (
            where,
            lines,
        )
    assert len(lines) == len(expected)
    assert (tmp_path / "out" / "analysis.json").is_file()


@pytest.mark.parametrize("case", ["missing", "file", "no-python"])
def test_cli_on_an_unusable_path_prints_one_error_line_and_exits_2(tmp_path, case):
    write_tree(tmp_path, {"script.py": "x = 1\n", "docs/readme.txt": "hello\n"})
    path = {"missing": tmp_path / "missing", "file": tmp_path / "script.py", "no-python": tmp_path / "docs"}[
        case
    ]
    result = CliRunner().invoke(main, ["analyze", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("decompose: error: "), lines
    assert str(path) in lines[0]
    assert not (tmp_path / "out").exists()
