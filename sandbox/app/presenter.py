"""Presenter mode: the window as a projector shows it, driven from the keyboard.

F11 (View > Presenter Mode) goes full screen, hides the editing docks and tool bars, switches the
whole application to a light high-contrast projector theme with large type, and shows the
scenario's facilitator notes. The run is driven from the keyboard: Space play/pause, Right step,
Left step back (replay) and Home reset are the live view's window-wide actions; presenter mode adds
N (run until the next scripted event has fired), Esc (leave), and Ctrl + / Ctrl - / Ctrl 0, which
zoom the whole application (remembered in QSettings under ``presenter/zoom``). Presenter mode's
keys win over any other action with the same key, which is disabled meanwhile and re-enabled
afterwards.

Leaving restores the window's geometry, window state, dock and tool bar layout, and the
application's palette and font, the status bar and the canvas's zoom and scroll exactly as they
were.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette, QTransform
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QTextBrowser, QToolBar

ZOOM_KEY = "presenter/zoom"
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
PRESENTER_FONT_POINTS = 16  # at zoom 1.0: readable from the back of a seminar room
NOTES_FONT_POINTS = 18
DOCK_WIDTH = 0.26  # share of the screen for the notes and the log
CHARTS_HEIGHT = 0.28  # share of the screen for the charts

# Projected light washes out pure black and pale tints: ink-navy text on warm off-white, and
# saturated accents.
PROJECTOR_COLORS = {
    "window": "#f6f3ea",
    "base": "#fffdf7",
    "alternate": "#ece7da",
    "text": "#14213d",
    "button": "#e6e0d0",
    "highlight": "#1d4ed8",
    "highlighted_text": "#fffdf7",
    "link": "#1d4ed8",
    "disabled": "#6b7280",
    "tooltip": "#fff6d5",
}


def projector_palette() -> QPalette:
    """The light, high-contrast palette of presenter mode."""
    c = PROJECTOR_COLORS
    roles = QPalette.ColorRole
    palette = QPalette()
    for role, colour in (
        (roles.Window, c["window"]),
        (roles.WindowText, c["text"]),
        (roles.Base, c["base"]),
        (roles.AlternateBase, c["alternate"]),
        (roles.Text, c["text"]),
        (roles.Button, c["button"]),
        (roles.ButtonText, c["text"]),
        (roles.BrightText, "#b91c1c"),
        (roles.Highlight, c["highlight"]),
        (roles.HighlightedText, c["highlighted_text"]),
        (roles.Link, c["link"]),
        (roles.ToolTipBase, c["tooltip"]),
        (roles.ToolTipText, c["text"]),
        (roles.PlaceholderText, c["disabled"]),
    ):
        palette.setColor(role, QColor(colour))
    for role in (roles.Text, roles.ButtonText, roles.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["disabled"]))
    return palette


@dataclass
class _Saved:
    """Everything presenter mode changes, as it was before."""

    geometry: QByteArray
    rect: QRect
    layout: QByteArray
    window_state: Qt.WindowState
    status_bar: bool
    canvas_transform: QTransform
    canvas_scroll: tuple[int, int]
    palette: QPalette
    font: QFont
    disabled_actions: list[QAction]


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
            ("next_event", "Next Scripted Event", [QKeySequence("N")], self.next_scripted_event),
            ("zoom_in", "Zoom In", QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (
                "zoom_out",
                "Zoom Out",
                QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomOut),
                self.zoom_out,
            ),
            ("zoom_reset", "Actual Size", [QKeySequence("Ctrl+0")], self.zoom_reset),
            ("leave", "Leave Presenter Mode", [QKeySequence("Esc")], lambda: self.set_active(False)),
        ):
            action = QAction(text, window)
            action.setShortcuts(key)
            action.setEnabled(False)
            action.triggered.connect(slot)
            window.addAction(action)
            self.key_actions[name] = action

        window.document.scenario_replaced.connect(self._show_notes)
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
        canvas = window.canvas
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
            canvas.transform(),
            (canvas.horizontalScrollBar().value(), canvas.verticalScrollBar().value()),
            QPalette(app.palette()),
            QFont(app.font()),
            clashing,
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
        # The canvas gets most of the screen: notes above the log on the right, charts below.
        area = Qt.DockWidgetArea
        window.addDockWidget(area.RightDockWidgetArea, self.notes_dock)
        window.splitDockWidget(self.notes_dock, log, Qt.Orientation.Vertical)
        window.addDockWidget(area.BottomDockWidgetArea, charts)
        for dock in (self.notes_dock, log, charts):
            dock.setFloating(False)
            dock.show()
        self._show_notes()
        app.setPalette(projector_palette())
        canvas.set_projector(True)
        self._apply_zoom()
        window.showFullScreen()
        window.activateWindow()  # the keys must reach this window at once
        QTimer.singleShot(0, self._arrange)

    def _arrange(self) -> None:
        """Size the docks for the full screen and fit the world into the canvas."""
        if not self.active:
            return
        window = self.window
        size = window.size()
        window.resizeDocks([self.notes_dock], [int(size.width() * DOCK_WIDTH)], Qt.Orientation.Horizontal)
        window.resizeDocks(
            [window.live.charts], [int(size.height() * CHARTS_HEIGHT)], Qt.Orientation.Vertical
        )
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
        window.canvas.set_projector(False)
        window.setWindowState(saved.window_state)
        window.restoreGeometry(saved.geometry)
        if not saved.window_state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.setGeometry(saved.rect)  # restoreGeometry squeezes a window larger than the screen
        window.restoreState(saved.layout)
        window.statusBar().setVisible(saved.status_bar)
        self.notes_dock.hide()
        window.canvas.setTransform(saved.canvas_transform)
        QTimer.singleShot(0, lambda: self._restore_scroll(saved.canvas_scroll))

    def _restore_scroll(self, scroll: tuple[int, int]) -> None:
        if not self.active:
            self.window.canvas.horizontalScrollBar().setValue(scroll[0])
            self.window.canvas.verticalScrollBar().setValue(scroll[1])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Leave before the window saves its layout on close, so the editing layout is what persists.
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.set_active(False)
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

    # -- keyboard control of the run ---------------------------------------------------

    def next_scripted_event(self) -> None:
        """Step until the next scripted attack has fired (or the run ends)."""
        controller = self.window.live.controller
        controller.pause()
        simulation = controller.simulation
        upcoming = [tick for tick in scripted_ticks(controller) if tick >= simulation.tick]
        if not upcoming:
            return
        while not simulation.finished and simulation.tick <= upcoming[0]:
            controller.step()
            simulation = controller.simulation


def scripted_ticks(controller) -> list[int]:
    """The ticks at which the controller's run fires scripted attacks, sorted: tick 0 for attacks
    given on the canvas, the scenario's event ticks otherwise."""
    attacks = getattr(controller, "attacks", None)
    if attacks:
        return [0]
    return sorted({event.tick for event in controller.scenario.events})


def _clamp_zoom(factor: float) -> float:
    return min(max(factor, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
