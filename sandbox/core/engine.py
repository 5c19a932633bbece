"""The simulation engine: MODEL.md, tick by tick.

What a caller may rely on (the README quotes this):

- **Ticks.** The first :meth:`Simulation.step` processes tick 0 (events with
  tick 0 fire), so after k steps ``tick == k``. ``recorder.series["tick"]`` holds
  the processed ticks; the report's ``ended_tick`` is the last one. At most
  ``max_ticks`` ticks are processed; a war still on then is a ``stalemate``.
- **Finishing.** With no war on and no scripted attack left to fire, the run
  finishes at the end of the current tick: ``peace`` if no attack ever happened,
  ``deterred`` if every attack was deterred, else the last war's result. A war
  ends when a side has no member fighting or mobilising (``aggressor-victory``
  or ``aggressor-defeated``; both sides broken in the same tick is a
  ``stalemate`` of exhaustion, narrated as such: no side prevailed), when a treaty
  mediates a ``ceasefire``, or at ``max_ticks`` (``stalemate``).
- **Several wars.** When a war ends and scripted attacks remain for ticks
  before ``max_ticks``, a ``war-end`` event is logged and the run goes on with quiet
  ticks (recorded like any other); a later attack opens a new war with fresh
  sides. Capitulated states stay ``defeated`` (they cannot fight again);
  everyone else becomes ``uninvolved`` and decides afresh, keeping its strength,
  costs and perceived reliability; the ties of authorised decisions and claims
  lapse, plans may fire again. ``wars`` (and the report's ``outcome.wars``, an
  extension of SPEC) lists ``{started_tick, ended_tick, result}`` per war;
  ``result`` is the last war's.
- **One war, two sides.** An attack between two states outside the war puts the
  aggressor on the aggressor side and the target on the defender side; an
  outsider attacking a belligerent joins the side opposite its target, and a
  belligerent attacking an outsider (a plan) brings the target in on the other
  side. Attacker and target fight from the tick of the attack. An attack by or
  on a defeated state, or between two states already at war, does nothing (a
  scripted one logs a ``no-effect`` event that says why).
- **Within a tick:** arrivals of mobilised states; scripted attacks, then plans
  (a plan fires once per war, when its state is fighting and ``on_war_with`` is on the
  other side); collective-security decisions and claims as each attack fires;
  obligations and decisions; combat (from the tick after the war began);
  capitulations; mediation; metrics.
- **Obligations** are checked for states not yet in the war (uninvolved or
  not-obliged) against partners in the war (fighting or mobilising; a
  mobilising state also keeps its side alive). Everyone obliged in a tick
  decides at once, on the sides as they stand (fighters at their strength,
  mobilising states at their power; S_own includes the deciding state); those
  they bring in can oblige others from the next tick. A state decides once per
  war: honour (``mobilizing`` for its mobilisation ticks, then ``belligerent``;
  mobilisation 0 enters at once), renege, or ``neutral`` (obligations to both
  sides, or a ``neutrality`` partner on the side it would fight). Where several
  treaties oblige it to one side, the one with the highest commitment (then the
  first in the file) is its reason. ``against`` applies to defense, guarantee
  and offense treaties: a listed state must be in the war on the other side.
  Cross-pressure (a tie of another treaty, not collective security, to a state
  on the side it would fight) halves the honour probability once. A partner
  whose obligating treaty does not apply (yet) is ``not-obliged``; joining the
  war against a ``non-aggression`` partner is a ``violation`` (so is attacking one).
- **Entente** support is considered once per war per state, when an entente
  partner is on the defender side and the state is not obliged: it joins with
  probability r x c x entente_support (deterministic: iff that reaches the
  honour threshold).
- **Deterministic mode** makes no random draws: honour iff p >= honor_threshold;
  mediation brings a ceasefire at the first tick at which 1-(1-m)^k >= 0.5, k the
  ticks two members have fought each other. **Stochastic mode** draws from one
  ``numpy.random.Generator(seed)``: each tick, one draw per deciding state in the
  order of state ids, then one per mediating treaty in file order.
- **Reliability.** Decisions use a state's true reliability; deterrence
  predictions use the perceived one, which halves after a renege or a pretext.
- **Deterrence** (scripted attacks and ``attacks=``; plans are not deterred):
  :func:`preview_attack` predicts the cascade from the situation at the moment of
  the attack, wave by wave, counting each obliged state as p x M on the side it
  would join (perceived reliability; cross-pressure, neutrality, collective
  security, plans and entente support included; as in the run, an obligation
  found in a later wave replaces a state's voluntary support); the attack fires iff
  ``attacker_strength > attacker_disadvantage x expected_defense``. The report
  gives both numbers for every attack, also when deterrence is off.
- **Collective security**: decided when one member attacks another; an
  authorised decision obliges every other member to defend the victim (those
  ties are added then, never expanded beforehand); a blocked one is a ``veto``.
- **Claims**: an attack claiming treaty T is legitimate if its target was
  already fighting on the aggressor side against a member of T and, for
  collective security, T's decision rule authorises action with the target as
  the aggressor (a target that attacked no member gives the organisation nothing
  to authorise). Then T's other members are obliged to join the claimant.
  Otherwise it is a ``pretext``: the attack happens, nobody is obliged, and the
  claimant's perceived reliability halves.
- **Combat**: Lanchester square law; a side loses attrition x S_enemy per tick,
  shared in proportion to strength (never below zero); a state's cost grows each
  tick by its strength at the start of the tick plus its losses. A state below
  break_fraction of its power capitulates (``defeated``, keeping its side).
- **Metrics** per tick: ``belligerents`` (states fighting), ``power_balance``
  S_A / (S_A + S_D) of fighting strengths (0.5 when nobody fights), ``cohesion``
  honoured / (honoured + reneged) (1.0 before any decision), ``vulnerable_states``
  (Jackson & Nei on the alliance network, recomputed only when it changes),
  ``stability`` (1 - share of world power fighting) x (1 - vulnerable / N),
  ``strength_aggressor``, ``strength_defender``.
- ``Simulation(scenario, world=compile_world(scenario))`` reuses a compiled
  scenario (it must be compiled from that same scenario); runs never change it.
- ``Simulation(..., record=False)`` skips narration text, past snapshots
  (``snapshot()`` gives the current tick only), the ``why`` sentences and the
  deterrence numbers of attacks when deterrence is off (for fast Monte Carlo);
  results, events, counts and metrics are the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from sandbox.core import world as W
from sandbox.core.gc_pause import without_gc
from sandbox.core.metrics import Structure, alliance_network, structure_of, vulnerable_mask
from sandbox.core.scenario import Scenario

# State status codes (int8 arrays) and their SPEC names.
UNINVOLVED, NOT_OBLIGED, OBLIGED, MOBILIZING, BELLIGERENT, DEFEATED, RENEGED, NEUTRAL = range(8)
STATUS_NAMES = (
    "uninvolved",
    "not-obliged",
    "obliged",
    "mobilizing",
    "belligerent",
    "defeated",
    "reneged",
    "neutral",
)
AGGRESSOR, DEFENDER = 1, 2
SIDE_NAMES = (None, "aggressor", "defender")
# Tie status codes.
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

RESULTS = ("aggressor-victory", "aggressor-defeated", "stalemate", "deterred", "ceasefire", "peace")


class LogEvent(NamedTuple):
    """One narrated event: ids (or None) of the states and treaty it concerns."""

    tick: int
    kind: str
    text: str
    state: str | None = None
    treaty: str | None = None
    ally: str | None = None
    other: str | None = None


@dataclass(frozen=True, slots=True)
class StateView:
    status: str
    side: str | None
    strength: float
    power: float
    entered_tick: int | None
    reason: dict[str, Any] | None
    why: str


@dataclass(frozen=True, slots=True)
class TieView:
    treaty: str
    a: str
    b: str
    status: str


@dataclass
class DeterrencePreview:
    """The aggressor's prediction of the cascade an attack would set off."""

    attacker_strength: float
    expected_defense: float
    deterred: bool
    aggressor_side: dict[str, float] = field(default_factory=dict)
    defender_side: dict[str, float] = field(default_factory=dict)


class Recorder:
    """Per-tick metrics; ``series`` gives one numpy array per metric."""

    NAMES = (
        "tick",
        "stability",
        "belligerents",
        "power_balance",
        "vulnerable_states",
        "cohesion",
        "strength_aggressor",
        "strength_defender",
    )

    def __init__(self) -> None:
        self._rows: list[tuple[float, ...]] = []
        self._series: dict[str, np.ndarray] | None = None

    def append(self, row: tuple[float, ...]) -> None:
        self._rows.append(row)
        self._series = None

    @property
    def series(self) -> dict[str, np.ndarray]:
        if self._series is None:
            table = np.array(self._rows, dtype=np.float64).reshape(len(self._rows), len(self.NAMES))
            self._series = {name: table[:, k].copy() for k, name in enumerate(self.NAMES)}
            for name in ("tick", "belligerents", "vulnerable_states"):
                self._series[name] = self._series[name].astype(np.int64)
        return self._series


class Snapshot:
    """The run as it stood after one tick. ``states`` builds its views on demand, ``ties``
    on first access: every treaty tie, plus the collective-security ties that became active.

    For readers of every state at once (a canvas colouring 2,000 discs a tick), without building
    each view's "why" sentence: ``ids`` is the tuple of state ids, and ``status_codes`` and
    ``side_codes`` are read-only int8 arrays in that order, decoded by ``STATUS_NAMES[code]`` and
    ``SIDE_NAMES[code]`` (the same names as ``states[id].status`` and ``.side``). A snapshot of the
    current tick of a run made with ``record=False`` shares the run's arrays: read them before the
    next ``step()``."""

    def __init__(self, sim: Simulation, tick: int, status, side, strength, tie_status) -> None:
        self.tick = tick
        self.states = _StateViews(sim, tick, status, side, strength)
        self.ids: tuple[str, ...] = tuple(sim.world.ids)
        self.status_codes, self.side_codes = _read_only(status), _read_only(side)
        # the tie arrays are replaced, never changed in place, when ties are added: these stay valid
        self._tie_arrays = (sim._tie_treaty, sim._tie_a, sim._tie_b, tie_status)
        self._world = sim.world
        self._ties: list[TieView] | None = None

    @property
    def ties(self) -> list[TieView]:
        if self._ties is None:
            treaty, a, b, status = self._tie_arrays
            shown = np.arange(len(status))
            shown = shown[(shown < len(self._world.tie_a)) | (status != T_IDLE)]
            w = self._world
            self._ties = [
                TieView(w.treaty_ids[k], w.ids[x], w.ids[y], TIE_STATUS_NAMES[code])
                for k, x, y, code in zip(
                    treaty[shown].tolist(),
                    a[shown].tolist(),
                    b[shown].tolist(),
                    status[shown].tolist(),
                    strict=True,
                )
            ]
        return self._ties


def _read_only(codes: np.ndarray) -> np.ndarray:
    view = codes.view()
    view.flags.writeable = False  # a view: the caller cannot change the run through it
    return view


class _StateViews(Mapping):
    def __init__(self, sim: Simulation, tick: int, status, side, strength) -> None:
        self._sim, self._tick = sim, tick
        self._status, self._side, self._strength = status, side, strength

    def __getitem__(self, state_id: str) -> StateView:
        sim = self._sim
        i = sim.world.index[state_id]
        status = int(self._status[i])
        entered = int(sim._entered[i])
        in_war = status in (MOBILIZING, BELLIGERENT, DEFEATED)
        return StateView(
            STATUS_NAMES[status],
            SIDE_NAMES[int(self._side[i])],
            float(self._strength[i]),
            float(sim.world.power[i]),
            entered if in_war and 0 <= entered <= self._tick else None,
            sim._reason(i) if in_war else None,
            sim._why(i, status, self._tick),
        )

    def __iter__(self) -> Iterator[str]:
        ids = self._sim.world.ids
        return (ids[i] for i in self._sim.world.file_order.tolist())

    def __len__(self) -> int:
        return self._sim.world.n


@dataclass
class _Resolution:
    """What a round of obligation checks found (arrays over the states it concerns)."""

    obliged: np.ndarray  # states obliged to exactly one side, not blocked
    side: np.ndarray  # the side each would join
    arc: np.ndarray  # the arc (treaty, ally) that obliges each
    cross: np.ndarray  # bool: cross-pressure halves its probability
    neutral: np.ndarray  # states pulled both ways or held back by a neutrality treaty
    neutral_arc: np.ndarray  # an arc explaining each neutral state
    not_obliged_arcs: np.ndarray  # arcs of obliging treaties that did not apply (source not obliged)
    entente: np.ndarray  # states that may support an entente partner voluntarily
    entente_arc: np.ndarray
    violation_arcs: np.ndarray  # non-aggression arcs an obliged state would break by joining
    # derived from the above, once per resolution (a remembered one serves many runs)
    treaty: np.ndarray  # the treaty that obliges each obliged state
    commitment: np.ndarray  # its commitment
    entente_commitment: np.ndarray  # the commitment of each entente candidate's arc
    not_obliged_states: np.ndarray  # the states of not_obliged_arcs, each once, in id order
    not_obliged_first: np.ndarray  # the first of their arcs, for each


class Simulation:
    """One run of a scenario (see the module docstring for the rules it follows)."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        attacks: list[tuple[str, str]] | None = None,
        seed: int | None = None,
        mode: str | None = None,
        deterrence: bool | None = None,
        max_ticks: int | None = None,
        record: bool = True,
        world: W.World | None = None,
    ) -> None:
        settings = scenario.settings
        # a world compiled once (compile_world) serves any number of runs: runs never change it
        self.world = w = W.World(scenario) if world is None else world
        self.seed = int(settings.seed if seed is None else seed)
        self.mode = settings.mode if mode is None else mode
        self.deterrence = bool(settings.deterrence if deterrence is None else deterrence)
        self.max_ticks = int(settings.max_ticks if max_ticks is None else max_ticks)
        self.gamma = float(settings.attacker_disadvantage)
        self.honor_threshold = float(settings.honor_threshold)
        self.attrition = float(settings.attrition)
        self.break_fraction = float(settings.break_fraction)
        self.entente_support = float(settings.entente_support)
        self.record = record
        self.rng = np.random.default_rng(self.seed) if self.mode == "stochastic" else None

        if attacks is None:
            scripted = [
                (e.tick, e.aggressor, e.target, e.claim) for e in scenario.events if e.type == "attack"
            ]
        else:
            scripted = [(0, a, b, None) for a, b in attacks]
        for _, a, b, _ in scripted:
            if a not in w.index or b not in w.index:
                raise ValueError(f"attack names an unknown state: {a}:{b}")
        # stable sort: attacks of one tick fire in the order given
        self._pending = sorted(
            ((t, w.index[a], w.index[b], c) for t, a, b, c in scripted), key=lambda item: item[0]
        )
        self._plans = [
            (w.index[p.state], w.index[p.on_war_with], [w.index[x] for x in p.also_attack])
            for p in scenario.plans
        ]
        self._plan_fired = [False] * len(self._plans)

        n = w.n
        self.status = np.zeros(n, dtype=np.int8)
        self.side = np.zeros(n, dtype=np.int8)
        self.strength = w.power.copy()
        self.cost = np.zeros(n)
        self.losses = np.zeros(n)
        self.perceived = w.reliability.copy()
        # six per-state arrays of -1 (none yet), as rows of one allocation; _committed: the tick it
        # decided to fight (or was attacked)
        (
            self._entered,
            self._committed,
            self._arrive,
            self._reason_treaty,
            self._reason_ally,
            self._attacked_by,
        ) = np.full((6, n), -1, dtype=np.int64)
        self._voluntary = np.zeros(n, dtype=bool)
        self._intervener = np.zeros(n, dtype=bool)
        self._attacker = np.zeros(n, dtype=bool)
        self._entente_done = np.zeros(n, dtype=bool)
        # the sentences that explain a state's status (StateView.why), by state
        self._decision_text: dict[int, str] = {}
        self._not_obliged_text: dict[int, str] = {}
        self._defeat_tick: dict[int, int] = {}
        self._arriving: dict[int, list[int]] = {}  # tick -> states whose mobilisation ends then
        self._stale = True  # the fighter index arrays below need rebuilding
        self._attackers = self._defenders = np.zeros(0, dtype=np.int64)
        self._alive = [False, False, False]  # per side: anyone fighting or mobilising
        self._fighting_power = 0.0
        # the fighters of both sides in one array, which of them are aggressors, and where each breaks
        self._fighting, self._on_aggressor_side, self._breaking_point = _EMPTY, _NO, np.zeros(0)
        self._struck = np.zeros(0, dtype=np.int64)  # states whose strength changed this tick

        self.arcs = w.arcs
        self._tie_a = np.asarray(w.tie_a, dtype=np.int64)
        self._tie_b = np.asarray(w.tie_b, dtype=np.int64)
        self._tie_treaty = np.asarray(w.tie_treaty, dtype=np.int64)
        self.tie_status = np.zeros(len(self._tie_a), dtype=np.int8)
        self._extra_alliance: list[tuple[np.ndarray, np.ndarray]] = []  # authorised collective-security ties

        self.tick = 0
        self.finished = False
        self.result: str | None = None
        self.events: list[LogEvent] = []
        self.attacks: list[dict[str, Any]] = []
        self.pretexts: list[dict[str, Any]] = []
        self.recorder = Recorder()
        self.honoured = 0
        self.reneged = 0
        # per treaty (file order): states it obliged, and those of them that honoured it
        self.treaty_obliged = np.zeros(len(w.treaty_ids), dtype=np.int64)
        self.treaty_honoured = np.zeros(len(w.treaty_ids), dtype=np.int64)
        self.deterred = 0
        self.fired = 0
        self.war_on = False
        self._war_start = -1
        self._war_result: str | None = None  # set when the war in progress ends
        self._war_end_text: str | None = None  # set when that end needs its own sentence
        self.wars: list[dict[str, Any]] = []  # {started_tick, ended_tick, result} per war, in order
        self._mediation_ticks = np.zeros(len(w.treaty_ids), dtype=np.int64)
        self._mediators = np.flatnonzero(w.mediation > 0)
        self._dirty = False
        self._network_dirty = True
        self._vulnerable = 0
        self._structure_cache = None
        self._initial_vulnerable: np.ndarray | None = None

        # per-tick deltas for snapshots: (tick, changed states, their status, side; fighters, strengths; ties)
        self._changed: list[int] = []
        self._changed_many: list[np.ndarray] = []
        self._changed_ties: list[np.ndarray] = []
        self._deltas: list[tuple] = []
        self._new_events: list[LogEvent] = []

    # -- public API -----------------------------------------------------------

    def step(self) -> list[LogEvent]:
        """Process one tick; returns its new events (none once finished)."""
        if self.finished:
            return []
        t = self.tick
        self._new_events = []
        with without_gc():
            self._arrivals(t)
            self._fire_attacks(t)
            self._obligations(t)
            if self.war_on and t > self._war_start:
                self._combat(t)
            self._record(t)
            self.tick = t + 1
            self._check_finish(t)
        self.events.extend(self._new_events)
        return self._new_events

    def run(self) -> Simulation:
        """Step until finished; returns the simulation."""
        while not self.finished:
            self.step()
        return self

    def snapshot(self, tick: int | None = None) -> Snapshot:
        """The run as it stood after ``tick`` (default: the last processed tick)."""
        last = self.tick - 1
        tick = last if tick is None else min(int(tick), last)
        status = np.zeros(self.world.n, dtype=np.int8)
        side = np.zeros(self.world.n, dtype=np.int8)
        strength = self.world.power.copy()
        ties = np.zeros(len(self._tie_a), dtype=np.int8)
        if not self.record and tick != last:
            raise ValueError("snapshots of past ticks need record=True")
        if not self.record:
            return Snapshot(self, tick, self.status, self.side, self.strength, self.tie_status)
        for dtick, idx, st, sd, fighters, strengths, tidx, tst in self._deltas:
            if dtick > tick:
                break
            status[idx], side[idx] = st, sd
            strength[fighters] = strengths
            ties[tidx] = tst
        return Snapshot(self, tick, status, side, strength, ties[: len(self._tie_a)])

    def fought(self) -> int:
        """How many states are fighting or have capitulated (a sweep row's ``belligerents``)."""
        return int(np.count_nonzero((self.status == BELLIGERENT) | (self.status == DEFEATED)))

    def report(self) -> dict[str, Any]:
        """SPEC.md's run report."""
        from sandbox.core.report import build_report

        return build_report(self)

    def structure(self) -> Structure:
        """Jackson & Nei structure of the treaty network before any war (computed once)."""
        if self._structure_cache is None:
            self._structure_cache = structure_of(self.world, self._initial_vulnerable)
        return self._structure_cache

    def preview(self, aggressor: str, target: str) -> DeterrencePreview:
        """Deterrence prediction for an attack launched now (see :func:`preview_attack`)."""
        w = self.world
        return self._predict(w.index[aggressor], w.index[target], None)

    # -- per-tick phases --------------------------------------------------------

    def _arrivals(self, t: int) -> None:
        for i in self._arriving.pop(t, []):
            self._set(i, BELLIGERENT, self.side[i])
            if self._reason_treaty[i] >= 0:
                self._set_ties(self._reason_tie(i), T_HONOURED)
            text = (
                f"{self._name(i)} completes mobilisation and enters the war on the "
                f"{SIDE_NAMES[self.side[i]]} side."
                if self.record
                else ""
            )
            self._log(t, "arrival", text, i)

    def _fire_attacks(self, t: int) -> None:
        while self._pending and self._pending[0][0] == t:
            _, a, b, claim = self._pending.pop(0)
            self._attack(t, a, b, claim, planned=False)
        fired = True
        while fired:
            fired = False
            for k, (state, enemy, targets) in enumerate(self._plans):
                if self._plan_fired[k] or self.status[state] != BELLIGERENT:
                    continue
                if not self._in_war(enemy) or self.side[enemy] != 3 - self.side[state]:
                    continue
                self._plan_fired[k] = fired = True
                for target in targets:
                    self._attack(t, state, target, None, planned=True, plan_enemy=enemy)

    def _attack(
        self, t: int, a: int, b: int, claim: str | None, *, planned: bool, plan_enemy: int = -1
    ) -> None:
        w = self.world
        idle = self._idle_attack(a, b, claim)
        if idle is not None:
            if not planned:  # a scripted attack the user wrote: say why it changes nothing
                self._log(t, "no-effect", idle if self.record else "", a, other=b)
            return
        entry: dict[str, Any] = {"tick": t, "aggressor": w.ids[a], "target": w.ids[b], "deterred": False}
        if claim is not None:
            entry["claim"] = claim
        if planned:
            entry["planned"] = True
        deterrable = self.deterrence and not planned
        # the report shows what deterrence would have said even when it is off (--no-deterrence)
        if deterrable or self.record:
            preview = self._predict(a, b, claim)
            entry.update(
                attacker_strength=preview.attacker_strength, expected_defense=preview.expected_defense
            )
            if deterrable and preview.deterred:
                entry["deterred"] = True
                self.attacks.append(entry)
                self.deterred += 1
                text = self._text_deterred(a, b, preview) if self.record else ""
                self._log(t, "deterred", text, a, other=b)
                return
        self.attacks.append(entry)
        self.fired += 1
        if planned:
            text = (
                f"{self._name(a)} attacks {self._name(b)}: its war plan against {self._name(plan_enemy)} "
                f"goes through {self._name(b)}."
            )
        else:
            text = f"{self._name(a)} attacks {self._name(b)}."
        self._log(t, "attack", text, a, other=b)
        for k in self._ties_between(a, b, W.NON_AGGRESSION):
            self._set_ties(np.array([k]), T_VIOLATION)
            tr = int(self._tie_treaty[k])
            self._log(
                t,
                "violation",
                f"{self._name(a)} violates {self._tname(tr)} by attacking {self._name(b)}.",
                a,
                treaty=tr,
                other=b,
            )

        side_a = int(self.side[a]) if self._in_war(a) else 0
        side_b = int(self.side[b]) if self._in_war(b) else 0
        if not self.war_on:
            self.war_on, self._war_start = True, t
        side_b_before = side_b
        if side_a == 0 and side_b == 0:
            side_a, side_b = AGGRESSOR, DEFENDER
        elif side_a == 0:
            side_a = 3 - side_b
            self._intervener[a] = True
        else:
            side_b = 3 - side_a
        if not self._in_war(a):
            self._join(t, a, side_a)
        if not self._in_war(b):
            self._join(t, b, side_b)
            self._attacked_by[b] = a
        self._attacker[a] = True
        self._dirty = True
        self._collective_security(t, a, b)
        if claim is not None:
            self._claim(t, a, b, w.treaty_index(claim), side_b_before)

    def _idle_attack(self, a: int, b: int, claim: str | None) -> str | None:
        """Why an attack a -> b changes nothing (None: it does something): a defeated state cannot
        fight again, and two states already in the war stay as they are."""
        if self.status[a] == DEFEATED or self.status[b] == DEFEATED:
            loser = a if self.status[a] == DEFEATED else b
            attack = f"{self._name(a)} attacks {self._name(b)}"
            return f"{attack}: nothing changes, {self._name(loser)} has capitulated."
        if not (self._in_war(a) and self._in_war(b)):
            return None
        if self.side[a] == self.side[b]:
            return f"{self._name(a)} does not attack {self._name(b)}: they fight on the same side."
        invoked = (
            ""
            if claim is None
            else f", and its claim to act for {self._tname(self.world.treaty_index(claim))} obliges no one"
        )
        at_war = "they are already at war with each other"
        return f"{self._name(a)} attacks {self._name(b)}: nothing changes, {at_war}{invoked}."

    def _join(self, t: int, i: int, side: int) -> None:
        self._set(i, BELLIGERENT, side)
        self._entered[i] = self._committed[i] = t

    def _collective_security(self, t: int, a: int, b: int) -> None:
        """An attack between two members: the organisation decides (MODEL.md)."""
        w = self.world
        for k in w.collective:
            members = w.members(k)
            if not (_contains(members, a) and _contains(members, b)):
                continue
            blocker = self._decision_blocker(k, a, b)
            if blocker is not None:
                self._add_ties(k, np.array([b]), np.array([a]), W.COLLECTIVE, T_VETOED, arcs=False)
                self._log(
                    t,
                    "veto",
                    f"{self._tname(k, start=True)} cannot act against {self._name(a)}: {blocker}.",
                    a,
                    treaty=k,
                    other=b,
                )
                continue
            others = members[
                (members != a) & (members != b) & ~np.isin(members, np.flatnonzero(self._in_war_mask()))
            ]
            self._add_ties(k, others, np.full(len(others), b), W.COLLECTIVE, T_IDLE, arcs=True)
            self._log(
                t,
                "authorised",
                f"{self._tname(k, start=True)} authorises action against {self._name(a)}: "
                f"every member is bound to defend {self._name(b)}.",
                a,
                treaty=k,
                other=b,
            )

    def _decision_blocker(self, k: int, aggressor: int, victim: int) -> str | None:
        """Why treaty k's decision rule blocks action against ``aggressor`` (None: authorised)."""
        w = self.world
        members = w.members(k)
        bystanders = members[(members != aggressor) & (members != victim)]
        tied = self._alliance_partners(aggressor)
        rule = w.decision_rule[k]
        if rule == "unanimity":
            blocking = bystanders[np.isin(bystanders, tied)]
            if len(blocking):
                return (
                    f"unanimity is required and {self._name(int(blocking[0]))} is allied to "
                    f"{self._name(aggressor)}"
                )
            return None
        if rule == "majority":
            free = int((~np.isin(bystanders, tied)).sum())
            if free * 2 > len(bystanders):
                return None
            return (
                f"only {free} of {len(bystanders)} other members are free of ties to "
                f"{self._name(aggressor)}, not a majority"
            )
        side = self.side[aggressor] if self._in_war(aggressor) else 0
        for v in w.veto.get(k, []):
            if v == aggressor:
                return f"{self._name(v)} holds a veto and uses it for itself"
            if side and self._in_war(v) and self.side[v] == side:
                return f"{self._name(v)} holds a veto and fights on {self._name(aggressor)}'s side"
            if _contains(np.sort(tied), v):
                return f"{self._name(v)} holds a veto and is allied to {self._name(aggressor)}"
        return None

    def _alliance_partners(self, i: int) -> np.ndarray:
        arcs = self.arcs
        mask = (arcs.src == i) & ((arcs.kind == W.DEFENSE) | (arcs.kind == W.OFFENSE))
        return np.unique(arcs.dst[mask])

    def _claim(self, t: int, a: int, b: int, k: int, b_side_before: int) -> None:
        """A claimed intervention: legitimate if ``b`` was already fighting on the
        aggressor side against a member of treaty k and, for collective security,
        k's decision rule authorises action with ``b`` as the aggressor (a target
        that attacked no member gives the organisation nothing to authorise); then
        k's other members are obliged to join ``a`` with k's commitment. Otherwise a
        ``pretext``: ``a``'s perceived reliability halves and nobody is obliged."""
        w = self.world
        members = w.members(k)
        others = members[(members != a) & (members != b)]
        in_war = self._in_war_mask()
        legitimate = self._claim_holds(k, a, b, b_side_before)
        if legitimate:
            others = others[~in_war[others]]
            self._add_ties(k, others, np.full(len(others), a), W.CLAIM, T_IDLE, arcs=True)
            self._log(
                t,
                "claim",
                f"{self._name(a)} acts for {self._tname(k)} against {self._name(b)}, "
                f"and the claim holds: the other members are bound to join it.",
                a,
                treaty=k,
                other=b,
            )
            return
        self.perceived[a] *= 0.5
        self.pretexts.append({"tick": t, "state": w.ids[a], "target": w.ids[b], "treaty": w.treaty_ids[k]})
        self._log(
            t,
            "pretext",
            f"{self._name(a)} claims to act for {self._tname(k)}, but "
            f"{self._name(b)} was fighting none of its members and the treaty authorised nothing: a "
            f"pretext. {self._name(a)}'s word is now worth half as much.",
            a,
            treaty=k,
            other=b,
        )

    def _claim_holds(self, k: int, a: int, b: int, b_side: int) -> bool:
        """Whether ``a``'s claim to act for treaty k against ``b`` (on side ``b_side``
        before the attack) is legitimate (see :meth:`_claim`)."""
        if b_side != AGGRESSOR:
            return False
        members = self.world.members(k)
        others = members[(members != a) & (members != b)]
        if not (self._in_war_mask()[others] & (self.side[others] == DEFENDER)).any():
            return False
        return self.world.treaty_types[k] != "collective-security" or self._decision_blocker(k, b, a) is None

    def _obligations(self, t: int) -> None:
        if not self._dirty:
            return
        self._dirty = False
        in_war = self._in_war_mask()
        free = (self.status == UNINVOLVED) | (self.status == NOT_OBLIGED)
        res = self._resolve(
            self.arcs, self.side * in_war, free, self._intervener, self._attacker, self._entente_done
        )
        if not (len(res.obliged) or len(res.neutral) or len(res.not_obliged_arcs) or len(res.entente)):
            return
        arcs, w = self.arcs, self.world
        p = p_e = np.zeros(0)
        if len(res.obliged):
            totals = self._side_totals()
            p = honour_probability(
                w.reliability[res.obliged], res.commitment, w.power[res.obliged], res.side, totals, res.cross
            )
        if len(res.entente):
            p_e = w.reliability[res.entente] * res.entente_commitment * self.entente_support
        if self.rng is None:
            honour = p >= self.honor_threshold
            support = p_e >= self.honor_threshold
        elif not len(res.entente):
            honour, support = self.rng.random(len(p)) < p, _NO  # obliged states come in id order
        else:
            # one draw per deciding state, in the order of state ids (indices follow ids)
            deciding = np.concatenate([res.obliged, res.entente])
            draws = np.empty(len(deciding))
            draws[np.argsort(deciding, kind="stable")] = self.rng.random(len(deciding))
            honour = draws[: len(res.obliged)] < p
            support = draws[len(res.obliged) :] < p_e

        if len(res.not_obliged_arcs):
            ties = arcs.tie[res.not_obliged_arcs]
            self._set_ties(ties[self.tie_status[ties] == T_IDLE], T_NOT_OBLIGED)
            states = res.not_obliged_states
            newly = self.status[states] == UNINVOLVED
            self._set_many(states[newly], NOT_OBLIGED, 0)
            for z, arc in zip(states[newly].tolist(), res.not_obliged_first[newly].tolist(), strict=True):
                self._say(t, "not-obliged", partial(self._text_not_obliged, z, arc), z, arc)
        self._set_many(res.neutral, NEUTRAL, 0)
        for z, arc in zip(res.neutral.tolist(), res.neutral_arc.tolist(), strict=True):
            self._say(t, "neutral", partial(self._text_neutral, z, arc), z, arc)

        if len(res.obliged):
            obliging = res.treaty
            self.treaty_obliged += np.bincount(obliging, minlength=len(self.treaty_obliged))
            self.treaty_honoured += np.bincount(obliging[honour], minlength=len(self.treaty_honoured))
        self._commit_many(t, res.obliged[honour], res.side[honour], res.arc[honour], voluntary=False)
        reneging = res.obliged[~honour]
        if len(reneging):
            self._set_many(reneging, RENEGED, 0)
            self._set_ties(arcs.tie[res.arc[~honour]], T_RENEGED)
            self.perceived[reneging] *= 0.5
            self.reneged += len(reneging)
            self._network_dirty = True
        violators: dict[int, list[int]] = {}
        if len(res.violation_arcs):
            violations = res.violation_arcs[np.isin(arcs.src[res.violation_arcs], res.obliged[honour])]
            self._set_ties(arcs.tie[violations], T_VIOLATION)
            for arc in violations.tolist():
                violators.setdefault(int(arcs.src[arc]), []).append(arc)
        # one loop over the deciding states, kept lean: a collective decision may oblige 200,000 of them
        ids, treaty_ids, record, log = (
            self.world.ids,
            self.world.treaty_ids,
            self.record,
            self._new_events.append,
        )
        rows = zip(
            res.obliged.tolist(),
            res.arc.tolist(),
            res.treaty.tolist(),
            arcs.dst[res.arc].tolist(),
            honour.tolist(),
            p.tolist(),
            res.cross.tolist(),
            strict=True,
        )
        for z, arc, k, ally, honours, p_z, cross in rows:
            z_id, k_id, ally_id = ids[z], treaty_ids[k], ids[ally]
            log(LogEvent(t, "obliged", self._text_obliged(z, k, ally) if record else "", z_id, k_id, ally_id))
            if honours:
                text = self._text_honour(z, arc, p_z, cross) if record else ""
                log(LogEvent(t, "honor", text, z_id, k_id, ally_id))
                for varc in violators.get(z, ()):
                    self._say(
                        t,
                        "violation",
                        partial(self._text_violation, z, varc),
                        z,
                        varc,
                        remember=False,
                        as_other=True,
                    )
            else:
                text = self._text_renege(z, k, ally, p_z, cross) if record else ""
                log(LogEvent(t, "renege", text, z_id, k_id, ally_id))
            if record:
                self._decision_text[z] = text

        if not len(res.entente):
            return
        self._entente_done[res.entente] = True
        self._commit_many(
            t,
            res.entente[support],
            np.full(int(support.sum()), DEFENDER),
            res.entente_arc[support],
            voluntary=True,
        )
        for n in np.flatnonzero(support).tolist():
            z, arc = int(res.entente[n]), int(res.entente_arc[n])
            self._say(t, "voluntary", partial(self._text_voluntary, z, arc, p_e[n]), z, arc)

    def _say(
        self, t: int, kind: str, make_text, z: int, arc: int, *, remember: bool = True, as_other: bool = False
    ) -> None:
        """Log an event about state z and treaty arc ``arc``; the sentence is built only
        when recording, and remembered as z's explanation unless ``remember`` is False."""
        arcs = self.arcs
        text = make_text() if self.record else ""
        if remember and self.record:
            (self._not_obliged_text if kind == "not-obliged" else self._decision_text)[z] = text
        partner = int(arcs.dst[arc])
        self._log(
            t,
            kind,
            text,
            z,
            treaty=int(arcs.treaty[arc]),
            ally=None if as_other else partner,
            other=partner if as_other else None,
        )

    def _commit_many(
        self, t: int, states: np.ndarray, sides: np.ndarray, arcs_used: np.ndarray, *, voluntary: bool
    ) -> None:
        """States that decided to fight by the given arcs: mobilising, or fighting now (mobilisation 0)."""
        if not len(states):
            return
        arcs = self.arcs
        m = self.world.mobilization[states]
        self._reason_treaty[states] = arcs.treaty[arcs_used]
        self._reason_ally[states] = arcs.dst[arcs_used]
        self._voluntary[states] = voluntary
        self._intervener[states] = True
        self._arrive[states] = self._entered[states] = t + m
        self._committed[states] = t
        for delay in sorted(set(m[m > 0].tolist())):
            self._arriving.setdefault(t + delay, []).extend(states[m == delay].tolist())
        if not voluntary:
            self.honoured += len(states)
        ties = arcs.tie[arcs_used]
        self._set_ties(ties[m == 0], T_HONOURED)
        self._set_ties(ties[m > 0], T_MOBILIZING)
        self._set_many(states, np.where(m == 0, BELLIGERENT, MOBILIZING), sides)

    def _combat(self, t: int) -> None:
        att, dfd = self._fighters()
        s_a = float(_total(self.strength[att]))
        s_d = float(_total(self.strength[dfd]))
        if s_a > 0 and s_d > 0:
            fighters = self._fighting
            before = self.strength[fighters]
            # each side's loss rate, capped at 1 so that nobody falls below zero
            rate = np.where(
                self._on_aggressor_side,
                min(self.attrition * s_d / s_a, 1.0),
                min(self.attrition * s_a / s_d, 1.0),
            )
            loss = before * rate
            after = before - loss
            self.strength[fighters] = after
            self.cost[fighters] += before + loss
            self.losses[fighters] += loss
            self._struck = fighters
            broken = fighters[after < self._breaking_point]
            for i in broken.tolist():
                self._set(i, DEFEATED, self.side[i])
                self._defeat_tick[i] = t
                self._log(
                    t,
                    "defeat",
                    f"{self._name(i)} capitulates: its strength fell to "
                    f"{self.strength[i]:.3g}, below {self.break_fraction:g} of its power "
                    f"{self.world.power[i]:.3g}.",
                    i,
                )
            if len(broken):
                self._dirty = True
        self._mediate(t)

    def _mediate(self, t: int) -> None:
        w = self.world
        for k in self._mediators.tolist():
            members = w.members(k)
            fighting = self.status[members] == BELLIGERENT
            sides = self.side[members][fighting]
            if not ((sides == AGGRESSOR).any() and (sides == DEFENDER).any()):
                continue
            self._mediation_ticks[k] += 1
            m = w.mediation[k]
            if self.rng is None:
                ceasefire = 1.0 - (1.0 - m) ** self._mediation_ticks[k] >= 0.5
            else:
                ceasefire = self.rng.random() < m
            if ceasefire and self._war_result is None:
                self._war_result = "ceasefire"
                self._log(
                    t,
                    "ceasefire",
                    f"{self._tname(k, start=True)} mediates between its members at war with each "
                    f"other: ceasefire after {_ticks(int(self._mediation_ticks[k]))} of fighting.",
                    None,
                    treaty=k,
                )

    def _check_finish(self, t: int) -> None:
        if self.war_on and self._war_result is None:
            self._fighters()
            a_alive, d_alive = self._alive[AGGRESSOR], self._alive[DEFENDER]
            if not (a_alive and d_alive):
                self._war_result = (
                    "aggressor-victory" if a_alive else "aggressor-defeated" if d_alive else "stalemate"
                )
                self._war_end_text = _END_TEXTS[
                    "exhaustion" if not (a_alive or d_alive) else self._war_result
                ]
            elif self.tick >= self.max_ticks:
                self._war_result = "stalemate"
        if self._war_result is not None:
            self.wars.append({"started_tick": self._war_start, "ended_tick": t, "result": self._war_result})
            if self._pending and self._pending[0][0] < self.max_ticks:
                self._log(t, "war-end", self._war_end_text or _END_TEXTS[self._war_result], None)
                self._end_war()
                return
            self.result = self._war_result
        elif not self.war_on and (not self._pending or self.tick >= self.max_ticks):
            # attacks deterred after a war leave the last war's result standing
            self.result = self.wars[-1]["result"] if self.wars else "deterred" if self.deterred else "peace"
        if self.result is not None:
            self.finished = True
            self._log(t, "end", self._war_end_text or _END_TEXTS[self.result], None)

    def _end_war(self) -> None:
        """Back to peace for the scripted attacks still to come: capitulated states stay defeated,
        everyone else leaves its side and may decide afresh in the next war; strength, costs and
        perceived reliability carry over; the ties of authorised decisions and claims lapse."""
        w = self.world
        self.war_on, self._war_start, self._war_result, self._war_end_text = False, -1, None, None
        back = np.flatnonzero((self.status != UNINVOLVED) & (self.status != DEFEATED))
        self._set_many(back, UNINVOLVED, 0)
        for i in back.tolist():
            self._decision_text.pop(i, None)
            self._not_obliged_text.pop(i, None)
        for per_state in (self._reason_treaty, self._reason_ally, self._attacked_by, self._arrive):
            per_state[back] = -1
        for flags in (self._voluntary, self._intervener, self._attacker, self._entente_done):
            flags[:] = False
        self._arriving.clear()
        self._set_ties(np.flatnonzero(self.tie_status != T_IDLE), T_IDLE)
        self.arcs = w.arcs
        self._extra_alliance = []
        self._network_dirty = True
        self._mediation_ticks[:] = 0
        self._plan_fired = [False] * len(self._plans)

    def _record(self, t: int) -> None:
        if self._network_dirty:
            self._vulnerable = self._vulnerable_count()
            self._network_dirty = False
        w = self.world
        att, dfd = self._fighters()
        s_a = float(_total(self.strength[att]))
        s_d = float(_total(self.strength[dfd]))
        at_war = self._fighting_power / w.total_power if w.total_power > 0 else 0.0
        n = max(w.n, 1)
        decided = self.honoured + self.reneged
        self.recorder.append(
            (
                t,
                (1.0 - at_war) * (1.0 - self._vulnerable / n),
                len(att) + len(dfd),
                s_a / (s_a + s_d) if s_a + s_d > 0 else 0.5,
                self._vulnerable,
                self.honoured / decided if decided else 1.0,
                s_a,
                s_d,
            )
        )
        if self.record:
            # repeated indices are harmless: each takes its final value of the tick
            idx = np.concatenate([np.array(self._changed, dtype=np.int64), *self._changed_many])
            fighters = self._struck
            tidx = np.concatenate(self._changed_ties) if self._changed_ties else _EMPTY
            self._deltas.append(
                (
                    t,
                    idx,
                    self.status[idx].copy(),
                    self.side[idx].copy(),
                    fighters,
                    self.strength[fighters].copy(),
                    tidx,
                    self.tie_status[tidx].copy(),
                )
            )
        self._changed.clear()
        self._changed_many.clear()
        self._changed_ties.clear()
        self._struck = _EMPTY

    # -- shared with the deterrence prediction ------------------------------------

    def _resolve(
        self,
        arcs: W.Arcs,
        side_of: np.ndarray,
        free: np.ndarray,
        intervener: np.ndarray,
        attacker: np.ndarray,
        entente_done: np.ndarray,
    ) -> _Resolution:
        """:meth:`_resolve_now`, remembered per compiled world for its own arcs (a sweep's runs of
        one scenario meet the same situations again and again); the result is only ever read."""
        w = self.world
        if arcs is not w.arcs or w.n > _RESOLVE_CACHE_STATES:
            return self._resolve_now(arcs, side_of, free, intervener, attacker, entente_done)
        # five arrays of one byte per state: their bytes side by side are the situation
        key = b"".join(
            (
                side_of.astype(np.int8, copy=False).tobytes(),
                free.tobytes(),
                intervener.tobytes(),
                attacker.tobytes(),
                entente_done.tobytes(),
            )
        )
        res = w.resolutions.get(key)
        if res is None:
            if len(w.resolutions) >= _RESOLVE_CACHE_SIZE:
                w.resolutions.clear()
            res = w.resolutions[key] = self._resolve_now(
                arcs, side_of, free, intervener, attacker, entente_done
            )
            if res is not _NOTHING:
                for array in vars(res).values():
                    array.flags.writeable = False  # shared by every run that meets this situation
        return res

    def _resolve_now(
        self,
        arcs: W.Arcs,
        side_of: np.ndarray,
        free: np.ndarray,
        intervener: np.ndarray,
        attacker: np.ndarray,
        entente_done: np.ndarray,
    ) -> _Resolution:
        """Check every treaty arc from a free state to a state at war (``side_of`` > 0)
        and sort the states concerned into obliged, neutral, not obliged and entente candidates."""
        w = self.world
        cand = np.flatnonzero(free[arcs.src] & (side_of[arcs.dst] > 0))
        if not len(cand):
            return _NOTHING
        src, dst, treaty, kind = arcs.src[cand], arcs.dst[cand], arcs.treaty[cand], arcs.kind[cand]
        s = side_of[dst].astype(np.int64)
        opp = 3 - s
        present = np.bincount(kind, minlength=len(W.OBLIGING)).astype(bool).tolist()  # arc kinds at hand
        obliging = W.OBLIGING[kind]
        # defense, guarantee and collective security defend the defender side; defense also
        # backs an aggressor once someone intervened against it (unless unprovoked_only)
        applies = s == DEFENDER
        if present[W.DEFENSE]:
            interv_on = np.array(
                [
                    False,
                    (intervener & (side_of == AGGRESSOR)).any(),
                    (intervener & (side_of == DEFENDER)).any(),
                ]
            )
            applies |= (kind == W.DEFENSE) & ~w.unprovoked_only[treaty] & interv_on[opp]
        if present[W.OFFENSE]:
            applies = np.where(kind == W.OFFENSE, attacker[dst], applies)
        if present[W.CLAIM]:
            applies |= kind == W.CLAIM
        if len(w.against_treaty):
            enemy_listed = np.zeros((len(w.treaty_ids), 3), dtype=bool)
            enemy_listed[w.against_treaty, side_of[w.against_state]] = True
            applies &= ~w.has_against[treaty] | enemy_listed[treaty, opp] | (kind >= W.COLLECTIVE)
        applies &= obliging

        z = z_arc = z_side = blocked_arcs = violation_arcs = _EMPTY
        conflict = cross_z = blocked_z = _NO
        obliged_any = np.zeros(w.n, dtype=bool)
        duty = cand[applies]
        if len(duty):
            d_src, d_side = arcs.src[duty], side_of[arcs.dst[duty]].astype(np.int64)
            order = np.lexsort((arcs.treaty[duty], -w.commitment[arcs.treaty[duty]], d_src))
            duty, d_src, d_side = duty[order], d_src[order], d_side[order]
            first = np.flatnonzero(_starts(d_src[1:] != d_src[:-1]))
            z, z_arc, z_side = d_src[first], duty[first], d_side[first]
            conflict = np.minimum.reduceat(d_side, first) != np.maximum.reduceat(d_side, first)
            obliged_any[z] = True
            # who would fight whom: scratch arrays over states, written only where obliged
            joining = np.zeros(w.n, dtype=np.int64)
            joining[z[~conflict]] = z_side[~conflict]
            reason_treaty = np.full(w.n, -1, dtype=np.int64)
            reason_treaty[z] = arcs.treaty[z_arc]
            against_enemy = (joining[src] > 0) & (s == 3 - joining[src])
            crossing = against_enemy & (treaty != reason_treaty[src]) & (kind != W.COLLECTIVE)
            cross = np.zeros(w.n, dtype=bool)
            cross[src[crossing]] = True
            cross_z = cross[z]
            blocked = np.zeros(w.n, dtype=bool)
            if present[W.NEUTRALITY]:
                blocked_arcs = cand[against_enemy & (kind == W.NEUTRALITY)]
                blocked[arcs.src[blocked_arcs]] = True
            blocked_z = blocked[z]
            if present[W.NON_AGGRESSION]:
                violation_arcs = cand[against_enemy & (kind == W.NON_AGGRESSION)]

        ok = ~conflict & ~blocked_z
        held_back = ~conflict & blocked_z
        neutral = np.concatenate([z[conflict], z[held_back]])
        neutral_arc = np.concatenate([z_arc[conflict], _first_arc_of(arcs, blocked_arcs, z[held_back])])
        not_obliged = cand[obliging & ~applies & ~obliged_any[src]]

        ent = ent_src = efirst = _EMPTY
        if present[W.ENTENTE]:
            ent = cand[(kind == W.ENTENTE) & (s == DEFENDER) & ~obliged_any[src] & ~entente_done[src]]
            ent_src = arcs.src[ent]
            order = np.lexsort((arcs.treaty[ent], -w.commitment[arcs.treaty[ent]], ent_src))
            ent, ent_src = ent[order], ent_src[order]
            efirst = np.flatnonzero(_starts(ent_src[1:] != ent_src[:-1])) if len(ent) else _EMPTY
            if present[W.NEUTRALITY]:
                # a neutrality partner on the aggressor side forbids voluntary support too
                neutral_partner = np.zeros(w.n, dtype=bool)
                neutral_partner[src[(kind == W.NEUTRALITY) & (s == AGGRESSOR)]] = True
                efirst = efirst[~neutral_partner[ent_src[efirst]]]

        z_treaty = arcs.treaty[z_arc[ok]]
        entente_arc = ent[efirst]
        not_obliged_states, where = np.unique(arcs.src[not_obliged], return_index=True)
        return _Resolution(
            obliged=z[ok],
            side=z_side[ok],
            arc=z_arc[ok],
            cross=cross_z[ok],
            neutral=neutral,
            neutral_arc=neutral_arc,
            not_obliged_arcs=not_obliged,
            entente=ent_src[efirst],
            entente_arc=entente_arc,
            violation_arcs=violation_arcs,
            treaty=z_treaty,
            commitment=w.commitment[z_treaty],
            entente_commitment=w.commitment[arcs.treaty[entente_arc]],
            not_obliged_states=not_obliged_states,
            not_obliged_first=not_obliged[where],
        )

    def _worth(self) -> np.ndarray:
        """What each state brings to its side as things stand: fighters their strength, mobilising
        states their power, everyone else nothing."""
        worth = np.where(self.status == MOBILIZING, self.world.power, self.strength)
        return worth * self._in_war_mask()

    def _side_totals(self) -> np.ndarray:
        """Each side's worth (index 1 aggressor, 2 defender)."""
        worth = self._worth()
        return np.array([0.0, _total(worth[self.side == AGGRESSOR]), _total(worth[self.side == DEFENDER])])

    def _predict(self, a: int, b: int, claim: str | None) -> DeterrencePreview:
        """Expected cascade of an attack a -> b from the situation now (MODEL.md, Deterrence)."""
        w = self.world
        in_war = self._in_war_mask()
        side_of = (self.side * in_war).astype(np.int8)
        value = self._worth()
        free = (self.status == UNINVOLVED) | (self.status == NOT_OBLIGED)
        intervener = self._intervener.copy()
        attacker = self._attacker.copy()
        entente_done = self._entente_done.copy()
        sa = int(side_of[a])
        sb = int(side_of[b])
        if sa == 0 and sb == 0:
            sa, sb = AGGRESSOR, DEFENDER
        elif sa == 0:
            sa = 3 - sb
            intervener[a] = True
        elif sb == 0:
            sb = 3 - sa
        for i, s in ((a, sa), (b, sb)):
            if side_of[i] == 0:
                side_of[i], value[i], free[i] = s, w.power[i], False
        attacker[a] = True
        arcs = self.arcs
        for k in w.collective:
            members = w.members(k)
            if _contains(members, a) and _contains(members, b) and self._decision_blocker(k, a, b) is None:
                others = members[(members != a) & (members != b)]
                arcs = arcs.concat(_arcs_to(others, b, k, W.COLLECTIVE, -1))
        if claim is not None:
            k = w.treaty_index(claim)
            if self._claim_holds(k, a, b, int(self.side[b]) if in_war[b] else 0):
                members = w.members(k)
                others = members[(members != a) & (members != b)]
                arcs = arcs.concat(_arcs_to(others, a, k, W.CLAIM, -1))
        plan_done = list(self._plan_fired)
        while True:
            res = self._resolve(arcs, side_of, free, intervener, attacker, entente_done)
            totals = np.array([0.0, value[side_of == AGGRESSOR].sum(), value[side_of == DEFENDER].sum()])
            p = honour_probability(
                self.perceived[res.obliged], res.commitment, w.power[res.obliged], res.side, totals, res.cross
            )
            p_e = self.perceived[res.entente] * res.entente_commitment * self.entente_support
            free[res.neutral] = False
            entente_done[res.entente] = True
            joined = 0
            # entente support first: an obligation found in the same or a later wave replaces it, as in
            # the run, where a state that did not volunteer stays free to be obliged
            for group, sides, probs in ((res.entente, DEFENDER, p_e), (res.obliged, res.side, p)):
                group = group[probs > 0]
                sides = sides[probs > 0] if isinstance(sides, np.ndarray) else sides
                probs = probs[probs > 0]
                side_of[group] = sides
                value[group] = probs * w.power[group]
                intervener[group] = True
                joined += len(group)
            free[res.obliged] = False
            for k, (state, enemy, targets) in enumerate(self._plans):
                if plan_done[k] or side_of[state] == 0 or side_of[enemy] != 3 - side_of[state]:
                    continue
                plan_done[k] = True
                attacker[state] = True
                for target in targets:
                    if side_of[target] == 0:
                        side_of[target], value[target], free[target] = (
                            3 - side_of[state],
                            w.power[target],
                            False,
                        )
                        joined += 1
            if not joined:
                break
        s_att, s_def = int(side_of[a]), int(side_of[b])
        e_attack = float(value[side_of == s_att].sum())
        e_defense = float(value[side_of == s_def].sum())
        return DeterrencePreview(
            attacker_strength=e_attack,
            expected_defense=e_defense,
            deterred=not e_attack > self.gamma * e_defense,
            aggressor_side={w.ids[i]: float(value[i]) for i in np.flatnonzero(side_of == s_att).tolist()},
            defender_side={w.ids[i]: float(value[i]) for i in np.flatnonzero(side_of == s_def).tolist()},
        )

    # -- bookkeeping ----------------------------------------------------------

    def _in_war(self, i: int) -> bool:
        return self.status[i] in (MOBILIZING, BELLIGERENT)

    def _in_war_mask(self) -> np.ndarray:
        return (self.status == MOBILIZING) | (self.status == BELLIGERENT)

    def _set(self, i: int, status: int, side: int) -> None:
        self.status[i] = status
        self.side[i] = side
        self._changed.append(i)
        self._dirty = self._stale = True

    def _set_many(self, states: np.ndarray, status: int | np.ndarray, side: int | np.ndarray) -> None:
        if not len(states):
            return
        self.status[states] = status
        self.side[states] = side
        self._changed_many.append(states)
        self._dirty = self._stale = True

    def _fighters(self) -> tuple[np.ndarray, np.ndarray]:
        """Index arrays of the states fighting on each side, rebuilt only after a change."""
        if self._stale:
            # rebuilt after most ticks of a cascade: plain ufunc calls, no Python wrappers
            fighting = self.status == BELLIGERENT
            alive = fighting | (self.status == MOBILIZING)
            aggressor, defender = self.side == AGGRESSOR, self.side == DEFENDER
            self._attackers = (fighting & aggressor).nonzero()[0]
            self._defenders = (fighting & defender).nonzero()[0]
            self._alive = [
                False,
                bool(np.logical_or.reduce(alive & aggressor)),
                bool(np.logical_or.reduce(alive & defender)),
            ]
            power = self.world.power
            self._fighting_power = float(_total(power[self._attackers]) + _total(power[self._defenders]))
            self._fighting = np.concatenate([self._attackers, self._defenders])
            self._on_aggressor_side = np.arange(len(self._fighting)) < len(self._attackers)
            self._breaking_point = self.break_fraction * power[self._fighting]
            self._stale = False
        return self._attackers, self._defenders

    def _set_ties(self, ties: np.ndarray, status: int) -> None:
        self.tie_status[ties] = status
        if self.record:
            self._changed_ties.append(np.asarray(ties, dtype=np.int64))

    def _ties_between(self, a: int, b: int, kind: int) -> list[int]:
        arcs = self.arcs
        return arcs.tie[(arcs.src == a) & (arcs.dst == b) & (arcs.kind == kind)].tolist()

    def _reason_tie(self, i: int) -> np.ndarray:
        arcs = self.arcs
        return arcs.tie[
            (arcs.src == i) & (arcs.dst == self._reason_ally[i]) & (arcs.treaty == self._reason_treaty[i])
        ]

    def _add_ties(
        self, k: int, src: np.ndarray, dst: np.ndarray, kind: int, status: int, *, arcs: bool
    ) -> None:
        """New ties of treaty k (an authorised decision, a legitimate claim or a veto)."""
        first = len(self._tie_a)
        self._tie_a = np.concatenate([self._tie_a, dst])
        self._tie_b = np.concatenate([self._tie_b, src])
        self._tie_treaty = np.concatenate([self._tie_treaty, np.full(len(src), k, dtype=np.int64)])
        self.tie_status = np.concatenate([self.tie_status, np.full(len(src), status, dtype=np.int8)])
        if self.record and status != T_IDLE:
            self._changed_ties.append(np.arange(first, first + len(src)))
        if arcs:
            self.arcs = self.arcs.concat(_arcs_to(src, dst, k, kind, first))
            if kind == W.COLLECTIVE:
                self._extra_alliance.append((src, dst))
                self._network_dirty = True
            self._dirty = True

    def _vulnerable_count(self) -> int:
        reneged = self.status == RENEGED
        initial = not self._extra_alliance and not reneged.any()
        network = alliance_network(self.world, self._extra_alliance, reneged)
        # runs of one scenario share networks (a sweep: thousands of times): remember the counts
        # a 64-bit hash of the whole network: a collision between two cached networks is negligible
        key = hash(b"".join((self.world.power.tobytes(), network.key(), np.float64(self.gamma).tobytes())))
        count = _VULNERABLE_COUNTS.get(key)
        if count is None:
            if len(_VULNERABLE_COUNTS) > 1024:
                _VULNERABLE_COUNTS.clear()
            mask = vulnerable_mask(self.world.power, network, self.gamma)
            if initial:
                self._initial_vulnerable = mask  # the network before any war, for structure()
            count = _VULNERABLE_COUNTS[key] = int(mask.sum())
        return count

    def _log(
        self,
        t: int,
        kind: str,
        text: str,
        state: int | None,
        *,
        treaty: int | None = None,
        ally: int | None = None,
        other: int | None = None,
    ) -> None:
        w = self.world
        self._new_events.append(
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

    def _reason(self, i: int) -> dict[str, Any]:
        w = self.world
        if self._reason_treaty[i] >= 0:
            reason: dict[str, Any] = {
                "treaty": w.treaty_ids[self._reason_treaty[i]],
                "ally": w.ids[self._reason_ally[i]],
            }
            if self._voluntary[i]:
                reason["voluntary"] = True
            return reason
        if self._attacked_by[i] >= 0:
            return {"attacked_by": w.ids[self._attacked_by[i]]}
        return {"aggressor": True}

    # -- narration --------------------------------------------------------------

    def _name(self, i: int) -> str:
        return self.world.names[i]

    def _tname(self, k: int, *, start: bool = False) -> str:
        """Treaty k as a noun phrase: "the Dual Alliance", or "treaty bc" when it has no name of its
        own (empty, or its id as the file format fills in); ``start`` capitalises it."""
        w = self.world
        name = w.treaty_names[k]
        phrase = f"the {name}" if name and name != w.treaty_ids[k] else f"treaty {w.treaty_ids[k]}"
        return phrase[0].upper() + phrase[1:] if start else phrase

    def _why(self, i: int, status: int, tick: int) -> str:
        if not self.record:
            return ""
        name = self._name(i)
        if status == UNINVOLVED:
            return f"{name} has no treaty that brings it into the war."
        if status == NOT_OBLIGED:
            return self._not_obliged_text[i]
        if status in (NEUTRAL, RENEGED):
            return self._decision_text[i]
        if status == MOBILIZING:
            return f"{self._decision_text[i]} It arrives at tick {self._arrive[i]}."
        if self._reason_treaty[i] >= 0:
            prefix = self._decision_text[i]
        elif self._attacked_by[i] >= 0:
            prefix = f"{name} was attacked by {self._name(int(self._attacked_by[i]))}."
        else:
            prefix = f"{name} is an aggressor: it launched its own attack."
        if status == DEFEATED:
            return (
                f"{prefix} It capitulated at tick {self._defeat_tick[i]}, its strength below "
                f"{self.break_fraction:g} of its power."
            )
        return prefix

    def _text_deterred(self, a: int, b: int, pv: DeterrencePreview) -> str:
        return (
            f"{self._name(a)} does not attack {self._name(b)}: it expects {pv.attacker_strength:.3g} "
            f"on its side "
            f"against {pv.expected_defense:.3g} in defence (it needs more than {self.gamma:g} times that)."
        )

    def _text_obliged(self, z: int, k: int, ally: int) -> str:
        names = self.world.names
        return f"{names[z]} is called on by {self._tname(k)} to join {names[ally]}."

    def _duty_phrase(self, z: int, arc: int) -> str:
        arcs = self.arcs
        w = self.world
        k, ally = int(arcs.treaty[arc]), int(arcs.dst[arc])
        kind = int(arcs.kind[arc])
        t = self._tname(k)
        if kind == W.OFFENSE:
            return f"{t} binds it to join {self._name(ally)}'s attack"
        if kind == W.GUARANTEE:
            return f"{t} makes it guarantor of {self._name(ally)}, which is under attack"
        if kind == W.COLLECTIVE:
            return f"{t} has authorised the defence of {self._name(ally)}"
        if kind == W.CLAIM:
            return f"{self._name(ally)} invoked {t} legitimately"
        if self.side[ally] == DEFENDER:
            return f"{t} binds it to defend {self._name(ally)}"
        enemies = np.flatnonzero(self._intervener & (self.side == DEFENDER) & self._in_war_mask())
        enemies = enemies[np.argsort(self._committed[enemies], kind="stable")].tolist()
        listed = [e for e in enemies if e in w.against.get(k, [])] or enemies
        who = self._name(listed[0]) if listed else "another state"
        return f"{t} binds it once {who} intervenes"

    def _text_honour(self, z: int, arc: int, p: float, cross: bool) -> str:
        ally = int(self.arcs.dst[arc])
        m = int(self.world.mobilization[z])
        when = "at once" if m == 0 else f"after {_ticks(m)} of mobilisation"
        note = ", despite ties to the other side" if cross else ""
        return (
            f"{self._name(z)} enters the war beside {self._name(ally)} {when}: "
            f"{self._duty_phrase(z, arc)} (p = {p:.2f}{note})."
        )

    def _text_renege(self, z: int, k: int, ally: int, p: float, cross: bool) -> str:
        w = self.world
        reliability, commitment = float(w.reliability[z]), float(w.commitment[k])
        promised = reliability * commitment * (0.5 if cross else 1.0)
        feasibility = p / promised if promised > 0 else 1.0
        if cross:
            why = "ties to the other side pull it back"
        elif feasibility < 0.999:
            why = f"its side looks too weak to win (feasibility {feasibility:.2f})"
        else:
            why = f"its word is weak (reliability {reliability:.2f} x commitment {commitment:.2f})"
        threshold = f" < {self.honor_threshold:.2f}" if self.rng is None else ""
        return (
            f"{w.names[z]} reneges on {self._tname(k)} and leaves {w.names[ally]} alone: "
            f"{why} (p = {p:.2f}{threshold})."
        )

    def _text_voluntary(self, z: int, arc: int, p: float) -> str:
        k = int(self.arcs.treaty[arc])
        return (
            f"{self._name(z)} joins {self._name(int(self.arcs.dst[arc]))} of its own will: "
            f"{self._tname(k)} "
            f"obliges nothing but draws it in (p = {p:.2f})."
        )

    def _text_violation(self, z: int, arc: int) -> str:
        arcs = self.arcs
        return (
            f"{self._name(z)} joins the war against {self._name(int(arcs.dst[arc]))} "
            f"despite {self._tname(int(arcs.treaty[arc]))}."
        )

    def _text_neutral(self, z: int, arc: int) -> str:
        arcs = self.arcs
        k = int(arcs.treaty[arc])
        if arcs.kind[arc] == W.NEUTRALITY:
            return (
                f"{self._name(z)} stays neutral: {self._tname(k)} forbids it to fight "
                f"{self._name(int(arcs.dst[arc]))}."
            )
        return f"{self._name(z)} stays neutral: its treaties oblige it to both sides of the war."

    def _text_not_obliged(self, z: int, arc: int) -> str:
        arcs = self.arcs
        w = self.world
        k, ally, kind = int(arcs.treaty[arc]), int(arcs.dst[arc]), int(arcs.kind[arc])
        t = self._tname(k)
        name = self._name(z)
        if kind == W.OFFENSE:
            return f"{name} stays out: {t} binds it only to join an attack by {self._name(ally)}."
        if w.has_against[k] and kind in (W.DEFENSE, W.GUARANTEE, W.OFFENSE):
            listed = ", ".join(self._name(i) for i in w.against[k])
            if not (kind == W.DEFENSE and self.side[ally] == AGGRESSOR and w.unprovoked_only[k]):
                return f"{name} stays out: {t} binds it only against {listed}."
        if kind == W.GUARANTEE:
            return f"{name} stays out: {t} binds it only when {self._name(ally)} is attacked."
        if w.unprovoked_only[k]:
            return (
                f"{name} stays out: {t} binds it only against an unprovoked attack, "
                f"and {self._name(ally)} struck first."
            )
        return f"{name} stays out: {t} binds it only if another state intervenes against {self._name(ally)}."


def honour_probability(
    reliability: np.ndarray,
    commitment: np.ndarray,
    power: np.ndarray,
    side: np.ndarray,
    totals: np.ndarray,
    cross: np.ndarray,
) -> np.ndarray:
    """p = r x c x feasibility x crosspressure (MODEL.md step 3), for states joining ``side``
    whose current totals per side (index 1 aggressor, 2 defender) are ``totals``."""
    own = totals[side] + power
    enemy = totals[3 - side]
    with np.errstate(divide="ignore", invalid="ignore"):
        feasibility = np.where(own + enemy > 0, np.minimum(1.0, 2.0 * own / (own + enemy)), 1.0)
    return reliability * commitment * feasibility * np.where(cross, 0.5, 1.0)


# how a war (or a run without one) ends, by result; "exhaustion": both sides broke in the same tick
_END_TEXTS = {
    "aggressor-victory": "The war ends: the defending side has no one left fighting.",
    "aggressor-defeated": "The war ends: the aggressor side has no one left fighting.",
    "exhaustion": "Both sides broke in the same tick: neither prevails, a stalemate of exhaustion.",
    "stalemate": "The run ends in stalemate: neither side broke the other.",
    "ceasefire": "The war ends in a mediated ceasefire.",
    "deterred": "No war: every attack was deterred.",
    "peace": "No war: no attack happened.",
}
_EMPTY = np.zeros(0, dtype=np.int64)
_NO = np.zeros(0, dtype=bool)
_ZERO = np.zeros(0)
# ndarray.sum without its Python wrapper (the same reduction): for float arrays in per-tick code
_total = np.add.reduce
_VULNERABLE_COUNTS: dict[int, int] = {}
# obligation checks are remembered for worlds up to this many states, this many situations each
# (a few MiB at most: classroom worlds meet a few dozen situations, huge ones gain nothing)
_RESOLVE_CACHE_STATES = 500
_RESOLVE_CACHE_SIZE = 2048
_NOTHING = _Resolution(
    _EMPTY,
    _EMPTY,
    _EMPTY,
    _NO,
    _EMPTY,
    _EMPTY,
    _EMPTY,
    _EMPTY,
    _EMPTY,
    _EMPTY,
    _EMPTY,
    _ZERO,
    _ZERO,
    _EMPTY,
    _EMPTY,
)


def _ticks(count: int) -> str:
    return f"{count} tick" if count == 1 else f"{count} ticks"


def _starts(changed: np.ndarray) -> np.ndarray:
    """Where runs of equal values begin, given ``x[1:] != x[:-1]``."""
    return np.concatenate((_TRUE, changed))


_TRUE = np.ones(1, dtype=bool)


def _contains(sorted_ids: np.ndarray, i: int) -> bool:
    pos = np.searchsorted(sorted_ids, i)
    return bool(pos < len(sorted_ids) and sorted_ids[pos] == i)


def _arcs_to(src: np.ndarray, dst: int | np.ndarray, k: int, kind: int, first_tie: int) -> W.Arcs:
    n = len(src)
    return W.Arcs(
        np.asarray(src, dtype=np.int64),
        np.broadcast_to(np.asarray(dst, dtype=np.int64), (n,)).copy(),
        np.full(n, k, dtype=np.int64),
        np.full(n, kind, dtype=np.int8),
        np.arange(first_tie, first_tie + n, dtype=np.int64)
        if first_tie >= 0
        else np.full(n, -1, dtype=np.int64),
    )


def _first_arc_of(arcs: W.Arcs, chosen: np.ndarray, states: np.ndarray) -> np.ndarray:
    """For each state, the first arc in ``chosen`` that starts at it."""
    if not len(states):
        return np.zeros(0, dtype=np.int64)
    src = arcs.src[chosen]
    order = np.argsort(src, kind="stable")
    pos = np.searchsorted(src[order], states)
    return chosen[order[pos]]


def compile_world(scenario: Scenario) -> W.World:
    """The scenario compiled for the engine, to pass as ``Simulation(scenario, world=...)`` to many
    runs of that same scenario (a Monte Carlo sweep): the runs share it read-only, and a run on it
    is the same as a run that compiles the scenario itself."""
    return W.World(scenario)


def preview_attack(
    scenario: Scenario, aggressor: str, target: str, *, attacker_disadvantage: float | None = None
) -> DeterrencePreview:
    """What ``aggressor`` expects if it attacks ``target`` in peacetime: the same
    prediction the engine makes before firing an attack."""
    sim = Simulation(scenario, record=False)
    if attacker_disadvantage is not None:
        sim.gamma = float(attacker_disadvantage)
    return sim.preview(aggressor, target)


def run_scenario(scenario: Scenario, **kwargs: Any) -> Simulation:
    """A finished :class:`Simulation` (same keyword arguments)."""
    return Simulation(scenario, **kwargs).run()
