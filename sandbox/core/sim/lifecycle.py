"""War ends, run ends and results (MODEL.md, "Combat, exhaustion and time").

A war ends when a camp has no member fighting or mobilising (``aggressor-victory`` /
``aggressor-defeated``; both camps breaking in the same tick is a ``stalemate`` of
exhaustion), by ``ceasefire``, or at the last tick (``stalemate``). Its states leave it
keeping their status, side, strength and costs; the ties its decisions added lapse. The
run finishes when no war is on and no scripted attack is left: its ``result`` is that of
the war the first attack opened (or the war that absorbed it); with no war at all
``settled`` if an attack was settled, ``deterred`` if one was deterred, else ``peace``.
"""

from __future__ import annotations

import numpy as np

from sandbox.core.sim import narration as N
from sandbox.core.sim.state import RunState


def end_wars(s: RunState, t: int, *, last_tick: bool) -> None:
    for war in s.wars:
        if not war.ongoing and not (war.result == "ceasefire" and war.ended_tick is None):
            continue
        members = np.flatnonzero(s.active & (s.war == war.id))
        alive = np.bincount(s.camp[members], minlength=3)
        if war.result is None:
            if not (alive[1] and alive[2]):
                war.result = (
                    "aggressor-victory" if alive[1] else "aggressor-defeated" if alive[2] else "stalemate"
                )
                war.end_text = N.war_end_text(s, war, exhausted=not (alive[1] or alive[2]))
            elif last_tick:
                war.result = "stalemate"
                war.end_text = N.war_end_text(s, war, exhausted=False)
            else:
                continue
        war.ended_tick = t
        s.active[members] = False
        s.dirty = True
        if s.static_arcs < len(s.arcs.src):
            _lapse(s, war.id)
        s.log(t, "war-end", war.end_text if s.record else "", war.aggressor, other=war.defender)


def _lapse(s: RunState, war: int) -> None:
    """Arcs a decision or claim added for this war lapse with it."""
    keep = np.concatenate([np.ones(s.static_arcs, dtype=bool), s.extra_war != war])
    if keep.all():
        return
    arcs = s.arcs
    s.arcs = type(arcs)(arcs.src[keep], arcs.dst[keep], arcs.treaty[keep], arcs.kind[keep], arcs.tie[keep])
    s.extra_war = s.extra_war[keep[s.static_arcs :]]


def result_of(s: RunState) -> str:
    """The run's result: the war the first attack opened, followed to the war it merged into."""
    if not s.wars:
        return "settled" if s.settled else "deterred" if s.deterred else "peace"
    war = s.wars[0]
    while war.merged_into is not None:
        war = s.wars[war.merged_into]
    return war.result or "stalemate"
