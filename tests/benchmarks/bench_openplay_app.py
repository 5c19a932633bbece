"""On-demand benchmark of open play in the window (issue 13; not part of the default run).

    .venv/bin/pytest tests/benchmarks/bench_openplay_app.py -p no:cacheprovider -o addopts="" -s

The 50-state open-play world of bench_openplay.py plays at the top speed (30 ticks a second) to its
end while a 5 ms probe timer measures how long input would wait: the run must keep the speed
chosen (>= 20 ticks a second) and the window answer within 50 ms 95 times in 100, with the event
log and the charts following every tick.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from bench_live import RESPONSIVE, make_window, responsiveness_probe  # noqa: E402
from bench_openplay import generate_open_world  # noqa: E402

from sandbox.app.run.run_controller import MAX_SPEED  # noqa: E402


def test_an_open_play_run_keeps_its_speed_and_the_window_answers(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, generate_open_world())
    live, controller = window.live, window.live.controller
    controller.set_speed(MAX_SPEED)
    probe_timer, lateness = responsiveness_probe()
    probe_timer.start()
    started, cpu = time.perf_counter(), time.process_time()
    controller.play()
    qtbot.waitUntil(lambda: controller.finished, timeout=600_000)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    probe_timer.stop()
    ticks = controller.ticks_done
    logged = live.event_log.model.rowCount()
    slots = np.array(controller.slot_seconds)
    rate = ticks / elapsed
    print(
        f"\nopen play, 50 states: {ticks} ticks in {elapsed:.2f} s wall, {cpu:.2f} s CPU = {rate:.1f} "
        f"ticks/s at speed {MAX_SPEED}; {len(controller.simulation.events)} events (log rows: {logged}); "
        f"timer slot median {np.median(slots) * 1000:.1f} ms, max {slots.max() * 1000:.1f} ms; probe "
        f"lateness median {np.median(lateness) * 1000:.1f} ms, 95th percentile "
        f"{np.percentile(lateness, 95) * 1000:.1f} ms, max {max(lateness) * 1000:.1f} ms"
    )
    assert rate >= 20
    assert np.percentile(lateness, 95) < RESPONSIVE
