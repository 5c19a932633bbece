"""Exposure, the baseline and stability (MODEL.md v2 "Indicators"), on small worlds worked by hand."""

import numpy as np
import pytest
from builders import random_world

from sandbox.core.exposure import _Context, exposure
from sandbox.core.scenario import Decision, Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.sim import Simulation, run_scenario


def exposures(scenario, **kwargs):
    sim = Simulation(scenario, record=False)
    return dict(zip(sim.world.ids, exposure(sim.state, **kwargs).tolist(), strict=True))


def test_exposure_and_its_margin_by_hand():
    # A (10) is alone; B (4) and C (5, reliability 1) have a defense treaty.
    # Against B the only candidate is A (C is B's ally): C's p = 1 x min(1, 2 x 9 / (9 + 10)) = 0.947
    # >= 0.5, so it honours: margin 10 / (4 + 5) = 1.11 > 1, B is exposed.
    # Against C: A's margin 10 / 9 too. Against A: B alone 4 / 10 (C, B's ally, is not asked: a
    # defense treaty obliges nobody to attack), C alone 5 / 10: A's exposure 0.5.
    scenario = Scenario(
        [State("A", "A", 10.0), State("B", "B", 4.0), State("C", "C", 5.0, reliability=1.0)],
        [Treaty("bc", "BC", "defense", ["B", "C"])],
        settings=Settings(honor_threshold=0.5),
    )
    e = exposures(scenario)
    assert e == pytest.approx({"A": 0.5, "B": 10 / 9, "C": 10 / 9})
    # with C unreliable (0.3 < 0.5) it would renege: B faces A alone, 10 / 4
    scenario.state("C").reliability = 0.3
    assert exposures(scenario)["B"] == pytest.approx(2.5)
    # gamma scales every margin: with attacker_disadvantage 2, B's is 2.5 / 2 = 1.25
    scenario.settings.attacker_disadvantage = 2.0
    assert exposures(scenario)["B"] == pytest.approx(1.25)


def test_feasibility_makes_a_weak_coalition_renege():
    # A (100) against B (4) with C (8, r 1): C's p = min(1, 2 x 12 / 112) = 0.214 < 0.5: it reneges,
    # and B's margin is 100 / 4 = 25 (the defence the attacker expects is B alone).
    scenario = Scenario(
        [State("A", "A", 100.0), State("B", "B", 4.0), State("C", "C", 8.0, reliability=1.0)],
        [Treaty("bc", "BC", "defense", ["B", "C"])],
        settings=Settings(honor_threshold=0.5),
    )
    assert exposures(scenario)["B"] == pytest.approx(25.0)


def test_offense_partners_add_to_the_attack_and_a_torn_ally_stays_out():
    # K (6) and its offense partner P (6, r 1) against J (8): P's p = min(1, 2 x 12 / 20) = 1: margin
    # 12 / 8 = 1.5. If P is also J's defense ally, it is pulled both ways and stays out: 6 / 8.
    states = [State("K", "K", 6.0), State("P", "P", 6.0, reliability=1.0), State("J", "J", 8.0)]
    offense = Treaty("kp", "KP", "offense", ["K", "P"])
    assert exposures(Scenario(states, [offense]))["J"] == pytest.approx(1.5)
    both = Scenario(
        [State("K", "K", 6.0), State("P", "P", 6.0, reliability=1.0), State("J", "J", 8.0)],
        [offense, Treaty("pj", "PJ", "defense", ["P", "J"])],
    )
    assert exposures(both)["J"] == pytest.approx(0.75)


def test_exposure_agrees_with_the_deterrence_prediction_of_a_real_attack():
    # the same world: the dry run of A attacking B expects B + C = 9 against A's 10
    scenario = Scenario(
        [State("A", "A", 10.0), State("B", "B", 4.0), State("C", "C", 5.0, reliability=1.0)],
        [Treaty("bc", "BC", "defense", ["B", "C"])],
        settings=Settings(honor_threshold=0.5),
    )
    preview = Simulation(scenario).preview("A", "B")
    assert exposures(scenario)["B"] == pytest.approx(preview.attacker_strength / preview.expected_defense)


def test_baseline_and_stability_from_exposure():
    # A (10) attacks D (6); U (4) is alone. Before the war D (10/6) and U (10/4) are exposed, A is
    # not (6/10): baseline stability (1 - 0) x (1 - 2/3) = 1/3. At tick 0 power at war is 16/20:
    # stability 0.2 x 1/3.
    scenario = Scenario(
        [State("A", "A", 10.0), State("D", "D", 6.0), State("U", "U", 4.0)],
        events=[ScriptedEvent(0, "A", "D")],
        settings=Settings(deterrence=False, max_ticks=2),
    )
    report = run_scenario(scenario).report()
    assert report["baseline"] == pytest.approx(
        {
            "stability": 1 / 3,
            "exposed_states": 2,
            "vulnerable_states": 2,
            "power_balance": 0.5,
            "cohesion": 1.0,
        }
    )
    assert report["structure"]["exposed"] == ["D", "U"]
    assert report["metrics"]["exposed_states"][0] == 2
    assert report["metrics"]["stability"][0] == pytest.approx(0.2 / 3)
    assert report["states"]["U"]["exposure"] == pytest.approx(2.5)


def test_a_state_nothing_defends_has_no_finite_margin():
    scenario = Scenario([State("A", "A", 10.0), State("Z", "Z", 0.0)])
    report = run_scenario(scenario).report()
    assert report["states"]["Z"]["exposure"] is None and report["baseline"]["exposed_states"] == 1


def test_the_approximation_agrees_with_the_exact_flags_on_a_generated_1000_state_world():
    # measured: 98.5% on this world (seed 1, powers lognormal with log-sd 0.3, 3,000 ties)
    sim = Simulation(random_world(states=1000, ties=3000, seed=1, sigma=0.3), record=False)
    exact = exposure(sim.state, exact=True) > 1
    approx = exposure(sim.state, exact=False) > 1
    assert 0.2 < exact.mean() < 0.8  # a world with both kinds of state, so agreement says something
    assert np.mean(exact == approx) >= 0.95


def margin(scenario, target, attacker):
    """The margin of one attacker against one target, as exposure weighs it."""
    sim = Simulation(scenario, record=False)
    index = {state_id: n for n, state_id in enumerate(sim.world.ids)}
    return float(_Context(sim.state).margins(np.array([index[target]]), np.array([index[attacker]]))[0])


def league_world(rule="unanimity", response="force", veto=(), tied=False, third=False, **members):
    """J (4), M1 (5), M2 (3) and, with ``third``, M3 (2) in a League (commitment 1, reliability 1 unless
    given); K (10) outside it. ``tied``: M2 (reliability 0.9) has a defense treaty with K."""
    states = [
        State("J", "J", 4.0, reliability=1.0),
        State("M1", "M1", 5.0, reliability=1.0),
        State("M2", "M2", 3.0, reliability=0.9 if tied else 1.0),
        State("K", "K", 10.0, reliability=1.0),
    ]
    if third:
        states.append(State("M3", "M3", 2.0, reliability=1.0))
    for state in states:
        for field, value in members.get(state.id, {}).items():
            setattr(state, field, value)
    league = Treaty(
        "league",
        "League",
        "collective-security",
        [s.id for s in states if s.id != "K"],
        decision=Decision(rule, list(veto), response=response),
    )
    treaties = [league] + ([Treaty("mk", "M2-K", "defense", ["M2", "K"])] if tied else [])
    return Scenario(states, treaties, settings=Settings(honor_threshold=0.5))


def test_a_league_that_would_fight_deters_an_outsider():
    # K (10) against J: the League decides (unanimity: no member is tied to K) and calls on M1 and M2
    # (base 1 x 1 x 1 x (1 - 0) = 1). Their camp: J 4 + 5 + 3 = 12 against 10, feasibility
    # min(1, 2 x 12 / 22) = 1, so both honour: margin 10 / 12 = 0.83, J is not exposed (alone: 10 / 4).
    # Against K, who belongs to no League, each member alone: M1's 5 / 10 = 0.5. Between members,
    # M1 (5) against J: M2 is called, 4 + 3 = 7: 5 / 7. J's exposure is its largest, 10 / 12.
    e = exposures(league_world())
    assert e["J"] == pytest.approx(10 / 12)
    assert e["K"] == pytest.approx(0.5)
    assert e["M1"] == pytest.approx(10 / 12)  # K against M1: M1 5 + J 4 + M2 3
    # the deterrence rule's own dry run of K attacking J expects the same camps
    preview = Simulation(league_world()).preview("K", "J")
    assert preview.attacker_strength / preview.expected_defense == pytest.approx(10 / 12)


def test_a_member_tied_to_the_attacker_blocks_unanimity_not_a_majority():
    # M2 has a defense treaty with K: by unanimity the League is blocked, and J faces K alone: 10 / 4.
    assert exposures(league_world(tied=True, third=True))["J"] == pytest.approx(2.5)
    # By majority: outside the war M1, M2 and M3, of whom 2 are free of ties to K, 2 x 2 > 3: authorised.
    # M2's tie to K halves its base (cross-pressure): 0.9 x 0.5 = 0.45 < 0.5, it stays out; M1 and M3
    # honour (4 + 5 + 2 = 11 against 10, feasibility 1): margin 10 / 11, not exposed.
    world = league_world("majority", tied=True, third=True)
    assert exposures(world)["J"] == pytest.approx(10 / 11)
    preview = Simulation(world).preview("K", "J")
    assert preview.attacker_strength / preview.expected_defense == pytest.approx(10 / 11)
    # with only M1 and M2 outside the war, one free of 2 is no majority: blocked, 10 / 4
    assert exposures(league_world("majority", tied=True))["J"] == pytest.approx(2.5)


def test_a_veto_sanctions_and_autonomy_leave_the_victim_to_itself():
    # a veto held by M2, tied to K: blocked, J alone 10 / 4. Held by M2 untied: K's attack is put to
    # the League (10 / 12), but M2's own attack on J is vetoed by M2 itself: J alone, 3 / 4 < 10 / 12
    assert exposures(league_world("veto", veto=["M2"], tied=True))["J"] == pytest.approx(2.5)
    assert exposures(league_world("veto", veto=["M2"]))["J"] == pytest.approx(10 / 12)
    # held by M1 (5), its own attack on J is blocked: 5 / 4 is J's largest margin
    assert exposures(league_world("veto", veto=["M1"]))["J"] == pytest.approx(5 / 4)
    # sanctions put no army in the field: the deterrence rule counts strengths, J alone 10 / 4
    assert exposures(league_world(response="sanctions"))["J"] == pytest.approx(2.5)
    # 'authorise' (the members may join, each deciding as it would honour) deters as force does
    assert exposures(league_world(response="authorise"))["J"] == pytest.approx(10 / 12)
    # M1 guards its sovereignty (autonomy 0.6): 1 x (1 - 0.6) = 0.4 < 0.5, only M2 comes: 10 / 7
    assert exposures(league_world(M1={"autonomy": 0.6}))["J"] == pytest.approx(10 / 7)


def test_members_avoid_a_lost_cause():
    # K at 100: the League's camp would be 4 + 5 + 3 = 12, feasibility 2 x 12 / 112 = 0.21, so each
    # member's p = 1 x 0.21 < 0.5: none comes, J's margin is 100 / 4 = 25
    world = league_world()
    world.state("K").power = 100.0
    assert exposures(world)["J"] == pytest.approx(25.0)


def test_an_offense_partner_of_the_attacker_in_the_league_is_torn():
    # P (6), a League member and K's offense partner, would block a unanimous League; by majority
    # (outside the war M1, M2 and P, 2 of 3 free of ties to K) it is called to both camps and stays
    # out of both. K (10) against J: M1 and M2 come (4 + 5 + 3 = 12), P does not join K: 10 / 12.
    # J's exposure is larger still: P's own attack on J brings K by their offense pact (6 + 10 = 16)
    # and the League's M1 and M2 to J (12): 16 / 12. Without the League P joins K: 16 / 4.
    world = league_world("majority")
    world.states.append(State("P", "P", 6.0, reliability=1.0))
    world.treaties[0].members.append("P")
    world.treaties.append(Treaty("kp", "K-P", "offense", ["K", "P"]))
    preview = Simulation(world).preview("K", "J")
    assert preview.attacker_strength / preview.expected_defense == pytest.approx(10 / 12)
    assert margin(world, "J", "K") == pytest.approx(10 / 12)
    assert exposures(world)["J"] == pytest.approx(16 / 12)
    world.treaties.pop(0)
    assert exposures(world)["J"] == pytest.approx(16 / 4)
