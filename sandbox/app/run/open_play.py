"""The run bar's open-play switch (MODEL.md, "Open play"): the scenario's ``open_play`` setting.

A check box, "Open play", on the run bar (a tick reads as on or off in any theme and takes little
of a full run bar at 1280), and the same checkable action in the Simulation menu, key O. Switching
it is one undoable edit of the setting (saved with the file), and like any edit it starts the run
again. Its tip says whether it is on and which states are revisionist, or that none is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QWidget

from sandbox.app.document.document import connect_view
from sandbox.app.editing.commands import UpdateSettingsCommand

SHORTCUT = "O"


class OpenPlaySwitch(QObject):
    """``action`` (and each :meth:`check_box`) follows the document's scenario and sets its ``open_play``."""

    def __init__(self, window: Any, document: Any) -> None:
        super().__init__(window)
        self.document = document
        self.action = QAction("Open Play", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.toggled.connect(self._switch)
        window.addAction(self.action)  # the key works while the menu is closed
        connect_view(document.signals.changed, self.sync)  # the open scenario's, whichever it is
        document.scenario_replaced.connect(self.sync)
        self.sync()

    def sync(self, *_: object) -> None:
        """Show the scenario's setting and its revisionists."""
        scenario = self.document.scenario
        on = bool(scenario.settings.open_play)
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        names = [s.name for s in scenario.states if s.revisionism > 0]
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            who = f"Revisionist (marked with a spearhead): {shown}."
        else:
            who = "No state is revisionist yet: give one a revisionism above 0 in the inspector."
        state = "on: revisionist states choose their own wars each tick" if on else "off"
        self.action.setToolTip(f"Open play is {state} ({SHORTCUT}). {who}")
        self.action.changed.emit()  # the check boxes read the action again

    def check_box(self, parent: QWidget) -> QCheckBox:
        """A check box for a tool bar, the action's state, text and tip."""
        box = QCheckBox("Open play", parent)
        box.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to Play

        def show() -> None:
            box.blockSignals(True)
            box.setChecked(self.action.isChecked())
            box.blockSignals(False)
            box.setToolTip(self.action.toolTip())

        self.action.changed.connect(show)
        box.toggled.connect(self.action.setChecked)
        show()
        return box

    def _switch(self, on: bool) -> None:
        scenario = self.document.scenario
        if on != bool(scenario.settings.open_play):
            self.document.undo_stack.push(UpdateSettingsCommand(scenario, open_play=on))
        self.sync()
