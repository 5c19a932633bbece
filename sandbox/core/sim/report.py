"""The run report of SPEC.md ("Run report"), as plain JSON-ready Python values, over public accessors.

``baseline`` holds the indicators before the first attack (``stability``, ``exposed_states``,
``vulnerable_states``, ``power_balance``, ``cohesion``); each state's ``exposure`` is its latest
margin (null when nothing defends it) and ``structure.exposed`` lists the states exposed before
the first attack. Beyond SPEC's keys the report carries ``pretexts`` (claimed interventions that
were pretexts), per-state ``strength`` and ``power``, each defense treaty's ``shares`` (x / GDP per
member), ``cohesion`` per treaty that obliged someone (sandbox.core.indicators), ``cost_of_gdp``
(cost / own GDP) in each ``burden`` entry, ``claim`` on attacks that had one (``chosen`` and
``margin`` on those open play chose),
``threats`` (each scripted threat: its treaty, size, the members' contributions, ``countered`` and
the ``loss`` per member), ``outcome.ticks_at_war`` (ticks in which some war was on), and ``other``
(the other state concerned, or null) on every event. ``states`` lists every state in file order;
``war``, ``attacked`` and ``attacked_by`` appear for every state that was in a war (``attacked`` /
``attacked_by``: at most ``ATTACK_LIST`` ids each, in order, then ``attacked_more`` /
``attacked_by_more`` counts the rest); every decision event (``honor``, ``renege``, ``declined``,
``sanction``) carries ``by``: ``"model"``, or the participant who took it in a room with what the
model would have chosen; ``entered_tick``,
``reason``, ``cost`` and ``losses`` for states that joined a war. ``outcome.wars`` lists every war
with its camps' first attacker and target, start, end, result and ``merged_into``.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from sandbox.core import indicators, metrics
from sandbox.core.gc_pause import without_gc
from sandbox.core.sim import attacks
from sandbox.core.sim.snapshot import reason
from sandbox.core.sim.state import BELLIGERENT, DEFEATED, MOBILIZING, SIDE_NAMES, STATUS_NAMES, LogEvent


class Simulation(Protocol):
    """What the report reads of a run (an engine Simulation), named here rather than imported:
    the engine imports the report, so the report does not import the engine."""

    seed: int
    mode: str
    tick: int
    result: str | None
    state: Any
    recorder: Any
    structure: Any
    baseline: Any
    baseline_exposure: Any
    exposure: Any


# decisions of an obliged state: each event says who took it (SPEC.md, "Room")
DECISION_KINDS = frozenset(("honor", "renege", "declined", "sanction"))
ATTACK_LIST = 50  # ids listed per state in attacked / attacked_by (a world war has thousands)


def build_report(sim: Simulation) -> dict[str, Any]:
    with without_gc():
        return _build(sim)


def _build(sim: Simulation) -> dict[str, Any]:
    s = sim.state
    w = s.world
    ids = w.ids
    states: dict[str, Any] = {}
    attacked, attacked_by = attacks.attack_lists(s, ATTACK_LIST)
    exposure = sim.exposure.tolist()
    for i in w.file_order.tolist():
        status = int(s.status[i])
        entry: dict[str, Any] = {"status": STATUS_NAMES[status], "side": SIDE_NAMES[int(s.camp[i])]}
        entry["exposure"] = _finite(exposure[i])
        if s.war[i] >= 0:
            entry["war"] = int(s.war[i])
        if status in (BELLIGERENT, DEFEATED, MOBILIZING):
            _listed(entry, "attacked", attacked.get(i, ([], 0)), ids)
            _listed(entry, "attacked_by", attacked_by.get(i, ([], 0)), ids)
            entry.update(
                entered_tick=int(s.entered[i]) if status != MOBILIZING else None,  # not arrived yet
                reason=reason(s, i),
                cost=float(s.cost[i]),
                losses=float(s.losses[i]),
                strength=float(s.strength[i]),
                power=float(w.power[i]),
            )
        states[ids[i]] = entry
    fought = np.isin(s.status, (BELLIGERENT, DEFEATED))
    burden = indicators.war_burden(w.gdp, s.cost, s.camp, fought)
    structure = sim.structure()
    return {
        "scenario": w.title,
        "seed": sim.seed,
        "mode": sim.mode,
        "attacks": [dict(a) for a in s.attacks],
        "outcome": {
            "result": sim.result,
            "ended_tick": sim.tick - 1,
            "ticks_at_war": s.ticks_at_war,
            "wars": [
                {
                    "war": war.id,
                    "aggressor": ids[war.aggressor],
                    "defender": ids[war.defender],
                    "started_tick": war.started_tick,
                    "ended_tick": war.ended_tick,
                    "result": war.result if war.merged_into is None else None,
                    "merged_into": war.merged_into,
                }
                for war in s.wars
            ],
        },
        "baseline": {
            name: sim.baseline[name]
            for name in ("stability", "exposed_states", "vulnerable_states", "power_balance", "cohesion")
        },
        "states": states,
        "events": [_event(e) for e in s.events],
        "metrics": {name: values.tolist() for name, values in sim.recorder.series.items()},
        "burden": {ids[i]: v for i, v in sorted(burden.items(), key=lambda item: w.file_rank[item[0]])},
        "peace_burden": metrics.peace_burden(w),
        "cohesion": indicators.treaty_cohesion(w.treaty_ids, s.treaty_obliged, s.treaty_honoured),
        "structure": {
            "exposed": [ids[i] for i in w.file_order.tolist() if sim.baseline_exposure[i] > 1.0],
            "vulnerable": structure.vulnerable,
            "war_stable": structure.war_stable,
        },
        "pretexts": [dict(p) for p in s.pretexts],
        "threats": [dict(x) for x in s.threats],
    }


def _event(e: LogEvent) -> dict[str, Any]:
    entry = {
        "tick": e.tick,
        "kind": e.kind,
        "state": e.state,
        "treaty": e.treaty,
        "ally": e.ally,
        "other": e.other,
        "text": e.text,
    }
    if e.kind in DECISION_KINDS:
        entry["by"] = "model" if e.by is None else dict(e.by)
    return entry


def _finite(value: float) -> float | None:
    """A margin for JSON: null where it is infinite (nothing defends the state)."""
    return value if np.isfinite(value) else None


def _listed(entry: dict[str, Any], key: str, found: tuple[list[int], int], ids: list[str]) -> None:
    first, count = found
    entry[key] = [ids[i] for i in first]
    if count > len(first):
        entry[f"{key}_more"] = count - len(first)
