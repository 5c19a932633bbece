"""Properties of the engine on random small worlds: a seed replays the same run; the order of the states,
treaties and members in the file changes nothing; an ally never lowers another's honour probability; and
in deterministic mode the deterrence prediction names exactly the camps the run then forms."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.core.scenario import (
    TREATY_TYPES,
    Conditions,
    Decision,
    Plan,
    Scenario,
    ScriptedEvent,
    Settings,
    State,
    Treaty,
)
from sandbox.core.sim import preview_attack, run_scenario


@st.composite
def worlds(draw):
    n = draw(st.integers(3, 8))
    ids = [f"S{i}" for i in range(n)]
    states = [
        State(
            sid,
            f"State {sid}",
            draw(st.floats(0.5, 20)),
            reliability=draw(st.floats(0, 1)),
            mobilization=draw(st.integers(0, 3)),
        )
        for sid in ids
    ]
    treaties = []
    for k in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(TREATY_TYPES))
        members = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=4, unique=True))
        guarantors = []
        if kind == "guarantee":
            guarantors, members = members[:1], members[1:]
        conditional = kind in ("defense", "guarantee", "neutrality")  # the types that take unprovoked_only
        treaties.append(
            Treaty(
                f"T{k}",
                f"Treaty {k}",
                kind,
                members,
                guarantors,
                commitment=draw(st.floats(0, 1)),
                conditions=Conditions(unprovoked_only=conditional and draw(st.booleans())),
                decision=Decision(
                    draw(st.sampled_from(["unanimity", "majority", "veto"])),
                    members[:1],
                    response=draw(st.sampled_from(["force", "authorise", "sanctions"])),
                ),
                mediation=draw(st.sampled_from([0.0, 0.0, 0.2])),
            )
        )
    claimable = [t.id for t in treaties if t.type in ("defense", "collective-security")]
    events = []
    for _ in range(draw(st.integers(1, 3))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        claim = draw(st.sampled_from([None, *claimable]))
        events.append(ScriptedEvent(draw(st.integers(0, 3)), a, b, claim=claim))
    a, b = events[0].aggressor, events[0].target
    plans = [Plan(b, a, [draw(st.sampled_from(ids))])] if draw(st.booleans()) else []
    plans = [p for p in plans if p.also_attack[0] not in (p.state,)]
    settings_ = Settings(
        seed=draw(st.integers(0, 10_000)),
        mode=draw(st.sampled_from(["stochastic", "deterministic"])),
        deterrence=draw(st.booleans()),
        max_ticks=draw(st.integers(1, 30)),
    )
    return Scenario(states, treaties, plans, events, settings_)


def comparable(report):
    """The report with the lists that follow file order (structure.vulnerable, .exposed) as sets."""
    report = dict(report)
    report["structure"] = {
        key: set(value) if isinstance(value, list) else value for key, value in report["structure"].items()
    }
    return report


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_the_same_seed_gives_an_identical_report(scenario):
    assert run_scenario(scenario).report() == run_scenario(scenario).report()


@settings(max_examples=60, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_the_order_of_states_treaties_and_members_does_not_change_outcomes(scenario, rnd: random.Random):
    shuffled = scenario.copy()
    rnd.shuffle(shuffled.states)
    rnd.shuffle(shuffled.treaties)
    for treaty in shuffled.treaties:
        rnd.shuffle(treaty.members)
        rnd.shuffle(treaty.guarantors)
    shuffled._reindex()
    original, reordered = run_scenario(scenario).report(), run_scenario(shuffled).report()
    assert comparable(original) == comparable(reordered)
    assert list(reordered["states"]) == [s.id for s in shuffled.states]


@st.composite
def camps(draw):
    """A (power 5 to 20) attacks B (1 to 5); two to five allies of B, each by its own defence pact."""
    allies = draw(st.integers(2, 5))
    states = [State("A", "A", draw(st.floats(5, 20))), State("B", "B", draw(st.floats(1, 5)))]
    states += [
        State(f"C{i}", f"C{i}", draw(st.floats(0.5, 10)), reliability=draw(st.floats(0.1, 1)))
        for i in range(allies)
    ]
    treaties = [Treaty(f"b{i}", f"b{i}", "defense", ["B", f"C{i}"]) for i in range(allies)]
    return Scenario(
        states,
        treaties,
        events=[ScriptedEvent(0, "A", "B")],
        settings=Settings(deterrence=False, max_ticks=1),
    )


def honour_probabilities(scenario, mode):
    sim = run_scenario(scenario, mode=mode)
    return {e.state: e.p for e in sim.events if e.p is not None}


@settings(max_examples=40, deadline=None)
@given(camps(), st.floats(0.5, 10), st.floats(0.1, 1), st.sampled_from(["stochastic", "deterministic"]))
def test_adding_an_ally_never_lowers_another_ally_s_honour_probability(scenario, power, reliability, mode):
    before = honour_probabilities(scenario, mode)
    grown = scenario.copy()
    grown.add_state(State("NEW", "NEW", power, reliability=reliability))
    grown.add_treaty(Treaty("bnew", "bnew", "defense", ["B", "NEW"]))
    after = honour_probabilities(grown, mode)
    assert all(after[sid] >= p - 1e-12 for sid, p in before.items())


@settings(max_examples=40, deadline=None)
@given(worlds())
def test_the_deterministic_prediction_names_the_camps_the_run_forms(scenario):
    # one scripted attack at tick 0, attrition 0, no mediation (a ceasefire would end the war before the
    # cascade is done), no sanctions drain, no reneging history: prediction and run must agree exactly
    scenario.settings.mode, scenario.settings.attrition, scenario.settings.deterrence = (
        "deterministic",
        0.0,
        False,
    )
    scenario.settings.sanctions_effect = 0.0
    scenario.settings.max_ticks = 40
    first = scenario.events[0]
    scenario.events[:] = [ScriptedEvent(0, first.aggressor, first.target)]
    for treaty in scenario.treaties:
        treaty.mediation = 0.0
    preview = preview_attack(scenario, first.aggressor, first.target)
    sim = run_scenario(scenario)
    joined = {"aggressor": set(), "defender": set()}
    for sid, entry in sim.report()["states"].items():
        if entry["status"] in ("belligerent", "mobilizing", "defeated") and entry.get("war") == 0:
            joined[entry["side"]].add(sid)
    assert (set(preview.aggressor_side), set(preview.defender_side)) == (
        joined["aggressor"],
        joined["defender"],
    )
