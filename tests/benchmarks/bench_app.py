"""On-demand benchmarks of the editor (not part of the default run).

    .venv/bin/pytest tests/benchmarks/bench_app.py -p no:cacheprovider -o addopts="" -s

1. Start to first shown window (< 1 s): a fresh process from its first line to the
   window shown with the default example, and the window alone (imports done).
2. A world of 2,000 states and 10,000 treaty ties: a full offscreen render of the
   whole scene (< 50 ms) and a recolouring pass via apply_run_view (< 16 ms).
Each prints its numbers (median of several runs); the asserts hold the targets.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage, QPainter

from sandbox.app.shell.main_window import MainWindow
from sandbox.core.scenario import Meta, Scenario, Settings, State, Treaty

STATES, TIES = 2000, 10_000
RENDER_SIZE = (1600, 1000)

_STARTUP = """
import time
start, start_cpu = time.perf_counter(), time.process_time()
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sandbox.app.shell.main_window import MainWindow
folder = tempfile.mkdtemp()
imported = time.perf_counter()
settings = QSettings(folder + "/s.ini", QSettings.Format.IniFormat)
window = MainWindow(settings=settings, recovery_dir=Path(folder), extensions=False)  # as main() does
window.resize(1600, 1000)
window.show()
app.processEvents()
shown, shown_cpu = time.perf_counter(), time.process_time()
window.install_extensions()
app.processEvents()
ready, ready_cpu = time.perf_counter(), time.process_time()
print(f"{shown - start} {shown - imported} {shown_cpu - start_cpu} {ready - start} {ready_cpu - start_cpu}")
"""


def test_start_to_first_shown_window():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _STARTUP], env=env, capture_output=True, text=True, check=True
        )
        runs.append(list(map(float, out.stdout.split())))
    shown, window, shown_cpu, ready, ready_cpu = (
        statistics.median(column) * 1000 for column in zip(*runs, strict=True)
    )
    print(
        f"\nstart to first shown window: {shown:.0f} ms wall, {shown_cpu:.0f} ms CPU in a fresh process "
        f"(the window alone, imports done: {window:.0f} ms wall); with the live view, charts and "
        f"workshop loaded: {ready:.0f} ms wall, {ready_cpu:.0f} ms CPU"
    )
    assert shown_cpu < 1000


def big_world(seed: int = 3) -> Scenario:
    """2,000 states on a jittered grid and 10,000 two-state treaties of every line type between
    neighbours up to two cells apart (treaties are mostly regional, as on a real map)."""
    rng = np.random.default_rng(seed)
    width, spacing = 50, 120.0
    cells = np.arange(STATES)
    positions = np.stack([cells % width, cells // width], axis=1) * spacing + rng.uniform(
        -30, 30, (STATES, 2)
    )
    power = rng.lognormal(0.5, 1.0, size=STATES)
    states = [
        State(f"S{i}", f"State {i}", float(power[i]), position=(float(x), float(y)))
        for i, (x, y) in enumerate(positions.round(1))
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < TIES:
        a = int(rng.integers(0, STATES))
        b = a + int(rng.integers(-2, 3)) + width * int(rng.integers(-2, 3))
        if 0 <= b < STATES and a != b:
            pairs.add((min(a, b), max(a, b)))
    kinds = ("defense", "guarantee", "offense", "neutrality", "non-aggression", "entente")
    treaties = []
    for n, (a, b) in enumerate(sorted(pairs)):
        kind = kinds[n % len(kinds)]
        if kind == "guarantee":
            treaties.append(Treaty(f"T{n}", f"T{n}", kind, members=[f"S{b}"], guarantors=[f"S{a}"]))
        else:
            treaties.append(Treaty(f"T{n}", f"T{n}", kind, members=[f"S{a}", f"S{b}"]))
    return Scenario(states, treaties, settings=Settings(seed=1), meta=Meta(title="Big world"))


@pytest.fixture(scope="module")
def big_window(qapp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    started = time.perf_counter()
    window = MainWindow(
        big_world(),
        settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat),
        recovery_dir=folder,
        restore_layout=False,
    )
    built = (time.perf_counter() - started) * 1000
    print(f"\nbuilding the window on {STATES} states / {TIES} ties: {built:.0f} ms")
    window.ask_save_changes = lambda: "discard"
    window.resize(1600, 1000)
    window.show()
    qapp.processEvents()
    yield window
    window.close()


def _median_ms(function, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process, in ms. The machine these run on
    is shared: CPU time is what the work costs, wall time adds the wait for a free core."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def test_full_render_of_a_big_scene(big_window):
    canvas = big_window.canvas
    assert sum(len(t) for t in canvas.ties.values()) == TIES
    canvas.fit_all()
    image = QImage(canvas.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)

    def render():  # the whole world as the view shows it, fitted: what a user sees
        painter = QPainter(image)
        canvas.render(painter)
        painter.end()

    render()  # warm caches (glyphs, index)
    wall, cpu = _median_ms(render, 7)
    print(
        f"full offscreen render of {STATES} states and {TIES} ties ({image.width()}x{image.height()}, "
        f"zoom {canvas.transform().m11():.2f}): {wall:.1f} ms wall, {cpu:.1f} ms CPU"
    )
    canvas.resetTransform()
    canvas.zoom_by(1.0)
    close_wall, close_cpu = _median_ms(render, 7)
    print(f"render at zoom 1 (names shown, antialiased): {close_wall:.1f} ms wall, {close_cpu:.1f} ms CPU")
    assert cpu < 50


def _snapshots(rng, states, ties, steps: int):
    """Engine-shaped snapshots of a spreading war: each tick another share of states and ties
    joins with a status of its own (fixed once drawn), the rest stays uninvolved and idle."""
    statuses = ("belligerent", "mobilizing", "reneged", "not-obliged", "defeated", "neutral")
    tie_statuses = ("obliged", "mobilizing", "honoured", "reneged", "not-obliged", "violation", "vetoed")
    state_rank, tie_rank = rng.random(len(states)), rng.random(len(ties))
    state_look = [
        (statuses[int(rng.integers(6))], ("aggressor", "defender")[int(rng.integers(2))]) for _ in states
    ]
    tie_look = [tie_statuses[int(rng.integers(7))] for _ in ties]
    snapshots = []
    for step in range(1, steps + 1):
        share = 0.6 * step / steps
        views = {
            s: SimpleNamespace(status=state_look[i][0], side=state_look[i][1], why="")
            if state_rank[i] < share
            else SimpleNamespace(status="uninvolved", side=None, why="")
            for i, s in enumerate(states)
        }
        tie_views = [
            SimpleNamespace(treaty=t, a=a, b=b, status=tie_look[i] if tie_rank[i] < share else "idle")
            for i, (t, a, b) in enumerate(ties)
        ]
        snapshots.append(SimpleNamespace(states=views, ties=tie_views))
    return snapshots


def test_recolouring_pass_via_apply_run_view(big_window):
    canvas = big_window.canvas
    rng = np.random.default_rng(5)
    states = list(canvas.state_items)
    ties = [(t, a, b) for t, items in canvas.ties.items() for (a, b) in items]
    snapshots = _snapshots(rng, states, ties, 12)
    walls, cpus = [], []
    for snapshot in snapshots:  # each tick: 5% more of the world joins in
        wall, cpu = time.perf_counter(), time.process_time()
        canvas.apply_run_view(snapshot)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall, cpu = time.perf_counter(), time.process_time()
    canvas.apply_run_view(None)
    back = ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
    tick_ms = statistics.median(cpus) * 1000
    print(
        f"apply_run_view on {STATES} states / {TIES} ties, 5% of the world changing each tick: "
        f"{statistics.median(walls) * 1000:.1f} ms wall, {tick_ms:.1f} ms CPU per tick (median; worst "
        f"{max(walls) * 1000:.1f} ms wall); back to editing: {back[0]:.1f} ms wall, {back[1]:.1f} ms CPU"
    )
    assert tick_ms < 16


def test_recolouring_from_a_real_engine_run(big_window):
    """The engine's own snapshots of a spreading war on the big world: the canvas reads status and
    side from the snapshot's arrays (run_looks), not from StateViews that build a "why" each."""
    from sandbox.app.canvas.canvas import run_looks
    from sandbox.core.sim import Simulation

    canvas = big_window.canvas
    scenario = big_window.document.scenario
    attacks = [(f"S{i}", f"S{i + 1}") for i in range(0, STATES, 97)]  # twenty-odd wars across the map
    simulation = Simulation(scenario, attacks=attacks, deterrence=False, max_ticks=12)
    simulation.run()
    snapshots = [simulation.snapshot(t) for t in range(simulation.tick)]
    involved = [sum(v[0] != "uninvolved" for v in run_looks(s).values()) for s in snapshots]
    walls, cpus, views_cpu, hover_cpu = [], [], [], []
    hovered = canvas.state_items[attacks[0][1]].pos()  # a state at war: its "why" is built on hover
    for snapshot in snapshots:
        snapshot.ties  # noqa: B018 - built once per snapshot by the engine's worker in the app; not ours
        wall, cpu = time.perf_counter(), time.process_time()
        canvas.apply_run_view(snapshot)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        cpu = time.process_time()
        {s: (v.status, v.side) for s, v in snapshot.states.items()}  # the StateView path it replaced
        views_cpu.append(time.process_time() - cpu)
        cpu = time.process_time()
        canvas.tooltip_at(hovered)  # the one "why" a hover builds (live.py no longer builds them all)
        hover_cpu.append(time.process_time() - cpu)
    canvas.apply_run_view(None)
    tick_ms = statistics.median(cpus) * 1000
    print(
        f"real engine run on {STATES} states ({len(snapshots)} ticks, {involved[-1]} states involved "
        f"at the end): apply_run_view {statistics.median(walls) * 1000:.1f} ms wall, {tick_ms:.1f} ms CPU "
        f"per tick (median; worst {max(cpus) * 1000:.1f} ms CPU); reading every StateView instead: "
        f"{statistics.median(views_cpu) * 1000:.1f} ms CPU; one hover's why: "
        f"{statistics.median(hover_cpu) * 1000:.1f} ms CPU"
    )
    assert involved[-1] > 0
    assert tick_ms < 16
