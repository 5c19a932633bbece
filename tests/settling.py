"""Waits on conditions for the app tests, never on the clock: ``from settling import ...``.

A busy machine delivers Qt's deferred work (zero-delay timers, posted layout requests, queued calls
from the worker) late but in order, so a test waits until that work has been done, however long
it takes, instead of sleeping a guess.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QGraphicsView, QWidget


def wait_queue_handled(qtbot) -> None:
    """Wait until every event, queued call and zero-delay timer posted before now has been handled
    (a zero-delay timer started now fires after them): for a test that asserts nothing more happens."""
    handled = []
    QTimer.singleShot(0, lambda: handled.append(True))
    qtbot.waitUntil(lambda: handled == [True])


def _layout(window: QWidget) -> list:
    """Where every shown widget of ``window`` is, where each scroll area looks and how far each
    graphics view (the map) is zoomed."""
    return [
        (
            w.geometry().getRect(),
            (w.horizontalScrollBar().value(), w.verticalScrollBar().value())
            if isinstance(w, QAbstractScrollArea)
            else None,
            w.transform().m11() if isinstance(w, QGraphicsView) else None,
        )
        for w in (window, *window.findChildren(QWidget))
        if w.isVisible()
    ]


def wait_laid_out(qtbot, window: QWidget) -> None:
    """Wait until ``window`` has done its deferred layout: the work queued so far handled, then two
    looks in a row, with the event loop run between them, find every shown widget where it was (the
    map's fit included)."""
    wait_queue_handled(qtbot)
    last: list = []

    def still() -> bool:
        now = _layout(window)
        same = now == last
        last[:] = now
        return same

    qtbot.waitUntil(still)
