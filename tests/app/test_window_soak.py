"""Windows that close are freed: What-If and Experiments opened and closed many times."""

import gc
import os

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from sandbox.app.workshop.compare_view import CompareWindow
from sandbox.app.workshop.experiments import ExperimentsDialog

CYCLES = 8  # the benchmark (tests/benchmarks/bench_windows.py) does 200
MAX_GROWTH_MIB = 50


def resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def open_and_close(main_window, opener: str) -> None:
    getattr(main_window.workshop, opener)().close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _alive(kind) -> int:
    """Python objects of ``kind`` still reachable (their Qt side may be gone)."""
    gc.collect()
    return sum(isinstance(o, kind) for o in gc.get_objects())


@pytest.mark.parametrize(
    "opener, kind", [("open_comparison", CompareWindow), ("open_experiments", ExperimentsDialog)]
)
def test_a_closed_window_is_freed(main_window, opener, kind):
    for _ in range(2):  # caches and first-use allocations
        open_and_close(main_window, opener)
    before, alive = resident_mib(), _alive(kind)
    for _ in range(CYCLES):
        open_and_close(main_window, opener)
    assert main_window.findChildren(kind) == []  # each closed window was deleted
    # and its Python side too (a callable that Qt still held kept a What-If window whole: 2 MiB a cycle)
    assert _alive(kind) == alive
    assert (
        getattr(main_window.workshop, {"open_comparison": "compare_window"}.get(opener, "experiments"))
        is None
    )
    assert resident_mib() - before < MAX_GROWTH_MIB
