"""The live simulation view against a stand-in window: run controls, replay,
attack requests and previews, the structural overlay, the log and exports.

The window here is a plain QMainWindow offering the seam the editor's main
window offers (canvas, document, run_toolbar, simulation_menu, view_menu); its
canvas records what it is asked to show. The engine is the real one.
"""

import json
import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QStyleOptionViewItem, QWidget
from settling import wait_queue_handled

from sandbox.app.run import exports, run_controller
from sandbox.app.run.event_log import KIND_COLOR_ROLE, EventLogModel
from sandbox.app.run.live import attack_preview_lines, install_live_simulation
from sandbox.app.run.run_controller import FrozenSnapshot
from sandbox.app.style import theme
from sandbox.core.examples import load_example
from sandbox.core.overview import overview
from sandbox.core.scenario import Meta, Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.signals import ScenarioSignals
from sandbox.core.sim import LogEvent, Simulation, preview_attack


def crisis() -> Scenario:
    """July 1914 in miniature: Austria-Hungary attacks Serbia, the alliances cascade."""
    states = [
        State("GER", "Germany", 14.3, reliability=0.9),
        State("AUH", "Austria-Hungary", 4.5, reliability=0.9),
        State("RUS", "Russia", 11.6, reliability=0.9),
        State("FRA", "France", 6.8, reliability=0.9),
        State("SRB", "Serbia", 0.2, reliability=0.9),
        State("ITA", "Italy", 3.4, reliability=0.9),
    ]
    treaties = [
        Treaty("dual", "Dual Alliance", members=["GER", "AUH"]),
        Treaty("franco-russian", "Franco-Russian Alliance", members=["FRA", "RUS"]),
        Treaty("slavic", "Russia-Serbia", members=["RUS", "SRB"]),
    ]
    return Scenario(
        states,
        treaties,
        events=[ScriptedEvent(0, "AUH", "SRB")],
        settings=Settings(seed=1914, deterrence=False, max_ticks=40),
        meta=Meta(title="Mini crisis"),
    )


class RecordingCanvas(QWidget):
    """The canvas seam: two signals and methods that record what they were given."""

    attack_requested = Signal(str, str)
    attack_hovered = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, tuple]] = []

    def last(self, name: str) -> tuple:
        return next(args for called, args in reversed(self.calls) if called == name)

    def count(self, name: str) -> int:
        return sum(called == name for called, _ in self.calls)

    def apply_run_view(self, snapshot) -> None:
        self.calls.append(("apply_run_view", (snapshot,)))

    def set_overview(self, overview) -> None:
        self.calls.append(("set_overview", (overview,)))

    def highlight(self, state_ids, treaty_id) -> None:
        self.calls.append(("highlight", (list(state_ids), treaty_id)))

    def show_attack_preview(self, target_id, lines, deterred) -> None:
        self.calls.append(("show_attack_preview", (target_id, list(lines), deterred)))


class Document(QObject):
    """The seam's document: a scenario, its notifications passed on, and scenario_replaced."""

    scenario_replaced = Signal(object)

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.path = None
        self.signals = ScenarioSignals()
        scenario.signals.relay(self.signals)

    def replace(self, scenario: Scenario) -> None:
        self.scenario.signals.relay(self.signals, on=False)
        self.scenario = scenario
        scenario.signals.relay(self.signals)
        self.scenario_replaced.emit(scenario)


class SeamWindow(QMainWindow):
    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.canvas = RecordingCanvas()
        self.setCentralWidget(self.canvas)
        self.document = Document(scenario)
        self.run_toolbar = self.addToolBar("Run")
        self.simulation_menu = self.menuBar().addMenu("Simulation")
        self.view_menu = self.menuBar().addMenu("View")


@pytest.fixture
def window(qtbot):
    win = SeamWindow(crisis())
    qtbot.addWidget(win)
    win.live = install_live_simulation(win)
    yield win
    win.live.close()


def statuses(snapshot) -> dict:
    return {state_id: (view.status, view.side) for state_id, view in snapshot.states.items()}


def test_install_exposes_the_seam(window):
    live = window.live
    for name in ("run_ticks", "step", "reset", "play", "pause"):
        assert callable(getattr(live.controller, name))
    assert live.controller.simulation.tick == 0
    assert live.event_log in window.findChildren(type(live.event_log))
    assert live.charts.toggleViewAction() in window.view_menu.actions()
    shortcuts = {a.shortcut().toString() for a in window.simulation_menu.actions()}
    assert {"Space", "Right", "Left", "Home"} <= shortcuts


def test_steps_drive_the_engine_and_every_view(window):
    live, canvas = window.live, window.canvas
    events = []
    for _ in range(4):
        events += live.controller.step()
    simulation = live.controller.simulation
    assert simulation.tick == 4
    assert events and events == simulation.events
    assert live.event_log.events == simulation.events
    drawn = {key for chart in live.charts.time_charts for key in chart.curves}
    assert drawn <= set(simulation.recorder.series)
    for key in drawn:
        # each tick, after the baseline drawn at -1 ("before") for the indicators it holds
        x, y = live.charts.curve(key).getData()
        before = [-1] if key in simulation.baseline else []
        np.testing.assert_array_equal(x, [*before, *simulation.recorder.series["tick"]])
        first = [simulation.baseline[key]] if before else []
        np.testing.assert_array_equal(y, [*first, *simulation.recorder.series[key]])
    assert statuses(canvas.last("apply_run_view")[0]) == statuses(simulation.snapshot())
    assert live.timeline.last_tick == 3 and live.timeline.viewed_tick == 3
    assert live.tick_label.text() == "Tick 3"


def test_run_ticks_plays_to_the_end_and_stops(window):
    live = window.live
    live.controller.run_ticks(1000)
    simulation = live.controller.simulation
    assert simulation.finished and simulation.result is not None
    assert simulation.tick <= 40
    assert live.controller.step() == []
    assert live.tick_label.text() == f"Tick {simulation.tick - 1} · {simulation.result.replace('-', ' ')}"


def test_play_advances_with_the_timer_and_pause_stops_it(window, qtbot):
    controller = window.live.controller
    controller.set_speed(30)
    controller.play()
    assert controller.playing and window.live.play_action.text() == "Pause"
    qtbot.waitUntil(lambda: controller.ticks_done >= 3, timeout=60_000)
    controller.pause()
    done = controller.simulation.tick
    wait_queue_handled(qtbot)  # the play timer is stopped: whatever was queued has come, and no tick
    assert controller.simulation.tick == done
    assert window.live.play_action.text() == "Play"
    assert controller.slot_seconds and min(controller.slot_seconds) > 0  # each beat timed


def test_slow_drawing_makes_a_beat_do_several_ticks_and_loses_no_event(window, qtbot):
    controller, live = window.live.controller, window.live
    beats = []
    controller.stepped.connect(
        lambda simulation, events, snapshot: (beats.append(snapshot.tick), time.sleep(0.1))
    )
    controller.threaded = False
    controller.set_speed(30)
    controller.play()
    qtbot.waitUntil(lambda: controller.finished, timeout=60_000)
    simulation = controller.simulation
    assert len(beats) < simulation.tick  # drawing at ~10 a second, the run kept to ~30 ticks a second
    assert max(b - a for a, b in zip([-1, *beats], beats, strict=False)) <= run_controller.MAX_CATCH_UP
    assert live.event_log.events == simulation.events


def test_play_stops_by_itself_at_the_end(window, qtbot):
    controller = window.live.controller
    controller.set_speed(30)
    controller.play()
    qtbot.waitUntil(lambda: controller.finished, timeout=60_000)
    assert not controller.playing and controller.simulation.finished


@pytest.mark.parametrize("threaded", [True, False])
def test_play_in_the_worker_or_on_the_gui_thread_shows_every_tick(window, qtbot, threaded):
    live, canvas, controller = window.live, window.canvas, window.live.controller
    controller.threaded = threaded
    controller.set_speed(30)
    controller.play()
    qtbot.waitUntil(lambda: controller.ticks_done >= 4, timeout=60_000)
    controller.pause()  # waits for a tick the worker is on
    simulation = controller.simulation
    shown = canvas.last("apply_run_view")[0]
    assert shown.tick == simulation.tick - 1
    assert statuses(shown) == statuses(simulation.snapshot())
    assert isinstance(shown, FrozenSnapshot) == threaded
    assert live.event_log.events == simulation.events
    np.testing.assert_array_equal(  # the baseline's 0 "before", then each tick
        live.charts.curve("belligerents").getData()[1], [0, *simulation.recorder.series["belligerents"]]
    )
    controller.play()
    qtbot.waitUntil(lambda: not controller.playing, timeout=60_000)
    assert simulation.finished and live.event_log.events == simulation.events


def test_a_slow_step_moves_play_to_the_worker(window, qtbot, monkeypatch):
    monkeypatch.setattr(run_controller, "STEP_BUDGET", 0.0)  # every step counts as slow
    controller, canvas = window.live.controller, window.canvas
    controller.set_speed(30)
    controller.play()
    qtbot.waitUntil(lambda: controller.ticks_done >= 3, timeout=60_000)
    controller.pause()
    shown = [args[0] for name, args in canvas.calls if name == "apply_run_view" and args[0] is not None]
    assert not isinstance(shown[0], FrozenSnapshot)  # the first step ran here and was found slow
    assert all(isinstance(snapshot, FrozenSnapshot) for snapshot in shown[1:])


def test_a_big_world_plays_in_the_worker_from_its_first_tick(window, qtbot, monkeypatch):
    monkeypatch.setattr(run_controller, "BIG_WORLD", 5)  # the mini crisis: 6 states and 3 treaties
    controller, canvas = window.live.controller, window.canvas
    controller.reset()
    controller.set_speed(30)
    controller.play()
    qtbot.waitUntil(lambda: controller.ticks_done >= 2, timeout=60_000)
    controller.pause()
    shown = [args[0] for name, args in canvas.calls if name == "apply_run_view" and args[0] is not None]
    assert shown and all(isinstance(snapshot, FrozenSnapshot) for snapshot in shown)


def test_a_failing_step_pauses_play_and_reports_once(window, qtbot, monkeypatch):
    controller = window.live.controller

    def broken() -> list:
        raise RuntimeError("engine failure")

    monkeypatch.setattr(controller.simulation, "step", broken)
    controller.threaded = False
    with qtbot.capture_exceptions() as raised:
        controller.play()
        qtbot.waitUntil(lambda: not controller.playing, timeout=60_000)
        wait_queue_handled(qtbot)  # the timer is stopped: no second report can come after this
    assert [str(error) for _, error, _ in raised] == ["engine failure"]


def test_the_narrated_pace_lingers_on_ticks_with_events_and_hurries_quiet_ones(window, qtbot):
    # The mini crisis: tick 0 has the attack and the first calls to arms; the war then grinds on
    # for ticks without a sentence (attrition), and the run ends with the defeats.
    controller = window.live.controller
    assert controller.speed is run_controller.NARRATED  # the default
    beats: list[tuple[list, int]] = []  # (the tick's events, the wait before the next beat)
    controller.stepped.connect(
        lambda simulation, events, snapshot: beats.append((list(events), controller._timer.interval()))
    )
    controller.threaded = False
    controller.play()
    qtbot.waitUntil(lambda: any(not events for events, _ in beats), timeout=60_000)
    controller.pause()
    assert beats[0][0] and beats[0][1] == run_controller.narrated_dwell_ms(beats[0][0])
    assert all(wait == run_controller.narrated_dwell_ms(events) for events, wait in beats)
    assert any(wait == run_controller.QUIET_TICK_MS for events, wait in beats if not events)


class Told:
    """An event as the pace reads it: its text."""

    def __init__(self, text: str) -> None:
        self.text = text


@pytest.mark.parametrize(
    ("texts", "sentences"),
    [
        ([], 0),
        (["Germany attacks Belgium."], 1),
        (["The war of Germany and Belgium ends: p = 0.80 >= 0.5."], 1),  # decimals end no sentence
        (["Belgium was attacked by Germany. It capitulated in week 3, below 0.5 of its power."], 2),
        (["Serbia enters the war.", "Russia enters the war.", "France enters the war."], 3),
        ([""], 1),  # an event without a text still happened
    ],
)
def test_the_narrated_pace_counts_the_sentences_a_tick_tells(texts, sentences):
    events = [Told(text) for text in texts]
    assert run_controller.sentences(events) == sentences
    base, each = run_controller.DWELL_BASE_MS, run_controller.DWELL_PER_SENTENCE_MS
    expected = run_controller.QUIET_TICK_MS if not events else base + each * sentences
    assert run_controller.narrated_dwell_ms(events) == expected


def test_the_narrated_pace_grows_with_the_sentences_up_to_its_cap():
    one = run_controller.narrated_dwell_ms([Told("Germany attacks Belgium.")])
    assert 800 <= one <= 1200  # a tick with one sentence stays about a second
    three = run_controller.narrated_dwell_ms([Told("A."), Told("B. C.")])
    assert three == one + 2 * run_controller.DWELL_PER_SENTENCE_MS  # each further sentence adds a moment
    crowded = run_controller.narrated_dwell_ms([Told("Someone mobilises.")] * 40)  # a world war's first week
    assert crowded == run_controller.DWELL_MAX_MS
    assert one >= run_controller.QUIET_TICK_MS * 20  # quiet ticks pass at least 20 times as fast


def test_the_speed_slider_chooses_the_narrated_pace_or_a_fixed_speed(window):
    live = window.live
    assert live.speed_slider.value() == live.speed_slider.minimum() and live.speed_label.text() == "narrated"
    live.speed_slider.setValue(1)
    assert live.controller.speed == 1 and live.speed_label.text() == "1 tick/s"
    assert live.controller._timer.interval() == 1000
    live.speed_slider.setValue(12)
    assert live.controller.speed == 12 and live.speed_label.text() == "12 ticks/s"
    live.speed_slider.setValue(live.speed_slider.maximum())
    assert live.controller.speed == run_controller.MAX_SPEED
    live.speed_slider.setValue(live.speed_slider.minimum())
    assert live.controller.speed is run_controller.NARRATED
    assert live.controller._timer.interval() == run_controller.QUIET_TICK_MS  # until a tick says otherwise
    live.set_speed(7)  # from code: the slider follows
    assert live.speed_slider.value() == 7 and live.speed_label.text() == "7 ticks/s"
    assert "narrated" in live.speed_slider.toolTip() and "default" in live.speed_slider.toolTip()


@pytest.mark.parametrize(("asked", "kept"), [(0, 1), (12, 12), (99, 30)])
def test_speed_control_clamps(window, asked, kept):
    window.live.controller.set_speed(asked)
    assert window.live.controller.speed == kept
    assert window.live.controller._timer.interval() == round(1000 / kept)


def test_replay_shows_a_past_tick_everywhere(window):
    live, canvas = window.live, window.canvas
    live.controller.run_ticks(8)
    simulation = live.controller.simulation
    live.show_tick(2)
    assert live.viewed_tick == 2
    assert statuses(canvas.last("apply_run_view")[0]) == statuses(simulation.snapshot(2))
    model = live.event_log.model
    greyed = [
        e
        for row, e in enumerate(model.events)
        if model.data(model.index(row), Qt.ItemDataRole.ForegroundRole)
    ]
    assert greyed == [e for e in simulation.events if e.tick > 2]
    assert all(c.isVisible() and c.value() == 2 for chart in live.charts.time_charts for c in chart.cursors)
    assert live.timeline.viewed_tick == 2 and live.tick_label.text() == "Tick 2 (replay)"
    assert simulation.tick == 8  # replay never steps or rewinds the run


def test_timeline_drag_replays_and_the_last_tick_is_live(window):
    live = window.live
    live.controller.run_ticks(6)
    live.timeline.slider.setValue(1)
    assert live.viewed_tick == 1
    live.timeline.slider.setValue(5)
    assert live.viewed_tick is None
    assert all(c.isVisible() and c.value() == 5 for chart in live.charts.time_charts for c in chart.cursors)


def test_left_and_right_step_through_the_replay(window):
    live = window.live
    live.controller.run_ticks(5)
    live.back_action.trigger()
    live.back_action.trigger()
    assert live.viewed_tick == 2
    live.step_action.trigger()
    assert live.viewed_tick == 3
    live.step_action.trigger()  # tick 4 is the last done: back to live
    assert live.viewed_tick is None and live.controller.simulation.tick == 5
    live.step_action.trigger()  # at the live end, Right steps the engine
    assert live.controller.simulation.tick == 6


def test_playing_from_a_replay_returns_to_the_live_end(window, qtbot):
    live = window.live
    live.controller.run_ticks(5)
    live.show_tick(1)
    live.controller.play()
    assert live.viewed_tick is None
    qtbot.waitUntil(lambda: live.controller.ticks_done >= 6, timeout=60_000)
    live.controller.pause()


def test_editing_the_scenario_resets_the_run(window):
    live = window.live
    live.controller.run_ticks(5)
    before = live.controller.simulation
    window.document.scenario.update_state("ITA", power=9.0)
    simulation = live.controller.simulation
    assert simulation is not before and simulation.tick == 0
    assert live.event_log.events == []
    assert live.timeline.last_tick is None
    assert window.canvas.last("apply_run_view") == (None,)
    simulation.run()
    assert simulation.snapshot().states["ITA"].power == 9.0  # the run sees the edit


def test_a_replaced_scenario_is_followed(window):
    live = window.live
    old = window.document.scenario
    live.controller.run_ticks(3)
    new = crisis()
    new.update_meta(title="Another crisis")
    window.document.replace(new)
    assert live.controller.simulation.tick == 0
    live.controller.run_ticks(2)
    old.update_state("ITA", power=1.0)  # no longer the document's: must not reset the run
    assert live.controller.simulation.tick == 2
    new.update_state("ITA", power=1.0)
    assert live.controller.simulation.tick == 0


def test_attack_request_starts_and_plays_that_attack(window, qtbot):
    live = window.live
    window.canvas.attack_requested.emit("GER", "FRA")
    assert live.controller.attacks == [("GER", "FRA")]
    assert live.controller.playing
    qtbot.waitUntil(lambda: live.controller.ticks_done >= 1, timeout=60_000)
    live.controller.pause()
    first = live.event_log.events[0]
    assert (first.kind, first.state) == ("attack", "GER")
    assert "Germany attacks France" in live.run_label.full_text
    expected = Simulation(window.document.scenario, attacks=[("GER", "FRA")])
    expected.step()
    assert [e.text for e in expected.events] == [
        e.text for e in live.event_log.events[: len(expected.events)]
    ]
    live.scripted_action.trigger()
    assert live.controller.attacks is None and live.controller.simulation.tick == 0


def test_an_edit_keeps_the_attack_while_its_states_exist(window):
    live = window.live
    live.controller.start_attack("GER", "FRA")
    live.controller.pause()
    window.document.scenario.update_state("ITA", power=5.0)
    assert live.controller.attacks == [("GER", "FRA")]
    window.document.scenario.remove_state("FRA")
    assert live.controller.attacks is None


@pytest.mark.parametrize("background", [False, True])
def test_hover_preview_shows_the_engine_numbers(window, qtbot, background):
    scenario, canvas = window.document.scenario, window.canvas
    window.live.background = background
    canvas.attack_hovered.emit("AUH", "SRB")
    qtbot.waitUntil(lambda: canvas.count("show_attack_preview") == 1, timeout=60_000)
    target, lines, deterred = canvas.last("show_attack_preview")
    preview = preview_attack(scenario, "AUH", "SRB")
    assert target == "SRB" and deterred == preview.deterred
    assert lines[0].startswith("Attack: Austria-Hungary + ")  # the aggressor first, then its allies
    assert lines[0].endswith(f"{preview.attacker_strength:.1f}")
    assert lines[1].startswith(f"Expected defence: {preview.expected_defense:.1f}")
    for state_id, value in preview.defender_side.items():
        assert f"{scenario.state(state_id).name} {value:.1f}" in lines[1]
    canvas.attack_hovered.emit("AUH", None)
    assert canvas.last("show_attack_preview") == (None, [], False)
    canvas.attack_hovered.emit("AUH", "SRB")  # known: shown at once
    assert canvas.last("show_attack_preview") == (target, lines, deterred)


def test_a_quick_sweep_previews_only_where_the_pointer_stops(window, qtbot):
    canvas = window.canvas
    for target in ("SRB", "RUS", "FRA"):
        canvas.attack_hovered.emit("AUH", target)
    qtbot.waitUntil(lambda: canvas.count("show_attack_preview") == 1, timeout=60_000)
    assert canvas.last("show_attack_preview")[0] == "FRA"
    window.document.scenario.update_state("FRA", power=60.0)  # an edit forgets the previews
    canvas.attack_hovered.emit("AUH", "FRA")
    qtbot.waitUntil(lambda: canvas.count("show_attack_preview") == 2, timeout=60_000)
    assert (
        canvas.last("show_attack_preview")[1]
        == attack_preview_lines(window.document.scenario, "AUH", "FRA")[0]
    )


def slow_previews(monkeypatch, seconds: float) -> list:
    """Make each preview take ``seconds`` (a big world's); returns the list of attacks previewed."""
    asked = []
    preview = Simulation.preview

    def slow(sim, aggressor, target):
        asked.append((aggressor, target))
        time.sleep(seconds)
        return preview(sim, aggressor, target)

    monkeypatch.setattr(Simulation, "preview", slow)
    return asked


def test_a_slow_preview_leaves_the_window_responsive(window, qtbot, monkeypatch):
    canvas, live = window.canvas, window.live
    live.background = True
    slow_previews(monkeypatch, 0.5)
    beats = []
    pulse = QTimer()
    pulse.timeout.connect(lambda: beats.append(time.perf_counter()))
    pulse.start(10)
    started = time.perf_counter()
    canvas.attack_hovered.emit("AUH", "SRB")
    qtbot.waitUntil(lambda: canvas.count("show_attack_preview") == 1, timeout=60_000)
    pulse.stop()
    assert time.perf_counter() - started >= 0.5
    # the event loop kept turning while the worker computed: the pulse beat during the half second
    # (counted, not timed: a busy machine may stretch a gap, but a blocked loop would not beat at all)
    assert len(beats) >= 5
    assert (
        canvas.last("show_attack_preview")[1]
        == attack_preview_lines(window.document.scenario, "AUH", "SRB")[0]
    )


def test_a_late_preview_is_shown_only_if_still_current(window, qtbot, monkeypatch):
    canvas, live = window.canvas, window.live
    live.background = True
    asked = slow_previews(monkeypatch, 0.3)
    canvas.attack_hovered.emit("AUH", "SRB")
    qtbot.waitUntil(lambda: asked == [("AUH", "SRB")], timeout=60_000)
    canvas.attack_hovered.emit("AUH", None)  # the pointer left before the numbers came
    live.controller.submit(lambda: None).result()  # the worker is done with the preview
    wait_queue_handled(qtbot)  # and its queued result, had it one to show, has been handled
    assert canvas.last("show_attack_preview") == (None, [], False)
    assert [c for c in canvas.calls if c[0] == "show_attack_preview" and c[1][0]] == []

    canvas.attack_hovered.emit("AUH", "FRA")
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=60_000)
    window.document.scenario.update_state("FRA", power=60.0)  # the numbers being computed are old
    qtbot.waitUntil(lambda: canvas.count("show_attack_preview") == 2, timeout=60_000)
    assert len(asked) == 3  # the edit asked again for the target under the pointer
    assert (
        canvas.last("show_attack_preview")[1]
        == attack_preview_lines(window.document.scenario, "AUH", "FRA")[0]
    )


def test_preview_lines_name_the_sides_and_the_verdict():
    scenario = crisis()
    scenario.update_settings(deterrence=True)
    lines, deterred = attack_preview_lines(scenario, "GER", "FRA")
    preview = preview_attack(scenario, "GER", "FRA")
    assert lines[2] == ("Deterred" if preview.deterred else "Attack goes ahead")
    assert deterred == preview.deterred
    names = [scenario.state(s).name for s in sorted(preview.aggressor_side, key=preview.aggressor_side.get)]
    assert all(name in lines[0] for name in names[-4:])


@pytest.mark.parametrize("background", [False, True])
def test_structure_overlay_follows_edits_after_a_pause(window, qtbot, background):
    canvas, scenario = window.canvas, window.document.scenario
    window.live.background = background
    assert canvas.count("set_overview") == 1
    scenario.update_state("ITA", power=3.0)
    scenario.update_state("ITA", power=4.0)
    assert canvas.count("set_overview") == 1  # debounced: not once per edit
    qtbot.waitUntil(lambda: canvas.count("set_overview") == 2, timeout=60_000)
    assert canvas.last("set_overview")[0] == overview(scenario)


def test_the_overlay_shows_exposure_and_jackson_nei_as_its_own_view(window, qtbot):
    canvas, scenario, live = window.canvas, window.document.scenario, window.live
    window.live.background = False
    assert canvas.last("set_overview")[0].view == "exposure"  # every scenario opens on exposure
    assert live.jackson_nei_action in window.view_menu.actions() and not live.jackson_nei_action.isChecked()
    live.jackson_nei_action.setChecked(True)
    assert canvas.last("set_overview")[0] == overview(scenario, jackson_nei=True)
    # the jackson-nei example opens in its own view
    window.document.replace(load_example("jackson-nei"))
    assert live.jackson_nei_action.isChecked() and canvas.last("set_overview")[0].view == "jackson-nei"
    window.document.replace(load_example("july-1914"))
    assert not live.jackson_nei_action.isChecked() and canvas.last("set_overview")[0].view == "exposure"


def test_each_example_opens_on_the_chart_its_file_chooses(window):
    charts = window.live.charts
    window.document.replace(load_example("free-riders"))  # meta.first_chart: peace-burden
    assert charts.tabs.currentWidget() is charts.peace_burden
    window.document.replace(load_example("july-1914"))  # no choice: stability
    assert charts.tabs.currentWidget() is charts.time_charts[0]


def test_clicking_an_event_highlights_its_states_and_treaty(window, qtbot):
    live, canvas = window.live, window.canvas
    live.controller.run_ticks(6)
    model, view = live.event_log.model, live.event_log.view
    row, event = next((r, e) for r, e in enumerate(model.events) if e.treaty is not None)
    view.clicked.emit(model.index(row))
    states, treaty = canvas.last("highlight")
    assert treaty == event.treaty
    assert states == [s for s in dict.fromkeys((event.state, event.ally, event.other)) if s is not None]


def test_report_and_log_exports(window, tmp_path):
    live = window.live
    live.controller.run_ticks(1000)
    simulation = live.controller.simulation
    exports.save_report(simulation.report(), tmp_path / "run.json")
    saved = json.loads((tmp_path / "run.json").read_text())
    assert saved["outcome"]["result"] == simulation.result
    assert saved["events"] == json.loads(json.dumps(simulation.report()["events"]))
    exports.save_event_log(live.event_log.events, tmp_path / "log.txt", live.event_log.title)
    exports.save_event_log(live.event_log.events, tmp_path / "log.md", live.event_log.title)
    text = (tmp_path / "log.txt").read_text().splitlines()
    assert text[0] == "Mini crisis: Austria-Hungary attacks Serbia"
    assert len([line for line in text if line.startswith("tick ")]) == len(simulation.events)
    markdown = (tmp_path / "log.md").read_text().splitlines()
    assert markdown[0] == "# Mini crisis: Austria-Hungary attacks Serbia"
    assert markdown[2].startswith("| Tick |")
    assert len(markdown) == 4 + len(simulation.events)


def test_burden_charts_follow_the_report_while_shown(window):
    live = window.live
    live.controller.run_ticks(1000)
    assert live.charts.war_burden.table()[1] == []  # not on screen: no report built yet
    live.charts.tabs.setCurrentWidget(live.charts.war_burden)
    report = live.controller.simulation.report()
    rows = live.charts.war_burden.table()[1]
    assert rows and [row[0] for row in rows] == list(report["burden"])
    assert [row[3] for row in rows] == [entry["cost_share"] for entry in report["burden"].values()]
    live.controller.reset()
    live.controller.step()  # a single step while the chart is shown updates it at once
    assert [row[0] for row in live.charts.war_burden.table()[1]] == list(
        live.controller.simulation.report()["burden"]
    )


def test_export_actions_ask_for_a_file_and_write_it(window, tmp_path, monkeypatch):
    live = window.live
    live.controller.run_ticks(5)
    answers = iter(
        [
            (str(tmp_path / "report"), "JSON (*.json)"),
            (str(tmp_path / "log"), "Markdown (*.md)"),
            (str(tmp_path / "strength"), "CSV data (*.csv)"),
        ]
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: next(answers))
    live.export_report_action.trigger()  # pauses, then writes the report of the run as it stands
    assert json.loads((tmp_path / "report.json").read_text())["outcome"]["ended_tick"] == 4
    live.export_log_action.trigger()
    assert (tmp_path / "log.md").read_text().startswith("# Mini crisis: Austria-Hungary attacks Serbia")
    live.charts.tabs.setCurrentWidget(live.charts.time_charts[1])
    csv_action = next(a for a in live.charts.export_button.menu().actions() if a.text().startswith("CSV"))
    csv_action.trigger()
    assert (tmp_path / "strength.csv").read_text().splitlines()[0] == (
        "tick,strength_aggressor,strength_defender,power_balance"
    )


def test_a_failed_export_is_shown_not_raised(window, tmp_path, monkeypatch):
    shown = []
    target = tmp_path / "missing-folder" / "report.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    window.live.export_report_action.trigger()
    assert shown and shown[0][0] == "Export failed" and str(target) in shown[0][1]
    assert not target.exists()


def test_a_burst_of_events_lands_in_batches_and_the_log_follows_its_end(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    log = window.live.event_log
    burst = [
        LogEvent(0, "obliged", f"State {i} is called on to join the war beside its ally.", f"S{i}")
        for i in range(600)
    ]
    log.append(burst)
    bar = log.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=60_000)
    last_row = log.model.index(599)
    qtbot.waitUntil(lambda: log.view.visualRect(last_row).isValid(), timeout=60_000)  # laid out
    qtbot.waitUntil(
        lambda: 0 < log.view.visualRect(last_row).bottom() <= log.view.viewport().height(), timeout=5000
    )


def test_a_defeat_dot_shows_in_the_dark_theme(qapp):
    model = EventLogModel()
    model.append([LogEvent(3, "defeat", "Germany capitulates.", "GER")])
    before = QPalette(qapp.palette())
    try:
        for palette in (theme.dark_palette(), theme.light_palette()):
            qapp.setPalette(palette)
            assert model.data(model.index(0), KIND_COLOR_ROLE) == palette.color(QPalette.ColorRole.Text)
    finally:
        qapp.setPalette(before)


def test_the_worker_computes_on_a_compiled_copy_that_later_edits_do_not_reach(window, qtbot, monkeypatch):
    live, scenario = window.live, window.document.scenario
    live.background = True
    submitted = []
    submit = live.controller.submit
    monkeypatch.setattr(
        live.controller,
        "submit",
        lambda function, *args: (submitted.append(args), submit(function, *args))[1],
    )
    live.update_structure()
    window.canvas.attack_hovered.emit("AUH", "SRB")
    qtbot.waitUntil(lambda: len(submitted) == 2, timeout=60_000)
    copy, run = submitted[0][0], submitted[1][0]  # the overlay's copy of the scenario, the preview's run
    assert isinstance(copy, Scenario) and isinstance(run, Simulation)
    assert not any(arg is scenario for args in submitted for arg in args)  # never the live scenario
    gamma = scenario.settings.attacker_disadvantage
    scenario.update_settings(attacker_disadvantage=gamma + 1.0)  # the GUI thread edits meanwhile
    scenario.update_state("AUH", power=scenario.state("AUH").power * 3)
    assert copy.settings.attacker_disadvantage == gamma and run.world.settings.attacker_disadvantage == gamma
    assert copy.state("AUH").power != scenario.state("AUH").power
    assert run.world.power[run.world.index["AUH"]] != scenario.state("AUH").power


def test_the_logs_remembered_row_heights_follow_the_width_and_the_font(make_window, qtbot):
    log = make_window(load_example("july-1914")).live.event_log
    log.model.append(
        [
            LogEvent(
                0,
                "attack",
                "Xland attacks Yland: " + "a long sentence that must wrap " * 6,
                "X",
                None,
                None,
                "Y",
            )
        ]
    )
    view, delegate = log.view, log.view.itemDelegate()
    index = log.model.index(log.model.rowCount() - 1, 0)

    def measured() -> tuple[int, int]:
        """(the delegate's height for the row, a fresh measure of its sentence at the same width)."""
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        width = delegate._text_width(option)
        text = index.data()
        fresh = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return delegate.sizeHint(option, index).height(), fresh.height() + 2 * delegate.PADDING

    log.resize(700, 400)
    qtbot.waitUntil(lambda: view.viewport().width() > 500)
    wide, expected = measured()
    assert wide == expected
    assert measured()[0] == wide  # asked again: the remembered height
    log.resize(260, 400)  # narrower: more lines, measured afresh
    qtbot.waitUntil(lambda: view.viewport().width() < 300)
    narrow, expected = measured()
    assert narrow == expected and narrow > wide
    big = QFont(view.font())
    big.setPointSizeF(2 * big.pointSizeF())
    view.setFont(big)  # presenter mode's large type: taller again
    taller, expected = measured()
    assert taller == expected and taller > narrow
