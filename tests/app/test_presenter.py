"""Presenter mode and its keys, the welcome page and the guided tour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from settling import wait_queue_handled

from sandbox.app.run.event_log import LOG_FONT_POINTS
from sandbox.app.style import theme
from sandbox.app.style.plots import LABEL_POINTS, TICK_FONT_POINTS, TITLE_POINTS
from sandbox.app.style.theme import PROJECTOR_COLORS
from sandbox.app.workshop.presenter import CHARTS_WIDTH, DOCK_WIDTH, PRESENTER_FONT_POINTS, ZOOM_KEY, in_front
from sandbox.app.workshop.welcome import WELCOME_SHOWN_KEY, example_lines
from sandbox.core import examples
from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Meta, Scenario, ScriptedEvent, Settings, State


def long_war() -> Scenario:
    # Two equal blocs fight for many ticks (10 against 10 lose 0.5 a tick each and break at half
    # strength only after a dozen ticks), so the scripted attack at tick 4 fires while the war is on.
    return Scenario(
        states=[
            State("X", "Xland", 10.0, position=(0, 0)),
            State("Y", "Yland", 10.0, position=(300, 0)),
            State("Z", "Zland", 2.0, position=(0, 200)),
            State("W", "Wland", 2.0, position=(300, 200)),
        ],
        events=[ScriptedEvent(0, "X", "Y"), ScriptedEvent(4, "Z", "W")],
        settings=Settings(deterrence=False),
        meta=Meta(title="Long war", notes="# Ask the room\n\nWho *should* have stayed out?"),
    )


@pytest.fixture
def window(make_window, qtbot):
    return active(make_window(long_war()), qtbot)


def active(window, qtbot):
    """Shortcuts reach only the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window, key, modifier)


def test_f11_enters_presenter_mode_and_leaving_restores_everything(window, qtbot):
    app = QApplication.instance()
    geometry, layout = window.saveGeometry(), window.saveState()
    palette, font = QPalette(app.palette()), app.font()
    presenter = window.workshop.presenter

    press(qtbot, window, Qt.Key.Key_F11)
    assert presenter.active and presenter.toggle_action.isChecked()
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert not window.inspector_dock.isVisible() and not window.treaty_dock.isVisible()
    assert not window.tools_toolbar.isVisible() and window.run_toolbar.isVisible()
    assert window.live.event_log.isVisible() and not window.live.charts.isVisible()  # C shows them
    assert presenter.notes_dock.isVisible()
    assert "Who should have stayed out?" in presenter.notes.toPlainText()
    assert app.palette().color(QPalette.ColorRole.WindowText).name() == PROJECTOR_COLORS["text"]
    assert app.palette().color(QPalette.ColorRole.Window).name() == PROJECTOR_COLORS["window"]
    assert app.font().pointSizeF() == PRESENTER_FONT_POINTS
    assert not window.statusBar().isVisible()
    # large type reaches the log and the charts' titles, axis labels and tick numbers
    scale = PRESENTER_FONT_POINTS / theme.BASE_FONT_POINTS
    assert window.live.event_log.view.font().pointSizeF() == pytest.approx(LOG_FONT_POINTS * scale)
    chart = window.live.charts.time_charts[0]
    plot = chart.plots[0]
    assert chart.text_scale == pytest.approx(scale)
    assert plot.titleLabel.opts["size"] == f"{TITLE_POINTS * scale:g}pt"
    assert plot.getAxis("bottom").style["tickFont"].pointSizeF() == pytest.approx(TICK_FONT_POINTS * scale)
    assert f"{LABEL_POINTS * scale:g}pt" in plot.getAxis("left").labelStyle["font-size"]

    press(qtbot, window, Qt.Key.Key_F11)
    assert not presenter.active
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.saveGeometry() == geometry
    assert window.saveState() == layout
    assert app.palette() == palette and app.font() == font
    assert window.inspector_dock.isVisible() and window.tools_toolbar.isVisible()
    assert not presenter.notes_dock.isVisible() and window.statusBar().isVisible()
    assert window.live.event_log.view.font().pointSizeF() == LOG_FONT_POINTS and chart.text_scale == 1.0


def test_presenter_keys_drive_the_run(window, qtbot):
    controller = window.live.controller
    window.workshop.presenter.set_active(True)
    press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Right)
    assert controller.simulation.tick == 2
    press(qtbot, window, Qt.Key.Key_Left)  # replay: the run stays at tick 2, the view shows tick 0
    assert window.live.viewed_tick == 0 and controller.simulation.tick == 2
    press(qtbot, window, Qt.Key.Key_Home)
    assert controller.simulation.tick == 0
    press(qtbot, window, Qt.Key.Key_Space)
    assert controller.playing
    press(qtbot, window, Qt.Key.Key_Space)
    assert not controller.playing


def test_n_runs_until_the_next_scripted_event_has_fired(window, qtbot):
    controller = window.live.controller
    window.workshop.presenter.set_active(True)
    press(qtbot, window, Qt.Key.Key_N)
    assert controller.simulation.tick == 1  # tick 0 processed: X attacks Y
    assert [e.kind for e in controller.simulation.events if e.tick == 0][0] == "attack"
    press(qtbot, window, Qt.Key.Key_N)
    assert controller.simulation.tick == 5  # ticks 1-4 processed: Z attacks W at tick 4
    assert any(e.kind == "attack" and e.state == "Z" for e in controller.simulation.events if e.tick == 4)
    events = len(controller.simulation.events)
    press(qtbot, window, Qt.Key.Key_N)  # no scripted event left: on to the run's next event
    assert len(controller.simulation.events) > events
    while not controller.simulation.finished:
        press(qtbot, window, Qt.Key.Key_N)
    with qtbot.waitSignal(window.canvas.message) as said:  # the end: N says so
        press(qtbot, window, Qt.Key.Key_N)
    assert "ended" in said.args[0]


def test_n_is_the_add_state_tool_outside_presenter_mode(window, qtbot):
    press(qtbot, window, Qt.Key.Key_N)
    assert window.canvas.tool.name != "select" and window.live.controller.simulation.tick == 0


def test_type_keys_scale_the_type_and_the_map_names_and_are_remembered(window, qtbot, make_window):
    presenter = window.workshop.presenter
    presenter.set_active(True)
    assert window.zoom_in_action.isEnabled()  # Ctrl +/- zoom the map in both modes
    names = window.canvas.state_items["X"].name_label.text.scale()
    press(qtbot, window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert presenter.zoom == pytest.approx(1.15)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(PRESENTER_FONT_POINTS * 1.15)
    assert window.canvas.state_items["X"].name_label.text.scale() > names  # the map's names grow too
    press(qtbot, window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert float(window.settings.value(ZOOM_KEY)) == pytest.approx(1.3)
    presenter.set_active(False)
    again = active(make_window(long_war(), settings=window.settings), qtbot)
    assert again.workshop.presenter.zoom == pytest.approx(1.3)
    again.workshop.presenter.set_active(True)
    press(qtbot, again, Qt.Key.Key_Backslash, Qt.KeyboardModifier.ControlModifier)
    assert again.workshop.presenter.zoom == 1.0
    again.workshop.presenter.set_active(False)


def test_one_key_each_shows_or_hides_the_charts_log_and_notes(window, qtbot):
    presenter = window.workshop.presenter
    presenter.set_active(True)
    charts, log = window.live.charts, window.live.event_log
    assert not charts.isVisible() and log.isVisible() and presenter.notes_dock.isVisible()  # the map first
    qtbot.waitUntil(lambda: abs(log.width() - DOCK_WIDTH * window.width()) < 12)  # the log's column
    press(qtbot, window, Qt.Key.Key_C)  # the charts come as a tab in front of the log, beside the map
    qtbot.waitUntil(lambda: in_front(charts) and not in_front(log))
    qtbot.waitUntil(lambda: abs(charts.width() - CHARTS_WIDTH * window.width()) < 12)  # wider, for the axes
    assert window.canvas.height() > 0.8 * window.height()  # the map keeps the whole height
    press(qtbot, window, Qt.Key.Key_E)  # the log, behind the charts' tab, comes to the front
    qtbot.waitUntil(lambda: in_front(log) and not in_front(charts))
    press(qtbot, window, Qt.Key.Key_E)  # and goes
    press(qtbot, window, Qt.Key.Key_T)
    assert not log.isVisible() and not presenter.notes_dock.isVisible()
    qtbot.waitUntil(lambda: in_front(charts))  # the charts alone in the column
    press(qtbot, window, Qt.Key.Key_C)
    assert not charts.isVisible()
    qtbot.waitUntil(lambda: window.canvas.width() == window.width())  # the map has the whole screen
    presenter.set_active(False)


def test_escape_leaves_presenter_mode(window, qtbot):
    window.workshop.presenter.set_active(True)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.workshop.presenter.active and not window.workshop.presenter.toggle_action.isChecked()


def test_notes_follow_the_open_scenario(window):
    presenter = window.workshop.presenter
    presenter.set_active(True)
    window.document.replace(Scenario(states=[State("A", "A", 1.0)]), None)
    assert "no facilitator notes" in presenter.notes.toPlainText()
    presenter.set_active(False)


def test_closing_in_presenter_mode_saves_the_editing_layout(window, qtbot):
    layout = window.saveState()
    window.workshop.presenter.set_active(True)
    window.close()
    assert not window.workshop.presenter.active
    assert window.settings.value("window/state") == layout


# -- welcome page and tour ----------------------------------------------------------------


@pytest.fixture
def two_examples(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name, title, description in (
        ("alpha", "Alpha crisis", "Two blocs and a bystander.\nSecond line is not shown."),
        ("beta", "Beta league", "A league with a veto."),
    ):
        scenario = long_war()
        scenario.update_meta(title=title, description=description)
        save_scenario(scenario, folder / f"{name}.sandbox")
    (folder / "broken.sandbox").write_text("{ not json")
    monkeypatch.setattr(examples, "scenarios_folder", lambda: folder)
    return folder


def test_example_lines_give_one_line_each_and_survive_a_broken_file(two_examples):
    lines = {line.name: line for line in example_lines()}
    assert lines["alpha"].title == "Alpha crisis"
    assert lines["alpha"].description == "Two blocs and a bystander."
    assert lines["beta"].description == "A league with a veto."
    assert lines["broken"].description.startswith("(cannot be opened:")


def test_welcome_shows_on_first_run_only_and_opens_the_chosen_example(two_examples, window, qtbot):
    workshop = window.workshop
    assert workshop.maybe_show_welcome() is True
    assert window.settings.value(WELCOME_SHOWN_KEY, type=bool) is True
    page = workshop.welcome
    assert page.isVisible()
    texts = [page.examples.item(i).text() for i in range(page.examples.count())]
    assert "Alpha crisis\nTwo blocs and a bystander." in texts
    page.examples.setCurrentRow(texts.index("Beta league\nA league with a veto."))
    page.open_button.click()
    assert window.document.scenario.meta.title == "Beta league" and window.document.path is None
    assert not page.isVisible()
    assert workshop.maybe_show_welcome() is False
    assert workshop.welcome_action in window.menuBar().actions()[-1].menu().actions()


def test_guided_tour_steps_through_the_window(window, qtbot):
    tour = window.workshop.start_tour()
    assert tour.active and tour.callout.isVisible()
    titles = []
    for index in range(len(tour.steps)):
        assert tour.index == index
        titles.append(tour.title.text())
        target = tour.steps[index].target()
        expected = QRect(target.mapTo(window, target.rect().topLeft()), target.size())
        assert tour.target_rect() == expected
        assert tour.spotlight.geometry().contains(expected.intersected(window.rect()).center())
        callout = tour.callout.geometry()
        assert window.rect().contains(callout)  # the callout is never cut off
        if index < len(tour.steps) - 1:
            tour.next()
    assert [t.removeprefix("<h3>").removesuffix("</h3>") for t in titles] == [
        "The world",
        "Tools",
        "Run controls",
        "Event log",
        "Charts",
    ]
    assert tour.next_button.text() == "Finish"
    tour.back()
    assert tour.index == len(tour.steps) - 2
    with qtbot.waitSignal(tour.finished):
        tour.close_button.click()
    assert not tour.active and not tour.callout.isVisible() and not tour.spotlight.isVisible()


def test_welcome_is_not_pushed_on_an_offscreen_start(window, qtbot):
    wait_queue_handled(qtbot)  # the first show has been handled (a greeting would be queued by it)
    assert window.workshop.welcome is None
    assert window.settings.value(WELCOME_SHOWN_KEY) is None


class OnScreen:
    """A platform with a real screen, where the welcome page greets a first start."""

    @staticmethod
    def platformName() -> str:
        return "xcb"


def test_a_first_start_on_screen_greets_once_even_when_the_workshop_loads_after_the_show(
    qtbot, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings

    from sandbox.app.shell.main_window import MainWindow
    from sandbox.app.workshop import workshop

    monkeypatch.setattr(workshop, "QGuiApplication", OnScreen)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(long_war(), settings=settings, recovery_dir=tmp_path / "recovery", extensions=False)
    window.ask_save_changes = lambda: "discard"
    qtbot.addWidget(window)
    window.show()  # as main() does: show first, then load the heavier parts
    window.install_extensions()
    qtbot.waitUntil(lambda: window.workshop.welcome is not None and window.workshop.welcome.isVisible())
    window.workshop.welcome.close()

    again = MainWindow(long_war(), settings=settings, recovery_dir=tmp_path / "recovery")
    again.ask_save_changes = lambda: "discard"
    qtbot.addWidget(again)
    again.show()
    wait_queue_handled(qtbot)  # a greeting would have been queued by the show
    assert again.workshop.welcome is None  # shown once per settings, not on every start

    fresh = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    built_whole = MainWindow(long_war(), settings=fresh, recovery_dir=tmp_path / "recovery")
    built_whole.ask_save_changes = lambda: "discard"
    qtbot.addWidget(built_whole)
    built_whole.show()  # workshop installed before the first show: greeted on that show
    qtbot.waitUntil(lambda: built_whole.workshop.welcome is not None)
    built_whole.workshop.welcome.close()


def test_a_status_notice_goes_on_the_map_in_presenter_mode(window, qtbot):
    # The status bar is hidden on the projector, so a notice sent to it (the room waiting for
    # its participants, here) must show on the map instead, wrapped to stay inside it.
    waiting = "The room decides: " + "; ".join(f"State {n} (Participant {n}) is deciding" for n in range(8))
    window.canvas.message.emit(waiting)
    assert not window.workshop.presenter.notice.isVisible()  # outside presenter mode: the status bar only
    window.workshop.presenter.set_active(True)
    qtbot.waitUntil(lambda: not window.statusBar().isVisible())
    window.canvas.message.emit(waiting)
    notice = window.workshop.presenter.notice
    assert notice.isVisible() and notice.text() == waiting
    assert notice.font().pointSizeF() == QApplication.font().pointSizeF() >= PRESENTER_FONT_POINTS
    assert notice.geometry().left() >= 0 and notice.geometry().right() <= window.canvas.width()
    window.canvas.message.emit("Paste refused")  # a new notice replaces the old one
    assert notice.text() == "Paste refused" and notice.width() < window.canvas.width() // 2
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=10_000)
