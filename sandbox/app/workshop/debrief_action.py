"""Simulation > Debrief Pack: one action writes everything about the current run into a folder.

The folder (``TITLE-debrief-YYYYMMDD-HHMMSS`` inside the folder the user picks; or the folder
``security-sandbox FILE --debrief DIR`` names) holds what
:func:`sandbox.core.debrief.write_debrief` writes (the scenario, the run report as JSON, the
per-tick series as CSV, the event log as Markdown, the canvas at twice screen resolution, one PNG
per chart of the charts dock, ``chart-NAME.png``, each laid out at the charts' export size
whether or not its tab was ever shown, and the handout ``index.md`` / ``index.html``), each
written atomically.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from sandbox.app.run import exports
from sandbox.core.debrief import write_debrief

CANVAS_SCALE = 2  # the canvas at twice screen resolution: sharp in a printed handout


def slug(text: str) -> str:
    """A file-name-safe stem: letters, digits and dashes."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "run"


class DebriefAction:
    """The action and what it does; ``window`` offers ``document``, ``canvas`` and ``live``."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.action = QAction("Write &Debrief Pack…", window)
        self.action.setStatusTip(
            "Save the canvas, charts, event log, run report, series and scenario in one folder"
        )
        self.action.triggered.connect(self.ask_and_write)

    def ask_and_write(self) -> Path | None:
        parent = self.ask_folder()
        if not parent:
            return None
        try:
            folder = self.write(parent)
        except OSError as error:
            self.show_problem(f"{error.filename or parent}: {error.strerror or error}")
            return None
        self.window.statusBar().showMessage(f"Debrief pack written to {folder}", 8000)
        return folder

    def write(self, parent: str | Path) -> Path:
        """Write the pack of the current run into a new folder inside ``parent``; returns it."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = Path(parent) / f"{slug(self.window.document.scenario.meta.title)}-debrief-{stamp}"
        self.write_into(folder)
        return folder

    def write_into(self, folder: str | Path) -> None:
        """Write the pack of the current run into ``folder`` (created if missing)."""
        window = self.window
        scenario = window.document.scenario
        window.live.controller.settle()  # a tick stepping in the background finishes first
        simulation = window.live.controller.simulation
        title = window.live.event_log.title or scenario.meta.title
        report = simulation.report()
        room = window.workshop.room.section_for(simulation) if window.workshop is not None else None
        if room is not None:  # a run the room played: the room beside the model
            report["room"] = room
        window.live.charts.set_report(report, scenario)  # the burden charts, even if never shown
        images = {"canvas": exports.png_bytes(window.canvas.picture(CANVAS_SCALE))}
        captions = {"canvas": f"The map at tick {simulation.tick}"}
        for chart in window.live.charts.charts:
            stem = f"chart-{slug(chart.title)}"
            images[stem], captions[stem] = chart.png_bytes(), chart.title
        write_debrief(
            folder,
            scenario,
            report_json=exports.report_json(report),
            series=simulation.recorder.series,
            event_log_markdown=exports.event_log_markdown(simulation.events, title),
            images=images,
            report=report,
            captions=captions,
        )

    def ask_folder(self) -> str | None:
        """The folder to create the pack in (tests replace this)."""
        return QFileDialog.getExistingDirectory(self.window, "Write the debrief pack into") or None

    def show_problem(self, text: str) -> None:
        QMessageBox.warning(self.window, "Debrief pack", text)
