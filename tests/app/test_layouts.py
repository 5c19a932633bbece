"""Automated checks over the layouts the screenshots show: a projector's 1280x720 and a 1080p
screen, normal and presenter mode, on examples with crowded maps. (The whole matrix of examples,
sizes and themes is for a person to look at: `security-sandbox FILE --screenshot OUT.png --size WxH
[--presenter] [--theme T]`.)"""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QStyleOptionViewItem, QTabBar, QToolButton
from settling import wait_laid_out

from sandbox.app.workshop.presenter import in_front
from sandbox.core.examples import list_examples, load_example

SIZES = ((1280, 720), (1920, 1080))
MAP_SHARE = 0.55  # of the window's area, at least


def laid_out(make_window, qtbot, example: str, size: tuple[int, int], presenter: bool, charts: bool = False):
    window = make_window(load_example(example))
    if presenter:
        window.workshop.presenter.set_active(True)
        window.showNormal()  # the test screen is larger: the projector's size instead of full screen
    window.resize(*size)
    wait_laid_out(qtbot, window)  # presenter mode arranges its docks and fits the world after the switch
    if charts:  # presenter mode's C; outside it, the Charts tab
        window.workshop.presenter.show_panel(window.live.charts)
        qtbot.waitUntil(lambda: in_front(window.live.charts))
        wait_laid_out(qtbot, window)  # the docks take their new sizes, and the world is fitted again
    window.live.controller.run_ticks(6)
    wait_laid_out(qtbot, window)  # the tool bars lay out again in the large type
    qtbot.waitUntil(lambda: not window.canvas._label_timer.isActive())  # names placed for the last zoom
    return window


def overflowing(toolbar) -> bool:
    """Whether the tool bar shows its overflow chevron (some of its widgets are in its menu)."""
    chevron = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    return chevron is not None and chevron.isVisible()


def cut_log_rows(log) -> list[int]:
    """The event-log rows drawn shorter than their wrapped sentence needs at the log's width."""
    view, delegate = log.view, log.view.itemDelegate()
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    model = view.model()
    return [
        row
        for row in range(model.rowCount())
        if view.visualRect(model.index(row, 0)).height()
        < delegate.sizeHint(option, model.index(row, 0)).height()
    ]


def stray_tab_bars(window) -> list[str]:
    """The visible dock tab bars that lie over the map or over a panel's contents, in the window
    (a panel behind its neighbour's tab is moved out of it, and Qt's empty bars with it)."""
    covered = [window.centralWidget().geometry()] + [
        dock.geometry() for dock in window.findChildren(type(window.inspector_dock)) if dock.isVisible()
    ]
    return [
        "|".join(bar.tabText(i) for i in range(bar.count()))
        for bar in window.findChildren(QTabBar)
        if bar.parent() is window
        and bar.isVisible()
        and bar.geometry().intersects(window.rect())
        and any(bar.geometry().intersects(r) for r in covered)
    ]


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
    check_the_layout(laid_out(make_window, qtbot, example, size, presenter), qtbot, presenter)


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("example", [e.name for e in list_examples()])
def test_every_example_works_for_a_room_with_the_charts_shown(make_window, qtbot, example, size, presenter):
    window = laid_out(make_window, qtbot, example, size, presenter, charts=True)
    assert in_front(window.live.charts)
    check_the_layout(window, qtbot, presenter)


def check_the_layout(window, qtbot, presenter: bool) -> None:
    """The checks of the issue's list, on a window laid out by laid_out()."""
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
        # no treaty's name over a state's name or disc, or over another treaty's name
        names = [hull.name_rect(hull.name_spot) for hull in canvas.hulls.values() if hull.label.isVisible()]
        for n, name in enumerate(names):
            assert not any(name.intersects(other) for other in names[n + 1 :])
            for item in items:
                assert not name.intersects(labels[item.state_id]), ("a treaty name over", item.state_id)
                assert not disc_meets(name, item), ("a treaty name over the disc of", item.state_id)
        # every treaty's name is shown (beside its area, or led to it by a line)
        hidden = [hull.treaty_id for hull in canvas.hulls.values() if not hull.label.isVisible()]
        assert hidden == [], ("treaty names hidden", hidden)
        # the whole world is in view, names included
        world = canvas.mapFromScene(canvas.world_rect()).boundingRect()
        assert canvas.viewport().rect().adjusted(-2, -2, 2, 2).contains(world), (
            world,
            canvas.viewport().rect(),
        )
        # the caption stays inside the map (wrapped when too long), in large type in presenter mode
        verdict, area = canvas.verdict, canvas.viewport().geometry()
        assert area.contains(verdict.geometry()), (verdict.geometry(), area)
        if verdict.isVisible():
            assert verdict.font().pointSizeF() >= (15 if presenter else 11), verdict.font().pointSizeF()
        # the legend and the caption cover no state
        for overlay in (canvas.legend, canvas.verdict):
            assert not (overlay.isVisible() and canvas._covers_a_state(overlay)), overlay
        assert canvas.legend.isVisible() or not items
        # every run control is on the tool bar, none in its overflow menu
        toolbar = window.run_toolbar
        live = window.live
        assert not overflowing(toolbar)
        for action in (live.reset_action, live.back_action, live.play_action, live.step_action):
            assert toolbar.widgetForAction(action).isVisible(), action.text()
        for widget in (live.speed_slider, live.speed_label, live.timeline, live.tick_label):
            assert widget.isVisible(), widget
            assert toolbar.rect().contains(QRect(widget.mapTo(toolbar, QPoint(0, 0)), widget.size())), widget
        assert live.run_label.isVisible() != presenter  # presenter mode leaves the run's name to the notes
        # no tab bar left over the map or a panel (Qt leaves copies behind)
        assert stray_tab_bars(window) == []
        # every wrapped sentence of the log has all its lines, in the large type too
        log = window.live.event_log
        assert log.view.font().pointSizeF() > (15 if presenter else 11)
        assert log.events or not window.document.scenario.events
        if in_front(log):
            qtbot.waitUntil(lambda: cut_log_rows(log) == [], timeout=3000)
    finally:
        if presenter:
            window.workshop.presenter.set_active(False)


class Named(QUndoCommand):
    """An undoable step that changes nothing, with a name as long as the app's longest."""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_tool_bars_do_not_shift_when_the_undo_text_changes(make_window, qtbot, size):
    window = make_window(load_example("july-1914"))
    window.resize(*size)
    wait_laid_out(qtbot, window)

    def places() -> list[tuple[int, int]]:
        bars = (window.tools_toolbar, window.run_toolbar)
        return [(w.x(), w.width()) for bar in bars for w in bar.findChildren(QToolButton) if w.isVisible()]

    before = places()
    stack = window.document.undo_stack
    stack.push(Named("Move Germany, Austria-Hungary, the Ottoman Empire and 5 more"))
    wait_laid_out(qtbot, window)
    assert window.undo_button.isEnabled() and "Ottoman Empire" in window.undo_button.toolTip()
    assert "Ottoman Empire" in window.undo_action.text()  # the Edit menu says what Undo undoes
    assert places() == before
    stack.undo()
    wait_laid_out(qtbot, window)
    assert window.redo_button.isEnabled() and places() == before
    window.undo_button.trigger()  # nothing left to undo: the button is a no-op, not an error
    window.redo_button.trigger()
    assert stack.index() == 1
