"""Simulation > Debrief Pack: one action writes everything about the current run into a folder.

The folder (``TITLE-debrief-YYYYMMDD-HHMMSS`` inside the folder the user picks) holds what
:func:`sandbox.core.debrief.write_debrief` writes (the scenario, the run report as JSON, the
per-tick series as CSV, the event log as Markdown, the canvas as PNG) plus one PNG per chart of
the charts dock (``chart-NAME.png``), each written atomically.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from sandbox.app import exports
from sandbox.core.debrief import write_debrief

CHART_WIDTH = 1600  # pixels: sharp on a projector and in a printed handout


def png_bytes(widget: QWidget) -> bytes:
    """The widget as drawn now, as PNG bytes."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


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
        window = self.window
        scenario = window.document.scenario
        window.live.controller.settle()  # a tick stepping in the background finishes first
        simulation = window.live.controller.simulation
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = Path(parent) / f"{slug(scenario.meta.title)}-debrief-{stamp}"
        title = window.live.event_log.title or scenario.meta.title
        write_debrief(
            folder,
            scenario,
            report_json=exports.report_json(simulation.report()),
            series=simulation.recorder.series,
            event_log_markdown=exports.event_log_markdown(simulation.events, title),
            images={"canvas": png_bytes(window.canvas)},
        )
        for chart in window.live.charts.charts:
            chart.export_png(str(folder / f"chart-{slug(chart.title)}.png"), CHART_WIDTH)
        return folder

    def ask_folder(self) -> str | None:
        """The folder to create the pack in (tests replace this)."""
        return QFileDialog.getExistingDirectory(self.window, "Write the debrief pack into") or None

    def show_problem(self, text: str) -> None:
        QMessageBox.warning(self.window, "Debrief pack", text)
