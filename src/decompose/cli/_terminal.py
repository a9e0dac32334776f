"""What the command line shows on a terminal besides its text: the progress bar, the width."""

from __future__ import annotations

import time

__all__ = ["ProgressBar", "terminal_width"]


def terminal_width() -> int:
    """The terminal's width, at least 100 columns (a pipe or a CI log gets 100)."""
    import shutil

    return max(100, shutil.get_terminal_size((100, 24)).columns)


class ProgressBar:
    """A rich progress bar on stderr, shown only once a run has taken a second; a context
    manager that takes it down on leaving."""

    _DELAY_SECONDS = 1.0

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._started = time.monotonic()
        self._bar = None
        self._tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._started < self._DELAY_SECONDS:
                return
            self._bar = self._make_bar()
            self._bar.start()
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total or None)
        self._bar.update(self._tasks[stage], completed=done, total=total or None)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @staticmethod
    def _make_bar():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.text import Text

        class FilesPerSecond(ProgressColumn):
            def render(self, task) -> Text:
                return Text(f"{task.speed or 0:,.0f} files/s" if task.total else "")

        return Progress(
            TextColumn("{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            FilesPerSecond(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
