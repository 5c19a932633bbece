"""What a collective-security organisation brings against an attacker, for exposure (MODEL.md v2,
"Collective security" and "Indicators").

When state j, a member of a ``collective-security`` treaty, is attacked without provocation by k (a
member or not), the organisation decides by its rule, as :mod:`sandbox.core.sim.institutions`
does: ``unanimity`` is blocked by any member outside the war with a ``defense``, ``offense`` or
``guarantee`` tie that could bind it to k (a tie whose ``against`` leaves j out does not bind);
``majority`` needs more than half of the members outside the war free of such ties; ``veto`` is
blocked by a listed holder that is k or tied to k by ``defense``, ``offense`` or ``guarantee``
either way. An authorised ``force`` or ``authorise`` response calls on every other member outside
the war to defend j; ``sanctions`` puts no army in the field, so it adds nothing to E_defense
(the deterrence rule counts strengths: sanctions did not deter Italy in 1935).

A called member decides as every decider does, by the threshold on ``perceived reliability x
commitment x legitimacy x (1 - autonomy) x feasibility``; cross-pressure halves it when the member
has any tie to k; a member obliged to k's camp too (an ``offense`` partner of k: pulled both ways)
or held back by a ``neutrality`` promise to k stays out. A member that also defends j under a
``defense`` or ``guarantee`` arc decides once, on the stronger duty; one that would only have
volunteered under an ``entente`` is obliged instead.

The members of a large organisation (a United Nations of 200,000 states) are never expanded per
pair: each organisation keeps its members sorted by that base, with running sums of their
strength, and a pair reads "the members whose base clears the camp's cutoff" by binary search.
What depends on the attacker alone (its ties to members, and itself as a member) is kept the same
way per (attacker, organisation), built once per attacker; what depends on j (j itself, its
defence allies and its ententes among the members) is a few signed rows per pair. Every decider of
a camp shares one feasibility, so the members a camp keeps are those whose base clears
``threshold / feasibility``: the cutoff only rises, round by round (exposure.py's coalition).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sandbox.core import world as W
from sandbox.core.metrics import _contains, _expand

FIGHTING = ("force", "authorise")  # responses that put members' armies in the defender's camp
UNANIMITY, MAJORITY, VETO = 0, 1, 2
RULES = {"unanimity": UNANIMITY, "majority": MAJORITY, "veto": VETO}
BINDING = (W.DEFENSE, W.OFFENSE, W.GUARANTEE)  # arcs z -> k that could bind z in k's favour
VETO_TIES = (*BINDING, W.GUARANTEED)  # a veto holder tied to k either way


class Body:
    """The called members of each pair's organisations, read at a cutoff on their base."""

    def __init__(self, defence: CollectiveDefence, n_pairs: int, entry_pair, segment, fixes) -> None:
        self.defence = defence
        self.n_pairs = n_pairs
        self.entry_pair, self.segment = entry_pair, segment  # each entry reads one sorted segment
        self.fix_pair, self.fix_base, self.fix_worth = fixes  # signed corrections, one pair each
        self.entry_key = np.zeros(0, dtype=np.int64)  # pair x organisations + organisation, called

    def calls(self, pair: np.ndarray, state: np.ndarray) -> np.ndarray:
        """Whether each state is a member of an organisation that calls on it for the pair's victim
        (an offense partner of the attacker so called is pulled both ways: neutral)."""
        d = self.defence
        row, at = _expand(d.org_start[state], d.org_count[state])
        hit = _contains(self.entry_key, pair[row] * len(d.treaties) + d.org_of[at])
        return np.bincount(row[hit], minlength=len(pair)) > 0

    def worth(self, cutoff: np.ndarray) -> np.ndarray:
        """Per pair: the summed strength of its called members whose base is at least its cutoff."""
        total = np.zeros(self.n_pairs)
        if len(self.entry_pair):
            above = self.defence.above(self.segment, cutoff[self.entry_pair])
            total += np.bincount(self.entry_pair, weights=above, minlength=self.n_pairs)
        if len(self.fix_pair):
            kept = self.fix_base >= cutoff[self.fix_pair]
            total += np.bincount(self.fix_pair[kept], weights=self.fix_worth[kept], minlength=self.n_pairs)
        return total


class CollectiveDefence:
    """The collective-security organisations of one run state that would fight, ready for pairs."""

    @staticmethod
    def of(s: Any, strength: np.ndarray) -> CollectiveDefence | None:
        w = s.world
        fighting = [c for c in w.collective if w.response.get(c, "force") in FIGHTING]
        return CollectiveDefence(s, strength, fighting) if fighting else None

    def __init__(self, s: Any, strength: np.ndarray, treaties: list[int]) -> None:
        w = self.w = s.world
        n = self.n = w.n
        arcs = s.arcs
        self.treaties = treaties
        self.rule = np.array([RULES[w.decision_rule[c]] for c in treaties], dtype=np.int8)
        free = self.free = s.free()
        self.worth_of = np.where(free, strength, 0.0)  # a member already at war is not called
        # each organisation's members and their base; a segment of (-base, running strength) each
        members = [w.members(c) for c in treaties]
        bases = [
            s.perceived[m] * w.commitment[c] * s.legitimacy[c] * (1.0 - w.autonomy[m])
            for m, c in zip(members, treaties, strict=True)
        ]
        self.segments = [_segment(b, self.worth_of[m]) for m, b in zip(members, bases, strict=True)]
        state = np.concatenate(members)
        org = np.repeat(np.arange(len(treaties)), [len(m) for m in members])
        key = org * n + state
        order = np.argsort(key, kind="stable")
        self.member_key, self.member_base = key[order], np.concatenate(bases)[order]
        by_state = np.argsort(state, kind="stable")  # each state's organisations, by offsets
        self.org_of = org[by_state]
        self.org_count = np.bincount(state, minlength=n)
        self.org_start = np.concatenate([[0], np.cumsum(self.org_count)]).astype(np.int64)
        self.free_members = np.bincount(org, weights=free[state], minlength=len(treaties))
        # the arcs into each state (z -> k), by offsets: the members' ties to an attacker
        order = np.argsort(arcs.dst, kind="stable")
        self.in_src, self.in_kind, self.in_treaty = arcs.src[order], arcs.kind[order], arcs.treaty[order]
        self.in_start = np.concatenate([[0], np.cumsum(np.bincount(arcs.dst, minlength=n))]).astype(np.int64)
        # per attacker, built on first use: tables by (attacker row, organisation)
        self.k_row = np.full(n, -1, dtype=np.int64)
        self._tied: list[int] = []  # members tied to the attacker by ties without an against list
        self._vetoed: list[bool] = []
        self._correction: list[int] = []  # the segment of the attacker's corrections, or -1
        self._now_keys: list[np.ndarray] = []
        self._now_bases: list[np.ndarray] = []
        self.listed: dict[tuple[int, int], list[tuple[int, int]]] = {}  # ties with an against list
        self.tied = self.correction = np.zeros(0, dtype=np.int64)
        self.vetoed = np.zeros(0, dtype=bool)
        self.now_key, self.now_base = np.zeros(0, dtype=np.int64), np.zeros(0)

    def is_member(self, org: np.ndarray, state: np.ndarray) -> np.ndarray:
        return _contains(self.member_key, org * self.n + state)

    def base_in(self, org: np.ndarray, state: np.ndarray) -> np.ndarray:
        """Each member's own base in the organisation (before any tie to an attacker)."""
        position = np.searchsorted(self.member_key, org * self.n + state)
        return self.member_base[np.minimum(position, len(self.member_key) - 1)]

    def above(self, segment: np.ndarray, cutoff: np.ndarray) -> np.ndarray:
        """For each (segment, cutoff): the summed worth of the segment's rows whose base >= cutoff."""
        result = np.zeros(len(segment))
        order = np.argsort(segment, kind="stable")
        ids, first = np.unique(segment[order], return_index=True)
        bounds = np.append(first, len(order))
        for n, sid in enumerate(ids.tolist()):
            rows = order[bounds[n] : bounds[n + 1]]
            negative, running = self.segments[sid]
            result[rows] = running[np.searchsorted(negative, -cutoff[rows], side="right")]
        return result

    def body(self, j: np.ndarray, k: np.ndarray, defenders, volunteers) -> tuple[Body, Any, np.ndarray]:
        """The called members of each pair (j attacked by k), as a :class:`Body`; the defence rows
        ``defenders`` = (pair, source, base), the members among them deciding once on their stronger
        duty; and a mask of the ``volunteers`` = (pair, source) obliged instead."""
        orgs = len(self.treaties)
        krow = self._attackers_of(k)
        pair, position = _expand(self.org_start[j], self.org_count[j])
        org = self.org_of[position]
        ok = self._authorised(pair, org, j, k, krow)
        pair, org = pair[ok], org[ok]
        correction = self.correction[krow[pair] * orgs + org]
        has = correction >= 0
        entry_pair = np.concatenate([pair, pair[has]])
        segment = np.concatenate([org, correction[has]])
        # who decides for j otherwise: j itself (in its camp already), its defence allies (once, on
        # the stronger duty) and its ententes (obliged, not volunteers)
        entry_key = np.sort(pair * orgs + org)
        d_pair, d_src, d_base = defenders
        v_pair, v_src = volunteers
        found = []
        for rows, who in ((np.arange(len(j)), j), (d_pair, d_src), (v_pair, v_src)):
            r, at = _expand(self.org_start[who], self.org_count[who])
            o, p, z = self.org_of[at], rows[r], who[r]
            called = _contains(entry_key, p * orgs + o)
            now = self._now(o[called], z[called], krow[p[called]])
            inside = now >= 0
            found.append((r[called][inside], p[called][inside], z[called][inside], now[inside]))
        (_, jp, jz, jnow), (dr, dp, dz, dnow), (vr, _, _, _) = found
        d_base = d_base.copy()
        np.maximum.at(d_base, dr, dnow)
        v_obliged = np.zeros(len(v_pair), dtype=bool)
        v_obliged[vr] = True
        fixes = (
            np.concatenate([jp, dp]),
            np.concatenate([jnow, dnow]),
            -self.worth_of[np.concatenate([jz, dz])],
        )
        body = Body(self, len(j), entry_pair, segment, fixes)
        body.entry_key = entry_key
        return body, (d_pair, d_src, d_base), v_obliged

    def _now(self, org: np.ndarray, z: np.ndarray, krow: np.ndarray) -> np.ndarray:
        """Member z's base in each organisation against its attacker (-1: out of the camp)."""
        base = self.base_in(org, z)
        if not len(self.now_key):
            return base
        key = (krow * len(self.treaties) + org) * self.n + z
        position = np.minimum(np.searchsorted(self.now_key, key), len(self.now_key) - 1)
        return np.where(self.now_key[position] == key, self.now_base[position], base)

    def _authorised(self, pair, org, j, k, krow) -> np.ndarray:
        """Whether each organisation authorises action for j against k (institutions.blocking)."""
        at = krow[pair] * len(self.treaties) + org
        tied = self.tied[at].astype(np.float64)
        if self.listed:  # ties with an against list bind only if it names the victim
            listed = np.array(sorted(r * len(self.treaties) + o for r, o in self.listed), dtype=np.int64)
            for n in np.flatnonzero(_contains(listed, at)).tolist():
                records = self.listed[(int(krow[pair[n]]), int(org[n]))]
                victim = int(j[pair[n]])
                tied[n] += len({z for z, t in records if victim in self.w.against[t]})
        kk = k[pair]
        outside = self.free_members[org] - self.free[j[pair]] - (self.free[kk] & self.is_member(org, kk))
        majority = (outside == 0) | ((outside - tied) * 2 > outside)
        rule = self.rule[org]
        return np.where(rule == VETO, ~self.vetoed[at], np.where(rule == UNANIMITY, tied == 0, majority))

    def _attackers_of(self, k: np.ndarray) -> np.ndarray:
        """Each attacker's row in the per-attacker tables (built for attackers not seen before)."""
        fresh = np.unique(k[self.k_row[k] < 0])
        for attacker in fresh.tolist():
            self._add_attacker(attacker)
        if len(fresh):
            self.tied = np.array(self._tied, dtype=np.int64)
            self.vetoed = np.array(self._vetoed, dtype=bool)
            self.correction = np.array(self._correction, dtype=np.int64)
            keys = np.concatenate(self._now_keys) if self._now_keys else np.zeros(0, dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            self.now_key = keys[order]
            self.now_base = np.concatenate(self._now_bases)[order] if self._now_bases else np.zeros(0)
        return self.k_row[k]

    def _add_attacker(self, k: int) -> None:
        """What attacker k alone means to each organisation: the members tied to it for the rule
        (binding ties; those with an ``against`` list are checked per victim), a veto, and the
        members' base against it (halved by any tie to k; out when pulled to k's camp by an
        ``offense`` tie, held back by a ``neutrality`` promise to k, or k itself), kept as a segment
        of corrections to the organisation's own."""
        w, n, orgs = self.w, self.n, len(self.treaties)
        row = self.k_row[k] = len(self._tied) // orgs
        span = slice(self.in_start[k], self.in_start[k + 1])
        src, kind, treaty = self.in_src[span], self.in_kind[span], self.in_treaty[span]
        binding = np.isin(kind, BINDING) & self.free[src]
        plain = binding & ~w.has_against[treaty]
        neutral = kind == W.NEUTRALITY
        for at in np.flatnonzero(neutral).tolist():
            t = int(treaty[at])
            neutral[at] = not w.unprovoked_only[t] and (not w.has_against[t] or k in w.against[t])
        out = np.unique(np.append(src[(kind == W.OFFENSE) | neutral], k))
        states = np.union1d(src, [k])
        veto_tied = src[np.isin(kind, VETO_TIES)]
        for org, c in enumerate(self.treaties):
            members = self.is_member(np.full(len(src), org), src)
            self._tied.append(len(np.unique(src[plain & members])))
            listed = binding & ~plain & members
            for z, t in zip(src[listed].tolist(), treaty[listed].tolist(), strict=True):
                self.listed.setdefault((row, org), []).append((z, t))
            holders = w.veto.get(c, [])
            self._vetoed.append(bool(k in holders or np.isin(holders, veto_tied).any()))
            tied = states[self.is_member(np.full(len(states), org), states)]
            if not len(tied):
                self._correction.append(-1)
                continue
            base = self.base_in(np.full(len(tied), org), tied)
            now = np.where(np.isin(tied, out), -1.0, 0.5 * base)
            self._now_keys.append((row * orgs + org) * n + tied)
            self._now_bases.append(now)
            worth = self.worth_of[tied]
            kept = now >= 0
            self._correction.append(len(self.segments))
            self.segments.append(
                _segment(np.concatenate([base, now[kept]]), np.concatenate([-worth, worth[kept]]))
            )


def _segment(base: np.ndarray, worth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows sorted by -base (ascending) and the running sums of their worth (0 first)."""
    order = np.argsort(-base, kind="stable")
    return -base[order], np.concatenate([[0.0], np.cumsum(worth[order])])
