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

OBLIGING_KINDS = np.array([DEFENSE, GUARANTEE, OFFENSE, COLLECTIVE, CLAIM])
ALLIANCE_KINDS = np.array([DEFENSE, GUARANTEE, GUARANTEED, OFFENSE, COLLECTIVE])
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
        self.gdp = np.array([float(st.economy) for st in by_id], dtype=np.float64)
        self.reliability = np.array([float(st.reliability) for st in by_id], dtype=np.float64)
        self.mobilization = np.array([int(st.mobilization) for st in by_id], dtype=np.int64)
        self.settings = s

        idx = self.index
        self.treaty_ids = [t.id for t in scenario.treaties]
        self.treaty_names = [t.name for t in scenario.treaties]
        self.treaty_types = [t.type for t in scenario.treaties]
        self.treaty_index = {tid: k for k, tid in enumerate(self.treaty_ids)}
        self.commitment = np.array([float(t.commitment) for t in scenario.treaties], dtype=np.float64)
        self.unprovoked_only = np.array(
            [bool(t.conditions.unprovoked_only) for t in scenario.treaties], dtype=bool
        )
        self.mediation = np.array([float(t.mediation) for t in scenario.treaties], dtype=np.float64)
        self.members = [
            np.array(sorted(idx[m] for m in t.members), dtype=np.int64) for t in scenario.treaties
        ]
        self.guarantors = [
            np.array(sorted(idx[g] for g in t.guarantors), dtype=np.int64) for t in scenario.treaties
        ]
        self.against = [
            np.array(sorted(idx[a] for a in t.conditions.against), dtype=np.int64) for t in scenario.treaties
        ]
        self.has_against = np.array([len(a) > 0 for a in self.against], dtype=bool)
        self.decision_rule = [t.decision.rule for t in scenario.treaties]
        self.veto = [
            np.array(sorted(idx[v] for v in t.decision.veto), dtype=np.int64) for t in scenario.treaties
        ]
        self.collective = [k for k, t in enumerate(scenario.treaties) if t.type == "collective-security"]

        # against as flat (treaty, state) pairs, for a vectorised "is a listed enemy at war" test
        pairs = [(k, a) for k, arr in enumerate(self.against) for a in arr.tolist()]
        self.against_treaty = np.array([p[0] for p in pairs], dtype=np.int64)
        self.against_state = np.array([p[1] for p in pairs], dtype=np.int64)

        self.arcs, self.tie_a, self.tie_b, self.tie_treaty = self._compile_arcs(scenario)
        alliance_treaties = [
            k for k, t in enumerate(self.treaty_types) if t in ("defense", "guarantee", "offense")
        ]
        self.tie_alliance = np.isin(self.tie_treaty, alliance_treaties)

    def _compile_arcs(self, scenario: Scenario) -> tuple[Arcs, np.ndarray, np.ndarray, np.ndarray]:
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        kinds: list[np.ndarray] = []
        treaties: list[np.ndarray] = []
        ties: list[np.ndarray] = []
        tie_a: list[np.ndarray] = []
        tie_b: list[np.ndarray] = []
        tie_t: list[np.ndarray] = []
        n_ties = 0
        for k, t in enumerate(scenario.treaties):
            if t.type == "collective-security":
                continue
            if t.type == "guarantee":
                g, m = np.meshgrid(self.guarantors[k], self.members[k], indexing="ij")
                a, b = g.ravel(), m.ravel()
                kind_ab, kind_ba = GUARANTEE, GUARANTEED
            else:
                mem = self.members[k]
                i, j = np.triu_indices(len(mem), 1)
                a, b = mem[i], mem[j]
                kind_ab = kind_ba = TYPE_KINDS[t.type]
            tie = np.arange(n_ties, n_ties + len(a), dtype=np.int64)
            n_ties += len(a)
            tie_a.append(a)
            tie_b.append(b)
            tie_t.append(np.full(len(a), k, dtype=np.int64))
            src += [a, b]
            dst += [b, a]
            kinds += [np.full(len(a), kind_ab, dtype=np.int8), np.full(len(a), kind_ba, dtype=np.int8)]
            treaties += [np.full(2 * len(a), k, dtype=np.int64)]
            ties += [tie, tie]
        if not src:
            z = np.zeros(0, dtype=np.int64)
            return Arcs.empty(), z, z, z
        arcs = Arcs(
            np.concatenate(src).astype(np.int64),
            np.concatenate(dst).astype(np.int64),
            np.concatenate(treaties),
            np.concatenate(kinds),
            np.concatenate(ties),
        )
        return arcs, np.concatenate(tie_a), np.concatenate(tie_b), np.concatenate(tie_t)
