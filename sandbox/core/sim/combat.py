"""Combat, capitulation, exhaustion, ceasefires and sanctions (MODEL.md, "Combat, exhaustion and time").

Each war is fought separately, from the tick after it began, by the Lanchester square
law: a camp loses ``attrition x S_enemy`` a tick, shared among its fighters in proportion
to strength, the defender camp's fighting counting ``defense_advantage`` times. A state
leaves the fighting (``defeated``) when its strength falls below its ``break_fraction`` of
its power (``defeat``) or its accumulated cost exceeds ``exhaustion`` x its GDP
(``exhausted``). Mediating treaties offer a ceasefire each tick their members fight on
opposite camps; sanctions drain the sanctioned camp's strength.
"""

from __future__ import annotations

import numpy as np

from sandbox.core.sim import narration as N
from sandbox.core.sim.state import BELLIGERENT, DEFEATED, DEFENDER, T_HONOURED, RunState


def arrivals(s: RunState, t: int) -> None:
    """Mobilised states of ongoing wars begin fighting."""

    arriving = [i for i in s.arriving.pop(t, []) if s.active[i]]
    for i in arriving:
        s.set_states(i, BELLIGERENT, s.camp[i])
        if s.reason_tie[i] >= 0:
            s.set_ties(s.reason_tie[i], T_HONOURED)
        s.log(t, "arrival", N.arrival_text(s, i) if s.record else "", i)


def fight(s: RunState, t: int) -> None:
    """One tick of Lanchester combat in every war that began before this tick."""
    started = np.array([war.ongoing and war.started_tick < t for war in s.wars], dtype=bool)
    if not started.any():
        return
    fighters = np.flatnonzero((s.status == BELLIGERENT) & s.active)
    fighters = fighters[started[s.war[fighters]]]
    if not len(fighters):
        return
    n_groups = 3 * len(s.wars)
    g = s.war[fighters] * 3 + s.camp[fighters]
    before = s.strength[fighters]
    total = np.bincount(g, before, minlength=n_groups)
    own = total[g]
    enemy_camp = 3 - s.camp[fighters].astype(np.int64)
    enemy = total[s.war[fighters] * 3 + enemy_camp] * np.where(
        enemy_camp == DEFENDER, s.defense_advantage, 1.0
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where((own > 0) & (enemy > 0), np.minimum(s.attrition * enemy / own, 1.0), 0.0)
    loss = before * rate
    s.strength[fighters] = before - loss
    s.cost[fighters] += before + loss
    s.losses[fighters] += loss
    s.struck = fighters


def capitulations(s: RunState, t: int) -> None:
    """Fighters below their breaking point (``defeat``) or past their economy (``exhausted``) give up."""
    w = s.world
    fighters = np.flatnonzero((s.status == BELLIGERENT) & s.active)
    if not len(fighters):
        return
    broken = s.strength[fighters] < w.break_fraction[fighters] * w.power[fighters]
    spent = ~broken & (s.cost[fighters] > s.exhaustion * w.gdp[fighters])
    for i, kind in [(i, "defeat") for i in fighters[broken].tolist()] + [
        (i, "exhausted") for i in fighters[spent].tolist()
    ]:
        s.set_states(i, DEFEATED, s.camp[i])
        s.defeat_seq[i] = s.next_seq()
        s.defeat_tick[i] = t
        s.defeat_kind[i] = kind
        text = (N.defeat_text if kind == "defeat" else N.exhausted_text)(s, i, t) if s.record else ""
        s.log(t, kind, text, i)


def ceasefires(s: RunState, t: int) -> None:
    """A treaty with mediation m offers a ceasefire each tick its members fight on opposite camps of a
    war (stochastic: chance m; deterministic: at the first tick with 1-(1-m)^k >= 0.5)."""
    w = s.world
    for k in np.flatnonzero(w.mediation > 0).tolist():
        members = w.members(k)
        fighting = members[(s.status[members] == BELLIGERENT) & s.active[members]]
        for war in s.wars:
            if not war.ongoing or war.started_tick >= t:
                continue  # k counts ticks of combat, which begins the tick after the war did
            camps = s.camp[fighting[s.war[fighting] == war.id]]
            if not ((camps == 1).any() and (camps == 2).any()):
                continue
            ticks = war.mediation_ticks[k] = war.mediation_ticks.get(k, 0) + 1
            m = float(w.mediation[k])
            agreed = 1.0 - (1.0 - m) ** ticks >= 0.5 if s.rng is None else s.rng.random() < m
            if agreed:
                war.result = "ceasefire"
                war.end_text = N.ceasefire_text(s, k, ticks)
                s.log(t, "ceasefire", war.end_text if s.record else "", None, treaty=k)


def sanctions(s: RunState, t: int) -> None:
    """Each tick the sanctioned camp loses sanctions_effect x G_s / (G_s + G_E) of its fighting strength."""
    w = s.world
    for war in s.wars:
        if not war.ongoing or not war.sanctioners:
            continue
        sanctioners = np.array(war.sanctioners, dtype=np.int64)
        g_s = float(w.gdp[sanctioners].sum())
        camp = np.flatnonzero(s.active & (s.war == war.id) & (s.camp == war.sanctioned_camp))
        g_e = float(w.gdp[camp].sum())
        if g_s + g_e <= 0 or not len(camp):
            continue
        drain = s.sanctions_effect * g_s / (g_s + g_e)
        fighters = camp[s.status[camp] == BELLIGERENT]
        loss = s.strength[fighters] * drain
        s.strength[fighters] -= loss
        s.losses[fighters] += loss
        s.struck = np.union1d(s.struck, fighters)
