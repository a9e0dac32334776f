"""Functional fixtures: the headless browser, launched once for the session, and the
sample's report opened in it.

Without /usr/bin/chromium (or ``$DECOMPOSE_CHROMIUM``) the browser tests skip, unless
DECOMPOSE_REQUIRE_BROWSER=1 (set by .ci/run), where they fail instead: CI always runs them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.browser import CHROMIUM, CHROMIUM_ARGS, Report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"headless Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("DECOMPOSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DECOMPOSE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def sample_index(sample_report) -> Path:
    return sample_report / "index.html"


@pytest.fixture
def report(browser, sample_index):
    """The sample's report opened afresh, for a test that clicks, sorts or scrolls; it must
    fetch nothing and log no error."""
    opened = Report(browser, sample_index)
    yield opened
    opened.assert_clean()
    opened.close()
