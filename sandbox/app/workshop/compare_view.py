"""The what-if comparison window: the open scenario and a variant, run side by side.

The variant is the original with a list of changes (drop a treaty, set a treaty's commitment, a
state's reliability or power; :class:`sandbox.core.compare.VariantChange`). Both run with the same
attack and seed; the window shows the two outcomes on two read-only canvases, rings the states
whose status or side differ on both, lists what happened in each (who joined, reneged, declined,
sanctioned, stayed neutral or was deterred, what was settled or vetoed, the wars), and
overlays the two runs' charts (A solid, B dashed).
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sandbox.app.canvas.canvas import Canvas
from sandbox.app.document.document import Document
from sandbox.app.style.plots import PlotStyler
from sandbox.core.compare import VariantChange, compare_reports, format_comparison, make_variant, run_pair
from sandbox.core.scenario import Scenario, ScenarioEditError
from sandbox.core.text import shown

SCRIPTED = ""  # the aggressor choice meaning "the scenario's own scripted events"
CHANGE_LABELS = {
    "drop-treaty": "Drop treaty",
    "commitment": "Treaty commitment",
    "reliability": "State reliability",
    "power": "State power",
}
OVERLAY_CHARTS = (
    ("stability", "Stability"),
    ("belligerents", "States at war"),
    ("power_balance", "Power balance (aggressor share)"),
)
RUN_COLORS = {"a": "#1d4ed8", "b": "#c2410c"}
DIFFERENCE_NOTE = "Amber ring: a state whose status or side differs between the two runs."


class _ReadOnly(QObject):
    """Swallows the gestures that would edit; the wheel still zooms."""

    BLOCKED = {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
    }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() in self.BLOCKED


def read_only_canvas(scenario: Scenario, parent: QWidget) -> Canvas:
    """A canvas drawing ``scenario`` that ignores clicks, drags and keys."""
    document = Document(scenario, parent=parent)
    canvas = Canvas(document, parent)
    blocker = _ReadOnly(canvas)
    canvas.viewport().installEventFilter(blocker)
    canvas.installEventFilter(blocker)
    canvas.setMinimumSize(360, 300)
    return canvas


class CompareWindow(QDialog):
    """Compare ``scenario`` (a copy is taken) with a variant of it; see the module docstring."""

    def __init__(
        self, scenario: Scenario, attack: tuple[str, str] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(shown(f"What-If Comparison: {scenario.meta.title}"))
        self.resize(1400, 950)
        self.original = scenario.copy()
        self.changes: list[VariantChange] = []
        self.comparison: dict[str, Any] | None = None
        self.simulations: tuple[Any, Any] | None = None

        controls = QHBoxLayout()
        controls.addWidget(self._build_variant_form(), 3)
        controls.addWidget(self._build_run_form(attack), 2)

        self.title_a, self.title_b = QLabel(), QLabel()
        for label in (self.title_a, self.title_b):
            label.setWordWrap(True)
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 1.2)
            font.setBold(True)
            label.setFont(font)
        self.canvas_a = read_only_canvas(self.original.copy(), self)
        self.canvas_b = read_only_canvas(self.original.copy(), self)
        canvases = QWidget()
        grid = QGridLayout(canvases)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.title_a, 0, 0)
        grid.addWidget(self.title_b, 0, 1)
        grid.addWidget(self.canvas_a, 1, 0)
        grid.addWidget(self.canvas_b, 1, 1)
        grid.setRowStretch(1, 1)

        self.differences = QTextBrowser()
        self.differences.setMinimumHeight(120)
        self.charts = pg.GraphicsLayoutWidget()
        self.styler = PlotStyler(self, self.charts)  # the window's palette: light, dark or projector
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        for column, (key, title) in enumerate(OVERLAY_CHARTS):
            plot = self.charts.addPlot(row=0, col=column)
            self.styler.add(plot, title, "tick")
            self.styler.legend(plot, offset=(-5, -5))
            self.plots[key] = plot
            for run in ("a", "b"):
                style = Qt.PenStyle.SolidLine if run == "a" else Qt.PenStyle.DashLine
                pen = pg.mkPen(RUN_COLORS[run], width=3, style=style)
                self.curves[(key, run)] = plot.plot(
                    [], [], pen=pen, name="A: original" if run == "a" else "B: variant"
                )
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.differences)
        bottom.addWidget(self.charts)
        bottom.setSizes([450, 950])

        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(canvases)
        body.addWidget(bottom)
        body.setSizes([600, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(body, 1)
        self._show_titles()
        # a child timer, not QTimer.singleShot(0, self, self.fit_canvases): the call a single shot holds
        # keeps the whole window alive when it is closed before the shot fires (200 quick open-close
        # cycles grew 432 MiB)
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self.fit_canvases)

    # -- forms ----------------------------------------------------------------------

    def _build_variant_form(self) -> QGroupBox:
        box = QGroupBox("Variant B: the original with these changes")
        self.change_kind = QComboBox()
        for kind, label in CHANGE_LABELS.items():
            self.change_kind.addItem(label, kind)
        self.change_target = QComboBox()
        self.change_value = QDoubleSpinBox()
        self.change_value.setDecimals(2)
        self.add_button = QPushButton("Add Change")
        self.remove_button = QPushButton("Remove")
        self.change_list = QListWidget()
        self.change_list.setMaximumHeight(110)
        self.change_kind.currentIndexChanged.connect(self._kind_changed)
        self.change_target.currentIndexChanged.connect(self._target_changed)
        self.add_button.clicked.connect(self._add_from_form)
        self.remove_button.clicked.connect(self._remove_selected)
        row = QHBoxLayout()
        for widget in (
            self.change_kind,
            self.change_target,
            self.change_value,
            self.add_button,
            self.remove_button,
        ):
            row.addWidget(widget)
        row.setStretch(1, 1)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.change_list)
        self._kind_changed()
        return box

    def _build_run_form(self, attack: tuple[str, str] | None) -> QGroupBox:
        box = QGroupBox("Run both with")
        self.aggressor = QComboBox()
        self.target = QComboBox()
        self.aggressor.addItem("(the scenario's scripted events)", SCRIPTED)
        for state in self.original.states:
            self.aggressor.addItem(state.name, state.id)
            self.target.addItem(state.name, state.id)
        if attack is not None:
            self.aggressor.setCurrentIndex(self.aggressor.findData(attack[0]))
            self.target.setCurrentIndex(self.target.findData(attack[1]))
        self.aggressor.currentIndexChanged.connect(self._aggressor_changed)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(self.original.settings.seed)
        self.run_button = QPushButton("Run Both")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        form = QFormLayout(box)
        form.addRow("Aggressor", self.aggressor)
        form.addRow("Target", self.target)
        form.addRow("Seed", self.seed)
        form.addRow(self.run_button)
        self._aggressor_changed()
        return box

    def _kind_changed(self) -> None:
        kind = self.change_kind.currentData()
        self.change_target.blockSignals(True)
        self.change_target.clear()
        items = self.original.treaties if kind in ("drop-treaty", "commitment") else self.original.states
        for item in items:
            self.change_target.addItem(item.name, item.id)
        self.change_target.blockSignals(False)
        self.change_value.setVisible(kind != "drop-treaty")
        self.change_value.setRange(0.0, 1.0 if kind in ("commitment", "reliability") else 1e6)
        self.change_value.setSingleStep(0.05 if kind in ("commitment", "reliability") else 1.0)
        self._target_changed()

    def _target_changed(self) -> None:
        kind, target = self.change_kind.currentData(), self.change_target.currentData()
        if target is None or kind == "drop-treaty":
            return
        if kind == "commitment":
            self.change_value.setValue(self.original.treaty(target).commitment)
        else:
            self.change_value.setValue(getattr(self.original.state(target), kind))

    def _aggressor_changed(self) -> None:
        self.target.setEnabled(self.aggressor.currentData() != SCRIPTED)

    def _add_from_form(self) -> None:
        target = self.change_target.currentData()
        if target is not None:
            self.add_change(VariantChange(self.change_kind.currentData(), target, self.change_value.value()))

    def _remove_selected(self) -> None:
        row = self.change_list.currentRow()
        if row >= 0:
            del self.changes[row]
            self._changes_updated()

    # -- the comparison -------------------------------------------------------------

    def add_change(self, change: VariantChange) -> bool:
        """Add a change to the variant; a change the variant cannot take (a treaty already dropped,
        a value out of range) is refused with a message. Returns whether it was added."""
        try:
            make_variant(self.original, [*self.changes, change])
        except (ScenarioEditError, KeyError) as error:
            self.show_problem(f"{change.describe(self.original)}: {error}")
            return False
        self.changes.append(change)
        self._changes_updated()
        return True

    def _changes_updated(self) -> None:
        self.change_list.clear()
        self.change_list.addItems([change.describe(self.original) for change in self.changes])
        self.canvas_b.document.replace(self.variant(), None)
        self.comparison = self.simulations = None
        self._clear_results()

    def variant(self) -> Scenario:
        variant = make_variant(self.original, self.changes)
        variant.update_meta(title=f"{self.original.meta.title} (variant)")
        return variant

    def attacks(self) -> list[tuple[str, str]] | None:
        aggressor = self.aggressor.currentData()
        return None if aggressor == SCRIPTED else [(aggressor, self.target.currentData())]

    def run(self) -> None:
        """Run the original and the variant with the chosen attack and seed, and show both."""
        attacks = self.attacks()
        if attacks is not None and attacks[0][0] == attacks[0][1]:
            self.show_problem("A state cannot attack itself: pick another target.")
            return
        variant = self.variant()
        self.simulations = run_pair(self.original, variant, attacks, self.seed.value())
        reports = [simulation.report() for simulation in self.simulations]
        self.comparison = compare_reports(*reports)
        changed = list(self.comparison["states"])
        for canvas, simulation in zip((self.canvas_a, self.canvas_b), self.simulations, strict=True):
            canvas.apply_run_view(simulation.snapshot())
            canvas.highlight(changed, None)
        for key, _title in OVERLAY_CHARTS:
            for run, simulation in zip("ab", self.simulations, strict=True):
                series = simulation.recorder.series
                self.curves[(key, run)].setData(series["tick"], series[key])
        self._show_titles()
        self._show_differences()
        self.fit_canvases()

    def fit_canvases(self) -> None:
        """Both worlds whole in view (highlighting scrolls to the changed states)."""
        for canvas in (self.canvas_a, self.canvas_b):
            canvas.fit_all()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_timer.start()  # once laid out; never after the window is gone

    def _clear_results(self) -> None:
        for canvas in (self.canvas_a, self.canvas_b):
            canvas.apply_run_view(None)
            canvas.highlight([], None)
        for curve in self.curves.values():
            curve.setData([], [])
        self.differences.clear()
        self._show_titles()

    def _show_titles(self) -> None:
        def title(letter: str, what: str) -> str:
            if self.comparison is None:
                return f"{letter}: {what}"
            summary = self.comparison[letter.lower()]
            return f"{letter}: {what} — {summary['result'].replace('-', ' ')} at tick {summary['ended_tick']}"

        self.title_a.setText(title("A", "original"))
        self.title_b.setText(
            title("B", f"variant ({len(self.changes)} change{'s' * (len(self.changes) != 1)})")
        )

    def _show_differences(self) -> None:
        names = {state.id: state.name for state in self.original.states}
        treaty_names = {treaty.id: treaty.name for treaty in self.original.treaties}
        lines = format_comparison(self.comparison, names, treaty_names)
        changes = [change.describe(self.original) for change in self.changes] or ["none (B is the same as A)"]
        html = ["<h3>Differences</h3>", f"<p><b>Changes in B:</b> {_escape('; '.join(changes))}</p>"]
        for line in lines:
            text = _escape(line.strip())
            changed = line.startswith("  ") or line.startswith("Only in") or line == "Outcome changed"
            html.append(f"<p style='margin:2px'>{'<b>' + text + '</b>' if changed else text}</p>")
        html.append(f"<p><i>{DIFFERENCE_NOTE}</i></p>")
        self.differences.setHtml("".join(html))

    def show_problem(self, text: str) -> None:
        """Tell the user why a change or a run was refused (tests replace this)."""
        QMessageBox.warning(self, "What-if comparison", text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
