"""Structural and economic metrics: Jackson & Nei stability, burden-sharing.

- :func:`vulnerable_mask`: Jackson & Nei (2015) vulnerability on an alliance
  network. State j is vulnerable if some k with the coalition
  C = {k} U N_k minus {j} has M(C) > gamma x M({j} U N_j minus C). For k within
  two steps of j this is checked pair by pair (the common neighbours defect);
  for k farther away it compares closed-neighbourhood strengths, using the
  strongest such k. Cost: about the number of two-step paths.
- :func:`structure`: the alliance network of a scenario before any war
  (``defense``, ``guarantee`` and ``offense`` ties): its vulnerable states (in
  file order) and whether it is war-stable: no vulnerable state, no alliance
  whose deletion leaves both ends safe, and no missing alliance whose addition
  makes a state vulnerable (only an attack by one of the two new allies can
  gain, so this is checked per attacker in O(N + E): O(N (N + E)) in all, and
  only when the first two conditions hold).
- :func:`peace_burden`: Olson & Zeckhauser (1966) Nash contributions for one
  defense treaty; :func:`spearman`: rank correlation with average ranks for
  ties, None when undefined.
- :func:`war_burden`: cost share over GDP share within each side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sandbox.core.scenario import Scenario
from sandbox.core.world import TREATY_CODES

if TYPE_CHECKING:
    from sandbox.core.world import World


@dataclass(frozen=True)
class Structure:
    vulnerable: list[str]
    war_stable: bool


def _undirected(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique undirected edges (lo < hi), self-loops dropped."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    key = np.sort(lo[keep] * n + hi[keep])
    key = key[np.concatenate(([True], key[1:] != key[:-1]))] if len(key) else key
    return key // n, key % n


def alliance_edges(world: World, extra: list[tuple[np.ndarray, np.ndarray]], excluded: np.ndarray):
    """Alliance ties plus ``extra`` ones, dropping those that touch an ``excluded`` state."""
    a = [world.tie_a[world.tie_alliance]] + [np.asarray(x, dtype=np.int64) for x, _ in extra]
    b = [world.tie_b[world.tie_alliance]] + [np.asarray(y, dtype=np.int64) for _, y in extra]
    a, b = np.concatenate(a).astype(np.int64), np.concatenate(b).astype(np.int64)
    keep = ~excluded[a] & ~excluded[b]
    return a[keep], b[keep]


def vulnerable_mask(power: np.ndarray, a: np.ndarray, b: np.ndarray, gamma: float) -> np.ndarray:
    """Jackson & Nei vulnerability of every state on the undirected network (a, b)."""
    power = np.asarray(power, dtype=np.float64)
    n = len(power)
    vulnerable = np.zeros(n, dtype=bool)
    if n < 2:
        return vulnerable
    lo, hi = _undirected(n, a, b)
    src = np.concatenate([lo, hi])
    dst = np.concatenate([hi, lo])
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    deg = np.bincount(src, minlength=n)
    start = np.concatenate([[0], np.cumsum(deg)])
    closed = power + np.bincount(src, weights=power[dst], minlength=n)

    # two-step paths j - i - k: every pair of neighbours (j, k) of each middle state i
    rep = deg[src]
    total = int(rep.sum())
    path_j = np.repeat(dst, rep)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(rep) - rep, rep)
    path_k = dst[np.repeat(start[src], rep) + within]
    path_val = np.repeat(power[src], rep)
    # pair (j, k) collects M(N_j ∩ closed N_k): common neighbours, plus k itself when adjacent.
    # Only pairs with closed[k] > gamma x power[j] can threaten j (near or as the first far k): keep those.
    pj = np.concatenate([path_j, src])
    pk = np.concatenate([path_k, dst])
    val = np.concatenate([path_val, power[dst]])
    keep = (pj != pk) & (closed[pk] > gamma * power[pj])
    key = pj[keep] * n + pk[keep]
    val = val[keep]
    order = np.argsort(key)
    key, val = key[order], val[order]
    bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    keys = key[bounds]
    common = np.add.reduceat(val, bounds) if len(key) else np.zeros(0)
    direct = src * n + dst
    position = np.minimum(np.searchsorted(keys, direct), max(len(keys) - 1, 0))
    adjacent = np.zeros(len(keys), dtype=bool)
    adjacent[position[keys[position] == direct] if len(keys) else position[:0]] = True
    j, k = keys // n, keys % n
    attack = closed[k] - np.where(adjacent, power[j], 0.0)
    defence = closed[j] - common
    vulnerable[j[attack > gamma * defence]] = True

    # k more than two steps away: the strongest closed neighbourhood not near j. In (j, rank) order the
    # ranks near j start 0, 1, 2, ... up to the first gap, which is the rank of that k.
    by_strength = np.argsort(-closed, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[by_strength] = np.arange(n)
    near = np.sort(np.concatenate([j * n + rank[k], np.arange(n) * n + rank]))
    near_j, near_rank = near // n, near % n
    position = np.arange(len(near)) - np.searchsorted(near_j, np.arange(n))[near_j]
    gap = np.bincount(near_j, weights=near_rank == position, minlength=n).astype(np.int64)
    has_far = gap < n
    far = by_strength[np.minimum(gap, n - 1)]
    vulnerable |= has_far & (closed[far] > gamma * closed)
    return vulnerable


def structure(scenario: Scenario) -> Structure:
    """Jackson & Nei structure of the scenario's alliance network before any war."""
    from sandbox.core.world import World

    return structure_of(World(scenario))


def structure_of(world: World, vulnerable: np.ndarray | None = None) -> Structure:
    """:func:`structure` of a compiled world; ``vulnerable`` may pass its vulnerability mask if known."""
    gamma = float(world.settings.attacker_disadvantage)
    a, b = alliance_edges(world, [], np.zeros(world.n, dtype=bool))
    if vulnerable is None:
        vulnerable = vulnerable_mask(world.power, a, b, gamma)
    names = [world.ids[i] for i in world.file_order[vulnerable[world.file_order]].tolist()]
    return Structure(names, not names and _war_stable(world.power, a, b, gamma))


def _war_stable(power: np.ndarray, a: np.ndarray, b: np.ndarray, gamma: float) -> bool:
    """Given no vulnerable state: no deletable alliance and no addable one (see module docstring)."""
    n = len(power)
    lo, hi = _undirected(n, a, b)
    for e in range(len(lo)):
        keep = np.arange(len(lo)) != e
        without = vulnerable_mask(power, lo[keep], hi[keep], gamma)
        if not without[lo[e]] and not without[hi[e]]:
            return False
    return not _addition_enables_attack(power, lo, hi, gamma)


def _addition_enables_attack(power: np.ndarray, lo: np.ndarray, hi: np.ndarray, gamma: float) -> bool:
    """Whether some missing alliance (i, j) lets attacker i, with its allies and j,
    beat some target t, on a network where nobody is vulnerable yet.

    In g + ij: attack = M(closed N_i) + M(j) - M(t)[t in N_i] and
    defence = M(closed N_t) - M(N_t ∩ closed N_i) - M(j)[j in N_t]."""
    n = len(power)
    src = np.concatenate([lo, hi])
    dst = np.concatenate([hi, lo])
    closed = power + np.bincount(src, weights=power[dst], minlength=n)
    by_power = np.argsort(-power, kind="stable")
    for i in range(n):
        in_closed = np.zeros(n, dtype=bool)
        in_closed[i] = True
        in_closed[dst[src == i]] = True
        outside = by_power[~in_closed[by_power]]
        if not len(outside):
            continue
        # defence of each target t against i's coalition, before j joins
        defected = np.bincount(src, weights=np.where(in_closed[dst], power[dst], 0.0), minlength=n)
        defence = closed - defected
        attack = closed[i] - np.where(in_closed, power, 0.0)
        attack[i] = -np.inf
        # best new ally j: outside closed N_i and not t itself; j adjacent to t counts twice (it defects)
        top = np.full(n, power[outside[0]])
        if len(outside) > 1:
            top[outside[0]] = power[outside[1]]
        else:
            top[outside[0]] = -np.inf
        top_adjacent = np.zeros(n, dtype=bool)
        top_adjacent[dst[src == outside[0]]] = True
        gain = np.where(top_adjacent & (np.arange(n) != outside[0]), (1 + gamma) * top, top)
        bonus = np.full(n, -np.inf)
        arcs = ~in_closed[dst]
        np.maximum.at(bonus, src[arcs], (1 + gamma) * power[dst[arcs]])
        gain = np.maximum(gain, bonus)
        if np.any(attack + gain > gamma * defence):
            return True
    return False


def olson_zeckhauser(gdp, a: float) -> tuple[np.ndarray, float]:
    """Nash contributions x (same order as ``gdp``) and their total X, for
    u_i = (1-a) ln(y_i - x_i) + a ln X (Olson & Zeckhauser 1966)."""
    x, total = _nash([float(y) for y in gdp], a)
    return np.array(x, dtype=np.float64), total


def _nash(gdp: list[float], a: float) -> tuple[list[float], float]:
    # plain Python: treaties have a handful of members, and a world may have 100,000 treaties
    order = sorted(range(len(gdp)), key=lambda i: -gdp[i])
    ratio = (1.0 - a) / a
    size, paid, total = 0, 0.0, 0.0
    for i in order:
        if size and gdp[i] <= ratio * total:
            break
        size, paid = size + 1, paid + gdp[i]
        total = a * paid / (a + size * (1.0 - a))
    x = [0.0] * len(gdp)
    for i in order[:size]:
        x[i] = gdp[i] - ratio * total
    return x, total


def _ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or values[order[end]] != values[order[start]]:
            for i in order[start:end]:
                ranks[i] = (start + end + 1) / 2.0
            start = end
    return ranks


def spearman(x, y) -> float | None:
    """Spearman's rank correlation (Pearson on average ranks); None if undefined."""
    x, y = [float(v) for v in x], [float(v) for v in y]
    if len(x) < 2:
        return None
    middle = (len(x) + 1) / 2.0
    rx = [r - middle for r in _ranks(x)]
    ry = [r - middle for r in _ranks(y)]
    denominator = math.sqrt(sum(r * r for r in rx) * sum(r * r for r in ry))
    if denominator == 0:
        return None
    return sum(p * q for p, q in zip(rx, ry, strict=True)) / denominator


def peace_burden(world: World) -> dict[str, dict]:
    """One entry per defense treaty with two or more members (SPEC run report),
    members in id order. Two-member treaties, the bulk of a large world, are
    computed all at once: with y1 >= y2, the larger pays alone (X = a y1) unless
    y2 > (1-a) y1, when both pay and X = a (y1 + y2) / (2 - a)."""
    a = float(world.settings.security_preference)
    defense = (world.type_code == TREATY_CODES["defense"]) & (world.member_count >= 2)
    pairs = np.flatnonzero(defense & (world.member_count == 2))
    first = world.member_flat[world.member_start[pairs]]
    second = world.member_flat[world.member_start[pairs] + 1]
    lo, hi = np.minimum(first, second), np.maximum(first, second)
    y_lo, y_hi = world.gdp[lo], world.gdp[hi]
    y_big = np.maximum(y_lo, y_hi)
    both = np.minimum(y_lo, y_hi) > (1.0 - a) * y_big
    total = np.where(both, a * (y_lo + y_hi) / (2.0 - a), a * y_big)
    ratio = (1.0 - a) / a
    # alone: the larger pays the whole total (ties in GDP: the first in id order)
    lo_pays = both | (y_lo >= y_hi)
    hi_pays = both | (y_hi > y_lo)
    x_lo = np.where(lo_pays, y_lo - ratio * total, 0.0)
    x_hi = np.where(hi_pays, y_hi - ratio * total, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s_lo = np.where(y_lo > 0, x_lo / y_lo, 0.0)
        s_hi = np.where(y_hi > 0, x_hi / y_hi, 0.0)
    # Spearman on two members: +1 or -1, undefined when either pair ties
    rho = np.where((y_lo < y_hi) == (s_lo < s_hi), 1.0, -1.0)
    undefined = (y_lo == y_hi) | (s_lo == s_hi)
    ids = world.ids
    computed = {
        k: {
            "contributions": {ids[i]: xi, ids[j]: xj},
            "shares": {ids[i]: si, ids[j]: sj},
            "nash_total": tot,
            "optimal_total": opt,
            "spearman": None if none else r,
        }
        for k, i, j, xi, xj, si, sj, tot, opt, r, none in zip(
            pairs.tolist(),
            lo.tolist(),
            hi.tolist(),
            x_lo.tolist(),
            x_hi.tolist(),
            s_lo.tolist(),
            s_hi.tolist(),
            total.tolist(),
            (a * (y_lo + y_hi)).tolist(),
            rho.tolist(),
            undefined.tolist(),
            strict=True,
        )
    }
    flat, start, gdp_of = world.member_flat.tolist(), world.member_start.tolist(), world.gdp.tolist()
    for k in np.flatnonzero(defense & (world.member_count > 2)).tolist():
        members = sorted(flat[start[k] : start[k + 1]])
        gdp = [gdp_of[i] for i in members]
        x, tot = _nash(gdp, a)
        shares = [_share(xi, yi) for xi, yi in zip(x, gdp, strict=True)]
        member_ids = [ids[i] for i in members]
        computed[k] = {
            "contributions": dict(zip(member_ids, x, strict=True)),
            "shares": dict(zip(member_ids, shares, strict=True)),
            "nash_total": tot,
            "optimal_total": a * sum(gdp),
            "spearman": spearman(gdp, shares),
        }
    return {world.treaty_ids[k]: computed[k] for k in sorted(computed)}


def _share(x: float, y: float) -> float:
    return x / y if y > 0 else 0.0


def war_burden(gdp: np.ndarray, cost: np.ndarray, side: np.ndarray, fought: np.ndarray) -> dict[int, dict]:
    """cost_share / gdp_share for each state that fought, shares within its side."""
    result = {}
    for s in (1, 2):
        members = np.flatnonzero(fought & (side == s))
        if not len(members):
            continue
        gdp_total, cost_total = gdp[members].sum(), cost[members].sum()
        for i in members.tolist():
            gdp_share = gdp[i] / gdp_total if gdp_total > 0 else 0.0
            cost_share = cost[i] / cost_total if cost_total > 0 else 0.0
            result[i] = {
                "gdp_share": float(gdp_share),
                "cost_share": float(cost_share),
                "burden_ratio": float(cost_share / gdp_share) if gdp_share > 0 else None,
            }
    return result
