"""Per-treaty cohesion and the war burden as a share of each fighter's own GDP, on small worlds worked
out by hand (MODEL.md, "Indicators" and "Burden-sharing")."""

import pytest

from sandbox.core.scenario import Meta, Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.sim import run_scenario


def two_pacts() -> Scenario:
    """A attacks B. B's defence pact with C and D: C honours (p = 1 x 1 x 1 = 1), D reneges (its word is
    0.2: p = 0.2 x 1 x 1 = 0.2 < 0.5). B's guarantee from E: honoured. E's entente with F obliges
    nobody, so it has no cohesion."""
    states = [
        State("A", "A", 10.0, gdp=100.0),
        State("B", "B", 2.0, gdp=40.0, mobilization=0),
        State("C", "C", 4.0, gdp=10.0, mobilization=0),
        State("D", "D", 4.0, gdp=10.0, reliability=0.2),
        State("E", "E", 6.0, gdp=50.0, mobilization=0),
        State("F", "F", 1.0, gdp=10.0),
    ]
    treaties = [
        Treaty("bcd", "B-C-D", "defense", ["B", "C", "D"]),
        Treaty("e", "E guarantees B", "guarantee", ["B"], guarantors=["E"]),
        Treaty("ef", "E-F", "entente", ["E", "F"], commitment=0.1),
    ]
    settings = Settings(deterrence=False, max_ticks=3, attrition=0.05)
    return Scenario(states, treaties, [], [ScriptedEvent(0, "A", "B")], settings, Meta(title="two pacts"))


def test_cohesion_per_treaty_is_honoured_over_obliged_so_far():
    report = run_scenario(two_pacts()).report()
    assert report["states"]["D"]["status"] == "reneged"
    # B-C-D: C and D were obliged, C honoured: 1 / 2; E's guarantee: 1 / 1; E-F obliged nobody
    assert report["cohesion"] == {
        "bcd": {"obliged": 2, "honoured": 1, "cohesion": 0.5},
        "e": {"obliged": 1, "honoured": 1, "cohesion": 1.0},
    }


def test_war_burden_gives_each_fighters_cost_as_a_share_of_its_own_gdp():
    report = run_scenario(two_pacts()).report()
    burden = report["burden"]
    assert set(burden) == {"A", "B", "C", "E"}
    for sid, entry in burden.items():
        gdp = {"A": 100.0, "B": 40.0, "C": 10.0, "E": 50.0}[sid]
        assert entry["cost_of_gdp"] == pytest.approx(report["states"][sid]["cost"] / gdp)
    # tick 0: B, C, E join at once; ticks 1 and 2 fight. Tick 1: the defenders (12) lose
    # 0.05 x 10 = 0.5 in proportion to strength; A loses 0.05 x 12 = 0.6. Cost = strength + loss.
    # A: tick 1 costs 10 + 0.6 = 10.6 and leaves 9.4; tick 2 costs 9.4 + 0.05 x 11.5 = 9.975.
    assert burden["A"]["cost_of_gdp"] == pytest.approx((10.6 + 9.975) / 100.0)
