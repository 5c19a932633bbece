"""Workshop mode: presenter mode, the welcome page and tour, what-if comparison, experiments and
the debrief pack, added to the main window by one call, :func:`install_workshop`.

Menus: View > Presenter Mode (F11); Simulation > What-If Comparison…, Experiments…, Write Debrief
Pack…; Workshop > Open Room… (room_window); Help > Welcome Page…, Guided Tour. The welcome page opens
by itself on the first start (QSettings ``workshop/welcome_shown`` in the window's settings), except
on the offscreen platform (screenshots, CI), where nobody is there to greet.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDialog, QMenu

from sandbox.app.workshop.compare_view import CompareWindow
from sandbox.app.workshop.debrief_action import DebriefAction
from sandbox.app.workshop.experiments import ExperimentsDialog
from sandbox.app.workshop.presenter import PresenterMode
from sandbox.app.workshop.room_window import RoomAction
from sandbox.app.workshop.welcome import WELCOME_SHOWN_KEY, GuidedTour, WelcomePage
from sandbox.core.examples import example_path


class Workshop(QObject):
    """Everything of workshop mode for one window (see the module docstring)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.presenter = PresenterMode(window)
        self.debrief = DebriefAction(window)
        self.tour: GuidedTour | None = None
        self.welcome: WelcomePage | None = None
        self.compare_window: CompareWindow | None = None
        self.experiments: ExperimentsDialog | None = None
        self._greeted = False

        self.compare_action = QAction("&What-If Comparison…", window)
        self.compare_action.setStatusTip(
            "Run the scenario and a variant of it with the same attack, side by side"
        )
        self.compare_action.triggered.connect(self.open_comparison)
        self.experiments_action = QAction("&Experiments…", window)
        self.experiments_action.setStatusTip(
            "Monte Carlo runs and parameter sweeps with charts and CSV export"
        )
        self.experiments_action.triggered.connect(self.open_experiments)
        menu = window.simulation_menu
        menu.addSeparator()
        menu.addActions([self.compare_action, self.experiments_action, self.debrief.action])

        self.room = RoomAction(window)

        self.welcome_action = QAction("&Welcome Page…", window)
        self.welcome_action.triggered.connect(self.show_welcome)
        self.tour_action = QAction("Guided &Tour", window)
        self.tour_action.triggered.connect(self.start_tour)
        help_menu = self._help_menu()
        help_menu.insertActions(
            help_menu.actions()[0] if help_menu.actions() else None, [self.welcome_action, self.tour_action]
        )
        window.installEventFilter(self)
        if window.isVisible():  # main() shows the window before installing the workshop
            self._greet()

    def _greet(self) -> None:
        """Once, when the window is first on screen: the welcome page if it was never shown."""
        self._greeted = True
        if QGuiApplication.platformName() != "offscreen":
            QTimer.singleShot(0, self.maybe_show_welcome)

    def _help_menu(self) -> QMenu:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == "Help":
                return action.menu()
        return self.window.menuBar().addMenu("&Help")

    def current_attack(self) -> tuple[str, str] | None:
        """The attack of the window's current run, or the scenario's first scripted attack."""
        attacks = self.window.live.controller.attacks
        if attacks:
            return attacks[0]
        events = [e for e in self.window.document.scenario.events if e.type == "attack"]
        return (events[0].aggressor, events[0].target) if events else None

    # -- dialogs ------------------------------------------------------------------------

    def open_comparison(self) -> CompareWindow:
        if self.compare_window is not None:
            self.compare_window.close()
        self.compare_window = CompareWindow(self.window.document.scenario, self.current_attack(), self.window)
        self._free_on_close(self.compare_window, "compare_window")
        self.compare_window.show()
        return self.compare_window

    def open_experiments(self) -> ExperimentsDialog:
        if self.experiments is not None and self.experiments.running:
            self.experiments.activateWindow()
            return self.experiments
        if self.experiments is not None:
            self.experiments.close()
        self.experiments = ExperimentsDialog(
            self.window.document.scenario, self.current_attack(), self.window
        )
        self._free_on_close(self.experiments, "experiments")
        self.experiments.show()
        return self.experiments

    def _free_on_close(self, dialog: QDialog, attribute: str) -> None:
        """Have Qt delete ``dialog`` when it closes (a closed window kept every chart and canvas
        it drew: 200 What-If or Experiments windows grew the app by gigabytes), and forget it here."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def forget() -> None:
            if getattr(self, attribute) is dialog:
                setattr(self, attribute, None)

        dialog.destroyed.connect(forget)

    def show_welcome(self) -> WelcomePage:
        self.window.settings.setValue(WELCOME_SHOWN_KEY, True)
        if self.welcome is None:
            self.welcome = WelcomePage(self.window)
            self.welcome.example_chosen.connect(self._open_example)
            self.welcome.tour_requested.connect(self.start_tour)
        self.welcome.show()
        self.welcome.activateWindow()
        return self.welcome

    def maybe_show_welcome(self) -> bool:
        """Show the welcome page if it was never shown with these settings; returns whether it did."""
        if self.window.settings.value(WELCOME_SHOWN_KEY, False, type=bool):
            return False
        self.show_welcome()
        return True

    def _open_example(self, name: str) -> None:
        self.window.open_example(example_path(name))

    def start_tour(self) -> GuidedTour:
        if self.tour is None:
            self.tour = GuidedTour(self.window)
        self.tour.start()
        return self.tour

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show and not self._greeted:
            self._greet()
        elif watched is self.window and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def close(self) -> None:
        """Stop a running experiment and close the room (the window is closing)."""
        self.room.close()
        if self.experiments is not None:
            self.experiments.cancel()
            self.experiments.wait_finished()


def install_workshop(window: Any) -> Workshop:
    """Add workshop mode to ``window`` (the main window, after the live view is installed)."""
    return Workshop(window)
