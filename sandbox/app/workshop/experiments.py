"""The experiments dialog: Monte Carlo runs and parameter sweeps, like NetLogo's BehaviorSpace.

The work is ``security-sandbox-cli sweep``'s own (:mod:`sandbox.core.sweep`: ``plan_runs`` then
``run_sweep`` over local worker processes, or :func:`sandbox.core.dask_backend.run_sweep_on_dask`
when a scheduler address is given), run from an :class:`ExperimentWorker` thread that only waits
on the workers, so the window stays responsive. Progress shows runs done and time left; Cancel
stops at once (no new chunk starts, pending ones are cancelled, the workers shut down) and keeps
the rows finished so far.

Results: the probability of each outcome against the first varied parameter, the distribution
of war size (states that fought) and of duration (``ended_tick``), the honour rate per treaty
(from the per-treaty counts every row carries, over all the runs), and CSV export of the rows.
Beside the charts, the sweep's summary as ``sweep`` prints it (:mod:`sandbox.core.summary`): the
share of each result, the war statistics, the deterrence record, and alliance reliability per
type and per treaty beside the historical base rates (Leeds; Berkemeier & Fuhrmann).
Open play (issue 13): wars per century and survival by state size, for this scenario and for a
variant it is compared with ("Compare with a Variant…": the same runs of another file), each with
its 95% interval (:mod:`sandbox.app.workshop.war_charts`).
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sandbox.app.run.charts import EXPORT_WIDTH, layout_png, layout_svg
from sandbox.app.run.exports import write
from sandbox.app.style.plots import PlotStyler
from sandbox.app.workshop import war_charts
from sandbox.core import summary, sweep
from sandbox.core.dask_backend import run_sweep_on_dask
from sandbox.core.debrief import result_words
from sandbox.core.gc_pause import without_gc
from sandbox.core.io.fileformat import ScenarioFileError, load_scenario
from sandbox.core.io.tables import csv_text
from sandbox.core.scenario import SETTING_RANGES, Scenario
from sandbox.core.sim import RESULTS
from sandbox.core.text import counted, shown

SCRIPTED = ""  # the aggressor choice meaning "the scenario's own scripted events"
MAX_VARIED = 2
# Small chunks: a worker finishes its current chunks before it can stop, so this bounds how long
# Cancel takes (about two chunks per worker), at a negligible cost in messages.
CHUNK_RUNS = 40
BACKGROUND_NICENESS = 10
RESULT_COLORS = {
    "aggressor-victory": "#c2410c",
    "aggressor-defeated": "#1d4ed8",
    "stalemate": "#6b21a8",
    "deterred": "#15803d",
    "ceasefire": "#0e7490",
    "peace": "#64748b",
}
BAR_COLOR = "#1d4ed8"


def varied_paths(scenario: Scenario) -> list[tuple[str, str, float, float]]:
    """Every number a sweep can vary, as (path, label, lo, hi): the settings, then each state's
    and each treaty's fields, with a default range around the current value."""
    paths = []
    for name, (lo, hi) in SETTING_RANGES.items():
        value = getattr(scenario.settings, name)
        path = f"settings.{name}"
        paths.append((path, f"Setting: {name}", *_default_range(value, lo, hi, _whole(path))))
    for state in scenario.states:
        for name, hi in (("reliability", 1.0), ("power", None), ("gdp", None), ("mobilization", None)):
            value = state.economy if name == "gdp" else getattr(state, name)
            path = f"states.{state.id}.{name}"
            paths.append((path, f"{state.name}: {name}", *_default_range(value, 0.0, hi, _whole(path))))
    for treaty in scenario.treaties:
        for name in ("commitment", "mediation"):
            value = getattr(treaty, name)
            paths.append(
                (f"treaties.{treaty.id}.{name}", f"{treaty.name}: {name}", *_default_range(value, 0.0, 1.0))
            )
    return paths


def _whole(path: str) -> bool:
    return sweep.Vary(path, 0, 0, 1).whole


def _default_range(value: float, lo: float, hi: float | None, whole: bool = False) -> tuple[float, float]:
    if hi is not None and hi <= 1.0:
        return lo, hi
    start, end = max(lo, value * 0.5), value * 1.5 if value else 1.0
    # a whole-number field (mobilisation, max_ticks) sweeps whole numbers only
    return (float(math.floor(start)), float(math.ceil(end))) if whole else (start, end)


def outcome_shares(
    rows: Sequence[dict[str, Any]], path: str | None
) -> tuple[list[float], dict[str, list[float]]]:
    """The share of runs ending in each result at each value of ``path`` (None: one point, 0):
    (sorted values, {result: shares in that order}) for the results that occur."""
    groups: dict[float, Counter] = {}
    for row in rows:
        groups.setdefault(row[path] if path else 0.0, Counter())[row["result"]] += 1
    values = sorted(groups)
    seen = [result for result in RESULTS if any(groups[v][result] for v in values)]
    shares = {r: [groups[v][r] / sum(groups[v].values()) for v in values] for r in seen}
    return values, shares


def histogram(values: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Counts of each whole value from the smallest to the largest (both arrays empty for none)."""
    if not values:
        return np.array([]), np.array([])
    data = np.asarray(values, dtype=int)
    counts = np.bincount(data - data.min())
    return np.arange(data.min(), data.max() + 1), counts


def honour_by_treaty(rows: Sequence[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Per treaty (honoured, reneged) decisions summed over the sweep's rows; treaties that never
    obliged anyone are left out."""
    obliged: dict[str, int] = {}
    honoured: dict[str, int] = {}
    for row in rows:
        for treaty, count in row["treaty_obliged"].items():
            obliged[treaty] = obliged.get(treaty, 0) + count
            honoured[treaty] = honoured.get(treaty, 0) + row["treaty_honoured"][treaty]
    return {treaty: (honoured[treaty], count - honoured[treaty]) for treaty, count in obliged.items()}


class ExperimentWorker(QThread):
    """Runs one planned sweep off the GUI thread; it only waits on worker processes or the
    cluster, never touches a widget, and reports through queued signals."""

    progress = Signal(int, int)  # runs done, runs in all
    rows_ready = Signal(object, object)  # the rows (sorted by run), honour counts per treaty or None
    failed = Signal(str)

    def __init__(self, scenario: Scenario, specs: list[sweep.RunSpec], workers: int, scheduler: str | None):
        super().__init__()
        self.scenario = scenario
        self.specs = specs
        self.workers = workers
        self.scheduler = scheduler or None
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        if sys.platform.startswith("linux"):
            # Linux niceness is per thread and inherited by the worker processes this thread spawns:
            # the sweep yields the CPU to the window, which then answers input at once.
            os.nice(BACKGROUND_NICENESS)
        report = self.progress.emit
        # Collecting the rows allocates steadily; a full collection then would scan the whole
        # window's heap while holding the interpreter lock and stall the GUI thread for 100+ ms.
        try:
            with without_gc():
                if self.scheduler:
                    rows = run_sweep_on_dask(
                        self.scheduler,
                        self.scenario,
                        self.specs,
                        progress=report,
                        cancel=self.cancel_event,
                        chunk_size=CHUNK_RUNS,
                    )
                else:
                    rows = sweep.run_sweep(
                        self.scenario,
                        self.specs,
                        workers=self.workers,
                        progress=report,
                        cancel=self.cancel_event,
                        chunk_size=CHUNK_RUNS,
                    )
        except (sweep.SweepFailed, OSError) as error:  # a worker or the cluster lost, on the cluster too
            self.failed.emit(str(error))
            return
        self.rows_ready.emit(rows, None if self.cancel_event.is_set() else honour_by_treaty(rows))


RESULTS_PAGE = 1  # the dialog's pages: set-up, then results
NARROW_CHARACTERS = 18  # a choice box's width in characters: its longest entry no longer sets it


def _narrow(box: QComboBox) -> None:
    """A choice box as wide as its layout gives it, at least NARROW_CHARACTERS, not its longest entry."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(NARROW_CHARACTERS)


class VaryRow(QWidget):
    """One varied parameter: a path, from, to, steps."""

    def __init__(self, paths: list[tuple[str, str, float, float]], parent: QWidget | None = None):
        super().__init__(parent)
        self.paths = paths
        self.path = QComboBox()
        self.path.addItem("(nothing: Monte Carlo only)", None)
        for path, label, _lo, _hi in paths:
            self.path.addItem(label, path)
        self.lo, self.hi = QDoubleSpinBox(), QDoubleSpinBox()
        for box in (self.lo, self.hi):
            box.setRange(-1e6, 1e6)
            box.setDecimals(3)
        self.steps = QSpinBox()
        self.steps.setRange(1, 1000)
        self.steps.setValue(5)
        self.path.currentIndexChanged.connect(self._path_changed)
        _narrow(self.path)
        # the parameter on its own line, its range under it: one line held 740 px at the app's type
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.path)
        values = QHBoxLayout()
        for label, widget in (("from", self.lo), ("to", self.hi), ("steps", self.steps)):
            values.addWidget(QLabel(label))
            values.addWidget(widget, 1)
        layout.addLayout(values)
        self._path_changed()

    def _path_changed(self) -> None:
        path = self.path.currentData()
        for widget in (self.lo, self.hi, self.steps):
            widget.setEnabled(path is not None)
        for candidate, _label, lo, hi in self.paths:
            if candidate == path:
                self.lo.setValue(lo)
                self.hi.setValue(hi)

    def set_vary(self, path: str, lo: float, hi: float, steps: int) -> None:
        self.path.setCurrentIndex(self.path.findData(path))
        self.lo.setValue(lo)
        self.hi.setValue(hi)
        self.steps.setValue(steps)

    def vary(self) -> sweep.Vary | None:
        path = self.path.currentData()
        return (
            None if path is None else sweep.Vary(path, self.lo.value(), self.hi.value(), self.steps.value())
        )


class ExperimentsDialog(QDialog):
    """Plan, run, watch, cancel and chart a sweep of ``scenario`` (a copy is taken)."""

    finished_rows = Signal(object)  # the rows, when a sweep ends (cancelled ones included)
    variant_done = Signal()  # a variant's sweep ended (its rows, if any, are charted)

    def __init__(
        self, scenario: Scenario, attack: tuple[str, str] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(shown(f"Experiments: {scenario.meta.title}"))
        self.resize(1300, 900)  # shrunk to the screen when shown (a 1280 x 720 projector)
        self.scenario = scenario.copy()
        self.worker: ExperimentWorker | None = None
        self.rows: list[dict[str, Any]] = []
        self.vary: list[sweep.Vary] = []
        self.honour: dict[str, tuple[int, int]] | None = None
        self.variant: war_charts.Variant | None = None  # the world compared with this one, swept
        self.variant_worker: ExperimentWorker | None = None
        self.started_at = 0.0

        # the set-up and the results on pages of their own: side by side they took 1,375 px at the
        # presenter's type, wider than a 1280 x 720 projector
        setup_page = QWidget()
        setup = QHBoxLayout(setup_page)
        setup.addWidget(self._build_run_form(attack), 1)
        setup.addWidget(self._build_vary_form(), 1)

        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setEnabled(False)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(self.ask_export_csv)
        self.export_charts_button = QPushButton("Export Charts…")
        self.export_charts_button.setToolTip("Save the charts as a PNG image or an SVG drawing")
        self.export_charts_button.setEnabled(False)
        self.export_charts_button.clicked.connect(self.ask_export_charts)
        self.compare_button = QPushButton("Compare with a Variant…")
        self.compare_button.setToolTip(
            "Sweep another scenario file the same way (for example the same states with a League) "
            "and chart its wars and survival beside this one's"
        )
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self.ask_variant)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v of %m runs")
        self.status = QLabel("Set up an experiment and press Run.")
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress_bar, 1)
        bar.addWidget(self.compare_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.export_charts_button)

        self.charts = pg.GraphicsLayoutWidget()
        self.styler = PlotStyler(self, self.charts)  # the window's palette: light, dark or projector
        self.outcome_plot = self.charts.addPlot(row=0, col=0)
        self.size_plot = self.charts.addPlot(row=0, col=1)
        self.duration_plot = self.charts.addPlot(row=1, col=0)
        self.honour_plot = self.charts.addPlot(row=1, col=1)
        self.wars_plot = self.charts.addPlot(row=0, col=2)
        self.survival_plot = self.charts.addPlot(row=1, col=2)
        for plot, title, x_label, y_label in (
            # short titles: a plot is never narrower than its title, and three columns of long ones
            # were wider than the dialog in the presenter's type at 1280 x 720
            (self.outcome_plot, "Outcomes", "", "share of runs"),
            (self.size_plot, "War size", "states that fought", "runs"),
            (self.duration_plot, "Duration", "last tick", "runs"),
            (self.honour_plot, "Honour per treaty", "honoured / obliged", ""),
            (self.wars_plot, "Wars per century", "", "wars (95% interval)"),
            (self.survival_plot, "Survival by size", "", "% of states (95% interval)"),
        ):
            self.styler.add(plot, title, x_label, y_label)
        self.outcome_plot.setYRange(0, 1)
        self.honour_plot.setXRange(0, 1)

        self.summary = QPlainTextEdit(self)
        self.summary.setReadOnly(True)
        self.summary.setPlaceholderText(
            "The summary of the runs: results, deterrence record, and alliance reliability beside "
            "the historical base rates."
        )
        self.summary.setToolTip(
            "As security-sandbox-cli sweep prints it. Reliability is the share of obligations honoured; "
            "in brackets the historical rate (Berkemeier & Fuhrmann 2018 by type; Leeds, Long & "
            "Mitchell 2000 overall)."
        )
        self.summary.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        results_page = QWidget()
        results = QHBoxLayout(results_page)
        results.addWidget(self.charts, 3)
        results.addWidget(self.summary, 1)
        self.pages = QTabWidget()
        self.pages.addTab(setup_page, "Set up")
        self.pages.addTab(results_page, "Results")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bar)
        layout.addWidget(self.status)

    def showEvent(self, event: QShowEvent) -> None:
        """No larger than the screen it opens on (the first size is for a large monitor)."""
        super().showEvent(event)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None and not (self.width() <= screen.width() and self.height() <= screen.height()):
            self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))

    # -- forms ----------------------------------------------------------------------

    def _build_run_form(self, attack: tuple[str, str] | None) -> QGroupBox:
        box = QGroupBox("Runs")
        self.aggressor, self.target = QComboBox(), QComboBox()
        _narrow(self.aggressor)
        _narrow(self.target)
        self.aggressor.addItem("(the scenario's scripted events)", SCRIPTED)
        for state in self.scenario.states:
            self.aggressor.addItem(state.name, state.id)
            self.target.addItem(state.name, state.id)
        if attack is not None:
            self.aggressor.setCurrentIndex(self.aggressor.findData(attack[0]))
            self.target.setCurrentIndex(self.target.findData(attack[1]))
        self.runs = QSpinBox()
        self.runs.setRange(1, 1_000_000)
        self.runs.setValue(200)
        self.runs.setToolTip("Runs at each point of the grid (stochastic mode, run i has seed base + i)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(self.scenario.settings.seed)
        self.workers = QSpinBox()
        self.workers.setRange(1, max(os.cpu_count() or 1, 1) * 2)
        self.workers.setValue(max(1, os.cpu_count() or 1))
        self.scheduler = QLineEdit()
        self.scheduler.setPlaceholderText("optional: tcp://HOST:8786 (a Dask cluster)")
        form = QFormLayout(box)
        form.addRow("Aggressor", self.aggressor)
        form.addRow("Target", self.target)
        form.addRow("Runs per point", self.runs)
        form.addRow("Base seed", self.seed)
        form.addRow("Worker processes", self.workers)
        form.addRow("Dask scheduler", self.scheduler)
        return box

    def _build_vary_form(self) -> QGroupBox:
        box = QGroupBox("Vary")
        paths = varied_paths(self.scenario)
        self.vary_rows = [VaryRow(paths) for _ in range(MAX_VARIED)]
        layout = QVBoxLayout(box)
        note = QLabel("A grid of every combination; the first parameter is the outcome chart's x axis.")
        note.setWordWrap(True)  # in a title it set the dialog's width
        layout.addWidget(note)
        for row in self.vary_rows:
            layout.addWidget(row)
        layout.addStretch(1)
        return box

    def attacks(self) -> list[tuple[str, str]] | None:
        aggressor = self.aggressor.currentData()
        return None if aggressor == SCRIPTED else [(aggressor, self.target.currentData())]

    # -- running ----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.worker is not None

    def start(self) -> bool:
        """Plan the sweep from the form and start it; a bad plan is shown and nothing starts."""
        if self.running:
            return False
        self.vary = [v for v in (row.vary() for row in self.vary_rows) if v is not None]
        try:
            specs = sweep.plan_runs(
                self.scenario, self.attacks(), self.runs.value(), self.seed.value(), self.vary
            )
        except sweep.SweepError as error:
            self.show_problem(str(error).replace("--vary ", "").replace("--attack ", ""))
            return False
        self.rows, self.honour = [], None
        self._clear_charts()
        self.pages.setCurrentIndex(RESULTS_PAGE)  # the runs come in there
        self.worker = ExperimentWorker(
            self.scenario, specs, self.workers.value(), self.scheduler.text().strip()
        )
        self.worker.progress.connect(self._on_progress)
        self.worker.rows_ready.connect(self._on_rows)
        self.worker.failed.connect(self._on_failed)
        self.progress_bar.setRange(0, len(specs))
        self.progress_bar.setValue(0)
        self.status.setText(f"Starting {counted(len(specs), 'run')}…")
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.export_button.setEnabled(False)
        self.export_charts_button.setEnabled(False)
        self.started_at = time.monotonic()
        self.worker.start()
        return True

    def cancel(self) -> None:
        """Stop the sweep now; the rows finished so far are kept and charted."""
        for worker in (self.worker, self.variant_worker):
            if worker is None:
                continue
            worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def wait_finished(self, timeout_ms: int = 60_000) -> bool:
        """Block until the worker threads end (tests and closing use this); True if they did."""
        return all(w is None or w.wait(timeout_ms) for w in (self.worker, self.variant_worker))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setValue(done)
        elapsed = time.monotonic() - self.started_at
        left = elapsed / done * (total - done) if done else float("nan")
        remaining = f"about {left:.0f} s left" if done else "estimating time left"
        self.status.setText(f"{done:,} of {counted(total, 'run')}, {elapsed:.1f} s elapsed, {remaining}")

    def _on_rows(self, rows: list[dict[str, Any]], honour: dict[str, tuple[int, int]] | None) -> None:
        worker, self.worker = self.worker, None
        cancelled = worker.cancel_event.is_set()
        worker.wait()
        worker.deleteLater()
        self.rows, self.honour = rows, honour
        elapsed = time.monotonic() - self.started_at
        total = len(worker.specs)
        verb = "Cancelled after" if cancelled else "Finished"
        self.status.setText(f"{verb} {len(rows):,} of {counted(total, 'run')} in {elapsed:.1f} s.")
        self.progress_bar.setValue(len(rows))
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.export_button.setEnabled(bool(rows))
        self.export_charts_button.setEnabled(bool(rows))
        self.compare_button.setEnabled(bool(rows))
        self.variant = None  # a new sweep of this world: the old comparison no longer matches it
        self.show_results()
        self.finished_rows.emit(rows)

    def _on_failed(self, message: str) -> None:
        worker, self.worker = self.worker, None
        worker.wait()
        worker.deleteLater()
        self.status.setText("The experiment did not run.")
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.show_problem(message)

    # -- results ------------------------------------------------------------------------

    def _clear_charts(self) -> None:
        for plot in (
            self.outcome_plot,
            self.size_plot,
            self.duration_plot,
            self.honour_plot,
            self.wars_plot,
            self.survival_plot,
        ):
            plot.clear()
        self.styler.legend(self.outcome_plot, offset=(-10, 10)).clear()

    def show_results(self) -> None:
        """Draw the four charts from :attr:`rows` and :attr:`honour`, and write the summary."""
        self._clear_charts()
        self.summary.setPlainText(
            summary.summary_text(summary.summarise(self.scenario, self.rows)) if self.rows else ""
        )
        if not self.rows:
            return
        path = self.vary[0].path if self.vary else None
        values, shares = outcome_shares(self.rows, path)
        self.styler.set_x_label(self.outcome_plot, path or "")
        if path is None:  # Monte Carlo only: one bar per outcome
            names = list(shares)
            heights = [shares[name][0] for name in names]
            brushes = [pg.mkBrush(RESULT_COLORS[name]) for name in names]
            self.outcome_plot.addItem(
                pg.BarGraphItem(x=np.arange(len(names)), height=heights, width=0.6, brushes=brushes)
            )
            self.outcome_plot.getAxis("bottom").setTicks(
                [[(i, result_words(n)) for i, n in enumerate(names)]]
            )
        else:
            self.outcome_plot.getAxis("bottom").setTicks(None)
            for name, ys in shares.items():
                color = RESULT_COLORS[name]
                self.outcome_plot.plot(
                    values,
                    ys,
                    pen=pg.mkPen(color, width=3),
                    symbol="o",
                    symbolBrush=color,
                    name=result_words(name),
                )
        for plot, column in ((self.size_plot, "belligerents"), (self.duration_plot, "ended_tick")):
            xs, counts = histogram([row[column] for row in self.rows])
            plot.addItem(pg.BarGraphItem(x=xs, height=counts, width=0.8, brush=BAR_COLOR))
        if self.honour:
            names = [self.scenario.treaty(t).name if self.scenario.has_treaty(t) else t for t in self.honour]
            rates = [kept / (kept + broken) for kept, broken in self.honour.values()]
            # horizontal bars: treaty names read along the left axis without running into each other
            self.honour_plot.addItem(
                pg.BarGraphItem(x0=0, y=np.arange(len(names)), width=rates, height=0.6, brush=BAR_COLOR)
            )
            self.honour_plot.getAxis("left").setTicks([list(enumerate(names))])
            self.styler.set_title(self.honour_plot, f"Honour per treaty ({counted(len(self.rows), 'run')})")
        self._draw_wars()

    def _draw_wars(self) -> None:
        for plot in (self.wars_plot, self.survival_plot):
            plot.clear()
        this = war_charts.Variant(self.scenario.meta.title or "this scenario", self.scenario, self.rows)
        war_charts.draw(
            self.styler, self.wars_plot, self.survival_plot, [this, *([self.variant] if self.variant else [])]
        )

    # -- comparing with a variant -------------------------------------------------------

    def ask_variant(self) -> None:
        path = self.ask_variant_path()
        if not path:
            return
        try:
            variant = load_scenario(path)
        except ScenarioFileError as error:
            self.show_problem(str(error))
            return
        self.compare_with(variant)

    def ask_variant_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, "Compare with", "", "Scenarios (*.sandbox)")
        return path or None

    def compare_with(self, variant: Scenario) -> bool:
        """Sweep ``variant`` with this sweep's runs and seed (its own scripted events and open play,
        or the same attack if it has both states, no grid) and chart it beside this scenario."""
        if self.running or self.variant_worker is not None or not self.rows:
            return False
        attacks = self.attacks()
        if attacks and not all(variant.has_state(s) for pair in attacks for s in pair):
            attacks = None
        try:
            specs = sweep.plan_runs(variant, attacks, self.runs.value(), self.seed.value(), [])
        except sweep.SweepError as error:
            self.show_problem(str(error).replace("--attack ", ""))
            return False
        worker = self.variant_worker = ExperimentWorker(
            variant, specs, self.workers.value(), self.scheduler.text().strip()
        )
        worker.progress.connect(self._on_progress)
        worker.rows_ready.connect(self._on_variant_rows)
        worker.failed.connect(self._on_variant_failed)
        self.progress_bar.setRange(0, len(specs))
        self.progress_bar.setValue(0)
        self.status.setText(f"Sweeping the variant, {variant.meta.title}: {counted(len(specs), 'run')}…")
        for button in (self.run_button, self.compare_button):
            button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.started_at = time.monotonic()
        worker.start()
        return True

    def _end_variant(self) -> ExperimentWorker:
        worker, self.variant_worker = self.variant_worker, None
        worker.wait()
        worker.deleteLater()
        for button in (self.run_button, self.compare_button):
            button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        return worker

    def _on_variant_rows(self, rows: list[dict[str, Any]], _honour: object) -> None:
        worker = self._end_variant()
        variant = worker.scenario
        verb = "Cancelled after" if worker.cancel_event.is_set() else "Compared with"
        self.status.setText(f"{verb} {counted(len(rows), 'run')} of the variant, {variant.meta.title}.")
        self.variant = war_charts.Variant(variant.meta.title or "the variant", variant, rows)
        self._draw_wars()
        self.variant_done.emit()

    def _on_variant_failed(self, message: str) -> None:
        self._end_variant()
        self.status.setText("The variant did not run.")
        self.show_problem(message)
        self.variant_done.emit()

    def csv(self) -> str:
        """The rows as the CLI's ``sweep --out`` writes them."""
        return csv_text(sweep.columns(self.vary), self.rows)

    def ask_export_csv(self) -> None:
        path = self.ask_csv_path()
        if path:
            try:
                write(path, self.csv())
            except OSError as error:
                self.show_problem(f"{path}: {error.strerror or error}")

    def export_charts(self, path: str) -> None:
        """The four charts as PNG or SVG, by the file's extension, written atomically."""
        if path.lower().endswith(".svg"):
            data = layout_svg(self.charts, "Experiment", self.styler.colors.background)
        else:
            data = layout_png(self.charts, max(2 * self.charts.width(), EXPORT_WIDTH))
        write(path, data)

    def ask_export_charts(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export charts", "experiment.png", "PNG image (*.png);;SVG drawing (*.svg)"
        )
        if not path:
            return
        if not path.lower().endswith((".png", ".svg")):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        try:
            self.export_charts(path)
        except OSError as error:
            self.show_problem(f"{path}: {error.strerror or error}")

    def ask_csv_path(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, "Export runs", "experiment.csv", "CSV (*.csv)")
        return path or None

    def show_problem(self, text: str) -> None:
        """Tell the user why the experiment cannot run (tests replace this)."""
        QMessageBox.warning(self, "Experiments", text)

    def closeEvent(self, event) -> None:
        self.cancel()
        self.wait_finished()
        super().closeEvent(event)

    def reject(self) -> None:
        self.cancel()
        self.wait_finished()
        super().reject()
