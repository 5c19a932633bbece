"""Engine rules of MODEL.md on small hand-built scenarios; expected outcomes worked out by hand."""

import pytest

from sandbox.core.engine import Simulation
from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty


def world(states, treaties=(), events=(("A", "B"),), plans=(), **settings):
    """States as (id, power[, reliability[, mobilization]]); events as (aggressor, target[, tick[, claim]]).

    Deterrence is off unless asked for."""
    built = []
    for spec in states:
        sid, power, *rest = spec
        reliability = rest[0] if rest else 1.0
        mobilization = rest[1] if len(rest) > 1 else 1
        built.append(State(sid, f"State {sid}", power, reliability=reliability, mobilization=mobilization))
    scripted = []
    for ev in events:
        aggressor, target, *rest = ev
        scripted.append(
            ScriptedEvent(rest[0] if rest else 0, aggressor, target, claim=rest[1] if len(rest) > 1 else None)
        )
    settings.setdefault("deterrence", False)
    return Scenario(built, list(treaties), list(plans), scripted, Settings(**settings))


def test_lanchester_losses_on_two_states_by_hand():
    # A (10) attacks D (6); attrition 0.05, no combat in tick 0.
    # tick 1: A loses 0.05*6 = 0.3 -> 9.7; D loses 0.05*10 = 0.5 -> 5.5
    # tick 2: A loses 0.05*5.5 = 0.275 -> 9.425; D loses 0.05*9.7 = 0.485 -> 5.015
    # ticks 3..7 continue: D = 4.54375, 4.0850375, 3.6376844, 3.2005438, 2.7724975 < 0.5*6 at tick 7
    sim = Simulation(world([("A", 10), ("D", 6)], events=[("A", "D")]))
    sim.step()
    assert sim.snapshot().states["A"].strength == 10
    sim.step()
    assert sim.strength[sim.world.index["A"]] == pytest.approx(9.7)
    assert sim.strength[sim.world.index["D"]] == pytest.approx(5.5)
    sim.step()
    assert sim.snapshot().states["A"].strength == pytest.approx(9.425)
    assert sim.snapshot().states["D"].strength == pytest.approx(5.015)
    # cost of A after two combat ticks: (10 + 0.3) + (9.7 + 0.275)
    assert sim.report()["states"]["A"]["cost"] == pytest.approx(20.275)
    sim.run()
    report = sim.report()
    assert report["outcome"] == {"result": "aggressor-victory", "ended_tick": 7}
    assert report["states"]["D"]["status"] == "defeated"
    assert report["states"]["A"]["status"] == "belligerent"


def test_defense_partner_honours_and_enters_after_mobilisation():
    # C defends B; p = 1 x 1 x min(1, 2*(1+5)/(1+5+10)) = 0.75 >= 0.5: honours at tick 0, mobilisation 2
    sim = Simulation(
        world([("A", 10), ("B", 1), ("C", 5, 1.0, 2)], [Treaty("bc", "BC pact", "defense", ["B", "C"])])
    )
    events = sim.step()
    assert [e.kind for e in events] == ["attack", "obliged", "honor"]
    assert sim.snapshot().states["C"].status == "mobilizing"
    assert sim.snapshot().states["C"].side == "defender"
    sim.step()
    assert sim.snapshot().states["C"].status == "mobilizing"
    sim.step()
    view = sim.snapshot().states["C"]
    assert (view.status, view.entered_tick, view.reason) == ("belligerent", 2, {"treaty": "bc", "ally": "B"})
