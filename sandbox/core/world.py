"""A scenario compiled into numpy arrays for the engine and the metrics.

States are indexed in the order of their ids (not their order in the file), so
every sum, every tie-break and every random draw is independent of how the file
lists its states. Treaties become directed *arcs* (Z -> W: "Z is tied to W by
treaty T"), one per ordered pair of parties that the treaty relates, grouped
into undirected *ties* for display. Collective-security treaties are not
expanded into pairs: the engine adds the arcs of an authorised decision when it
happens, so a 200,000-member organisation costs nothing until it acts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from sandbox.core.scenario import Scenario

# Arc kinds: what a treaty asks of the arc's source (Z) towards its target (W).
DEFENSE = 0  # Z defends W
GUARANTEE = 1  # Z, a guarantor, defends W, a guaranteed member
GUARANTEED = 2  # Z is guaranteed by W and owes nothing back
OFFENSE = 3  # Z joins W's attacks
NEUTRALITY = 4  # Z never joins a war against W
NON_AGGRESSION = 5  # Z never attacks W
ENTENTE = 6  # Z may support W voluntarily
COLLECTIVE = 7  # Z, a member of an organisation that authorised action, defends the victim W
CLAIM = 8  # Z, a member of a treaty W invoked legitimately, joins W

# OBLIGING[kind]: whether an arc of that kind can oblige its source to fight
OBLIGING = np.isin(np.arange(9), [DEFENSE, GUARANTEE, OFFENSE, COLLECTIVE, CLAIM])
TYPE_KINDS = {
    "defense": DEFENSE,
    "offense": OFFENSE,
    "neutrality": NEUTRALITY,
    "non-aggression": NON_AGGRESSION,
    "entente": ENTENTE,
}


@dataclass
class Arcs:
    """Directed treaty arcs as parallel arrays (one row per arc)."""

    src: np.ndarray  # int64 state index of Z
    dst: np.ndarray  # int64 state index of W
    treaty: np.ndarray  # int64 treaty index
    kind: np.ndarray  # int8 arc kind
    tie: np.ndarray  # int64 tie index (both directions of a pair share it)

    @staticmethod
    def empty() -> Arcs:
        z = np.zeros(0, dtype=np.int64)
        return Arcs(z, z, z, np.zeros(0, dtype=np.int8), z)

    def concat(self, other: Arcs) -> Arcs:
        return Arcs(
            *(
                np.concatenate([getattr(self, f), getattr(other, f)])
                for f in ("src", "dst", "treaty", "kind", "tie")
            )
        )


class World:
    """The arrays of one scenario, frozen at compile time (later edits do not reach them)."""

    def __init__(self, scenario: Scenario) -> None:
        s = scenario.settings
        self.title = scenario.meta.title
        by_id = sorted(scenario.states, key=lambda st: st.id)
        self.ids = [st.id for st in by_id]
        self.names = [st.name for st in by_id]
        self.index = {sid: i for i, sid in enumerate(self.ids)}
        self.file_order = np.array([self.index[st.id] for st in scenario.states], dtype=np.int64)
        self.n = len(self.ids)
        self.file_rank = np.empty(self.n, dtype=np.int64)
        self.file_rank[self.file_order] = np.arange(self.n)
        self.power = np.array([float(st.power) for st in by_id], dtype=np.float64)
        self.total_power = float(self.power.sum())
        self.gdp = np.array([float(st.economy) for st in by_id], dtype=np.float64)
        self.reliability = np.array([float(st.reliability) for st in by_id], dtype=np.float64)
        self.mobilization = np.array([int(st.mobilization) for st in by_id], dtype=np.int64)
        self.settings = s

        idx = self.index
        treaties = scenario.treaties
        self.treaty_ids = [t.id for t in treaties]
        self.treaty_names = [t.name for t in treaties]
        self.treaty_types = [t.type for t in treaties]
        self.treaty_index = {tid: k for k, tid in enumerate(self.treaty_ids)}
        self.commitment = np.array([float(t.commitment) for t in treaties], dtype=np.float64)
        self.unprovoked_only = np.array([bool(t.conditions.unprovoked_only) for t in treaties], dtype=bool)
        self.mediation = np.array([float(t.mediation) for t in treaties], dtype=np.float64)
        # parties as sorted index lists; numpy arrays only on demand (a world may hold a million treaties)
        self.member_lists = [sorted(idx[m] for m in t.members) for t in treaties]
        self.guarantor_lists = [sorted(idx[g] for g in t.guarantors) for t in treaties]
        self.against = [sorted(idx[a] for a in t.conditions.against) if t.conditions.against else [] for t in treaties]
        self.veto = [[idx[v] for v in t.decision.veto] for t in treaties]
        self.decision_rule = [t.decision.rule for t in treaties]
        self.has_against = np.array([bool(a) for a in self.against], dtype=bool)
        self.collective = [k for k, t in enumerate(self.treaty_types) if t == "collective-security"]
        self._member_arrays: dict[int, np.ndarray] = {}

        # against as flat (treaty, state) pairs, for a vectorised "is a listed enemy at war" test
        pairs = [(k, a) for k, listed in enumerate(self.against) for a in listed]
        self.against_treaty = np.array([p[0] for p in pairs], dtype=np.int64)
        self.against_state = np.array([p[1] for p in pairs], dtype=np.int64)

        self.arcs, self.tie_a, self.tie_b, self.tie_treaty = self._compile_arcs()
        alliance_treaties = [k for k, t in enumerate(self.treaty_types) if t in ("defense", "guarantee", "offense")]
        self.tie_alliance = np.isin(self.tie_treaty, alliance_treaties)

    def members(self, k: int) -> np.ndarray:
        """Treaty k's members as a sorted index array."""
        array = self._member_arrays.get(k)
        if array is None:
            array = self._member_arrays[k] = np.array(self.member_lists[k], dtype=np.int64)
        return array

    def _compile_arcs(self) -> tuple[Arcs, np.ndarray, np.ndarray, np.ndarray]:
        tie_a: list[int] = []
        tie_b: list[int] = []
        tie_t: list[int] = []
        kind_ab: list[int] = []
        kind_ba: list[int] = []
        for k, kind in enumerate(self.treaty_types):
            if kind == "collective-security":
                continue
            members = self.member_lists[k]
            if kind == "guarantee":
                pairs = [(g, m) for g in self.guarantor_lists[k] for m in members]
                forward, backward = GUARANTEE, GUARANTEED
            else:
                pairs = list(itertools.combinations(members, 2))
                forward = backward = TYPE_KINDS[kind]
            tie_a.extend(p[0] for p in pairs)
            tie_b.extend(p[1] for p in pairs)
            tie_t.extend([k] * len(pairs))
            kind_ab.extend([forward] * len(pairs))
            kind_ba.extend([backward] * len(pairs))
        a = np.array(tie_a, dtype=np.int64)
        b = np.array(tie_b, dtype=np.int64)
        t = np.array(tie_t, dtype=np.int64)
        tie = np.arange(len(a), dtype=np.int64)
        arcs = Arcs(
            np.concatenate([a, b]),
            np.concatenate([b, a]),
            np.concatenate([t, t]),
            np.array(kind_ab + kind_ba, dtype=np.int8),
            np.concatenate([tie, tie]),
        )
        return arcs, a, b, t
