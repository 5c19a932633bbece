"""Any screen: the window fits the screen it opens on, Reset Layout, the remembered theme, and
screenshots of any size, mode and theme."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QImage

from sandbox.app.shell.main import parse_args
from sandbox.app.style import theme


@pytest.fixture
def app_look(qapp):
    """The application's style, palette and font are put back after the test."""
    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_a_layout_saved_on_a_bigger_screen_opens_inside_this_one(make_window, world, tmp_path, qtbot):
    settings = QSettings(str(tmp_path / "big.ini"), QSettings.Format.IniFormat)
    first = make_window(world, settings=settings)
    first.setGeometry(-500, -300, 3800, 2400)  # as saved on a 4K screen, partly off to the left
    first.save_layout()
    first.close()
    second = make_window(world, settings=settings)
    area = QGuiApplication.primaryScreen().availableGeometry()
    qtbot.waitUntil(lambda: area.contains(second.frameGeometry()))


def test_reset_layout_brings_back_the_first_layout(main_window):
    window = main_window
    window.inspector_dock.hide()
    window.live.charts.hide()
    window.resize(5000, 5000)
    window.reset_layout_action.trigger()
    assert window.inspector_dock.isVisible() and window.live.charts.isVisible()
    assert QGuiApplication.primaryScreen().availableGeometry().contains(window.frameGeometry())


def test_the_theme_chosen_is_remembered(main_window, app_look, qtbot):
    main_window.theme_actions["projector"].trigger()
    assert theme.palette_theme() == "projector"
    assert main_window.settings.value(theme.THEME_KEY) == "projector"
    qtbot.waitUntil(lambda: main_window.canvas.colors == theme.canvas_colors(False, projector=True))
    main_window.set_theme("light")
    assert main_window.settings.value(theme.THEME_KEY) == "light"


def test_screenshot_options():
    args = parse_args(["--screenshot", "o.png", "--size", "1280x720", "--presenter", "--theme", "dark"])
    assert (args.size, args.presenter, args.theme, args.charts) == ((1280, 720), True, "dark", False)
    assert parse_args(["--screenshot", "o.png", "--charts"]).charts
    for bad in (
        ["--size", "1280x720"],
        ["--charts"],
        ["--screenshot", "o.png", "--size", "12x7"],
        ["--debrief", "d", "--presenter"],
    ):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_a_presenter_screenshot_at_projector_size(tmp_path):
    out = tmp_path / "p.png"
    code = "import sys; from sandbox.app.shell.main import main; sys.exit(main())"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code, "--screenshot", str(out), "--size", "1280x720", "--presenter",
         "--charts", "--theme", "dark"],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
