"""The core's notifications, as psygnal signals (the library napari uses; no Qt in the core).

psygnal holds a bound method weakly: a view that is gone is simply dropped, so nothing has to
cut its ties by hand. The same model works in the CLI, in tests and in worker processes.
"""

from __future__ import annotations

from psygnal import Signal, SignalGroup


class ScenarioSignals(SignalGroup):
    """What a scenario's edits announce; the app's views connect to these (through the document)."""

    state_added = Signal(object, int)  # (state, index)
    state_removed = Signal(object, int)  # (state, index)
    # (states, names of changed fields): one emission for one edit, however many states it moves
    states_changed = Signal(tuple, tuple)
    treaty_added = Signal(object, int)  # (treaty, index)
    treaty_removed = Signal(object, int)  # (treaty, index)
    treaty_changed = Signal(object, tuple)  # (treaty, names of changed fields)
    scenario_changed = Signal()  # plans, events, settings or meta
    changed = Signal()  # after any edit at all: autosave, run reset

    def relay(self, target: ScenarioSignals, on: bool = True) -> None:
        """Pass every notification of this group on to ``target`` too (``on=False``: stop)."""
        for name in self:
            source = getattr(self, name)
            (source.connect if on else source.disconnect)(getattr(target, name))
