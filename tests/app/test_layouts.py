"""Automated checks over the layouts the screenshots show: a projector's 1280x720 and a 1080p
screen, normal and presenter mode, on examples with crowded maps. (The whole matrix of examples,
sizes and themes is for a person to look at: `security-sandbox FILE --screenshot OUT.png --size WxH
[--presenter] [--theme T]`.)"""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from sandbox.core.examples import load_example

SIZES = ((1280, 720), (1920, 1080))
MAP_SHARE = 0.55  # of the window's area, at least


def laid_out(make_window, qtbot, example: str, size: tuple[int, int], presenter: bool):
    window = make_window(load_example(example))
    if presenter:
        window.workshop.presenter.set_active(True)
        window.showNormal()  # the test screen is larger: the projector's size instead of full screen
    window.resize(*size)
    qtbot.wait(50)  # presenter mode arranges its docks and fits the world after the switch
    window.live.controller.run_ticks(6)
    for _ in range(3):
        QApplication.processEvents()
    return window


def disc_meets(rect: QRectF, item) -> bool:
    """Whether a label rectangle reaches into a state's disc (a circle, not its bounding box)."""
    centre, r = item.sceneBoundingRect().center(), item.radius
    nearest_x = min(max(centre.x(), rect.left()), rect.right())
    nearest_y = min(max(centre.y(), rect.top()), rect.bottom())
    return math.hypot(centre.x() - nearest_x, centre.y() - nearest_y) < r - 0.5


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("example", ["july-1914", "gulf-1990"])
def test_the_layout_works_for_a_room(make_window, qtbot, example, size, presenter):
    window = laid_out(make_window, qtbot, example, size, presenter)
    canvas = window.canvas
    try:
        # the map has most of the window
        view = canvas.viewport()
        assert view.width() * view.height() >= MAP_SHARE * window.width() * window.height()
        # no name over another name or over another state's disc
        items = list(canvas.state_items.values())
        labels = {item.state_id: item.label_rect(item.label_spot) for item in items}
        for item in items:
            mine = labels[item.state_id]
            for other in items:
                if other is not item:
                    assert not mine.intersects(labels[other.state_id]), (item.state_id, other.state_id)
                    assert not disc_meets(mine, other), (item.state_id, "over the disc of", other.state_id)
        # the legend and the caption cover no state
        for overlay in (canvas.legend, canvas.verdict):
            assert not (overlay.isVisible() and canvas._covers_a_state(overlay)), overlay
        assert canvas.legend.isVisible()
        # every run control is on the tool bar, none in its overflow menu
        toolbar = window.run_toolbar
        live = window.live
        for action in (live.reset_action, live.back_action, live.play_action, live.step_action):
            assert toolbar.widgetForAction(action).isVisible(), action.text()
        assert live.speed_box.isVisible() and live.timeline.isVisible() and live.tick_label.isVisible()
    finally:
        if presenter:
            window.workshop.presenter.set_active(False)
