"""Presenter mode: the window as a projector shows it, driven from the keyboard.

F11 (View > Presenter Mode) goes full screen, hides the editing docks and tool bars, switches the
whole application to a light high-contrast projector theme with large type (the map's names
included), and shows the scenario's facilitator notes and the event log beside a map that has
most of the screen; the view refits on entering and on leaving. The run is driven from the
keyboard: Space play/pause, Right step, Left step back (replay) and Home reset are the live view's
window-wide actions; presenter mode adds N (run until the next scripted event has fired, else the
next event of the run), C, E and T (show or hide the charts, the event log, the notes), Ctrl+] /
Ctrl+[ / Ctrl+\\ (larger, smaller, normal type; remembered in QSettings under
``presenter/zoom``) and Esc (leave). Ctrl +/- zoom the map, as outside presenter mode.
Presenter mode's keys win over any other action with the same key, which is disabled meanwhile
and re-enabled afterwards.

Leaving restores the window's geometry, window state, dock and tool bar layout, and the
application's palette and font and the status bar as they were, and fits the map again.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QTextBrowser, QToolBar

from sandbox.app.style import theme
from sandbox.app.style.theme import projector_palette

ZOOM_KEY = "presenter/zoom"
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
PRESENTER_FONT_POINTS = 16  # at zoom 1.0: readable from the back of a seminar room
NOTES_FONT_POINTS = 18
DOCK_WIDTH = 0.26  # share of the screen's width for the notes and the log
CHARTS_WIDTH = 0.36  # the same while the charts are in front (the map keeps some 57% of the screen)
NOTICE_MS = 3000  # how long a notice stays on the map
RUN_ICON_PIXELS = 28  # the run bar's buttons, icons only, as large as the type beside them


@dataclass
class _Saved:
    """Everything presenter mode changes, as it was before."""

    geometry: QByteArray
    rect: QRect
    layout: QByteArray
    window_state: Qt.WindowState
    status_bar: bool
    palette: QPalette
    font: QFont
    disabled_actions: list[QAction]
    run_buttons: Qt.ToolButtonStyle
    run_icons: QSize


class PresenterMode(QObject):
    """Presenter mode of one main window (see the module docstring).

    ``window`` is the app's main window: it must offer ``settings`` (QSettings), ``view_menu``,
    ``run_toolbar``, ``document`` (``.scenario``, ``scenario_replaced``) and ``live`` (the live
    view: ``controller``, ``event_log``, ``charts``).
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._saved: _Saved | None = None
        self._zoom = _clamp_zoom(float(window.settings.value(ZOOM_KEY, 1.0)))

        self.toggle_action = QAction("&Presenter Mode", window, checkable=True)
        self.toggle_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.toggle_action.setStatusTip("Full screen, projector colours, large type, keyboard control")
        self.toggle_action.toggled.connect(self.set_active)
        window.view_menu.addSeparator()
        window.view_menu.addAction(self.toggle_action)
        window.addAction(self.toggle_action)  # F11 works even where the menu bar is hidden

        self.notes = QTextBrowser()
        self.notes.setOpenExternalLinks(True)
        self.notes_dock = QDockWidget("Facilitator Notes", window)
        self.notes_dock.setObjectName("PresenterNotesDock")
        self.notes_dock.setWidget(self.notes)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.notes_dock)
        self.notes_dock.hide()

        self.key_actions: dict[str, QAction] = {}
        for name, text, key, slot in (
            ("next_event", "Next Event", "N", self.next_scripted_event),
            ("charts", "Show or Hide the Charts", "C", lambda: self.toggle_panel(window.live.charts)),
            ("log", "Show or Hide the Event Log", "E", lambda: self.toggle_panel(window.live.event_log)),
            ("notes", "Show or Hide the Notes", "T", lambda: self.toggle_panel(self.notes_dock)),
            ("zoom_in", "Larger Type", "Ctrl+]", self.zoom_in),
            ("zoom_out", "Smaller Type", "Ctrl+[", self.zoom_out),
            ("zoom_reset", "Normal Type", "Ctrl+\\", self.zoom_reset),
            ("leave", "Leave Presenter Mode", "Esc", lambda: self.set_active(False)),
        ):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(key))
            action.setEnabled(False)
            action.triggered.connect(slot)
            window.addAction(action)
            self.key_actions[name] = action

        self.notice = QLabel(window.canvas)  # N at the end of a run says so on the map
        self.notice.setStyleSheet(
            "QLabel { background: #14213d; color: #fffdf7; border-radius: 8px; padding: 12px 18px; }"
        )
        self.notice.hide()
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(self.notice.hide)
        # the status bar is hidden in presenter mode: its notices (a room waiting for its
        # participants, a refused edit) go on the map instead
        window.canvas.message.connect(self._show_notice)
        window.document.scenario_replaced.connect(self._show_notes)
        self._arrange_soon = QTimer(self, singleShot=True, interval=0)  # once per burst of resizes
        self._arrange_soon.timeout.connect(self._arrange)
        window.installEventFilter(self)

    # -- entering and leaving ---------------------------------------------------

    @property
    def active(self) -> bool:
        return self._saved is not None

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_active(self, on: bool) -> None:
        """Enter (True) or leave (False) presenter mode; does nothing if already so."""
        if on == self.active:
            return
        if on:
            self._enter()
        else:
            self._leave()
        self.toggle_action.setChecked(on)

    def _enter(self) -> None:
        app = QApplication.instance()
        window = self.window
        mine = set(self.key_actions.values())
        shortcuts = {seq.toString() for action in mine for seq in action.shortcuts()}
        clashing = [
            action
            for action in window.findChildren(QAction)
            if action not in mine
            and action.isEnabled()
            and any(seq.toString() in shortcuts for seq in action.shortcuts())
        ]
        self._saved = _Saved(
            window.saveGeometry(),
            window.geometry(),
            window.saveState(),
            window.windowState(),
            window.statusBar().isVisible(),
            QPalette(app.palette()),
            QFont(app.font()),
            clashing,
            window.run_toolbar.toolButtonStyle(),
            window.run_toolbar.iconSize(),
        )
        for action in clashing:
            action.setEnabled(False)
        for action in mine:
            action.setEnabled(True)
        log, charts = window.live.event_log, window.live.charts
        for dock in window.findChildren(QDockWidget):
            if dock.parent() is window and dock not in (self.notes_dock, log, charts):
                dock.hide()
        for toolbar in window.findChildren(QToolBar):
            if toolbar.parent() is window and toolbar is not window.run_toolbar:
                toolbar.hide()
        window.statusBar().hide()
        # The map gets most of the screen: on the right the notes above the log, the charts (C) a tab
        # beside the log (below the map they left it a strip at 720 px: they need 340 px of height)
        for dock in (log, charts):  # out of their tab group in the right column
            window.removeDockWidget(dock)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.notes_dock)
        window.splitDockWidget(self.notes_dock, log, Qt.Orientation.Vertical)
        window.tabifyDockWidget(log, charts)
        # the run controls keep one row at 1280 px in large type: the notes and the log name the run,
        # and the buttons show their icons only (the facilitator drives them by key; tooltips name them)
        window.live.run_label_action.setVisible(False)
        window.run_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        window.run_toolbar.setIconSize(QSize(RUN_ICON_PIXELS, RUN_ICON_PIXELS))
        for dock in (self.notes_dock, log, charts):
            dock.setFloating(False)
            dock.setVisible(dock is not charts)
        self._show_notes()
        app.setPalette(projector_palette())
        self._apply_zoom()
        window.showFullScreen()
        window.activateWindow()  # the keys must reach this window at once
        QTimer.singleShot(0, self._arrange)

    def toggle_panel(self, dock: QDockWidget) -> None:
        """Show or hide one of presenter mode's panels (a panel behind its neighbour's tab comes to
        the front); the map refits into the room left."""
        if in_front(dock):
            dock.hide()
            QTimer.singleShot(0, self._arrange)
        else:
            self.show_panel(dock)

    def show_panel(self, dock: QDockWidget) -> None:
        """Show a panel in front of any tab it shares; in presenter mode the map refits."""
        dock.show()
        dock.raise_()
        if self.active:
            QTimer.singleShot(0, self._arrange)

    def _arrange(self) -> None:
        """Size the docks for the full screen and fit the world into the canvas."""
        if not self.active:
            return
        window = self.window
        size = window.size()
        charts, log = window.live.charts, window.live.event_log
        column = [d for d in (self.notes_dock, log, charts) if d.isVisible()]
        if column:  # wider while the charts are in front: their axes need the room
            share = CHARTS_WIDTH if in_front(charts) else DOCK_WIDTH
            window.resizeDocks([column[0]], [int(size.width() * share)], Qt.Orientation.Horizontal)
        if self.notes_dock.isVisible() and (log.isVisible() or charts.isVisible()):
            below = charts if in_front(charts) else log
            window.resizeDocks([self.notes_dock, below], [2, 3], Qt.Orientation.Vertical)
        window.hide_stray_tab_bars()
        window.canvas.fit_all()

    def _leave(self) -> None:
        saved, self._saved = self._saved, None
        app = QApplication.instance()
        window = self.window
        for action in self.key_actions.values():
            action.setEnabled(False)
        for action in saved.disabled_actions:
            action.setEnabled(True)
        app.setFont(saved.font)
        app.setPalette(saved.palette)
        window.setWindowState(saved.window_state)
        window.restoreGeometry(saved.geometry)
        if not saved.window_state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.setGeometry(saved.rect)  # restoreGeometry squeezes a window larger than the screen
        window.restoreState(saved.layout)
        window.live.run_label_action.setVisible(True)
        window.run_toolbar.setToolButtonStyle(saved.run_buttons)
        window.run_toolbar.setIconSize(saved.run_icons)
        window.statusBar().setVisible(saved.status_bar)
        self.notes_dock.hide()
        window.canvas.set_text_scale(1.0)
        window.live.event_log.set_text_scale(1.0)
        window.live.charts.set_text_scale(1.0)
        QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        if not self.active:
            self.window.canvas.fit_all()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Leave before the window saves its layout on close, so the editing layout is what persists.
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.set_active(False)
        elif watched is self.window and event.type() == QEvent.Type.Resize and self.active:
            self._arrange_soon.start()  # full screen came, or the projector changed: the shares again
        return False

    def _show_notes(self, *_args: object) -> None:
        notes = self.window.document.scenario.meta.notes.strip()
        self.notes.setMarkdown(notes or "*This scenario has no facilitator notes.*")

    # -- zoom ------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom + 1e-9), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self._zoom - 1e-9), ZOOM_STEPS[0]))

    def zoom_reset(self) -> None:
        self.set_zoom(1.0)

    def set_zoom(self, factor: float) -> None:
        """Set the application zoom (clamped to ZOOM_STEPS' range) and remember it."""
        self._zoom = _clamp_zoom(factor)
        self.window.settings.setValue(ZOOM_KEY, self._zoom)
        if self.active:
            self._apply_zoom()

    def _apply_zoom(self) -> None:
        app = QApplication.instance()
        font = QFont(self._saved.font)
        font.setPointSizeF(PRESENTER_FONT_POINTS * self._zoom)
        app.setFont(font)
        notes_font = QFont(font)
        notes_font.setPointSizeF(NOTES_FONT_POINTS * self._zoom)
        self.notes.setFont(notes_font)
        # the map's names, hull names and verdict, the log and the charts grow as the rest of the type does
        scale = PRESENTER_FONT_POINTS * self._zoom / theme.BASE_FONT_POINTS
        self.window.canvas.set_text_scale(scale)
        self.window.live.event_log.set_text_scale(scale)
        self.window.live.charts.set_text_scale(scale)
        if self.active:
            QTimer.singleShot(0, self._arrange)

    # -- keyboard control of the run ---------------------------------------------------

    def next_scripted_event(self) -> None:
        """Step until the next scripted attack has fired; with none left, until the run's next
        tick with events; at the end of the run, say so."""
        controller = self.window.live.controller
        controller.pause()
        simulation = controller.simulation
        if simulation.finished:
            self.window.canvas.message.emit("The run has ended: press Home to start it again")
            return
        upcoming = [tick for tick in scripted_ticks(controller) if tick >= simulation.tick]
        if upcoming:
            while not simulation.finished and simulation.tick <= upcoming[0]:
                controller.step()
                simulation = controller.simulation
            return
        events = len(simulation.events)
        while not simulation.finished and len(simulation.events) == events:
            controller.step()
            simulation = controller.simulation

    def _show_notice(self, text: str) -> None:
        """In presenter mode, ``text`` on the map for a moment (a new one replaces it)."""
        if not self.active:
            return
        canvas = self.window.canvas
        self.notice.setFont(QApplication.font())  # presenter mode's large type, not the map's own
        self.notice.setText(text)
        self.notice.setWordWrap(False)
        self.notice.adjustSize()
        room = canvas.width() - 48
        if self.notice.width() > room:  # a long notice wraps inside the map
            self.notice.setWordWrap(True)
            self.notice.resize(room, self.notice.heightForWidth(room))
        self.notice.move(
            (canvas.width() - self.notice.width()) // 2, (canvas.height() - self.notice.height()) // 2
        )
        self.notice.show()
        self.notice.raise_()
        self._notice_timer.start()


def in_front(dock: QDockWidget) -> bool:
    """Whether the panel is shown and not behind another's tab."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def scripted_ticks(controller) -> list[int]:
    """The ticks at which the controller's run fires scripted attacks, sorted: tick 0 for attacks
    given on the canvas, the scenario's event ticks otherwise."""
    attacks = getattr(controller, "attacks", None)
    if attacks:
        return [0]
    return sorted({event.tick for event in controller.scenario.events})


def _clamp_zoom(factor: float) -> float:
    return min(max(factor, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
