"""The display vocabulary names every treaty type, status, side and event kind the core has."""

from __future__ import annotations

import pytest

from sandbox.app.style import vocabulary
from sandbox.core.examples import scenarios_folder
from sandbox.core.io.fileformat import load_scenario
from sandbox.core.scenario import TREATY_TYPES
from sandbox.core.sim import Simulation
from sandbox.core.sim.state import SIDE_NAMES, STATUS_NAMES

# SPEC.md's list of run report event kinds, and the engine's own narration kinds beyond it
SPEC_KINDS = [
    "attack",
    "deterred",
    "settled",
    "obliged",
    "honor",
    "renege",
    "declined",
    "voluntary",
    "veto",
    "sanction",
    "violation",
    "pretext",
    "defeat",
    "exhausted",
    "ceasefire",
    "merge",
    "threat",
    "countered",
    "threat-damage",
    "end",
]
ENGINE_KINDS = ["not-obliged", "neutral", "arrival", "authorised", "claim", "war-end", "no-effect"]


@pytest.mark.parametrize("kind", [*SPEC_KINDS, *ENGINE_KINDS])
def test_every_event_kind_has_a_label_and_a_colour(kind):
    assert vocabulary.EVENT_KIND_LABELS[kind][0].isupper()
    assert kind in vocabulary.EVENT_KIND_COLORS


def test_every_kind_the_examples_log_is_in_the_vocabulary():
    kinds = set()
    for path in sorted(scenarios_folder().glob("*.sandbox")):
        sim = Simulation(load_scenario(path))
        for _ in range(40):
            if sim.finished:
                break
            sim.step()
        kinds |= {event.kind for event in sim.events}
    assert kinds and kinds <= set(vocabulary.EVENT_KIND_LABELS)


def test_treaty_types_statuses_and_sides_are_all_named():
    assert set(vocabulary.TREATY_TYPE_NAMES) == set(TREATY_TYPES)
    assert set(vocabulary.STATUS_NAMES) == set(STATUS_NAMES)
    assert set(vocabulary.SIDE_NAMES) - {None} == set(SIDE_NAMES) - {None}
