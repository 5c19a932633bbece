"""The map's legend: it explains every fill, outline, ring, line and area the canvas can draw,
while editing and in a run, lists only what the map shows, and its colours stay apart for readers
with colour-blindness."""

from __future__ import annotations

import itertools
import math

from PySide6.QtGui import QColor

from sandbox.app.canvas import legend
from sandbox.app.canvas import marks as open_play_marks
from sandbox.app.style import theme, vocabulary
from sandbox.app.style.vocabulary import EVENT_KIND_COLORS
from sandbox.core.scenario import TREATY_TYPES
from sandbox.core.sim import STATUS_NAMES


def labels(canvas, title: str) -> list[str]:
    return [entry[0] for column, entries in canvas.legend.columns if column == title for entry in entries]


def test_the_editing_legend_lists_the_treaty_looks_the_small_world_draws(main_window, qtbot):
    # The small 1914 (conftest): the Dual and Franco-Russian alliances are two-member defence
    # pacts (lines), the Triple Alliance a three-member one (an area); the Triple Entente and
    # Russia-Serbia are ententes (lines, under five members); the Treaty of London a guarantee
    # (arrows); the League collective security (an area). No offence, neutrality or
    # non-aggression treaty: none listed.
    canvas = main_window.canvas
    qtbot.waitUntil(lambda: canvas.legend.isVisible())
    assert labels(canvas, "Treaties") == [
        "defence pact",
        "guarantee",
        "entente",
        "defence pact, 3+",
        "collective security",
    ]
    states = labels(canvas, "States")
    assert states[0] == "a state, its own colour" and states[-1] == "selected"
    # the ring of the canvas's view (exposure by default) is explained when some state carries it
    ringed = bool(canvas.overview and canvas.overview.ringed)
    assert ("exposed" in states) == ringed and "vulnerable (J&N)" not in states


def test_the_run_legend_explains_the_idle_treaties_and_the_areas_too(main_window):
    canvas = main_window.canvas
    main_window.live.controller.run_ticks(1)
    # Austria-Hungary attacks Serbia: the Dual Alliance's and Russia-Serbia's ties take a run
    # status; the Treaty of London and the Franco-Russian Alliance stay idle, drawn as in editing.
    ties = labels(canvas, "Ties")
    assert "guarantee" in ties and "defence pact, 3+" in ties and "collective security" in ties
    statuses = {canvas._tie_status[key] for key in canvas._tie_status}
    assert {entry[2] for entry in legend.TIE_ENTRIES if entry[0] in ties} == statuses
    assert "selected" not in labels(canvas, "States")  # a run has no selection outline to explain


def test_every_look_the_canvas_can_draw_has_an_entry():
    states = {entry[2] for entry in legend.STATE_ENTRIES}
    for status in vocabulary.STATE_STATUS_COLORS:
        sides = ("aggressor", "defender") if status == "belligerent" else (None,)
        assert all((status, side) in states for side in sides), status
    # an "obliged" state decides in the same tick: no tick ends with one (the examples never do)
    assert {status for status, _ in states} == set(STATUS_NAMES) - {"obliged"}
    assert {entry[2] for entry in legend.TIE_ENTRIES} == set(vocabulary.TIE_STATUS_COLORS) - {"idle"}
    assert {entry[2] for entry in legend.TREATY_ENTRIES} == set(TREATY_TYPES)
    assert {entry[2] for entry in legend.AREA_ENTRIES} == set(TREATY_TYPES) - {"guarantee"}
    marks = {
        "exposure",
        "jackson-nei",
        "selected",
        *open_play_marks.MARK_LABELS,
    }  # open play: revisionist, threat
    assert {entry[2] for entry in legend.MARK_ENTRIES} == marks


# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB: how readers with protanopia,
# deuteranopia and tritanopia see a colour.
CVD = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protan": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deutan": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritan": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
APART = 15.0  # CIELAB units (CIE76) between two fills told apart by colour alone


def seen_as(colour: QColor, vision: str) -> tuple[float, float, float]:
    """CIELAB of the colour as a reader of this vision sees it."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF())]
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in CVD[vision])
    x, y, z = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_state_fills_with_the_same_outline_stay_apart_for_colour_blind_readers(main_window):
    # A reneged state also has a broken ring and a mobilising one a dashed outline: two looks with
    # different outlines are told apart without colour. Those with the same outline must differ
    # in colour by APART for every vision, on the light map and on the projector's vivid one.
    canvas = main_window.canvas
    looks = [entry[2] for entry in legend.STATE_ENTRIES]
    projector = theme.canvas_colors(False, projector=True)
    for a, b in itertools.combinations(looks, 2):
        (fill_a, pen_a), (fill_b, pen_b) = canvas.state_look(*a), canvas.state_look(*b)
        if pen_a.style() != pen_b.style():
            continue
        pairs = [(fill_a.color(), fill_b.color())]
        pairs.append((projector.fill(fill_a.color()), projector.fill(fill_b.color())))
        for vision, (x, y) in itertools.product(CVD, pairs):
            assert math.dist(seen_as(x, vision), seen_as(y, vision)) >= APART, (a, b, vision)


def test_declined_is_no_blue_beside_the_defenders_and_the_log_agrees():
    declined, defender = (
        QColor(vocabulary.STATE_STATUS_COLORS["declined"]),
        QColor(vocabulary.SIDE_COLORS["defender"]),
    )
    mobilising_defender = defender.lighter(135)
    for vision in CVD:
        for blue in (defender, mobilising_defender):
            assert math.dist(seen_as(declined, vision), seen_as(blue, vision)) >= APART, vision
    assert EVENT_KIND_COLORS["declined"] == vocabulary.STATE_STATUS_COLORS["declined"]
