"""The core's psygnal notifications reach the views through the document, and let go of a view
that is gone: a deleted view is dropped, never called ("Internal C++ object already deleted")."""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent

from sandbox.app.canvas.canvas import Canvas
from sandbox.app.document.document import Document
from sandbox.app.panels.notes import NotesView
from sandbox.core.scenario import State


def _document(world, tmp_path) -> Document:
    return Document(world, recovery_dir=tmp_path / "recovery")


def test_a_view_qt_has_deleted_is_dropped_even_while_python_still_holds_it(qapp, world, tmp_path):
    document = _document(world, tmp_path)
    connected = len(document.signals.state_added)
    canvas = Canvas(document)
    assert len(document.signals.state_added) == connected + 1
    shiboken6.delete(canvas)  # the C++ half goes; `canvas` still holds the Python half
    assert not shiboken6.isValid(canvas)
    assert len(document.signals.state_added) == connected
    world.add_state(State("NEW", "Newland", 3.0))  # no RuntimeError from a dead canvas
    assert world.has_state("NEW")


def test_a_view_deleted_later_and_collected_is_dropped(qapp, world, tmp_path):
    document = _document(world, tmp_path)
    connected = len(document.signals.scenario_changed)
    notes = NotesView(document)
    assert len(document.signals.scenario_changed) == connected + 1
    notes.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del notes
    gc.collect()
    assert len(document.signals.scenario_changed) == connected
    world.update_meta(notes="# Still editable")
    assert world.meta.notes == "# Still editable"


def test_the_views_follow_a_replaced_scenario_without_reconnecting(qapp, world, new_world, tmp_path):
    document = _document(world, tmp_path)
    canvas = Canvas(document)
    other = new_world()
    document.replace(other, None)
    world.add_state(State("OLD", "Old edit", 3.0))  # the scenario that was replaced: not drawn
    other.add_state(State("NEW", "Newland", 3.0))
    assert "NEW" in canvas.state_items and "OLD" not in canvas.state_items
