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

import copy
import itertools
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from sandbox.core.gc_pause import without_gc
from sandbox.core.lru import LRU
from sandbox.core.scenario import TREATY_TYPES, Scenario

# Arc kinds: what a treaty asks of the arc's source (Z) towards its target (W).
DEFENSE = 0  # Z defends W
GUARANTEE = 1  # Z, a guarantor, defends W, a guaranteed member
GUARANTEED = 2  # Z is guaranteed by W and owes nothing back
OFFENSE = 3  # Z joins W's attacks
NEUTRALITY = 4  # Z never joins a war against W
NON_AGGRESSION = 5  # Z never attacks W
ENTENTE = 6  # Z may support W voluntarily
COLLECTIVE = 7  # Z, a member of an organisation that authorised force, defends the victim W
CLAIM = 8  # Z, a member of a treaty W invoked legitimately, joins W
AUTHORISE = 9  # Z, a member of an organisation that authorised action, may join the victim W
SANCTION = 10  # Z, a member of an organisation that decided sanctions, sanctions W's attacker
ARC_KINDS = 11

# OBLIGING[kind]: whether an arc of that kind calls on its source to decide (fight, or sanction)
OBLIGING = np.isin(
    np.arange(ARC_KINDS), [DEFENSE, GUARANTEE, OFFENSE, COLLECTIVE, CLAIM, AUTHORISE, SANCTION]
)
# INSTITUTIONAL[kind]: the arcs of a collective-security decision (autonomy discounts them)
INSTITUTIONAL = np.isin(np.arange(ARC_KINDS), [COLLECTIVE, AUTHORISE, SANCTION])
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

    def concat(self, other: Arcs) -> Arcs:
        return Arcs(
            *(
                np.concatenate([getattr(self, f), getattr(other, f)])
                for f in ("src", "dst", "treaty", "kind", "tie")
            )
        )


TREATY_CODES = {name: code for code, name in enumerate(TREATY_TYPES)}


RESOLUTION_CACHE = 4096  # situations a world remembers the obligation checks of
EXPOSURE_CACHE = 256  # ... and the exposure of (each a vector of its states)


class World:
    """The arrays of one scenario, frozen at compile time (later edits do not reach them)."""

    def __init__(self, scenario: Scenario) -> None:
        with without_gc():
            self._compile_states(scenario)
            self._compile_treaties(scenario)
            self.arcs, self.tie_a, self.tie_b, self.tie_treaty = self._compile_arcs()
        self.tie_alliance = _ALLIANCE_TYPE[self.type_code[self.tie_treaty]]
        # what runs of this world share (a sweep: thousands of runs), filled by the engine as it goes
        # bounded, least recently used first out: what one run computes never depends on what
        # another run of the process met, and a long sweep's memory stays level
        self.resolutions = LRU(RESOLUTION_CACHE)  # obligation checks by situation (sim.obligations)
        self.exposures = LRU(EXPOSURE_CACHE)  # exposure by situation (core.exposure)
        self.alliance_base = None  # the alliance network before any renege or decision (core.metrics)
        self.vulnerable_before: dict = {}  # Jackson & Nei before any war, by gamma
        self.structure_before = None
        self.open_play_candidates: dict = {}  # per revisionist state: whom it may attack (sim.openplay)
        self.open_play_helpers: dict = {}  # ... and who could come to its side

    def _compile_states(self, scenario: Scenario) -> None:
        self.settings = copy.deepcopy(scenario.settings)  # frozen too: a later edit does not reach it
        self.title = scenario.meta.title
        by_id = sorted(scenario.states, key=lambda st: st.id)
        self.ids = [st.id for st in by_id]
        self.names = [st.name for st in by_id]
        self.index = {sid: i for i, sid in enumerate(self.ids)}
        self.n = len(self.ids)
        self.file_order = np.array([self.index[st.id] for st in scenario.states], dtype=np.int64)
        self.file_rank = np.empty(self.n, dtype=np.int64)
        self.file_rank[self.file_order] = np.arange(self.n)
        self.power = np.array([st.power for st in by_id], dtype=np.float64)
        self.total_power = float(self.power.sum())
        self.gdp = np.array([st.economy for st in by_id], dtype=np.float64)
        self.reliability = np.array([st.reliability for st in by_id], dtype=np.float64)
        self.mobilization = np.array([st.mobilization for st in by_id], dtype=np.int64)
        # format-2 fields (MODEL.md v2): each state's breaking point and autonomy
        default_break = float(scenario.settings.break_fraction)
        self.break_fraction = np.array(
            [default_break if st.break_fraction is None else st.break_fraction for st in by_id],
            dtype=np.float64,
        )
        self.autonomy = np.array([st.autonomy for st in by_id], dtype=np.float64)
        self.revisionism = np.array([st.revisionism for st in by_id], dtype=np.float64)
        self.start_date = scenario.meta.start_date

    def _compile_treaties(self, scenario: Scenario) -> None:
        index = self.index.__getitem__
        # treaties too are indexed by id: tie-breaks and draws never depend on the order of the file
        treaties = sorted(scenario.treaties, key=attrgetter("id"))
        count = len(treaties)
        # one pass over the treaty objects (a world may hold a million of them), then plain lists
        rows = [
            (
                t.id,
                t.name,
                t.type,
                t.commitment,
                t.mediation,
                t.conditions,
                t.decision,
                t.members,
                t.guarantors,
            )
            for t in treaties
        ]
        ids, names, types, commitment, mediation, conditions, decisions, members, guarantors = (
            zip(*rows, strict=True) if rows else ((),) * 9
        )
        self.treaty_ids = list(ids)
        self.treaty_names = list(names)
        self.treaty_types = list(types)
        self.type_code = np.fromiter(map(TREATY_CODES.__getitem__, types), np.int64, count)
        self.commitment = np.array(commitment, dtype=np.float64)
        self.mediation = np.array(mediation, dtype=np.float64)
        self.unprovoked_only = np.fromiter(map(attrgetter("unprovoked_only"), conditions), bool, count)
        # members and guarantors as flat arrays with offsets
        self.member_count = np.fromiter(map(len, members), np.int64, count)
        self.member_flat = np.fromiter(map(index, itertools.chain.from_iterable(members)), np.int64)
        self.member_start = np.concatenate([[0], np.cumsum(self.member_count)]).astype(np.int64)
        self.guarantor_count = np.fromiter(map(len, guarantors), np.int64, count)
        self.guarantor_flat = np.fromiter(map(index, itertools.chain.from_iterable(guarantors)), np.int64)
        self.guarantor_start = np.concatenate([[0], np.cumsum(self.guarantor_count)]).astype(np.int64)
        # conditions and decisions that say something are rare: keep only those
        against = list(map(attrgetter("against"), conditions))
        self.against = {k: sorted(map(index, listed)) for k, listed in enumerate(against) if listed}
        self.collective = np.flatnonzero(self.type_code == TREATY_CODES["collective-security"]).tolist()
        self.decision_rule = {k: decisions[k].rule for k in self.collective}
        self.response = {k: decisions[k].response for k in self.collective}
        self.veto = {k: [index(v) for v in decisions[k].veto] for k in self.collective if decisions[k].veto}
        self.has_against = np.zeros(count, dtype=bool)
        self.has_against[list(self.against)] = True
        self._member_arrays: dict[int, np.ndarray] = {}
        self._treaty_index: dict[str, int] | None = None
        # against as flat (treaty, state) pairs, for a vectorised "is a listed enemy at war" test
        pairs = [(k, a) for k, listed in self.against.items() for a in listed]
        self.against_treaty = np.array([p[0] for p in pairs], dtype=np.int64)
        self.against_state = np.array([p[1] for p in pairs], dtype=np.int64)

    def treaty_index(self, treaty_id: str) -> int:
        """The index of a treaty by id (the look-up table is built on first use)."""
        if self._treaty_index is None:
            self._treaty_index = {tid: k for k, tid in enumerate(self.treaty_ids)}
        return self._treaty_index[treaty_id]

    def members(self, k: int) -> np.ndarray:
        """Treaty k's members as a sorted index array."""
        array = self._member_arrays.get(k)
        if array is None:
            array = np.sort(self.member_flat[self.member_start[k] : self.member_start[k + 1]])
            self._member_arrays[k] = array
        return array

    def guarantors(self, k: int) -> np.ndarray:
        return np.sort(self.guarantor_flat[self.guarantor_start[k] : self.guarantor_start[k + 1]])

    def _compile_arcs(self) -> tuple[Arcs, np.ndarray, np.ndarray, np.ndarray]:
        """Ties of every treaty but collective security: bilateral ones vectorised, the rest pair by pair."""
        codes = self.type_code
        guarantee = codes == TREATY_CODES["guarantee"]
        collective = codes == TREATY_CODES["collective-security"]
        pair = ~guarantee & ~collective & (self.member_count == 2)
        single = guarantee & (self.member_count == 1) & (self.guarantor_count == 1)
        k_pair = np.flatnonzero(pair)
        k_single = np.flatnonzero(single)
        parts_a = [
            self.member_flat[self.member_start[k_pair]],
            self.guarantor_flat[self.guarantor_start[k_single]],
        ]
        parts_b = [
            self.member_flat[self.member_start[k_pair] + 1],
            self.member_flat[self.member_start[k_single]],
        ]
        parts_t = [k_pair, k_single]
        for k in np.flatnonzero(~pair & ~single & ~collective).tolist():
            members = self.members(k)
            if guarantee[k]:
                guarantors = self.guarantors(k)
                a, b = np.repeat(guarantors, len(members)), np.tile(members, len(guarantors))
            else:
                first, second = np.triu_indices(len(members), 1)
                a, b = members[first], members[second]
            parts_a.append(a)
            parts_b.append(b)
            parts_t.append(np.full(len(a), k, dtype=np.int64))
        a = np.concatenate(parts_a).astype(np.int64)
        b = np.concatenate(parts_b).astype(np.int64)
        t = np.concatenate(parts_t).astype(np.int64)
        forward = _FORWARD_KIND[codes[t]]
        backward = _BACKWARD_KIND[codes[t]]
        tie = np.arange(len(a), dtype=np.int64)
        arcs = Arcs(
            np.concatenate([a, b]),
            np.concatenate([b, a]),
            np.concatenate([t, t]),
            np.concatenate([forward, backward]).astype(np.int8),
            np.concatenate([tie, tie]),
        )
        return arcs, a, b, t


# whether a treaty type makes alliances (Jackson & Nei), by type code
_ALLIANCE_TYPE = np.array([name in ("defense", "guarantee", "offense") for name in TREATY_TYPES])
# arc kinds of a tie (a, b) by treaty type code: a -> b and b -> a
_FORWARD_KIND = np.array([TYPE_KINDS.get(name, GUARANTEE) for name in TREATY_TYPES], dtype=np.int8)
_BACKWARD_KIND = np.array([TYPE_KINDS.get(name, GUARANTEED) for name in TREATY_TYPES], dtype=np.int8)
