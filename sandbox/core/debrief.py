"""The debrief pack: one folder holding everything a workshop needs after a run.

:func:`write_debrief` writes, into ``folder`` (created if missing; files of the same names are
replaced atomically, nothing else in the folder is touched):

- ``scenario.sandbox``: the scenario as run;
- ``report.json``: the run report (SPEC.md), as the caller rendered it;
- ``series.csv``: the per-tick metrics, one row per tick, a ``tick`` column first;
- ``event-log.md``: the narrated event log as Markdown, as the caller rendered it;
- one ``NAME.png`` per image passed in (the app passes the canvas and every chart).
"""

from __future__ import annotations

import csv
import io
import pathlib
from collections.abc import Mapping

import numpy as np

from sandbox.core.fileformat import atomic_write, dumps_scenario
from sandbox.core.scenario import Scenario

SCENARIO_FILE = "scenario.sandbox"
REPORT_FILE = "report.json"
SERIES_FILE = "series.csv"
EVENT_LOG_FILE = "event-log.md"


def series_csv(series: Mapping[str, np.ndarray]) -> str:
    """The per-tick series as CSV text: ``tick`` first, then the other series in their order
    (the recorder's); ``run --series`` writes the same."""
    names = ["tick", *(name for name in series if name != "tick")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(zip(*(np.asarray(series[name]).tolist() for name in names), strict=True))
    return out.getvalue()


def write_debrief(
    folder: str | pathlib.Path,
    scenario: Scenario,
    *,
    report_json: str,
    series: Mapping[str, np.ndarray],
    event_log_markdown: str,
    images: Mapping[str, bytes] | None = None,
) -> list[pathlib.Path]:
    """Write the pack into ``folder``; ``images`` maps a file stem to PNG bytes.
    Returns the paths written, in the order of the module docstring."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str | bytes] = {
        SCENARIO_FILE: dumps_scenario(scenario),
        REPORT_FILE: report_json,
        SERIES_FILE: series_csv(series),
        EVENT_LOG_FILE: event_log_markdown,
        **{f"{stem}.png": png for stem, png in (images or {}).items()},
    }
    for name, data in files.items():
        atomic_write(folder / name, data)
    return [folder / name for name in files]
