"""On-demand soak of the secondary windows (not part of the default run).

    .venv/bin/pytest tests/benchmarks/bench_windows.py -p no:cacheprovider -o addopts="" -s

Opens and closes the What-If Comparison, the Experiments window and the room 200 times each
and prints the resident memory before and after; target: growth under 50 MB
(issue 9: it was 164 MB -> 2,159 MB -> 4,432 MB before closed windows were freed).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from sandbox.app.shell.main_window import MainWindow
from sandbox.core.examples import DEFAULT_EXAMPLE, load_example

sys.path.insert(0, str(Path(__file__).parents[1] / "app"))

from test_window_soak import MAX_GROWTH_MIB, open_and_close, resident_mib  # noqa: E402

CYCLES = 200


@pytest.mark.parametrize("opener", ["open_comparison", "open_experiments", "open_room"])
def test_soak(qtbot, tmp_path, opener):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(load_example(DEFAULT_EXAMPLE), settings=settings, recovery_dir=tmp_path / "r")
    main_window.ask_save_changes = lambda: "discard"
    qtbot.addWidget(main_window)
    main_window.show()
    for _ in range(3):
        open_and_close(main_window, opener)
    before, start = resident_mib(), time.perf_counter()
    for _ in range(CYCLES):
        open_and_close(main_window, opener)
    growth = resident_mib() - before
    print(
        f"\n{opener}: {CYCLES} cycles in {time.perf_counter() - start:.1f} s, "
        f"resident {before:.0f} -> {before + growth:.0f} MiB "
        f"(growth {growth:.1f} MiB, target < {MAX_GROWTH_MIB})"
    )
    assert growth < MAX_GROWTH_MIB
