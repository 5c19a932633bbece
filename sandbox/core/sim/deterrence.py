"""Deterrence: the attacker's prediction of the cascade (MODEL.md, "Deterrence").

Before a scripted attack fires, the attacker runs the run's own phases (attacks and
plans, collective security and claims, obligations and the decisions taken together)
on a copy of the run state, with perceived reliabilities and no combat, until a tick
brings no new decision or attack. Deterministic mode decides by the threshold, as the
run does (a promise that would certainly fail deters nobody); stochastic mode counts
each state as far as it is expected to come: its chance p times the chance of the ally
that brought it in. It attacks iff ``E_attack > attacker_disadvantage x E_defense``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sandbox.core.sim import attacks, institutions, obligations
from sandbox.core.sim.state import RunState


@dataclass
class DeterrencePreview:
    """The aggressor's prediction of the cascade an attack would set off."""

    attacker_strength: float
    expected_defense: float
    deterred: bool
    aggressor_side: dict[str, float] = field(default_factory=dict)
    defender_side: dict[str, float] = field(default_factory=dict)


def predict(
    s: RunState, t: int, a: int, b: int, claim: int | None, plans: list[attacks.Plan], fired
) -> DeterrencePreview:
    w = s.world
    c = s.copy()
    c.predicting = True
    c.reliability = c.perceived
    fired = set(fired)
    attacks.strike(c, t, a, b)
    if claim is not None:
        institutions.claim(c, t, a, b, claim)
    institutions.answer(c, t)
    tick = t
    for _ in range(max(c.max_ticks, 1)):
        moved = attacks.fire_plans(c, tick, plans, fired)
        institutions.answer(c, tick)
        moved = obligations.decide(c, tick) or moved
        institutions.answer(c, tick)
        if not moved:
            break
        tick += 1
    war, camp = c.war[a], c.camp[a]
    in_war = np.flatnonzero(c.active & (c.war == war))
    value = c.strength * c.weight
    ours = in_war[c.camp[in_war] == camp]
    theirs = in_war[c.camp[in_war] == 3 - camp]
    e_attack, e_defense = float(value[ours].sum()), float(value[theirs].sum())
    return DeterrencePreview(
        attacker_strength=e_attack,
        expected_defense=e_defense,
        deterred=not e_attack > s.gamma * e_defense,
        aggressor_side={w.ids[i]: float(value[i]) for i in ours.tolist()},
        defender_side={w.ids[i]: float(value[i]) for i in theirs.tolist()},
    )
