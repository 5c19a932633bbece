"""Per-tick metrics in columns that grow in place (reading them copies nothing).

The Jackson & Nei count (``vulnerable_states``, of the network before the war) is filled in when the
series is first read, and so is ``exposed_states`` when a tick did not give it (big worlds: the
baseline's count), and the ``stability`` that uses it, (1 - at_war) x (1 - exposed / N): a run that
nobody reads the series of (a command-line run without ``--series`` or ``--report``) never pays."""

from __future__ import annotations

import numpy as np


class Recorder:
    """Per-tick metrics; ``series`` gives one numpy array per metric (views of the recorded ticks)."""

    NAMES = (
        "tick",
        "stability",
        "belligerents",
        "power_balance",
        "vulnerable_states",
        "exposed_states",
        "cohesion",
        "strength_aggressor",
        "strength_defender",
    )
    INTEGERS = ("tick", "belligerents", "vulnerable_states", "exposed_states")

    def __init__(self, vulnerable=lambda: 0, states: int = 1, exposed=lambda: 0) -> None:
        self._columns = {
            name: np.zeros(64, dtype=np.int64 if name in self.INTEGERS else np.float64)
            for name in (*self.NAMES, "at_war")
        }
        self._count = 0
        self._vulnerable, self._states = vulnerable, max(states, 1)  # the count, asked for on first read
        self._exposed = exposed
        self._given = np.zeros(64, dtype=bool)  # ticks that gave exposed_states
        self._derived = 0  # ticks whose vulnerable_states and stability are filled in

    def append(self, row: dict[str, float]) -> None:
        """One tick: every name but ``vulnerable_states`` and ``stability`` (``exposed_states`` if
        known), plus ``at_war`` (the share of the world's power fighting), from which they are
        derived when read."""
        if self._count == len(self._columns["tick"]):
            for name, column in self._columns.items():
                grown = np.zeros(2 * len(column), dtype=column.dtype)
                grown[: self._count] = column
                self._columns[name] = grown
            given = np.zeros(2 * len(self._given), dtype=bool)
            given[: self._count] = self._given[: self._count]
            self._given = given
        self._given[self._count] = "exposed_states" in row
        for name, value in row.items():
            self._columns[name][self._count] = value
        self._count += 1

    @property
    def series(self) -> dict[str, np.ndarray]:
        if self._derived < self._count:
            fresh = slice(self._derived, self._count)
            self._columns["vulnerable_states"][fresh] = self._vulnerable()
            exposed = self._columns["exposed_states"][fresh]
            missing = ~self._given[fresh]
            if missing.any():
                exposed[missing] = self._exposed()
            self._columns["stability"][fresh] = (1.0 - self._columns["at_war"][fresh]) * (
                1.0 - exposed / self._states
            )
            self._derived = self._count
        return {name: self._columns[name][: self._count] for name in self.NAMES}
