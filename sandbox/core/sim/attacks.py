"""Attacks, wars and provocation (MODEL.md, "Wars, attacks and provocation").

An attack is a directed pair (attacker, target). An attack between two states in
no war opens a new war; a belligerent attacking an outsider brings it into its
war on the other camp, an outsider attacking a belligerent joins the camp opposite
its target; an attack that touches two wars merges them into the older one. A
state that enters a war by a decision attacks every state then active on the other
camp (``enter``). Provocation is read per pair from the order of attacks.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sandbox.core import world as W
from sandbox.core.sim import narration as N
from sandbox.core.sim.state import (
    AGGRESSOR,
    BELLIGERENT,
    DEFEATED,
    DEFENDER,
    ENTRY_DECIDED,
    ENTRY_OWN,
    ENTRY_TARGET,
    NEVER,
    T_VIOLATION,
    Attack,
    RunState,
    War,
)


def idle_reason(s: RunState, a: int, b: int, claim: str | None) -> str | None:
    """Why an attack a -> b changes nothing (None: it does something): a defeated state cannot fight
    again, and two states already on opposite camps of one war stay as they are."""
    if s.status[a] == DEFEATED or s.status[b] == DEFEATED:
        loser = a if s.status[a] == DEFEATED else b
        return f"{N.first(s, a)} attacks {N.name(s, b)}: nothing changes, {N.name(s, loser)} has capitulated."
    if not (s.active[a] and s.active[b]) or s.war[a] != s.war[b]:
        return None
    if s.camp[a] == s.camp[b]:
        return f"{N.first(s, a)} does not attack {N.name(s, b)}: they fight in the same camp."
    invoked = (
        ""
        if claim is None
        else f", and its claim to act for {N.tname(s, s.world.treaty_index(claim))} obliges no one"
    )
    at_war = "they are already at war with each other"
    return f"{N.first(s, a)} attacks {N.name(s, b)}: nothing changes, {at_war}{invoked}."


def settling_treaty(s: RunState, a: int, b: int) -> int | None:
    """Mediation before war (MODEL.md): the first treaty with mediation m > 0 that holds both a and b
    and settles the dispute (deterministic: iff m >= 0.5; stochastic: with chance m, one draw per
    mediating treaty in file order). None: the attack fires."""
    w = s.world
    for k in np.flatnonzero(w.mediation > 0).tolist():
        parties = w.members(k)
        if not (_has(parties, a) and _has(parties, b)):
            continue
        m = float(w.mediation[k])
        if s.rng is None:
            if m >= 0.5:
                return k
        elif s.rng.random() < m:
            return k
    return None


def strike(s: RunState, t: int, a: int, b: int, *, planned_against: int = -1, why: str | None = None) -> None:
    """Attack a -> b on a's own initiative (scripted, planned, open play): wars opened, joined or
    merged, the attack recorded for provocation, violations of non-aggression and guarantees.
    ``why`` (open play) is the narrated reason for the choice."""
    seq = s.next_seq()
    a_in, b_in = bool(s.active[a]), bool(s.active[b])
    merged: War | None = None
    if not a_in and not b_in:
        war = War(len(s.wars), a, b, t)
        s.wars.append(war)
        join(s, t, a, war.id, AGGRESSOR, ENTRY_OWN, seq)
        join(s, t, b, war.id, DEFENDER, ENTRY_TARGET, seq)
        how = "new"
    elif a_in and not b_in:
        war = s.wars[s.war[a]]
        join(s, t, b, war.id, 3 - int(s.camp[a]), ENTRY_TARGET, seq)
        how = "brings"
    elif b_in and not a_in:
        war = s.wars[s.war[b]]
        join(s, t, a, war.id, 3 - int(s.camp[b]), ENTRY_OWN, seq)
        how = "joins"
    else:
        keep, gone = sorted((int(s.war[a]), int(s.war[b])))
        merged = s.wars[gone]
        # the absorbed war's camps are renamed so that a and b end up opposite each other
        moving = np.flatnonzero(s.war == gone)
        if s.camp[a] == s.camp[b]:
            s.camp[moving] = np.where(s.camp[moving] > 0, 3 - s.camp[moving], 0)
        s.war[moving] = keep
        if s.record:
            s.changed.append(moving)
        merged.merged_into, merged.merged_seq, merged.ended_tick = keep, seq, t
        merged.result = None
        war = s.wars[keep]
        war.decided |= merged.decided
        if merged.sanctioners and not war.sanctioners:
            war.sanctioned_camp, war.sanctioners = merged.sanctioned_camp, list(merged.sanctioners)
        how = "merge"
    s.own_attacks.append(Attack(seq, t, a, b))
    s.own_attacker[a] = True
    s.first_strike[a] = min(int(s.first_strike[a]), seq)
    if seq < s.first_struck[b]:
        s.first_struck[b], s.first_striker[b] = seq, a
    s.dirty = True
    s.fired += 1
    s.log(t, "attack", N.attack_text(s, a, b, how, planned_against, why) if s.record else "", a, other=b)
    if merged is not None:
        text = N.merge_text(s, merged, war) if s.record else ""
        s.log(t, "merge", text, a, other=b)
    _violations(s, t, a, b, entering=False)


def join(s: RunState, t: int, i: int, war: int, camp: int, entry: int, seq: int) -> None:
    """State i joins ``war`` on ``camp`` now, fighting from this tick (attacked, or attacking)."""
    fresh(s, np.array([i]))
    s.set_states(i, BELLIGERENT, camp, war)
    s.entered[i] = s.committed[i] = t
    s.entry[i] = entry
    s.entry_seq[i] = seq


def fresh(s: RunState, states: np.ndarray) -> None:
    """A state coming into a war afresh: what it did in an earlier war is not provocation in this one."""
    s.first_strike[states] = NEVER
    s.first_struck[states] = NEVER
    s.first_striker[states] = -1
    s.own_attacker[states] = False
    s.reason_treaty[states] = s.reason_ally[states] = s.reason_tie[states] = -1
    s.voluntary[states] = False


def enter(s: RunState, t: int, states: np.ndarray) -> None:
    """States that decided this tick to fight (already given their war and camp) attack every state
    then active on the other camp, in order: the aggressor camp's first, by state id within a camp."""
    if not len(states):
        return
    order = np.lexsort((states, s.camp[states]))
    states = states[order]
    seqs = s.seq + 1 + np.arange(len(states), dtype=np.int64)
    s.seq += len(states)
    s.entry_seq[states] = seqs
    s.entry[states] = ENTRY_DECIDED
    wars, camps = s.war[states], s.camp[states].astype(np.int64)
    n_wars = len(s.wars)
    # per (war, camp): the first entrant's sequence number
    first = np.full((n_wars, 3), NEVER, dtype=np.int64)
    np.minimum.at(first, (wars, camps), seqs)
    first_of = np.full((n_wars, 3), -1, dtype=np.int64)
    hit = first[wars, camps] == seqs
    first_of[wars[hit], camps[hit]] = states[hit]
    active = np.flatnonzero(s.active)
    struck_at = first[s.war[active], 3 - s.camp[active]]
    before = s.entry_seq[active] < struck_at
    # every active state on the other camp that was there before the first entrant is attacked by it
    newly = active[before & (struck_at < s.first_struck[active])]
    attackers = first_of[s.war[newly], 3 - s.camp[newly]]
    s.first_struck[newly] = first[s.war[newly], 3 - s.camp[newly]]
    s.first_striker[newly] = attackers
    # an entrant strikes if anyone stood on the other camp when it entered
    present = np.zeros((n_wars, 3), dtype=bool)
    for camp in (AGGRESSOR, DEFENDER):
        there = active[(s.camp[active] == camp)]
        earliest = np.full(n_wars, NEVER, dtype=np.int64)
        np.minimum.at(earliest, s.war[there], s.entry_seq[there])
        present[:, 3 - camp] = earliest < first[:, 3 - camp]
    strikes = present[wars, camps]
    s.first_strike[states[strikes]] = np.minimum(s.first_strike[states[strikes]], seqs[strikes])


def attack_seq(s: RunState, e: int, v: int) -> int:
    """When e attacked v in their war (NEVER: it did not)."""
    seq = min((x.seq for x in s.own_attacks if x.attacker == e and x.target == v), default=NEVER)
    if (
        s.entry[e] == ENTRY_DECIDED
        and s.war[e] == s.war[v]
        and s.camp[e] == 3 - s.camp[v]
        and s.entry_seq[v] < s.entry_seq[e] < s.defeat_seq[v]
        and s.status[e] != DEFEATED
    ):
        seq = min(seq, int(s.entry_seq[e]))
    return seq


def attack_lists(
    s: RunState, limit: int
) -> tuple[dict[int, tuple[list[int], int]], dict[int, tuple[list[int], int]]]:
    """For every state in a war: the states it attacked and those that attacked it there, in order of
    the attacks, at most ``limit`` of each, with the full count: ``(attacked, attacked_by)``, each a
    mapping state -> (first ids, count). Linear in the states (a world war has thousands per camp)."""
    attacked: dict[int, dict[int, int]] = {}
    attacked_by: dict[int, dict[int, int]] = {}
    for x in s.own_attacks:
        attacked.setdefault(x.attacker, {}).setdefault(x.target, x.seq)
        attacked_by.setdefault(x.target, {}).setdefault(x.attacker, x.seq)
    extra_by: dict[int, int] = {}
    extra_on: dict[int, int] = {}
    in_war = np.flatnonzero((s.war >= 0) & (s.camp > 0))
    for war in np.unique(s.war[in_war]).tolist():
        members = in_war[s.war[in_war] == war]
        for camp in (AGGRESSOR, DEFENDER):
            entrants = members[(s.camp[members] == camp) & (s.entry[members] == ENTRY_DECIDED)]
            entrants = entrants[np.argsort(s.entry_seq[entrants], kind="stable")]
            seqs = s.entry_seq[entrants]
            others = members[s.camp[members] == 3 - camp]
            others = others[np.argsort(s.entry_seq[others], kind="stable")]
            other_seqs = s.entry_seq[others]
            other_defeats = np.sort(s.defeat_seq[others])
            # each entrant attacked every state of the other camp there before it and not yet defeated
            lo = np.searchsorted(seqs, s.entry_seq[others], side="right")
            hi = np.searchsorted(seqs, s.defeat_seq[others], side="left")
            for v, a, b in zip(others.tolist(), lo.tolist(), hi.tolist(), strict=True):
                found = attacked_by.setdefault(v, {})
                for e, seq in zip(
                    entrants[a : min(b, a + limit)].tolist(),
                    seqs[a : min(b, a + limit)].tolist(),
                    strict=True,
                ):
                    found.setdefault(e, seq)
                extra_by[v] = extra_by.get(v, 0) + max(0, b - a - limit)
            before = np.searchsorted(other_seqs, seqs, side="left")
            gone = np.searchsorted(other_defeats, seqs, side="left")
            for e, seq, n_before, n_gone in zip(
                entrants.tolist(), seqs.tolist(), before.tolist(), gone.tolist(), strict=True
            ):
                found = attacked.setdefault(e, {})
                listed = 0
                for v in others[:n_before].tolist():
                    if listed == limit:
                        break
                    if s.defeat_seq[v] > seq:
                        found.setdefault(v, seq)
                        listed += 1
                extra_on[e] = extra_on.get(e, 0) + max(0, n_before - n_gone - listed)

    def ordered(table, extra):
        return {
            i: (sorted(found, key=lambda j: (found[j], j))[:limit], len(found) + extra.get(i, 0))
            for i, found in table.items()
        }

    return ordered(attacked, extra_on), ordered(attacked_by, extra_by)


def provoked(s: RunState, v: int, e: int) -> bool:
    """Whether v provoked e: v attacked e, or any state of e's camp, before e attacked v."""
    return bool(s.first_strike[v] < attack_seq(s, e, v))


def struck_unprovoked(s: RunState) -> np.ndarray:
    """Per state: attacked in its war by some state it had not provoked (its first blow came first)."""
    return s.first_struck < s.first_strike


def _violations(s: RunState, t: int, a: int, b: int, *, entering: bool) -> None:
    arcs = s.arcs
    mask = (arcs.src == a) & (arcs.dst == b) & ((arcs.kind == W.NON_AGGRESSION) | (arcs.kind == W.GUARANTEE))
    found = np.flatnonzero(mask)
    # in treaty order (treaties are indexed by id), so the file's order never changes the log
    for arc in found[np.argsort(arcs.treaty[found], kind="stable")].tolist():
        s.set_ties(arcs.tie[arc], T_VIOLATION)
        k = int(arcs.treaty[arc])
        s.log(
            t, "violation", N.violation_text(s, a, b, k, entering) if s.record else "", a, treaty=k, other=b
        )


def _has(sorted_ids: np.ndarray, i: int) -> bool:
    pos = np.searchsorted(sorted_ids, i)
    return bool(pos < len(sorted_ids) and sorted_ids[pos] == i)


class Plan(NamedTuple):
    state: int
    on_war_with: int
    targets: list[int]


def fire_plans(
    s: RunState, t: int, plans: list[Plan], fired: set[tuple[int, int]], before_strike=None
) -> bool:
    """War plans: once per war, when the plan's state is active and ``on_war_with`` is on the other camp
    of its war, it attacks each target in turn (mediation first; a plan is never deterred).
    ``before_strike(a, b)`` (optional) is told of each planned attack just before it fires."""
    any_fired, again = False, True
    while again:
        again = False
        for n, plan in enumerate(plans):
            i, enemy = plan.state, plan.on_war_with
            if (
                not (s.active[i] and s.active[enemy])
                or s.war[i] != s.war[enemy]
                or s.camp[i] == s.camp[enemy]
            ):
                continue
            if (n, int(s.war[i])) in fired:
                continue
            fired.add((n, int(s.war[i])))
            again = any_fired = True
            for target in plan.targets:
                if settle(s, t, i, target) or idle_reason(s, i, target, None) is not None:
                    continue
                if before_strike is not None:
                    before_strike(i, target)
                strike(s, t, i, target, planned_against=enemy)
    return any_fired


def settle(s: RunState, t: int, a: int, b: int) -> bool:
    """Mediation before war: whether a treaty of both settles the dispute (logged as ``settled``)."""
    k = settling_treaty(s, a, b)
    if k is None:
        return False
    s.settled += 1
    s.log(t, "settled", N.settled_text(s, a, b, k) if s.record else "", a, treaty=k, other=b)
    return True
