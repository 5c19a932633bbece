"""Open play and common threats (MODEL.md, "Open play" and "Common threats").

Open play: each tick, each state with ``revisionism`` r > 0 that is in no war and not
defeated weighs every state it may attack, through the deterrence prediction scripted
attacks use (:func:`sandbox.core.sim.deterrence.predict`), and attacks the one with the
largest margin ``E_attack / (gamma x E_defense)`` if that margin exceeds ``1 / r``. As
``1 / r >= 1``, an attack that deterrence would stop is never chosen. Members of one
treaty do not consider attacking one another (tethering, Weitsman 2004): a revisionist
weighs only "the states it has no treaty with" (MODEL.md), so every treaty type tethers,
a collective-security organisation included, except ``non-aggression`` (its partner is
considered, and attacking it is a violation). A League's members are thus restrained
among themselves; what it must deter is the revisionist outside it. A dispute
that mediation settled is not reopened by the same state. Worlds over
:data:`FULL_SEARCH_LIMIT` states weigh only the :data:`CANDIDATES` weakest candidates of
each revisionist, and say so in the narration.

A prediction depends only on the run state, so a revisionist's weighing of a target is kept
until something the prediction reads changes (in a long peace, one weighing per target).

Threats: ``{"type": "threat", "treaty": K, "size": S}`` is met by the members' Olson &
Zeckhauser equilibrium contributions X (:func:`sandbox.core.metrics.olson_zeckhauser`, the
same computation as the report's ``peace_burden``): ``countered`` if X >= S, else every
member not defeated loses ``(S - X) / S x threat_damage`` of its current strength.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

import numpy as np

from sandbox.core.metrics import olson_zeckhauser
from sandbox.core.sim import attacks, deterrence, institutions
from sandbox.core.sim import narration as N
from sandbox.core.sim.state import DEFEATED, RunState

FULL_SEARCH_LIMIT = 200  # worlds up to this many states weigh every candidate target
CANDIDATES = 32  # beyond it, each revisionist weighs this many of the weakest candidates
_UNTETHERED = ("non-aggression",)
_HELPING = ("defense", "guarantee", "offense", "entente")


class Choice(NamedTuple):
    """A revisionist's best target as it weighed it: the margin and the prediction behind it."""

    target: int
    margin: float
    preview: deterrence.DeterrencePreview


def candidates(s: RunState, a: int) -> np.ndarray:
    """The states ``a`` may consider attacking (sorted), once per compiled world: all but itself and
    those it shares a tethering treaty with; in worlds over FULL_SEARCH_LIMIT, the CANDIDATES weakest."""
    w = s.world
    found = w.open_play_candidates.get(a)
    if found is not None:
        return found
    tethering = ~np.isin(np.array(w.treaty_types, dtype=object), _UNTETHERED)
    of_member = np.repeat(np.arange(len(w.treaty_ids)), w.member_count)
    of_guarantor = np.repeat(np.arange(len(w.treaty_ids)), w.guarantor_count)
    mine = np.zeros(len(w.treaty_ids), dtype=bool)
    mine[of_member[w.member_flat == a]] = True
    mine[of_guarantor[w.guarantor_flat == a]] = True
    mine &= tethering
    excluded = np.zeros(w.n, dtype=bool)
    excluded[w.member_flat[mine[of_member]]] = True
    excluded[w.guarantor_flat[mine[of_guarantor]]] = True
    excluded[a] = True
    found = np.flatnonzero(~excluded)
    if w.n > FULL_SEARCH_LIMIT and len(found) > CANDIDATES:
        weakest = found[np.argsort(w.power[found], kind="stable")[:CANDIDATES]]
        found = np.sort(weakest)
    w.open_play_candidates[a] = found
    return found


def _fingerprint(s: RunState, fired) -> bytes:
    """What a prediction reads of the run state, as a digest: everything of the states in no war, and
    the status, camp and war of the others (their strength is checked per prediction, see weigh)."""
    digest = hashlib.blake2b(digest_size=16)
    for array in (s.status, s.camp, s.war, s.active, s.perceived, s.legitimacy, s.tie_status):
        digest.update(array.tobytes())
    digest.update(s.strength[~s.active].tobytes())
    digest.update(np.array([len(s.arcs.src), len(fired)], dtype=np.int64).tobytes())
    return digest.digest()


class _Weighed(NamedTuple):
    margin: float
    preview: deterrence.DeterrencePreview
    belligerents: np.ndarray  # states already at war that the predicted war drew in
    strength: np.ndarray  # ... and their strength then


def _helpers(s: RunState, a: int) -> np.ndarray:
    """Every state that could come to a's side in a war a starts (a superset, once per world): those
    linked to a through a chain of defense, guarantee, offense or entente ties. Collective security
    answers the victim of an unprovoked attack, never the attacker, and the other types oblige no one
    to fight."""
    w = s.world
    found = w.open_play_helpers.get(a)
    if found is not None:
        return found
    kinds = np.array([w.treaty_types[k] in _HELPING for k in range(len(w.treaty_ids))], dtype=bool)
    keep = kinds[np.asarray(w.tie_treaty, dtype=np.int64)] if len(w.tie_treaty) else np.zeros(0, bool)
    ta, tb = np.asarray(w.tie_a, dtype=np.int64)[keep], np.asarray(w.tie_b, dtype=np.int64)[keep]
    seen = np.zeros(w.n, dtype=bool)
    seen[a] = True
    frontier = np.array([a])
    while len(frontier):
        step = np.concatenate([tb[np.isin(ta, frontier)], ta[np.isin(tb, frontier)]])
        step = np.unique(step[~seen[step]])
        seen[step] = True
        frontier = step
    found = w.open_play_helpers[a] = np.flatnonzero(seen)
    return found


def weigh(s: RunState, t: int, a: int, plans, fired, threshold: float) -> Choice | None:
    """``a``'s best target now (largest margin; ties: the first by id), or None if it has none.

    Targets are weighed in the order of an upper bound on their margin (a's side at most a and every
    helper in no war, plus the camp it would join; the defence at least the target itself), and the
    weighing stops when no unweighed target can beat the best so far, or (in a run that does not
    narrate) pass ``threshold``: the choice is the same as weighing them all. A prediction reads the
    states in no war and the war it predicts, so it is kept while the fingerprint holds and the
    strength of the belligerents its war drew in is unchanged: wars elsewhere wear down their
    fighters without forcing a new weighing."""
    w = s.world
    key = _fingerprint(s, fired)
    cached = s.open_play_cache.get(a)
    kept: dict[int, _Weighed] = cached[1] if cached is not None and cached[0] == key else {}
    weighed: dict[int, _Weighed] = {}
    targets = candidates(s, a)
    targets = targets[s.status[targets] != DEFEATED]
    if s.open_play_settled:
        open_ = [b for b in targets.tolist() if (a, b) not in s.open_play_settled]
        targets = np.array(open_, dtype=np.int64)
    if not len(targets):
        return None
    helpers = _helpers(s, a)
    side = float(s.strength[helpers][~s.active[helpers]].sum())
    if s.active[targets].any():
        totals = s.camp_totals()
        at_war = s.active[targets]
        enemy = np.where(at_war, 3 - s.camp[targets], 0)
        joined = np.where(at_war, totals[np.maximum(s.war[targets], 0), enemy], 0.0)
    else:
        joined = np.zeros(len(targets))
    floor = s.gamma * s.strength[targets]
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = np.where(floor > 0, (side + joined) / floor, np.inf)
    best: Choice | None = None
    for n in np.lexsort((targets, -bound)).tolist():
        b = targets[n]
        # a run that narrates weighs on to the true best target, to name it when a state holds back
        if best is not None and (bound[n] < best.margin or (bound[n] <= threshold and not s.record)):
            break
        item = kept.get(b)
        if item is None or not np.array_equal(s.strength[item.belligerents], item.strength):
            preview = deterrence.predict(s, t, a, b, None, plans, fired)
            defence = s.gamma * preview.expected_defense
            margin = preview.attacker_strength / defence if defence > 0 else float("inf")
            sides = [w.index[i] for i in (*preview.aggressor_side, *preview.defender_side)]
            drawn = np.array(sides, dtype=np.int64)
            drawn = drawn[s.active[drawn]]
            item = _Weighed(margin, preview, drawn, s.strength[drawn].copy())
        weighed[b] = item
        if best is None or item.margin > best.margin or (item.margin == best.margin and b < best.target):
            best = Choice(b, item.margin, item.preview)
    s.open_play_cache[a] = (key, {**kept, **weighed})
    return best


def can_choose_war(s: RunState) -> bool:
    """Whether some revisionist could still choose a war: one not defeated with a state left to weigh
    (not defeated, its dispute with it not settled)."""
    for a in np.flatnonzero(s.world.revisionism > 0).tolist():
        if s.status[a] == DEFEATED:
            continue
        targets = candidates(s, a)
        for b in targets[s.status[targets] != DEFEATED].tolist():
            if (a, b) not in s.open_play_settled:
                return True
    return False


def play(s: RunState, t: int, plans, fired, entries: list[dict[str, Any]]) -> bool:
    """Open play's attacks of tick t, revisionists in id order, each seeing the attacks before it.
    Appends each chosen attack's report entry to ``entries``; returns whether any fired."""
    w = s.world
    any_fired = False
    for a in np.flatnonzero(w.revisionism > 0).tolist():
        if s.active[a] or s.status[a] == DEFEATED:
            continue
        threshold = 1.0 / float(w.revisionism[a])
        choice = weigh(s, t, a, plans, fired, threshold)
        if choice is None:
            continue
        b = choice.target
        if not choice.margin > threshold:
            if s.record and s.held_back.get(a) != b:
                s.held_back[a] = b
                s.log(t, "deterred", held_back_text(s, a, choice, threshold), a, other=b)
            continue
        s.held_back.pop(a, None)
        if attacks.settle(s, t, a, b):
            s.open_play_settled.add((a, b))
            continue
        pv = choice.preview
        entries.append(
            {
                "tick": t,
                "aggressor": w.ids[a],
                "target": w.ids[b],
                "deterred": False,
                "chosen": True,
                "margin": choice.margin,
                "attacker_strength": pv.attacker_strength,
                "expected_defense": pv.expected_defense,
            }
        )
        attacks.strike(s, t, a, b, why=chosen_text(s, a, choice, threshold) if s.record else None)
        institutions.answer(s, t)
        any_fired = True
    return any_fired


def _restrains(s: RunState, a: int, b: int) -> int | None:
    """A non-aggression treaty of a and b (its attack on b violates it), or None."""
    w = s.world
    for k, kind in enumerate(w.treaty_types):
        if kind == "non-aggression":
            members = w.members(k)
            if np.isin([a, b], members).all():
                return k
    return None


def _treaty(s: RunState, k: int, *, start: bool = False) -> str:
    """Treaty k as a noun phrase, an acronym as it is ("NATO", not "the NATO")."""
    label = s.world.treaty_names[k]
    return label if label.isupper() else N.tname(s, k, start=start)


def _limited(s: RunState) -> str:
    if s.world.n > FULL_SEARCH_LIMIT:
        return f" (it weighs only the {CANDIDATES} weakest states it could attack, in a world this large)"
    return ""


def chosen_text(s: RunState, a: int, choice: Choice, threshold: float) -> str:
    pv = choice.preview
    pact = _restrains(s, a, choice.target)
    restraint = "and no treaty restrains it" if pact is None else f"and it breaks {_treaty(s, pact)} to do so"
    return (
        f"it expects {pv.attacker_strength:.3g} on its side against {pv.expected_defense:.3g}, "
        f"{restraint} (margin {choice.margin:.3g}, above its 1/revisionism of {threshold:.3g}){_limited(s)}"
    )


def _main_defender_treaty(s: RunState, b: int, defenders: set[int]) -> int | None:
    """The treaty of b that holds the most of its predicted defenders (other than b), if any."""
    w = s.world
    best, count = None, 0
    for k in range(len(w.treaty_ids)):
        members = set(w.members(k).tolist()) | set(w.guarantors(k).tolist())
        if b not in members:
            continue
        n = len((members - {b}) & defenders)
        if n > count:
            best, count = k, n
    return best


def held_back_text(s: RunState, a: int, choice: Choice, threshold: float) -> str:
    w = s.world
    pv, b = choice.preview, choice.target
    defenders = {w.index[i] for i in pv.defender_side}
    k = _main_defender_treaty(s, b, defenders)
    by = (
        f"{_treaty(s, k)}'s expected {pv.expected_defense:.3g}"
        if k is not None
        else (f"{N.name(s, b)}'s expected defence of {pv.expected_defense:.3g}")
    )
    if choice.margin <= 1.0:
        return (
            f"{N.first(s, a)} holds back from attacking {N.name(s, b)}, its likeliest target: deterred by "
            f"{by} against its own {pv.attacker_strength:.3g}{_limited(s)}."
        )
    return (
        f"{N.first(s, a)} holds back from attacking {N.name(s, b)}: "
        f"it would expect {pv.attacker_strength:.3g} against {by}, a margin of {choice.margin:.3g}, "
        f"not above its 1/revisionism of {threshold:.3g}{_limited(s)}."
    )


def threat(s: RunState, t: int, k: int, size: float, threat_damage: float) -> dict[str, Any]:
    """A common threat of ``size`` to treaty k's members; returns its report entry."""
    w = s.world
    members = w.members(k)
    members = members[s.status[members] != DEFEATED]
    # the same equilibrium as the peace-time burden, joint products included
    a, beta = float(w.settings.security_preference), float(w.settings.private_benefit)
    _, total = olson_zeckhauser(w.gdp[members], a, beta) if len(members) else (None, 0.0)
    entry: dict[str, Any] = {"tick": t, "treaty": w.treaty_ids[k], "size": size, "contributions": total}
    s.log(t, "threat", threat_text(s, k, size) if s.record else "", None, treaty=k)
    if total >= size:
        entry["countered"], entry["loss"] = True, 0.0
        s.log(t, "countered", countered_text(s, k, size, total) if s.record else "", None, treaty=k)
        return entry
    loss = (size - total) / size * threat_damage
    s.strength[members] *= 1.0 - loss
    s.struck = np.union1d(s.struck, members)
    entry["countered"], entry["loss"] = False, loss
    s.log(t, "threat-damage", damage_text(s, k, size, total, loss) if s.record else "", None, treaty=k)
    return entry


def threat_text(s: RunState, k: int, size: float) -> str:
    return (
        f"A threat of {size:.3g} falls on every member of {_treaty(s, k)}: no single army answers it, "
        f"only their common contributions."
    )


def countered_text(s: RunState, k: int, size: float, total: float) -> str:
    head = f"{_treaty(s, k, start=True)}'s contributions, {total:.1f}"
    return f"{head}, meet the threat, {size:.1f}: it is countered."


def damage_text(s: RunState, k: int, size: float, total: float, loss: float) -> str:
    return (
        f"{_treaty(s, k, start=True)}'s contributions, {total:.1f}, fall short of the threat, {size:.1f}: "
        f"each member loses {100 * loss:.1f}% of its power."
    )
