"""Carry out a plan: refuse a dirty work tree, then write every file atomically.

git is only read (``git status --porcelain``, without taking the index lock); nothing is
staged, committed or checked out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from decompose._io import write_atomic
from decompose.extract._model import DirtyWorkTree, ExtractError, ExtractPlan, ExtractResult

__all__ = ["apply_extraction", "uncommitted_changes"]


def apply_extraction(plan: ExtractPlan, *, force: bool = False) -> ExtractResult:
    """Write ``plan``'s files. Raises DirtyWorkTree when the tree has uncommitted changes
    (unless ``force``), ExtractError when a file changed since the plan was made."""
    if not force:
        dirty = uncommitted_changes(plan.root)
        if dirty:
            shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
            raise DirtyWorkTree(
                f"the work tree has uncommitted changes ({shown}): commit or stash them first, so that the "
                "extraction is one diff to review, or pass --force; nothing was written"
            )
    root = plan.root.resolve()
    for change in plan.changes:
        path = root / change.path
        now = path.read_bytes() if path.is_file() else None
        if now != change.before:
            raise ExtractError(f"{change.path} changed since the extraction was planned; nothing was written")
        target = path.resolve()
        if root not in target.parents:
            raise ExtractError(f"{change.path} is outside the analysed tree {root}; nothing was written")
    written = []
    for change in plan.changes:
        path = root / change.path
        write_atomic(path, change.after)
        written.append(path)
    return ExtractResult(plan, tuple(written))


def uncommitted_changes(root: Path) -> list[str]:
    """Tracked paths under ``root`` with uncommitted changes, as git reports them; [] outside
    a work tree or without git. Untracked files do not count: the analysis folder written
    into the tree is one, and the rewrite changes none of them."""
    if shutil.which("git") is None:
        return []
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # a status must not write the index
    completed = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "--", "."],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
    )
    if completed.returncode != 0:
        return []  # not a work tree (or git refuses it): nothing to protect
    return [line[3:] for line in completed.stdout.splitlines() if line.strip()]
