"""Simulation: builds the run state and runs the phases of a tick in MODEL.md's order.

What a caller may rely on:

- **Ticks.** The first :meth:`Simulation.step` processes tick 0, so after k steps ``tick == k``;
  ``recorder.series["tick"]`` holds the processed ticks and the report's ``ended_tick`` is the last.
  At most ``max_ticks`` ticks are processed; a war still on after the last is a ``stalemate``.
- **Within a tick** (each phase a module of this package): arrivals (combat), scripted attacks
  with mediation and deterrence, then plans (attacks), collective-security decisions and claims
  (institutions), obligations and the decisions taken together (obligations), combat,
  capitulations and exhaustion, ceasefires, sanctions (combat), war ends (lifecycle), metrics.
- **Finishing.** With no war on and no scripted attack or threat left before ``max_ticks``, the run
  finishes at the end of the current tick; in open play only once no revisionist can still choose a
  war (each is defeated, or every state it could attack is defeated or its dispute was settled), so
  an open-play run with a revisionist left goes on to ``max_ticks`` (MODEL.md: at most ``max_ticks``
  ticks are processed). ``result`` is that of the war the first attack opened.
- **Open play** (``settings.open_play``, sim.openplay) chooses attacks after the plans; scripted
  ``threat`` events act after sanctions.
- **Deterministic mode** makes no random draws. **Stochastic mode** draws from one
  ``numpy.random.Generator(seed)``: mediation before an attack, then per tick one draw per deciding
  state in the order of state ids, then one per mediating treaty and war for ceasefires.
- **Decisions from outside** (sim.decisions, SPEC.md "Room"): ``decider`` is asked for the obliged
  states' decisions of each tick, all at once; or a caller opens a tick with ``begin_step`` (which
  returns the open decisions), gathers choices as long as it likes, and ``finish_step(taken)``.
- ``Simulation(scenario, world=compile_world(scenario))`` reuses a compiled scenario; runs never
  change it. ``record=False`` skips narration text, past snapshots, ``why`` sentences and the
  deterrence numbers when deterrence is off (for fast Monte Carlo); results and counts are the same.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from functools import partial
from typing import Any

import numpy as np

from sandbox.core import world as W
from sandbox.core.exposure import EXACT_STATES, remembered_exposure
from sandbox.core.gc_pause import without_gc
from sandbox.core.metrics import Structure, alliance_network, structure_of, vulnerable_mask
from sandbox.core.scenario import Scenario
from sandbox.core.sim import attacks as attack_phase
from sandbox.core.sim import combat, decisions, deterrence, institutions, lifecycle, obligations, openplay
from sandbox.core.sim import narration as N
from sandbox.core.sim.decisions import Decision
from sandbox.core.sim.recorder import Recorder
from sandbox.core.sim.snapshot import Snapshot
from sandbox.core.sim.state import BELLIGERENT, DEFEATED, EMPTY, LogEvent, RunState


class Simulation:
    """One run of a scenario (see the module docstring)."""

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
        decider: decisions.Decider | None = None,
    ) -> None:
        settings = scenario.settings
        self.decider = decider
        self._ticking: Generator | None = None
        self._weighed: obligations.Weighed | None = None
        self.world = w = W.World(scenario) if world is None else world
        self.seed = int(settings.seed if seed is None else seed)
        self.mode = settings.mode if mode is None else mode
        self.record = record
        self.state = s = RunState(w, mode=self.mode, record=record, seed=self.seed, settings=settings)
        if deterrence is not None:
            s.deterrence = bool(deterrence)
        if max_ticks is not None:
            s.max_ticks = int(max_ticks)
        self.max_ticks = s.max_ticks
        self.deterrence = s.deterrence
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
            ((t, w.index[a], w.index[b], c) for t, a, b, c in scripted), key=lambda x: x[0]
        )
        self._plans = [
            attack_phase.Plan(w.index[p.state], w.index[p.on_war_with], [w.index[x] for x in p.also_attack])
            for p in scenario.plans
        ]
        self._plan_fired: set[tuple[int, int]] = set()
        self.open_play = bool(settings.open_play)
        threats = [e for e in scenario.events if e.type == "threat"]
        for e in threats:
            if e.treaty not in w.treaty_ids:
                raise ValueError(f"a threat names an unknown treaty: {e.treaty}")
        self._threats = sorted(
            ((e.tick, w.treaty_index(e.treaty), float(e.size)) for e in threats), key=lambda x: x[0]
        )
        self._threat_damage = float(settings.threat_damage)
        self.tick = 0
        self._still = False  # the last tick was at peace and changed nothing (see _tick)
        self._settled = True  # ... and no revisionist could choose a war then (or open play is off)
        self._row: dict[str, Any] = {}  # the last tick's metrics
        self.finished = False
        self.result: str | None = None
        self.recorder = Recorder(
            lambda: int(_initial_vulnerable(w, s.gamma).sum()),
            w.n,
            lambda: int(np.count_nonzero(self.baseline_exposure > 1.0)),
        )
        self._deltas: list[tuple] = []
        self._settings = settings
        self._baseline_exposure: np.ndarray | None = None
        self._exposure: np.ndarray | None = None
        if w.n <= EXACT_STATES:
            self._exposure = self._baseline_exposure = remembered_exposure(s)
        self._exposure_key = self._decisions()

    # -- the run's numbers, read by the report, sweeps and the app ---------------

    def __getattr__(self, name: str) -> Any:
        # counts and arrays of the run state (status, side, strength, honoured, wars, ...)
        if name == "side":
            return self.state.camp
        if name in _STATE_FIELDS:
            return getattr(self.state, name)
        raise AttributeError(name)

    @property
    def gamma(self) -> float:
        return self.state.gamma

    @gamma.setter
    def gamma(self, value: float) -> None:
        self.state.gamma = float(value)

    # -- public API ---------------------------------------------------------------

    def step(self) -> list[LogEvent]:
        """Process one tick; returns its new events (none once finished). With a ``decider`` the tick's
        open decisions are put to it (sim.decisions) and the model takes the ones it leaves."""
        decisions = self.begin_step(ask=self.decider is not None)
        return self.finish_step(self.decider(decisions) if decisions else None)

    def begin_step(self, *, ask: bool = True) -> list[Decision]:
        """Process the current tick up to its decisions and return them (obliged states only, in the order
        of state ids); :meth:`finish_step` completes the tick. Between the two the run waits: a room
        collects its participants' choices there."""
        if self._ticking is not None:
            raise RuntimeError("a tick is already open: finish_step() first")
        if self.finished:
            return []
        self._ticking = self._tick()
        self._weighed = next(self._ticking)
        if not ask or self._weighed is None:
            return []
        return decisions.open_decisions(self.state, self.tick, self._weighed)

    def finish_step(self, taken: Mapping[str, decisions.Taken] | None = None) -> list[LogEvent]:
        """Complete the tick :meth:`begin_step` opened: ``taken`` maps state ids to the decisions taken
        for them (others, and anything not open now, are left to the model). Returns the tick's events."""
        ticking, self._ticking = self._ticking, None
        if ticking is None:
            return []
        chosen = (
            decisions.taken_by_index(self.state, self._weighed, taken) if taken and self._weighed else None
        )
        self._weighed = None
        try:
            ticking.send(chosen)
        except StopIteration as done:
            return done.value
        raise RuntimeError("a tick has one decision point")

    def _tick(self) -> Generator[obligations.Weighed | None, dict | None, list[LogEvent]]:
        """One tick, paused at its decision point: yields the weighed decisions, receives those taken."""
        s, t = self.state, self.tick
        s.new_events = []
        if self._still and not self._due(t):
            # the last tick was at peace and changed nothing, and nothing is due now: this tick is the
            # same (no war, so no draw, no decision and no combat), only recorded
            yield None
            self.recorder.append({**self._row, "tick": t})
        else:
            yield from self._phases(t)
            # open play goes on to max_ticks while a revisionist can still choose a war
            self._settled = not self.open_play or not openplay.can_choose_war(s)
        self.tick = t + 1
        self._check_finish(t, settled=self._settled)
        # every change a tick at peace makes is an event (an attack, a settlement, a deterrence, ...)
        self._still = not s.new_events and not s.ongoing_wars()
        s.events.extend(s.new_events)
        return s.new_events

    def _phases(self, t: int) -> Generator[obligations.Weighed | None, dict | None, None]:
        """Tick t's phases in MODEL.md's order, paused at the decision point."""
        s = self.state
        with without_gc():
            combat.arrivals(s, t)
            while self._pending and self._pending[0][0] == t:
                _, a, b, claim = self._pending.pop(0)
                self._scripted_attack(t, a, b, claim)
            attack_phase.fire_plans(s, t, self._plans, self._plan_fired, partial(self._planned_attack, t))
            if self.open_play:
                openplay.play(s, t, self._plans, self._plan_fired, s.attacks)
            institutions.answer(s, t)
            weighed = obligations.weigh(s, t)
        taken = yield weighed
        with without_gc():
            if weighed is not None:
                obligations.apply(s, t, weighed, taken)
            institutions.answer(s, t)
            combat.fight(s, t)
            combat.capitulations(s, t)
            combat.ceasefires(s, t)
            combat.sanctions(s, t)
            while self._threats and self._threats[0][0] == t:
                _, k, size = self._threats.pop(0)
                s.threats.append(openplay.threat(s, t, k, size, self._threat_damage))
            if s.ongoing_wars():
                s.ticks_at_war += 1
            self._record(t)
            lifecycle.end_wars(s, t, last_tick=t + 1 >= self.max_ticks)

    def run(self) -> Simulation:
        """Step until finished; returns the simulation."""
        while not self.finished:
            self.step()
        return self

    def snapshot(self, tick: int | None = None) -> Snapshot:
        """The run as it stood after ``tick`` (default: the last processed tick)."""
        s = self.state
        last = self.tick - 1
        tick = last if tick is None else min(int(tick), last)
        if not self.record and tick != last:
            raise ValueError("snapshots of past ticks need record=True")
        if not self.record:
            return Snapshot(s, tick, s.status, s.camp, s.strength, s.tie_status)
        status = np.zeros(self.world.n, dtype=np.int8)
        side = np.zeros(self.world.n, dtype=np.int8)
        strength = self.world.power.copy()
        ties = np.zeros(len(s.tie_a), dtype=np.int8)
        for dtick, idx, st, sd, fighters, strengths, tidx, tst in self._deltas:
            if dtick > tick:
                break
            status[idx], side[idx] = st, sd
            strength[fighters] = strengths
            ties[tidx] = tst
        return Snapshot(s, tick, status, side, strength, ties)

    def fought(self) -> int:
        """How many states fought (still fighting or capitulated): a sweep row's ``belligerents``."""
        status = self.state.status
        return int(np.count_nonzero((status == BELLIGERENT) | (status == DEFEATED)))

    def report(self) -> dict[str, Any]:
        """SPEC.md's run report."""
        from sandbox.core.sim.report import build_report

        return build_report(self)

    def structure(self) -> Structure:
        """Jackson & Nei structure of the treaty network before any war (computed once per world)."""
        w = self.world
        if w.structure_before is None:
            w.structure_before = structure_of(
                w, _initial_vulnerable(w, float(w.settings.attacker_disadvantage))
            )
        return w.structure_before

    def preview(self, aggressor: str, target: str) -> deterrence.DeterrencePreview:
        """Deterrence prediction for an attack launched now."""
        w = self.world
        return deterrence.predict(
            self.state, self.tick, w.index[aggressor], w.index[target], None, self._plans, self._plan_fired
        )

    # -- phases ---------------------------------------------------------------------

    def _scripted_attack(self, t: int, a: int, b: int, claim: str | None) -> None:
        s, w = self.state, self.world
        idle = attack_phase.idle_reason(s, a, b, claim)
        if idle is not None:
            s.log(t, "no-effect", idle if s.record else "", a, other=b)
            return
        if attack_phase.settle(s, t, a, b):
            return
        entry: dict[str, Any] = {"tick": t, "aggressor": w.ids[a], "target": w.ids[b], "deterred": False}
        if claim is not None:
            entry["claim"] = claim
        k = None if claim is None else w.treaty_index(claim)
        # the report shows what deterrence would have said even when it is off (--no-deterrence)
        if s.deterrence or s.record:
            preview = deterrence.predict(s, t, a, b, k, self._plans, self._plan_fired)
            entry.update(
                attacker_strength=preview.attacker_strength, expected_defense=preview.expected_defense
            )
            if s.deterrence and preview.deterred:
                entry["deterred"] = True
                s.attacks.append(entry)
                s.deterred += 1
                s.log(t, "deterred", N.deterred_text(s, a, b, preview) if s.record else "", a, other=b)
                return
        s.attacks.append(entry)
        attack_phase.strike(s, t, a, b)
        if k is not None:
            institutions.claim(s, t, a, b, k)
        institutions.answer(s, t)

    def _planned_attack(self, t: int, a: int, b: int) -> None:
        """A plan's attack, listed with what deterrence would have said (a plan is never deterred)."""
        s, w = self.state, self.world
        entry: dict[str, Any] = {"tick": t, "aggressor": w.ids[a], "target": w.ids[b], "deterred": False}
        entry["planned"] = True
        if s.record:
            preview = deterrence.predict(s, t, a, b, None, self._plans, self._plan_fired)
            entry.update(
                attacker_strength=preview.attacker_strength, expected_defense=preview.expected_defense
            )
        s.attacks.append(entry)

    def _due(self, t: int) -> bool:
        """Whether a scripted attack or threat is due at tick t."""
        return any(bool(queue) and queue[0][0] == t for queue in (self._pending, self._threats))

    def _check_finish(self, t: int, *, settled: bool) -> None:
        s = self.state
        waiting = any(
            bool(queue) and queue[0][0] < self.max_ticks for queue in (self._pending, self._threats)
        )
        if self.tick < self.max_ticks and (waiting or s.ongoing_wars() or not settled):
            return
        self.result = lifecycle.result_of(s)
        self.finished = True
        s.log(t, "end", N.end_text(s, self.result) if s.record else "", None)

    @property
    def exposure(self) -> np.ndarray:
        """Each state's exposure as last computed (see :mod:`sandbox.core.exposure`); in worlds over
        EXACT_STATES states, the baseline's."""
        return self._exposure if self._exposure is not None else self.baseline_exposure

    def _decisions(self) -> tuple[int, ...]:
        """What exposure depends on besides strength: decisions (perceived reliabilities, the
        network) and who is at war or defeated."""
        s = self.state
        return (s.honoured, s.reneged, int(s.active.sum()), int(np.count_nonzero(s.status == DEFEATED)))

    @property
    def baseline(self) -> dict[str, Any]:
        """The indicators before the first attack (MODEL.md v2: the report's ``baseline``)."""
        w = self.world
        exposed = int(np.count_nonzero(self.baseline_exposure > 1.0))
        return {
            "stability": 1.0 - exposed / max(w.n, 1),
            "exposed_states": exposed,
            "vulnerable_states": int(_initial_vulnerable(w, self.state.gamma).sum()),
            "power_balance": 0.5,
            "cohesion": 1.0,
            "belligerents": 0,
        }

    @property
    def baseline_exposure(self) -> np.ndarray:
        """Each state's exposure before the first attack (computed on first use in big worlds)."""
        if self._baseline_exposure is None:
            fresh = RunState(
                self.world, mode=self.mode, record=False, seed=self.seed, settings=self._settings
            )
            fresh.gamma = self.state.gamma
            self._baseline_exposure = remembered_exposure(fresh)
        return self._baseline_exposure

    def _record(self, t: int) -> None:
        s, w = self.state, self.world
        fighting = (s.status == BELLIGERENT) & s.active
        s_a = float(s.strength[fighting & (s.camp == 1)].sum())
        s_d = float(s.strength[fighting & (s.camp == 2)].sum())
        decided = s.honoured + s.reneged
        row = {
            "tick": t,
            "at_war": float(w.power[fighting].sum()) / w.total_power if w.total_power > 0 else 0.0,
            "belligerents": int(fighting.sum()),
            "power_balance": s_a / (s_a + s_d) if s_a + s_d > 0 else 0.5,
            "cohesion": s.honoured / decided if decided else 1.0,
            "strength_aggressor": s_a,
            "strength_defender": s_d,
        }
        # exposure moves with decisions in worlds where it is exact; above, the baseline's is filled in
        # when the series is read (the recorder asks for it)
        if w.n <= EXACT_STATES:
            if self._decisions() != self._exposure_key:
                self._exposure, self._exposure_key = remembered_exposure(s), self._decisions()
            row["exposed_states"] = int(np.count_nonzero(self._exposure > 1.0))
        self.recorder.append(row)
        self._row = row
        if self.record:
            idx = np.concatenate([EMPTY, *s.changed]) if s.changed else EMPTY
            fighters = s.struck
            tidx = np.concatenate(s.changed_ties) if s.changed_ties else EMPTY
            self._deltas.append(
                (
                    t,
                    idx,
                    s.status[idx].copy(),
                    s.camp[idx].copy(),
                    fighters,
                    s.strength[fighters].copy(),
                    tidx,
                    s.tie_status[tidx].copy(),
                )
            )
        s.changed.clear()
        s.changed_ties.clear()
        s.struck = EMPTY


_STATE_FIELDS = frozenset(
    (
        "status",
        "strength",
        "cost",
        "losses",
        "perceived",
        "events",
        "attacks",
        "pretexts",
        "honoured",
        "reneged",
        "deterred",
        "settled",
        "fired",
        "treaty_obliged",
        "treaty_honoured",
        "wars",
        "tie_status",
        "threats",
        "ticks_at_war",
        "rng",
        "arcs",
    )
)


def _initial_vulnerable(w: W.World, gamma: float) -> np.ndarray:
    """Jackson & Nei vulnerability on the alliance network before any war, once per compiled world."""
    mask = w.vulnerable_before.get(gamma)
    if mask is None:
        mask = w.vulnerable_before[gamma] = vulnerable_mask(w.power, alliance_network(w), gamma)
    return mask


def compile_world(scenario: Scenario) -> W.World:
    """The scenario compiled for the engine, to pass as ``Simulation(scenario, world=...)`` to many runs of
    that same scenario (a Monte Carlo sweep): the runs share it read-only."""
    return W.World(scenario)


def preview_attack(
    scenario: Scenario, aggressor: str, target: str, *, attacker_disadvantage: float | None = None
) -> deterrence.DeterrencePreview:
    """What ``aggressor`` expects if it attacks ``target`` in peacetime: the same prediction the engine
    makes before firing an attack."""
    sim = Simulation(scenario, record=False)
    if attacker_disadvantage is not None:
        sim.gamma = float(attacker_disadvantage)
    return sim.preview(aggressor, target)


def run_scenario(scenario: Scenario, **kwargs: Any) -> Simulation:
    """A finished :class:`Simulation` (same keyword arguments)."""
    return Simulation(scenario, **kwargs).run()
