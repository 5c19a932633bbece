"""The decision hook (sim.decisions, SPEC.md "Room") on small hand-built worlds; outcomes worked by hand.

Unless a test says otherwise: reliability 1.0, commitment 1.0, mobilisation 1, deterministic mode,
honour threshold 0.5, deterrence off.
"""

import pytest

from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.sim import Simulation
from sandbox.core.sim.decisions import Taken


def world(powers, members, **settings):
    """States by id and power; one defence treaty "t" over ``members``; A attacks B at tick 0."""
    states = [State(sid, f"State {sid}", power, reliability=1.0) for sid, power in powers]
    treaty = Treaty("t", "Treaty t", "defense", list(members))
    settings.setdefault("deterrence", False)
    return Scenario(states, [treaty], [], [ScriptedEvent(0, "A", "B")], Settings(**settings))


# A (20) attacks B (2); C (8) and D (4) are bound to defend B. Together: own side 2 + 8 + 4 = 14 against
# 20, feasibility 2 x 14 / 34 = 0.8235, p = 0.82 >= 0.5 for both, so the model has both honour.
# Without C, D's side would be 2 + 4 = 6: 2 x 6 / 26 = 0.46 < 0.5, D would renege if it knew.
TWO_DEFENDERS = [("A", 20), ("B", 2), ("C", 8), ("D", 4)]


def decision_event(sim, kind, state):
    return next(e for e in sim.events if e.kind == kind and e.state == state)


def test_open_decisions_carry_the_models_numbers():
    sim = Simulation(world(TWO_DEFENDERS, ["B", "C", "D"]))
    open_ = sim.begin_step()
    assert [d.state for d in open_] == ["C", "D"]
    c = open_[0]
    assert (c.tick, c.treaty, c.ally, c.enemy, c.asks, c.model_choice) == (
        0,
        "t",
        "B",
        ("A",),
        "defend",
        "honour",
    )
    assert c.p == pytest.approx(28 / 34)
    assert c.factors["feasibility"] == pytest.approx(28 / 34)
    assert c.factors["reliability"] == c.factors["commitment"] == 1.0
    assert (c.own_side, c.other_side) == (pytest.approx(14.0), pytest.approx(20.0))
    assert "= 0.82 (the model honours at p >= 0.5; it would honour)" in c.why
    assert "14 in strength on the side of State B against 20" in c.why
    with pytest.raises(RuntimeError):
        sim.begin_step()  # one tick open at a time
    sim.finish_step()
    assert sim.tick == 1


def test_a_participant_decision_replaces_the_models_and_the_others_stay_simultaneous():
    sim = Simulation(world(TWO_DEFENDERS, ["B", "C", "D"]))
    sim.begin_step()
    sim.finish_step({"C": Taken("renege", "Ann")})
    sim.run()
    # C reneges as Ann chose; D decided with the numbers weighed before anyone chose (C coming): p = 0.82
    renege, honour = decision_event(sim, "renege", "C"), decision_event(sim, "honor", "D")
    assert renege.by == {"participant": "Ann", "model_choice": "honour"}
    assert renege.text == (
        "State C reneges on the Treaty t and leaves State B alone. Ann decided for State C; "
        "the model would have chosen otherwise (p = 0.82 >= 0.5)."
    )
    assert honour.by is None and honour.p == pytest.approx(28 / 34)
    report = sim.report()
    by = {(e["kind"], e["state"]): e.get("by") for e in report["events"]}
    assert by[("renege", "C")] == {"participant": "Ann", "model_choice": "honour"}
    assert by[("honor", "D")] == "model"
    assert report["states"]["C"]["status"] == "reneged"
    assert report["states"]["D"]["side"] == "defender"


def test_a_participant_can_honour_where_the_model_would_renege():
    # C (2) defends B (1) against A (20): feasibility 2 x 3 / 23 = 0.26, the model reneges; Bo honours
    sim = Simulation(world([("A", 20), ("B", 1), ("C", 2)], ["B", "C"]))
    (c,) = sim.begin_step()
    assert c.model_choice == "renege"
    sim.finish_step({"C": Taken("honour", "Bo")})
    event = decision_event(sim, "honor", "C")
    assert event.by == {"participant": "Bo", "model_choice": "renege"}
    assert event.text.endswith(
        "Bo decided for State C; the model would have chosen otherwise (p = 0.26 < 0.5)."
    )
    assert sim.snapshot().states["C"].status == "mobilizing"


def test_the_same_choice_as_the_model_says_so():
    sim = Simulation(world(TWO_DEFENDERS, ["B", "C", "D"]))
    sim.begin_step()
    sim.finish_step({"D": Taken("honour", "Cy")})
    assert decision_event(sim, "honor", "D").text.endswith(
        "Cy decided for State D; the model would have chosen the same (p = 0.82 >= 0.5)."
    )


def test_choices_for_states_not_deciding_or_unknown_choices_are_left_to_the_model():
    model = Simulation(world(TWO_DEFENDERS, ["B", "C", "D"])).run().report()
    sim = Simulation(world(TWO_DEFENDERS, ["B", "C", "D"]))
    sim.begin_step()
    sim.finish_step({"A": Taken("renege", "X"), "ZZ": Taken("renege", "Y"), "C": Taken("maybe", "Z")})
    assert sim.run().report() == model


def test_a_decider_is_asked_once_per_tick_with_decisions_and_the_run_matches_begin_and_finish():
    asked = []

    def decider(open_):
        asked.append((sim.tick, [d.state for d in open_]))
        return {"C": Taken("renege", "Ann")}

    sim = Simulation(world(TWO_DEFENDERS, ["B", "C", "D"]), decider=decider)
    sim.run()
    # only tick 0 has decisions (C and D decide once; D's arrival at tick 1 obliges nobody new)
    assert asked == [(0, ["C", "D"])]
    by_hand = Simulation(world(TWO_DEFENDERS, ["B", "C", "D"]))
    by_hand.begin_step()
    by_hand.finish_step({"C": Taken("renege", "Ann")})
    assert by_hand.run().report() == sim.report()


def test_stochastic_draws_stay_the_models_for_the_other_deciders():
    # every decider still draws in id order, so D's draw (and so its decision) is the model run's
    scenario = world(TWO_DEFENDERS, ["B", "C", "D"], mode="stochastic", seed=11)
    model = Simulation(scenario).run()
    sim = Simulation(scenario)
    sim.begin_step()
    model_c = next(e for e in model.events if e.state == "C" and e.kind in ("honor", "renege"))
    flipped = "renege" if model_c.kind == "honor" else "honour"
    sim.finish_step({"C": Taken(flipped, "Ann")})
    sim.run()
    d_model = next(e for e in model.events if e.state == "D" and e.kind in ("honor", "renege"))
    d_room = next(e for e in sim.events if e.state == "D" and e.kind in ("honor", "renege"))
    assert (d_room.kind, d_room.p) == (d_model.kind, d_model.p)
    c_room = next(e for e in sim.events if e.state == "C" and e.kind in ("honor", "renege"))
    assert c_room.kind != model_c.kind
    assert c_room.by["model_choice"] == ("honour" if model_c.kind == "honor" else "renege")
