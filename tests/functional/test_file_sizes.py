"""Files of one responsibility: no module of the command line or of the HTML report grows
past 400 lines (issue 14). A module that needs more is doing two things: split it."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.trees import REPO

LIMIT = 400
PACKAGES = ("src/decompose/cli", "src/decompose/render/html")


def _modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (REPO / package).glob("*.py"))


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_each_package_checked_is_a_package_with_modules():
    for package in PACKAGES:
        assert (REPO / package / "__init__.py").is_file(), package
    assert len(_modules()) > len(PACKAGES)


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(REPO)))
def test_module_is_at_most_400_lines(path):
    assert _lines(path) <= LIMIT, f"{path.relative_to(REPO)}: {_lines(path)} lines, over {LIMIT}"
