"""The live simulation view: run controls, event log, charts, replay and exports.

:func:`install_live_simulation` wires them into the main window through the
seam the window provides (``canvas``, ``document``, ``run_toolbar``,
``simulation_menu``, ``view_menu``, ``addDockWidget``). A run flows one way:
the controller steps the engine, then the canvas, the log, the charts and the
timeline redraw from the simulation. Replaying a past tick redraws them from
``simulation.snapshot(tick)`` without touching the run.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import QObject, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSlider,
    QStyle,
    QWidget,
)

from sandbox.app.document.document import connect_view
from sandbox.app.run import exports
from sandbox.app.run.charts import ChartsDock
from sandbox.app.run.event_log import EventLogDock
from sandbox.app.run.open_play import OpenPlaySwitch
from sandbox.app.run.run_controller import (
    BIG_WORLD,
    DWELL_BASE_MS,
    DWELL_MAX_MS,
    DWELL_PER_SENTENCE_MS,
    MAX_SPEED,
    MIN_SPEED,
    NARRATED,
    QUIET_TICK_MS,
    RunController,
)
from sandbox.app.run.timeline import SteadyLabel, Timeline
from sandbox.core.overview import JACKSON_NEI_EXPLANATION, first_chart, overview, shows_jackson_nei
from sandbox.core.scenario import Scenario
from sandbox.core.sim import Simulation
from sandbox.core.text import shown

STRUCTURE_DELAY_MS = 150  # edits come in bursts (typing, nudging); recompute once they settle
PREVIEW_DELAY_MS = 60  # a sweep of the pointer across states computes only where it stops
PREVIEW_NAMES = 4  # defenders named in the hover preview before "..."


def attack_preview_lines(
    scenario: Scenario | Simulation, aggressor: str, target: str
) -> tuple[list[str], bool]:
    """The canvas's hover text for an attack and whether it would be deterred.

    Lines: "Attack: Germany + Austria-Hungary 18.8", "Expected defence: 22.4
    (France 6.8, Russia 9.3, ...)", then "Deterred" or "Attack goes ahead". ``scenario`` may be
    a peacetime Simulation of it: the worker's own copy, compiled on the GUI thread.
    """
    sim = scenario if isinstance(scenario, Simulation) else Simulation(scenario, record=False)
    preview = sim.preview(aggressor, target)
    world = sim.world

    def name(state_id: str) -> str:
        return world.names[world.index[state_id]]

    def ranked(side: dict[str, float], first: str) -> list[tuple[str, float]]:
        """The side's states, ``first`` leading, the rest by expected contribution."""
        return sorted(side.items(), key=lambda item: (item[0] != first, -item[1], item[0]))

    def names(states: list[tuple[str, float]], separator: str, with_numbers: bool) -> str:
        shown = [
            f"{name(state_id)} {value:.1f}" if with_numbers else name(state_id)
            for state_id, value in states[:PREVIEW_NAMES]
        ]
        return separator.join(shown + (["..."] if len(states) > PREVIEW_NAMES else []))

    attackers = ranked(preview.aggressor_side, aggressor) or [(aggressor, preview.attacker_strength)]
    attack = f"Attack: {names(attackers, ' + ', False)} {preview.attacker_strength:.1f}"
    defence = f"Expected defence: {preview.expected_defense:.1f}"
    if preview.defender_side:
        defence += f" ({names(ranked(preview.defender_side, target), ', ', True)})"
    if preview.deterred:
        verdict = "Deterred" if world.settings.deterrence else "Would be deterred, but deterrence is off"
    else:
        verdict = "Attack goes ahead"
    return [attack, defence, verdict], preview.deterred


SPEED_TIP = (
    "Play speed. At the far left (the default), narrated: a tick stays on screen as long as its "
    f"sentences take to read ({(DWELL_BASE_MS + DWELL_PER_SENTENCE_MS) / 1000:g} s for one, "
    f"{DWELL_PER_SENTENCE_MS / 1000:g} s more for each further one, {DWELL_MAX_MS / 1000:g} s at most); "
    f"quiet ticks pass at {1000 // QUIET_TICK_MS} a second. "
    f"Further right, a fixed speed of {MIN_SPEED} to {MAX_SPEED} ticks a second."
)


def speed_text(speed: int | None) -> str:
    """The speed as the run bar names it: "narrated", "1 tick/s", "12 ticks/s"."""
    if speed is NARRATED:
        return "narrated"
    return f"{speed} tick/s" if speed == 1 else f"{speed} ticks/s"


def _result_text(result: str | None) -> str:
    return (result or "").replace("-", " ")


class ElidedLabel(QLabel):
    """A one-line label that shows as much of :attr:`full_text` as fits, cut at the end with "…",
    the whole text in its tooltip; it takes the room left over and never pushes others aside.
    The text is data (a scenario's names): plain text, control characters shown escaped, in the
    label and the tooltip alike (neither reads it as rich text)."""

    MIN_CHARS = 8  # the shortest cut that still says something (the run bar is full at 1280)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        text = shown(text)
        if text == self.full_text:
            return  # called every tick: an unchanged title must not lay the tool bar out again
        self.full_text = text
        self.setToolTip(QtGui.Qt.convertFromPlainText(text))
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:
        # no wider than the shortest cut: a tool bar moves a widget wider than its room into the
        # overflow menu, and the replay slider before it; the label expands into what is left
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().averageCharWidth() * self.MIN_CHARS + margins.left() + margins.right()
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room))


class _Results(QObject):
    """Carries a worker's finished job to the GUI thread: ``ready(apply, future)`` is queued
    there, where ``apply(future)`` runs."""

    ready = Signal(object, object)


class LiveSimulation(QObject):
    """Everything about running the open scenario in the window.

    Exposes :attr:`controller` (``run_ticks``, ``step``, ``reset``, ``play``,
    ``pause``, ``simulation``), :attr:`event_log`, :attr:`charts` and
    :attr:`timeline`; :attr:`viewed_tick` is the tick being replayed (None: live).

    :attr:`background` chooses where the hover preview and the structural overlay are computed:
    True on the run's worker thread (applied when done, if the scenario and the hover are still
    the same), False at once on the GUI thread, None (default) on the worker for a world of
    BIG_WORLD states and treaties or more. The worker never reads the scenario, which the GUI
    thread may be editing: it computes on what the GUI thread made of it (a peacetime Simulation,
    a copy), which later edits do not reach.
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        self.document = window.document
        self.viewed_tick: int | None = None
        self.controller = RunController(window.document, self)
        self.event_log = EventLogDock(window)
        self.charts = ChartsDock(window)
        self.timeline = Timeline(window)
        # the run's views share the right column's lower half, the narration on top: the map keeps
        # the whole height (at 1280x720 a strip below it would leave the map a letterbox)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.event_log)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.charts)
        window.tabifyDockWidget(self.event_log, self.charts)
        self.event_log.raise_()
        window.insertToolBarBreak(window.run_toolbar)  # a row of its own: the replay slider needs the width
        window.view_menu.addAction(self.event_log.toggleViewAction())
        window.view_menu.addAction(self.charts.toggleViewAction())

        self._build_actions()
        self._build_toolbar()
        self._build_exports()

        self._structure_timer = QTimer(self)
        self._structure_timer.setSingleShot(True)
        self._structure_timer.setInterval(STRUCTURE_DELAY_MS)
        self._structure_timer.timeout.connect(self.update_structure)

        self.controller.run_reset.connect(self._on_run_reset)
        self.controller.stepped.connect(self._on_stepped)
        self.controller.playing_changed.connect(self._on_playing_changed)
        self.timeline.tick_chosen.connect(self.show_tick)
        self.charts.tick_chosen.connect(self.show_tick)
        self.event_log.event_activated.connect(self._highlight_event)
        self.canvas.attack_requested.connect(self.controller.start_attack)
        self.canvas.attack_hovered.connect(self._preview_attack)
        self.document.scenario_replaced.connect(self._on_scenario_replaced)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._show_pending_preview)
        self._pending_preview: tuple[str, str] | None = None
        self._previews: dict[tuple[str, str], tuple[list[str], bool]] = {}
        self.background: bool | None = None
        self._edition = 0  # counts the scenario's changes: a result from an older edition is dropped
        self._structure_job: Future | None = None  # the latest structure asked of the worker
        self._results = _Results(self)
        # queued even from this thread: a job done at once must not apply before _submit returns
        self._results.ready.connect(lambda apply, future: apply(future), Qt.ConnectionType.QueuedConnection)
        self.charts.tabs.currentChanged.connect(self._on_chart_shown)

        connect_view(self.document.signals.changed, self._structure_timer.start)
        connect_view(self.document.signals.changed, self._new_edition)
        self._on_run_reset()
        self._choose_view()  # after the reset: bringing a burden chart forward reads the run's report
        self.update_structure()

    # -- controls -------------------------------------------------------------------

    def _action(self, text: str, icon: QStyle.StandardPixmap, shortcut: str, tip: str, slot: Any) -> QAction:
        action = QAction(self.window.style().standardIcon(icon), text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({shortcut})")
        action.triggered.connect(slot)
        self.window.addAction(action)  # shortcuts work while the menu is closed
        return action

    def _build_actions(self) -> None:
        pixmap = QStyle.StandardPixmap
        self.reset_action = self._action(
            "Reset", pixmap.SP_MediaSkipBackward, "Home", "Back to tick 0 of this run", self.controller.reset
        )
        self.back_action = self._action(
            "Back", pixmap.SP_MediaSeekBackward, "Left", "Replay the previous tick", self.step_back
        )
        self.play_action = self._action(
            "Play", pixmap.SP_MediaPlay, "Space", "Play or pause the run", self.controller.toggle_play
        )
        self.step_action = self._action(
            "Step", pixmap.SP_MediaSeekForward, "Right", "One tick forward", self.step_forward
        )
        self.scripted_action = QAction("Run the Scripted Events", self.window)
        self.scripted_action.setToolTip(
            "Forget the attack drawn on the canvas; run the scenario's own events"
        )
        self.scripted_action.triggered.connect(self.controller.use_scripted_events)
        menu = self.window.simulation_menu
        for action in (self.play_action, self.step_action, self.back_action, self.reset_action):
            menu.addAction(action)
        menu.addAction(self.scripted_action)
        # the canvas's rings and caption: exposure, or Jackson & Nei as its own lesson
        self.jackson_nei_action = QAction("Jackson && Nei View", self.window, checkable=True)
        self.jackson_nei_action.setToolTip(
            "Ring the states Jackson & Nei call vulnerable and show their war-stability verdict, "
            "instead of the states exposed to an undeterred attack"
        )
        self.jackson_nei_action.toggled.connect(self.update_structure)
        self.about_jackson_nei_action = QAction("About the Jackson && Nei View…", self.window)
        self.about_jackson_nei_action.triggered.connect(self._explain_jackson_nei)
        self.window.view_menu.addAction(self.jackson_nei_action)
        self.window.view_menu.addAction(self.about_jackson_nei_action)
        self.open_play = OpenPlaySwitch(self.window, self.document)
        menu.addAction(self.open_play.action)

    def _build_toolbar(self) -> None:
        toolbar = self.window.run_toolbar
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)  # words read in any theme
        for action in (self.reset_action, self.back_action, self.play_action, self.step_action):
            toolbar.addAction(action)
        self.open_play_box = self.open_play.check_box(toolbar)
        toolbar.addWidget(self.open_play_box)
        # the slider's far left is the narrated pace (position MIN_SPEED - 1), then a fixed speed
        self.speed_slider = QSlider(Qt.Orientation.Horizontal, toolbar)
        self.speed_slider.setRange(MIN_SPEED - 1, MAX_SPEED)
        self.speed_slider.setPageStep(5)
        self.speed_slider.setFixedWidth(120)
        self.speed_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Left/Right belong to the replay
        self.speed_slider.setToolTip(SPEED_TIP)
        self.speed_label = SteadyLabel([speed_text(NARRATED), speed_text(MAX_SPEED)], toolbar)
        self.speed_label.setToolTip(SPEED_TIP)
        self.speed_slider.valueChanged.connect(self._on_speed_moved)
        self.set_speed(self.controller.speed)
        toolbar.addWidget(self.speed_slider)
        toolbar.addWidget(self.speed_label)
        toolbar.addSeparator()
        self.tick_label = QLabel(toolbar)
        bold = QFont()  # only the weight is set: the size follows the application's type
        bold.setBold(True)
        self.tick_label.setFont(bold)
        self.timeline.lead_with(self.tick_label)  # beside the slider, as wide as its text
        toolbar.addWidget(self.timeline)
        toolbar.addSeparator()
        self.run_label = ElidedLabel(toolbar)
        self.run_label.setContentsMargins(6, 0, 6, 0)
        self.run_label_action = toolbar.addWidget(self.run_label)  # presenter mode hides it

    def _build_exports(self) -> None:
        self.export_report_action = QAction("Run Report (JSON)…", self.window)
        self.export_report_action.triggered.connect(self.ask_export_report)
        self.export_log_action = QAction("Event Log (Text or Markdown)…", self.window)
        self.export_log_action.triggered.connect(self.event_log.ask_and_export)
        menu = getattr(self.window, "export_menu", None)
        if menu is None:
            menu = QMenu("Export", self.window)
            self.window.simulation_menu.addSeparator()
            self.window.simulation_menu.addMenu(menu)
        menu.addAction(self.export_report_action)
        menu.addAction(self.export_log_action)

    def set_speed(self, speed: int | None) -> None:
        """The run's speed (ticks a second, or NARRATED), on the slider too."""
        self.speed_slider.setValue(MIN_SPEED - 1 if speed is NARRATED else speed)
        self._on_speed_moved(self.speed_slider.value())

    def _on_speed_moved(self, position: int) -> None:
        self.controller.set_speed(NARRATED if position < MIN_SPEED else position)
        self.speed_label.setText(speed_text(self.controller.speed))

    def step_forward(self) -> None:
        """Right: the next replayed tick, or a new engine tick at the live end."""
        self.controller.pause()
        if self.viewed_tick is None:
            self.controller.step()
        else:
            self.show_tick(self.viewed_tick + 1)

    def step_back(self) -> None:
        """Left: pause and replay the tick before the one shown."""
        self.controller.pause()
        shown = self.viewed_tick if self.viewed_tick is not None else self.controller.ticks_done - 1
        if shown > 0:
            self.show_tick(shown - 1)

    # -- the run ----------------------------------------------------------------

    def _on_run_reset(self) -> None:
        self.viewed_tick = None
        self._report_stale = True
        self.canvas.apply_run_view(None)
        self.event_log.reset()
        self.event_log.title = self._run_title()
        self.charts.clear()
        self.timeline.set_run(None)
        self._refresh_report()
        self._update_labels()

    def _on_stepped(self, simulation: Any, events: list[Any], snapshot: Any) -> None:
        if self.viewed_tick is not None:
            self._leave_replay()
        self.event_log.append(events)
        self.charts.set_series({**simulation.recorder.series, "before": simulation.baseline})
        self.charts.set_cursor(simulation.tick - 1)  # at the live end, where a drag back starts
        self.canvas.apply_run_view(snapshot)
        self.timeline.set_run(simulation.tick - 1)
        self._report_stale = True
        if not self.controller.playing:
            self._refresh_report()
        self._update_labels()

    def _on_playing_changed(self, playing: bool) -> None:
        self.play_action.setText("Pause" if playing else "Play")
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_action.setIcon(self.window.style().standardIcon(icon))
        if playing and self.viewed_tick is not None:
            self._leave_replay()
            self.canvas.apply_run_view(self.controller.simulation.snapshot())
        if not playing:
            self._refresh_report()
        self._update_labels()

    def _on_chart_shown(self, _index: int) -> None:
        self._refresh_report()

    def _refresh_report(self) -> None:
        """Burden charts from the run's report, built only while the run stands still
        and a burden chart is on screen (a big world's report takes seconds)."""
        shown = self.charts.tabs.currentWidget() in (self.charts.war_burden, self.charts.peace_burden)
        if not (self._report_stale and shown) or self.controller.playing:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.charts.set_report(self.controller.simulation.report(), self.document.scenario)
        finally:
            QApplication.restoreOverrideCursor()
        self._report_stale = False

    def _run_title(self) -> str:
        return f"{self.document.scenario.meta.title}: {self._run_attacks()}"

    def _run_attacks(self) -> str:
        """The run's attacks in words ("Italy attacks Ethiopia"), or "no attack yet"."""
        scenario = self.document.scenario
        attacks = self.controller.attacks
        if not attacks:  # the scenario's own events, in the words of the room
            attacks = [(e.aggressor, e.target) for e in scenario.events]
        names = "; ".join(
            f"{scenario.state(a).name} attacks {scenario.state(t).name}"
            for a, t in attacks
            if scenario.has_state(a) and scenario.has_state(t)
        )
        if not names and scenario.settings.open_play:
            return "open play: the states choose their wars"
        return names or "no attack yet"

    def _update_labels(self) -> None:
        controller = self.controller
        # the result stays beside the tick, short and whole; the run's name may be cut to fit
        result = f" · {_result_text(controller.result)}" if controller.finished else ""
        if self.viewed_tick is not None:
            self.tick_label.setText(f"Tick {self.viewed_tick} (replay)")
        elif controller.ticks_done == 0:
            self.tick_label.setText("Tick –")
        else:
            self.tick_label.setText(f"Tick {controller.ticks_done - 1}{result}")
        self.run_label.set_full_text(self._run_attacks())  # a title may hold ": " itself
        self.scripted_action.setEnabled(controller.attacks is not None)
        self.back_action.setEnabled(controller.ticks_done > 1 and self.viewed_tick != 0)

    # -- replay -------------------------------------------------------------------

    def show_tick(self, tick: int) -> None:
        """Show the run as it stood after ``tick`` (the last tick done: live)."""
        self.controller.settle()  # the worker's tick in flight, if any, lands first
        if self.controller.ticks_done == 0:
            return
        simulation = self.controller.simulation
        tick = min(max(tick, 0), simulation.tick - 1)
        if tick == simulation.tick - 1:
            self._leave_replay()
            self.canvas.apply_run_view(simulation.snapshot())
        else:
            self.controller.pause()
            self.viewed_tick = tick
            self.canvas.apply_run_view(simulation.snapshot(tick))
            self.event_log.set_view_tick(tick)
            self.charts.set_cursor(tick)
            self.charts.set_replay(tick, simulation.tick - 1)
            self.timeline.set_run(simulation.tick - 1, viewed=tick)
        self._update_labels()

    def _leave_replay(self) -> None:
        self.viewed_tick = None
        self.event_log.set_view_tick(None)
        done = self.controller.ticks_done
        self.charts.set_cursor(done - 1 if done else None)
        self.charts.set_replay(None, None)
        self.timeline.set_run(done - 1 if done else None)

    def _highlight_event(self, event: Any) -> None:
        states = list(dict.fromkeys(s for s in (event.state, event.ally, event.other) if s is not None))
        self.canvas.highlight(states, event.treaty)

    # -- editing --------------------------------------------------------------------

    def _new_edition(self) -> None:
        self._edition += 1
        self._previews.clear()
        if self._pending_preview is not None:  # the pointer rests on a target: its numbers changed
            self._preview_timer.start()

    def _choose_view(self) -> None:
        """Each scenario opens in the exposure view, the jackson-nei example in its own, and on the
        chart that tells its story (overview.first_chart)."""
        with QSignalBlocker(self.jackson_nei_action):
            self.jackson_nei_action.setChecked(shows_jackson_nei(self.document.scenario))
        self.charts.show_chart(first_chart(self.document.scenario))

    def _explain_jackson_nei(self) -> None:
        QMessageBox.information(self.window, "The Jackson & Nei view", JACKSON_NEI_EXPLANATION)

    def _on_scenario_replaced(self, _scenario: object) -> None:
        self._choose_view()
        self._new_edition()
        self._structure_timer.stop()
        self.update_structure()

    def _in_background(self) -> bool:
        if self.background is not None:
            return self.background
        scenario = self.document.scenario
        return len(scenario.states) + len(scenario.treaties) >= BIG_WORLD

    def _submit(self, function: Any, args: tuple, apply: Any) -> Future:
        """``function(*args)`` on the worker; ``apply(future)`` on the GUI thread when done,
        skipped if the scenario changed meanwhile (its result, or failure, is of a past edition)."""
        edition = self._edition

        def apply_if_current(future: Future) -> None:
            if edition == self._edition:
                apply(future)

        def deliver(future: Future) -> None:  # on the worker thread: hand over, touch nothing
            if not future.cancelled():
                self._results.ready.emit(apply_if_current, future)

        future = self.controller.submit(function, *args)
        future.add_done_callback(deliver)
        return future

    def update_structure(self) -> None:
        """The rings and caption of the scenario as edited (sandbox.core.overview: exposure, or
        Jackson & Nei when that view is on): at once, or when the worker has it (see
        :attr:`background`)."""
        scenario, jackson_nei = self.document.scenario, self.jackson_nei_action.isChecked()
        if not self._in_background():
            self.canvas.set_overview(overview(scenario, jackson_nei))
            return

        def apply(future: Future) -> None:
            if future is self._structure_job:  # a later request supersedes this one
                self.canvas.set_overview(future.result())

        # the worker gets a copy (later edits do not reach it), never the scenario being edited
        self._structure_job = self._submit(overview, (scenario.copy(), jackson_nei), apply)

    def _preview_attack(self, aggressor: str, target: str | None) -> None:
        """Hover over a target: its preview now if known, else shortly (see PREVIEW_DELAY_MS)."""
        self._pending_preview = None if target is None else (aggressor, target)
        if target is None:
            self._preview_timer.stop()
            self.canvas.show_attack_preview(None, [], False)
        elif (aggressor, target) in self._previews:
            self._show_pending_preview()
        else:
            self._preview_timer.start()

    def _show_pending_preview(self) -> None:
        if self._pending_preview is None:
            return
        pair = self._pending_preview
        if pair in self._previews:
            self.canvas.show_attack_preview(pair[1], *self._previews[pair])
        elif not self._in_background():
            self._previews[pair] = attack_preview_lines(self.document.scenario, *pair)
            self.canvas.show_attack_preview(pair[1], *self._previews[pair])
        else:

            def apply(future: Future) -> None:
                self._previews[pair] = future.result()
                if self._pending_preview == pair:  # the pointer is still on that target
                    self.canvas.show_attack_preview(pair[1], *self._previews[pair])

            run = Simulation(self.document.scenario, record=False)  # the worker's own, compiled here
            self._submit(attack_preview_lines, (run, *pair), apply)

    # -- exports ----------------------------------------------------------------------

    def ask_export_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export run report", "run-report.json", "JSON (*.json)"
        )
        if not path:
            return
        if not path.lower().endswith(".json"):
            path += ".json"
        self.controller.pause()  # the report of a run standing still
        try:
            exports.save_report(self.controller.simulation.report(), path)
        except OSError as error:
            QMessageBox.warning(self.window, "Export failed", f"{path}: {error.strerror or error}")

    def close(self) -> None:
        """Stop the run (the window is closing)."""
        self.controller.close()
        self._structure_timer.stop()
        self._preview_timer.stop()


def install_live_simulation(window: Any) -> LiveSimulation:
    """Add the run controls, event log, charts and replay to ``window``."""
    return LiveSimulation(window)
