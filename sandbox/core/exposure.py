"""Exposure (MODEL.md v2 "Indicators"; Huth & Russett's extended deterrence).

State j's exposure is the largest margin ``E_attack / (gamma x E_defense)`` over the
states k with no ``defense``, ``guarantee`` or ``offense`` tie with j, as if k
attacked j now; j is *exposed* if it exceeds 1 (some outsider would not be deterred).

Strengths are the states' power (a defeated state counts nothing): exposure reads the
network and the decisions taken, and is recomputed only when those change. The camps are
those of the model's deterrence rule in deterministic mode, read in
closed form for the first round of decisions (the round every attack opens, decided
together): the defence is j and the states obliged to defend it (``defense`` and
``guarantee`` arcs to j: not k itself, not a fellow member of k's treaty, not one held
by an ``against`` list that leaves k out, not one also obliged to join k), plus
ententes that would volunteer; the attack is k and its ``offense`` partners. Each
decides by the threshold on ``perceived reliability x commitment x legitimacy x
feasibility``, feasibility counting its camp as it stands and the whole enemy camp
at full strength (the largest self-consistent coalition, as obligations.py). A member of a
``collective-security`` treaty also counts what the organisation would bring: its rule decides
and the called members decide by the same threshold (:mod:`sandbox.core.collective_exposure`).
Chains (an ally's ally) and plans are left to the dry run of a real attack: exposure is the
room's quick reading of who would be deterred, not a replay.

Exact (every candidate k) for worlds of up to :data:`EXACT_STATES` states; above, the
candidates of each j are the world's :data:`CANDIDATES` strongest would-be attackers
(own strength plus offense partners) other than j, less those allied to it, so the cost
is linear in the states and arcs (tests measure the agreement on 1,000-state worlds).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sandbox.core import world as W
from sandbox.core.collective_exposure import CollectiveDefence
from sandbox.core.metrics import _chunks, _contains, _expand, _unique

EXACT_STATES = 200
CANDIDATES = 8


def remembered_exposure(s: Any) -> np.ndarray:
    """:func:`exposure`, remembered per compiled world for the situations its runs meet (who is free,
    who is defeated, perceived reliabilities, settings): the runs of a sweep share them. Read only."""
    key = (
        s.free().tobytes()
        + s.active.tobytes()
        + s.perceived.tobytes()
        + s.legitimacy.tobytes()
        + repr((s.gamma, s.honor_threshold, s.entente_support)).encode()
    )
    cache = s.world.exposures
    value = cache.get(key)
    if value is None:
        value = cache[key] = exposure(s)
        value.flags.writeable = False
    return value


def exposure(s: Any, exact: bool | None = None) -> np.ndarray:
    """Each state's exposure (0 for defeated states, ``inf`` where the defence is nothing)."""
    w = s.world
    n = w.n
    result = np.zeros(n)
    if n < 2:
        return result
    exact = n <= EXACT_STATES if exact is None else exact
    ctx = _Context(s)
    alive = np.flatnonzero(ctx.alive)
    attackers = alive[np.argsort(-ctx.potential[alive], kind="stable")]
    # the CANDIDATES strongest would-be attackers of the world against everyone
    _evaluate(ctx, result, alive, attackers[: CANDIDATES + 1])
    if exact:
        # then any other k that could beat the margin found (E_attack <= potential, E_defense >= strength)
        _evaluate(ctx, result, alive, attackers[CANDIDATES + 1 :], bound=True)
    return result


def _evaluate(ctx: _Context, result: np.ndarray, targets, attackers, bound: bool = False) -> None:
    """Raise each target's exposure to its largest margin against the attackers given (in chunks)."""
    if not len(attackers):
        return
    # blocks by the rows a pair expands to (its target's defenders, its attacker's offense partners),
    # not by pairs: a hub with thousands of partners made 2^18 pairs hold gigabytes
    per_target = len(attackers) * (1 + ctx.defend.count[targets] + ctx.volunteer.count[targets])
    cost = per_target + int(ctx.offend.count[attackers].sum())
    for a, b in _chunks(cost):
        j = np.repeat(targets[a:b], len(attackers))
        k = np.tile(attackers, b - a)
        keep = (j != k) & ~ctx.allied(j, k)
        if bound:
            keep &= ctx.potential[k] > ctx.gamma * ctx.strength[j] * result[j]
        np.maximum.at(result, j[keep], ctx.margins(j[keep], k[keep]))


class _Context:
    """The arrays of one run state that exposure reads."""

    def __init__(self, s: Any) -> None:
        w = self.w = s.world
        n = self.n = w.n
        arcs = s.arcs
        self.alive = s.free() | s.active  # not defeated
        # peacetime power: exposure is a reading of the network, recomputed only when decisions change it
        self.strength = np.where(self.alive, w.power, 0.0)
        self.free = s.free()
        self.gamma = float(s.gamma)
        self.threshold = float(s.honor_threshold)
        base = s.perceived[arcs.src] * w.commitment[arcs.treaty] * s.legitimacy[arcs.treaty]
        usable = self.free[arcs.src]
        defend = usable & ((arcs.kind == W.DEFENSE) | (arcs.kind == W.GUARANTEE))
        offend = usable & (arcs.kind == W.OFFENSE)
        volunteer = usable & (arcs.kind == W.ENTENTE) & (base * s.entente_support >= self.threshold)
        self.defend = _ByTarget(n, arcs.src[defend], arcs.dst[defend], arcs.treaty[defend], base[defend])
        self.offend = _ByTarget(n, arcs.src[offend], arcs.dst[offend], arcs.treaty[offend], base[offend])
        self.volunteer = _ByTarget(
            n, arcs.src[volunteer], arcs.dst[volunteer], arcs.treaty[volunteer], base[volunteer]
        )
        # who joins k's attacks (i * n + k), who is a member of each defense/offense treaty, the against lists
        self.offense_key = _unique(arcs.src[offend] * n + arcs.dst[offend])
        self.defend_key = _unique(self.defend.src * n + self.defend.dst)
        pact = np.isin(w.type_code, [W.TREATY_CODES["defense"], W.TREATY_CODES["offense"]])
        row = np.repeat(np.arange(len(w.member_count)), w.member_count)
        self.member_key = _unique((row * n + w.member_flat)[pact[row]])
        self.has_against = w.has_against
        self.against_key = _unique(w.against_treaty * n + w.against_state)
        alliance = w.tie_alliance
        a, b = np.asarray(w.tie_a)[alliance], np.asarray(w.tie_b)[alliance]
        self.tie_key = _unique(np.minimum(a, b) * n + np.maximum(a, b))
        self.collective = CollectiveDefence.of(s, self.strength)
        self.potential = self.strength + np.bincount(
            self.offend.dst, weights=self.strength[self.offend.src], minlength=n
        )

    def allied(self, j: np.ndarray, k: np.ndarray) -> np.ndarray:
        return _contains(self.tie_key, np.minimum(j, k) * self.n + np.maximum(j, k))

    def _rows(self, arcs: _ByTarget, p: np.ndarray, target: np.ndarray, enemy: np.ndarray):
        """Each pair's arcs to its target that apply against its enemy: (pair, source, base)."""
        row, position = _expand(arcs.start[target], arcs.count[target])
        src, treaty, base = arcs.src[position], arcs.treaty[position], arcs.base[position]
        e = enemy[row]
        ok = (src != e) & ~_contains(self.member_key, treaty * self.n + e)
        ok &= ~self.has_against[treaty] | _contains(self.against_key, treaty * self.n + e)
        return p[row[ok]], src[ok], base[ok]

    def margins(self, j: np.ndarray, k: np.ndarray) -> np.ndarray:
        n, strength = self.n, self.strength
        pairs = np.arange(len(j))
        d_pair, d_src, d_base = self._rows(self.defend, pairs, j, k)
        # a state obliged to join k as well is pulled both ways: neutral
        torn = _contains(self.offense_key, d_src * n + k[d_pair])
        d_pair, d_src, d_base = _best_per_source(d_pair[~torn], d_src[~torn], d_base[~torn], n)
        obliged = _unique(d_pair * n + d_src)
        v_pair, v_src, _ = self.volunteer_rows(pairs, j, k, obliged)
        body = None
        if self.collective is not None:  # the organisations j belongs to, if they would fight for it
            body, (d_pair, d_src, d_base), v_obliged = self.collective.body(
                j, k, (d_pair, d_src, d_base), (v_pair, v_src)
            )
            v_pair, v_src = v_pair[~v_obliged], v_src[~v_obliged]
        a_pair, a_src, a_base = self._rows(self.offend, pairs, k, j)
        torn = _contains(obliged, a_pair * n + a_src) | _contains(self.defend_key, a_src * n + j[a_pair])
        if body is not None:
            torn |= body.calls(a_pair, a_src)
        a_pair, a_src, a_base = _best_per_source(a_pair[~torn], a_src[~torn], a_base[~torn], n)
        stand_d = strength[j] + np.bincount(v_pair, weights=strength[v_src], minlength=len(j))
        stand_a = strength[k]
        all_d = stand_d + np.bincount(d_pair, weights=strength[d_src], minlength=len(j))
        if body is not None:
            all_d += body.worth(np.full(len(j), -np.inf))
        all_a = stand_a + np.bincount(a_pair, weights=strength[a_src], minlength=len(j))
        d_in, called = _coalition(
            d_pair, strength[d_src], d_base, stand_d, all_a, len(j), self.threshold, body
        )
        a_in, _ = _coalition(a_pair, strength[a_src], a_base, stand_a, all_d, len(j), self.threshold)
        e_def = stand_d + called + np.bincount(d_pair[d_in], weights=strength[d_src[d_in]], minlength=len(j))
        e_att = stand_a + np.bincount(a_pair[a_in], weights=strength[a_src[a_in]], minlength=len(j))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(e_def > 0, e_att / (self.gamma * e_def), np.where(e_att > 0, np.inf, 0.0))

    def volunteer_rows(self, pairs, j, k, obliged):
        v_pair, v_src, v_base = self._rows(self.volunteer, pairs, j, k)
        keep = ~_contains(obliged, v_pair * self.n + v_src) & ~_contains(
            self.offense_key, v_src * self.n + k[v_pair]
        )
        return _best_per_source(v_pair[keep], v_src[keep], v_base[keep], self.n)


class _ByTarget:
    """Arcs grouped by their target (dst), as offsets."""

    def __init__(self, n: int, src, dst, treaty, base) -> None:
        order = np.argsort(dst, kind="stable")
        self.src, self.dst, self.treaty, self.base = src[order], dst[order], treaty[order], base[order]
        self.count = np.bincount(self.dst, minlength=n)
        self.start = np.concatenate([[0], np.cumsum(self.count)]).astype(np.int64)


def _coalition(pair, worth, base, standing, enemy, n_pairs, threshold, body=None):
    """The largest self-consistent coalition of each pair's deciders for one camp (obligations.py):
    p = base x min(1, 2 own / (own + enemy)), own = the camp standing plus the members kept and itself.
    With a ``body`` (collective_exposure.Body: an organisation's called members, read by a cutoff on
    their base), its members kept are those whose base clears threshold / the camp's feasibility.
    Returns the rows kept and, per pair, the strength of the body's members kept (0 without one)."""
    member = np.ones(len(pair), dtype=bool)
    cutoff = np.full(n_pairs, -np.inf)
    called = body.worth(cutoff) if body is not None else np.zeros(n_pairs)
    while True:
        coalition = standing + called + np.bincount(pair[member], weights=worth[member], minlength=n_pairs)
        own = coalition[pair] - np.where(member, worth, 0.0) + worth
        total = own + enemy[pair]
        with np.errstate(divide="ignore", invalid="ignore"):
            feasibility = np.where(total > 0, np.minimum(1.0, 2.0 * own / total), 1.0)
        kept = member & (base * feasibility >= threshold)
        still = called
        if body is not None:
            camp = coalition + enemy
            with np.errstate(divide="ignore", invalid="ignore"):
                shared = np.where(camp > 0, np.minimum(1.0, 2.0 * coalition / camp), 1.0)
                cutoff = np.maximum(cutoff, np.where(shared > 0, threshold / shared, np.inf))
            still = body.worth(cutoff)
        if (kept == member).all() and np.array_equal(still, called):
            return member, called
        member, called = kept, still


def _best_per_source(pair, src, base, n):
    """One row per (pair, source): its highest base (a state decides once, on its strongest duty)."""
    if not len(pair):
        return pair, src, base
    order = np.lexsort((-base, pair * n + src))
    key = (pair * n + src)[order]
    first = np.r_[True, key[1:] != key[:-1]]
    keep = order[first]
    return pair[keep], src[keep], base[keep]
