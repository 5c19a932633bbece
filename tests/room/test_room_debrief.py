"""The room and the model side by side (core.room_compare), on the defenders world worked by hand."""

from room_clients import defenders_world

from sandbox.core.room_compare import room_and_model, room_lines
from sandbox.core.sim import Simulation
from sandbox.core.sim.decisions import Taken


def room_run(taken):
    sim = Simulation(defenders_world())
    sim.begin_step()
    sim.finish_step(taken)
    return sim.run().report()


def log(state, who, choice, by, model_choice):
    return {
        "tick": 0,
        "state": state,
        "participant": who,
        "choice": choice,
        "by": by,
        "model_choice": model_choice,
    }


def test_a_room_that_takes_a_defender_out_and_one_that_agrees():
    model = Simulation(defenders_world()).run().report()
    # Ann reneges for C where the model honours (C kept out); Bo's D times out (the model honours)
    section = room_and_model(
        room_run({"C": Taken("renege", "Ann")}),
        model,
        [log("C", "Ann", "renege", "participant", "honour"), log("D", "Bo", "honour", "model", "honour")],
        {"C": "Ann", "D": "Bo"},
    )
    assert (section["kept_out"], section["took_in"]) == (["C"], [])
    lines = room_lines(section, {"C": "State C"})
    assert lines[0] == (
        "2 participants held states; they took 1 decision, 0 as the model would have and 1 otherwise; "
        "the model took 1 decision when time ran out."
    )
    assert lines[1] == "The room kept State C out of the war; in the model's run it fought."
    assert lines[2].startswith("In the room: ") and "1 reneged" in lines[2]
    assert lines[3].startswith("In the model's run: ") and "0 reneged" in lines[3]
    # a room that chose as the model did changes nothing
    same = room_and_model(
        room_run({"C": Taken("honour", "Ann")}),
        model,
        [log("C", "Ann", "honour", "participant", "honour")],
        {},
    )
    assert (same["kept_out"], same["took_in"], same["room"]) == ([], [], same["model"])
    assert room_lines(same, {})[1] == "The same states fought as in the model's run."


def test_the_debrief_handout_has_the_room_beside_the_model():
    from sandbox.core.debrief import handout

    model = Simulation(defenders_world()).run().report()
    report = room_run({"C": Taken("renege", "Ann")})
    report["room"] = room_and_model(report, model, [log("C", "Ann", "renege", "participant", "honour")], {})
    sections = dict((title, lines) for title, lines, _ in handout(defenders_world(), report))
    assert (
        sections["The room and the model"][1]
        == "The room kept State C out of the war; in the model's run it fought."
    )
    assert "The room and the model" not in dict((t, x) for t, x, _ in handout(defenders_world(), model))
