"""RunState: every mutable array of one run, and the change tracking that replay reads.

States are indexed as in the compiled world (by id). A state's ``war`` is the war it
is in or last fought in (-1: none), ``camp`` its camp in that war (1: the camp of the
war's first attacker, reported as side ``aggressor``; 2: the other, ``defender``).
Provocation is read from sequence numbers: every attack of the run gets the next
number, so "before" means an earlier tick or earlier in the same tick's order.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from sandbox.core import world as W

# State status codes (int8 arrays) and their SPEC names.
(
    UNINVOLVED,
    NOT_OBLIGED,
    OBLIGED,
    MOBILIZING,
    BELLIGERENT,
    DEFEATED,
    RENEGED,
    NEUTRAL,
    DECLINED,
    SANCTIONING,
) = range(10)
# why an alliance tie did not apply (obligations decides it, narration.not_obliged_text tells it)
NOT_ATTACKED, NOT_LISTED, PROVOKED, NOT_OWN_ATTACK, INSIDE = range(5)
STATUS_NAMES = (
    "uninvolved",
    "not-obliged",
    "obliged",
    "mobilizing",
    "belligerent",
    "defeated",
    "reneged",
    "neutral",
    "declined",
    "sanctioning",
)
AGGRESSOR, DEFENDER = 1, 2
SIDE_NAMES = (None, "aggressor", "defender")
TIE_STATUS_NAMES = (
    "idle",
    "obliged",
    "mobilizing",
    "honoured",
    "reneged",
    "not-obliged",
    "violation",
    "vetoed",
)
T_IDLE, T_OBLIGED, T_MOBILIZING, T_HONOURED, T_RENEGED, T_NOT_OBLIGED, T_VIOLATION, T_VETOED = range(8)
RESULTS = (
    "aggressor-victory",
    "aggressor-defeated",
    "stalemate",
    "deterred",
    "ceasefire",
    "settled",
    "peace",
)
NEVER = np.iinfo(np.int64).max  # a sequence number no attack reaches

# how a state entered its war: attacked into it, attacking on its own initiative, or by a decision
ENTRY_NONE, ENTRY_TARGET, ENTRY_OWN, ENTRY_DECIDED = range(4)


class LogEvent(NamedTuple):
    """One narrated event: ids (or None) of the states and treaty it concerns."""

    tick: int
    kind: str
    text: str
    state: str | None = None
    treaty: str | None = None
    ally: str | None = None
    other: str | None = None
    p: float | None = None  # the honour probability of a decision (honor, renege, declined, sanction)
    # who took a decision: None for the model, else {"participant": NAME, "model_choice": "honour" | "renege"}
    by: dict | None = None


@dataclass
class War:
    """One war: its first attack names the camps; ``merged_into`` is the war that absorbed it."""

    id: int
    aggressor: int
    defender: int
    started_tick: int
    ended_tick: int | None = None
    result: str | None = None
    merged_into: int | None = None
    merged_seq: int = NEVER
    # per mediating treaty: ticks of combat in which its members fought on opposite camps
    mediation_ticks: dict[int, int] = field(default_factory=dict)
    # collective-security decisions taken in this war: (treaty, victim) pairs
    decided: set[tuple[int, int]] = field(default_factory=set)
    # sanctions in force: the camp under sanctions, and the sanctioning states
    sanctioned_camp: int = 0
    sanctioners: list[int] = field(default_factory=list)
    end_text: str | None = None

    @property
    def ongoing(self) -> bool:
        return self.result is None and self.merged_into is None

    def copy(self) -> War:
        """An independent copy (its containers copied): deepcopy's cost dominated a dry run's."""
        return replace(
            self,
            mediation_ticks=dict(self.mediation_ticks),
            decided=set(self.decided),
            sanctioners=list(self.sanctioners),
        )


class Attack(NamedTuple):
    """An attack made on the attacker's own initiative (scripted, planned, open play)."""

    seq: int
    tick: int
    attacker: int
    target: int


class RunState:
    """The mutable arrays of a run. Phases change it; narration and views only read it."""

    def __init__(self, world: W.World, *, mode: str, record: bool, seed: int, settings: Any) -> None:
        self.world = w = world
        n = w.n
        self.mode = mode
        self.record = record
        self.predicting = False  # a deterrence dry run on a copy (deterrence.py)
        self.rng = np.random.default_rng(seed) if mode == "stochastic" else None
        self.honor_threshold = float(settings.honor_threshold)
        self.gamma = float(settings.attacker_disadvantage)
        self.attrition = float(settings.attrition)
        self.entente_support = float(settings.entente_support)
        self.defense_advantage = float(settings.defense_advantage)
        self.exhaustion = float(settings.exhaustion)
        self.sanctions_effect = float(settings.sanctions_effect)
        self.days_per_tick = int(settings.days_per_tick)
        self.max_ticks = int(settings.max_ticks)
        self.deterrence = bool(settings.deterrence)

        self.status = np.zeros(n, dtype=np.int8)
        self.camp = np.zeros(n, dtype=np.int8)
        self.war = np.full(n, -1, dtype=np.int64)
        self.active = np.zeros(n, dtype=bool)  # fighting or mobilising in an ongoing war
        self.strength = w.power.copy()
        self.cost = np.zeros(n)
        self.losses = np.zeros(n)
        self.perceived = w.reliability.copy()
        # decisions use true reliabilities; a deterrence dry run uses the perceived ones
        self.reliability = w.reliability
        # what a state brings to its camp, as a share: 1 in a run, a chance in a stochastic prediction
        self.weight = np.ones(n)
        (
            self.entered,  # the tick it began fighting
            self.committed,  # the tick it decided to fight (or was attacked)
            self.reason_treaty,
            self.reason_ally,
            self.reason_tie,  # the tie of its reason, marked honoured when it arrives
            self.first_striker,  # the state whose attack on it came first in its war
            self.decided_war,  # the war in which it decided (-1: none yet)
            self.entente_war,  # the war in which it considered voluntary support
        ) = np.full((8, n), -1, dtype=np.int64)
        self.reason_kind = np.full(n, -1, dtype=np.int8)
        self.entry = np.zeros(n, dtype=np.int8)
        self.voluntary = np.zeros(n, dtype=bool)
        self.own_attacker = np.zeros(n, dtype=bool)  # attacked on its own initiative in its war
        (self.entry_seq, self.first_strike, self.first_struck, self.defeat_seq) = np.full(
            (4, n), NEVER, dtype=np.int64
        )
        self.seq = 0
        self.own_attacks: list[Attack] = []
        self.wars: list[War] = []
        self.arriving: dict[int, list[int]] = {}

        # ties and arcs: the compiled ones, then those that decisions and claims add
        self.arcs = w.arcs
        self.tie_a = np.asarray(w.tie_a, dtype=np.int64)
        self.tie_b = np.asarray(w.tie_b, dtype=np.int64)
        self.tie_treaty = np.asarray(w.tie_treaty, dtype=np.int64)
        self.tie_status = np.zeros(len(self.tie_a), dtype=np.int8)
        self.extra_alliance: list[tuple[np.ndarray, np.ndarray]] = []
        self.static_arcs = len(w.arcs.src)  # arcs past this index were added in the run, for one war
        self.extra_war = np.zeros(0, dtype=np.int64)
        self.legitimacy = np.ones(len(w.treaty_ids))
        # (treaty, state) -> factor on the commitment of that treaty's members towards the state
        self.commitment_towards: dict[tuple[int, int], float] = {}

        # counts and records
        self.events: list[LogEvent] = []
        self.new_events: list[LogEvent] = []
        self.attacks: list[dict[str, Any]] = []
        self.pretexts: list[dict[str, Any]] = []
        self.honoured = self.reneged = self.deterred = self.settled = self.fired = 0
        self.treaty_obliged = np.zeros(len(w.treaty_ids), dtype=np.int64)
        self.treaty_honoured = np.zeros(len(w.treaty_ids), dtype=np.int64)
        self.dirty = False  # something changed that obligations must look at
        self.network_dirty = True
        self.why: dict[int, str] = {}  # the sentence that explains a state's status, by state
        self.not_obliged_by: dict[int, list] = {}  # the ties that last failed to oblige each state
        self.defeat_tick: dict[int, int] = {}
        self.defeat_kind: dict[int, str] = {}
        # open play (sim.openplay): each revisionist's last weighing, disputes settled, whom it held back from
        self.open_play_cache: dict[int, tuple] = {}
        self.open_play_settled: set[tuple[int, int]] = set()
        self.held_back: dict[int, int] = {}
        self.threats: list[dict[str, Any]] = []
        self.ticks_at_war = 0
        # change tracking for snapshots (recorder.py)
        self.changed: list[np.ndarray] = []
        self.changed_ties: list[np.ndarray] = []
        self.struck = np.zeros(0, dtype=np.int64)

    # -- reading ---------------------------------------------------------------

    def in_war(self, i: int) -> bool:
        return bool(self.active[i])

    def war_of(self, i: int) -> War | None:
        return self.wars[self.war[i]] if self.active[i] else None

    def ongoing_wars(self) -> list[War]:
        return [war for war in self.wars if war.ongoing]

    def free(self) -> np.ndarray:
        """States that may still decide: in no ongoing war, not defeated."""
        return ~self.active & (self.status != DEFEATED)

    def worth(self) -> np.ndarray:
        """What each active state brings to its camp: fighters their strength, mobilising states their
        power (a chance-weighted prediction counts them as far as they are expected to come)."""
        worth = np.where(self.status == MOBILIZING, self.world.power, self.strength) * self.weight
        return worth * self.active

    def camp_totals(self) -> np.ndarray:
        """Worth per (war, camp): row w, column camp (1, 2)."""
        totals = np.zeros((max(len(self.wars), 1), 3))
        idx = np.flatnonzero(self.active)
        np.add.at(totals, (self.war[idx], self.camp[idx]), self.worth()[idx])
        return totals

    # -- changing --------------------------------------------------------------

    def set_states(self, states, status, camp, war=None) -> None:
        states = np.atleast_1d(np.asarray(states, dtype=np.int64))
        if not len(states):
            return
        self.status[states] = status
        self.camp[states] = camp
        if war is not None:
            self.war[states] = war
        self.active[states] = (self.status[states] == MOBILIZING) | (self.status[states] == BELLIGERENT)
        if self.record:
            self.changed.append(states)
        self.dirty = True

    def set_ties(self, ties, status: int) -> None:
        ties = np.atleast_1d(np.asarray(ties, dtype=np.int64))
        self.tie_status[ties] = status
        if self.record:
            self.changed_ties.append(ties)

    def add_ties(self, k: int, src: np.ndarray, dst, kind: int, status: int, *, war: int, arcs: bool) -> None:
        """New ties of treaty k for one war (an authorised decision, a legitimate claim or a veto)."""
        src = np.asarray(src, dtype=np.int64)
        dst = np.broadcast_to(np.asarray(dst, dtype=np.int64), src.shape).copy()
        first = len(self.tie_a)
        self.tie_a = np.concatenate([self.tie_a, dst])
        self.tie_b = np.concatenate([self.tie_b, src])
        self.tie_treaty = np.concatenate([self.tie_treaty, np.full(len(src), k, dtype=np.int64)])
        self.tie_status = np.concatenate([self.tie_status, np.full(len(src), status, dtype=np.int8)])
        if self.record and status != T_IDLE:
            self.changed_ties.append(np.arange(first, first + len(src)))
        if arcs:
            self.arcs = self.arcs.concat(arcs_to(src, dst, k, kind, first))
            self.extra_war = np.concatenate([self.extra_war, np.full(len(src), war, dtype=np.int64)])
            if kind == W.COLLECTIVE:
                self.extra_alliance.append((src, dst))
                self.network_dirty = True
            self.dirty = True

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def log(self, t: int, kind: str, text: str, state=None, *, treaty=None, ally=None, other=None) -> None:
        w = self.world
        self.new_events.append(
            LogEvent(
                t,
                kind,
                text if self.record else "",
                None if state is None else w.ids[state],
                None if treaty is None else w.treaty_ids[treaty],
                None if ally is None else w.ids[ally],
                None if other is None else w.ids[other],
            )
        )

    def copy(self) -> RunState:
        """An independent copy for a dry run: arrays copied, the world shared, nothing recorded."""
        other = copy.copy(self)
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                setattr(other, name, value.copy())
        other.wars = [war.copy() for war in self.wars]
        other.own_attacks = list(self.own_attacks)
        other.arriving = {t: list(v) for t, v in self.arriving.items()}
        other.commitment_towards = dict(self.commitment_towards)
        other.extra_alliance = list(self.extra_alliance)
        other.events, other.new_events, other.attacks, other.pretexts = [], [], [], []
        other.why, other.defeat_tick, other.defeat_kind = {}, {}, {}
        other.not_obliged_by = dict(self.not_obliged_by)
        other.changed, other.changed_ties = [], []
        other.record = False
        other.rng = None
        return other


def arcs_to(src: np.ndarray, dst: np.ndarray, k: int, kind: int, first_tie: int) -> W.Arcs:
    n = len(src)
    return W.Arcs(
        np.asarray(src, dtype=np.int64),
        np.asarray(dst, dtype=np.int64),
        np.full(n, k, dtype=np.int64),
        np.full(n, kind, dtype=np.int8),
        np.arange(first_tie, first_tie + n, dtype=np.int64)
        if first_tie >= 0
        else np.full(n, -1, dtype=np.int64),
    )


def contains(sorted_ids: np.ndarray, i: int) -> bool:
    pos = np.searchsorted(sorted_ids, i)
    return bool(pos < len(sorted_ids) and sorted_ids[pos] == i)


EMPTY = np.zeros(0, dtype=np.int64)
