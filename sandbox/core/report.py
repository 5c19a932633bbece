"""The run report of SPEC.md ("Run report"), as plain JSON-ready Python values.

Beyond SPEC's keys the report carries ``pretexts`` (claimed interventions that
were pretexts), per-state ``strength`` and ``power``, each defense treaty's
``shares`` (x / GDP per member), ``planned`` and ``claim`` on attacks that had
them, and ``other`` (the other state concerned, or null) on every event.
``states`` lists every state in file order; ``entered_tick``, ``reason``,
``cost`` and ``losses`` appear for states that joined the war (belligerent,
defeated, mobilizing; a mobilising state's ``entered_tick`` is null until it
arrives); ``burden`` covers the states that fought, shares within each side,
``burden_ratio`` null for a state without GDP. Every attack carries the
deterrence numbers (``attacker_strength``, ``expected_defense``), also when
deterrence was off. ``outcome.wars`` lists every war of the run in order as
``{started_tick, ended_tick, result}`` (empty when no attack fired); ``outcome``
itself describes the last war, ``ended_tick`` being the last processed tick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sandbox.core import metrics
from sandbox.core.gc_pause import without_gc

if TYPE_CHECKING:
    from sandbox.core.engine import Simulation


def build_report(sim: Simulation) -> dict[str, Any]:
    with without_gc():
        return _build(sim)


def _build(sim: Simulation) -> dict[str, Any]:
    from sandbox.core.engine import BELLIGERENT, DEFEATED, MOBILIZING, SIDE_NAMES, STATUS_NAMES

    w = sim.world
    states: dict[str, Any] = {}
    for i in w.file_order.tolist():
        status = int(sim.status[i])
        entry: dict[str, Any] = {"status": STATUS_NAMES[status], "side": SIDE_NAMES[int(sim.side[i])]}
        if status in (BELLIGERENT, DEFEATED, MOBILIZING):
            entry.update(
                entered_tick=int(sim._entered[i]) if status != MOBILIZING else None,  # not arrived yet
                reason=sim._reason(i),
                cost=float(sim.cost[i]),
                losses=float(sim.losses[i]),
                strength=float(sim.strength[i]),
                power=float(w.power[i]),
            )
        states[w.ids[i]] = entry
    fought = np.isin(sim.status, (BELLIGERENT, DEFEATED))
    burden = metrics.war_burden(w.gdp, sim.cost, sim.side, fought)
    series = sim.recorder.series
    structure = sim.structure()
    return {
        "scenario": w.title,
        "seed": sim.seed,
        "mode": sim.mode,
        "attacks": [dict(a) for a in sim.attacks],
        "outcome": {
            "result": sim.result,
            "ended_tick": sim.tick - 1,
            "wars": [dict(war) for war in sim.wars],
        },
        "states": states,
        "events": [
            {
                "tick": e.tick,
                "kind": e.kind,
                "state": e.state,
                "treaty": e.treaty,
                "ally": e.ally,
                "other": e.other,
                "text": e.text,
            }
            for e in sim.events
        ],
        "metrics": {name: values.tolist() for name, values in series.items()},
        "burden": {w.ids[i]: v for i, v in sorted(burden.items(), key=lambda item: w.file_rank[item[0]])},
        "peace_burden": metrics.peace_burden(w),
        "structure": {"vulnerable": structure.vulnerable, "war_stable": structure.war_stable},
        "pretexts": [dict(p) for p in sim.pretexts],
    }
