"""Property tests: any input gives a Scenario or a ScenarioFileError; round trips keep every field.

The example counts add up to more than 10,000 inputs for the loader while the
file stays well under a minute on a shared two-core machine.
"""

import json
import math
import random
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.core.io import fileformat
from sandbox.core.io.fileformat import (
    ScenarioFileError,
    dumps_scenario,
    loads_scenario,
    scenario_from_dict,
)
from sandbox.core.io.graphio import read_graph, write_graph
from sandbox.core.scenario import (
    CONDITIONS_TAKEN,
    DECISION_RULES,
    MODES,
    RESPONSES,
    SETTING_FLAGS,
    SETTING_RANGES,
    TREATY_TYPES,
    WHOLE_NUMBER_SETTINGS,
    Conditions,
    Decision,
    Meta,
    Plan,
    Scenario,
    ScriptedEvent,
    Settings,
    State,
    Treaty,
)


def examples(count: int) -> settings:
    # no example database: it would be a folder at the top of the project
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ids = st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True)
# a small alphabet with the characters that trouble encoders: quotes, escapes, non-ASCII, astral
plain_text = st.text(st.sampled_from('aZ09 -_.#"\\/{}[]:,\u00e9\u00df\u4e2d\u2028\U0001f600'), max_size=10)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
present_scalars = st.booleans() | st.integers(-(2**70), 2**70) | finite | plain_text
json_scalars = st.none() | present_scalars
# one level of nesting is enough to prove nested extras survive, and keeps drawing cheap
json_values = (
    json_scalars | st.lists(json_scalars, max_size=2) | st.dictionaries(plain_text, json_scalars, max_size=2)
)


def extras(values=json_values):
    # "x_" keeps extras apart from every known key
    return st.dictionaries(st.from_regex(r"x_[a-z]{1,5}", fullmatch=True), values, max_size=3)


@st.composite
def scenarios(draw, nested_extras=True):
    """Valid scenarios with every field drawn, extras included (scalar-only extras
    where ``nested_extras`` is off, for the graph formats)."""
    more = (
        extras() if nested_extras else extras(present_scalars)
    )  # drawn, not filtered: no health-check trouble
    state_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    states = [
        State(
            state_id,
            draw(plain_text),
            draw(st.floats(0, 1e9)),
            draw(st.none() | st.floats(0, 1e9)),
            draw(st.floats(0, 1)),
            draw(st.integers(0, 20)),
            (draw(st.floats(-1e6, 1e6)), draw(st.floats(-1e6, 1e6))),
            draw(st.none() | st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)),
            draw(more),
            draw(st.none() | st.floats(0, 1)),
            draw(st.floats(0, 1)),
            draw(st.floats(0, 1)),
        )
        for state_id in state_ids
    ]
    treaties = []
    taken = set(state_ids)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(TREATY_TYPES))
        need = 1 if kind == "guarantee" else 2
        if len(state_ids) < need + (kind == "guarantee"):
            continue
        parties = draw(st.permutations(state_ids))
        split = draw(st.integers(need, len(parties) - (kind == "guarantee")))
        members, rest = list(parties[:split]), list(parties[split:])
        guarantors = rest[: draw(st.integers(1, len(rest)))] if kind == "guarantee" else []
        treaty_id = draw(ids.filter(lambda t: t not in taken))
        taken.add(treaty_id)
        treaties.append(
            Treaty(
                treaty_id,
                draw(plain_text),
                kind,
                members,
                guarantors,
                draw(st.floats(0, 1)),
                Conditions(
                    # only the conditions its type takes (MODEL.md's table)
                    draw(st.lists(st.sampled_from(state_ids), max_size=2, unique=True))
                    if "against" in CONDITIONS_TAKEN[kind]
                    else [],
                    draw(st.booleans()) and "unprovoked_only" in CONDITIONS_TAKEN[kind],
                    draw(more),
                ),
                Decision(
                    draw(st.sampled_from(DECISION_RULES)),
                    draw(st.lists(st.sampled_from(state_ids), max_size=2, unique=True)),
                    draw(more),
                    draw(st.sampled_from(RESPONSES)),
                ),
                draw(st.floats(0, 1)),
                draw(more),
            )
        )
    plans, events = [], []
    if len(state_ids) >= 2:
        for _ in range(draw(st.integers(0, 2))):
            a, b = draw(st.permutations(state_ids))[:2]
            also = draw(st.lists(st.sampled_from([s for s in state_ids if s != a]), max_size=2, unique=True))
            plans.append(Plan(a, b, also, draw(extras())))
        for _ in range(draw(st.integers(0, 3))):
            a, b = draw(st.permutations(state_ids))[:2]
            claim = draw(st.none() | st.sampled_from([t.id for t in treaties] or [None]))
            events.append(ScriptedEvent(draw(st.integers(0, 10**6)), a, b, "attack", claim, draw(extras())))
    numbers = {
        key: draw(st.integers(int(lo), int(hi)) if key in WHOLE_NUMBER_SETTINGS else st.floats(lo, hi))
        for key, (lo, hi) in SETTING_RANGES.items()
    }
    setting = Settings(
        draw(st.integers(0, 2**63 - 1)),
        draw(st.sampled_from(MODES)),
        **{flag: draw(st.booleans()) for flag in SETTING_FLAGS},
        **numbers,
        extra=draw(more),
    )
    meta = Meta(
        draw(plain_text),
        draw(plain_text),
        draw(plain_text),
        draw(st.none() | st.integers(-5000, 5000)),
        start_date=draw(st.none() | st.dates().map(date.isoformat)),
    )
    meta.extra = draw(more)
    return Scenario(states, treaties, plans, events, setting, meta, draw(extras()))


# -- any input: a Scenario or a ScenarioFileError ---------------------------------


def _load(data):
    outcome = _outcome(data)
    if isinstance(outcome, Scenario):
        _saves(outcome)
    else:
        assert outcome and all(isinstance(p, str) for p in outcome)
    # the quick paths for big worlds accept exactly what the full check accepts, with the same result
    with (
        mock.patch.object(fileformat, "_quick_state", lambda *a: None),
        mock.patch.object(fileformat, "_quick_treaty", lambda *a: None),
    ):
        assert _outcome(data) == outcome


def _outcome(data):
    try:
        return scenario_from_dict(data)
    except ScenarioFileError as error:
        return error.problems


def _loads(text):
    try:
        scenario = loads_scenario(text)
    except ScenarioFileError as error:
        assert error.problems and str(error).startswith("<string>")
    else:
        _saves(scenario)


def _saves(scenario):
    """Whatever loads can be saved, and reads back the same."""
    assert loads_scenario(dumps_scenario(scenario).encode("utf-8")) == scenario


NASTY = [
    math.nan,
    math.inf,
    -math.inf,
    -5,
    -0.5,
    1.5,
    -1e308,
    1e308,
    10**400,
    -(10**30),
    0,
    1,
    True,
    False,
    None,
    "",
    "A",
    "GER",
    "POL",
    "league",
    "#zz",
    [],
    [1, "x"],
    ["A", "A"],
    ["GER", "GER"],
    {},
    {"id": "A"},
    [[[[]]]],
    2**63,
    "\udcff",
    "\x00",
    "attack",
    "guarantee",
    "veto",
]


def _nasty(rng: random.Random):
    pick = rng.random()
    if pick < 0.6:
        return rng.choice(NASTY)
    if pick < 0.8:
        return rng.uniform(-1e3, 1e3) if rng.random() < 0.5 else rng.randint(-(2**65), 2**65)
    return "".join(rng.choice('aZ0 -_"\\\u00e9\U0001f600') for _ in range(rng.randint(0, 5)))


def _mutate(rng: random.Random, node):
    """A copy of a JSON tree with one random change somewhere inside: a key
    deleted or added, an item duplicated or deleted, a value replaced."""
    if isinstance(node, dict) and node and rng.random() < 0.8:
        key = rng.choice(sorted(node))
        out = dict(node)
        action = rng.choice(["recurse", "recurse", "recurse", "delete", "replace", "add"])
        if action == "recurse":
            out[key] = _mutate(rng, node[key])
        elif action == "delete":
            del out[key]
        elif action == "replace":
            out[key] = _nasty(rng)
        else:
            out[rng.choice(["x_new", "id", "type", "members", "claim", "veto"])] = _nasty(rng)
        return out
    if isinstance(node, list) and node and rng.random() < 0.8:
        out = list(node)
        i = rng.randrange(len(out))
        action = rng.choice(["recurse", "recurse", "recurse", "duplicate", "delete", "replace"])
        if action == "recurse":
            out[i] = _mutate(rng, out[i])
        elif action == "duplicate":
            out.insert(i, out[i])
        elif action == "delete":
            del out[i]
        else:
            out[i] = _nasty(rng)
        return out
    return _nasty(rng)


FIXTURES = Path(__file__).parent / "fixtures"
RICH = {
    "format": "collective-security-sandbox",
    "version": 1,
    "meta": {"title": "Rich", "year": 1939, "x_m": [1]},
    "settings": {"seed": 3, "mode": "stochastic", "attrition": 0.1, "x_s": {"a": 1}},
    "states": [
        {
            "id": "POL",
            "name": "Poland",
            "power": 3.1,
            "gdp": 10,
            "reliability": 0.7,
            "mobilization": 2,
            "position": [1, 2],
            "color": "#aabbcc",
            "x_st": True,
        },
        {"id": "GER", "name": "Germany", "power": 17},
        {"id": "SOV", "name": "Soviet Union", "power": 14},
        {"id": "UK", "name": "United Kingdom", "power": 10},
        {"id": "FRA", "name": "France", "power": 5},
    ],
    "treaties": [
        {
            "id": "g39",
            "name": "Guarantee",
            "type": "guarantee",
            "guarantors": ["UK", "FRA"],
            "members": ["POL"],
            "commitment": 0.9,
            "conditions": {"against": ["GER"], "unprovoked_only": True},
        },
        {
            "id": "fp",
            "name": "Franco-Polish",
            "type": "defense",
            "members": ["FRA", "POL"],
            "commitment": 0.5,
            "conditions": {"against": ["GER"], "unprovoked_only": True},
        },
        {"id": "mr", "name": "Pact", "type": "non-aggression", "members": ["GER", "SOV"], "mediation": 0.1},
        {
            "id": "league",
            "name": "League",
            "type": "collective-security",
            "members": ["POL", "UK", "FRA", "SOV"],
            "decision": {"rule": "veto", "veto": ["UK"], "x_d": 1},
        },
    ],
    "plans": [{"state": "GER", "on_war_with": "FRA", "also_attack": ["POL"]}],
    "events": [
        {"tick": 0, "type": "attack", "aggressor": "GER", "target": "POL"},
        {"tick": 3, "type": "attack", "aggressor": "SOV", "target": "POL", "claim": "league"},
    ],
}
VALID = [
    RICH,
    *(json.loads((FIXTURES / name).read_text()) for name in ("mini-v1.sandbox", "prototype-v0.sandbox")),
]


@examples(3000)
@given(st.sampled_from(VALID), st.integers(0, 2**32 - 1))
def test_mutated_scenarios_load_or_fail_cleanly(valid, seed):
    rng = random.Random(seed)  # one draw per example: hypothesis draws are slow on a busy machine
    mutated = valid
    for _ in range(rng.randint(1, 4)):
        mutated = _mutate(rng, mutated)
        _load(mutated)
        try:
            text = json.dumps(mutated)  # NaN/Infinity become the JSON constants the parser must refuse
        except (ValueError, TypeError):
            continue
        _loads(text)


@examples(2800)
@given(st.binary(max_size=300))
def test_random_bytes_load_or_fail_cleanly(raw):
    _loads(raw)


@examples(3500)
@given(st.sampled_from(VALID), st.integers(0, 2**32 - 1))
def test_truncated_and_corrupted_files_load_or_fail_cleanly(valid, seed):
    rng = random.Random(seed)
    raw = json.dumps(valid, ensure_ascii=False).encode("utf-8")
    _loads(raw[: rng.randint(0, len(raw))])
    at = rng.randrange(len(raw))
    _loads(raw[:at] + rng.randbytes(rng.randint(1, 4)) + raw[at + 1 :])


@examples(600)
@given(st.data())
def test_random_json_documents_load_or_fail_cleanly(data):
    document = data.draw(
        st.fixed_dictionaries(
            {"format": st.just("collective-security-sandbox") | json_scalars, "version": st.integers(-2, 3)},
            optional={
                key: json_values for key in ("meta", "settings", "states", "treaties", "plans", "events")
            },
        )
    )
    _load(document)


# -- round trips -------------------------------------------------------------------


@examples(150)
@given(scenarios())
def test_save_load_round_trip_keeps_every_field(scenario):
    text = dumps_scenario(scenario)
    again = loads_scenario(text.encode("utf-8"))
    assert again == scenario
    assert dumps_scenario(again) == text


@examples(30)
@given(scenarios(nested_extras=False))
def test_graph_round_trips_keep_every_field(scenario):
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".graphml", ".json", ".gexf"):
            path = Path(folder) / f"g{suffix}"
            write_graph(scenario, path)
            again = read_graph(path)
            assert again.states == scenario.states
            assert again.treaties == scenario.treaties
            assert (again.plans, again.events) == (scenario.plans, scenario.events)
            assert (again.settings, again.meta, again.extra) == (
                scenario.settings,
                scenario.meta,
                scenario.extra,
            )
