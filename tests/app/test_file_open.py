"""QFileOpenEvent (macOS Finder, Dock, Open With) opens the file in the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QUrl
from PySide6.QtGui import QFileOpenEvent

from sandbox.app.editing.commands import UpdateStateCommand
from sandbox.app.shell.file_open import FileOpenHandler, install_file_open_handler
from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Scenario, State


@pytest.fixture
def window(make_window):
    window = make_window(Scenario())
    install_file_open_handler(window)
    return window


@pytest.fixture
def scenario_file(world, tmp_path) -> Path:
    path = tmp_path / "world one.sandbox"
    save_scenario(world, path)
    return path


def test_a_sent_file_open_event_opens_the_file(window, world, scenario_file):
    handled = QCoreApplication.sendEvent(QCoreApplication.instance(), QFileOpenEvent(str(scenario_file)))
    assert handled
    assert window.document.path == str(scenario_file.resolve())
    assert window.document.scenario == world


def test_a_posted_file_open_event_with_a_url_opens_the_file(window, world, scenario_file, qtbot):
    QCoreApplication.postEvent(
        QCoreApplication.instance(), QFileOpenEvent(QUrl.fromLocalFile(str(scenario_file)))
    )
    qtbot.waitUntil(lambda: window.document.path == str(scenario_file.resolve()))
    assert window.document.scenario == world


def test_a_bad_file_shows_its_problems_and_keeps_the_open_scenario(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sandbox"
    bad.write_text("{not json")
    shown = []
    monkeypatch.setattr(window, "show_file_error", shown.append)
    before = window.document.scenario
    QCoreApplication.sendEvent(QCoreApplication.instance(), QFileOpenEvent(str(bad)))
    assert window.document.scenario is before
    assert len(shown) == 1 and shown[0].source == str(bad)


def test_unsaved_changes_are_asked_about(window, scenario_file, monkeypatch):
    window.document.scenario.add_state(State("X", "Xanadu", 1.0))
    window.document.undo_stack.push(UpdateStateCommand(window.document.scenario, "X", power=2.0))
    monkeypatch.setattr(window, "ask_save_changes", lambda: "cancel")
    QCoreApplication.sendEvent(QCoreApplication.instance(), QFileOpenEvent(str(scenario_file)))
    assert window.document.path is None and window.document.scenario.state("X").power == 2.0


def test_other_events_pass_through(window):
    handler = window.findChild(FileOpenHandler)
    assert not handler.eventFilter(window, QEvent(QEvent.Type.User))
