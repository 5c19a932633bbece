"""Document state: the modified mark, autosave and crash recovery, layout restore."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from faults import editing_session
from PySide6.QtCore import QSettings, Qt, QTimer

from sandbox.app.document import document as document_module
from sandbox.app.document.document import orphaned_recoveries
from sandbox.app.editing.commands import UpdateStateCommand
from sandbox.core.io import fileformat
from sandbox.core.io.fileformat import ScenarioFileError, load_scenario, save_scenario
from sandbox.core.processes import process_alive


def test_modified_mark_follows_the_undo_stack(main_window, tmp_path, monkeypatch):
    stack = main_window.document.undo_stack
    assert not main_window.isWindowModified()
    stack.push(UpdateStateCommand(main_window.document.scenario, "GER", power=1.0))
    assert main_window.isWindowModified() and "[*]" in main_window.windowTitle()
    stack.undo()
    assert not main_window.isWindowModified()
    stack.redo()
    monkeypatch.setattr(main_window, "ask_save_path", lambda: str(tmp_path / "a.sandbox"))
    main_window.save()
    assert not main_window.isWindowModified()
    stack.undo()
    assert main_window.isWindowModified()


def test_autosave_writes_a_recovery_file_after_a_change_and_a_clean_save_removes_it(
    main_window, qtbot, tmp_path, monkeypatch
):
    document = main_window.document
    document.autosave_delay_ms = 50
    document.undo_stack.push(UpdateStateCommand(document.scenario, "GER", power=2.5))
    assert document.autosave_timer.isActive()
    qtbot.waitUntil(document.recovery_file.exists)
    assert load_scenario(document.recovery_file).state("GER").power == 2.5
    info = json.loads(document.recovery_file.with_suffix(".json").read_text())
    assert info["pid"] == os.getpid() and info["path"] is None
    assert orphaned_recoveries(document.recovery_dir) == []  # this process is alive: not an orphan
    monkeypatch.setattr(main_window, "ask_save_path", lambda: str(tmp_path / "saved.sandbox"))
    main_window.save()
    assert not document.recovery_file.exists()
    assert not document.recovery_file.with_suffix(".json").exists()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _crash(document) -> None:
    """What the system does when a session's process dies: its lock is released, its files stay."""
    os.close(document.session_lock.fd)
    document.session_lock.fd = None


def test_recovery_after_a_crash_is_offered_and_restores_modified_with_the_original_path(
    make_window, world, tmp_path, monkeypatch
):
    original = tmp_path / "mine.sandbox"
    save_scenario(world, original)
    crashed = make_window(world.copy(), str(original))
    crashed.document.undo_stack.push(UpdateStateCommand(crashed.document.scenario, "GER", power=99.0))
    crashed.document.autosave()
    _crash(crashed.document)
    info_file = crashed.document.recovery_file.with_suffix(".json")
    recovery_files = (crashed.document.recovery_file, info_file, crashed.document.session_lock.path)

    window = make_window(world.copy())
    offered = []
    monkeypatch.setattr(window, "ask_restore", lambda recovery: offered.append(recovery) or True)
    assert window.offer_recovery()
    assert offered[0].original_path == str(original)
    assert window.document.scenario.state("GER").power == 99.0
    assert window.document.path == str(original)
    assert window.isWindowModified()
    assert "mine.sandbox" in window.windowTitle()
    assert not any(path.exists() for path in recovery_files)


def test_a_recovery_file_over_the_scenario_cap_restores(make_window, world, monkeypatch):
    # autosave writes the world in memory, which may have grown past what a scenario file may be
    # (64 MiB; here the cap is lowered to 1 KiB instead of writing a huge file): it restores all the same
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 1024)
    crashed = make_window(world.copy())
    crashed.document.undo_stack.push(UpdateStateCommand(crashed.document.scenario, "GER", power=99.0))
    crashed.document.autosave()
    _crash(crashed.document)
    recovery_file = crashed.document.recovery_file
    assert recovery_file.stat().st_size > fileformat.MAX_FILE_BYTES
    with pytest.raises(ScenarioFileError, match="limited to"):  # what a user's file may be: refused
        load_scenario(recovery_file)
    window = make_window(world.copy())
    monkeypatch.setattr(window, "ask_restore", lambda recovery: True)
    monkeypatch.setattr(window, "show_file_error", lambda error: pytest.fail(str(error.problems)))
    assert window.offer_recovery()
    assert window.document.scenario.state("GER").power == 99.0


def test_a_declined_recovery_is_deleted(make_window, world, tmp_path, monkeypatch):
    crashed = make_window(world.copy())
    crashed.document.undo_stack.push(UpdateStateCommand(crashed.document.scenario, "GER", power=5.0))
    crashed.document.autosave()
    _crash(crashed.document)
    window = make_window(world.copy())
    monkeypatch.setattr(window, "ask_restore", lambda recovery: False)
    assert not window.offer_recovery()
    assert window.document.scenario.state("GER").power == 14.2
    assert orphaned_recoveries(window.document.recovery_dir) == []


def test_a_recovery_whose_process_id_was_reused_is_offered(make_window, world):
    crashed = make_window(world.copy())
    crashed.document.undo_stack.push(UpdateStateCommand(crashed.document.scenario, "GER", power=5.0))
    crashed.document.autosave()
    info_file = crashed.document.recovery_file.with_suffix(".json")
    # the session is alive: its lock is held, even from this same process
    assert orphaned_recoveries(crashed.document.recovery_dir) == []
    _crash(crashed.document)
    # its pid now belongs to a running process (this one): the released lock still tells it ended
    info_file.write_text(json.dumps({**json.loads(info_file.read_text()), "pid": os.getpid()}))
    assert [r.info_file for r in orphaned_recoveries(crashed.document.recovery_dir)] == [info_file]


def test_a_recovery_without_a_lock_file_goes_by_its_process_id(make_window, world):
    # recovery files of an earlier version have no lock: a running pid means the session lives
    crashed = make_window(world.copy())
    crashed.document.undo_stack.push(UpdateStateCommand(crashed.document.scenario, "GER", power=5.0))
    crashed.document.autosave()
    _crash(crashed.document)
    crashed.document.session_lock.path.unlink()
    info_file = crashed.document.recovery_file.with_suffix(".json")
    info_file.write_text(json.dumps({**json.loads(info_file.read_text()), "pid": os.getpid()}))
    assert orphaned_recoveries(crashed.document.recovery_dir) == []
    assert not process_alive(dead := _dead_pid())
    info_file.write_text(json.dumps({**json.loads(info_file.read_text()), "pid": dead}))
    assert len(orphaned_recoveries(crashed.document.recovery_dir)) == 1


def test_autosave_keeps_up_with_an_edit_every_half_second(main_window, qtbot):
    # each edit restarts the 3 s debounce, so without a ceiling no recovery file is ever written
    document = main_window.document
    powers = iter(range(1, 1000))
    made: list[float] = []

    def edit():
        made.append(float(next(powers)))
        document.undo_stack.push(UpdateStateCommand(document.scenario, "GER", power=made[-1]))

    editor = QTimer(main_window, interval=500, timeout=edit)
    edit()
    editor.start()
    qtbot.waitUntil(document.recovery_file.exists, timeout=30_000)
    first = load_scenario(document.recovery_file).state("GER").power
    assert editor.isActive() and first in made
    # the next one comes while the edits go on, with a later edit in it
    qtbot.waitUntil(lambda: load_scenario(document.recovery_file).state("GER").power > first, timeout=30_000)
    editor.stop()


def test_a_session_killed_while_editing_leaves_a_recovery_that_is_offered(tmp_path):
    # a child session edits every 0.5 s; once its recovery file exists it is killed (SIGKILL)
    session = editing_session(tmp_path)
    recovery = None
    try:
        deadline = time.monotonic() + 60
        while recovery is None and time.monotonic() < deadline and session.poll() is None:
            recovery = next(iter(tmp_path.glob("*.json")), None)
            time.sleep(0.1)
    finally:
        session.send_signal(signal.SIGKILL)
        session.wait()
    made = [float(line) for line in session.stdout.read().split()]
    session.stdout.close()
    assert recovery is not None
    [found] = orphaned_recoveries(tmp_path)
    # it holds an edit made while the edits went on, however fast they came
    assert load_scenario(found.scenario_file).state("GER").power in made
    # another process now has the dead session's pid (this one): still offered
    recovery.write_text(json.dumps({**json.loads(recovery.read_text()), "pid": os.getpid()}))
    assert len(orphaned_recoveries(tmp_path)) == 1


def test_a_large_recovery_file_is_written_off_the_gui_thread(main_window, qtbot, monkeypatch):
    writers = []
    write = document_module.atomic_write
    monkeypatch.setattr(document_module, "LARGE_RECOVERY_BYTES", 100)
    monkeypatch.setattr(
        document_module, "atomic_write", lambda *a: writers.append(threading.current_thread()) or write(*a)
    )
    document = main_window.document
    document.undo_stack.push(UpdateStateCommand(document.scenario, "GER", power=2.5))
    document.autosave()
    qtbot.waitUntil(lambda: len(writers) == 2 and document.recovery_file.with_suffix(".json").exists())
    assert threading.main_thread() not in writers
    assert load_scenario(document.recovery_file).state("GER").power == 2.5
    document.undo_stack.push(UpdateStateCommand(document.scenario, "GER", power=3.5))
    document.autosave()
    document.discard_recovery()  # waits for the write in flight, then removes the files
    assert not document.recovery_file.exists() and not document.session_lock.path.exists()


def test_a_clean_close_leaves_no_recovery_file(main_window, qtbot):
    document = main_window.document
    document.undo_stack.push(UpdateStateCommand(document.scenario, "GER", power=2.5))
    document.autosave()
    assert document.recovery_file.exists()
    main_window.close()  # the fixture discards unsaved changes
    assert not document.recovery_file.exists()


def test_geometry_and_dock_layout_are_restored(make_window, world, tmp_path):
    settings_file = str(tmp_path / "layout.ini")
    first = make_window(world, settings=QSettings(settings_file, QSettings.Format.IniFormat))
    first.resize(760, 560)  # inside the 800x600 offscreen screen: restoreGeometry clamps to it
    first.removeDockWidget(first.notes_dock)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.notes_dock)
    first.notes_dock.show()
    size = (first.width(), first.height())  # the docks may hold the window above the size asked for
    first.close()
    second = make_window(world.copy(), settings=QSettings(settings_file, QSettings.Format.IniFormat))
    assert second.dockWidgetArea(second.notes_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert (second.width(), second.height()) == size
