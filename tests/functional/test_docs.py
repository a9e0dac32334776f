"""The README stays an introduction, and docs/ stays true to the code and to itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from decompose._docs import PAGES, configuration_markdown
from helpers.trees import REPO

DOCS = REPO / "docs"
PAGES_CHECKED = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^()\s]+)\)")


def test_configuration_page_is_what_the_option_table_generates():
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert page == configuration_markdown(), "docs/configuration.md is stale: run make docs"


def test_every_generated_page_is_up_to_date():
    for name, generate in PAGES.items():
        assert (DOCS / name).read_text(encoding="utf-8") == generate(), f"docs/{name}: run make docs"


def test_the_configuration_page_names_every_key_of_the_option_table():
    from decompose.config import OPTIONS

    page = configuration_markdown()
    for key, option in OPTIONS.items():
        assert f"| `{key.rpartition('.')[2]}` |" in page or not option.in_file


def test_readme_is_at_most_150_lines():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150


@pytest.mark.parametrize("page", PAGES_CHECKED, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_relative_link_reaches_a_file_and_heading(page: Path):
    broken = []
    for target in _links(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif fragment and linked.suffix == ".md" and fragment not in _anchors(linked):
            broken.append(f"{target}: no heading #{fragment} in {linked.name}")
    assert not broken, "\n".join(broken)


def test_the_link_checker_sees_links_and_anchors():
    text = "# A `b` title: c\n\nsee [x](other.md#a-b-title-c) and ![p](report.png)\n```sh\n[no](n.md)\n```\n"
    assert list(_links(text)) == ["other.md#a-b-title-c", "report.png"]
    assert _slug("A `b` title: c") == "a-b-title-c"
    assert _slug("`[tool.decompose.history]`") == "tooldecomposehistory"


def _links(markdown: str):
    """Link and image targets outside code blocks and code spans."""
    for line in _prose_lines(markdown):
        for match in LINK.finditer(re.sub(r"`[^`]*`", "``", line)):
            yield match.group(1)


def _anchors(page: Path) -> set[str]:
    """The fragments GitHub gives the page's headings."""
    anchors: set[str] = set()
    for line in _prose_lines(page.read_text(encoding="utf-8")):
        heading = re.match(r"#{1,6} (.+)", line)
        if heading:
            slug = _slug(heading.group(1))
            anchor, n = slug, 0
            while anchor in anchors:
                n += 1
                anchor = f"{slug}-{n}"
            anchors.add(anchor)
    return anchors


def _slug(heading: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _prose_lines(markdown: str):
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield line
