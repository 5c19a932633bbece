"""Obligations and the decisions taken together (MODEL.md, "Obligations", "Honour or renege").

Once per tick, every state in no ongoing war that has not decided in a war is checked
against each treaty tie to a state active in that war. What applies (``resolve``):

- ``defense`` and ``guarantee`` (a guarantor): the ally was attacked in this war; with
  ``against`` by a listed state; with ``unprovoked_only`` by a state it had not provoked.
- ``offense``: the ally attacked on its own initiative (with ``against``: a listed target).
- collective-security decisions and legitimate claims: as decided (institutions.py).
- **a war inside an alliance**: a defense or offense treaty with members on both camps of a
  war obliges nobody in that war; its other members are ``not-obliged``.
- ``neutrality``: a state never joins a camp fighting its partner while the promise holds
  (``unprovoked_only``: the partner did not strike first; ``against``: a listed state is
  on the camp it would join). Obligations pulling both ways leave a state ``neutral``.
- ``entente``: voluntary support of an attacked partner, with p = r x c x entente_support.

All states obliged in a tick decide together (``decide``): feasibility counts the whole
expected coalition of the camp; deterministic decisions are the camp's largest
self-consistent coalition, stochastic ones a fixed point and then one seeded draw per
deciding state in the order of state ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.core import world as W
from sandbox.core.sim import attacks
from sandbox.core.sim import narration as N
from sandbox.core.sim.state import (
    BELLIGERENT,
    DECLINED,
    EMPTY,
    INSIDE,
    MOBILIZING,
    NEUTRAL,
    NEVER,
    NOT_ATTACKED,
    NOT_LISTED,
    NOT_OBLIGED,
    NOT_OWN_ATTACK,
    PROVOKED,
    RENEGED,
    SANCTIONING,
    T_HONOURED,
    T_IDLE,
    T_MOBILIZING,
    T_NOT_OBLIGED,
    T_RENEGED,
    T_VIOLATION,
    LogEvent,
    RunState,
)

ALLIANCE_KINDS = (W.DEFENSE, W.GUARANTEE, W.OFFENSE)


@dataclass
class Resolution:
    """What one round of obligation checks found (arrays over the states concerned, by id)."""

    obliged: np.ndarray  # states obliged to one camp, not held back
    arc: np.ndarray  # the arc that obliges each (its treaty: the highest commitment)
    cross: np.ndarray  # bool: cross-pressure halves its probability
    neutral: np.ndarray
    neutral_arc: np.ndarray
    not_obliged: np.ndarray
    not_obliged_arcs: list[list[tuple[int, int]]]  # per state: (arc, why) of each tie that did not apply
    entente: np.ndarray
    entente_arc: np.ndarray
    violation_arcs: np.ndarray  # non-aggression and guarantee arcs an entrant would break

    def empty(self) -> bool:
        return not (len(self.obliged) or len(self.neutral) or len(self.not_obliged) or len(self.entente))


def resolve(s: RunState) -> Resolution:
    """:func:`resolve_now`, remembered per compiled world for small worlds without added arcs: the runs of
    a sweep meet the same situations again and again (the result is only ever read)."""
    w = s.world
    if w.n > _CACHE_STATES or s.static_arcs < len(s.arcs.src):
        return resolve_now(s)
    key = (
        b"".join(
            a.tobytes()
            for a in (
                s.status,
                s.camp,
                s.war,
                s.active,
                s.decided_war,
                s.entente_war,
                s.first_struck,
                s.first_strike,
                s.own_attacker,
                s.entry,
                s.entry_seq,
                s.defeat_seq,
                s.voluntary,
            )
        )
        + repr((s.predicting, [war.ongoing for war in s.wars], s.own_attacks if w.against else ())).encode()
    )
    cache = w.resolutions
    res = cache.get(key)
    if res is None:
        res = cache[key] = resolve_now(s)
    return res


def resolve_now(s: RunState) -> Resolution:
    w, arcs = s.world, s.arcs
    dst_war = s.war[arcs.dst]
    eligible = s.free()[arcs.src] & (s.decided_war[arcs.src] != dst_war)
    if s.predicting and s.voluntary.any():
        # a chance-weighted volunteer may still be obliged: the obligation replaces its support
        eligible |= (s.voluntary & s.active)[arcs.src]
    cand = np.flatnonzero(eligible & s.active[arcs.dst])
    if len(cand) and s.static_arcs < len(arcs.src):
        extra = cand >= s.static_arcs
        cand = cand[~extra | (s.extra_war[np.maximum(cand - s.static_arcs, 0)] == dst_war[cand])]
    if not len(cand):
        return _NOTHING
    src, dst, treaty, kind = arcs.src[cand], arcs.dst[cand], arcs.treaty[cand], arcs.kind[cand]
    war, camp = s.war[dst], s.camp[dst].astype(np.int64)
    struck = s.first_struck[dst] < NEVER
    unprovoked = s.first_struck[dst] < s.first_strike[dst]
    defensive = (kind == W.DEFENSE) | (kind == W.GUARANTEE)
    offense = kind == W.OFFENSE
    why = np.full(len(cand), -1, dtype=np.int8)
    applies = W.INSTITUTIONAL[kind] | (kind == W.CLAIM)
    only_unprovoked = w.unprovoked_only[treaty]
    applies |= defensive & struck & (~only_unprovoked | unprovoked)
    why[defensive & ~struck] = NOT_ATTACKED
    why[defensive & struck & only_unprovoked & ~unprovoked] = PROVOKED
    applies |= offense & s.own_attacker[dst]
    why[offense & ~s.own_attacker[dst]] = NOT_OWN_ATTACK
    if len(w.against_treaty):
        for n in np.flatnonzero(w.has_against[treaty] & (defensive | offense)).tolist():
            ok, reason = _against_holds(s, int(treaty[n]), int(dst[n]), offense[n], bool(only_unprovoked[n]))
            applies[n] &= ok
            if not ok and why[n] < 0:
                why[n] = reason
    inside = _inside_alliance(s, cand, treaty, kind, war)
    applies &= ~inside
    why[inside] = INSIDE

    # the obliged: each state's duty arcs, the highest commitment (then the treaty first in the file) first
    duty = np.flatnonzero(applies)
    z = z_pos = EMPTY
    conflict = held_back = cross_z = _NO
    obliged_any = np.zeros(w.n, dtype=bool)
    violation_arcs = EMPTY
    blocked_arc = np.full(w.n, -1, dtype=np.int64)
    if len(duty):
        order = np.lexsort((dst[duty], treaty[duty], -w.commitment[treaty[duty]], src[duty]))
        duty = duty[order]
        d_src = src[duty]
        first = np.flatnonzero(np.concatenate(([True], d_src[1:] != d_src[:-1])))
        z, z_pos = d_src[first], duty[first]
        obliged_any[z] = True
        # conflicts: duties in the same war towards both camps
        group = np.repeat(np.arange(len(first)), np.diff(np.append(first, len(duty))))
        same_war = war[duty] == war[z_pos][group]
        camp_seen = np.where(same_war, camp[duty], camp[z_pos][group])
        conflict = np.minimum.reduceat(camp_seen, first) != np.maximum.reduceat(camp_seen, first)
        # per state: the war and camp it would join, and its reason treaty
        join_war = np.full(w.n, -1, dtype=np.int64)
        join_camp = np.zeros(w.n, dtype=np.int64)
        reason_treaty = np.full(w.n, -1, dtype=np.int64)
        join_war[z], join_camp[z], reason_treaty[z] = war[z_pos], camp[z_pos], treaty[z_pos]
        against_enemy = (join_war[src] == war) & (camp == 3 - join_camp[src]) & obliged_any[src]
        crossing = against_enemy & (treaty != reason_treaty[src]) & ~W.INSTITUTIONAL[kind]
        cross = np.zeros(w.n, dtype=bool)
        cross[src[crossing]] = True
        cross_z = cross[z]
        fights = kind[z_pos] != W.SANCTION
        neutral_arcs = np.flatnonzero(against_enemy & (kind == W.NEUTRALITY))
        # the pact that holds a state back is its first by treaty id (then partner): arcs follow the
        # order of a pact's members in the file, which must not change the log
        neutral_arcs = neutral_arcs[np.lexsort((dst[neutral_arcs], treaty[neutral_arcs]))]
        for n in neutral_arcs.tolist():
            holds = _neutrality_holds(
                s, int(treaty[n]), int(dst[n]), int(join_war[src[n]]), int(join_camp[src[n]])
            )
            if holds and blocked_arc[src[n]] < 0:
                blocked_arc[src[n]] = cand[n]
        fighting_z = np.zeros(w.n, dtype=bool)
        fighting_z[z[fights]] = True
        held_back = (blocked_arc[z] >= 0) & ~conflict & fights
        breaking = against_enemy & fighting_z[src] & ((kind == W.NON_AGGRESSION) | (kind == W.GUARANTEE))
        violation_arcs = cand[breaking]
    ok = ~conflict & ~held_back
    # a volunteer of a prediction (already on its camp) whose obligations cannot be taken keeps its
    # support: others may be obliged towards it this same tick
    conflict &= ~s.active[z]
    held_back &= ~s.active[z]
    neutral = np.concatenate([z[conflict], z[held_back]])
    neutral_arc = np.concatenate([cand[z_pos[conflict]], blocked_arc[z[held_back]]])

    # not obliged: an alliance tie to a belligerent, none of which applies
    failing = np.flatnonzero(
        np.isin(kind, ALLIANCE_KINDS) & ~applies & ~obliged_any[src] & (why >= 0) & ~s.active[src]
    )
    not_obliged_states = np.unique(src[failing])
    per_state: dict[int, list[tuple[int, int]]] = {}
    for n in failing[np.lexsort((dst[failing], treaty[failing], src[failing]))].tolist():
        per_state.setdefault(int(src[n]), []).append((int(cand[n]), int(why[n])))

    # entente: voluntary support of an attacked partner, once per war
    ent = np.flatnonzero(
        (kind == W.ENTENTE)
        & struck
        & ~obliged_any[src]
        & (s.entente_war[src] != war)
        & (blocked_arc[src] < 0)
    )
    if len(ent):
        forbidden = np.zeros(len(ent), dtype=bool)
        neutral_ties = np.flatnonzero(kind == W.NEUTRALITY)
        if len(neutral_ties):
            # a neutrality partner on the camp opposite the one it would support forbids it
            bad = set(
                zip(
                    src[neutral_ties].tolist(),
                    war[neutral_ties].tolist(),
                    camp[neutral_ties].tolist(),
                    strict=True,
                )
            )
            forbidden = np.array(
                [
                    (a, wa, 3 - c) in bad
                    for a, wa, c in zip(src[ent].tolist(), war[ent].tolist(), camp[ent].tolist(), strict=True)
                ],
                dtype=bool,
            )
        ent = ent[~forbidden]
        order = np.lexsort((dst[ent], treaty[ent], -w.commitment[treaty[ent]], src[ent]))
        ent = ent[order]
        e_src = src[ent]
        first = np.flatnonzero(np.concatenate(([True], e_src[1:] != e_src[:-1]))) if len(ent) else EMPTY
        ent = ent[first]
    return Resolution(
        obliged=z[ok],
        arc=cand[z_pos[ok]],
        cross=cross_z[ok],
        neutral=neutral,
        neutral_arc=neutral_arc,
        not_obliged=not_obliged_states,
        not_obliged_arcs=[per_state[int(x)] for x in not_obliged_states.tolist()],
        entente=src[ent],
        entente_arc=cand[ent],
        violation_arcs=violation_arcs,
    )


def _against_holds(s: RunState, k: int, ally: int, offense: bool, only_unprovoked: bool) -> tuple[bool, int]:
    """With ``against``: a listed state attacked the ally (or, for offense, the ally attacked one)."""
    listed = s.world.against[k]
    if offense:
        targets = {x.target for x in s.own_attacks if x.attacker == ally and s.war[x.target] == s.war[ally]}
        return bool(targets.intersection(listed)), NOT_LISTED
    seqs = [attacks.attack_seq(s, e, ally) for e in listed]
    if not any(seq < NEVER for seq in seqs):
        return False, NOT_LISTED
    if only_unprovoked and not any(seq < s.first_strike[ally] for seq in seqs):
        return False, PROVOKED
    return True, -1


def _inside_alliance(s: RunState, cand, treaty, kind, war) -> np.ndarray:
    """Candidate arcs of a defense or offense treaty that has members on both camps of the war."""
    alliance = (kind == W.DEFENSE) | (kind == W.OFFENSE)
    if not alliance.any():
        return np.zeros(len(cand), dtype=bool)
    arcs = s.arcs
    in_war = np.zeros(s.world.n, dtype=bool)
    ongoing = np.array([war_.ongoing for war_ in s.wars], dtype=bool)
    at = s.war >= 0
    in_war[at] = ongoing[s.war[at]] & (s.camp[at] > 0)
    mask = ((arcs.kind == W.DEFENSE) | (arcs.kind == W.OFFENSE)) & in_war[arcs.src]
    n_wars = len(s.wars)
    keys = arcs.treaty[mask] * n_wars + s.war[arcs.src[mask]]
    camps = s.camp[arcs.src[mask]]
    both = np.intersect1d(keys[camps == 1], keys[camps == 2])
    if not len(both):
        return np.zeros(len(cand), dtype=bool)
    return alliance & np.isin(treaty * n_wars + war, both)


def _neutrality_holds(s: RunState, k: int, partner: int, war: int, camp: int) -> bool:
    """Whether a neutrality promise to ``partner`` forbids joining ``camp`` of ``war`` (MODEL.md)."""
    w = s.world
    if w.unprovoked_only[k] and s.first_strike[partner] < s.first_struck[partner]:
        return False  # the partner struck first: the promise does not cover it
    if w.has_against[k]:
        listed = np.array(w.against[k], dtype=np.int64)
        return bool((s.active[listed] & (s.war[listed] == war) & (s.camp[listed] == camp)).any())
    return True


@dataclass
class Weighed:
    """The decisions of one tick, weighed but not yet applied: the obliged states ``z`` (by their
    arcs), the volunteers ``e`` (entente), each one's p, and what the model decides (``honour``,
    ``support``). Between :func:`weigh` and :func:`apply` an outside decider may take some of the
    obliged states' decisions (sim.decisions); every p was weighed before anyone chose, so the
    decisions of one tick stay simultaneous."""

    res: Resolution
    z: np.ndarray
    arc: np.ndarray
    p: np.ndarray
    honour: np.ndarray
    e: np.ndarray
    e_arc: np.ndarray
    p_e: np.ndarray
    support: np.ndarray


def decide(s: RunState, t: int) -> bool:
    """Run the obligation phase: check, decide together, apply. Returns whether anything was decided."""
    weighed = weigh(s, t)
    if weighed is None:
        return False
    apply(s, t, weighed)
    return True


def weigh(s: RunState, t: int) -> Weighed | None:
    """Check the obligations and weigh the decisions of this tick (neutrality and not-obliged states are
    marked here); None when nothing is to be decided."""
    if not s.dirty:
        return None
    s.dirty = False
    res = resolve(s)
    if res.empty():
        return None
    w, arcs = s.world, s.arcs
    _not_obliged(s, t, res)
    for z, arc in zip(res.neutral.tolist(), res.neutral_arc.tolist(), strict=True):
        s.decided_war[z] = s.war[arcs.dst[arc]]
        s.set_states(z, NEUTRAL, 0)
        _say(s, t, "neutral", N.neutral_text(s, z, arc) if s.record else "", z, arc)

    z, arc = res.obliged, res.arc
    k, ally, kind = arcs.treaty[arc], arcs.dst[arc], arcs.kind[arc]
    war, camp = s.war[ally], s.camp[ally].astype(np.int64)
    base = honour_base(s, z, k, ally, kind, res.cross)
    e, e_arc = res.entente, res.entente_arc
    e_ally = arcs.dst[e_arc]
    p_e = s.reliability[e] * w.commitment[arcs.treaty[e_arc]] * s.entente_support
    p = coalition_probability(s, z, base, kind != W.SANCTION, war, camp, ally, e, p_e, e_ally)

    deciding_p = np.concatenate([p, p_e])
    if s.rng is not None:
        # one draw per deciding state, in the order of state ids
        order = np.argsort(np.concatenate([z, e]), kind="stable")
        draws = np.empty(len(order))
        draws[order] = s.rng.random(len(order))
        yes = draws < deciding_p
    elif s.predicting and s.mode == "stochastic":
        yes = deciding_p > 0  # a chance-weighted prediction: everyone who might come, weighted
    else:
        yes = deciding_p >= s.honor_threshold
    if s.predicting and s.mode == "stochastic":
        s.weight[z] = p * s.weight[ally]
        s.weight[e] = p_e * s.weight[e_ally]
    return Weighed(res, z, arc, p, yes[: len(z)], e, e_arc, p_e, yes[len(z) :])


def apply(s: RunState, t: int, weighed: Weighed, taken: dict[int, tuple[bool, str]] | None = None) -> None:
    """Apply the weighed decisions; ``taken`` maps an obliged state to the decision someone else took for
    it (honours?, who), which replaces the model's."""
    arcs = s.arcs
    res, z, arc, p = weighed.res, weighed.z, weighed.arc, weighed.p
    e, e_arc, p_e, support = weighed.e, weighed.e_arc, weighed.p_e, weighed.support
    honour = weighed.honour.copy()
    for n, i in enumerate(z.tolist()):
        if taken and i in taken:
            honour[n] = taken[i][0]
    k, ally, kind = arcs.treaty[arc], arcs.dst[arc], arcs.kind[arc]
    war = s.war[ally]
    e_ally = arcs.dst[e_arc]
    # every state joins its ally's camp as it stood when the tick's decisions were weighed: in a
    # prediction that ally may be a volunteer deciding again now, and renege below
    camp, e_war, e_camp = s.camp[ally].copy(), s.war[e_ally].copy(), s.camp[e_ally].copy()

    s.decided_war[z] = war
    obligation = kind != W.AUTHORISE
    s.treaty_obliged += np.bincount(k[obligation], minlength=len(s.treaty_obliged))
    s.treaty_honoured += np.bincount(k[obligation & honour], minlength=len(s.treaty_honoured))
    fight = honour & (kind != W.SANCTION)
    _commit(s, t, z[fight], arc[fight], war[fight], camp[fight], voluntary=False)
    sanction = honour & (kind == W.SANCTION)
    if sanction.any():
        s.set_states(z[sanction], SANCTIONING, 0, war[sanction])
        s.set_ties(arcs.tie[arc[sanction]], T_HONOURED)
        for i, wr in zip(z[sanction].tolist(), war[sanction].tolist(), strict=True):
            s.wars[wr].sanctioners.append(i)
    declined = ~honour & (kind == W.AUTHORISE)
    s.set_states(z[declined], DECLINED, 0, war[declined])
    reneging = ~honour & obligation
    if reneging.any():
        bad = z[reneging]
        s.set_states(bad, RENEGED, 0, war[reneging])
        s.set_ties(arcs.tie[arc[reneging]], T_RENEGED)
        # abandonment: its perceived word halves, and its partners' commitment towards it
        s.perceived[bad] *= 0.5
        for kk, i in zip(k[reneging].tolist(), bad.tolist(), strict=True):
            s.commitment_towards[(kk, i)] = s.commitment_towards.get((kk, i), 1.0) * 0.5
        s.reneged += len(bad)
        s.network_dirty = True
    s.honoured += int((honour & obligation).sum())
    _narrate_decisions(s, t, z, arc, p, honour, res, weighed.honour, taken or {})

    s.entente_war[e] = e_war
    _commit(s, t, e[support], e_arc[support], e_war[support], e_camp[support], voluntary=True)
    for i, a, pz in zip(e[support].tolist(), e_arc[support].tolist(), p_e[support].tolist(), strict=True):
        _say(s, t, "voluntary", N.voluntary_text(s, i, a, pz) if s.record else "", i, a)
    attacks.enter(s, t, np.concatenate([z[fight], e[support]]))


def honour_base(s: RunState, z, k, ally, kind, cross) -> np.ndarray:
    """r x c x L x crosspressure x (1 - autonomy for collective security): p before feasibility."""
    w = s.world
    c = w.commitment[k].copy()
    if s.commitment_towards:
        for n, key in enumerate(zip(k.tolist(), ally.tolist(), strict=True)):
            c[n] *= s.commitment_towards.get(key, 1.0)
    base = s.reliability[z] * c * s.legitimacy[k] * np.where(cross, 0.5, 1.0)
    return base * np.where(W.INSTITUTIONAL[kind], 1.0 - w.autonomy[z], 1.0)


def coalition_probability(s: RunState, z, base, fights, war, camp, ally, e, p_e, e_ally) -> np.ndarray:
    """Each decider's p with feasibility = min(1, 2 S_own / (S_own + S_enemy)) over the coalition it
    expects (MODEL.md): its camp as it stands, itself and every other decider for that camp counted
    as it will decide; the enemy camp with every state deciding for it at full strength."""
    if not len(z):
        return np.zeros(0)
    n_groups = 3 * max(len(s.wars), 1)
    standing = s.camp_totals().ravel()
    g = war * 3 + camp
    g_opp = war * 3 + (3 - camp)
    worth = s.strength[z] * s.weight[ally]
    e_worth = s.strength[e] * s.weight[e_ally]
    e_g = s.war[e_ally] * 3 + s.camp[e_ally].astype(np.int64)
    deciding = np.bincount(g[fights], worth[fights], minlength=n_groups) + np.bincount(
        e_g, e_worth, minlength=n_groups
    )
    enemy = standing[g_opp] + deciding[g_opp]
    stochastic = s.mode == "stochastic"
    # volunteers count as they will decide
    vol_share = p_e if stochastic else (p_e >= s.honor_threshold).astype(float)
    volunteers = np.bincount(e_g, e_worth * vol_share, minlength=n_groups)

    def feasibility(own):
        total = own + enemy
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, np.minimum(1.0, 2.0 * own / total), 1.0)

    if stochastic:
        p = np.ones(len(z))
        for _ in range(10_000):
            counted = np.where(fights, p * worth, 0.0)
            coalition = np.bincount(g, counted, minlength=n_groups)
            own = standing[g] + volunteers[g] + coalition[g] - counted + worth
            new = np.where(fights, base * feasibility(own), base)
            done = np.max(np.abs(new - p)) < 1e-9
            p = new
            if done:
                break
        return p
    member = fights.copy()
    while True:
        counted = np.where(member, worth, 0.0)
        coalition = np.bincount(g, counted, minlength=n_groups)
        own = standing[g] + volunteers[g] + coalition[g] - counted + worth
        p = np.where(fights, base * feasibility(own), base)
        kept = member & (p >= s.honor_threshold)
        if (kept == member).all():
            return p
        member = kept


def _commit(
    s: RunState, t: int, states: np.ndarray, arcs_used: np.ndarray, war, camp, *, voluntary: bool
) -> None:
    """States that decided to fight by the given arcs, in the given wars and camps: mobilising, or
    fighting now (mobilisation 0)."""
    if not len(states):
        return
    arcs = s.arcs
    ally = arcs.dst[arcs_used]
    attacks.fresh(s, states)
    m = s.world.mobilization[states]
    s.reason_treaty[states] = arcs.treaty[arcs_used]
    s.reason_ally[states] = ally
    s.reason_kind[states] = arcs.kind[arcs_used]
    s.reason_tie[states] = arcs.tie[arcs_used]
    s.voluntary[states] = voluntary
    s.decided_war[states] = war
    s.committed[states] = t
    s.entered[states] = t + m
    for delay in sorted(set(m[m > 0].tolist())):
        s.arriving.setdefault(t + delay, []).extend(states[m == delay].tolist())
    ties = arcs.tie[arcs_used]
    s.set_ties(ties[(m == 0) & (ties >= 0)], T_HONOURED)
    s.set_ties(ties[(m > 0) & (ties >= 0)], T_MOBILIZING)
    s.set_states(states, np.where(m == 0, BELLIGERENT, MOBILIZING), camp, war)


def _not_obliged(s: RunState, t: int, res: Resolution) -> None:
    arcs = s.arcs
    # a state checked again and failing as before has nothing new to mark or say
    fresh = [
        (z, failed)
        for z, failed in zip(res.not_obliged.tolist(), res.not_obliged_arcs, strict=True)
        if s.not_obliged_by.get(z) != failed
    ]
    if not fresh:
        return
    s.not_obliged_by.update(fresh)
    ties = arcs.tie[np.array([a for _, failed in fresh for a, _ in failed], dtype=np.int64)]
    ties = ties[ties >= 0]
    s.set_ties(ties[s.tie_status[ties] == T_IDLE], T_NOT_OBLIGED)
    states = np.array([z for z, _ in fresh], dtype=np.int64)
    wars = s.war[arcs.dst[np.array([failed[0][0] for _, failed in fresh], dtype=np.int64)]]
    moved = (s.status[states] != NOT_OBLIGED) | (s.war[states] != wars)
    s.set_states(states[moved], NOT_OBLIGED, 0, wars[moved])
    if not s.record:
        return
    for z, failed in fresh:
        text = N.not_obliged_text(s, z, failed)
        if s.why.get(z) != text:  # said again when a later check fails for a new reason
            _say(s, t, "not-obliged", text, z, failed[0][0])


def _narrate_decisions(s: RunState, t: int, z, arc, p, honour, res: Resolution, model, taken) -> None:
    arcs, w = s.arcs, s.world
    violators: dict[int, list[int]] = {}
    if len(res.violation_arcs):
        # in treaty order (treaties are indexed by id), so the file's order never changes the log
        ordered = res.violation_arcs[np.argsort(arcs.treaty[res.violation_arcs], kind="stable")]
        for a in ordered.tolist():
            violators.setdefault(int(arcs.src[a]), []).append(a)
    record, ids, tids = s.record, w.ids, w.treaty_ids
    rows = zip(
        z.tolist(), arc.tolist(), p.tolist(), honour.tolist(), res.cross.tolist(), model.tolist(), strict=True
    )
    for i, a, pz, honours, cross, model_honours in rows:
        k, ally, kind = int(arcs.treaty[a]), int(arcs.dst[a]), int(arcs.kind[a])
        obliged = N.obliged_text(s, i, a) if record else ""
        s.new_events.append(LogEvent(t, "obliged", obliged, ids[i], tids[k], ids[ally]))
        if honours:
            event = "sanction" if kind == W.SANCTION else "honor"
            text = N.honour_text(s, i, a, pz, cross) if record else ""
        elif kind == W.AUTHORISE:
            event, text = "declined", N.declined_text(s, i, a, pz) if record else ""
        else:
            event, text = "renege", N.renege_text(s, i, a, pz, cross) if record else ""
        by = None
        if i in taken:
            who = taken[i][1]
            by = {"participant": who, "model_choice": "honour" if model_honours else "renege"}
            if record:
                text = N.taken_text(s, i, a, pz, honours, model_honours, who)
        s.new_events.append(LogEvent(t, event, text, ids[i], tids[k], ids[ally], None, pz, by))
        if record:
            s.why[i] = text
        if honours and kind != W.SANCTION:
            for v in violators.get(i, ()):
                s.set_ties(arcs.tie[v], T_VIOLATION)
                kv, other = int(arcs.treaty[v]), int(arcs.dst[v])
                s.log(
                    t,
                    "violation",
                    N.violation_text(s, i, other, kv, True) if record else "",
                    i,
                    treaty=kv,
                    other=other,
                )


def _say(s: RunState, t: int, kind: str, text: str, z: int, arc: int) -> None:
    arcs = s.arcs
    if s.record:
        s.why[z] = text
    s.log(t, kind, text, z, treaty=int(arcs.treaty[arc]), ally=int(arcs.dst[arc]))


_NO = np.zeros(0, dtype=bool)
# obligation checks are remembered for worlds up to this many states, this many situations each
_CACHE_STATES = 500
_NOTHING = Resolution(EMPTY, EMPTY, _NO, EMPTY, EMPTY, EMPTY, [], EMPTY, EMPTY, EMPTY)
