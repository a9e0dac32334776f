"""``index.html``: the proposal as one self-contained page that a person reads in a browser.

Everything is inline (styles, script, SVG, charts, and the data the script reads), and a
Content-Security-Policy lets the page fetch nothing and run nothing but its own script: a
name in the analysed code that carries markup shows as text and cannot run.
"""

from __future__ import annotations

from decompose.render.html._chart_jobs import chart_jobs
from decompose.render.html._charts import Chart, ChartJob, draw_charts
from decompose.render.html._history import HISTORY_CSV
from decompose.render.html._page import report_html
from decompose.render.html._view import CSV_FILES

__all__ = ["report_html", "chart_jobs", "draw_charts", "Chart", "ChartJob", "CSV_FILES", "HISTORY_CSV"]
