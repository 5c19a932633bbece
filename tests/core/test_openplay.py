"""Open play and common threats (MODEL.md v2, "Open play", "Common threats"), on small worlds worked
out by hand. Unless a test says otherwise: reliability 1.0, commitment 1.0, mobilisation 1,
deterministic mode, deterrence on, attacker disadvantage 1, open play on."""

import pytest

from sandbox.core.io.fileformat import ScenarioFileError, dumps_scenario, loads_scenario
from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.sim import Simulation, run_scenario


def world(states, treaties=(), events=(), **settings):
    """States as (id, power[, revisionism[, gdp]])."""
    built = []
    for sid, power, *rest in states:
        revisionism = rest[0] if rest else 0.0
        gdp = rest[1] if len(rest) > 1 else None
        built.append(State(sid, f"State {sid}", power, gdp=gdp, reliability=1.0, revisionism=revisionism))
    settings = {"open_play": True, "max_ticks": 200, **settings}
    return Scenario(built, list(treaties), [], list(events), Settings(**settings))


def pact(tid, kind, *members, name=None):
    return Treaty(tid, name or f"Treaty {tid}", kind, list(members))


def attacks(sim):
    return [(e.state, e.other) for e in sim.events if e.kind == "attack"]


def test_a_deterred_revisionist_never_attacks():
    # A (10, fully revisionist) may attack B or C, bound by a defence pact: whichever it attacks, the
    # other defends, so it expects 10 against 6 + 6 = 12, a margin of 10/12 = 0.83 < 1 (deterred).
    # A could still choose a war, so the run goes on to max_ticks (200), at peace throughout.
    sim = run_scenario(world([("A", 10, 1.0), ("B", 6), ("C", 6)], [pact("bc", "defense", "B", "C")]))
    assert attacks(sim) == []
    assert sim.result == "peace"
    assert sim.tick == 200
    held = [e for e in sim.events if e.kind == "deterred"]
    assert len(held) == 1  # said once, not every tick
    assert held[0].state == "A" and held[0].other == "B"  # equal margins: the first by id
    assert "deterred by the Treaty bc's expected 12 against its own 10" in held[0].text


def test_a_margin_above_one_over_revisionism_attacks_the_best_target():
    # A (10) weighs B (4, alone: margin 10/4 = 2.5) and C (6) with D (3) bound to it (either one
    # attacked: 10 against 9, margin 1.11). The best is B. With revisionism 0.5 A needs a margin
    # above 1/0.5 = 2: 2.5 passes, so A attacks B at tick 0.
    states = [("A", 10, 0.5), ("B", 4), ("C", 6), ("D", 3)]
    treaties = [pact("cd", "defense", "C", "D")]
    sim = Simulation(world(states, treaties))
    sim.step()
    assert attacks(sim) == [("A", "B")]
    text = next(e.text for e in sim.events if e.kind == "attack")
    assert text.startswith("State A attacks State B: it expects 10 on its side against 4, and no treaty")
    assert "margin 2.5, above its 1/revisionism of 2" in text
    chosen = sim.attacks[0]
    assert chosen["chosen"] and chosen["margin"] == pytest.approx(2.5)
    # revisionism 0.3 needs a margin above 3.33: 2.5 does not pass, A holds back
    timid = run_scenario(world([("A", 10, 0.3), *states[1:]], treaties))
    assert attacks(timid) == []
    held = next(e.text for e in timid.events if e.kind == "deterred")
    assert held == (
        "State A holds back from attacking State B: it would expect 10 against State B's expected "
        "defence of 4, a margin of 2.5, not above its 1/revisionism of 3.33."
    )
    # the same choices without narration (a sweep's runs stop weighing early)
    quiet = run_scenario(world([("A", 10, 0.3), *states[1:]], treaties), record=False)
    assert attacks(quiet) == [] and quiet.tick == 200


def test_tethering_allies_do_not_consider_each_other_but_a_non_aggression_partner_is_attacked():
    # A (10) and B (2) share an alliance; C (20) is the only other state. A does not weigh B
    # (tethering); C gives 10 against 20, margin 0.5: no war.
    for kind in ("defense", "entente", "neutrality"):
        sim = run_scenario(world([("A", 10, 1.0), ("B", 2), ("C", 20)], [pact("ab", kind, "A", "B")]))
        assert attacks(sim) == [], kind
    # a non-aggression pact does not tether: A attacks B (margin 5) and violates the pact
    sim = Simulation(world([("A", 10, 1.0), ("B", 2), ("C", 20)], [pact("ab", "non-aggression", "A", "B")]))
    sim.step()
    assert attacks(sim) == [("A", "B")]
    assert "and it breaks the Treaty ab to do so" in next(e.text for e in sim.events if e.kind == "attack")
    assert [e.kind for e in sim.events if e.kind == "violation"] == ["violation"]


def test_collective_security_tethers_its_members_and_deters_the_revisionist_outside():
    # MODEL.md: a revisionist weighs "the states it has no treaty with", and a League is a treaty.
    # A (10, revisionism 1) is in a League with B (2), C (3) and D (3): it weighs no one, so the
    # run ends in peace after its first tick, although B alone (margin 10/2 = 5) would tempt it.
    members = ["A", "B", "C", "D"]
    inside = run_scenario(
        world([("A", 10, 1.0), ("B", 2), ("C", 3), ("D", 3)], [pact("lg", "collective-security", *members)])
    )
    assert attacks(inside) == [] and inside.result == "peace" and inside.tick == 1
    assert not [e for e in inside.events if e.kind == "deterred"]  # nothing weighed, nothing held back
    # Outside the League {B, C, D}, A weighs all three. Attacking B: the League decides by majority
    # (C and D, outside the war, have no tie to A: authorised) and C and D are bound to defend B, so
    # A expects 10 against 2 + 5 + 5 = 12, margin 0.83 < 1, and likewise against C or D: deterred.
    league = Treaty("league", "League", "collective-security", ["B", "C", "D"])
    outside = run_scenario(world([("A", 10, 1.0), ("B", 2), ("C", 5), ("D", 5)], [league]))
    assert attacks(outside) == []
    held = next(e.text for e in outside.events if e.kind == "deterred")
    assert "deterred by the League's expected 12 against its own 10" in held
    # With C and D at 3, the League's answer is 2 + 3 + 3 = 8 < 10: margin 1.25 > 1, A attacks B.
    weak = Simulation(world([("A", 10, 1.0), ("B", 2), ("C", 3), ("D", 3)], [league]))
    weak.step()
    assert attacks(weak) == [("A", "B")]


def test_a_status_quo_world_in_open_play_stays_at_peace():
    # Nobody is revisionist: whatever the alliances, no state ever chooses a war.
    states = [("A", 10), ("B", 1), ("C", 5), ("D", 0.5)]
    sim = run_scenario(world(states, [pact("cd", "defense", "C", "D")], max_ticks=500))
    assert attacks(sim) == [] and not sim.wars
    assert sim.result == "peace"
    assert sim.report()["outcome"]["ticks_at_war"] == 0


def test_open_play_goes_on_through_several_wars():
    # A (10, revisionism 1) attacks B (4) at tick 0 (margin 2.5; C gives 10/6 = 1.67). B capitulates
    # at tick 5 (strength below half its power); A, at 9.25 by then, next attacks C (9.25/6 = 1.54)
    # at tick 6 and wins again. With no one left to attack, the run ends with that war, at tick 14.
    sim = run_scenario(world([("A", 10, 1.0), ("B", 4), ("C", 6)]))
    assert attacks(sim) == [("A", "B"), ("A", "C")]
    assert [e.tick for e in sim.events if e.kind == "attack"] == [0, 6]
    report = sim.report()
    assert [w["result"] for w in report["outcome"]["wars"]] == ["aggressor-victory"] * 2
    assert report["outcome"]["ticks_at_war"] == 6 + 9  # ticks 0-5 and 6-14
    assert report["outcome"]["ended_tick"] == 14 and sim.tick == 15


def test_open_play_runs_to_max_ticks_while_a_revisionist_can_still_choose_a_war():
    # MODEL.md: at most max_ticks ticks are processed; open play goes on while some revisionist could
    # still choose a war. A (10, revisionism 1) weighs B (6) and C (6), bound by a defence pact:
    # 10 against 12 deters it every tick, but it could choose war any tick, so a 1,000-tick run is
    # 1,000 ticks: ticks 0-999 recorded, the end at tick 999, nobody ever at war.
    states, treaties = [("A", 10, 1.0), ("B", 6), ("C", 6)], [pact("bc", "defense", "B", "C")]
    for record in (True, False):
        sim = run_scenario(world(states, treaties, max_ticks=1000), record=record)
        assert sim.tick == 1000 and sim.finished
        assert sim.recorder.series["tick"].tolist() == list(range(1000))
        assert sim.recorder.series["belligerents"].tolist() == [0] * 1000
        assert [(e.tick, e.kind) for e in sim.events if e.kind in ("attack", "end")] == [(999, "end")]
    # `run --ticks 300` caps it: 300 ticks
    assert run_scenario(world(states, treaties, max_ticks=1000), max_ticks=300).tick == 300
    # Without open play, or with no revisionist, nothing can start a war: the run ends after tick 0.
    assert run_scenario(world(states, treaties, max_ticks=1000, open_play=False)).tick == 1
    assert run_scenario(world([("A", 10), ("B", 6), ("C", 6)], treaties, max_ticks=1000)).tick == 1
    # A defeated revisionist chooses no more wars: B (20) attacks A (3, revisionism 1) at tick 0 (a
    # scripted attack). Each combat tick a side loses 0.05 x the enemy's strength: tick 1 A 3 - 1 = 2,
    # B 20 - 0.15 = 19.85; tick 2 A 2 - 0.9925 = 1.0075, below half its power (1.5): A capitulates at
    # tick 2, and with the only revisionist defeated the run ends with that war.
    attack = ScriptedEvent(0, "B", "A", "attack")
    loser = run_scenario(world([("A", 3, 1.0), ("B", 20)], events=[attack], max_ticks=1000))
    assert [(e.tick, e.state) for e in loser.events if e.kind == "defeat"] == [(2, "A")]
    assert loser.tick == 3


def test_open_play_off_ignores_revisionism():
    sim = run_scenario(world([("A", 10, 1.0), ("B", 4)], open_play=False))
    assert attacks(sim) == []


# -- common threats ------------------------------------------------------------------------


def threat_world(size):
    # X (power 10, GDP 100) and Y (power 5, GDP 50) in a defence treaty, security preference a = 0.1.
    # Olson & Zeckhauser: X pays alone while Y's GDP 50 <= (1-a)/a x X_total; X alone gives
    # X_total = a y_X / (a + 1 - a) = 10, and 50 <= 9 x 10, so X = 10 (Y free-rides).
    return world(
        [("X", 10, 0.0, 100.0), ("Y", 5, 0.0, 50.0)],
        [pact("nato", "defense", "X", "Y", name="NATO")],
        [ScriptedEvent(2, None, None, "threat", treaty="nato", size=size)],
        open_play=False,
    )


def test_a_threat_met_is_countered():
    sim = run_scenario(threat_world(8.0))
    kinds = [(e.tick, e.kind) for e in sim.events if e.kind in ("threat", "countered", "threat-damage")]
    assert kinds == [(2, "threat"), (2, "countered")]
    assert sim.snapshot().states["X"].strength == 10 and sim.snapshot().states["Y"].strength == 5
    assert sim.report()["threats"] == [
        {
            "tick": 2,
            "treaty": "nato",
            "size": 8.0,
            "contributions": pytest.approx(10.0),
            "countered": True,
            "loss": 0.0,
        }
    ]


def test_a_threat_missed_costs_every_member_in_proportion():
    # size 40 against contributions 10: each member loses (40 - 10) / 40 x 0.1 = 7.5% of its power
    sim = run_scenario(threat_world(40.0))
    damage = next(e for e in sim.events if e.kind == "threat-damage")
    assert damage.text == (
        "NATO's contributions, 10.0, fall short of the threat, 40.0: each member loses 7.5% of its power."
    )
    assert sim.snapshot().states["X"].strength == pytest.approx(9.25)
    assert sim.snapshot().states["Y"].strength == pytest.approx(4.625)
    assert sim.snapshot(1).states["X"].strength == 10  # before the threat
    assert sim.report()["threats"][0]["loss"] == pytest.approx(0.075)
    assert sim.tick == 3  # the run waits for its threat, then ends
    # the snapshot of tick 2 carries the threat (the canvas draws it), those of other ticks none
    assert [e["loss"] for e in sim.snapshot(2).threats] == [pytest.approx(0.075)]
    assert sim.snapshot(1).threats == ()


def test_threat_events_round_trip_and_bad_ones_name_their_place():
    scenario = threat_world(40.0)
    again = loads_scenario(dumps_scenario(scenario))
    assert again.events == scenario.events
    text = dumps_scenario(scenario)
    for bad, place in (
        ('"treaty": "nato"', "events[0].treaty: unknown treaty 'otan'"),
        ('"size": 40.0', "events[0].size: must be a number >= 0, got -1"),
        ('"type": "threat"', "events[0].aggressor: a threat event takes treaty and size, not this field"),
    ):
        wrong = {
            '"treaty": "nato"': '"treaty": "otan"',
            '"size": 40.0': '"size": -1',
            '"type": "threat"': '"type": "threat", "aggressor": "X"',
        }[bad]
        with pytest.raises(ScenarioFileError) as error:
            loads_scenario(text.replace(bad, wrong, 1), "w.sandbox")
        assert place in str(error.value)
