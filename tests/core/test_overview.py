"""The canvas's caption and rings before any attack, worked out by hand: exposure by default, Jackson &
Nei in its own view (sandbox.core.overview)."""

from sandbox.core.examples import load_example
from sandbox.core.overview import (
    JACKSON_NEI_EXPLANATION,
    exposure_before,
    overview,
    shows_jackson_nei,
)
from sandbox.core.scenario import Meta, Scenario, Settings, State, Treaty


def three(pact: bool) -> Scenario:
    """A (7) and B, C (4 each); with ``pact`` B and C are allies (defense, commitment 1)."""
    states = [State("A", "Alpha", 7.0), State("B", "Beta", 4.0), State("C", "Gamma", 4.0)]
    treaties = [Treaty("bc", "B-C", "defense", ["B", "C"])] if pact else []
    return Scenario(states, treaties, [], [], Settings(), Meta(title="three"))


def test_without_allies_the_weak_are_exposed_to_the_strong():
    # A would attack B or C alone: 7 > 4. Neither B nor C would attack A (4 < 7), nor each other (4 = 4).
    exposure = exposure_before(three(pact=False))
    assert exposure.exposed == ["B", "C"] and exposure.states == 3
    assert exposure.stability == 1 - 2 / 3
    view = overview(three(pact=False))
    assert (view.view, view.ringed, view.warning) == ("exposure", ["B", "C"], True)
    assert (
        view.caption
        == "Before any attack: 2 of 3 states exposed to an attack nobody would deter (stability 0.33)."
    )


def test_a_defence_pact_deters_and_jackson_nei_still_sees_a_vulnerable_state():
    # A attacking B meets B and C: C's p = 1 x 1 x min(1, 2 x 8 / (8 + 7)) = 1, so 8 > 7 deters A.
    view = overview(three(pact=True))
    assert (view.ringed, view.warning) == ([], False)
    assert view.caption == "Before any attack: no state exposed, every attacker deterred (stability 1.00)."
    # Jackson & Nei count raw power on the network: B and C together (8) could overpower A (7), though
    # their pact is defensive and would never bring them to attack: A is vulnerable, not war-stable
    jn = overview(three(pact=True), jackson_nei=True)
    assert (jn.view, jn.ringed, jn.warning) == ("jackson-nei", ["A"], True)
    assert jn.caption == "Jackson & Nei: the treaty network is NOT war-stable. Vulnerable: Alpha."
    assert jn.explanation == JACKSON_NEI_EXPLANATION and "war-stable" in jn.explanation


def test_with_collective_security_the_caption_counts_what_the_league_would_bring():
    # the same ten states: a League deciding by majority deters attacks on every member but one
    # (exposure counts what the organisation would bring: test_exposure.py works it by hand on small
    # worlds), while rival alliances and a League blocked by unanimity leave more exposed
    def exposed(name):
        return len(overview(load_example(name)).ringed)

    majority, unanimity, alliances = (
        exposed(f"concert-or-league-{v}") for v in ("majority", "unanimity", "alliances")
    )
    assert majority < unanimity and majority < alliances
    view = overview(load_example("concert-or-league-majority"))
    assert view.caption.startswith(f"Before any attack: {majority} of 10 states exposed")  # "1 of 10 states"


def test_only_the_jackson_nei_example_opens_in_its_view():
    assert shows_jackson_nei(load_example("jackson-nei"))
    assert not any(shows_jackson_nei(load_example(name)) for name in ("july-1914", "free-riders", "blank"))
