"""The scenario model: states, treaties, plans, scripted events, settings.

This is the one source of truth that the file format reads and writes, the
engine simulates and the app edits. Every edit goes through a method of
:class:`Scenario`, which checks the new value, applies it and notifies through
the signals in :attr:`Scenario.signals`. Each edit returns what is needed to undo
it exactly (order included), so the app's undo commands are thin.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.core.signals import ScenarioSignals

from sandbox.core.rules import (
    COLOR_PATTERN,
    DATE_PATTERN,
    EVENT_RULES,
    FLAG,
    META_RULES,
    MODES,
    NUMBER,
    SETTING_RULES,
    STATE_RULES,
    TREATY_RULES,
    TREATY_TYPES,
    WHOLE,
    Rule,
    check_date,
    field_problem,
)

__all__ = [
    "COLOR_PATTERN",
    "DATE_PATTERN",
    "MODES",
    "TREATY_TYPES",
    "check_date",
]  # re-exported

FORMAT = "collective-security-sandbox"
VERSION = 2

DECISION_RULES = ("unanimity", "majority", "veto")
# What an authorised collective-security decision asks of the members (MODEL.md v2).
RESPONSES = ("force", "authorise", "sanctions")
# The conditions each treaty type takes (MODEL.md's table); a condition on any
# other type is bad input, never silently ignored.
CONDITIONS_TAKEN: dict[str, tuple[str, ...]] = {
    "defense": ("against", "unprovoked_only"),
    "guarantee": ("against", "unprovoked_only"),
    "offense": ("against",),
    "neutrality": ("against", "unprovoked_only"),
    "non-aggression": (),
    "entente": (),
    "collective-security": (),
}
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\Z")  # \Z: "$" would let a trailing newline in
# How a state is drawn, on the canvas and in exported graphs (Gephi's viz:size and viz:color)
DEFAULT_COLOR = "#9fb3c8"  # the fill of a state without a colour of its own (light canvas)
MIN_RADIUS = 16.0  # tiny states stay big enough to click
RADIUS_PER_SQRT_POWER = 9.0  # area proportional to power


def radius_for_power(power: float) -> float:
    return max(MIN_RADIUS, RADIUS_PER_SQRT_POWER * math.sqrt(max(power, 0.0)))


class ScenarioEditError(ValueError):
    """An edit that would make the scenario invalid; the message says why."""


@dataclass
class State:
    id: str
    name: str
    power: float
    gdp: float | None = None  # None: the same as power (SPEC default)
    reliability: float = 0.8
    mobilization: int = 1
    position: tuple[float, float] = (0.0, 0.0)
    color: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    break_fraction: float | None = None  # None: the setting of the same name
    autonomy: float = 0.0
    revisionism: float = 0.0

    @property
    def economy(self) -> float:
        """The GDP the model uses: ``gdp``, or ``power`` where none is given."""
        return self.power if self.gdp is None else self.gdp

    def breaks_at(self, settings: Settings) -> float:
        """The share of its power below which this state gives up."""
        return settings.break_fraction if self.break_fraction is None else self.break_fraction


@dataclass
class Conditions:
    against: list[str] = field(default_factory=list)
    unprovoked_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def set_names(self) -> list[str]:
        """The conditions that count: set to true or to a non-empty list."""
        return [
            name
            for name, value in (("against", self.against), ("unprovoked_only", self.unprovoked_only))
            if value
        ]


@dataclass
class Decision:
    rule: str = "unanimity"
    veto: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    response: str = "force"  # what an authorised decision asks of members: RESPONSES


@dataclass
class Treaty:
    id: str
    name: str
    type: str = "defense"
    members: list[str] = field(default_factory=list)
    guarantors: list[str] = field(default_factory=list)
    commitment: float = 1.0
    conditions: Conditions = field(default_factory=Conditions)
    decision: Decision = field(default_factory=Decision)
    mediation: float = 0.0  # per-tick chance of a ceasefire between two members
    extra: dict[str, Any] = field(default_factory=dict)

    def parties(self) -> list[str]:
        """Every state the treaty names: guarantors first, then members."""
        return [*self.guarantors, *self.members]


@dataclass
class Plan:
    state: str
    on_war_with: str
    also_attack: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ScriptedEvent:
    """A scripted attack (``aggressor`` attacks ``target``), or a ``threat`` of ``size`` to the
    members of ``treaty`` (MODEL.md, "Common threats"; aggressor and target are then None)."""

    tick: int
    aggressor: str | None
    target: str | None
    type: str = "attack"
    claim: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    treaty: str | None = None
    size: float | None = None


@dataclass
class Settings:
    seed: int = 0
    mode: str = "deterministic"
    deterrence: bool = True
    max_ticks: int = 60
    attacker_disadvantage: float = 1.0
    honor_threshold: float = 0.5
    attrition: float = 0.05
    break_fraction: float = 0.5
    security_preference: float = 0.1
    entente_support: float = 0.5  # the 0.5 in r x c x 0.5 for voluntary entente support
    extra: dict[str, Any] = field(default_factory=dict)
    defense_advantage: float = 1.0  # delta: the defender camp's fighting counts delta times
    exhaustion: float = 50.0  # a state is exhausted when its cost exceeds exhaustion x its GDP
    sanctions_effect: float = 0.02
    days_per_tick: int = 7
    open_play: bool = False
    threat_damage: float = 0.1
    private_benefit: float = 0.0  # Sandler's joint products: beta


@dataclass
class Meta:
    title: str = "Untitled scenario"
    description: str = ""
    notes: str = ""
    year: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    start_date: str | None = None  # ISO "YYYY-MM-DD": the date of tick 0


# Views of the field rules (sandbox.core.rules) that the loader, the sweep and the app read.
def _numbers(table: dict[str, Rule], *kinds: str) -> dict[str, tuple[float, float]]:
    return {key: (rule.lo, rule.hi) for key, rule in table.items() if rule.kind in kinds}


# Numeric settings with their closed ranges (the seed is an id of a run, not a quantity).
SETTING_RANGES = {
    key: bounds for key, bounds in _numbers(SETTING_RULES, NUMBER, WHOLE).items() if key != "seed"
}
# The numeric settings that take whole numbers only.
WHOLE_NUMBER_SETTINGS = frozenset(key for key in SETTING_RANGES if SETTING_RULES[key].kind == WHOLE)
SETTING_FLAGS = tuple(key for key, rule in SETTING_RULES.items() if rule.kind == FLAG)
# Numeric state fields with their closed ranges; mobilization, a whole number, apart.
STATE_RANGES = _numbers(STATE_RULES, NUMBER)
OPTIONAL_STATE_NUMBERS = frozenset(key for key in STATE_RANGES if STATE_RULES[key].optional)
MAX_MOBILIZATION = int(STATE_RULES["mobilization"].hi)


def misplaced_conditions(treaty_type: str, conditions: Conditions) -> list[str]:
    """The set conditions that a treaty of this type does not take."""
    taken = CONDITIONS_TAKEN.get(treaty_type, ())
    return [name for name in conditions.set_names() if name not in taken]


def conditions_hint(treaty_type: str) -> str:
    taken = CONDITIONS_TAKEN.get(treaty_type, ())
    article = "an" if treaty_type[0] in "aeiou" else "a"
    return f"{article} {treaty_type} treaty takes " + (" and ".join(taken) if taken else "no conditions")


@dataclass
class StateRemoval:
    """Everything :meth:`Scenario.remove_state` took out, for exact re-insertion."""

    state: State
    index: int
    memberships: list[tuple[str, str, int]]  # (treaty id, "members"/"guarantors"/"against"/"veto", position)
    treaties: list[tuple[Treaty, int]]  # treaties left with too few parties, removed whole
    plans: list[tuple[Plan, int]]
    events: list[tuple[ScriptedEvent, int]]


def check_state_values(values: dict[str, Any]) -> dict[str, Any]:
    """Raise :class:`ScenarioEditError` if a state field value breaks its rule; else the values
    as a file keeps them."""
    return _check(STATE_RULES, values)


def _check(table: dict[str, Rule], values: dict[str, Any]) -> dict[str, Any]:
    for key, value in values.items():
        if key in table:
            problem = field_problem(table, key, value)
            if problem:
                raise ScenarioEditError(problem)
    return {key: table[key].kept(value) if key in table else value for key, value in values.items()}


def min_members(treaty_type: str) -> int:
    """Smallest number of ``members`` a treaty of this type needs."""
    return 1 if treaty_type == "guarantee" else 2


class Scenario:
    """A world of states and treaties with its plans, events and settings."""

    def __init__(
        self,
        states: list[State] | None = None,
        treaties: list[Treaty] | None = None,
        plans: list[Plan] | None = None,
        events: list[ScriptedEvent] | None = None,
        settings: Settings | None = None,
        meta: Meta | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.states: list[State] = list(states or [])
        self.treaties: list[Treaty] = list(treaties or [])
        self.plans: list[Plan] = list(plans or [])
        self.events: list[ScriptedEvent] = list(events or [])
        self.settings = settings or Settings()
        self.meta = meta or Meta()
        self.extra: dict[str, Any] = dict(extra or {})
        self._signals: ScenarioSignals | None = None  # made when first asked for (signals)
        self._reindex()

    @property
    def signals(self) -> ScenarioSignals:
        """The scenario's notifications (:class:`sandbox.core.signals.ScenarioSignals`), made when
        first asked for: a scenario nobody listens to (the CLI's, a sweep's) never loads psygnal."""
        if self._signals is None:
            from sandbox.core.signals import ScenarioSignals

            self._signals = ScenarioSignals()
        return self._signals

    def _emit(self, name: str, *args: Any) -> None:
        if self._signals is not None:
            getattr(self._signals, name).emit(*args)

    # -- look-ups -----------------------------------------------------------

    def _reindex(self) -> None:
        self._state_by_id = {s.id: s for s in self.states}
        self._treaty_by_id = {t.id: t for t in self.treaties}

    def state(self, state_id: str) -> State:
        return self._state_by_id[state_id]

    def treaty(self, treaty_id: str) -> Treaty:
        return self._treaty_by_id[treaty_id]

    def has_state(self, state_id: str) -> bool:
        return state_id in self._state_by_id

    def has_treaty(self, treaty_id: str) -> bool:
        return treaty_id in self._treaty_by_id

    def state_index(self, state_id: str) -> int:
        return self.states.index(self._state_by_id[state_id])

    def treaty_index(self, treaty_id: str) -> int:
        return self.treaties.index(self._treaty_by_id[treaty_id])

    def unique_id(self, stem: str) -> str:
        """An id not yet used by any state or treaty, built from ``stem``."""
        base = re.sub(r"[^A-Za-z0-9_-]", "", stem.replace(" ", "-")) or "x"
        taken = self._state_by_id.keys() | self._treaty_by_id.keys()
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def copy(self) -> Scenario:
        """A deep copy with fresh (unconnected) signals."""
        return Scenario(
            copy.deepcopy(self.states),
            copy.deepcopy(self.treaties),
            copy.deepcopy(self.plans),
            copy.deepcopy(self.events),
            copy.deepcopy(self.settings),
            copy.deepcopy(self.meta),
            copy.deepcopy(self.extra),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return all(
            getattr(self, name) == getattr(other, name)
            for name in ("states", "treaties", "plans", "events", "settings", "meta", "extra")
        )

    __hash__ = None  # type: ignore[assignment]

    # -- states ---------------------------------------------------------------

    def add_state(self, state: State, index: int | None = None) -> int:
        """Insert a state (at ``index``, default the end); returns its index."""
        if not ID_PATTERN.match(state.id):
            raise ScenarioEditError(f"id: must be letters, digits, '_' or '-', got {state.id!r}")
        if state.id in self._state_by_id or state.id in self._treaty_by_id:
            raise ScenarioEditError(f"id: {state.id!r} is already used")
        check_state_values(
            {f.name: getattr(state, f.name) for f in fields(State) if f.name not in ("id", "extra")}
        )
        index = len(self.states) if index is None else index
        self.states.insert(index, state)
        self._state_by_id[state.id] = state
        self._emit("state_added", state, index)
        self._emit("changed")
        return index

    def update_state(self, state_id: str, **values: Any) -> dict[str, Any]:
        """Change fields of a state; returns the old values (pass back to undo)."""
        state = self._state_by_id[state_id]
        unknown = set(values) - ({f.name for f in fields(State)} - {"id"})
        if unknown:
            raise ScenarioEditError(f"cannot set {', '.join(sorted(unknown))} on a state")
        values = check_state_values(values)
        old = {key: getattr(state, key) for key in values}
        for key, value in values.items():
            setattr(state, key, value)
        self._emit("states_changed", (state,), tuple(values))
        self._emit("changed")
        return old

    def move_states(self, positions: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        """Move several states at once, all or none (every position is checked first); returns their
        old positions. One notification tells of the whole move: a drag of 20,000 states is one
        emission, not 20,000 (README, "Development": the psygnal benchmark)."""
        states = [self._state_by_id[state_id] for state_id in positions]
        kept = [check_state_values({"position": pos})["position"] for pos in positions.values()]
        old = {state.id: state.position for state in states}
        for state, pos in zip(states, kept, strict=True):
            state.position = pos
        self._emit("states_changed", tuple(states), ("position",))
        self._emit("changed")
        return old

    def remove_state(self, state_id: str) -> StateRemoval:
        """Remove a state with its memberships, and any treaty, plan or event
        that would be left naming it or with too few parties."""
        state = self._state_by_id[state_id]
        memberships: list[tuple[str, str, int]] = []
        dead_treaties: list[tuple[Treaty, int]] = []
        plans = [
            (p, i) for i, p in enumerate(self.plans) if state_id in (p.state, p.on_war_with, *p.also_attack)
        ]
        events = [(e, i) for i, e in enumerate(self.events) if state_id in (e.aggressor, e.target)]
        for plan, _ in reversed(plans):
            self.plans.remove(plan)
        for event, _ in reversed(events):
            self.events.remove(event)
        if plans or events:
            self._emit("scenario_changed")
        for index in reversed(range(len(self.treaties))):
            treaty = self.treaties[index]
            if state_id not in treaty.parties():
                continue
            remaining = [m for m in treaty.members if m != state_id]
            if len(remaining) < min_members(treaty.type) or (
                treaty.type == "guarantee" and treaty.guarantors == [state_id]
            ):
                del self.treaties[index]
                del self._treaty_by_id[treaty.id]
                dead_treaties.insert(0, (treaty, index))
                self._emit("treaty_removed", treaty, index)
        for treaty in self.treaties:
            changed = []
            for role, items in (
                ("members", treaty.members),
                ("guarantors", treaty.guarantors),
                ("against", treaty.conditions.against),
                ("veto", treaty.decision.veto),
            ):
                if state_id in items:
                    memberships.append((treaty.id, role, items.index(state_id)))
                    items.remove(state_id)
                    changed.append(role)
            if changed:
                self._emit("treaty_changed", treaty, tuple(changed))
        index = self.states.index(state)
        del self.states[index]
        del self._state_by_id[state_id]
        self._emit("state_removed", state, index)
        self._emit("changed")
        return StateRemoval(state, index, memberships, dead_treaties, plans, events)

    def restore_state(self, removal: StateRemoval) -> None:
        """Undo :meth:`remove_state` exactly, order included."""
        self.states.insert(removal.index, removal.state)
        self._state_by_id[removal.state.id] = removal.state
        self._emit("state_added", removal.state, removal.index)
        for treaty_id, role, position in reversed(removal.memberships):
            treaty = self._treaty_by_id[treaty_id]
            _role_list(treaty, role).insert(position, removal.state.id)
            self._emit("treaty_changed", treaty, (role,))
        for treaty, index in removal.treaties:
            self.treaties.insert(index, treaty)
            self._treaty_by_id[treaty.id] = treaty
            self._emit("treaty_added", treaty, index)
        for plan, index in removal.plans:
            self.plans.insert(index, plan)
        for event, index in removal.events:
            self.events.insert(index, event)
        if removal.plans or removal.events:
            self._emit("scenario_changed")
        self._emit("changed")

    # -- treaties -------------------------------------------------------------

    def check_treaty(self, treaty: Treaty) -> None:
        """Raise :class:`ScenarioEditError` if the treaty does not fit this scenario."""
        if treaty.type not in TREATY_TYPES:
            raise ScenarioEditError(f"type: must be one of {', '.join(TREATY_TYPES)}, got {treaty.type!r}")
        _check(
            TREATY_RULES,
            {"name": treaty.name, "commitment": treaty.commitment, "mediation": treaty.mediation},
        )
        for role, items in (
            ("members", treaty.members),
            ("guarantors", treaty.guarantors),
            ("conditions.against", treaty.conditions.against),
            ("decision.veto", treaty.decision.veto),
        ):
            self._check_state_ids(role, items)
        unprovoked = treaty.conditions.unprovoked_only
        if not isinstance(unprovoked, bool):
            raise ScenarioEditError(f"conditions.unprovoked_only: must be true or false, got {unprovoked!r}")
        parties = treaty.parties()
        if len(set(parties)) != len(parties):
            raise ScenarioEditError("members: a state cannot be tied to itself (listed twice)")
        if len(treaty.members) < min_members(treaty.type):
            raise ScenarioEditError(
                f"members: a {treaty.type} treaty needs at least {min_members(treaty.type)}"
            )
        if treaty.type == "guarantee" and not treaty.guarantors:
            raise ScenarioEditError("guarantors: a guarantee needs at least one guarantor")
        if treaty.type != "guarantee" and treaty.guarantors:
            raise ScenarioEditError("guarantors: only a guarantee has guarantors")
        if treaty.decision.rule not in DECISION_RULES:
            raise ScenarioEditError(f"decision.rule: must be one of {', '.join(DECISION_RULES)}")
        if treaty.decision.response not in RESPONSES:
            raise ScenarioEditError(f"decision.response: must be one of {', '.join(RESPONSES)}")
        misplaced = misplaced_conditions(treaty.type, treaty.conditions)
        if misplaced:
            raise ScenarioEditError(f"conditions.{misplaced[0]}: {conditions_hint(treaty.type)}")

    def _check_state_ids(self, place: str, items: Any) -> None:
        """Raise :class:`ScenarioEditError` unless ``items`` is a list of ids of this scenario's states."""
        if not isinstance(items, list):
            raise ScenarioEditError(f"{place}: must be a list of state ids, got {items!r}")
        for state_id in items:
            if not isinstance(state_id, str) or state_id not in self._state_by_id:
                raise ScenarioEditError(f"{place}: unknown state {state_id!r}")

    def add_treaty(self, treaty: Treaty, index: int | None = None) -> int:
        if not ID_PATTERN.match(treaty.id):
            raise ScenarioEditError(f"id: must be letters, digits, '_' or '-', got {treaty.id!r}")
        if treaty.id in self._treaty_by_id or treaty.id in self._state_by_id:
            raise ScenarioEditError(f"id: {treaty.id!r} is already used")
        self.check_treaty(treaty)
        index = len(self.treaties) if index is None else index
        self.treaties.insert(index, treaty)
        self._treaty_by_id[treaty.id] = treaty
        self._emit("treaty_added", treaty, index)
        self._emit("changed")
        return index

    def update_treaty(self, treaty_id: str, **values: Any) -> dict[str, Any]:
        """Change fields of a treaty (members, conditions, ... included);
        returns the old values. Values are checked as a whole treaty."""
        treaty = self._treaty_by_id[treaty_id]
        allowed = {f.name for f in fields(Treaty)} - {"id"}
        unknown = set(values) - allowed
        if unknown:
            raise ScenarioEditError(f"cannot set {', '.join(sorted(unknown))} on a treaty")
        candidate = copy.deepcopy(treaty)
        for key, value in values.items():
            setattr(candidate, key, copy.deepcopy(value))
        self.check_treaty(candidate)
        old = {key: copy.deepcopy(getattr(treaty, key)) for key in values}
        for key in values:
            setattr(treaty, key, getattr(candidate, key))
        self._emit("treaty_changed", treaty, tuple(values))
        self._emit("changed")
        return old

    def remove_treaty(self, treaty_id: str) -> tuple[Treaty, int]:
        """Remove a treaty; returns it with its index (pass to :meth:`add_treaty`)."""
        treaty = self._treaty_by_id.pop(treaty_id)
        index = self.treaties.index(treaty)
        del self.treaties[index]
        self._emit("treaty_removed", treaty, index)
        self._emit("changed")
        return treaty, index

    # -- plans, events, settings, meta -----------------------------------------

    def set_plans(self, plans: list[Plan]) -> list[Plan]:
        """Replace the war plans (each checked as the loader checks it); returns the old ones."""
        for plan in plans:
            self._check_state_ids("plans", [plan.state, plan.on_war_with])
            self._check_state_ids("plans", plan.also_attack)
            if plan.state == plan.on_war_with or plan.state in plan.also_attack:
                raise ScenarioEditError(f"plans: {plan.state!r} cannot make war on itself")
        old, self.plans = self.plans, list(plans)
        self._emit("scenario_changed")
        self._emit("changed")
        return old

    def set_events(self, events: list[ScriptedEvent]) -> list[ScriptedEvent]:
        """Replace the scripted events (each checked as the loader checks it); returns the old ones."""
        for event in events:
            problem = field_problem(EVENT_RULES, "tick", event.tick) or field_problem(
                EVENT_RULES, "type", event.type
            )
            if problem:
                raise ScenarioEditError(f"events: {problem}")
            if event.type == "threat":
                if event.treaty not in self._treaty_by_id:
                    raise ScenarioEditError(f"events: a threat names unknown treaty {event.treaty!r}")
                problem = field_problem(EVENT_RULES, "size", event.size)
                if problem:
                    raise ScenarioEditError(f"events: a threat's {problem}")
                if (event.aggressor, event.target, event.claim) != (None, None, None):
                    raise ScenarioEditError("events: a threat event takes treaty and size, not an aggressor")
                continue
            if (event.treaty, event.size) != (None, None):
                raise ScenarioEditError("events: only a threat event takes a treaty and a size")
            if event.aggressor not in self._state_by_id or event.target not in self._state_by_id:
                raise ScenarioEditError("events: an attack must name two known states")
            if event.aggressor == event.target:
                raise ScenarioEditError("events: a state cannot attack itself")
            if event.claim is not None and event.claim not in self._treaty_by_id:
                raise ScenarioEditError(f"events: claim names unknown treaty {event.claim!r}")
        old, self.events = self.events, list(events)
        self._emit("scenario_changed")
        self._emit("changed")
        return old

    def update_settings(self, **values: Any) -> dict[str, Any]:
        allowed = {f.name for f in fields(Settings)} - {"extra"}
        unknown = set(values) - allowed
        if unknown:
            raise ScenarioEditError(f"cannot set {', '.join(sorted(unknown))} in settings")
        values = _check(SETTING_RULES, values)
        old = {key: getattr(self.settings, key) for key in values}
        for key, value in values.items():
            setattr(self.settings, key, value)
        self._emit("scenario_changed")
        self._emit("changed")
        return old

    def update_meta(self, **values: Any) -> dict[str, Any]:
        allowed = {f.name for f in fields(Meta)} - {"extra"}
        unknown = set(values) - allowed
        if unknown:
            raise ScenarioEditError(f"cannot set {', '.join(sorted(unknown))} in meta")
        values = _check(META_RULES, values)
        old = {key: getattr(self.meta, key) for key in values}
        for key, value in values.items():
            setattr(self.meta, key, value)
        self._emit("scenario_changed")
        self._emit("changed")
        return old


def _role_list(treaty: Treaty, role: str) -> list[str]:
    return {
        "members": treaty.members,
        "guarantors": treaty.guarantors,
        "against": treaty.conditions.against,
        "veto": treaty.decision.veto,
    }[role]
