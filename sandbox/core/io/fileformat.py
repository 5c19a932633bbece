"""The ``.sandbox`` scenario file: versioned UTF-8 JSON (SPEC.md).

Loading is parse -> check the envelope (format, version) -> migrate version by
version -> validate every field -> build a :class:`Scenario`. Any input gives
either a Scenario or a :class:`ScenarioFileError` listing every problem found,
each with its place (``states[3].power: ...``); no other exception escapes.
Saving writes SPEC's key order with unknown keys after the known ones, and is
atomic: the old file stays whole until the new one is complete.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import json
import math
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from sandbox.core.gc_pause import without_gc
from sandbox.core.rules import (
    CHOICE,
    EVENT_RULES,
    FLAG,
    META_RULES,
    NUMBER,
    SETTING_RULES,
    STATE_RULES,
    TREATY_RULES,
    WHOLE,
    Rule,
)
from sandbox.core.scenario import (
    COLOR_PATTERN,
    DECISION_RULES,
    FORMAT,
    ID_PATTERN,
    MAX_MOBILIZATION,
    OPTIONAL_STATE_NUMBERS,
    RESPONSES,
    SETTING_FLAGS,
    SETTING_RANGES,
    STATE_RANGES,
    TREATY_TYPES,
    VERSION,
    Conditions,
    Decision,
    Meta,
    Plan,
    Scenario,
    ScriptedEvent,
    Settings,
    State,
    Treaty,
    conditions_hint,
    min_members,
    misplaced_conditions,
)

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS = 20  # listed of an import's problems before the count of the rest
MAX_DEPTH = 64
_COLOR = COLOR_PATTERN
_LINE_COL = re.compile(r"^\d+:\d+: ")
# Python converts at most this many digits of an integer (sys.get_int_max_str_digits' default)
MAX_INT_DIGITS = 4300
# A JSON string, or a constant that Python's json accepts but a scenario must not hold, or an
# integer too long for Python to convert.
_STRING_OR_CONSTANT = re.compile(
    r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)|(?<![\d.])(-?\d{' + str(MAX_INT_DIGITS + 1) + r",})(?![\d.eE])"
)


class ScenarioFileError(Exception):
    """A scenario file that cannot be read. ``source`` names the file and
    ``problems`` lists every problem found, each with its place in the file.
    ``str(error)`` gives one line per problem, each starting with the file name."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = str(source)
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        # "FILE:LINE:COL: ..." for syntax, "FILE: path: ..." for content
        return "\n".join(
            f"{self.source}:{p}" if _LINE_COL.match(p) else f"{self.source}: {p}" for p in self.problems
        )


def capped(problems: list[str], what: str = "problems") -> list[str]:
    """The first MAX_PROBLEMS problems, then a count of the rest (for files that can hold thousands)."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more {what}"]


# -- reading -----------------------------------------------------------------


def load_scenario(path: str | os.PathLike[str], max_bytes: int | None = None) -> Scenario:
    """Read a ``.sandbox`` file; raises :class:`ScenarioFileError` on any bad input,
    a missing file, a folder, or a file over 64 MiB (refused before reading it).
    ``max_bytes`` replaces the 64 MiB for files the product wrote itself (recovery files)."""
    return loads_scenario(read_file(path, max_bytes), str(path), max_bytes)


def read_file(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    """The bytes of a scenario or graph file, refusing (with ScenarioFileError)
    a missing file, a folder or anything else that is not a regular file (a
    pipe would hang), and a file over 64 MiB (or ``max_bytes``) before reading it."""
    source = str(path)
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioFileError(source, ["is a folder, not a scenario file"])
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioFileError(source, ["is not a regular file"])
        if info.st_size > limit:
            raise ScenarioFileError(source, [_too_big(info.st_size, limit)])
        with open(path, "rb") as stream:
            return stream.read(limit + 1)
    except OSError as error:
        raise ScenarioFileError(source, [_os_problem(error)]) from None


def loads_scenario(text: str | bytes, source: str = "<string>", max_bytes: int | None = None) -> Scenario:
    """Build a Scenario from the text of a ``.sandbox`` file (bytes must be UTF-8)."""
    with without_gc():
        return _from_parsed(
            parse_json(text, source, max_bytes), source
        )  # parse_json has refused lone surrogates


def parse_json(text: str | bytes, source: str = "<string>", max_bytes: int | None = None) -> Any:
    """Parse JSON text the way scenario files are read: UTF-8 only, at most
    64 MiB (or ``max_bytes``), no NaN or Infinity, nesting as deep as json itself can parse (the
    content checks cap unknown keys at 64 levels). Raises :class:`ScenarioFileError`."""
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    if len(text) > limit:
        raise ScenarioFileError(source, [_too_big(len(text), limit)])
    from_bytes = isinstance(text, bytes | bytearray)
    if from_bytes:
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            bad = error.object[error.start : error.start + 1].hex()
            raise ScenarioFileError(
                source, [f"not UTF-8 text: byte 0x{bad} at byte offset {error.start} cannot be decoded"]
            ) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors add
    repeated: list[tuple[dict, list[str]]] = []

    def keep_object(pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) < len(pairs):  # json keeps the last of a repeated key silently
            repeated.append((obj, [key for key, n in Counter(key for key, _ in pairs).items() if n > 1]))
        return obj

    try:
        # numbers too large for a float (1e999) become inf: the content checks refuse them, with their place
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=keep_object)
    except _NonFiniteNumber as error:
        raise ScenarioFileError(source, [_locate_token(text, error.token)]) from None
    except json.JSONDecodeError as error:
        raise ScenarioFileError(
            source, [f"{error.lineno}:{error.colno}: invalid JSON: {error.msg}"]
        ) from None
    except RecursionError:
        raise ScenarioFileError(source, [f"invalid JSON: {_too_deep()}"]) from None
    except ValueError as error:  # an integer with more digits than Python converts
        raise ScenarioFileError(source, [_locate_long_number(text) or f"invalid JSON: {error}"]) from None
    problems = _repeated_keys(data, repeated)
    if _SURROGATE_ESCAPE.search(text) or (not from_bytes and _RAW_SURROGATE.search(text)):
        problems.extend(_lone_surrogates(data))
    if problems:
        raise ScenarioFileError(source, problems)
    return data


# an escaped UTF-16 surrogate (paired ones decode to one character and pass); one regex with
# its literal prefix is ten times faster on a big file than one that also looks for raw ones,
# which only a str can hold (UTF-8 bytes cannot)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_RAW_SURROGATE = re.compile("[\ud800-\udfff]")


def _places(data: Any) -> Iterator[tuple[str, Any]]:
    """Every value in a parsed JSON tree with its place ("$" for the whole, "states[0].name")."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        place, value = stack.pop()
        yield place or "$", value
        if isinstance(value, dict):
            stack.extend((f"{place}.{k}" if place else str(k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{place}[{i}]", v) for i, v in reversed(list(enumerate(value))))


def _repeated_keys(data: Any, repeated: list[tuple[dict, list[str]]]) -> list[str]:
    """'duplicate key "K" in PLACE' for each repeated key, in the order of the file."""
    if not repeated:
        return []
    where = {
        id(value): (n, place) for n, (place, value) in enumerate(_places(data)) if isinstance(value, dict)
    }
    found = sorted((where[id(obj)], key) for obj, keys in repeated for key in keys)
    return [f"duplicate key {json.dumps(key)} in {place}" for (_, place), key in found]


def _lone_surrogates(data: Any) -> list[str]:
    """A problem for each string (or object key) holding a surrogate that no UTF-8 file can store."""
    problems = []
    for place, value in _places(data):
        if isinstance(value, str):
            texts = [(f"{place}: contains", value)]
        elif isinstance(value, dict):
            texts = [(f"{place}: key {json.dumps(key)} contains", key) for key in value]
        else:
            continue
        for what, text in texts:
            lone = next((c for c in text if "\ud800" <= c <= "\udfff"), None)
            if lone is not None:
                problems.append(f"{what} an unpaired surrogate \\u{ord(lone):04x}")
    return problems


class _NonFiniteNumber(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _refuse_constant(token: str) -> float:
    raise _NonFiniteNumber(token)


def _locate_token(text: str, token: str) -> str:
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(1) == token:
            return f"{_line_col(text, match.start())}: invalid JSON: {token} is not a finite number"
    return f"invalid JSON: {token} is not a finite number"


def _locate_long_number(text: str) -> str | None:
    """ "LINE:COL: invalid JSON: number too long" for the first integer with more
    digits than Python converts (None if there is none)."""
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(2):
            return f"{_line_col(text, match.start(2))}: invalid JSON: number too long"
    return None


def _line_col(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - line_start + 1}"


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep"


def _too_big(size: int, limit: int) -> str:
    return f"file is {size / 2**20:.1f} MiB; scenario files are limited to {limit // 2**20} MiB"


def _os_problem(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    return f"cannot read: {error.strerror or error}"


# -- migration -----------------------------------------------------------------


def _migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (the prototype) said "alliances" with a "kind" each, and kept a
    state's place as separate "x" and "y"."""
    out = {("treaties" if key == "alliances" else key): value for key, value in data.items()}
    for treaty in out.get("treaties") or []:
        if isinstance(treaty, dict) and "kind" in treaty and "type" not in treaty:
            treaty["type"] = treaty.pop("kind")
    for state in out.get("states") or []:
        if isinstance(state, dict) and "position" not in state and ("x" in state or "y" in state):
            state["position"] = [state.pop("x", 0.0), state.pop("y", 0.0)]
    out["version"] = 1
    return out


# Version 1 read conditions only where its engine used them: ``against`` on defense, guarantee and
# offense treaties, ``unprovoked_only`` on defense and guarantee ones.
_V1_CONDITIONS = {
    "defense": ("against", "unprovoked_only"),
    "guarantee": ("against", "unprovoked_only"),
    "offense": ("against",),
}


def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added fields that all have defaults (state break_fraction, autonomy and
    revisionism; settings for combat, time and open play; decision.response; meta.start_date),
    and refuses a condition on a treaty type that does not take it. A version-1 file meant
    what its engine did, which ignored such conditions: they move to the treaty's
    ``ignored_conditions`` key, kept on save and read by nothing, so the run means what it
    meant and nothing written is lost."""
    for treaty in data.get("treaties") or []:
        if not isinstance(treaty, dict) or not isinstance(treaty.get("conditions"), dict):
            continue
        read = _V1_CONDITIONS.get(treaty.get("type", "defense"), ())
        cond = treaty["conditions"]
        ignored = {
            key: cond.pop(key) for key in ("against", "unprovoked_only") if key in cond and key not in read
        }
        if any(ignored.values()):
            treaty["ignored_conditions"] = ignored
    data["version"] = 2
    return data


# MIGRATIONS[v] turns a version-v dict into a version-(v+1) dict; keep the chain whole.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _migrate_0_to_1, 1: _migrate_1_to_2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a checked envelope of any supported version up to :data:`VERSION`
    (the caller's dict is left as it was)."""
    if data["version"] < VERSION:
        data = copy.deepcopy(data)
    while data["version"] < VERSION:
        data = MIGRATIONS[data["version"]](data)
    return data


# -- validation and building -----------------------------------------------------


class _Problems:
    """Collects every problem with its JSON path, and checks typed values."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}")

    def number(
        self,
        obj: dict,
        key: str,
        path: str,
        default: Any,
        lo: float = -math.inf,
        hi: float = math.inf,
        integer: bool = False,
    ) -> Any:
        """The value at ``obj[key]`` if it is a finite number in [lo, hi], else
        ``default`` (a problem is recorded when the key is present but wrong)."""
        if key not in obj:
            if default is _REQUIRED:
                self.add(f"{path}.{key}", "required")
            return default
        value = obj[key]
        kind = "a whole number" if integer else "a number"
        ok = not isinstance(value, bool) and (
            isinstance(value, int) if integer else isinstance(value, int | float)
        )
        if ok:
            try:
                ok = math.isfinite(value) and lo <= value <= hi
            except OverflowError:  # an integer too large for a float
                ok = False
        if not ok:
            if lo == -math.inf and hi == math.inf:
                bound = ""
            elif hi == math.inf:
                bound = f" >= {lo:g}"
            else:
                bound = f" between {lo:g} and {hi:g}"
            self.add(f"{path}.{key}", f"must be {kind}{bound}, got {_show(value)}")
            return default if default is not _REQUIRED else None
        return value if integer else float(value)

    def rule(self, obj: dict, rule: Rule, path: str) -> Any:
        """The value at ``obj[rule.name]`` checked by its rule (sandbox.core.rules), else its default."""
        if rule.kind in (WHOLE, NUMBER):
            return self.number(
                obj, rule.name, path, rule.default, rule.lo, rule.hi, integer=rule.kind == WHOLE
            )
        if rule.kind == FLAG:
            return self.boolean(obj, rule.name, path, rule.default)
        if rule.kind == CHOICE:
            return self.choice(obj, rule.name, path, rule.default, rule.choices)
        value = obj.get(rule.name, rule.default)
        problem = rule.problem(value, _show)
        if problem:
            self.add(f"{path}.{rule.name}", problem)
            return rule.default
        return value

    def extra(self, obj: dict, known: frozenset[str], path: str) -> dict[str, Any]:
        """The unknown keys of ``obj``, kept as they are if they hold plain JSON
        (what a file can hold: finite numbers, str keys, at most 64 levels deep);
        a problem otherwise."""
        if known.issuperset(obj):
            return {}
        extra = {key: value for key, value in obj.items() if key not in known}
        stack = [(f"{path}.{key}" if path else str(key), value, 1) for key, value in extra.items()]
        while stack:
            place, value, depth = stack.pop()
            if isinstance(value, dict | list) and depth >= MAX_DEPTH:
                self.add(place, _too_deep())
            elif isinstance(value, dict):
                stack.extend((f"{place}.{k}", v, depth + 1) for k, v in value.items() if isinstance(k, str))
                if not all(isinstance(k, str) for k in value):
                    self.add(place, "object keys must be strings")
            elif isinstance(value, list):
                stack.extend((f"{place}[{i}]", v, depth + 1) for i, v in enumerate(value))
            elif isinstance(value, float) and not math.isfinite(value):
                self.add(place, f"must be a finite number, got {value!r}")
            elif value is not None and not isinstance(value, str | int | float):
                self.add(place, f"cannot be stored in a scenario file: {type(value).__name__}")
        return extra

    def string(self, obj: dict, key: str, path: str, default: Any) -> Any:
        if key not in obj:
            if default is _REQUIRED:
                self.add(f"{path}.{key}", "required")
                return None
            return default
        value = obj[key]
        if not isinstance(value, str):
            self.add(f"{path}.{key}", f"must be a string, got {_show(value)}")
            return None if default is _REQUIRED else default
        return value

    def boolean(self, obj: dict, key: str, path: str, default: bool) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.add(f"{path}.{key}", f"must be true or false, got {_show(value)}")
            return default
        return value

    def choice(self, obj: dict, key: str, path: str, default: str, options: tuple[str, ...]) -> str:
        value = obj.get(key, default)
        if value not in options or not isinstance(value, str):
            self.add(f"{path}.{key}", f"must be one of {', '.join(options)}, got {_show(value)}")
            return default
        return value

    def obj(self, value: Any, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, f"must be an object, got {_show(value)}")
            return None
        return value

    def array(self, obj: dict, key: str, path: str) -> list:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.add(f"{path}.{key}" if path else key, f"must be a list, got {_show(value)}")
            return []
        return value

    def state_ids(self, obj: dict, key: str, path: str, known: set[str]) -> list[str]:
        """A list of known state ids at ``obj[key]`` (default empty)."""
        items = self.array(obj, key, path)
        if all(type(item) is str for item in items) and known.issuperset(items):
            return list(items)
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.add(f"{path}.{key}[{i}]", f"must be a state id, got {_show(item)}")
            elif item not in known:
                self.add(f"{path}.{key}[{i}]", f"unknown state {item!r}")
            else:
                out.append(item)
        return out

    def state_id(self, obj: dict, key: str, path: str, known: set[str]) -> str | None:
        value = self.string(obj, key, path, _REQUIRED)
        if value is not None and value not in known:
            self.add(f"{path}.{key}", f"unknown state {value!r}")
            return None
        return value


_REQUIRED = object()


def _show(value: Any) -> str:
    """A short rendering of a bad value for a message."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, dict):
        text = "an object"
    elif isinstance(value, list):
        text = "a list"
    elif isinstance(value, int) and abs(value) > 10**15:
        text = "a number too large"
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_TOP_KEYS = ("format", "version", "meta", "settings", "states", "treaties", "plans", "events")
_META_KEYS = frozenset(("title", "description", "notes", "year", "start_date"))
# SPEC's order: seed, mode, the flags, then the numbers
_SETTING_KEYS = ("seed", "mode", *SETTING_FLAGS, *SETTING_RANGES)
_STATE_KEYS = frozenset(
    (
        "id",
        "name",
        "power",
        "gdp",
        "reliability",
        "mobilization",
        "break_fraction",
        "autonomy",
        "revisionism",
        "position",
        "color",
    )
)
_TREATY_KEYS = frozenset(
    (
        "id",
        "name",
        "type",
        "guarantors",
        "members",
        "commitment",
        "conditions",
        "decision",
        "mediation",
    )
)
_CONDITION_KEYS = frozenset(("unprovoked_only", "against"))
_DECISION_KEYS = frozenset(("rule", "veto", "response"))
_PLAN_KEYS = frozenset(("state", "on_war_with", "also_attack"))
_EVENT_KEYS = frozenset(("tick", "type", "aggressor", "target", "claim", "treaty", "size"))


def scenario_from_dict(data: Any, source: str = "<string>") -> Scenario:
    """Check, migrate and build a Scenario from parsed JSON. Raises
    :class:`ScenarioFileError` listing every problem (never anything else),
    strings with an unpaired surrogate included (no UTF-8 file could hold them)."""
    surrogates = unpaired_surrogates(data)
    if surrogates:
        raise ScenarioFileError(source, surrogates)
    return _from_parsed(data, source)


def unpaired_surrogates(data: Any) -> list[str]:
    """A problem with its place for each string or key of ``data`` (JSON-like)
    holding an unpaired surrogate, which no UTF-8 file can store; [] if none."""
    try:
        # json's C encoder finds one fast; the walk then places it
        json.dumps(data, ensure_ascii=False, skipkeys=True, default=repr).encode("utf-8")
    except UnicodeEncodeError:
        return _lone_surrogates(data) or ["holds an unpaired surrogate"]
    except (ValueError, TypeError, RecursionError):
        pass  # not JSON: the content checks say where
    return []


def _from_parsed(data: Any, source: str) -> Scenario:
    try:
        return _scenario_from_dict(data, source)
    except ScenarioFileError:
        raise
    except Exception as error:  # a bug here must still reach the user as a message
        raise ScenarioFileError(
            source, [f"cannot read this file: {type(error).__name__}: {error}"]
        ) from error


def _scenario_from_dict(data: Any, source: str) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioFileError(source, [f"must be a JSON object (a scenario), got {_show(data)}"])
    envelope = []
    if data.get("format") != FORMAT:
        got = f", got {_show(data['format'])}" if "format" in data else ""
        envelope.append(f'format: must be "{FORMAT}" (is this a scenario file?){got}')
    version = data.get("version")
    if "version" not in data:
        envelope.append("version: required")
    elif isinstance(version, bool) or not isinstance(version, int) or version < 0:
        envelope.append(f"version: must be a whole number >= 0, got {_show(version)}")
    elif version > VERSION:
        envelope.append(
            f"version: this file was written by a newer version of the sandbox (version {version}); "
            f"this program reads up to {VERSION}"
        )
    if envelope:
        raise ScenarioFileError(source, envelope)
    data = migrate(dict(data))
    problems = _Problems()
    scenario = _build(data, problems)
    if problems.items:
        raise ScenarioFileError(source, problems.items)
    return scenario


def _build(data: dict, p: _Problems) -> Scenario:
    meta = _build_meta(data.get("meta", {}), p)
    settings = _build_settings(data.get("settings", {}), p)
    if "states" not in data:
        p.add("states", "required")
    taken: set[str] = set()  # states and treaties share one id space
    state_items = p.array(data, "states", "")
    states = _build_states(state_items, taken, p)
    # references are checked against every id that appears, so one bad field is one problem, not a cascade
    known_states = _ids_given(state_items, states) if isinstance(data.get("states"), list) else _ANY_ID
    treaty_items = p.array(data, "treaties", "")
    treaties = _build_treaties(treaty_items, known_states, taken, p)
    known_treaties = _ids_given(treaty_items, treaties)
    plans = _build_plans(p.array(data, "plans", ""), known_states, p)
    events = _build_events(p.array(data, "events", ""), known_states, known_treaties, p)
    return Scenario(states, treaties, plans, events, settings, meta, p.extra(data, frozenset(_TOP_KEYS), ""))


class _AnyId(frozenset):
    """Stands for the state ids when the states list itself is missing or wrong:
    references cannot be checked then, so none is reported."""

    def __contains__(self, item: object) -> bool:
        return True

    def issuperset(self, other: Any) -> bool:
        return True


_ANY_ID = _AnyId()


def _ids_given(items: list, built: list) -> set[str]:
    """The ids of the built items, plus every string id given to an item that did not build."""
    ids = {item.id for item in built}
    if len(built) < len(items):
        ids.update(raw["id"] for raw in items if isinstance(raw, dict) and isinstance(raw.get("id"), str))
    return ids


def _build_meta(raw: Any, p: _Problems) -> Meta:
    obj = p.obj(raw, "meta")
    if obj is None:
        return Meta()
    default = Meta()
    year = obj.get("year")
    if year is not None:
        year = p.number(obj, "year", "meta", None, integer=True)
    start_date = p.rule(obj, META_RULES["start_date"], "meta")
    return Meta(
        title=p.string(obj, "title", "meta", default.title),
        description=p.string(obj, "description", "meta", default.description),
        notes=p.string(obj, "notes", "meta", default.notes),
        year=year,
        extra=p.extra(obj, _META_KEYS, "meta"),
        start_date=start_date,
    )


def _build_settings(raw: Any, p: _Problems) -> Settings:
    obj = p.obj(raw, "settings")
    if obj is None:
        return Settings()
    values = {key: p.rule(obj, rule, "settings") for key, rule in SETTING_RULES.items()}
    return Settings(**values, extra=p.extra(obj, frozenset(_SETTING_KEYS), "settings"))


def _check_id(obj: dict, path: str, p: _Problems, taken: set[str]) -> str | None:
    """The object's id if it is well-formed and not taken yet (then marks it taken)."""
    value = p.string(obj, "id", path, _REQUIRED)
    if value is None:
        return None
    if not ID_PATTERN.match(value):
        p.add(f"{path}.id", f"must be letters, digits, '_' or '-', got {_show(value)}")
        return None
    if value in taken:
        p.add(f"{path}.id", f"duplicate id {value!r} (ids of states and treaties must all differ)")
        return None
    taken.add(value)
    return value


_NUMBER = (int, float)  # exact types: bool is not a number here
_FLOAT_MAX = sys.float_info.max


def _plain_number(value: Any, lo: float, hi: float) -> bool:
    """An int or float in [lo, hi] that a float holds (finite; an int no larger than the largest float)."""
    return type(value) in _NUMBER and lo <= value <= hi and -_FLOAT_MAX <= value <= _FLOAT_MAX


def _quick_state(obj: Any, taken: set[str]) -> State | None:
    """The state when ``obj`` is plainly valid (known keys only, exact types,
    values in range); None sends it through the full check, which explains.
    Big worlds load several times faster through here."""
    if type(obj) is not dict or not _STATE_KEYS.issuperset(obj):
        return None
    state_id, name, power = obj.get("id"), obj.get("name"), obj.get("power")
    gdp, reliability = obj.get("gdp"), obj.get("reliability", 0.8)
    mobilization, position, color = (
        obj.get("mobilization", 1),
        obj.get("position", (0.0, 0.0)),
        obj.get("color"),
    )
    breaks, autonomy, revisionism = (
        obj.get("break_fraction"),
        obj.get("autonomy", 0.0),
        obj.get("revisionism", 0.0),
    )
    if not (
        type(state_id) is str
        and state_id not in taken
        and ID_PATTERN.match(state_id)
        and type(name) is str
        and _plain_number(power, 0, math.inf)
        and (gdp is None or _plain_number(gdp, 0, math.inf))
        and _plain_number(reliability, 0, 1)
        and type(mobilization) is int
        and 0 <= mobilization <= MAX_MOBILIZATION
        and (breaks is None or _plain_number(breaks, 0, 1))
        and _plain_number(autonomy, 0, 1)
        and _plain_number(revisionism, 0, 1)
        and type(position) in (list, tuple)
        and len(position) == 2
        and _plain_number(position[0], -math.inf, math.inf)
        and _plain_number(position[1], -math.inf, math.inf)
        and (color is None or (type(color) is str and _COLOR.match(color)))
    ):
        return None
    taken.add(state_id)
    gdp = None if gdp is None else float(gdp)
    breaks = None if breaks is None else float(breaks)
    position = (float(position[0]), float(position[1]))
    return State(
        state_id,
        name,
        float(power),
        gdp,
        float(reliability),
        mobilization,
        position,
        color,
        {},
        breaks,
        float(autonomy),
        float(revisionism),
    )


def _build_states(items: list, taken: set[str], p: _Problems) -> list[State]:
    states = []
    for i, raw in enumerate(items):
        state = _quick_state(raw, taken)
        if state is not None:
            states.append(state)
            continue
        path = f"states[{i}]"
        obj = p.obj(raw, path)
        if obj is None:
            continue
        state_id = _check_id(obj, path, p, taken)
        name = p.string(obj, "name", path, _REQUIRED)
        numbers = {
            key: None
            if key in OPTIONAL_STATE_NUMBERS and obj.get(key) is None
            else p.number(obj, key, path, _REQUIRED if key == "power" else default, lo, hi)
            for key, (lo, hi), default in (
                (key, bounds, STATE_RULES[key].default) for key, bounds in STATE_RANGES.items()
            )
        }
        mobilization = p.rule(obj, STATE_RULES["mobilization"], path)
        position = (0.0, 0.0)
        if "position" in obj:
            pos = obj["position"]
            if (
                isinstance(pos, list)
                and len(pos) == 2
                and all(not isinstance(v, bool) and isinstance(v, int | float) for v in pos)
                and all(_finite(v) for v in pos)
            ):
                position = (float(pos[0]), float(pos[1]))
            else:
                p.add(f"{path}.position", f"must be [x, y] with two finite numbers, got {_show(pos)}")
        color = p.rule(obj, STATE_RULES["color"], path)
        if state_id is None or name is None or numbers["power"] is None:
            continue
        states.append(
            State(
                state_id,
                name,
                mobilization=mobilization,
                position=position,
                color=color,
                extra=p.extra(obj, _STATE_KEYS, path),
                **numbers,
            )
        )
    return states


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


_QUICK_TREATY_KEYS = frozenset(("id", "name", "type", "members", "commitment", "conditions"))
_QUICK_TREATY_TYPES = frozenset(TREATY_TYPES) - {"guarantee"}


def _quick_treaty(obj: Any, known: set[str], taken: set[str]) -> Treaty | None:
    """The treaty when ``obj`` is a plainly valid treaty of members (no
    guarantors, decision, mediation or unknown keys); None sends it through the
    full check, which explains. Big worlds load several times faster through here."""
    if type(obj) is not dict or not _QUICK_TREATY_KEYS.issuperset(obj):
        return None
    treaty_id, kind, members = obj.get("id"), obj.get("type", "defense"), obj.get("members")
    name, commitment, cond = obj.get("name", treaty_id), obj.get("commitment", 1.0), obj.get("conditions")
    if not (
        type(treaty_id) is str
        and treaty_id not in taken
        and ID_PATTERN.match(treaty_id)
        and type(name) is str
        and type(kind) is str
        and kind in _QUICK_TREATY_TYPES
        and type(members) is list
        and len(members) >= 2
        and all(type(m) is str for m in members)
        and known.issuperset(members)
        and len(set(members)) == len(members)
        and _plain_number(commitment, 0, 1)
    ):
        return None
    conditions = Conditions()
    if "conditions" in obj:  # present, it must be an object (null is refused by the full check)
        if type(cond) is not dict or not _CONDITION_KEYS.issuperset(cond):
            return None
        against, unprovoked = cond.get("against", []), cond.get("unprovoked_only", False)
        if not (
            type(unprovoked) is bool
            and type(against) is list
            and all(type(a) is str for a in against)
            and known.issuperset(against)
        ):
            return None
        conditions = Conditions(list(against), unprovoked)
        if misplaced_conditions(kind, conditions):
            return None
    taken.add(treaty_id)
    return Treaty(treaty_id, name, kind, list(members), [], float(commitment), conditions)


def _build_treaties(items: list, known: set[str], taken: set[str], p: _Problems) -> list[Treaty]:
    treaties = []
    for i, raw in enumerate(items):
        treaty = _quick_treaty(raw, known, taken)
        if treaty is not None:
            treaties.append(treaty)
            continue
        path = f"treaties[{i}]"
        obj = p.obj(raw, path)
        if obj is None:
            continue
        before = len(p.items)
        treaty_id = _check_id(obj, path, p, taken)
        name = p.string(obj, "name", path, treaty_id or "")
        kind = p.choice(obj, "type", path, "defense", TREATY_TYPES)
        members = p.state_ids(obj, "members", path, known)
        guarantors = p.state_ids(obj, "guarantors", path, known)
        commitment = p.rule(obj, TREATY_RULES["commitment"], path)
        mediation = p.rule(obj, TREATY_RULES["mediation"], path)
        conditions = Conditions()
        cond = p.obj(obj["conditions"], f"{path}.conditions") if "conditions" in obj else None
        if cond is not None:
            conditions = Conditions(
                against=p.state_ids(cond, "against", f"{path}.conditions", known),
                unprovoked_only=p.boolean(cond, "unprovoked_only", f"{path}.conditions", False),
                extra=p.extra(cond, _CONDITION_KEYS, f"{path}.conditions"),
            )
        decision = Decision()
        dec = p.obj(obj["decision"], f"{path}.decision") if "decision" in obj else None
        if dec is not None:
            decision = Decision(
                rule=p.choice(dec, "rule", f"{path}.decision", "unanimity", DECISION_RULES),
                veto=p.state_ids(dec, "veto", f"{path}.decision", known),
                extra=p.extra(dec, _DECISION_KEYS, f"{path}.decision"),
                response=p.choice(dec, "response", f"{path}.decision", "force", RESPONSES),
            )
        for name in misplaced_conditions(kind, conditions):
            p.add(f"{path}.conditions.{name}", f"{conditions_hint(kind)} (MODEL.md's table of treaty types)")
        for role, ids in (("members", members), ("guarantors", guarantors)):
            if len(set(ids)) < len(ids):
                for twice in sorted(state for state, n in Counter(ids).items() if n > 1):
                    p.add(f"{path}.{role}", f"{twice!r} is listed twice (a state cannot be tied to itself)")
        if guarantors:
            member_set = set(members)
            for both in [g for g in guarantors if g in member_set]:
                p.add(f"{path}.guarantors", f"{both!r} is also a member (a state cannot guarantee itself)")
        if kind == "guarantee" and not obj.get("guarantors"):
            p.add(f"{path}.guarantors", "a guarantee needs at least one guarantor")
        if kind != "guarantee" and obj.get("guarantors"):
            p.add(f"{path}.guarantors", f"only a guarantee has guarantors, this is a {kind} treaty")
        if isinstance(obj.get("members", []), list) and len(obj.get("members", [])) < min_members(kind):
            need = min_members(kind)
            p.add(f"{path}.members", f"a {kind} treaty needs at least {need} member{'s' if need > 1 else ''}")
        if treaty_id is None or len(p.items) > before:
            continue
        treaties.append(
            Treaty(
                treaty_id,
                name,
                kind,
                members,
                guarantors,
                commitment,
                conditions,
                decision,
                mediation,
                p.extra(obj, _TREATY_KEYS, path),
            )
        )
    return treaties


def _build_plans(items: list, known: set[str], p: _Problems) -> list[Plan]:
    plans = []
    for i, raw in enumerate(items):
        path = f"plans[{i}]"
        obj = p.obj(raw, path)
        if obj is None:
            continue
        before = len(p.items)
        state = p.state_id(obj, "state", path, known)
        enemy = p.state_id(obj, "on_war_with", path, known)
        also = p.state_ids(obj, "also_attack", path, known)
        if state is not None and (state == enemy or state in also):
            p.add(path, f"{state!r} cannot make war on itself")
        if len(p.items) == before:
            plans.append(Plan(state, enemy, also, p.extra(obj, _PLAN_KEYS, path)))
    return plans


def _build_events(items: list, known: set[str], treaties: set[str], p: _Problems) -> list[ScriptedEvent]:
    events = []
    for i, raw in enumerate(items):
        path = f"events[{i}]"
        obj = p.obj(raw, path)
        if obj is None:
            continue
        before = len(p.items)
        tick = p.rule(obj, EVENT_RULES["tick"], path)
        kind = p.rule(obj, EVENT_RULES["type"], path)
        if kind == "threat":
            event = _threat_event(obj, path, tick, treaties, p)
        else:
            for key in ("treaty", "size"):
                if key in obj:
                    p.add(f"{path}.{key}", "only a threat event takes this field")
            aggressor = p.state_id(obj, "aggressor", path, known)
            target = p.state_id(obj, "target", path, known)
            if aggressor is not None and aggressor == target:
                p.add(f"{path}.target", f"{aggressor!r} cannot attack itself")
            claim = obj.get("claim")
            if claim is not None and (not isinstance(claim, str) or claim not in treaties):
                p.add(f"{path}.claim", f"unknown treaty {_show(claim)}")
            event = ScriptedEvent(tick, aggressor, target, kind, claim, p.extra(obj, _EVENT_KEYS, path))
        if len(p.items) == before:
            events.append(event)
    return events


def _threat_event(obj: dict, path: str, tick: int, treaties: set[str], p: _Problems) -> ScriptedEvent:
    """A threat: ``treaty`` (a known treaty id, required) and ``size`` (a number >= 0, required);
    the fields of an attack are bad input on it."""
    for key in ("aggressor", "target", "claim"):
        if key in obj:
            p.add(f"{path}.{key}", "a threat event takes treaty and size, not this field")
    treaty = p.string(obj, "treaty", path, _REQUIRED)
    if treaty is not None and treaty not in treaties:
        p.add(f"{path}.treaty", f"unknown treaty {treaty!r}")
    size = p.number(obj, "size", path, _REQUIRED, EVENT_RULES["size"].lo)
    extra = p.extra(obj, _EVENT_KEYS, path)
    return ScriptedEvent(tick, None, None, "threat", None, extra, treaty=treaty, size=size)


# -- writing -------------------------------------------------------------------


def _with_extra(known: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    known.update((key, value) for key, value in extra.items() if key not in known)
    return known


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The current-version file content of a scenario: SPEC's key order, extras after.
    Optional fields at their defaults are left out (gdp only when it was given)."""
    meta = scenario.meta
    meta_out: dict[str, Any] = {"title": meta.title, "description": meta.description, "notes": meta.notes}
    if meta.year is not None:
        meta_out["year"] = meta.year
    if meta.start_date is not None:
        meta_out["start_date"] = meta.start_date
    settings = scenario.settings
    settings_out = {key: getattr(settings, key) for key in _SETTING_KEYS}
    return _with_extra(
        {
            "format": FORMAT,
            "version": VERSION,
            "meta": _with_extra(meta_out, meta.extra),
            "settings": _with_extra(settings_out, settings.extra),
            "states": [_state_to_dict(s) for s in scenario.states],
            "treaties": [_treaty_to_dict(t) for t in scenario.treaties],
            "plans": [
                _with_extra(
                    {"state": p.state, "on_war_with": p.on_war_with, "also_attack": list(p.also_attack)},
                    p.extra,
                )
                for p in scenario.plans
            ],
            "events": [_event_to_dict(e) for e in scenario.events],
        },
        scenario.extra,
    )


def _state_to_dict(state: State) -> dict[str, Any]:
    out: dict[str, Any] = {"id": state.id, "name": state.name, "power": state.power}
    if state.gdp is not None:
        out["gdp"] = state.gdp
    out["reliability"] = state.reliability
    out["mobilization"] = state.mobilization
    if state.break_fraction is not None:
        out["break_fraction"] = state.break_fraction
    for key in ("autonomy", "revisionism"):
        if getattr(state, key):
            out[key] = getattr(state, key)
    out["position"] = list(state.position)
    if state.color is not None:
        out["color"] = state.color
    return _with_extra(out, state.extra)


def _treaty_to_dict(treaty: Treaty) -> dict[str, Any]:
    out: dict[str, Any] = {"id": treaty.id, "name": treaty.name, "type": treaty.type}
    if treaty.guarantors:
        out["guarantors"] = list(treaty.guarantors)
    out["members"] = list(treaty.members)
    out["commitment"] = treaty.commitment
    cond = treaty.conditions
    if cond.unprovoked_only or cond.against or cond.extra:
        out["conditions"] = _with_extra(
            {"unprovoked_only": cond.unprovoked_only, "against": list(cond.against)}, cond.extra
        )
    dec = treaty.decision
    if dec.rule != "unanimity" or dec.veto or dec.response != "force" or dec.extra:
        decision = {"rule": dec.rule, "veto": list(dec.veto)}
        if dec.response != "force":
            decision["response"] = dec.response
        out["decision"] = _with_extra(decision, dec.extra)
    if treaty.mediation:
        out["mediation"] = treaty.mediation
    return _with_extra(out, treaty.extra)


def _event_to_dict(event: ScriptedEvent) -> dict[str, Any]:
    if event.type == "threat":
        threat = {"tick": event.tick, "type": "threat", "treaty": event.treaty, "size": event.size}
        return _with_extra(threat, event.extra)
    out: dict[str, Any] = {
        "tick": event.tick,
        "type": event.type,
        "aggressor": event.aggressor,
        "target": event.target,
    }
    if event.claim is not None:
        out["claim"] = event.claim
    return _with_extra(out, event.extra)


def dumps_scenario(scenario: Scenario) -> str:
    """The ``.sandbox`` text of a scenario: one line per meta and settings key
    and per state, treaty, plan or event (readable, diff-friendly, compact),
    UTF-8 characters as they are, newline at the end. A world whose readable text
    would pass the 64 MiB cap is written compactly (no spaces or indentation, the
    states' default fields left out), so that a file that loaded saves back."""
    with without_gc():
        data = scenario_to_dict(scenario)
        compact = False
        text = _layout(data, ensure_ascii=False, compact=compact)
        if over_cap(text):
            data["states"] = [_without_defaults(state) for state in data["states"]]
            compact = True
            text = _layout(data, ensure_ascii=False, compact=compact)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (read from a \\udcxx escape) has no UTF-8 form
            text = _layout(data, ensure_ascii=True, compact=compact)
    return text


def encoded_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8 (a lone surrogate counted as if it had a form)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def over_cap(text: str) -> bool:
    """Whether a file of ``text`` would be over the size the product reads."""
    return encoded_size(text) > MAX_FILE_BYTES


# the state fields a compact file leaves out at their defaults, as scenario_to_dict writes them
_COMPACT_DEFAULTS = {
    f.name: list(f.default) if isinstance(f.default, tuple) else f.default
    for f in fields(State)
    if f.name in ("reliability", "mobilization", "position")
}


def _without_defaults(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k not in _COMPACT_DEFAULTS or v != _COMPACT_DEFAULTS[k]}


def _layout(data: dict[str, Any], ensure_ascii: bool, compact: bool) -> str:
    # without indent json uses its C encoder: a 200,000-state world writes in seconds, not minutes
    separators = (",", ":") if compact else (", ", ": ")
    encode = json.JSONEncoder(ensure_ascii=ensure_ascii, allow_nan=False, separators=separators).encode
    key_sep, outer, inner = separators[1], "" if compact else "  ", "" if compact else "    "
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = f",\n{inner}".join(encode(item) for item in value)
            lines.append(f"{outer}{encode(key)}{key_sep}[\n{inner}{items}\n{outer}]")
        elif isinstance(value, dict) and value:
            items = f",\n{inner}".join(f"{encode(k)}{key_sep}{encode(v)}" for k, v in value.items())
            lines.append(f"{outer}{encode(key)}{key_sep}{{\n{inner}{items}\n{outer}}}")
        else:
            lines.append(f"{outer}{encode(key)}{key_sep}{encode(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def refuse_unreadable(path: str | os.PathLike[str], text: str, hint: str) -> None:
    """Refuse to write a file the product would then refuse to read: over the cap, a
    ScenarioFileError with its size and ``hint`` (what to do instead)."""
    size = encoded_size(text)
    if size > MAX_FILE_BYTES:
        raise ScenarioFileError(
            str(path),
            [
                f"it would be {size / 2**20:.1f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB "
                f"a scenario file may have, so it could not be opened again: {hint}"
            ],
        )


def save_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write a ``.sandbox`` file atomically (see :func:`atomic_write`). The text
    is built before the disk is touched; raises ScenarioFileError if it would be over
    the cap, OSError if writing fails."""
    text = dumps_scenario(scenario)
    refuse_unreadable(
        path, text, "it is written compactly already; remove states or treaties, or split the world"
    )
    atomic_write(path, text)


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (str as UTF-8) where ``path`` points, all at once.

    A regular file (or a new one) is replaced atomically: a temp file in the same
    folder is written, flushed, fsynced and renamed over it; on any failure the temp
    file is removed and the file is untouched. A symlink is followed: its final
    target is replaced and the link stays. A FIFO, a device or anything under
    ``/dev`` or ``/proc`` (``/dev/stdout``) is written in place, not atomically.
    Temp files that an earlier, interrupted write of the same target left behind
    (their writer no longer runs) are removed. An OSError names ``path``."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if written_in_place(path):
        try:
            with open(path, "ab") as stream:  # append: /dev/stdout into a file keeps what is there
                stream.write(payload)
        except OSError as error:
            error.filename, error.filename2 = str(path), None
            raise
        return
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, missing_folder(path), str(path))
    _remove_stale_temps(target)
    _replace(path, target, payload)


def missing_folder(path: Path) -> str:
    """What is wrong with an output path whose folder does not exist (a dangling link's target's)."""
    target = Path(os.path.realpath(path))
    if path.is_symlink():
        return f"it links to {target}, whose folder {str(target.parent)!r} does not exist"
    return f"the folder {str(path.parent)!r} does not exist"


def written_in_place(path: Path) -> bool:
    """Whether ``path`` is written in place: it exists and is not a regular file (a FIFO, a
    device), or it is under /dev or /proc (``/dev/stdout`` may name a regular file)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    special = (Path("/dev"), Path("/proc"))
    under = any(folder in (path.absolute(), *path.absolute().parents) for folder in special)
    return not stat.S_ISREG(mode) or (sys.platform != "win32" and under)


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def _remove_stale_temps(target: Path) -> None:
    """Remove ``.NAME.PID.XXXX.tmp`` files beside ``target`` whose writer PID no longer runs."""
    from sandbox.core.processes import process_alive

    prefix = _temp_prefix(target)
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(".tmp")):
                continue
            pid = name[len(prefix) :].split(".", 1)[0]
            if pid.isdigit() and not process_alive(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _replace(path: Path, target: Path, payload: bytes) -> None:
    import tempfile  # here: only writers need it, and `run` starts faster without it

    prefix = f"{_temp_prefix(target)}{os.getpid()}."
    fd, temp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _file_mode(target))
        os.replace(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            error.filename, error.filename2 = str(path), None
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); folders cannot be opened on Windows."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 & ~umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
