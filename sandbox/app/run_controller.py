"""The run controller: one engine ``Simulation`` for the open scenario, stepped on demand.

The controller owns the run and nothing visual: views listen to its signals.
Play is a QTimer on the GUI thread that does one engine step per timeout, so a
paused or finished run costs nothing and the window stays responsive between
steps. Any edit of the scenario restarts the run from tick 0.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from sandbox.core.engine import Simulation
from sandbox.core.scenario import Scenario

MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 1, 30, 10  # ticks per second


class ModelLinks:
    """Connections to the core's plain signals, cut all at once when the window
    goes away (a core Signal would otherwise call into deleted Qt objects)."""

    def __init__(self) -> None:
        self._links: list[tuple[Any, Any]] = []

    def connect(self, signal: Any, slot: Any) -> None:
        signal.connect(slot)
        self._links.append((signal, slot))

    def disconnect_all(self, *_: object) -> None:
        for signal, slot in self._links:
            signal.disconnect(slot)
        self._links.clear()


class RunController(QObject):
    """Steps a ``Simulation`` of ``document.scenario``.

    ``document`` needs ``.scenario`` and a ``scenario_replaced`` Qt signal. A run
    plays the scenario's scripted events, or the attacks given to
    :meth:`start_attack`; :meth:`reset` restarts the same run from tick 0, and an
    edit of the scenario restarts it too (dropping an attack whose states are gone).
    """

    run_reset = Signal()  # a fresh run, before any step
    stepped = Signal(object, list)  # (simulation, the step's new LogEvents)
    playing_changed = Signal(bool)

    def __init__(self, document: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.attacks: list[tuple[str, str]] | None = None  # None: the scenario's scripted events
        self.speed = DEFAULT_SPEED
        self.slot_seconds: deque[float] = deque(maxlen=1000)  # recent play-timer slot durations
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer)
        self._set_interval()
        self.links = ModelLinks()
        self._simulation: Simulation | None = None
        document.scenario_replaced.connect(self._on_scenario_replaced)
        self.links.connect(document.scenario.signals.changed, self._on_edited)
        self.reset()

    # -- the run --------------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        return self.document.scenario

    @property
    def simulation(self) -> Simulation:
        """The run; built on first use after a reset (a big world takes a while to
        build, and edits come in bursts)."""
        if self._simulation is None:
            self._simulation = Simulation(self.scenario, attacks=self.attacks)
        return self._simulation

    @property
    def ticks_done(self) -> int:
        return 0 if self._simulation is None else self._simulation.tick

    @property
    def finished(self) -> bool:
        return self._simulation is not None and self._simulation.finished

    @property
    def result(self) -> str | None:
        """The run's result once finished (SPEC.md's outcome), else None."""
        return None if self._simulation is None else self._simulation.result

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def reset(self) -> None:
        """Restart the current run (same attacks) from tick 0, paused."""
        self.pause()
        self._simulation = None
        self.run_reset.emit()

    def start_attack(self, aggressor: str, target: str) -> None:
        """A new run in which ``aggressor`` attacks ``target`` at tick 0, then play."""
        self.attacks = [(aggressor, target)]
        self.reset()
        self.play()

    def use_scripted_events(self) -> None:
        """Go back to the scenario's own scripted events (a new, paused run)."""
        self.attacks = None
        self.reset()

    def step(self) -> list[Any]:
        """One engine tick; returns its events (none once the run is finished)."""
        simulation = self.simulation
        if simulation.finished:
            self.pause()
            return []
        events = simulation.step()
        self.stepped.emit(simulation, events)
        if simulation.finished:
            self.pause()
        return events

    def run_ticks(self, n: int) -> None:
        """Step ``n`` ticks at once (fewer if the run finishes), views included."""
        for _ in range(n):
            if self.finished:
                break
            self.step()

    # -- play -------------------------------------------------------------------

    def play(self) -> None:
        """Step at :attr:`speed` ticks a second; a finished run starts over."""
        if self.finished:
            self.reset()
        if not self._timer.isActive():
            self._timer.start()
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def set_speed(self, ticks_per_second: int) -> None:
        self.speed = min(max(int(ticks_per_second), MIN_SPEED), MAX_SPEED)
        self._set_interval()

    def _set_interval(self) -> None:
        self._timer.setInterval(round(1000 / self.speed))

    def _on_timer(self) -> None:
        started = time.perf_counter()
        self.step()
        self.slot_seconds.append(time.perf_counter() - started)

    # -- following the document ------------------------------------------------------

    def _on_scenario_replaced(self, _scenario: object) -> None:
        self.links.disconnect_all()
        self.links.connect(self.document.scenario.signals.changed, self._on_edited)
        self.attacks = None
        self.reset()

    def _on_edited(self) -> None:
        if self.attacks and not all(self.scenario.has_state(s) for pair in self.attacks for s in pair):
            self.attacks = None
        self.reset()

    def close(self) -> None:
        """Stop playing and stop following the document (the window is closing)."""
        self.pause()
        self.links.disconnect_all()
