"""Document state: the modified mark, autosave and crash recovery, layout restore."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtCore import QSettings, Qt

from sandbox.app.commands import UpdateStateCommand
from sandbox.app.document import orphaned_recoveries, process_alive
from sandbox.core.fileformat import load_scenario, save_scenario


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
    document.autosave_timer.setInterval(50)
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


def test_recovery_after_a_crash_is_offered_and_restores_modified_with_the_original_path(
    make_window, world, tmp_path, monkeypatch
):
    original = tmp_path / "mine.sandbox"
    save_scenario(world, original)
    crashed = make_window(world.copy(), str(original))
    crashed.document.undo_stack.push(UpdateStateCommand(crashed.document.scenario, "GER", power=99.0))
    crashed.document.autosave()
    # the crashed session's process is gone: pretend it had another pid
    info_file = crashed.document.recovery_file.with_suffix(".json")
    info = json.loads(info_file.read_text())
    assert not process_alive(dead := _dead_pid())
    info_file.write_text(json.dumps({**info, "pid": dead}))
    recovery_files = (crashed.document.recovery_file, info_file)

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


def test_a_declined_recovery_is_deleted(make_window, world, tmp_path, monkeypatch):
    crashed = make_window(world.copy())
    crashed.document.undo_stack.push(UpdateStateCommand(crashed.document.scenario, "GER", power=5.0))
    crashed.document.autosave()
    info_file = crashed.document.recovery_file.with_suffix(".json")
    info_file.write_text(json.dumps({**json.loads(info_file.read_text()), "pid": _dead_pid()}))
    window = make_window(world.copy())
    monkeypatch.setattr(window, "ask_restore", lambda recovery: False)
    assert not window.offer_recovery()
    assert window.document.scenario.state("GER").power == 14.2
    assert orphaned_recoveries(window.document.recovery_dir) == []


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
