"""On-demand benchmarks of the live view (not part of the default run).

    .venv/bin/pytest tests/benchmarks/bench_live.py -p no:cacheprovider -o addopts="" -s

1. The July 1914 example plays at >= 20 ticks a second with the window
   responsive: the play-timer slots (engine step plus every view's update)
   take under a frame (16 ms) at the median, and a 5 ms probe timer is held up
   less than 50 ms 95 times in 100 (the rest is the window's repaint).
2. A tick of a 2,000-state, 10,000-tie world: the canvas recolouring
   (``apply_run_view``) under 16 ms; the engine step, a hover's tooltip, log and chart
   updates are reported beside it.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings, QTimer
from settling import wait_queue_handled

from sandbox.app.shell.main_window import MainWindow
from sandbox.core.examples import DEFAULT_EXAMPLE, load_example
from sandbox.core.scenario import Meta, Scenario, ScriptedEvent, Settings, State, Treaty

FRAME = 0.016
RESPONSIVE = 0.050  # seconds an input may wait and still feel immediate


def make_window(qtbot, tmp_path, scenario: Scenario) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(scenario, settings=settings, recovery_dir=tmp_path / "recovery", restore_layout=False)
    window.ask_save_changes = lambda: "discard"
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    qtbot.waitExposed(window)
    return window


def big_world(states: int = 2000, ties: int = 10_000, seed: int = 7) -> Scenario:
    """Random states on a plane, each tie a two-member defense treaty between near neighbours."""
    rng = np.random.default_rng(seed)
    positions = rng.uniform(0, 20_000, size=(states, 2))
    power = rng.lognormal(0.0, 1.0, size=states)
    world = [
        State(f"S{i}", f"State {i}", float(power[i]), position=(float(x), float(y)))
        for i, (x, y) in enumerate(positions)
    ]
    pairs: set[tuple[int, int]] = set()
    order = np.argsort(positions[:, 0])
    while len(pairs) < ties:
        k = int(rng.integers(0, states - 1))
        a, b = int(order[k]), int(order[min(states - 1, k + int(rng.integers(1, 12)))])
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    treaties = [
        Treaty(f"T{n}", f"Pact {n}", members=[f"S{a}", f"S{b}"]) for n, (a, b) in enumerate(sorted(pairs))
    ]
    return Scenario(
        world,
        treaties,
        events=[ScriptedEvent(0, "S0", "S1"), ScriptedEvent(0, "S10", "S11")],
        settings=Settings(
            seed=1, deterrence=False, max_ticks=40, attrition=0.01
        ),  # slow attrition: a long war
        meta=Meta(title="Big world"),
    )


def responsiveness_probe() -> tuple[QTimer, list[float]]:
    """A 5 ms timer recording how late the event loop serves it (the window's responsiveness)."""
    lateness: list[float] = []
    last = [time.perf_counter()]

    def probe() -> None:
        now = time.perf_counter()
        lateness.append(now - last[0] - 0.005)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(probe)
    return timer, lateness


def test_1914_plays_at_20_ticks_a_second_and_stays_responsive(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, load_example(DEFAULT_EXAMPLE))
    controller = window.live.controller
    controller.set_speed(30)
    probe_timer, lateness = responsiveness_probe()
    ticks, elapsed = 0, 0.0
    probe_timer.start()
    for _ in range(5):  # the 1914 war is short: play it several times over
        controller.reset()
        started = time.perf_counter()
        controller.play()
        qtbot.waitUntil(lambda: controller.finished, timeout=60_000)
        elapsed += time.perf_counter() - started
        ticks += controller.ticks_done
    probe_timer.stop()
    slots = np.array(controller.slot_seconds)
    rate = ticks / elapsed
    print(
        f"\n1914: {ticks} ticks in {elapsed:.2f} s = {rate:.1f} ticks/s at speed 30 "
        f"(worker: {controller._slow}); timer slot median {np.median(slots) * 1000:.1f} ms, "
        f"max {slots.max() * 1000:.1f} ms; "
        f"probe lateness median {np.median(lateness) * 1000:.1f} ms, "
        f"95th percentile {np.percentile(lateness, 95) * 1000:.1f} ms, max {max(lateness) * 1000:.1f} ms"
    )
    assert rate >= 20
    assert np.median(slots) < FRAME
    # input waits at most for one tick's repaint of the whole window (software raster, offscreen)
    assert np.percentile(lateness, 95) < RESPONSIVE


@pytest.mark.slow
def test_a_tick_of_a_big_world_recolours_under_a_frame(qtbot, tmp_path):
    # bilateral pacts only: the engine benchmark's generate_world(2000) adds a 2,000-member
    # collective-security treaty, on which the canvas's run view hangs (see the report)
    scenario = big_world()
    window = make_window(qtbot, tmp_path, scenario)
    canvas, controller = window.canvas, window.live.controller
    controller.set_speed(30)
    probe_timer, lateness = responsiveness_probe()
    probe_timer.start()
    started = time.perf_counter()
    controller.play()
    qtbot.waitUntil(lambda: controller.finished, timeout=300_000)
    elapsed = time.perf_counter() - started
    probe_timer.stop()
    simulation = controller.simulation
    slots = np.array(controller.slot_seconds)
    # each past tick once more through the canvas alone: the recolouring the brief bounds
    snapshots = [simulation.snapshot(t) for t in range(simulation.tick)]
    recolour, hovers = [], []
    hovered = canvas.state_items[next(iter(canvas.state_items))].pos()  # one state's "why", built on hover
    for snapshot in snapshots * 3:
        t0 = time.perf_counter()
        canvas.apply_run_view(snapshot)
        t1 = time.perf_counter()
        canvas.tooltip_at(hovered)
        recolour.append(t1 - t0)
        hovers.append(time.perf_counter() - t1)
    print(
        f"\nbig world ({len(scenario.states)} states, {len(scenario.treaties)} ties): "
        f"{simulation.tick} ticks played in {elapsed:.2f} s (worker: {controller._slow}); "
        f"GUI timer slot median {np.median(slots) * 1000:.1f} ms, max {slots.max() * 1000:.1f} ms; "
        f"probe lateness median {np.median(lateness) * 1000:.1f} ms, max {max(lateness) * 1000:.1f} ms; "
        f"canvas recolouring median {np.median(recolour) * 1000:.1f} ms (max {max(recolour) * 1000:.1f}); "
        f"hover tooltip median {np.median(hovers) * 1000:.1f} ms"
    )
    assert np.median(recolour) < FRAME


@pytest.mark.slow
def test_hover_previews_and_structure_of_a_big_world_leave_the_window_responsive(qtbot, tmp_path):
    scenario = big_world()  # 12,000 states and treaties: previews and structure go to the worker
    window = make_window(qtbot, tmp_path, scenario)
    live, canvas = window.live, window.canvas
    shown: list[str] = []
    original = canvas.show_attack_preview

    def record(target, lines, deterred):
        shown.append(target)
        original(target, lines, deterred)

    canvas.show_attack_preview = record
    probe_timer, lateness = responsiveness_probe()
    probe_timer.start()
    started = time.perf_counter()
    targets = [f"S{k}" for k in range(1, 9)]
    for target in targets:
        live._preview_attack("S0", target)  # the canvas's attack_hovered, resting on each target
        qtbot.waitUntil(lambda t=target: bool(shown) and shown[-1] == t, timeout=60_000)
    previews = time.perf_counter() - started
    structure_lateness_from = len(lateness)
    started = time.perf_counter()
    live.update_structure()
    job = live._structure_job
    qtbot.waitUntil(lambda: job.done(), timeout=60_000)
    wait_queue_handled(qtbot)  # the result is applied by a queued call
    structure = time.perf_counter() - started
    probe_timer.stop()
    during_previews = lateness[:structure_lateness_from]
    worst_preview = max(during_previews)
    worst_structure = max(lateness[structure_lateness_from:] or [0.0])
    print(
        f"\nbig world hover: {len(targets)} previews in {previews:.2f} s "
        f"({previews / len(targets) * 1000:.0f} ms each, on the worker); probe lateness meanwhile "
        f"median {np.median(during_previews) * 1000:.1f} ms, max {worst_preview * 1000:.1f} ms; "
        f"structure {structure * 1000:.0f} ms on the worker, probe max {worst_structure * 1000:.1f} ms"
    )
    assert live._in_background()
    assert np.percentile(lateness, 95) < RESPONSIVE
