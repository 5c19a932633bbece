"""The live view inside the real main window: keys, the real canvas, every bundled example."""

import pyqtgraph as pg
import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from settling import wait_laid_out

from sandbox.core.examples import list_examples, load_example

EXAMPLES = [example.name for example in list_examples()]


def test_the_window_carries_the_live_view(main_window):
    live = main_window.live
    toolbar = main_window.run_toolbar.actions()
    assert all(
        a in toolbar for a in (live.reset_action, live.back_action, live.play_action, live.step_action)
    )
    assert live.export_report_action in main_window.export_menu.actions()
    assert live.charts.isVisible() and live.event_log.isVisible()
    assert live.timeline.isVisible()


def test_a_long_run_name_is_cut_at_its_end_and_the_result_stays_whole(make_window, world, qtbot):
    window = make_window(world)
    window.resize(1600, 1000)
    world.update_state("AUH", name="The Dual Monarchy of Austria and Hungary under the Habsburg Crown")
    world.update_state("SRB", name="The Kingdom of Serbia and its Allies in the Western Balkans")
    live = window.live
    live.controller.start_attack("AUH", "SRB")
    live.controller.pause()
    live.controller.run_ticks(1000)
    result = live.controller.result.replace("-", " ")
    wait_laid_out(qtbot, window)  # the toolbar lays out again after the labels' new sizes
    assert live.tick_label.text().endswith(f" · {result}")
    label = live.run_label
    full = "The Dual Monarchy of Austria and Hungary under the Habsburg Crown attacks The Kingdom of Serbia"
    assert label.full_text.startswith(full) and label.toolTip() == QtGui.Qt.convertFromPlainText(
        label.full_text
    )
    assert label.text().startswith("The Dual Monarchy") and label.text().endswith("…")  # cut at the end
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    toolbar = window.run_toolbar
    assert label.isVisible() and label.geometry().right() <= toolbar.width()
    assert live.tick_label.isVisible()
    assert live.tick_label.fontMetrics().horizontalAdvance(live.tick_label.text()) <= live.tick_label.width()


def test_the_run_name_is_plain_text_with_control_characters_escaped(make_window, world, qtbot):
    # a name is data: "<b>" must not turn bold (rich text) nor "\x1b[2J" reach the screen raw
    world.update_state("AUH", name="<b>Austria</b>\x1b[2J\u202e")
    window = make_window(world)
    live = window.live
    live.controller.start_attack("AUH", "SRB")
    label = live.run_label
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.full_text.startswith("<b>Austria</b>\\x1b[2J\\u202e attacks ")
    assert "\x1b" not in label.text() and "\u202e" not in label.text()
    # the tooltip is rich text made from the plain text: the markup is shown, not applied
    assert "&lt;b&gt;Austria&lt;/b&gt;\\x1b[2J" in label.toolTip()


def test_the_run_bar_names_the_attack_even_when_the_title_holds_a_colon(make_window, world):
    world.update_meta(title="Abyssinia 1935: the League fails")
    window = make_window(world)
    assert window.live.run_label.full_text == "Austria-Hungary attacks Serbia"  # not "the League fails: ..."
    world.update_settings(open_play=True)
    world.set_events([])  # the run's attacks are the states' own choices
    assert window.live.run_label.full_text == "open play: the states choose their wars"


def test_keys_on_the_canvas_drive_the_run(make_window, world, qtbot):
    world.update_settings(deterrence=False)  # a war of several ticks, not a deterred attack
    main_window = make_window(world)
    controller, canvas = main_window.live.controller, main_window.canvas
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus, timeout=2000)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert controller.ticks_done == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert main_window.live.viewed_tick == 0
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert controller.ticks_done == 0 and main_window.live.viewed_tick is None


def test_text_fields_keep_their_keys(main_window, qtbot):
    controller = main_window.live.controller
    field = next(f for f in main_window.inspector.findChildren(QLineEdit) if f.isVisible() and f.isEnabled())
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Home, Qt.Key.Key_Space):
        qtbot.keyClick(field, key)
    assert controller.ticks_done == 0 and not controller.playing


def hover_texts(canvas) -> dict[str, str]:
    """What hovering over each state's disc shows."""
    return {state_id: canvas.tooltip_at(item.pos()) for state_id, item in canvas.state_items.items()}


def test_replay_redraws_the_real_canvas(main_window):
    live, canvas = main_window.live, main_window.canvas
    live.controller.run_ticks(4)
    simulation = live.controller.simulation
    # at the live end hovering tells each state's "why" as it stands now
    assert hover_texts(canvas) == {sid: view.why for sid, view in simulation.snapshot().states.items()}
    live.show_tick(0)
    assert canvas.run_snapshot.tick == 0
    expected = {state_id: view.why for state_id, view in simulation.snapshot(0).states.items()}
    assert hover_texts(canvas) == expected
    live.show_tick(simulation.tick - 1)
    assert canvas.run_snapshot.tick == simulation.tick - 1
    live.controller.reset()
    assert canvas.run_snapshot is None


def test_hovering_in_replay_tells_the_replayed_ticks_why(make_window):
    window = make_window(load_example("july-1914"))
    live, canvas = window.live, window.canvas
    live.controller.run_ticks(3)
    simulation = live.controller.simulation
    now = simulation.snapshot().states["FRA"].why
    live.show_tick(0)
    then = simulation.snapshot(0).states["FRA"].why
    assert then != now  # France's position changes after tick 0 in July 1914
    assert canvas.tooltip_at(canvas.state_items["FRA"].pos()) == then
    live.show_tick(simulation.tick - 1)
    assert canvas.tooltip_at(canvas.state_items["FRA"].pos()) == now


def test_clicking_a_logged_event_highlights_it_on_the_canvas(main_window):
    live, canvas = main_window.live, main_window.canvas
    live.controller.run_ticks(3)
    model = live.event_log.model
    row, event = next((r, e) for r, e in enumerate(model.events) if e.state is not None)
    live.event_log.view.clicked.emit(model.index(row))
    assert event.state in canvas.highlighted_states
    assert canvas.highlighted_treaty == (event.treaty if event.treaty in canvas.ties else None)


def test_examples_are_bundled():
    assert EXAMPLES, "resources/scenarios holds no example"


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_plays_to_its_end_and_replays(make_window, name):
    window = make_window(load_example(name))
    live = window.live
    live.controller.set_speed(30)
    live.controller.run_ticks(100_000)
    simulation = live.controller.simulation
    assert simulation.finished and simulation.result
    assert live.event_log.events == simulation.events
    # every tick, and the baseline before the first attack at -1
    assert live.charts.curve("stability").getData()[0].tolist() == [-1, *range(simulation.tick)]
    for tick in range(simulation.tick):
        live.show_tick(tick)
    assert window.canvas.run_snapshot.tick == simulation.tick - 1
    live.charts.tabs.setCurrentWidget(live.charts.war_burden)
    live.charts.tabs.setCurrentWidget(live.charts.peace_burden)
    assert live.charts.peace_burden.table()[1] or not simulation.report()["peace_burden"]


def test_playing_through_the_worker_in_the_real_window(make_window, qtbot):
    window = make_window(load_example("july-1914"))
    controller, canvas = window.live.controller, window.canvas
    controller.threaded = True
    controller.set_speed(30)
    controller.play()
    qtbot.waitUntil(lambda: controller.finished, timeout=20000)
    simulation = controller.simulation
    assert canvas.run_snapshot.tick == simulation.tick - 1
    assert {s: (v.status, v.side) for s, v in canvas.run_snapshot.states.items()} == {
        s: (v.status, v.side) for s, v in simulation.snapshot().states.items()
    }
    assert window.live.event_log.events == simulation.events
    window.live.close()  # ends the worker thread


def test_dragging_a_chart_cursor_scrubs_the_replay(make_window, qtbot):
    main_window = make_window(load_example("july-1914"))  # a war of several ticks
    live = main_window.live
    live.controller.run_ticks(6)
    chart = live.charts.time_charts[0]
    live.charts.raise_()  # the charts' tab in front of the event log's
    live.charts.tabs.setCurrentWidget(chart)
    plot, view = chart.plots[0], chart.layout_widget
    # laid out on screen, and the cursor at the live end (a busy machine draws the ticks later)
    qtbot.waitUntil(lambda: view.isVisible() and plot.vb.width() > 200, timeout=60_000)
    qtbot.waitUntil(lambda: chart.cursors[0].value() == 5 and plot.vb.viewRange()[0][1] >= 5, timeout=60_000)
    ranges = plot.vb.viewRange(), view.size()
    qtbot.waitUntil(lambda: (plot.vb.viewRange(), view.size()) == ranges, timeout=60_000)  # settled

    def at(tick: float):
        """The view's pixel of ``tick`` on the cursor, halfway up the panel."""
        low, high = plot.vb.viewRange()[1]
        scene = plot.vb.mapViewToScene(pg.Point(tick, (low + high) / 2))
        return view.mapFromScene(scene)

    assert chart.cursors[0].isVisible() and chart.cursors[0].value() == 5  # the live end
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=at(5))
    for tick in (4.6, 4, 3.2, 2.1):
        qtbot.mouseMove(view.viewport(), at(tick))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=at(2.1))
    qtbot.waitUntil(lambda: live.viewed_tick == 2, timeout=60_000)  # a busy machine delivers it later
    assert main_window.canvas.run_snapshot.tick == 2 and live.timeline.viewed_tick == 2
    # every chart's cursor follows (the charts redraw on their own timer: a busy machine is later)
    cursors = [c for panel in live.charts.time_charts for c in panel.cursors]
    qtbot.waitUntil(lambda: all(c.value() == 2 for c in cursors), timeout=60_000)


def test_the_war_burden_says_it_is_not_of_the_replayed_tick(make_window):
    live = make_window(load_example("july-1914")).live
    live.controller.run_ticks(1000)
    last = live.controller.simulation.tick - 1
    war = live.charts.war_burden
    live.charts.tabs.setCurrentWidget(war)
    title = war.plot.titleLabel.text
    assert title == "Burden in war"
    live.show_tick(2)
    assert f"at tick {last}, the latest (past costs not kept)" in war.plot.titleLabel.text
    assert war.table()[1]  # the latest burden still shown, and labelled as such
    live.show_tick(last)
    assert war.plot.titleLabel.text == "Burden in war"


def test_the_tick_label_leaves_no_gap_on_the_run_bar(main_window, qtbot):
    # "Tick 1" while running, "Tick 9 · aggressor victory" at the end: each as wide as its text, the
    # replay slider right after it (a label as wide as its longest text left a gap beside "Tick 1")
    live = main_window.live
    live.controller.start_attack("AUH", "SRB")
    live.controller.pause()
    for run_on in (0, 1000):
        live.controller.run_ticks(run_on)
        qtbot.waitUntil(lambda: live.tick_label.text().startswith("Tick "))
        label = live.tick_label
        text = label.fontMetrics().horizontalAdvance(label.text())
        qtbot.waitUntil(lambda label=label, text=text: label.width() >= text)  # the run bar laid out again
        slider = live.timeline.slider.mapTo(main_window.run_toolbar, live.timeline.slider.rect().topLeft())
        after = label.mapTo(main_window.run_toolbar, label.rect().topLeft()).x() + text
        replay = main_window.run_toolbar.fontMetrics().horizontalAdvance("Replay")
        assert 0 <= slider.x() - after <= replay + 40, (label.text(), slider.x() - after)
