"""The report opened in headless Chromium (Debian's package) driven by Playwright, with every
network request refused and recorded, and what the console and dialogs said."""

from __future__ import annotations

import os
from pathlib import Path

from helpers.trees import REPO

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ARTIFACTS", "Report"]

CHROMIUM = Path(os.environ.get("DECOMPOSE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Report:
    """One opened report, with what the browser saw while it was open."""

    def __init__(self, browser, index: Path) -> None:
        self.url = index.as_uri()
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(5_000)
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-ready]", timeout=10_000)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.requests == []
        assert self.console == []
        assert self.dialogs == []

    def screenshot(self, name: str, selector: str | None = None) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if selector is None:
            self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        else:
            self.page.locator(selector).screenshot(path=ARTIFACTS / f"{name}.png")

    def close(self) -> None:
        self.context.close()
