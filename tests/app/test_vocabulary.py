"""The display vocabulary names and colours every treaty type, status, side and event kind the core
has, and no view writes such a colour or label of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sandbox
from sandbox.app.canvas import legend
from sandbox.app.style import vocabulary
from sandbox.core.examples import scenarios_folder
from sandbox.core.io.fileformat import load_scenario
from sandbox.core.scenario import TREATY_TYPES
from sandbox.core.sim import Simulation
from sandbox.core.sim.state import SIDE_NAMES, STATUS_NAMES, TIE_STATUS_NAMES

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
    assert set(vocabulary.TIE_STATUS_NAMES) == set(TIE_STATUS_NAMES)


def test_treaty_types_statuses_and_sides_all_have_a_colour():
    assert set(vocabulary.TREATY_COLORS) == set(TREATY_TYPES)
    assert set(vocabulary.STATE_STATUS_COLORS) == set(STATUS_NAMES) - {"obliged"}  # decides in its tick
    assert set(vocabulary.SIDE_COLORS) == set(SIDE_NAMES)
    assert set(vocabulary.TIE_STATUS_COLORS) == set(TIE_STATUS_NAMES)


def test_the_legend_says_the_vocabularys_words():
    # the run legend's state rows: a belligerent by its side, every other look by its status
    for label, _kind, (status, side) in legend.STATE_ENTRIES:
        assert label == (vocabulary.SIDE_SHORT_NAMES[side] if side else vocabulary.STATUS_NAMES[status])
    assert [label for label, _kind, _key in legend.TIE_ENTRIES] == [
        "obliged",
        "mobilising",
        "honoured",
        "reneged",
        "not obliged",
        "violation",
        "vetoed",
    ]
    assert all(label == vocabulary.TIE_STATUS_NAMES[key] for label, _kind, key in legend.TIE_ENTRIES)
    assert all(
        label == vocabulary.TREATY_TYPE_NAMES[key].lower() for label, _kind, key in legend.TREATY_ENTRIES
    )


# The colours a status, side, tie status or treaty type is drawn in (the Okabe-Ito hues among them).
VOCABULARY_COLOURS = {
    colour.lower()
    for table in (
        vocabulary.TREATY_COLORS,
        vocabulary.STATE_STATUS_COLORS,
        vocabulary.SIDE_COLORS,
        vocabulary.TIE_STATUS_COLORS,
        vocabulary.OKABE_ITO,
    )
    for colour in table.values()
} | {vocabulary.RENEGED_OUTLINE, vocabulary.DECLINED_COLOR}
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
# The room's page cannot import Python: its colours are CSS variables, each of which
# tests/room/test_room_package.py compares with the vocabulary.
CSS_VARIABLE = re.compile(r"--[a-z-]+: #[0-9a-fA-F]{6}")


def hand_written_colours(package: Path) -> list[str]:
    """Every vocabulary colour written as a literal under ``package``, outside the vocabulary."""
    own = Path(vocabulary.__file__)
    written = []
    for path in sorted(package.rglob("*")):
        if path.suffix not in {".py", ".css", ".js", ".html"} or path == own:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".css":
            text = CSS_VARIABLE.sub("", text)
        written += [
            f"{path.relative_to(package)}: {literal}"
            for literal in HEX.findall(text)
            if literal.lower() in VOCABULARY_COLOURS
        ]
    return written


def test_no_view_writes_a_vocabulary_colour_of_its_own():
    assert hand_written_colours(Path(sandbox.__file__).parent) == []


def test_the_check_finds_a_colour_written_by_hand(tmp_path):
    # planted: a canvas line with the defenders' blue typed in, and a page rule with the aggressors'
    # red outside a CSS variable; the variable itself and an unrelated grey pass
    (tmp_path / "canvas.py").write_text('fill = QColor("#0072B2")\nedge = QColor("#123456")\n')
    (tmp_path / "page.css").write_text(":root { --aggressor: #d55e00; }\n.chip { background: #d55e00; }\n")
    assert hand_written_colours(tmp_path) == ["canvas.py: #0072B2", "page.css: #d55e00"]
