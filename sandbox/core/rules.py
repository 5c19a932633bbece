"""The one table of field rules: every value a scenario holds, with its type, range, default, unit
and a sentence of help (MODEL.md's meaning of the field).

Everything that checks or offers a value reads it from here: the editing API
(:mod:`sandbox.core.scenario`), the file loader (:mod:`sandbox.core.io.fileformat`), the
sweep's ``--vary`` checks, the app's inspector and paste, and the published JSON Schema of
``.sandbox`` files (:func:`json_schema`, ``resources/schema/sandbox.schema.json``). So a value
the app accepts is a value the file reopens with, and the messages agree word for word.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NUMBER, WHOLE, FLAG, CHOICE, TEXT, COLOUR, POSITION, DATE = (
    "number",
    "whole number",
    "flag",
    "choice",
    "text",
    "colour",
    "position",
    "date",
)
COLOR_PATTERN = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class Rule:
    """What one field may hold. ``optional``: it may also be null (None), which means ``meaning_of_null``."""

    name: str
    kind: str
    default: Any
    help: str
    lo: float = -math.inf
    hi: float = math.inf
    unit: str = ""
    optional: bool = False
    meaning_of_null: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False

    def expected(self) -> str:
        """What the field must be, as the messages say it: "a number between 0 and 1"."""
        if self.kind in (NUMBER, WHOLE):
            kind = "a whole number" if self.kind == WHOLE else "a number"
            if self.lo == -math.inf and self.hi == math.inf:
                return kind
            if self.hi == math.inf:
                return f"{kind} >= {self.lo:g}"
            return f"{kind} between {self.lo:g} and {self.hi:g}"
        return {
            FLAG: "true or false",
            CHOICE: f"one of {', '.join(self.choices)}",
            TEXT: "a string",
            COLOUR: 'a colour like "#6b6b6b"',
            POSITION: "[x, y] with two finite numbers",
            DATE: 'a date "YYYY-MM-DD"',
        }[self.kind]

    def problem(self, value: Any, show: Callable[[Any], str] = repr) -> str | None:
        """Why ``value`` does not fit (``"must be ..., got ..."``, the value rendered by ``show``),
        or None when it does."""
        if value is None and self.optional:
            return None
        if self.kind == DATE and isinstance(value, str) and DATE_PATTERN.match(value):
            return check_date(value)  # shaped like a date, but is it a day of the calendar?
        if not self.accepts(value):
            return f"must be {self.expected()}, got {show(value)}"
        return None

    def accepts(self, value: Any) -> bool:
        if self.kind in (NUMBER, WHOLE):
            if isinstance(value, bool) or not isinstance(value, int if self.kind == WHOLE else int | float):
                return False
            try:
                return math.isfinite(value) and self.lo <= value <= self.hi
            except OverflowError:  # an integer too large for a float
                return False
        if self.kind == FLAG:
            return isinstance(value, bool)
        if self.kind == CHOICE:
            return isinstance(value, str) and value in self.choices
        if self.kind == TEXT:
            return isinstance(value, str)
        if self.kind == COLOUR:
            return isinstance(value, str) and COLOR_PATTERN.match(value) is not None
        if self.kind == POSITION:
            return (
                isinstance(value, list | tuple)
                and len(value) == 2
                and all(NUMBER_RULE.accepts(v) for v in value)
            )
        if self.kind == DATE:
            return check_date(value) is None
        raise AssertionError(self.kind)

    def kept(self, value: Any) -> Any:
        """``value`` (which fits) as a saved and reopened file gives it back: numbers as floats,
        so that a whole number too large for a float cannot differ after a round trip."""
        if self.kind == NUMBER and value is not None:
            return float(value)
        if self.kind == POSITION:
            return (float(value[0]), float(value[1]))
        return value

    def tooltip(self) -> str:
        """The help sentence with the unit, the range and the default, for the inspector."""
        facts = [f"{self.expected()[0].upper()}{self.expected()[1:]}"]
        if self.unit and self.unit != UNIT:
            facts.append(f"in {self.unit}")
        if self.default is None and self.optional:
            facts.append(f"default: {self.meaning_of_null}")
        elif self.default is not None and not self.required:
            facts.append(f"default {_shown(self.default)}")
        return f"{self.help} ({'; '.join(facts)}.)"

    def schema(self) -> dict[str, Any]:
        """This field as JSON Schema (draft 2020-12)."""
        if self.kind in (NUMBER, WHOLE):
            out: dict[str, Any] = {"type": "integer" if self.kind == WHOLE else "number"}
            if self.lo != -math.inf:
                out["minimum"] = self.lo
            if self.hi != math.inf:
                out["maximum"] = self.hi
        elif self.kind == FLAG:
            out = {"type": "boolean"}
        elif self.kind == CHOICE:
            out = {"enum": list(self.choices)}
        elif self.kind == TEXT:
            out = {"type": "string"}
        elif self.kind == COLOUR:
            out = {"type": "string", "pattern": COLOR_PATTERN.pattern}
        elif self.kind == POSITION:
            out = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
        else:
            out = {"type": "string", "pattern": DATE_PATTERN.pattern}
        if self.optional:
            out = {"anyOf": [out, {"type": "null"}]}
        out["description"] = self.tooltip()
        if self.unit:
            out["x-unit"] = self.unit  # an annotation of ours: JSON Schema has no keyword for units
        if self.default is not None and not self.required:
            out["default"] = list(self.default) if isinstance(self.default, tuple) else self.default
        return out


NUMBER_RULE = Rule("", NUMBER, None, "")


def _shown(value: Any) -> str:
    """A default as a file writes it: true, 0.8, [0, 0], "defense"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return f'"{value}"'


def check_date(value: Any) -> str | None:
    """Why ``value`` is not an ISO date "YYYY-MM-DD" (None: it is one)."""
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        return f'must be a date "YYYY-MM-DD", got {value!r}'
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return f"is not a day of the calendar: {value!r}"
    return None


def _table(*rules: Rule) -> dict[str, Rule]:
    return {rule.name: rule for rule in rules}


UNIT = "share, 0 to 1"
STATE_RULES = _table(
    Rule("name", TEXT, None, "The name shown on the map and in the narration.", required=True),
    Rule(
        "power",
        NUMBER,
        None,
        "Military capability (the historical examples use COW CINC x 100).",
        lo=0.0,
        unit="power units",
        required=True,
    ),
    Rule(
        "gdp",
        NUMBER,
        None,
        "Economic size: what exhaustion and the peace burden weigh against.",
        lo=0.0,
        optional=True,
        meaning_of_null="the same as power",
    ),
    Rule("reliability", NUMBER, 0.8, "Propensity to keep its word.", lo=0.0, hi=1.0, unit=UNIT),
    Rule(
        "mobilization",
        WHOLE,
        1,
        "Ticks between deciding to fight and fighting.",
        lo=0,
        hi=10_000,
        unit="ticks",
    ),
    Rule(
        "break_fraction",
        NUMBER,
        None,
        "The share of its power below which it gives up.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
        optional=True,
        meaning_of_null="the setting of the same name",
    ),
    Rule(
        "autonomy",
        NUMBER,
        0.0,
        "How jealously it guards its sovereignty against collective obligations.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule(
        "revisionism",
        NUMBER,
        0.0,
        "Appetite for conquest in open play: the state attacks when its best margin of victory"
        " exceeds 1 / revisionism (0: it never starts a war).",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule("position", POSITION, (0.0, 0.0), "Where the state sits on the map."),
    Rule(
        "color",
        COLOUR,
        None,
        "The state's fill on the map.",
        optional=True,
        meaning_of_null="the palette's state colour",
    ),
)
TREATY_TYPES = (
    "defense",
    "guarantee",
    "offense",
    "neutrality",
    "non-aggression",
    "entente",
    "collective-security",
)
TREATY_RULES = _table(
    Rule("name", TEXT, None, "The treaty's name on the map and in the narration (default: its id)."),
    Rule("type", CHOICE, "defense", "What the treaty obliges (MODEL.md's table).", choices=TREATY_TYPES),
    Rule(
        "commitment",
        NUMBER,
        1.0,
        "How firmly it binds: 1 automatic, about 0.5 a consultation clause.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule(
        "mediation",
        NUMBER,
        0.0,
        "The chance per tick of a ceasefire between two members at war.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
)
MODES = ("deterministic", "stochastic")
SETTING_RULES = _table(
    Rule("seed", WHOLE, 0, "The random seed: the same seed gives the same run.", lo=0, hi=MAX_SEED),
    Rule("mode", CHOICE, "deterministic", "Deterministic camps or stochastic draws.", choices=MODES),
    Rule("deterrence", FLAG, True, "Aggressors weigh the expected defence before they attack."),
    Rule("open_play", FLAG, False, "Revisionist states choose attacks of their own."),
    Rule("max_ticks", WHOLE, 60, "The run ends after this many ticks.", lo=1, hi=100_000, unit="ticks"),
    Rule(
        "attacker_disadvantage",
        NUMBER,
        1.0,
        "Gamma: an attack goes ahead only if its expected strength beats gamma x the defence.",
        lo=0.0,
        hi=1e6,
    ),
    Rule(
        "honor_threshold",
        NUMBER,
        0.5,
        "In deterministic mode a state honours its obligation when p reaches this.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule(
        "attrition",
        NUMBER,
        0.05,
        "The share of the enemy's strength a camp loses each tick of fighting.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule(
        "break_fraction",
        NUMBER,
        0.5,
        "The share of its power below which a state gives up, unless it has its own.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule(
        "security_preference",
        NUMBER,
        0.1,
        "a in the peace burden: the weight a state gives to security over consumption.",
        lo=1e-9,
        hi=1.0 - 1e-9,
    ),
    Rule(
        "entente_support",
        NUMBER,
        0.5,
        "The chance factor of voluntary support between entente partners (r x c x this).",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule(
        "defense_advantage",
        NUMBER,
        1.0,
        "Delta: the defender camp's fighting counts delta times.",
        lo=0.0,
        hi=1e6,
    ),
    Rule(
        "exhaustion",
        NUMBER,
        50.0,
        "A state is exhausted when its accumulated cost exceeds this times its GDP.",
        lo=0.0,
        hi=1e9,
    ),
    Rule(
        "sanctions_effect",
        NUMBER,
        0.02,
        "The share of its power a sanctioned state loses each tick under full sanctions.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule("days_per_tick", WHOLE, 7, "The length of a tick in the narration.", lo=1, hi=36_500, unit="days"),
    Rule(
        "threat_damage",
        NUMBER,
        0.1,
        "The share of its power a member loses to an unanswered common threat.",
        lo=0.0,
        hi=1.0,
        unit=UNIT,
    ),
    Rule(
        "private_benefit",
        NUMBER,
        0.0,
        "Beta: the private benefit of defence spending (0: a pure public good).",
        lo=0.0,
        hi=1e6,
    ),
)
META_RULES = _table(
    Rule("title", TEXT, "Untitled scenario", "The scenario's title."),
    Rule("description", TEXT, "", "One line describing the scenario."),
    Rule("notes", TEXT, "", "Facilitator notes, in Markdown."),
    Rule("year", WHOLE, None, "The year the scenario is set in.", optional=True, meaning_of_null="none"),
    Rule(
        "start_date",
        DATE,
        None,
        "The date of tick 0; the narration then tells dates.",
        optional=True,
        meaning_of_null="none",
    ),
)
EVENT_TYPES = ("attack", "threat")
EVENT_RULES = _table(
    Rule("tick", WHOLE, 0, "The tick at which the scripted event happens.", lo=0, unit="ticks"),
    Rule(
        "type",
        CHOICE,
        "attack",
        "A scripted attack, or a common threat to a treaty's members.",
        choices=EVENT_TYPES,
    ),
    Rule(
        "size",
        NUMBER,
        None,
        "A threat's size: the members' peace-time contributions meet it if they reach it.",
        lo=0.0,
        unit="power units",
    ),
)
RULES = {
    "states": STATE_RULES,
    "treaties": TREATY_RULES,
    "settings": SETTING_RULES,
    "meta": META_RULES,
    "events": EVENT_RULES,
}


def field_problem(table: dict[str, Rule], key: str, value: Any) -> str | None:
    """``"KEY: must be ..., got ..."`` when ``value`` does not fit the rule of ``key``, else None."""
    problem = table[key].problem(value)
    return None if problem is None else f"{key}: {problem}"
