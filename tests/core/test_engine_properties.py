"""Properties of the engine on random small worlds: a seed replays the same run, and the order of the
states in the file changes nothing."""

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
from sandbox.core.sim import run_scenario


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
        treaties.append(
            Treaty(
                f"T{k}",
                f"Treaty {k}",
                kind,
                members,
                guarantors,
                commitment=draw(st.floats(0, 1)),
                conditions=Conditions(unprovoked_only=draw(st.booleans())),
                decision=Decision(draw(st.sampled_from(["unanimity", "majority", "veto"])), members[:1]),
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
        mode="stochastic",
        deterrence=draw(st.booleans()),
        max_ticks=draw(st.integers(1, 30)),
    )
    return Scenario(states, treaties, plans, events, settings_)


def comparable(report):
    """The report with the one list that follows file order (structure.vulnerable) as a set."""
    report = dict(report)
    report["structure"] = {**report["structure"], "vulnerable": set(report["structure"]["vulnerable"])}
    return report


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_the_same_seed_gives_an_identical_report(scenario):
    assert run_scenario(scenario).report() == run_scenario(scenario).report()


@settings(max_examples=60, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_state_order_in_the_file_does_not_change_outcomes(scenario, rnd: random.Random):
    shuffled = scenario.copy()
    rnd.shuffle(shuffled.states)
    shuffled._reindex()
    original, reordered = run_scenario(scenario).report(), run_scenario(shuffled).report()
    assert comparable(original) == comparable(reordered)
    assert list(reordered["states"]) == [s.id for s in shuffled.states]
