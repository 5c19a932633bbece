"""Windows that close are freed: What-If, Experiments and the room opened and closed many times.

(The welcome page is one window, made once and shown again, so it cannot pile up.)
"""

import gc
import os
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from sandbox.app.workshop.compare_view import CompareWindow
from sandbox.app.workshop.experiments import ExperimentsDialog
from sandbox.app.workshop.room_window import RoomWindow

CYCLES = 8  # the benchmark (tests/benchmarks/bench_windows.py) does 200
MAX_GROWTH_MIB = 50


def resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


OPENERS = {
    "open_comparison": lambda window: window.workshop.open_comparison(),
    "open_experiments": lambda window: window.workshop.open_experiments(),
    # the room's server and its thread start with the window and must stop with it
    "open_room": lambda window: window.workshop.room.open_room(host="127.0.0.1", port=0),
}
KEPT_AS = {  # where the workshop keeps the open window
    "open_comparison": lambda window: window.workshop.compare_window,
    "open_experiments": lambda window: window.workshop.experiments,
    "open_room": lambda window: window.workshop.room.room_window,
}


def open_and_close(main_window, opener: str) -> None:
    OPENERS[opener](main_window).close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _alive(kind) -> int:
    """Python objects of ``kind`` still reachable (their Qt side may be gone)."""
    gc.collect()
    return sum(isinstance(o, kind) for o in gc.get_objects())


@pytest.mark.parametrize(
    "opener, kind",
    [("open_comparison", CompareWindow), ("open_experiments", ExperimentsDialog), ("open_room", RoomWindow)],
)
def test_a_closed_window_is_freed(main_window, opener, kind, qtbot):
    threads = threading.active_count()
    for _ in range(2):  # caches and first-use allocations
        open_and_close(main_window, opener)
    before, alive = resident_mib(), _alive(kind)
    for _ in range(CYCLES):
        open_and_close(main_window, opener)
    assert main_window.findChildren(kind) == []  # each closed window was deleted
    # and its Python side too (a callable that Qt still held kept a What-If window whole: 2 MiB a cycle)
    assert _alive(kind) == alive
    assert KEPT_AS[opener](main_window) is None
    qtbot.waitUntil(lambda: threading.active_count() <= threads)  # no thread left behind
    assert resident_mib() - before < MAX_GROWTH_MIB
