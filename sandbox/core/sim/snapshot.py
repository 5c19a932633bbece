"""Read-only views of a run at one tick: per-state views built on demand, ties on first access."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sandbox.core.sim import narration as N
from sandbox.core.sim.state import (
    BELLIGERENT,
    DEFEATED,
    MOBILIZING,
    SIDE_NAMES,
    STATUS_NAMES,
    T_IDLE,
    TIE_STATUS_NAMES,
    RunState,
)


@dataclass(frozen=True, slots=True)
class StateView:
    status: str
    side: str | None
    strength: float
    power: float
    entered_tick: int | None
    reason: dict[str, Any] | None
    why: str


@dataclass(frozen=True, slots=True)
class TieView:
    treaty: str
    a: str
    b: str
    status: str


class Snapshot:
    """The run as it stood after one tick. ``states`` builds its views on demand, ``ties`` on first
    access: every treaty tie, plus the collective-security ties that became active.

    For readers of every state at once (a canvas colouring 2,000 discs a tick), without building each
    view's "why" sentence: ``ids`` is the tuple of state ids, and ``status_codes`` and ``side_codes``
    are read-only int8 arrays in that order, decoded by ``STATUS_NAMES[code]`` and ``SIDE_NAMES[code]``.
    ``threats`` are the report entries of the common threats that fell at this tick.
    A snapshot of the current tick of a run made with ``record=False`` shares the run's arrays: read
    them before the next ``step()``."""

    def __init__(self, s: RunState, tick: int, status, side, strength, tie_status) -> None:
        self.tick = tick
        self.states = _StateViews(s, tick, status, side, strength)
        self.ids: tuple[str, ...] = tuple(s.world.ids)
        self.status_codes, self.side_codes = _read_only(status), _read_only(side)
        # the tie arrays are replaced, never changed in place, when ties are added: these stay valid
        self._tie_arrays = (s.tie_treaty, s.tie_a, s.tie_b, tie_status)
        self._world = s.world
        self._ties: list[TieView] | None = None
        # the common threats that fell at this tick (their report entries): the canvas draws them
        self.threats: tuple[dict[str, Any], ...] = tuple(e for e in s.threats if e["tick"] == tick)

    @property
    def ties(self) -> list[TieView]:
        if self._ties is None:
            treaty, a, b, status = self._tie_arrays
            shown = np.arange(len(status))
            shown = shown[(shown < len(self._world.tie_a)) | (status != T_IDLE)]
            w = self._world
            self._ties = [
                TieView(w.treaty_ids[k], w.ids[x], w.ids[y], TIE_STATUS_NAMES[code])
                for k, x, y, code in zip(
                    treaty[shown].tolist(),
                    a[shown].tolist(),
                    b[shown].tolist(),
                    status[shown].tolist(),
                    strict=True,
                )
            ]
        return self._ties


def _read_only(codes: np.ndarray) -> np.ndarray:
    view = codes.view()
    view.flags.writeable = False  # a view: the caller cannot change the run through it
    return view


def reason(s: RunState, i: int) -> dict[str, Any]:
    """Why a state is at war (SPEC's ``reason``)."""
    w = s.world
    if s.reason_treaty[i] >= 0:
        found: dict[str, Any] = {"treaty": w.treaty_ids[s.reason_treaty[i]], "ally": w.ids[s.reason_ally[i]]}
        if s.voluntary[i]:
            found["voluntary"] = True
        return found
    from sandbox.core.sim.state import ENTRY_TARGET

    if s.entry[i] == ENTRY_TARGET and s.first_striker[i] >= 0:
        return {"attacked_by": w.ids[s.first_striker[i]]}
    return {"aggressor": True}


class _StateViews(Mapping):
    def __init__(self, s: RunState, tick: int, status, side, strength) -> None:
        self._s, self._tick = s, tick
        self._status, self._side, self._strength = status, side, strength

    def __getitem__(self, state_id: str) -> StateView:
        s = self._s
        i = s.world.index[state_id]
        status = int(self._status[i])
        entered = int(s.entered[i])
        in_war = status in (MOBILIZING, BELLIGERENT, DEFEATED)
        return StateView(
            STATUS_NAMES[status],
            SIDE_NAMES[int(self._side[i])],
            float(self._strength[i]),
            float(s.world.power[i]),
            entered if in_war and 0 <= entered <= self._tick else None,
            reason(s, i) if in_war else None,
            N.why(s, i, status, self._tick),
        )

    def __iter__(self) -> Iterator[str]:
        ids = self._s.world.ids
        return (ids[i] for i in self._s.world.file_order.tolist())

    def __len__(self) -> int:
        return self._s.world.n
