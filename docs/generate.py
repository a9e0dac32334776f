"""Write the generated pages of docs/ (``make docs``); ``--check`` only says which differ.

The pages come from ``decompose._docs.PAGES``: today docs/configuration.md, from the option
table in src/decompose/config/_table.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from decompose._docs import PAGES

DOCS = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, page in PAGES.items():
        path = DOCS / name
        text = page()
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(DOCS.parent)}")
    if check and stale:
        print(f"out of date: {', '.join(stale)} (run make docs)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
