"""Render stage: turn an ``Analysis`` into files. Computes nothing about the code."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from decompose._io import write_atomic
from decompose._processes import available_cores, process_context
from decompose.api import Analysis
from decompose.render.json import analysis_document, analysis_json
from decompose.render.tables import write_tables

__all__ = [
    "write_report",
    "ChartDrawer",
    "write_tables",
    "analysis_document",
    "analysis_json",
    "write_atomic",
]


def write_report(analysis: Analysis, out_dir: Path, drawer: ChartDrawer | None = None) -> list[Path]:
    """Write every output file into ``out_dir``: ``analysis.json``, the page ``index.html``,
    the pull-request summary ``summary.md``, and the CSV tables (``render.tables``); return
    their paths.

    The page's matplotlib charts take longest (over a second on Django, most of it importing
    matplotlib): ``drawer`` (started before the analysis, so that its process has imported
    matplotlib by now) draws them while this process writes the rest."""
    from decompose.render.html import chart_jobs, report_html
    from decompose.render.markdown import summary_markdown

    own = drawer is None
    drawer = ChartDrawer.start() if own else drawer
    try:
        charts = drawer.draw(chart_jobs(analysis))
        written = []
        for name, content in (
            ("analysis.json", analysis_json(analysis)),
            ("summary.md", summary_markdown(analysis)),
        ):
            target = out_dir / name
            write_atomic(target, content)
            written.append(target)
        tables = write_tables(analysis, out_dir)
        page = out_dir / "index.html"
        write_atomic(page, report_html(analysis, charts()))
    finally:
        if own:
            drawer.close()
    return [written[0], page, written[1], *tables]


class ChartDrawer:
    """A child process that imports matplotlib while the analysis runs and then draws the
    report's charts while the caller writes the other files; on one core, or when no
    process can be had, the charts are drawn in the caller's process.

    ``start()`` makes one; ``warm()`` starts the process (a caller that parses with every
    core calls it once parsing is over, so the import takes the core the parse workers
    freed); ``draw()`` starts it if it was not."""

    def __init__(self, pool: ProcessPoolExecutor | None = None, usable: bool = False) -> None:
        self._pool = pool
        self._usable = usable

    @classmethod
    def start(cls) -> ChartDrawer:
        return cls(None, usable=available_cores() > 1)

    def warm(self) -> None:
        if self._pool is not None or not self._usable:
            return
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=process_context())
            self._pool.submit(_import_matplotlib)
        except (OSError, RuntimeError):
            self._pool, self._usable = None, False

    def draw(self, jobs) -> Callable[[], tuple]:
        """Start drawing ``jobs``; the returned function gives the charts, in order."""
        from decompose.render.html import draw_charts

        future = None
        if jobs:
            self.warm()
        if self._pool is not None and jobs:
            try:
                future = self._pool.submit(draw_charts, jobs)
            except (OSError, RuntimeError, BrokenProcessPool):
                future = None

        def charts() -> tuple:
            if future is not None:
                try:
                    return future.result()
                except (OSError, RuntimeError, BrokenProcessPool):
                    pass
            return draw_charts(jobs)

        return charts

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool, self._usable = None, False


def _import_matplotlib() -> None:
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    import decompose.render.html._charts  # noqa: F401
