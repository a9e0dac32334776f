"""Worker processes: how many cores this process may use, and how children are started."""

from __future__ import annotations

import multiprocessing
import os
import sys

__all__ = ["available_cores", "process_context"]


def available_cores() -> int:
    """The cores this process may run on (its affinity on Linux, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_context():
    """Children started from a fork server: a fork of this (threaded, large) process is
    unsafe, and spawning re-imports everything for each child."""
    return multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
