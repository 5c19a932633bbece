"""Collective security and claims (MODEL.md, "Collective security", "Claims").

When a member W of a collective-security treaty is attacked without provocation by E
(a member or not), the organisation decides once per war for W, by its rule:
``unanimity`` is blocked by any member outside the war with a defense, offense or
guarantee tie that could bind it in E's favour against W; ``majority`` needs more than
half of the members outside the war free of such ties; ``veto`` is blocked by a listed
holder that is E, on E's camp, or tied to E by defense, offense or guarantee (an
entente makes no veto). An authorised decision calls on the other members as
``decision.response`` says: ``force`` (obliged to fight), ``authorise`` (may join;
staying out is ``declined``) or ``sanctions`` (obliged to sanction).

A claim (an attack carrying ``claim``) is legitimate if the target attacked a member
of that treaty in its current war and, for collective security, the rule authorises
action against it; otherwise it is a ``pretext`` that halves the claimant's perceived
reliability and the treaty's legitimacy.
"""

from __future__ import annotations

import numpy as np

from sandbox.core import world as W
from sandbox.core.sim import attacks
from sandbox.core.sim import narration as N
from sandbox.core.sim.state import NEVER, T_IDLE, T_VETOED, RunState

RESPONSE_KINDS = {"force": W.COLLECTIVE, "authorise": W.AUTHORISE, "sanctions": W.SANCTION}
BINDING = (W.DEFENSE, W.OFFENSE, W.GUARANTEE)  # arcs Z -> E that could bind Z in E's favour


def answer(s: RunState, t: int) -> None:
    """Put every member attacked without provocation in an ongoing war to its organisation, once."""
    w = s.world
    if not w.collective:
        return
    unprovoked = np.flatnonzero(s.active & attacks.struck_unprovoked(s))
    if not len(unprovoked):
        return
    for k in w.collective:
        members = w.members(k)
        victims = unprovoked[np.isin(unprovoked, members)]
        for v in victims[np.argsort(s.first_struck[victims], kind="stable")].tolist():
            war = s.wars[s.war[v]]
            if (k, v) in war.decided:
                continue
            war.decided.add((k, v))
            _decide(s, t, k, int(s.first_striker[v]), v)


def _decide(s: RunState, t: int, k: int, e: int, v: int) -> None:
    w = s.world
    blocker = blocking(s, k, e, v)
    if blocker is not None:
        s.add_ties(k, np.array([v]), np.array([e]), W.COLLECTIVE, T_VETOED, war=int(s.war[v]), arcs=False)
        s.log(t, "veto", N.veto_text(s, k, e, blocker) if s.record else "", e, treaty=k, other=v)
        return
    response = w.response.get(k, "force")
    members = w.members(k)
    war = int(s.war[v])
    # members that may still decide in this war (one decision per war each: no arcs for the others)
    others = members[(members != v) & (members != e) & s.free()[members] & (s.decided_war[members] != war)]
    s.add_ties(k, others, v, RESPONSE_KINDS[response], T_IDLE, war=war, arcs=True)
    if response == "sanctions":
        s.wars[war].sanctioned_camp = int(s.camp[e])
    s.log(t, "authorised", N.authorised_text(s, k, e, v, response) if s.record else "", e, treaty=k, other=v)


def blocking(s: RunState, k: int, e: int, v: int) -> str | None:
    """Why treaty k's rule blocks action against aggressor ``e`` for victim ``v`` (None: authorised)."""
    w = s.world
    members = w.members(k)
    rule = w.decision_rule[k]
    if rule == "veto":
        for holder in w.veto.get(k, []):
            if holder == e:
                return f"{N.name(s, holder)} holds a veto and uses it for itself"
            if s.active[holder] and s.active[e] and s.war[holder] == s.war[e] and s.camp[holder] == s.camp[e]:
                return f"{N.name(s, holder)} holds a veto and fights in {N.name(s, e)}'s camp"
            if _tied(s, holder, e, either_way=True, victim=None):
                return f"{N.name(s, holder)} holds a veto and is bound to {N.name(s, e)}"
        return None
    outside = members[(members != e) & (members != v) & ~s.active[members]]
    tied = [z for z in outside.tolist() if _tied(s, z, e, either_way=False, victim=v)]
    if rule == "unanimity":
        if tied:
            return f"unanimity is required and {N.name(s, tied[0])} is bound to {N.name(s, e)}"
        return None
    free = len(outside) - len(tied)
    if not len(outside) or free * 2 > len(outside):
        return None
    share = f"only {free} of {len(outside)} members outside the war"
    return f"{share} are free of ties to {N.name(s, e)}, not a majority"


def _tied(s: RunState, z: int, e: int, *, either_way: bool, victim: int | None) -> bool:
    """Whether z has a defense, offense or guarantee tie that could bind it in e's favour (a guarantee
    binds only its guarantor; ``either_way``: a guarantee in either direction; a tie whose ``against``
    excludes ``victim`` does not bind)."""
    arcs, w = s.arcs, s.world
    kinds = (*BINDING, W.GUARANTEED) if either_way else BINDING
    found = np.flatnonzero((arcs.src == z) & (arcs.dst == e) & np.isin(arcs.kind, kinds))
    for arc in found.tolist():
        k = int(arcs.treaty[arc])
        if victim is None or not w.has_against[k] or victim in w.against[k]:
            return True
    return False


def claim(s: RunState, t: int, a: int, b: int, k: int) -> None:
    """``a`` attacked ``b`` claiming to act for treaty k (see the module docstring)."""
    w = s.world
    members = w.members(k)
    victims = [m for m in members.tolist() if m not in (a, b) and attacks.attack_seq(s, b, m) < NEVER]
    legitimate = bool(victims) and (
        w.treaty_types[k] != "collective-security" or blocking(s, k, b, victims[0]) is None
    )
    if legitimate:
        others = members[(members != a) & (members != b) & s.free()[members]]
        kind = RESPONSE_KINDS[w.response.get(k, "force")] if k in w.response else W.CLAIM
        s.add_ties(
            k, others, a, kind if kind != W.COLLECTIVE else W.CLAIM, T_IDLE, war=int(s.war[a]), arcs=True
        )
        s.log(t, "claim", N.claim_text(s, a, b, k) if s.record else "", a, treaty=k, other=b)
        return
    s.perceived[a] *= 0.5
    s.legitimacy[k] *= 0.5
    s.pretexts.append({"tick": t, "state": w.ids[a], "target": w.ids[b], "treaty": w.treaty_ids[k]})
    s.log(t, "pretext", N.pretext_text(s, a, b, k) if s.record else "", a, treaty=k, other=b)
