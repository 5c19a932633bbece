"""Per-tick metrics in columns that grow in place (reading them copies nothing)."""

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

    def __init__(self) -> None:
        self._columns = {
            name: np.zeros(64, dtype=np.int64 if name in self.INTEGERS else np.float64) for name in self.NAMES
        }
        self._count = 0

    def append(self, row: tuple[float, ...]) -> None:
        if self._count == len(self._columns["tick"]):
            for name, column in self._columns.items():
                grown = np.zeros(2 * len(column), dtype=column.dtype)
                grown[: self._count] = column
                self._columns[name] = grown
        for column, value in zip(self._columns.values(), row, strict=True):
            column[self._count] = value
        self._count += 1

    @property
    def series(self) -> dict[str, np.ndarray]:
        return {name: column[: self._count] for name, column in self._columns.items()}
