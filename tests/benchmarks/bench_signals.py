"""What the core's psygnal notifications cost (on demand:
``.venv/bin/python tests/benchmarks/bench_signals.py``).

Target (issue 14): moving 20,000 states with one listener costs no more than the home-made signal
did before psygnal (0.086 CPU s). A move is one notification however many states it moves
(Scenario.move_states), so the cost is the move itself. Measured twice: a listener on the
scenario's own signals, and one on a second group the scenario relays to, as the app's document
passes the open scenario's notifications on (Document.signals). The listener is a bound method,
held weakly: the last line checks it is still dropped when its owner goes.
"""

from __future__ import annotations

import gc
import statistics
import time

from sandbox.core.scenario import Scenario, State
from sandbox.core.signals import ScenarioSignals

STATES, RUNS, TARGET = 20_000, 7, 0.086  # CPU seconds, the figure before psygnal


class View:
    """A listener as a view is one: a bound method that counts the states it was told of."""

    def __init__(self) -> None:
        self.told = 0

    def on_states_changed(self, states: tuple, names: tuple) -> None:
        self.told += len(states)


def move_all(scenario: Scenario) -> list[float]:
    """CPU seconds of each of RUNS moves of every state."""
    seconds = []
    for run in range(RUNS):
        positions = {state.id: (state.position[0], float(run + 1)) for state in scenario.states}
        start = time.process_time()
        scenario.move_states(positions)
        seconds.append(time.process_time() - start)
    return seconds


def main() -> None:
    scenario = Scenario([State(f"S{i}", f"S{i}", 1.0, position=(float(i), 0.0)) for i in range(STATES)])
    view = View()
    scenario.signals.states_changed.connect(view.on_states_changed)
    direct = move_all(scenario)
    assert view.told == RUNS * STATES
    scenario.signals.states_changed.disconnect(view.on_states_changed)
    relayed_to = ScenarioSignals()
    scenario.signals.relay(relayed_to)
    relayed_to.states_changed.connect(view.on_states_changed)
    relayed = move_all(scenario)
    assert view.told == 2 * RUNS * STATES
    for name, seconds in (("one listener", direct), ("relayed, as the document does", relayed)):
        median = statistics.median(seconds)
        print(f"move {STATES:,} states, {name}: {median:.3f} CPU s (median of {RUNS}; target {TARGET})")
        assert median <= TARGET, name
    del view
    gc.collect()
    scenario.move_states({"S0": (0.0, 0.0)})  # the listener's owner is gone: nobody is told, no error
    assert len(relayed_to.states_changed) == 0
    print("a deleted listener is dropped: yes")


if __name__ == "__main__":
    main()
