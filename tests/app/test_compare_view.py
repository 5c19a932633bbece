"""The what-if window: a variant made with the form, both runs shown side by side."""

from __future__ import annotations

import numpy as np
import pytest
from builders import pact_world
from PySide6.QtCore import QPoint, Qt

from sandbox.app.workshop.compare_view import CompareWindow
from sandbox.core.compare import VariantChange


@pytest.fixture
def compare(qtbot):
    window = CompareWindow(pact_world(), ("A", "B"))
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_hand_worked_case_side_by_side(compare):
    # Worked in tests/core/test_compare.py: with Gamma's reliability at 0.4 its honour chance
    # 0.4 < 0.5, so it reneges and Beta, alone, falls at tick 5 (aggressor victory); in the original
    # Gamma honours and joins Beta.
    assert compare.add_change(VariantChange("reliability", "C", 0.4))
    compare.run()
    assert compare.comparison["b"]["result"] == "aggressor-victory"
    changed = set(compare.comparison["states"])
    assert "C" in changed and "B" not in changed
    for canvas in (compare.canvas_a, compare.canvas_b):
        assert canvas.highlighted_states == changed  # the ring marks the differences on both
    assert compare.canvas_a.run_snapshot.states["C"].side == "defender"
    assert compare.canvas_b.run_snapshot.states["C"].status == "reneged"
    assert compare.canvas_b.scenario.state("C").reliability == 0.4
    # hovering a state tells its "why" in that canvas's own run
    for canvas, simulation in zip((compare.canvas_a, compare.canvas_b), compare.simulations, strict=True):
        assert canvas.tooltip_at(canvas.state_items["C"].pos()) == simulation.snapshot().states["C"].why
    assert "renege" in compare.canvas_b.tooltip_at(compare.canvas_b.state_items["C"].pos()).lower()
    assert compare.canvas_a.scenario.state("C").reliability == 0.9
    assert "aggressor victory at tick 5" in compare.title_b.text()
    text = compare.differences.toPlainText()
    assert "Gamma: reliability 0.4" in text
    assert (
        "Gamma: defeated (defender) -> reneged" in text or "Gamma: belligerent (defender) -> reneged" in text
    )
    for key in ("stability", "belligerents", "power_balance"):
        for run, simulation in zip("ab", compare.simulations, strict=True):
            xs, ys = compare.curves[(key, run)].getData()
            assert np.array_equal(xs, simulation.recorder.series["tick"])
            assert np.array_equal(ys, simulation.recorder.series[key])


def test_the_form_builds_the_variant(compare):
    compare.change_kind.setCurrentIndex(compare.change_kind.findData("drop-treaty"))
    assert not compare.change_value.isVisibleTo(compare)
    compare.change_target.setCurrentIndex(compare.change_target.findData("bc"))
    compare.add_button.click()
    assert compare.change_list.item(0).text() == "Drop Beta-Gamma pact"
    assert not compare.canvas_b.scenario.has_treaty("bc") and compare.canvas_a.scenario.has_treaty("bc")
    compare.change_kind.setCurrentIndex(compare.change_kind.findData("power"))
    compare.change_target.setCurrentIndex(compare.change_target.findData("A"))
    assert compare.change_value.value() == 10.0  # starts from the original's value
    compare.change_value.setValue(2.5)
    compare.add_button.click()
    assert compare.canvas_b.scenario.state("A").power == 2.5
    compare.change_list.setCurrentRow(0)
    compare.remove_button.click()
    assert compare.canvas_b.scenario.has_treaty("bc") and [c.kind for c in compare.changes] == ["power"]


def test_a_change_the_variant_cannot_take_is_refused(compare, monkeypatch):
    problems = []
    monkeypatch.setattr(compare, "show_problem", problems.append)
    assert compare.add_change(VariantChange("drop-treaty", "bc"))
    assert not compare.add_change(VariantChange("drop-treaty", "bc"))
    assert len(compare.changes) == 1 and problems and problems[0].startswith("Drop Beta-Gamma pact")


def test_a_self_attack_is_refused(compare, monkeypatch):
    problems = []
    monkeypatch.setattr(compare, "show_problem", problems.append)
    compare.target.setCurrentIndex(compare.target.findData("A"))
    compare.run()
    assert compare.comparison is None and "cannot attack itself" in problems[0]


def test_the_canvases_are_read_only(compare, qtbot):
    canvas = compare.canvas_a
    canvas.set_tool("add-state")  # a click on empty space would add a state
    before = len(canvas.scenario.states)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert len(canvas.scenario.states) == before
    assert canvas.document.undo_stack.count() == 0


def test_opened_from_the_window_with_its_scripted_attack(main_window):
    window = main_window.workshop.open_comparison()
    assert window.isVisible()
    assert (window.aggressor.currentData(), window.target.currentData()) == ("AUH", "SRB")
    window.run()
    assert window.comparison["outcome_changed"] is False and window.comparison["states"] == {}
    window.close()
