"""How large is the HTML report, and how fast does it open? One run, one table.

Run on demand (`make bench-report`); never part of the test suite. For the sample and for
Django's package (downloaded from PyPI into bench/.corpora/ on first use), it runs
`decompose analyze`, then opens index.html from file:// in headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright) --repeat times, each in a fresh browser context, and
reports the file sizes and the median time from navigation to the page being usable (its
script has built the first service's page and marked the document ready).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _corpora import download, package_dir  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    corpora = {
        "sample_monolith": HERE.parent / "sample_monolith",
        "django 5.2.8": package_dir(download("django", "5.2.8"), "django"),
    }
    print(f"{'corpus':<16} {'modules':>8} {'index.html':>11} {'all files':>10} {'write':>7} {'usable in':>10}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, root in corpora.items():
            out = Path(scratch) / name.replace(" ", "-")
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "decompose"), "analyze", str(root), "--out", str(out), "--no-cache", "-q"], check=True
            )
            analyse_and_write = time.perf_counter() - started
            index = out / "index.html"
            loads = _load_times(index, args.chromium, args.repeat)
            total = sum(p.stat().st_size for p in out.iterdir())
            count = json.loads((out / "analysis.json").read_text(encoding="utf-8"))["summary"]["modules"]
            print(
                f"{name:<16} {count:>8,} {index.stat().st_size / 1e6:>9.2f}MB {total / 1e6:>8.2f}MB "
                f"{analyse_and_write:>6.1f}s {statistics.median(loads):>9.2f}s"
                f"   (loads: {', '.join(f'{t:.2f}' for t in loads)})"
            )


def _load_times(index: Path, chromium: str, repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(index.as_uri())
            page.wait_for_selector("html[data-ready]")
            times.append(time.perf_counter() - started)
            context.close()
        browser.close()
    return times


if __name__ == "__main__":
    main()
