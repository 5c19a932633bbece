"""The scenario model's editing API: checks, notifications and exact undo."""

import pytest

from sandbox.core.scenario import (
    Conditions,
    Decision,
    Plan,
    Scenario,
    ScenarioEditError,
    ScriptedEvent,
    State,
    Treaty,
)


def small_world() -> Scenario:
    scenario = Scenario()
    for sid, power in (("A", 10), ("B", 5), ("C", 4), ("D", 2)):
        scenario.add_state(State(sid, f"State {sid}", power))
    scenario.add_treaty(Treaty("ab", "A-B pact", "defense", ["A", "B"]))
    scenario.add_treaty(
        Treaty(
            "abc", "Bloc", "defense", ["A", "B", "C"], conditions=Conditions(against=["D"], extra={"x": 1})
        )
    )
    scenario.add_treaty(Treaty("g", "Guarantee", "guarantee", ["D"], guarantors=["B"]))
    scenario.add_treaty(
        Treaty("un", "UN", "collective-security", ["A", "B", "C", "D"], decision=Decision("veto", ["A", "C"]))
    )
    scenario.set_plans([Plan("A", "C", ["B"])])
    scenario.set_events([ScriptedEvent(0, "A", "D"), ScriptedEvent(3, "C", "D")])
    return scenario


class Recorder:
    def __init__(self, scenario: Scenario) -> None:
        self.calls: list[tuple] = []
        for name in vars(scenario.signals):
            getattr(scenario.signals, name).connect(lambda *args, name=name: self.calls.append((name, *args)))

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


def test_remove_state_then_restore_gives_back_the_exact_scenario():
    scenario = small_world()
    before = scenario.copy()
    removal = scenario.remove_state("B")
    # A-B pact and the guarantee (B its only guarantor) lose a needed party and go whole;
    # the bloc and the UN keep their other members; the plan naming B goes.
    assert [t.id for t in scenario.treaties] == ["abc", "un"]
    assert scenario.treaty("abc").members == ["A", "C"]
    assert scenario.plans == [] and len(scenario.events) == 2
    assert not scenario.has_state("B") and scenario.state_index("C") == 1
    scenario.restore_state(removal)
    assert scenario == before
    assert [s.id for s in scenario.states] == ["A", "B", "C", "D"]
    assert scenario.treaty("ab") is scenario.treaties[0]


def test_removing_a_veto_holder_and_target_records_every_role():
    scenario = small_world()
    before = scenario.copy()
    removal = scenario.remove_state("D")
    # D was the target of both events, in `against` of the bloc and sole member of the guarantee.
    assert scenario.events == []
    assert scenario.treaty("abc").conditions.against == []
    assert not scenario.has_treaty("g")
    assert ("abc", "against", 0) in removal.memberships
    scenario.restore_state(removal)
    assert scenario == before


def test_edits_notify_and_return_old_values():
    scenario = small_world()
    recorder = Recorder(scenario)
    old = scenario.update_state("A", power=12.5, name="Alpha")
    assert old == {"power": 10, "name": "State A"}
    assert scenario.state("A").power == 12.5
    assert recorder.names() == ["states_changed", "changed"]
    assert recorder.calls[0][2] == ("power", "name")
    old_pos = scenario.move_states({"A": (1.0, 2.0), "B": (3.0, 4.0)})
    assert old_pos == {"A": (0.0, 0.0), "B": (0.0, 0.0)}
    assert scenario.state("B").position == (3.0, 4.0)


def test_a_move_of_many_states_is_one_notification_and_all_or_nothing():
    scenario = small_world()
    recorder = Recorder(scenario)
    scenario.move_states({"A": (1, 2), "B": (3.0, 4.0), "C": (5.0, 6.0)})
    # three states moved, told once: the states in the order given, and one "changed"
    assert recorder.names() == ["states_changed", "changed"]
    assert [state.id for state in recorder.calls[0][1]] == ["A", "B", "C"]
    assert recorder.calls[0][2] == ("position",)
    assert scenario.state("A").position == (1.0, 2.0) and isinstance(scenario.state("A").position[0], float)
    # a bad position last: nothing moves, nothing is told
    recorder.calls.clear()
    with pytest.raises(ScenarioEditError, match=r"position: must be \[x, y\]"):
        scenario.move_states({"A": (9.0, 9.0), "B": (float("inf"), 0.0)})
    assert scenario.state("A").position == (1.0, 2.0) and recorder.calls == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"power": -5}, "power: must be a number >= 0, got -5"),
        ({"reliability": 1.5}, "reliability: must be a number between 0 and 1"),
        ({"power": float("nan")}, "power: must be a number >= 0, got nan"),
        ({"mobilization": 1.5}, "mobilization: must be a whole number between 0 and 10000"),
        # the editing API refuses what the loader refuses, so whatever it accepts also reopens
        ({"mobilization": 20_000}, "mobilization: must be a whole number between 0 and 10000"),
        ({"color": "red"}, 'color: must be a colour like "#6b6b6b"'),
        ({"break_fraction": 1.2}, "break_fraction: must be a number between 0 and 1"),
        ({"autonomy": -0.5}, "autonomy: must be a number between 0 and 1"),
        ({"revisionism": 2}, "revisionism: must be a number between 0 and 1"),
        ({"id": "Z"}, "cannot set id"),
    ],
)
def test_bad_state_values_are_refused_and_change_nothing(values, message):
    scenario = small_world()
    before = scenario.copy()
    with pytest.raises(ScenarioEditError, match=message):
        scenario.update_state("A", **values)
    assert scenario == before


@pytest.mark.parametrize(
    ("treaty", "message"),
    [
        (Treaty("t", "t", "defense", ["A", "A"]), "listed twice"),
        (Treaty("t", "t", "defense", ["A", "Q"]), "unknown state 'Q'"),
        (Treaty("t", "t", "defense", ["A"]), "needs at least 2"),
        (Treaty("t", "t", "guarantee", ["A"]), "needs at least one guarantor"),
        (Treaty("t", "t", "guarantee", ["A"], guarantors=["A"]), "listed twice"),
        (Treaty("t", "t", "alliance", ["A", "B"]), "type: must be one of"),
        (Treaty("t", "t", "defense", ["A", "B"], commitment=2), "commitment"),
        (Treaty("A", "t", "defense", ["A", "B"]), "already used"),
        (Treaty("a b", "t", "defense", ["A", "B"]), "id: must be letters"),
        (
            Treaty("t", "t", "entente", ["A", "B"], conditions=Conditions(["C"])),
            "conditions.against: an entente treaty takes no conditions",
        ),
        (
            Treaty("t", "t", "offense", ["A", "B"], conditions=Conditions(unprovoked_only=True)),
            "conditions.unprovoked_only: an offense treaty takes against",
        ),
        (
            Treaty("t", "t", "collective-security", ["A", "B"], decision=Decision(response="war")),
            "decision.response: must be one of force, authorise, sanctions",
        ),
    ],
)
def test_bad_treaties_are_refused(treaty, message):
    scenario = small_world()
    before = scenario.copy()
    with pytest.raises(ScenarioEditError, match=message):
        scenario.add_treaty(treaty)
    assert scenario == before


def test_update_treaty_checks_the_whole_treaty_and_undoes():
    scenario = small_world()
    before = scenario.copy()
    with pytest.raises(ScenarioEditError):
        scenario.update_treaty("ab", members=["A"])
    assert scenario == before
    old = scenario.update_treaty("ab", members=["A", "B", "C"], commitment=0.5)
    assert scenario.treaty("ab").members == ["A", "B", "C"]
    scenario.update_treaty("ab", **old)
    assert scenario == before


def test_remove_treaty_and_reinsert_at_index():
    scenario = small_world()
    before = scenario.copy()
    treaty, index = scenario.remove_treaty("abc")
    assert index == 1 and not scenario.has_treaty("abc")
    scenario.add_treaty(treaty, index)
    assert scenario == before


def test_events_and_settings_are_checked():
    scenario = small_world()
    with pytest.raises(ScenarioEditError, match="attack itself"):
        scenario.set_events([ScriptedEvent(0, "A", "A")])
    with pytest.raises(ScenarioEditError, match="events: tick: must be a whole number >= 0, got -1"):
        scenario.set_events([ScriptedEvent(-1, "A", "B")])
    with pytest.raises(ScenarioEditError, match="unknown treaty"):
        scenario.set_events([ScriptedEvent(0, "A", "B", claim="nope")])
    with pytest.raises(ScenarioEditError, match="honor_threshold"):
        scenario.update_settings(honor_threshold=2)
    with pytest.raises(ScenarioEditError, match="mode"):
        scenario.update_settings(mode="chaotic")
    assert scenario.update_settings(attrition=0.1) == {"attrition": 0.05}
    with pytest.raises(ScenarioEditError, match="days_per_tick: must be a whole number"):
        scenario.update_settings(days_per_tick=3.5)
    with pytest.raises(ScenarioEditError, match="open_play: must be true or false"):
        scenario.update_settings(open_play=1)
    with pytest.raises(ScenarioEditError, match="defense_advantage"):
        scenario.update_settings(defense_advantage=-1)
    assert scenario.update_settings(days_per_tick=1, exhaustion=20.0) == {
        "days_per_tick": 7,
        "exhaustion": 50.0,
    }
    with pytest.raises(ScenarioEditError, match="start_date: is not a day of the calendar"):
        scenario.update_meta(start_date="1914-02-30")
    assert scenario.update_meta(start_date="1914-07-28") == {"start_date": None}


def test_unique_id_and_economy_default():
    scenario = small_world()
    assert scenario.unique_id("A") == "A-2"
    assert scenario.unique_id("New state") == "New-state"
    assert scenario.state("A").economy == 10
    scenario.update_state("A", gdp=40.0)
    assert scenario.state("A").economy == 40.0


def test_copy_is_deep_and_has_fresh_signals():
    scenario = small_world()
    seen = []
    scenario.signals.changed.connect(lambda: seen.append(1))
    clone = scenario.copy()
    clone.update_state("A", power=1)
    clone.treaty("abc").conditions.against.append("B")
    assert scenario.state("A").power == 10 and scenario.treaty("abc").conditions.against == ["D"]
    assert seen == []
