"""The window's selection: which states and treaties are chosen.

One :class:`Selection` per document. The canvas draws it, the inspector shows the page for it,
the treaty list highlights it and the main window's Edit actions act on it; each of them sets
it here and follows :attr:`Selection.changed`, so none reaches into another to find out.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    """The chosen states and treaties (frozen sets of ids); ``changed`` after each change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.states: frozenset[str] = frozenset()
        self.treaties: frozenset[str] = frozenset()

    def set(self, states: Iterable[str], treaties: Iterable[str]) -> None:
        new = frozenset(states), frozenset(treaties)
        if new != (self.states, self.treaties):
            self.states, self.treaties = new
            self.changed.emit()

    def clear(self) -> None:
        self.set((), ())

    def drop(self, state_id: str | None = None, treaty_id: str | None = None) -> None:
        """Forget an item that is gone (deleted, or undone)."""
        self.set(self.states - {state_id}, self.treaties - {treaty_id})

    def __bool__(self) -> bool:
        return bool(self.states or self.treaties)
