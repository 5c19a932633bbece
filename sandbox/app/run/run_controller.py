"""The run controller: one engine ``Simulation`` for the open scenario, stepped on demand.

The controller owns the run and nothing visual: views listen to its signals.
Play is a QTimer on the GUI thread that does one engine step per timeout, so a
paused or finished run costs nothing and the window stays responsive between
steps. When a step is slow (a big world), play hands the steps to a worker
thread, which also builds the tick's snapshot; the GUI thread then only draws,
and never reads the run while the worker steps it. Any edit of the scenario
restarts the run from tick 0.
"""

from __future__ import annotations

import re
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from sandbox.app.document.document import connect_view
from sandbox.core.scenario import Scenario
from sandbox.core.sim import Simulation

MIN_SPEED, MAX_SPEED = 1, 30  # ticks per second, when a fixed speed is chosen
NARRATED = None  # the default pace: a tick with events lingers, a quiet tick passes quickly
# The narrated pace: a tick stays on screen as long as its sentences take to take in, so a
# facilitator can narrate the run. A tick of one sentence stays about a second, each further
# sentence adds a moment, up to a cap (the first week of a world war says a dozen things at once);
# a tick of attrition without events passes at 25 a second.
DWELL_BASE_MS = 400  # a look at the map
DWELL_PER_SENTENCE_MS = 600  # a glance at each sentence of the log
DWELL_MAX_MS = 4000
QUIET_TICK_MS = 40
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
STEP_BUDGET = 0.008  # seconds: an engine step slower than this leaves too little of a frame for drawing
BIG_WORLD = 3000  # states + treaties from which play starts in the worker, before any step is timed
MAX_CATCH_UP = 3  # ticks one timer beat may do when drawing fell behind the speed asked for


@dataclass(frozen=True)
class FrozenSnapshot:
    """A snapshot with every state view already built, so it holds no reference
    into the run (a worker builds it; the GUI thread reads it while the run moves on)."""

    tick: int
    states: dict[str, Any]
    ties: list[Any]


def sentences(events: list[Any]) -> int:
    """How many sentences the events narrate (an event without text counts as one)."""
    return sum(max(1, len(SENTENCE_END.findall(getattr(event, "text", "") or ""))) for event in events)


def narrated_dwell_ms(events: list[Any]) -> int:
    """How long the narrated pace waits after a tick with these events before the next one."""
    if not events:
        return QUIET_TICK_MS
    return min(DWELL_MAX_MS, DWELL_BASE_MS + DWELL_PER_SENTENCE_MS * sentences(events))


def advance(simulation: Simulation, ticks: int) -> tuple[list[Any], float]:
    """Up to ``ticks`` engine ticks (fewer if the run ends): (their events, seconds per tick)."""
    started = time.perf_counter()
    events: list[Any] = []
    done = 0
    while done < ticks and not simulation.finished:
        events += simulation.step()
        done += 1
    return events, (time.perf_counter() - started) / max(done, 1)


def step_and_freeze(simulation: Simulation, ticks: int) -> tuple[list[Any], FrozenSnapshot, float]:
    """Ticks off the GUI thread: (their events, the frozen snapshot after them, seconds per tick)."""
    events, seconds = advance(simulation, ticks)
    snapshot = simulation.snapshot()
    return events, FrozenSnapshot(snapshot.tick, dict(snapshot.states.items()), list(snapshot.ties)), seconds


class RunController(QObject):
    """Steps a ``Simulation`` of ``document.scenario``.

    ``document`` needs ``.scenario``, its notifications ``.signals`` and a ``scenario_replaced``
    Qt signal. A run
    plays the scenario's scripted events, or the attacks given to
    :meth:`start_attack`; :meth:`reset` restarts the same run from tick 0, and an
    edit of the scenario restarts it too (dropping an attack whose states are gone).

    :attr:`threaded` chooses where play steps: True in the worker, False on the
    GUI thread, None (default) in the worker for a world of BIG_WORLD states and
    treaties or more, or once a step of the run has taken longer than STEP_BUDGET.
    Stepping by hand (:meth:`step`, :meth:`run_ticks`) is always synchronous.
    """

    run_reset = Signal()  # a fresh run, before any step
    stepped = Signal(object, list, object)  # (simulation, the step's new LogEvents, the snapshot after it)
    playing_changed = Signal(bool)

    def __init__(self, document: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.attacks: list[tuple[str, str]] | None = None  # None: the scenario's scripted events
        self.speed: int | None = NARRATED  # ticks per second, or NARRATED
        self.slot_seconds: deque[float] = deque(maxlen=1000)  # recent play-timer slot durations
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer)
        self._set_interval()
        self._closed = False
        self._simulation: Simulation | None = None
        self.threaded: bool | None = None
        self._slow = False  # a big world, or a step of this run took longer than STEP_BUDGET
        self._executor: ThreadPoolExecutor | None = None
        self._future: Future | None = None  # the worker's tick in flight
        self._shown_ticks = 0
        self._shown_finished = False
        self._clock = (time.perf_counter(), 0)  # (when play began, ticks shown then): the speed's reference
        # a room that runs the run (workshop.room_window): Play, Pause and Reset go to it, it steps the run
        # and shows each tick through show_driven(); nothing else steps it
        self.driver: Any = None
        document.scenario_replaced.connect(self._on_scenario_replaced)
        connect_view(document.signals.changed, self._on_edited)
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

    # What the views were last shown: the worker may already be a tick further on.

    @property
    def ticks_done(self) -> int:
        return self._shown_ticks

    @property
    def finished(self) -> bool:
        return self._shown_finished

    @property
    def result(self) -> str | None:
        """The run's result once finished (SPEC.md's outcome), else None."""
        return self._simulation.result if self._shown_finished and self._simulation is not None else None

    @property
    def playing(self) -> bool:
        return self.driver.playing if self.driver is not None else self._timer.isActive()

    def adopt(self, simulation: Simulation) -> None:
        """Show a fresh run that the driver steps (before its first tick)."""
        self.pause()
        self._simulation = simulation
        self._shown_ticks, self._shown_finished = 0, False
        self.run_reset.emit()

    def show_driven(self, simulation: Simulation, events: list[Any]) -> None:
        """The driver stepped its run (on this thread): update the views."""
        self._publish(simulation, events, simulation.snapshot())

    def reset(self) -> None:
        """Restart the current run (same attacks) from tick 0, paused."""
        if self.driver is not None:
            self.driver.reset()
            return
        self.pause()
        self._set_interval()  # a narrated run's first beat is not the last one's long wait
        self._simulation = None
        self._slow = len(self.scenario.states) + len(self.scenario.treaties) >= BIG_WORLD
        # open play weighs every target of every revisionist: a tick may take far longer than a frame,
        # so its steps go to the worker from the first (not only after one has held up the window)
        self._slow = self._slow or (
            self.scenario.settings.open_play and any(s.revisionism > 0 for s in self.scenario.states)
        )
        self._shown_ticks, self._shown_finished = 0, False
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
        """One engine tick, now, on this thread; returns its events (none once finished)."""
        return self._step_now(1)

    def _step_now(self, ticks: int) -> list[Any]:
        """``ticks`` ticks on this thread, then one update of the views."""
        self.settle()
        simulation = self.simulation
        if simulation.finished or self.driver is not None:
            self.pause()
            return []
        events, seconds = advance(simulation, ticks)
        self._slow = self._slow or seconds > STEP_BUDGET
        self._publish(simulation, events, simulation.snapshot())
        return events

    def settle(self) -> None:
        """Wait for the worker's tick in flight, if any, and publish it: afterwards
        the run is quiet and :attr:`simulation` may be read (replay, report)."""
        if self._future is None:
            return
        future, self._future = self._future, None
        events, snapshot, seconds = future.result()  # a failed step raises here, on the GUI thread
        self._slow = self._slow or seconds > STEP_BUDGET
        if self._simulation is not None and snapshot.tick == self._simulation.tick - 1:
            self._publish(self._simulation, events, snapshot)

    def _publish(self, simulation: Simulation, events: list[Any], snapshot: Any) -> None:
        self._shown_ticks, self._shown_finished = simulation.tick, simulation.finished
        if self.speed is NARRATED:  # the next beat waits as long as these events take to read
            self._timer.setInterval(narrated_dwell_ms(events))
        self.stepped.emit(simulation, events, snapshot)
        if simulation.finished:
            self.pause()

    def run_ticks(self, n: int) -> None:
        """Step ``n`` ticks at once (fewer if the run finishes), views included."""
        for _ in range(n):
            if self.finished:
                break
            self.step()

    # -- play -------------------------------------------------------------------

    def play(self) -> None:
        """Step at :attr:`speed` ticks a second (NARRATED: one tick a beat, the beat after a
        tick as long as :func:`narrated_dwell_ms` of its events); a
        finished run starts over."""
        if self.driver is not None:
            self.driver.play()
            return
        if self.finished:
            self.reset()
        if not self._timer.isActive():
            self._start_clock()
            self._timer.start()
            self.playing_changed.emit(True)

    def _start_clock(self) -> None:
        self._clock = (time.perf_counter(), self._shown_ticks)

    def _ticks_due(self) -> int:
        """Ticks to do in this beat to keep to :attr:`speed` (more than one when drawing fell behind)."""
        if self.speed is NARRATED:
            return 1
        started, first_tick = self._clock
        due = int((time.perf_counter() - started) * self.speed) - (self._shown_ticks - first_tick)
        return min(max(due, 1), MAX_CATCH_UP)

    def pause(self) -> None:
        """Stop playing; a tick the worker is on still arrives, before this returns."""
        was_playing = self._timer.isActive()
        self._timer.stop()
        self.settle()
        if was_playing:
            self.playing_changed.emit(False)

    def toggle_play(self) -> None:
        if self.driver is not None:
            self.driver.toggle_play()
        elif self.playing:
            self.pause()
        else:
            self.play()

    def set_speed(self, ticks_per_second: int | None) -> None:
        """A fixed speed (clamped to MIN_SPEED..MAX_SPEED ticks a second), or NARRATED."""
        if ticks_per_second is NARRATED:
            self.speed = NARRATED
        else:
            self.speed = min(max(int(ticks_per_second), MIN_SPEED), MAX_SPEED)
        self._set_interval()
        self._start_clock()

    def _set_interval(self) -> None:
        self._timer.setInterval(QUIET_TICK_MS if self.speed is NARRATED else round(1000 / self.speed))

    def _on_timer(self) -> None:
        started = time.perf_counter()
        try:
            if self._future is not None:
                if not self._future.done():
                    return  # the worker is still on its tick: skip this beat
                self.settle()
            if not self.playing:
                return
            ticks = self._ticks_due()
            if self.threaded or (self.threaded is None and self._slow):
                self._future = self._worker().submit(step_and_freeze, self.simulation, ticks)
            else:
                self._step_now(ticks)
        except Exception:
            self._future = None
            self.pause()  # one report of a failing step, not one per timer tick
            raise
        self.slot_seconds.append(time.perf_counter() - started)

    def submit(self, function: Any, *args: Any) -> Future:
        """Run ``function(*args)`` on the worker thread, after the work queued before it (a step
        in flight included). For work that only reads: the run may step meanwhile."""
        return self._worker().submit(function, *args)

    def _worker(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-step")
        return self._executor

    # -- following the document ------------------------------------------------------

    def _on_scenario_replaced(self, _scenario: object) -> None:
        self.attacks = None
        self.reset()

    def _on_edited(self) -> None:
        if self._closed:
            return
        if self.attacks and not all(self.scenario.has_state(s) for pair in self.attacks for s in pair):
            self.attacks = None
        self.reset()

    def close(self) -> None:
        """Stop playing, end the worker and stop following the document (the window is closing)."""
        self.pause()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)  # queued previews are not wanted now
            self._executor = None
        self._closed = True  # edits from now on (the window is going) restart nothing
