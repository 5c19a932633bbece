"""What the canvas says about a treaty network before any attack (MODEL.md v2, "Indicators").

The default view is **exposure** (Huth & Russett's extended deterrence on the model's own rule): a
state is exposed when some outsider would not be deterred from attacking it now. The **Jackson &
Nei** view is its own lesson (``metrics.structure``): a state is vulnerable when some state and
coalition of its allies could overpower it and its remaining allies; the network is war-stable when
none is and no tie added or cut changes that. The sentences here are the canvas's caption.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.core.metrics import Structure, structure
from sandbox.core.scenario import Scenario
from sandbox.core.sim import Simulation

JACKSON_NEI_EXPLANATION = (
    "Jackson & Nei (2015) ask whether a treaty network is war-stable. A state is vulnerable when "
    "some other state, together with some of that state's own allies, is stronger than the state "
    "and the allies that would still stand by it (members of one multilateral treaty never gang up "
    "on each other). The network is war-stable when no state is vulnerable, no missing alliance "
    "would let an attack succeed, and no alliance could be dropped with both its members still "
    "safe. It counts raw power on the network alone: unlike exposure, it ignores who would really "
    "honour a treaty, conditions, deterrence and mobilisation."
)
EXPOSURE_EXPLANATION = (
    "A state is exposed when some state it has no defence, guarantee or offence tie with would not "
    "be deterred from attacking it now: the attacker's expected camp is stronger than the defence "
    "the model's own rules say would come (Huth & Russett's extended deterrence)."
)
NAMED = 4  # states named in a caption; the rest are counted


@dataclass(frozen=True)
class Exposure:
    """The exposed states before any attack, in file order, of ``states`` in all."""

    exposed: list[str]
    states: int

    @property
    def stability(self) -> float:
        """(1 - exposed / N): the report's baseline stability (no one at war yet)."""
        return 1.0 - len(self.exposed) / max(self.states, 1)


def exposure_before(scenario: Scenario) -> Exposure:
    """Who is exposed before the first attack, by the same computation as the report's baseline."""
    sim = Simulation(scenario)
    world = sim.world
    margins = sim.baseline_exposure
    order = world.file_order.tolist()
    return Exposure([world.ids[i] for i in order if np.isfinite(margins[i]) and margins[i] > 1.0], world.n)


def _listed(scenario: Scenario, ids: list[str]) -> str:
    names = [scenario.state(s).name for s in ids if scenario.has_state(s)]
    shown = ", ".join(names[:NAMED])
    return shown + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")


def exposure_caption(exposure: Exposure) -> str:
    """One sentence a teacher can read aloud: how many states are exposed before any attack (the
    rings on the map say which), alliances and collective security counted."""
    n, total = len(exposure.exposed), exposure.states
    stability = f"stability {exposure.stability:.2f}"
    if not n:
        return f"Before any attack: no state exposed, every attacker deterred ({stability})."
    return f"Before any attack: {n} of {total} states exposed to an attack nobody would deter ({stability})."


def jackson_nei_caption(scenario: Scenario, structure: Structure) -> str:
    """The Jackson & Nei verdict on the network before any attack."""
    if structure.war_stable:
        return "Jackson & Nei: the treaty network is war-stable (no state can be picked off)."
    if not structure.vulnerable:
        return (
            "Jackson & Nei: the treaty network is NOT war-stable, though no state is vulnerable: "
            "one alliance added or dropped would change that."
        )
    return (
        "Jackson & Nei: the treaty network is NOT war-stable. Vulnerable: "
        f"{_listed(scenario, structure.vulnerable)}."
    )


@dataclass(frozen=True)
class Overview:
    """What the canvas shows before any attack: the ``view`` (``exposure`` or ``jackson-nei``), the
    states it rings, its caption, whether the caption is a warning, and the paragraph explaining it."""

    view: str
    ringed: list[str]
    caption: str
    warning: bool
    explanation: str


def overview(scenario: Scenario, jackson_nei: bool = False) -> Overview | None:
    """The exposure view, or with ``jackson_nei`` the Jackson & Nei view, of the scenario as it is
    (None while it cannot run, e.g. a threat naming a treaty that was just deleted)."""
    if jackson_nei:
        found = structure(scenario)
        return Overview(
            "jackson-nei",
            list(found.vulnerable),
            jackson_nei_caption(scenario, found),
            not found.war_stable,
            JACKSON_NEI_EXPLANATION,
        )
    try:
        exposure = exposure_before(scenario)
    except ValueError:
        return None
    return Overview(
        "exposure",
        exposure.exposed,
        exposure_caption(exposure),
        bool(exposure.exposed),
        EXPOSURE_EXPLANATION,
    )


def shows_jackson_nei(scenario: Scenario) -> bool:
    """Whether the scenario opens in the Jackson & Nei view (``meta.jackson_nei_view``: the
    jackson-nei example); every other scenario opens in the exposure view."""
    return scenario.meta.extra.get("jackson_nei_view") is True


# the charts a scenario may open on, in the charts dock's order (``meta.first_chart``)
CHARTS = ("stability", "strength", "belligerents", "war-burden", "peace-burden")


def first_chart(scenario: Scenario) -> str:
    """The chart the scenario opens on (``meta.first_chart``, an extension of SPEC.md's meta: each
    example picks the chart that tells its story; any other value, or none, is the stability chart)."""
    chosen = scenario.meta.extra.get("first_chart")
    return chosen if chosen in CHARTS else CHARTS[0]
