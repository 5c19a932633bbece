"""Structural and economic metrics: Jackson & Nei stability, burden-sharing.

- :func:`vulnerable_mask`: Jackson & Nei (2015) vulnerability on an alliance
  network (MODEL.md v2 "Indicators"). State j is vulnerable if some k, not a
  co-member of j, leads a coalition C = {k} U N_k minus j and j's co-members with
  M(C) > gamma x M({j} U N_j minus C): members of a multilateral treaty never
  join a coalition against a co-member. One check per pair (j, k), no subset
  search, and only the pairs that can decide: each set of pacts walks down the
  strongest attackers until its answer is settled, then the states still safe
  check the attackers near their bilateral allies. A pact is kept as one member
  list (:class:`Alliances`), never expanded into its pairs: memory is linear in
  the bilateral ties and pact members, and the pair work runs in blocks of
  :data:`CHUNK` entries (a hub in thousands of pacts costs what its ties cost, not
  their square).
- :func:`structure`: the alliance network of a scenario before any war
  (``defense``, ``guarantee`` and ``offense`` ties): its vulnerable states (in
  file order) and whether it is war-stable: no vulnerable state, no alliance (a
  bilateral tie, or a whole pact) whose deletion leaves its members safe, and no
  missing alliance whose addition makes a state vulnerable (only an attack by
  one of the two new allies can gain, so this is checked per attacker in
  O(N + E): O(N (N + E)) in all, and only when the first two conditions hold).
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


# entries per block of pair work: the memory of a computation is bounded on any network
CHUNK = 1 << 20


@dataclass(frozen=True)
class Alliances:
    """An alliance network for Jackson & Nei: bilateral ties and multilateral pacts.

    ``lo``/``hi`` are bilateral ties (unique, lo < hi); each pact is a sorted
    member list (two or more) in ``pact_flat`` from ``pact_start[p]`` to
    ``pact_start[p + 1]``, never expanded into pairs."""

    n: int
    lo: np.ndarray
    hi: np.ndarray
    pact_flat: np.ndarray
    pact_start: np.ndarray

    def key(self) -> bytes:
        """The network as bytes (the engine's cache key)."""
        return b"|".join(x.tobytes() for x in (self.lo, self.hi, self.pact_flat, self.pact_start))

    def without_tie(self, e: int) -> Alliances:
        keep = np.arange(len(self.lo)) != e
        return Alliances(self.n, self.lo[keep], self.hi[keep], self.pact_flat, self.pact_start)

    def without_pact(self, p: int) -> Alliances:
        a, b = self.pact_start[p], self.pact_start[p + 1]
        flat = np.concatenate([self.pact_flat[:a], self.pact_flat[b:]])
        start = np.concatenate([self.pact_start[: p + 1], self.pact_start[p + 2 :] - (b - a)])
        return Alliances(self.n, self.lo, self.hi, flat, start)

    def members(self, p: int) -> np.ndarray:
        return self.pact_flat[self.pact_start[p] : self.pact_start[p + 1]]


def alliances(n: int, a, b, pacts=()) -> Alliances:
    """An :class:`Alliances` of ``n`` states from bilateral ties (a, b) and member lists ``pacts``."""
    lo, hi = _undirected(n, a, b)
    sizes = np.array([len(p) for p in pacts], dtype=np.int64)
    flat = (
        np.concatenate([np.asarray(p, dtype=np.int64) for p in pacts])
        if len(pacts)
        else np.zeros(0, np.int64)
    )
    return _normalised(n, lo, hi, np.repeat(np.arange(len(sizes)), sizes), flat)


def _normalised(n: int, lo: np.ndarray, hi: np.ndarray, pact: np.ndarray, member: np.ndarray) -> Alliances:
    """Pacts from (pact, member) rows: members sorted and unique, pacts of fewer than two dropped."""
    key = _unique(pact.astype(np.int64) * n + member)
    pact, member = key // n, key % n
    size = np.bincount(pact, minlength=int(pact.max()) + 1 if len(pact) else 0)
    keep = size[pact] >= 2
    pact, member = pact[keep], member[keep]
    size = size[size >= 2]
    start = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
    return Alliances(n, lo, hi, member, start)


def _undirected(n: int, a, b) -> tuple[np.ndarray, np.ndarray]:
    """Unique undirected edges (lo < hi), self-loops dropped."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    key = _unique(lo[keep] * n + hi[keep])
    return key // n, key % n


def alliance_network(world: World, extra=(), excluded: np.ndarray | None = None) -> Alliances:
    """The alliance network of a world (``defense``, ``guarantee`` and ``offense`` ties) plus
    ``extra`` bilateral ties, without the states ``excluded``.

    A defense or offense treaty of three or more members is one pact; in a guarantee
    of three or more parties each guarantor and member are a pact of two (the
    guarantors owe each other nothing). Other alliance ties are bilateral."""
    base = world.alliance_base
    if base is None:
        base = world.alliance_base = _base_network(world)
    if not extra and (excluded is None or not np.any(excluded)):
        return base
    n = world.n
    excluded = np.zeros(n, dtype=bool) if excluded is None else np.asarray(excluded, dtype=bool)
    keep = ~excluded[base.lo] & ~excluded[base.hi]
    lo, hi = base.lo[keep], base.hi[keep]
    if extra:
        a = np.concatenate([lo] + [np.asarray(x, dtype=np.int64) for x, _ in extra])
        b = np.concatenate([hi] + [np.asarray(y, dtype=np.int64) for _, y in extra])
        keep = ~excluded[a] & ~excluded[b]
        lo, hi = _undirected(n, a[keep], b[keep])
    # pacts lose their excluded members (still sorted); those left with one member go
    keep = ~excluded[base.pact_flat]
    size = np.add.reduceat(keep, base.pact_start[:-1]) if len(base.pact_flat) else np.zeros(0, np.int64)
    size = np.where(np.diff(base.pact_start) > 0, size, 0)
    keep &= np.repeat(size >= 2, np.diff(base.pact_start))
    size = size[size >= 2]
    start = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
    return Alliances(n, lo, hi, base.pact_flat[keep], start)


def _base_network(world: World) -> Alliances:
    n = world.n
    code = world.type_code
    clique = np.isin(code, [TREATY_CODES["defense"], TREATY_CODES["offense"]]) & (world.member_count >= 3)
    paired = (code == TREATY_CODES["guarantee"]) & (world.member_count + world.guarantor_count >= 3)
    alliance = world.tie_alliance & ~clique[world.tie_treaty]
    two = alliance & paired[world.tie_treaty]
    bilateral = alliance & ~two
    lo, hi = _undirected(n, world.tie_a[bilateral], world.tie_b[bilateral])
    cliques = np.flatnonzero(clique)
    row, position = _expand(world.member_start[cliques], world.member_count[cliques])
    pact = np.concatenate([row, np.repeat(len(cliques) + np.arange(int(two.sum())), 2)])
    member = np.concatenate(
        [world.member_flat[position], np.column_stack([world.tie_a[two], world.tie_b[two]]).ravel()]
    )
    return _normalised(n, lo, hi, pact, member)


def _expand(start, count) -> tuple[np.ndarray, np.ndarray]:
    """For each row r, the positions start[r] .. start[r] + count[r] - 1, with the row of each."""
    count = np.asarray(count, dtype=np.int64)
    row = np.repeat(np.arange(len(count), dtype=np.int64), count)
    offset = np.arange(len(row), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return row, np.asarray(start, dtype=np.int64)[row] + offset


def _chunks(cost: np.ndarray):
    """Consecutive row ranges whose total cost stays within CHUNK (a costlier row alone)."""
    total = np.cumsum(cost)
    start = 0
    while start < len(cost):
        base = int(total[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(total, base + CHUNK, side="right")))
        yield start, stop
        start = stop


def _unique(key: np.ndarray) -> np.ndarray:
    """Sorted unique keys (by sorting: numpy's hash-based unique is several times slower here)."""
    key = np.sort(key)
    return key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key


def _contains(sorted_keys: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Whether each key is among the sorted keys."""
    if not len(sorted_keys):
        return np.zeros(len(key), dtype=bool)
    position = np.minimum(np.searchsorted(sorted_keys, key), len(sorted_keys) - 1)
    return sorted_keys[position] == key


def _group(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys and, for each input key, the index of its unique key."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]] if len(key) else np.zeros(0, dtype=bool)
    inverse = np.empty(len(key), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _sum_by(key: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique keys (sorted) and the sum of the values of each."""
    unique, inverse = _group(key)
    return unique, np.bincount(inverse, weights=value, minlength=len(unique))


def _first_gap(group: np.ndarray, rank: np.ndarray, n_groups: int, n: int) -> np.ndarray:
    """For each group, the smallest rank that none of its (group, rank) rows holds (rows unique)."""
    key = np.sort(group * n + rank)
    group, rank = key // n, key % n
    position = np.arange(len(key)) - np.searchsorted(group, np.arange(n_groups))[group]
    return np.bincount(group, weights=rank == position, minlength=n_groups).astype(np.int64)


class _Network:
    """Derived arrays of an :class:`Alliances` network.

    A state's *signature* is the set of pacts it belongs to; U(s) is the union of
    the members of signature s. A state's co-members are U of its signature
    minus itself; bilateral ties between co-members add nothing and are dropped."""

    def __init__(self, power: np.ndarray, net: Alliances) -> None:
        n = self.n = net.n
        self.power = power
        n_pacts = len(net.pact_start) - 1
        pact_of = np.repeat(np.arange(n_pacts, dtype=np.int64), np.diff(net.pact_start))
        order = np.lexsort((pact_of, net.pact_flat))
        mem_state, mem_pact = net.pact_flat[order], pact_of[order]
        count = np.bincount(mem_state, minlength=n)
        # signatures: pact p alone is signature p; states in several pacts get one id per distinct set
        sig = np.full(n, -1, dtype=np.int64)
        first = np.searchsorted(mem_state, np.arange(n))
        single = count == 1
        sig[single] = mem_pact[first[single]]
        sig_pacts = [[p] for p in range(n_pacts)]
        ids: dict[tuple, int] = {}
        for s in np.flatnonzero(count > 1).tolist():
            pacts = tuple(mem_pact[first[s] : first[s] + count[s]].tolist())
            if pacts not in ids:
                ids[pacts] = len(sig_pacts)
                sig_pacts.append(list(pacts))
            sig[s] = ids[pacts]
        self.sig = sig
        n_sig = self.n_sig = len(sig_pacts)
        self.sig_pact_count = np.array([len(p) for p in sig_pacts], dtype=np.int64)
        self.sig_pact_start = np.concatenate([[0], np.cumsum(self.sig_pact_count)]).astype(np.int64)
        self.sig_pact = np.fromiter((p for ps in sig_pacts for p in ps), np.int64)
        self.sig_pact_key = np.repeat(np.arange(n_sig), self.sig_pact_count) * max(n_pacts, 1) + self.sig_pact
        self.n_pacts = n_pacts
        # U(s) as sorted keys s * n + member
        row, position = _expand(self.sig_pact_start, self.sig_pact_count)
        pact = self.sig_pact[position]
        row2, position2 = _expand(net.pact_start[pact], np.diff(net.pact_start)[pact])
        self.u_key = _unique(row[row2] * n + net.pact_flat[position2])
        self.u_sig, self.u_member = self.u_key // n, self.u_key % n
        self.u_start = np.searchsorted(self.u_sig, np.arange(n_sig + 1))
        self.u_size = np.append(np.diff(self.u_start), 0)  # and 0 for "no signature" (-1 -> n_sig)
        self.u_power = np.bincount(self.u_sig, weights=power[self.u_member], minlength=n_sig)
        self.pact_start, self.pact_flat = net.pact_start, net.pact_flat
        # bilateral ties that are not between co-members, as arcs sorted by source
        keep = ~self.co_member(net.lo, net.hi)
        lo, hi = net.lo[keep], net.hi[keep]
        src, dst = np.concatenate([lo, hi]), np.concatenate([hi, lo])
        order = np.argsort(src, kind="stable")
        self.src, self.dst = src[order], dst[order]
        self.arc_key = np.sort(self.src * n + self.dst)
        self.deg = np.bincount(self.src, minlength=n)
        self.start = np.concatenate([[0], np.cumsum(self.deg)]).astype(np.int64)
        closed = power + np.bincount(self.src, weights=power[self.dst], minlength=n)
        in_pact = sig >= 0
        closed[in_pact] += self.u_power[sig[in_pact]] - power[in_pact]
        self.closed = closed
        self.rank_order = np.argsort(-closed, kind="stable")
        self.rank = np.empty(n, dtype=np.int64)
        self.rank[self.rank_order] = np.arange(n)

    def in_union(self, s: np.ndarray, state: np.ndarray) -> np.ndarray:
        """Whether each state is in U(s) (False where s is -1)."""
        return (s >= 0) & _contains(self.u_key, s * self.n + state)

    def co_member(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return self.in_union(self.sig[x], y)

    def union_size(self, state: np.ndarray) -> np.ndarray:
        return self.u_size[self.sig[state]]

    def neighbours(self, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (row, neighbour) of the given states, each neighbour once (bilateral, then co-members)."""
        row, position = _expand(self.start[state], self.deg[state])
        row_u, position_u = _expand(self.u_start[self.sig[state]], self.union_size(state))
        member = self.u_member[position_u]
        own = member == state[row_u]
        return np.concatenate([row, row_u[~own]]), np.concatenate([self.dst[position], member[~own]])

    # -- groups: X = {j} and j's co-members, shared by the states of one signature -------------

    def group(self, state: np.ndarray) -> np.ndarray:
        """The group of each state: its signature, or n_sig + state for a state in no pact."""
        s = self.sig[state]
        return np.where(s >= 0, s, self.n_sig + state)

    def group_size(self, g: np.ndarray) -> np.ndarray:
        return np.where(g < self.n_sig, self.u_size[np.minimum(g, self.n_sig)], 1)

    def in_group(self, g: np.ndarray, state: np.ndarray) -> np.ndarray:
        """Whether each state is in X of group g."""
        pact = g < self.n_sig
        return np.where(pact, self.in_union(np.where(pact, g, -1), state), state == g - self.n_sig)

    def n_neighbours(self, state: np.ndarray) -> np.ndarray:
        """|N_k|: bilateral allies and co-members."""
        return self.deg[state] + np.maximum(self.union_size(state) - 1, 0)

    def adjacent(self, k: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Whether x is in N_k (a bilateral ally or a co-member; x != k)."""
        return _contains(self.arc_key, k * self.n + x) | self.co_member(k, x)

    def pull(self, g: np.ndarray, k: np.ndarray) -> np.ndarray:
        """A(g, k) = M(N_k ∩ X_g) for each pair (k outside X_g): what k's coalition loses to j's
        side. Each pair is counted from its smaller end, X_g or N_k, in blocks of CHUNK entries."""
        out = np.zeros(len(k))
        size_x, size_k = self.group_size(g), self.n_neighbours(k)
        from_x = size_x <= size_k
        for a, b in _chunks(np.minimum(size_x, size_k)):
            rows = np.arange(a, b)
            gx, kx = g[a:b][from_x[a:b]], k[a:b][from_x[a:b]]
            ix = rows[from_x[a:b]]
            pact = gx < self.n_sig
            row, position = _expand(
                self.u_start[np.where(pact, gx, 0)], np.where(pact, self.u_size[gx * pact], 0)
            )
            x = np.concatenate([self.u_member[position], gx[~pact] - self.n_sig])
            row = np.concatenate([row, np.flatnonzero(~pact)])
            hit = self.adjacent(kx[row], x)
            out[ix] = np.bincount(row[hit], weights=self.power[x[hit]], minlength=len(ix))
            ik = rows[~from_x[a:b]]
            row, nb = self.neighbours(k[ik])
            hit = self.in_group(g[ik][row], nb)
            out[ik] = np.bincount(row[hit], weights=self.power[nb[hit]], minlength=len(ik))
        return out


def vulnerable_mask(power: np.ndarray, network: Alliances, gamma: float) -> np.ndarray:
    """Jackson & Nei vulnerability of every state (MODEL.md v2 "Indicators").

    j is vulnerable if some k, not a co-member of j, leads a coalition C = {k} U N_k
    minus j and j's co-members (who never join against j) with M(C) > gamma x
    M({j} U N_j minus C). With X = {j} and j's co-members, M(C) = closed(k) - A(X, k),
    A(X, k) = M(N_k ∩ X), and the defence is closed(j) - B(j, k), B(j, k) = M(B_j ∩ ({k} U N_k))
    over j's bilateral allies B_j. So j is vulnerable iff some k outside X has
    closed(k) - A(X, k) + gamma B(j, k) > gamma closed(j).

    B is 0 unless k is near j (a bilateral ally of j or a neighbour of one): the best
    closed(k) - A(X, k) over all k is found once per X (a signature: the states of one set of
    pacts share it) by walking the states from the strongest closed neighbourhood down and
    stopping at the first k not tied to X (nothing after it can do better, A >= 0) or as soon as
    the answer is settled for every state of the signature. Only the states left undecided then
    check their near k one by one, with B. No per-pair table of the whole network: the work
    follows what decides each state, memory is linear in the bilateral ties and pact members, and
    pair work runs in blocks of CHUNK entries."""
    power = np.asarray(power, dtype=np.float64)
    n = network.n
    vulnerable = np.zeros(n, dtype=bool)
    if n < 2:
        return vulnerable
    net = _Network(power, network)
    closed = net.closed
    state_group = net.group(np.arange(n))
    best = _best_far_attacks(net, state_group, gamma)
    vulnerable[:] = best[state_group] > gamma * closed

    # the states still safe that have bilateral allies: their near k, where B > 0
    bilateral = np.bincount(net.src, weights=power[net.dst], minlength=n)
    open_ = np.flatnonzero(~vulnerable & (net.deg > 0))
    per_arc = 1 + net.n_neighbours(net.dst)
    cost = np.bincount(net.src, weights=per_arc, minlength=n).astype(np.int64)[open_]
    for a, b in _chunks(cost):
        js = open_[a:b]
        row, position = _expand(net.start[js], net.deg[js])
        j_arc, i_arc = js[row], net.dst[position]
        row2, k2 = net.neighbours(i_arc)
        j = np.concatenate([j_arc, j_arc[row2]])
        k = np.concatenate([i_arc, k2])
        y = power[np.concatenate([i_arc, i_arc[row2]])]
        g = state_group[j]
        # value <= closed(k) + gamma M(B_j): pairs that cannot win are dropped before grouping
        keep = (k != j) & (closed[k] + gamma * bilateral[j] > gamma * closed[j]) & ~net.in_group(g, k)
        key, inverse = _group(j[keep] * n + k[keep])
        near = np.bincount(inverse, weights=y[keep], minlength=len(key))
        j, k = key // n, key % n
        keep = closed[k] + gamma * near > gamma * closed[j]
        j, k, near = j[keep], k[keep], near[keep]
        attack = closed[k] - net.pull(state_group[j], k)
        vulnerable[j[attack > gamma * (closed[j] - near)]] = True
    return vulnerable


def _best_far_attacks(net: _Network, state_group: np.ndarray, gamma: float) -> np.ndarray:
    """For each group g (X_g: a signature's members, or a state in no pact alone), the best
    closed(k) - A(X_g, k) over k outside X_g, or a value that decides the same for every state
    of the group: the walk down the states by closed neighbourhood stops once the next k cannot
    raise the best (closed(k) <= best), cannot make any of its states vulnerable
    (closed(k) <= gamma x its smallest closed(j)) or the best already makes all of them
    vulnerable. Each round looks at the next few candidates of every group still walking, twice
    as many as the round before."""
    n, closed, order = net.n, net.closed, net.rank_order
    n_groups = net.n_sig + n
    best = np.full(n_groups, -np.inf)
    high = np.full(n_groups, -np.inf)
    low = np.full(n_groups, np.inf)
    np.maximum.at(high, state_group, gamma * closed)
    np.minimum.at(low, state_group, gamma * closed)
    walking = np.flatnonzero(np.isfinite(high))  # groups with states
    position = np.zeros(n_groups, dtype=np.int64)
    step = 1
    while len(walking):
        take = np.minimum(step, n - position[walking])
        row, at = _expand(position[walking], take)
        g, k = walking[row], order[at]
        outside = ~net.in_group(g, k)
        g, k = g[outside], k[outside]
        np.maximum.at(best, g, closed[k] - net.pull(g, k))
        position[walking] += take
        nxt = position[walking]
        more = nxt < n
        level = np.where(more, closed[order[np.minimum(nxt, n - 1)]], -np.inf)
        go_on = more & (level > np.maximum(best[walking], low[walking])) & (best[walking] <= high[walking])
        walking = walking[go_on]
        step = min(2 * step, 1 << 12)
    return best


def structure(scenario: Scenario) -> Structure:
    """Jackson & Nei structure of the scenario's alliance network before any war."""
    from sandbox.core.world import World

    return structure_of(World(scenario))


def structure_of(world: World, vulnerable: np.ndarray | None = None) -> Structure:
    """:func:`structure` of a compiled world; ``vulnerable`` may pass its vulnerability mask if known."""
    gamma = float(world.settings.attacker_disadvantage)
    network = alliance_network(world)
    if vulnerable is None:
        vulnerable = vulnerable_mask(world.power, network, gamma)
    names = [world.ids[i] for i in world.file_order[vulnerable[world.file_order]].tolist()]
    return Structure(names, not names and _war_stable(world.power, network, gamma))


def _war_stable(power: np.ndarray, network: Alliances, gamma: float) -> bool:
    """Given no vulnerable state: no deletable alliance (a bilateral tie, or a whole pact)
    and no addable one (see module docstring)."""
    for e in range(len(network.lo)):
        without = vulnerable_mask(power, network.without_tie(e), gamma)
        if not without[network.lo[e]] and not without[network.hi[e]]:
            return False
    for p in range(len(network.pact_start) - 1):
        if not vulnerable_mask(power, network.without_pact(p), gamma)[network.members(p)].any():
            return False
    return not _addition_enables_attack(power, network, gamma)


def _addition_enables_attack(power: np.ndarray, network: Alliances, gamma: float) -> bool:
    """Whether some missing bilateral alliance (i, j) lets attacker i, with its allies and j,
    beat some target t, on a network where nobody is vulnerable yet.

    With U = {t} and t's co-members: attack = M(closed N_i minus U) + M(j) if j is not in U,
    and the defence M(closed N_t minus C) also loses j when j is a bilateral ally of t."""
    net = _Network(np.asarray(power, dtype=np.float64), network)
    n, closed, sig, power = net.n, net.closed, net.sig, net.power
    in_pact = sig >= 0
    everyone = np.arange(n)
    by_power = np.argsort(-power, kind="stable")
    for i in range(n):
        in_closed = np.zeros(n, dtype=bool)
        in_closed[i] = True
        in_closed[net.neighbours(np.array([i]))[1]] = True
        outside = by_power[~in_closed[by_power]]
        if not len(outside):
            continue
        weight = np.where(in_closed[net.u_member], power[net.u_member], 0.0)
        held = np.bincount(net.u_sig, weights=weight, minlength=net.n_sig + 1)  # index -1: no signature
        attack = closed[i] - np.where(in_pact, held[sig], np.where(in_closed, power, 0.0))
        defected = np.bincount(
            net.src, weights=np.where(in_closed[net.dst], power[net.dst], 0.0), minlength=n
        )
        defence = closed - defected
        target = (everyone != i) & ~net.in_union(np.full(n, sig[i]), everyone)
        # the strongest new ally: outside closed N_i, not t, and not one of t's co-members
        plain = np.full(n, power[outside[0]])
        plain[outside[0]] = power[outside[1]] if len(outside) > 1 else -np.inf
        position = np.full(n, -1, dtype=np.int64)
        position[outside] = np.arange(len(outside))
        out = position[net.u_member] >= 0
        gap = _first_gap(net.u_sig[out], position[net.u_member[out]], net.n_sig, len(outside))
        top = np.where(gap < len(outside), power[outside[np.minimum(gap, len(outside) - 1)]], -np.inf)
        plain[in_pact] = top[sig[in_pact]]
        # a bilateral ally of t as the new ally defects from t's defence too
        bonus = np.full(n, -np.inf)
        arcs = ~in_closed[net.dst]
        np.maximum.at(bonus, net.src[arcs], (1 + gamma) * power[net.dst[arcs]])
        if np.any(target & (attack + np.maximum(plain, bonus) > gamma * defence)):
            return True
    return False


def olson_zeckhauser(gdp, a: float, beta: float = 0.0) -> tuple[np.ndarray, float]:
    """Nash contributions x (same order as ``gdp``) and their total X, for
    u_i = (1-a) ln(y_i - x_i) + a ln(X + beta x_i) (Olson & Zeckhauser 1966; beta > 0:
    Sandler's joint products, a private return on a member's own forces)."""
    x, total = _nash([float(y) for y in gdp], a, beta)
    return np.array(x, dtype=np.float64), total


def _nash(gdp: list[float], a: float, beta: float = 0.0) -> tuple[list[float], float]:
    """With k = a(1+beta)/(1-a): x_i = (k y_i - X)/(beta + k) for the contributors K and
    X = k sum_K y / (beta + k + |K|), K grown from the largest member while k y_i > X."""
    # plain Python: treaties have a handful of members, and a world may have 100,000 treaties
    order = sorted(range(len(gdp)), key=lambda i: -gdp[i])
    k = a * (1.0 + beta) / (1.0 - a)
    size, paid, total = 0, 0.0, 0.0
    for i in order:
        if size and k * gdp[i] <= total:
            break
        size, paid = size + 1, paid + gdp[i]
        total = k * paid / (beta + k + size)
    x = [0.0] * len(gdp)
    for i in order[:size]:
        x[i] = (k * gdp[i] - total) / (beta + k)
    return x, total


def optimal_total(gdp, a: float, beta: float = 0.0) -> float:
    """The total contribution that maximises the members' summed utility, computed numerically
    (coordinate ascent: the sum is concave and each coordinate's slope falls as it grows, so
    bisection finds each best value); with beta = 0 it is Samuelson's a x sum y."""
    y = [float(v) for v in gdp]
    if beta == 0 or sum(y) <= 0:
        return a * sum(y)
    n = len(y)
    x = [a * v for v in y]  # Samuelson's split as the start

    def slope(i: int, v: float) -> float:
        """d/dx_i of sum_j (1-a) ln(y_j - x_j) + a ln(X + beta x_j), at x_i = v."""
        total = sum(x) - x[i] + v
        if total <= 0:
            return math.inf
        gain = sum(a / (total + beta * (v if j == i else x[j])) for j in range(n))
        return gain + a * beta / (total + beta * v) - (1.0 - a) / (y[i] - v)

    for _ in range(500):
        moved = 0.0
        for i in range(n):
            if y[i] <= 0:
                continue
            lo, hi = 0.0, y[i] * (1.0 - 1e-12)
            if slope(i, lo) <= 0:
                lo = hi = 0.0
            for _ in range(100):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if slope(i, mid) > 0 else (lo, mid)
            moved = max(moved, abs(hi - x[i]))
            x[i] = (lo + hi) / 2
        if moved < 1e-11 * max(y):
            break
    return sum(x)


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
    computed all at once when beta = 0: with y1 >= y2, the larger pays alone (X = a y1)
    unless y2 > (1-a) y1, when both pay and X = a (y1 + y2) / (2 - a). ``observed_spearman``
    is the rank correlation of GDP with the members' actual military effort, power / GDP."""
    a = float(world.settings.security_preference)
    beta = float(getattr(world.settings, "private_benefit", 0.0))
    defense = (world.type_code == TREATY_CODES["defense"]) & (world.member_count >= 2)
    pairs = np.flatnonzero(defense & (world.member_count == 2) & (beta == 0))
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
    with np.errstate(divide="ignore", invalid="ignore"):
        e_lo = np.where(y_lo > 0, world.power[lo] / y_lo, 0.0)
        e_hi = np.where(y_hi > 0, world.power[hi] / y_hi, 0.0)
    observed = np.where((y_lo < y_hi) == (e_lo < e_hi), 1.0, -1.0)
    observed_undefined = (y_lo == y_hi) | (e_lo == e_hi)
    ids = world.ids
    computed = {
        k: {
            "contributions": {ids[i]: xi, ids[j]: xj},
            "shares": {ids[i]: si, ids[j]: sj},
            "nash_total": tot,
            "optimal_total": opt,
            "spearman": None if none else r,
            "observed_spearman": None if o_none else o,
        }
        for k, i, j, xi, xj, si, sj, tot, opt, r, none, o, o_none in zip(
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
            observed.tolist(),
            observed_undefined.tolist(),
            strict=True,
        )
    }
    flat, start, gdp_of = world.member_flat.tolist(), world.member_start.tolist(), world.gdp.tolist()
    power_of = world.power.tolist()
    for k in np.flatnonzero(defense & ((world.member_count > 2) | (beta != 0))).tolist():
        members = sorted(flat[start[k] : start[k + 1]])
        gdp = [gdp_of[i] for i in members]
        x, tot = _nash(gdp, a, beta)
        shares = [_share(xi, yi) for xi, yi in zip(x, gdp, strict=True)]
        member_ids = [ids[i] for i in members]
        computed[k] = {
            "contributions": dict(zip(member_ids, x, strict=True)),
            "shares": dict(zip(member_ids, shares, strict=True)),
            "nash_total": tot,
            "optimal_total": optimal_total(gdp, a, beta),
            "spearman": spearman(gdp, shares),
            "observed_spearman": spearman(gdp, [_share(power_of[i], gdp_of[i]) for i in members]),
        }
    return {world.treaty_ids[k]: computed[k] for k in sorted(computed)}


def _share(x: float, y: float) -> float:
    return x / y if y > 0 else 0.0
