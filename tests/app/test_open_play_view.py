"""Open play in the window (issue 13): the run bar's switch, revisionist marks, threats on the map."""

from sandbox.app.canvas.marks import REVISIONIST, THREAT
from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty


def threat_world() -> Scenario:
    # X (GDP 100) and Y (GDP 50) in NATO, security preference 0.1: X alone pays 10 (Y free-rides),
    # short of the threat of 20 at tick 0, so each member loses (20 - 10) / 20 x 0.1 = 5% of its power;
    # the threat of 5 at tick 2 is met (10 >= 5), and nothing falls at tick 1.
    states = [
        State("X", "Xland", 10.0, gdp=100.0, position=(0, 0)),
        State("Y", "Yland", 5.0, gdp=50.0, position=(200, 0)),
        State("Z", "Zland", 4.0, gdp=10.0, revisionism=0.5, position=(100, 200)),
    ]
    treaties = [Treaty("nato", "NATO", "defense", ["X", "Y"])]
    events = [
        ScriptedEvent(0, None, None, "threat", treaty="nato", size=20.0),
        ScriptedEvent(2, None, None, "threat", treaty="nato", size=5.0),
    ]
    return Scenario(states, treaties, [], events, Settings(mode="deterministic", max_ticks=5))


def legend_keys(canvas) -> list:
    canvas._legend_timer.stop()
    canvas.update_legend()  # what the next turn of the event loop would list
    return [key for _label, kind, key in canvas.legend.entries if kind == "mark"]


def test_the_run_bar_switches_open_play_as_one_undoable_edit(make_window):
    window = make_window(threat_world())
    live = window.live
    box, action = live.open_play_box, live.open_play.action
    assert window.run_toolbar.widgetForAction(window.run_toolbar.actions()[4]) is box  # after Step
    assert action in window.simulation_menu.actions() and action.shortcut().toString() == "O"
    assert box.text() == "Open play" and not box.isChecked() and box.isVisible()
    assert box.toolTip().startswith("Open play is off") and "Zland" in box.toolTip()  # the revisionists
    box.click()
    assert window.document.scenario.settings.open_play is True
    assert box.isChecked() and action.isChecked() and box.toolTip().startswith("Open play is on")
    window.document.undo_stack.undo()  # the switch follows the setting back
    assert window.document.scenario.settings.open_play is False
    assert not box.isChecked() and not action.isChecked()
    action.trigger()  # the menu's action (key O) is the same switch
    assert window.document.scenario.settings.open_play is True and box.isChecked()


def test_the_switch_follows_a_newly_opened_scenario(make_window):
    window = make_window(threat_world())
    opened = threat_world()
    opened.update_settings(open_play=True)
    for state in opened.states:
        opened.update_state(state.id, revisionism=0.0)
    window.document.replace(opened, None)
    box = window.live.open_play_box
    assert box.isChecked()
    assert "No state is revisionist" in box.toolTip()


def test_revisionist_states_carry_a_mark_and_the_legend_names_it(make_window):
    window = make_window(threat_world())
    canvas = window.canvas
    assert set(canvas.revisionist_marks) == {"Z"}
    mark = canvas.revisionist_marks["Z"]
    assert mark.parentItem() is canvas.state_items["Z"] and mark.isVisible()
    window.document.scenario.update_state("Y", revisionism=1.0)
    assert set(canvas.revisionist_marks) == {"Y", "Z"}
    assert REVISIONIST in legend_keys(canvas)  # while editing
    window.document.scenario.update_state("Z", revisionism=0.0)
    assert set(canvas.revisionist_marks) == {"Y"} and mark.scene() is None
    window.live.step_forward()
    assert REVISIONIST in legend_keys(canvas)  # in a run
    window.document.scenario.update_state("Y", revisionism=0.0)
    assert REVISIONIST not in legend_keys(canvas)


def test_a_threat_is_drawn_at_its_tick_and_gone_in_another(make_window):
    window = make_window(threat_world())
    canvas, live = window.canvas, window.live
    live.step_forward()  # tick 0: the threat falls
    (drawing,) = canvas.threat_drawings
    assert len(drawing.rings) == 2  # one ring per member of NATO, none for Zland
    text = drawing.callout.text.toPlainText()
    assert text.splitlines() == [
        "A threat of 20 to NATO",
        "contributions 10.0 fall short:",
        "each member loses 5.0% of its power",
    ]
    assert drawing.callout.isVisible() and drawing.callout.scene() is canvas.scene()
    assert THREAT in legend_keys(canvas)
    live.step_forward()  # tick 1: no threat
    assert canvas.threat_drawings == [] and drawing.callout.scene() is None
    assert THREAT not in legend_keys(canvas)
    live.step_forward()  # tick 2: a threat met
    (met,) = canvas.threat_drawings
    assert met.callout.text.toPlainText().splitlines()[1] == "contributions 10.0 meet it: countered"
    live.show_tick(0)  # replaying tick 0 draws the first again
    assert canvas.threat_drawings[0].callout.text.toPlainText() == text
    live.controller.reset()  # the editing view: no threat
    assert canvas.threat_drawings == []


def test_the_threat_callout_grows_with_presenter_type_and_its_ink_follows_the_palette(make_window, qtbot):
    from sandbox.app.style import theme

    window = make_window(threat_world())
    canvas, live = window.canvas, window.live
    live.step_forward()  # tick 0: the threat falls
    (drawing,) = canvas.threat_drawings
    small = drawing.callout.boundingRect()
    points = drawing.callout.text.font().pointSizeF()
    assert points == theme.BASE_FONT_POINTS + 1
    # presenter mode's large type (PRESENTER_FONT_POINTS / BASE_FONT_POINTS times) reaches the callout,
    # and its box grows around the text
    window.workshop.presenter.set_active(True)
    scale = canvas._text_scale
    assert scale > 1.4  # 16 points over 11
    assert drawing.callout.text.font().pointSizeF() == (theme.BASE_FONT_POINTS + 1) * scale
    big = drawing.callout.boundingRect()
    assert big.width() > 1.3 * small.width() and big.height() > 1.3 * small.height()
    # a threat drawn while in presenter mode is drawn large from the start
    live.show_tick(1)
    live.show_tick(0)
    (again,) = canvas.threat_drawings
    assert again.callout.text.font().pointSizeF() == (theme.BASE_FONT_POINTS + 1) * scale
    window.workshop.presenter.set_active(False)
    assert again.callout.text.font().pointSizeF() == theme.BASE_FONT_POINTS + 1
    # the rings and the callout's border are in the palette's ink: light on the dark theme's dark map
    window.set_theme("dark", remember=False)
    qtbot.waitUntil(lambda: canvas.colors.background.lightness() < 128)
    (dark,) = canvas.threat_drawings
    ink = canvas.colors.text
    assert ink.lightness() > 200
    assert all(ring.pen().color() == ink for ring in dark.rings)
    assert dark.callout.pen().color() == ink
    window.set_theme("light", remember=False)
    qtbot.waitUntil(lambda: canvas.colors.background.lightness() > 128)
    assert canvas.threat_drawings[0].rings[0].pen().color().lightness() < 60
