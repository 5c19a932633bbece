"""The one table of field rules (sandbox.core.rules): the editing API, the loader and the published
JSON Schema read it, so they agree; whatever the editing API accepts saves and reopens."""

from __future__ import annotations

import contextlib
import copy
import json
import math
from dataclasses import MISSING, fields
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.cli import commands as cli
from sandbox.core.examples import scenarios_folder
from sandbox.core.io.fileformat import ScenarioFileError, dumps_scenario, loads_scenario, scenario_from_dict
from sandbox.core.io.schema import json_schema, schema_text
from sandbox.core.rules import (
    CHOICE,
    COLOR_PATTERN,
    COLOUR,
    DATE,
    DATE_PATTERN,
    FLAG,
    META_RULES,
    NUMBER,
    POSITION,
    RULES,
    SETTING_RULES,
    STATE_RULES,
    TEXT,
    TREATY_RULES,
    WHOLE,
)
from sandbox.core.scenario import (
    DECISION_RULES,
    RESPONSES,
    TREATY_TYPES,
    Conditions,
    Decision,
    Meta,
    Plan,
    Scenario,
    ScenarioEditError,
    ScriptedEvent,
    Settings,
    State,
    Treaty,
)

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "resources" / "schema" / "sandbox.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def world() -> Scenario:
    return Scenario(
        [State("A", "Alpha", 10.0, position=(0.0, 0.0)), State("B", "Beta", 5.0, position=(50.0, 0.0))],
        [Treaty("t", "Pact", "defense", ["A", "B"])],
    )


def minimal_file() -> dict:
    return {
        "format": "collective-security-sandbox",
        "version": 2,
        "states": [{"id": "A", "name": "Alpha", "power": 10}, {"id": "B", "name": "Beta", "power": 5}],
        "treaties": [{"id": "t", "name": "Pact", "type": "defense", "members": ["A", "B"]}],
    }


@pytest.mark.parametrize(
    ("model", "table"),
    [(State, STATE_RULES), (Treaty, TREATY_RULES), (Settings, SETTING_RULES), (Meta, META_RULES)],
)
def test_every_default_in_the_table_is_the_models_default(model, table):
    defaults = {f.name: f.default for f in fields(model) if f.default is not MISSING}
    for key, rule in table.items():
        if not rule.required and key != "name":  # a treaty's name defaults to its id
            assert defaults[key] == rule.default, key


def test_every_field_has_a_sentence_of_help():
    for table in RULES.values():
        for rule in table.values():
            assert rule.help.endswith(".") and len(rule.help) > 15, rule.name


def test_the_published_schema_is_the_one_the_table_builds():
    # Regenerate with: python -m sandbox.core.io.schema > resources/schema/sandbox.schema.json
    assert SCHEMA_FILE.read_text() == schema_text()
    jsonschema.Draft202012Validator.check_schema(json_schema())


# Where each table's fields sit in the schema, and the keys there that are structure, not field rules
PLACES = {
    "states": ("states", "items"),
    "treaties": ("treaties", "items"),
    "events": ("events", "items"),
    "settings": ("settings",),
    "meta": ("meta",),
}
STRUCTURE = {
    "states": {"id"},
    "treaties": {"id", "members", "guarantors", "conditions", "decision"},
    "events": {"aggressor", "target", "claim", "treaty"},
}
TYPES = {
    NUMBER: "number",
    WHOLE: "integer",
    FLAG: "boolean",
    TEXT: "string",
    COLOUR: "string",
    DATE: "string",
}


def schema_object(table: str) -> dict:
    place = json_schema()["properties"]
    *path, last = PLACES[table]
    for key in path:
        place = place[key]
    return place[last]


@pytest.mark.parametrize("table", sorted(RULES))
def test_the_schema_holds_every_field_rule_of_the_table(table):
    obj = schema_object(table)
    properties = obj["properties"]
    assert set(properties) == set(RULES[table]) | STRUCTURE.get(table, set())
    assert {key for key in obj.get("required", ()) if key in RULES[table]} == {
        key for key, rule in RULES[table].items() if rule.required
    }
    for key, rule in RULES[table].items():
        field = properties[key]
        if rule.optional:  # the value, or null (which means rule.meaning_of_null, said in the help)
            value, null = field["anyOf"]
            assert null == {"type": "null"} and rule.meaning_of_null in field["description"], key
        else:
            value = field
        # type, range, choices
        if rule.kind == CHOICE:
            assert value["enum"] == list(rule.choices), key
        elif rule.kind == POSITION:
            assert (value["type"], value["items"], value["minItems"], value["maxItems"]) == (
                "array",
                {"type": "number"},
                2,
                2,
            )
        else:
            assert value["type"] == TYPES[rule.kind], key
        assert value.get("minimum", -math.inf) == rule.lo and value.get("maximum", math.inf) == rule.hi, key
        if rule.kind in (COLOUR, DATE):
            assert value["pattern"] == (COLOR_PATTERN if rule.kind == COLOUR else DATE_PATTERN).pattern, key
        # default, unit, help
        default = list(rule.default) if isinstance(rule.default, tuple) else rule.default
        assert field.get("default") == (None if rule.required else default), key
        assert field.get("x-unit", "") == rule.unit, key
        assert field["description"].startswith(rule.help) and field["description"] == rule.tooltip(), key


def test_a_reference_is_left_to_the_loader_and_the_schema_says_so(tmp_path, capsys):
    # a treaty naming a state the file does not have: right in shape, so the schema passes it
    data = _set(minimal_file(), "treaties.0.members", ["A", "XYZ"])
    VALIDATOR.validate(data)
    members = schema_object("treaties")["properties"]["members"]
    assert "the loader checks" in members["description"]
    assert "security-sandbox-cli validate" in json_schema()["description"]
    # the loader refuses it, naming the place; so does validate, with exit code 2
    with pytest.raises(ScenarioFileError) as refused:
        scenario_from_dict(data)
    assert refused.value.problems == ["treaties[0].members[1]: unknown state 'XYZ'"]
    path = tmp_path / "dangling.sandbox"
    path.write_text(json.dumps(data))
    assert cli.main(["validate", str(path)]) == 2
    assert f"{path}: treaties[0].members[1]: unknown state 'XYZ'" in capsys.readouterr().err


@pytest.mark.parametrize("path", sorted(scenarios_folder().glob("*.sandbox")), ids=lambda p: p.stem)
def test_every_example_passes_the_schema(path):
    VALIDATOR.validate(json.loads(path.read_text()))


def _set(data: dict, place: str, value) -> dict:
    data = copy.deepcopy(data)
    target = data
    *head, last = place.split(".")
    for key in head:
        target = target[int(key)] if key.isdigit() else target.setdefault(key, {})
    if value is _DROP:
        del target[last]
    else:
        target[last] = value
    return data


_DROP = object()
BAD = [
    ("states.0.color", "red"),
    ("states.0.mobilization", 20_000),
    ("states.0.mobilization", 1.5),
    ("states.0.reliability", 2.0),
    ("states.0.power", -1),
    ("states.0.power", _DROP),
    ("states.0.id", "has space"),
    ("states.0.position", [1, 2, 3]),
    ("treaties.0.type", "alliance"),
    ("treaties.0.commitment", 1.5),
    ("settings.mode", "random"),
    ("settings.max_ticks", 0),
    ("settings.seed", -1),
    ("settings.deterrence", "yes"),
    ("meta.start_date", "28 July 1914"),
    ("version", 3),
    ("format", "something-else"),
]


@pytest.mark.parametrize(
    ("place", "value"), BAD, ids=[f"{p}={'(left out)' if v is _DROP else repr(v)}" for p, v in BAD]
)
def test_the_schema_and_the_loader_both_refuse_a_bad_value(place, value):
    data = _set(minimal_file(), place, value)
    VALIDATOR.validate(minimal_file())  # the file without the change is fine
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
    with pytest.raises(ScenarioFileError):
        scenario_from_dict(data)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"color": "red"}, "color: must be a colour like \"#6b6b6b\", got 'red'"),
        ({"mobilization": 20_000}, "mobilization: must be a whole number between 0 and 10000, got 20000"),
        ({"reliability": 2.0}, "reliability: must be a number between 0 and 1, got 2.0"),
    ],
)
def test_the_editing_api_and_the_loader_say_the_same_words(values, message):
    with pytest.raises(ScenarioEditError) as refused:
        world().update_state("A", **values)
    assert str(refused.value) == message
    ((key, value),) = values.items()
    with pytest.raises(ScenarioFileError) as unread:
        scenario_from_dict(_set(minimal_file(), f"states.0.{key}", value))
    assert unread.value.problems == [f"states[0].{message}"]


# Values of every kind, most of them wrong for most fields: the editing API sorts them.
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 30_000),
    st.integers(2**62, 2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-2.0, 2.0),
    st.sampled_from(
        ["red", "#abc", "#a1b2c3", "#a1b2c3d4", "", "defense", "stochastic", "1914-07-28", "1914-02-30"]
    ),
    st.text(max_size=5),
    st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
)
edits = st.one_of(
    st.tuples(st.just("state"), st.sampled_from(sorted(STATE_RULES)), anything),
    st.tuples(st.just("treaty"), st.sampled_from(["commitment", "mediation", "type", "name"]), anything),
    st.tuples(st.just("settings"), st.sampled_from(sorted(SETTING_RULES)), anything),
    st.tuples(st.just("meta"), st.sampled_from(sorted(META_RULES)), anything),
)


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits, max_size=8))
def test_whatever_the_editing_api_accepts_saves_and_reopens(changes):
    scenario = world()
    apply = {
        "state": lambda key, value: scenario.update_state("A", **{key: value}),
        "treaty": lambda key, value: scenario.update_treaty("t", **{key: value}),
        "settings": lambda key, value: scenario.update_settings(**{key: value}),
        "meta": lambda key, value: scenario.update_meta(**{key: value}),
    }
    for where, key, value in changes:
        with contextlib.suppress(ScenarioEditError):
            apply[where](key, value)
    text = dumps_scenario(scenario)
    VALIDATOR.validate(json.loads(text))
    assert loads_scenario(text) == scenario


# Plans, events and memberships, built through the editing API: ids of the world's states (Z names
# none), mostly in lists, now and then a value of the wrong kind.
IDS = st.sampled_from(["A", "B", "C", "Z"])
KNOWN = st.sampled_from(["A", "B", "C"])
id_lists = st.one_of(
    st.lists(KNOWN, min_size=2, max_size=3, unique=True),
    st.lists(KNOWN, max_size=1),
    st.lists(IDS, max_size=4),
    st.lists(KNOWN, max_size=3).map(tuple),
    anything,
)
ticks = st.one_of(st.integers(-2, 50), st.booleans(), st.floats(-1.0, 50.0), st.just(2**64))
treaty_ids = st.sampled_from(["t", "u", "nope"])
events = st.one_of(
    st.builds(  # attacks, well formed
        ScriptedEvent,
        tick=st.integers(0, 50),
        aggressor=st.just("A"),
        target=st.sampled_from(["B", "C"]),
        claim=st.one_of(st.none(), st.just("t")),
    ),
    st.builds(  # threats, well formed
        ScriptedEvent,
        tick=st.integers(0, 50),
        aggressor=st.none(),
        target=st.none(),
        type=st.just("threat"),
        treaty=st.just("t"),
        size=st.one_of(st.floats(0.0, 100.0), st.integers(0, 100)),
    ),
    st.builds(  # anything in any field
        ScriptedEvent,
        tick=st.one_of(st.integers(0, 50), ticks),
        aggressor=st.one_of(st.none(), IDS),
        target=st.one_of(st.none(), IDS),
        type=st.sampled_from(["attack", "threat", "raid"]),
        claim=st.one_of(st.none(), treaty_ids),
        treaty=st.one_of(st.none(), treaty_ids),
        size=st.one_of(st.none(), st.floats(0.0, 100.0), anything),
    ),
)
plans = st.one_of(
    st.builds(
        Plan, state=st.just("A"), on_war_with=st.just("B"), also_attack=st.lists(st.just("C"), max_size=1)
    ),
    st.builds(Plan, state=IDS, on_war_with=IDS, also_attack=id_lists),
)
treaty_values = st.one_of(
    st.tuples(st.sampled_from(["members", "guarantors"]), id_lists),
    st.tuples(
        st.just("conditions"),
        st.builds(Conditions, against=id_lists, unprovoked_only=st.one_of(st.booleans(), anything)),
    ),
    st.tuples(
        st.just("decision"),
        st.builds(
            Decision,
            rule=st.sampled_from([*DECISION_RULES, "lottery"]),
            veto=id_lists,
            response=st.sampled_from([*RESPONSES, "shrug"]),
        ),
    ),
    st.tuples(st.just("type"), st.sampled_from(TREATY_TYPES)),
)
structure_edits = st.one_of(
    st.tuples(st.just("treaty"), st.sampled_from(["t", "u"]), treaty_values),
    st.tuples(
        st.just("add treaty"),
        st.sampled_from(TREATY_TYPES),
        st.tuples(id_lists, st.one_of(st.just([]), id_lists)),
    ),
    st.tuples(st.just("remove state"), st.sampled_from(["C", "Z"]), st.none()),
    st.tuples(st.just("plans"), st.none(), st.lists(plans, max_size=3)),
    st.tuples(st.just("events"), st.none(), st.lists(events, max_size=3)),
)


def three_states() -> Scenario:
    """Alpha, Beta and Gamma; Alpha and Beta in the defence pact t."""
    scenario = world()
    scenario.add_state(State("C", "Gamma", 7.0, position=(25.0, 40.0)))
    return scenario


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(structure_edits, max_size=8))
def test_whatever_plans_events_and_memberships_the_editing_api_accepts_save_and_reopen(changes):
    scenario = three_states()

    def treaty_edit(treaty_id, value):
        if scenario.has_treaty(treaty_id):
            scenario.update_treaty(treaty_id, **{value[0]: value[1]})

    def add_treaty(kind, parties):
        if not scenario.has_treaty("u"):
            scenario.add_treaty(Treaty("u", "Union", kind, members=parties[0], guarantors=parties[1]))

    def remove_state(state_id, _):
        if scenario.has_state(state_id):
            scenario.remove_state(state_id)

    apply = {
        "treaty": treaty_edit,
        "add treaty": add_treaty,
        "remove state": remove_state,
        "plans": lambda _, value: scenario.set_plans(value),
        "events": lambda _, value: scenario.set_events(value),
    }
    for what, key, value in changes:
        with contextlib.suppress(ScenarioEditError):
            apply[what](key, value)
    text = dumps_scenario(scenario)
    VALIDATOR.validate(json.loads(text))
    assert loads_scenario(text) == scenario


def test_a_whole_number_too_large_for_a_float_is_kept_as_the_file_keeps_it():
    # 2**62 + 1 fits gdp's range but has no exact float: the file reopens it as 2**62, so the
    # editing API keeps the float it will be, and the round trip is equal (hypothesis found it).
    scenario = world()
    scenario.update_state("A", gdp=2**62 + 1)
    assert scenario.state("A").gdp == float(2**62)
    assert loads_scenario(dumps_scenario(scenario)) == scenario
