"""git, run read-only: never with a repository location the caller's environment carries
(a git hook sets some), never taking the index lock, never prompting or fetching."""

from __future__ import annotations

import os
import subprocess

__all__ = ["run_git", "last_line"]

# Repository locations a caller's environment may carry (a git hook sets some): never inherited.
_LOCATION_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_SHALLOW_FILE",
    "GIT_GRAFT_FILE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_QUARANTINE_PATH",
)


def run_git(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    env = {key: value for key, value in os.environ.items() if key not in _LOCATION_ENV}
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", LC_ALL="C")
    try:
        return subprocess.run(
            ["git", *args],
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=env,
        )
    except OSError:
        return None


def last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1].strip() if lines else "no message"
