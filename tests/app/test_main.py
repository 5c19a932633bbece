"""The entry point: --screenshot writes a PNG offscreen; a bad file exits 2 with a message."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage
from settling import wait_queue_handled

from sandbox.app.shell.main import parse_args
from sandbox.app.shell.main_window import plain_problem
from sandbox.core.io.fileformat import save_scenario

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _run(*args: str) -> subprocess.CompletedProcess:
    code = "import sys; from sandbox.app.shell.main import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=ENV, capture_output=True, text=True, timeout=120
    )


def test_screenshot_writes_a_png_of_the_whole_window(world, tmp_path):
    scenario_file, out = tmp_path / "w.sandbox", tmp_path / "shot.png"
    save_scenario(world, scenario_file)
    result = _run(str(scenario_file), "--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)
    # not blank: the canvas drew discs and ties in more than a handful of colours
    colours = {image.pixel(x, y) for x in range(0, 1600, 7) for y in range(0, 1000, 7)}
    assert len(colours) > 50


def test_screenshot_after_ticks_shows_the_run(tmp_path):
    out = tmp_path / "run.png"
    result = _run("--screenshot", str(out), "--ticks", "4")  # the default example
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1600


def test_a_bad_file_exits_2_with_the_problems_on_stderr(tmp_path):
    bad = tmp_path / "bad.sandbox"
    bad.write_text("{ nope")
    out = tmp_path / "shot.png"
    result = _run(str(bad), "--screenshot", str(out))
    assert result.returncode == 2
    assert "bad.sandbox:1:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_arguments():
    args = parse_args(["x.sandbox", "--screenshot", "o.png", "--ticks", "5"])
    assert (args.file, args.screenshot, args.ticks) == ("x.sandbox", "o.png", 5)
    assert parse_args([]).file is None


def test_main_shows_the_window_then_adds_the_live_view(qapp, world, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from sandbox.app.shell.main import main
    from sandbox.app.shell.main_window import MainWindow

    path = tmp_path / "w.sandbox"
    save_scenario(world, path)
    monkeypatch.setattr(MainWindow, "ask_restore", lambda self, recovery: False)
    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    seen = {}

    def shown_window() -> MainWindow:
        return next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())

    show = MainWindow.show

    def show_and_look(window):  # what the window holds the moment it is shown, however slow the machine
        show(window)
        seen["shown before the live view"] = window.live is None

    def event_loop(app) -> int:  # instead of a real exec(), which the rest of the session would feel
        window = shown_window()
        seen.update(
            live=window.live is not None, title=window.windowTitle(), states=len(window.canvas.state_items)
        )
        window.close()
        return 0

    monkeypatch.setattr(MainWindow, "show", show_and_look)
    monkeypatch.setattr(QApplication, "exec", event_loop)
    try:
        assert main([str(path)]) == 0
    finally:  # main() themes the application: later tests get it back as it was
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setFont(font)
    assert seen == {
        "shown before the live view": True,
        "live": True,
        "title": "w.sandbox[*] - Collective Security Sandbox",
        "states": 8,
    }


def test_closing_the_window_stops_the_run_and_lets_go_of_the_scenario(make_window, world, qtbot):
    window = make_window(world)
    controller = window.live.controller
    controller.threaded = True  # a worker thread that closing must end
    controller.play()
    qtbot.waitUntil(lambda: controller.ticks_done >= 1)
    assert window.close()
    assert not controller.playing
    assert controller._executor is None  # the worker thread was shut down
    ticks = controller.ticks_done
    world.update_meta(title="Edited after closing")  # would restart a run that still followed edits
    assert controller.ticks_done == ticks
    wait_queue_handled(qtbot)  # the play timer is stopped: whatever was queued has come, and no tick
    assert controller.ticks_done == ticks


@pytest.mark.parametrize(
    ("content", "said"),
    [('{"format": "collective-security-sandbox"\n "version": 1}', "line 2, column 2: a comma or a quote"),
     (None, "there is no file at ")],
)  # fmt: skip
def test_a_bad_file_opens_the_window_over_the_default_example_with_its_problems(
    qapp, tmp_path, monkeypatch, content, said
):
    from PySide6.QtWidgets import QApplication

    from sandbox.app.shell.main import main
    from sandbox.app.shell.main_window import MainWindow

    path = tmp_path / "bad.sandbox"
    if content is not None:
        path.write_text(content)
    shown = {}
    monkeypatch.setattr(MainWindow, "ask_restore", lambda self, recovery: False)
    monkeypatch.setattr(
        MainWindow,
        "show_file_error",
        lambda self, error, instead="": shown.update(error=error, instead=instead),
    )

    earlier = set(qapp.topLevelWidgets())  # another test's window may not be gone yet

    def event_loop(app) -> int:
        window = next(
            w
            for w in qapp.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible() and w not in earlier
        )
        shown["title"] = window.document.scenario.meta.title
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    try:
        assert main([str(path)]) == 0
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setFont(font)
    assert shown["title"] == "July Crisis 1914" and "default example" in shown["instead"]
    problems = [plain_problem(p, shown["error"].source) for p in shown["error"].problems]
    assert any(said in problem for problem in problems), problems
    if content is None:
        assert str(path) in problems[0]
