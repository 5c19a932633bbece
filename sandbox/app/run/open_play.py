"""The run bar's open-play switch (MODEL.md, "Open play"): the scenario's ``open_play`` setting.

A checkable action that reads "Open Play: On" or "Open Play: Off", so its state is in words and not
only in a pressed look. Switching it is one undoable edit of the setting (saved with the file), and
like any edit it starts the run again. Its tip says which states are revisionist, or that none is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from sandbox.app.editing.commands import UpdateSettingsCommand
from sandbox.app.run.run_controller import ModelLinks

SHORTCUT = "O"


class OpenPlaySwitch(QObject):
    """``action`` follows the document's scenario and sets its ``open_play``."""

    def __init__(self, window: Any, document: Any) -> None:
        super().__init__(window)
        self.document = document
        self.action = QAction("Open Play: Off", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.toggled.connect(self._switch)
        window.addAction(self.action)  # the key works while the menu is closed
        self._links = ModelLinks()
        window.destroyed.connect(self._links.disconnect_all)
        document.scenario_replaced.connect(self._follow)
        self._follow()

    def _follow(self, _scenario: object = None) -> None:
        self._links.disconnect_all()
        self._links.connect(self.document.scenario.signals.changed, self.sync)
        self.sync()

    def sync(self) -> None:
        """Show the scenario's setting and its revisionists."""
        scenario = self.document.scenario
        on = bool(scenario.settings.open_play)
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        self.action.setText(f"Open Play: {'On' if on else 'Off'}")
        names = [s.name for s in scenario.states if s.revisionism > 0]
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            who = f"Revisionist (marked with a spearhead): {shown}."
        else:
            who = "No state is revisionist yet: give one a revisionism above 0 in the inspector."
        self.action.setToolTip(
            f"Open play: revisionist states choose their own wars each tick ({SHORTCUT}). {who}"
        )

    def _switch(self, on: bool) -> None:
        scenario = self.document.scenario
        if on != bool(scenario.settings.open_play):
            self.document.undo_stack.push(UpdateSettingsCommand(scenario, open_play=on))
        self.sync()
