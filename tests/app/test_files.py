"""Files through the main window: save and reopen, bad files, recent files, drops, prompts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from sandbox.app.editing.commands import UpdateStateCommand
from sandbox.core.examples import DEFAULT_EXAMPLE, list_examples, load_example
from sandbox.core.io.fileformat import load_scenario, save_scenario


def test_save_then_reopen_gives_the_same_scenario(main_window, world, tmp_path, monkeypatch):
    target = tmp_path / "world.sandbox"
    monkeypatch.setattr(main_window, "ask_save_path", lambda: str(target))
    main_window.document.undo_stack.push(UpdateStateCommand(main_window.document.scenario, "GER", power=20.0))
    assert main_window.isWindowModified()
    assert main_window.save()
    assert not main_window.isWindowModified()
    assert main_window.document.path == str(target.resolve())
    assert "world.sandbox" in main_window.windowTitle()
    saved = load_scenario(target)
    assert saved.state("GER").power == 20.0
    main_window.document.replace(world, None)
    assert main_window.open_path(str(target))
    assert main_window.document.scenario == saved
    assert main_window.document.undo_stack.count() == 0


def test_a_bad_file_shows_its_problems_and_keeps_the_open_scenario(main_window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sandbox"
    bad.write_text('{"format": "collective-security-sandbox", "version": 1, "states": [{"id": "A"}]}')
    shown = []
    monkeypatch.setattr(main_window, "show_file_error", shown.append)
    before = main_window.document.scenario
    assert not main_window.open_path(str(bad))
    assert main_window.document.scenario is before
    assert len(shown) == 1 and shown[0].problems
    assert any("states[0]" in problem for problem in shown[0].problems)


def test_unsaved_changes_prompt_cancel_keeps_the_document(main_window, world, tmp_path, monkeypatch):
    other = tmp_path / "other.sandbox"
    save_scenario(world, other)
    main_window.document.undo_stack.push(UpdateStateCommand(main_window.document.scenario, "GER", power=3.0))
    asked = []
    monkeypatch.setattr(main_window, "ask_save_changes", lambda: asked.append(1) or "cancel")
    assert not main_window.open_path(str(other))
    assert asked and main_window.document.scenario.state("GER").power == 3.0
    main_window.new_scenario()
    assert main_window.document.scenario.state("GER").power == 3.0
    monkeypatch.setattr(main_window, "ask_save_changes", lambda: "discard")
    main_window.new_scenario()
    assert main_window.document.scenario.states == []
    assert not main_window.isWindowModified()


def test_prompt_save_writes_before_opening(main_window, world, tmp_path, monkeypatch):
    mine, other = tmp_path / "mine.sandbox", tmp_path / "other.sandbox"
    save_scenario(world, other)
    monkeypatch.setattr(main_window, "ask_save_changes", lambda: "save")
    monkeypatch.setattr(main_window, "ask_save_path", lambda: str(mine))
    main_window.document.undo_stack.push(UpdateStateCommand(main_window.document.scenario, "GER", power=3.0))
    assert main_window.open_path(str(other))
    assert load_scenario(mine).state("GER").power == 3.0
    assert main_window.document.scenario.state("GER").power == 14.2


def test_recent_files_newest_first_at_most_eight_missing_dropped(main_window, world, tmp_path):
    paths = []
    for i in range(10):
        path = tmp_path / f"w{i}.sandbox"
        save_scenario(world, path)
        paths.append(path)
        assert main_window.open_path(str(path))
    recent = main_window.recent.files()
    assert recent == [str(p.resolve()) for p in reversed(paths)][:8]
    paths[9].unlink()
    assert main_window.recent.files()[0] == str(paths[8].resolve())
    main_window._fill_recent_menu()
    names = [a.text() for a in main_window.recent_menu.actions() if a.text()]
    assert names[0] == "w8.sandbox" and "w9.sandbox" not in names


def test_dropping_a_sandbox_file_opens_it(main_window, world, tmp_path):
    world.update_meta(title="Dropped world")
    path = tmp_path / "dropped.sandbox"
    save_scenario(world, path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    main_window.dropEvent(event)
    assert main_window.document.scenario.meta.title == "Dropped world"
    assert Path(main_window.document.path) == path.resolve()


def test_revert_goes_back_to_the_saved_file(main_window, world, tmp_path):
    path = tmp_path / "w.sandbox"
    save_scenario(world, path)
    assert main_window.open_path(str(path))
    main_window.document.undo_stack.push(UpdateStateCommand(main_window.document.scenario, "GER", power=1.0))
    main_window.revert()
    assert main_window.document.scenario.state("GER").power == 14.2
    assert not main_window.isWindowModified()


def test_started_without_a_file_shows_an_untitled_copy_of_the_default_example(make_window):
    window = make_window()
    assert window.document.path is None
    assert "Untitled" in window.windowTitle()
    assert window.document.scenario == load_example(DEFAULT_EXAMPLE)
    assert len(window.canvas.state_items) == len(window.document.scenario.states) > 0


def test_open_example_menu_lists_the_library_and_opens_an_untitled_copy(main_window):
    titles = [action.text() for action in main_window.examples_menu.actions()]
    assert titles == [example.title for example in list_examples()]
    main_window.examples_menu.actions()[0].trigger()
    assert main_window.document.scenario == load_scenario(list_examples()[0].path)
    assert main_window.document.path is None and not main_window.isWindowModified()
