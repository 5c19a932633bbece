"""Per-tick metrics in columns that grow in place (reading them copies nothing).

The Jackson & Nei count (``vulnerable_states``, of the network before the war) and the ``stability``
that uses it are filled in when the series is first read: a run that nobody reads the series of
(a command-line run without ``--series`` or ``--report``) never pays for the count."""

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
        "cohesion",
        "strength_aggressor",
        "strength_defender",
    )
    INTEGERS = ("tick", "belligerents", "vulnerable_states")

    def __init__(self, vulnerable=lambda: 0, states: int = 1) -> None:
        self._columns = {
            name: np.zeros(64, dtype=np.int64 if name in self.INTEGERS else np.float64)
            for name in (*self.NAMES, "at_war")
        }
        self._count = 0
        self._vulnerable, self._states = vulnerable, max(states, 1)  # the count, asked for on first read
        self._derived = 0  # ticks whose vulnerable_states and stability are filled in

    def append(self, row: dict[str, float]) -> None:
        """One tick: every name but ``vulnerable_states`` and ``stability``, plus ``at_war`` (the share of
        the world's power fighting), from which they are derived when read."""
        if self._count == len(self._columns["tick"]):
            for name, column in self._columns.items():
                grown = np.zeros(2 * len(column), dtype=column.dtype)
                grown[: self._count] = column
                self._columns[name] = grown
        for name, value in row.items():
            self._columns[name][self._count] = value
        self._count += 1

    @property
    def series(self) -> dict[str, np.ndarray]:
        if self._derived < self._count:
            fresh = slice(self._derived, self._count)
            vulnerable = self._vulnerable()
            self._columns["vulnerable_states"][fresh] = vulnerable
            self._columns["stability"][fresh] = (1.0 - self._columns["at_war"][fresh]) * (
                1.0 - vulnerable / self._states
            )
            self._derived = self._count
        return {name: self._columns[name][: self._count] for name in self.NAMES}
