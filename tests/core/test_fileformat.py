"""The .sandbox format: defaults, round trips, extras, migration, errors, atomic save."""

import json
import os
from pathlib import Path

import pytest

from sandbox.core.io import fileformat
from sandbox.core.io.fileformat import (
    ScenarioFileError,
    atomic_write,
    dumps_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_to_dict,
)
from sandbox.core.scenario import Settings

FIXTURES = Path(__file__).parent / "fixtures"


def minimal(**extra):
    data = {
        "format": "collective-security-sandbox",
        "version": 1,
        "states": [{"id": "A", "name": "Alpha", "power": 3}, {"id": "B", "name": "Beta", "power": 2}],
    }
    data.update(extra)
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(ScenarioFileError) as caught:
        scenario_from_dict(data, "f.sandbox")
    assert caught.value.source == "f.sandbox"
    return caught.value.problems


def test_defaults_follow_spec():
    scenario = scenario_from_dict(
        minimal(treaties=[{"id": "t", "name": "T", "members": ["A", "B"]}], plans=[], events=[])
    )
    a = scenario.state("A")
    assert (a.gdp, a.economy, a.reliability, a.mobilization, a.position, a.color) == (
        None,
        3,
        0.8,
        1,
        (0, 0),
        None,
    )
    treaty = scenario.treaty("t")
    assert (treaty.type, treaty.commitment, treaty.guarantors, treaty.mediation) == ("defense", 1.0, [], 0.0)
    assert treaty.conditions.against == [] and treaty.conditions.unprovoked_only is False
    assert treaty.decision.rule == "unanimity"
    assert scenario.settings == Settings()
    assert scenario.meta.title == "Untitled scenario"


def test_load_fixture_reads_every_field():
    scenario = load_scenario(FIXTURES / "mini-v1.sandbox")
    ger = scenario.state("GER")
    assert (ger.power, ger.gdp, ger.reliability, ger.position, ger.color) == (
        14.2,
        237.0,
        0.9,
        (420, 180),
        "#6b6b6b",
    )
    assert scenario.state("RUS").mobilization == 2
    assert scenario.treaty("dual").conditions.against == ["RUS"]
    assert scenario.treaty("london").guarantors == ["UK"]
    assert scenario.treaty("slav").commitment == 0.8
    assert scenario.plans[0].also_attack == ["BEL"]
    assert scenario.events[0].aggressor == "AUH"
    assert scenario.settings.seed == 7 and scenario.settings.deterrence is False
    assert scenario.meta.extra == {"x-editor": {"zoom": 2}}


def test_save_load_round_trip_is_exact(tmp_path):
    scenario = load_scenario(FIXTURES / "mini-v1.sandbox")
    path = tmp_path / "out.sandbox"
    save_scenario(scenario, path)
    again = load_scenario(path)
    assert again == scenario
    text = path.read_text("utf-8")
    assert text.endswith("}\n") and text == dumps_scenario(again)


def test_gdp_is_written_only_when_given():
    data = scenario_to_dict(load_scenario(FIXTURES / "mini-v1.sandbox"))
    by_id = {s["id"]: s for s in data["states"]}
    assert by_id["GER"]["gdp"] == 237.0
    assert "gdp" not in by_id["AUH"]


def test_unknown_keys_survive_at_every_level_in_spec_order():
    data = minimal(
        future={"x": [1, 2]},
        meta={"title": "T", "m": 1},
        settings={"seed": 3, "s": "x"},
        treaties=[
            {
                "id": "t",
                "name": "T",
                "members": ["A", "B"],
                "tx": True,
                "conditions": {"against": ["B"], "cx": 1},
                "decision": {"rule": "veto", "veto": ["A"], "dx": None},
            }
        ],
        plans=[{"state": "A", "on_war_with": "B", "px": 2}],
        events=[{"tick": 1, "type": "attack", "aggressor": "A", "target": "B", "ex": "e"}],
    )
    data["states"][0]["sx"] = [1]
    out = json.loads(dumps_scenario(scenario_from_dict(data)))
    assert list(out) == [*fileformat._TOP_KEYS, "future"]
    assert out["future"] == {"x": [1, 2]} and out["meta"]["m"] == 1 and out["settings"]["s"] == "x"
    assert list(out["states"][0]) == ["id", "name", "power", "reliability", "mobilization", "position", "sx"]
    treaty = out["treaties"][0]
    assert treaty["tx"] is True and treaty["conditions"]["cx"] == 1 and treaty["decision"]["dx"] is None
    assert list(treaty)[:3] == ["id", "name", "type"] and list(treaty)[-1] == "tx"
    assert out["plans"][0]["px"] == 2 and out["events"][0]["ex"] == "e"


def test_version_0_file_is_migrated():
    scenario = load_scenario(FIXTURES / "prototype-v0.sandbox")
    assert [t.id for t in scenario.treaties] == ["franco-russian", "london"]
    assert scenario.treaty("london").type == "guarantee" and scenario.treaty("london").guarantors == ["FRA"]
    assert scenario.state("RUS").position == (300, 120)
    assert scenario.state("BEL").position == (0, 0)
    out = scenario_to_dict(scenario)
    assert out["version"] == 2 and "alliances" not in out and "treaties" in out


def test_migration_leaves_the_callers_dict_alone():
    data = json.loads((FIXTURES / "prototype-v0.sandbox").read_text())
    before = json.dumps(data)
    scenario_from_dict(data)
    assert json.dumps(data) == before


def test_every_problem_is_collected_with_its_place():
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario(FIXTURES / "bad-content.sandbox")
    source = str(FIXTURES / "bad-content.sandbox")
    assert str(caught.value).splitlines() == [
        f"{source}: settings.mode: must be one of deterministic, stochastic, got 'chaotic'",
        f"{source}: settings.honor_threshold: must be a number between 0 and 1, got 1.5",
        f"{source}: states[3].power: must be a number >= 0, got -5",
        f"{source}: treaties[0].members[1]: unknown state 'Z'",
    ]


def test_syntax_error_gives_line_and_column():
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario(FIXTURES / "syntax-error.sandbox")
    assert str(caught.value).startswith(
        f"{FIXTURES / 'syntax-error.sandbox'}:6:29: invalid JSON: Expecting ','"
    )


def test_non_utf8_names_the_byte_offset():
    raw = (FIXTURES / "latin1.sandbox").read_bytes()
    with pytest.raises(ScenarioFileError, match=f"byte 0xe9 at byte offset {raw.index(0xE9)}"):
        load_scenario(FIXTURES / "latin1.sandbox")


def test_newer_version_is_refused_saying_so():
    with pytest.raises(
        ScenarioFileError, match=r"newer version of the sandbox \(version 3\); .* reads up to 2"
    ):
        load_scenario(FIXTURES / "newer-version.sandbox")


@pytest.mark.parametrize(
    "text, place",
    [
        ('{"a": NaN}', "1:7: invalid JSON: NaN"),
        ('{"a": [1, -Infinity]}', "1:11: invalid JSON: -Infinity"),
        ('{"a": "NaN", "b": Infinity}', "1:19: invalid JSON: Infinity"),
    ],
)
def test_non_finite_numbers_are_refused_where_they_stand(text, place):
    with pytest.raises(ScenarioFileError) as caught:
        loads_scenario(text, "f")
    assert str(caught.value).startswith(f"f:{place} is not a finite number")


def test_numbers_too_large_for_a_float_are_refused_with_their_place():
    text = json.dumps(minimal()).replace('"power": 3', '"power": 1e400')
    with pytest.raises(ScenarioFileError) as caught:
        loads_scenario(text, "f")
    assert str(caught.value) == "f: states[0].power: must be a number >= 0, got inf"
    with pytest.raises(ScenarioFileError, match=r"f: meta.x: must be a finite number, got -inf"):
        loads_scenario(json.dumps(minimal(meta={"x": 0})).replace('"x": 0', '"x": -2e999'), "f")


def test_deep_nesting_is_refused_whatever_the_depth():
    def nested(depth):
        return json.dumps(minimal(x="")).replace('""', "[" * depth + "]" * depth)

    with pytest.raises(ScenarioFileError) as caught:
        loads_scenario(nested(64), "f")
    assert caught.value.problems == ["x" + "[0]" * 63 + ": nested more than 64 levels deep"]
    for depth in (5000, 200_000):  # beyond what json itself can parse
        with pytest.raises(ScenarioFileError, match="f: invalid JSON: nested more than 64 levels deep"):
            loads_scenario(nested(depth), "f")
    assert loads_scenario(nested(63)).extra["x"]  # the file is 64 levels deep


def test_depth_ignores_brackets_inside_strings():
    scenario = loads_scenario(json.dumps(minimal(meta={"notes": "[" * 500 + "{" * 500}, z=[[[]]])))
    assert scenario.meta.notes.startswith("[[[")


def test_huge_integer_is_a_problem_not_a_crash():
    assert problems_of(minimal(settings={"seed": 10**400})) == [
        "settings.seed: must be a whole number between 0 and 9.22337e+18, got a number too large"
    ]
    with pytest.raises(ScenarioFileError) as caught:
        loads_scenario('{"a": "9",\n "b": -' + "9" * 5000 + "}", "f")
    assert str(caught.value) == "f:2:7: invalid JSON: number too long"


def test_power_too_large_for_a_float_gets_the_same_placed_message_on_every_path():
    data = minimal()
    data["states"][0]["power"] = 10**400  # a whole number: quick path and full check alike
    assert problems_of(data) == ["states[0].power: must be a number >= 0, got a number too large"]
    data["states"][0].update(power=1, position=[0, -(10**309)])
    assert problems_of(data) == ["states[0].position: must be [x, y] with two finite numbers, got a list"]


def test_file_over_64_mib_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.sandbox"
    with open(big, "wb") as stream:
        stream.truncate(64 * 2**20 + 1)  # sparse: no 64 MiB written

    def no_open(*args, **kwargs):
        raise AssertionError("read a file over the limit")

    monkeypatch.setattr("builtins.open", no_open)
    with pytest.raises(ScenarioFileError, match=r"big.sandbox: file is 64.0 MiB; .* limited to 64 MiB"):
        load_scenario(big)


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(ScenarioFileError, match="is a folder"):
        load_scenario(tmp_path)
    with pytest.raises(ScenarioFileError, match="nope.sandbox: no such file"):
        load_scenario(tmp_path / "nope.sandbox")


def test_atomic_save_failing_at_replace_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "world.sandbox"
    path.write_bytes(b"old bytes\n")
    os.chmod(path, 0o640)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        save_scenario(scenario_from_dict(minimal()), path)
    assert path.read_bytes() == b"old bytes\n"
    assert os.listdir(tmp_path) == ["world.sandbox"]
    monkeypatch.undo()
    save_scenario(scenario_from_dict(minimal()), path)
    assert load_scenario(path).state("A").name == "Alpha"
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_atomic_save_failing_while_dumping_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "world.sandbox"
    path.write_bytes(b"old bytes\n")
    scenario = scenario_from_dict(minimal())
    scenario.meta.extra["bad"] = float("nan")  # json refuses it (allow_nan=False)
    with pytest.raises(ValueError):
        save_scenario(scenario, path)
    assert path.read_bytes() == b"old bytes\n" and os.listdir(tmp_path) == ["world.sandbox"]


def test_atomic_write_failing_midway_removes_the_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write(path, "new")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["out.csv"]


def test_error_never_leaks_another_exception_type():
    for data in (
        None,
        [],
        "x",
        3,
        {"format": None},
        minimal(states={"A": 1}),
        minimal(states=[None, 1, "A"]),
    ):
        with pytest.raises(ScenarioFileError):
            scenario_from_dict(data)


def test_a_pipe_is_refused_without_waiting_for_it(tmp_path):
    pipe = tmp_path / "pipe.sandbox"
    os.mkfifo(pipe)  # opening it to read would block until a writer came
    with pytest.raises(ScenarioFileError, match="pipe.sandbox: is not a regular file"):
        load_scenario(pipe)


def test_one_bad_field_is_one_problem_not_a_cascade():
    data = minimal(
        treaties=[{"id": "ab", "members": ["A", "B"]}, {"id": "az", "members": ["A", "Z"]}],
        events=[
            {"aggressor": "A", "target": "B", "claim": "az"},
            {"aggressor": "A", "target": "B", "claim": "none"},
        ],
    )
    data["states"][1]["power"] = -5  # B stays a known id for the references to it
    assert problems_of(data) == [
        "states[1].power: must be a number >= 0, got -5",
        "treaties[1].members[1]: unknown state 'Z'",
        "events[1].claim: unknown treaty 'none'",
    ]
    data["states"] = {"A": {}}  # no state list: references cannot be checked, so none is reported
    assert (
        problems_of(data)
        == [
            "states: must be a list, got an object",
            "treaties[1].members[1]: unknown state 'Z'",
            "events[1].claim: unknown treaty 'none'",
        ][::2]
    )


def test_null_conditions_are_refused_on_a_plain_treaty_too():
    # a two-member defence pact takes the quick path of big worlds, which let a null through: the
    # full check refuses it, and both paths must give the same answer
    treaties = [{"id": "t", "name": "T", "members": ["A", "B"], "conditions": None}]
    assert problems_of(minimal(treaties=treaties)) == ["treaties[0].conditions: must be an object, got null"]


def test_duplicate_keys_are_refused_with_their_place():
    text = json.dumps(minimal()).replace('"version": 1', '"version": 1, "version": 1')
    text = text.replace('"power": 2', '"power": 2, "power": 7')
    with pytest.raises(ScenarioFileError) as caught:
        loads_scenario(text, "f")
    assert str(caught.value) == 'f: duplicate key "version" in $\nf: duplicate key "power" in states[1]'


def test_unpaired_surrogates_are_refused_where_they_stand():
    text = json.dumps(minimal(meta={"notes": "\U0001f600 paired is fine"}, x={"k\udc80": 1}))
    text = text.replace('"Alpha"', '"Al\\ud800pha"')
    with pytest.raises(ScenarioFileError) as caught:
        loads_scenario(text, "f")
    assert caught.value.problems == [
        "states[0].name: contains an unpaired surrogate \\ud800",
        'x: key "k\\udc80" contains an unpaired surrogate \\udc80',
    ]
    assert problems_of(json.loads(text)) == caught.value.problems  # parsed by someone else: the same
    raw = json.dumps(minimal(), ensure_ascii=False).replace("Alpha", "Al\ud800pha")  # a str, not escaped
    with pytest.raises(ScenarioFileError, match=r"states\[0\].name: contains an unpaired surrogate \\ud800"):
        loads_scenario(raw)
    fixed = text.replace("\\ud800", "").replace("\\udc80", "")
    assert loads_scenario(fixed).meta.notes.startswith("\U0001f600")


# -- format version 2 (MODEL.md v2; SPEC.md) -------------------------------------


def test_version_2_fields_default_as_model_md_says():
    scenario = scenario_from_dict(minimal(version=2))
    a = scenario.state("A")
    assert (a.break_fraction, a.autonomy, a.revisionism) == (None, 0.0, 0.0)
    # no per-state break_fraction: the state gives up at the setting's 0.5 of its power
    assert a.breaks_at(scenario.settings) == 0.5
    s = scenario.settings
    assert (s.defense_advantage, s.exhaustion, s.sanctions_effect, s.days_per_tick) == (1.0, 50.0, 0.02, 7)
    assert (s.open_play, s.threat_damage, s.private_benefit) == (False, 0.1, 0.0)
    assert scenario.meta.start_date is None


def test_version_2_fields_are_read_and_written_back():
    data = minimal(
        version=2,
        meta={"title": "T", "start_date": "1939-09-01"},
        settings={"days_per_tick": 1, "open_play": True, "exhaustion": 12.5, "defense_advantage": 1.5},
        states=[
            {"id": "A", "name": "Alpha", "power": 3, "break_fraction": 0.2, "autonomy": 0.4},
            {"id": "B", "name": "Beta", "power": 2, "revisionism": 1},
        ],
        treaties=[
            {
                "id": "un",
                "name": "UN",
                "type": "collective-security",
                "members": ["A", "B"],
                "decision": {"rule": "majority", "veto": [], "response": "sanctions"},
            }
        ],
    )
    scenario = scenario_from_dict(data)
    assert scenario.state("A").breaks_at(scenario.settings) == 0.2
    assert (scenario.state("A").autonomy, scenario.state("B").revisionism) == (0.4, 1.0)
    assert scenario.settings.days_per_tick == 1 and scenario.settings.open_play is True
    assert scenario.treaty("un").decision.response == "sanctions"
    assert scenario.meta.start_date == "1939-09-01"
    out = scenario_to_dict(scenario)
    assert out["version"] == 2 and out["meta"]["start_date"] == "1939-09-01"
    assert out["states"][0]["break_fraction"] == 0.2 and out["states"][1]["revisionism"] == 1.0
    assert "autonomy" not in out["states"][1]  # a default is left out, as gdp is
    assert out["treaties"][0]["decision"]["response"] == "sanctions"
    assert loads_scenario(dumps_scenario(scenario)) == scenario


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"states": [{"id": "A", "name": "A", "power": 1, "break_fraction": 1.5}]},
         "states[0].break_fraction: must be a number between 0 and 1, got 1.5"),
        ({"states": [{"id": "A", "name": "A", "power": 1, "autonomy": -0.1}]},
         "states[0].autonomy: must be a number between 0 and 1, got -0.1"),
        ({"states": [{"id": "A", "name": "A", "power": 1, "revisionism": "high"}]},
         "states[0].revisionism: must be a number between 0 and 1, got 'high'"),
        ({"settings": {"days_per_tick": 0}},
         "settings.days_per_tick: must be a whole number between 1 and 36500"),
        ({"settings": {"days_per_tick": 3.5}}, "settings.days_per_tick: must be a whole number"),
        ({"settings": {"open_play": "yes"}}, "settings.open_play: must be true or false, got 'yes'"),
        ({"settings": {"exhaustion": -1}}, "settings.exhaustion: must be a number between 0 and"),
        ({"settings": {"sanctions_effect": 2}},
         "settings.sanctions_effect: must be a number between 0 and 1"),
        ({"meta": {"start_date": "1 Sept 1939"}}, 'meta.start_date: must be a date "YYYY-MM-DD"'),
        ({"meta": {"start_date": "1939-02-30"}}, "meta.start_date: is not a day of the calendar"),
        (
            {"treaties": [{"id": "u", "name": "U", "type": "collective-security", "members": ["A", "B"],
                           "decision": {"response": "war"}}]},
            "treaties[0].decision.response: must be one of force, authorise, sanctions, got 'war'",
        ),
    ],
)  # fmt: skip
def test_version_2_fields_out_of_range_are_placed(change, problem):
    data = minimal(version=2)
    data.update(change)
    assert any(p.startswith(problem) for p in problems_of(data)), problems_of(data)


@pytest.mark.parametrize(
    "kind, conditions, place",
    [
        ("offense", {"unprovoked_only": True}, "unprovoked_only"),
        ("entente", {"against": ["B"]}, "against"),
        ("non-aggression", {"unprovoked_only": True}, "unprovoked_only"),
        ("collective-security", {"against": ["B"]}, "against"),
    ],
)
def test_a_condition_on_a_type_that_does_not_take_it_is_bad_input(kind, conditions, place):
    # MODEL.md's table: offense takes against only; entente, non-aggression and collective
    # security take no condition at all. Each is refused with its place, never ignored.
    treaty = {"id": "t", "name": "T", "type": kind, "members": ["A", "B"], "conditions": conditions}
    problems = problems_of(minimal(version=2, treaties=[treaty]))
    article = "an" if kind in ("offense", "entente") else "a"
    assert problems == [f"treaties[0].conditions.{place}: {article} {kind} treaty takes " + {
        "offense": "against", "entente": "no conditions", "non-aggression": "no conditions",
        "collective-security": "no conditions"}[kind] + " (MODEL.md's table of treaty types)"]  # fmt: skip


def test_a_condition_set_to_nothing_is_no_condition():
    # "unprovoked_only": false and "against": [] are no condition, on any type
    treaty = {"id": "t", "name": "T", "type": "entente", "members": ["A", "B"],
              "conditions": {"unprovoked_only": False, "against": []}}  # fmt: skip
    assert scenario_from_dict(minimal(version=2, treaties=[treaty])).treaty("t").conditions.set_names() == []


def test_neutrality_takes_both_conditions_in_version_2():
    treaty = {"id": "t", "name": "T", "type": "neutrality", "members": ["A", "B"],
              "conditions": {"unprovoked_only": True, "against": ["B"]}}  # fmt: skip
    cond = scenario_from_dict(minimal(version=2, treaties=[treaty])).treaty("t").conditions
    assert cond.unprovoked_only and cond.against == ["B"]


def test_version_1_file_migrates_and_saves_as_version_2(tmp_path):
    # the stored version-1 fixture loads with every new field at its default ...
    scenario = load_scenario(FIXTURES / "mini-v1.sandbox")
    assert scenario.state("GER").autonomy == 0.0 and scenario.settings.days_per_tick == 7
    path = tmp_path / "again.sandbox"
    save_scenario(scenario, path)
    # ... and is written as version 2, which reads back the same
    assert json.loads(path.read_text("utf-8"))["version"] == 2
    assert load_scenario(path) == scenario


def test_version_1_conditions_its_engine_ignored_are_kept_aside_not_refused():
    # Version 1 read `against` only on defense, guarantee and offense treaties and
    # `unprovoked_only` only on defense and guarantee ones: a v1 file with others still
    # loads, means what it meant (no condition), and keeps the text under ignored_conditions.
    treaties = [
        {"id": "n", "name": "N", "type": "neutrality", "members": ["A", "B"],
         "conditions": {"against": ["A"]}},
        {"id": "o", "name": "O", "type": "offense", "members": ["A", "B"],
         "conditions": {"unprovoked_only": True, "against": ["B"]}},
    ]  # fmt: skip
    scenario = scenario_from_dict(minimal(version=1, treaties=treaties))
    assert scenario.treaty("n").conditions.set_names() == []
    assert scenario.treaty("n").extra == {"ignored_conditions": {"against": ["A"]}}
    assert scenario.treaty("o").conditions.against == ["B"]  # v1 read this one
    assert scenario.treaty("o").extra == {"ignored_conditions": {"unprovoked_only": True}}
    assert loads_scenario(dumps_scenario(scenario)) == scenario
