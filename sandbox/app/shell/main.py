"""Entry point of the desktop app:
``security-sandbox [FILE] [--screenshot OUT.png [--ticks N] [--size WxH] [--presenter] [--charts]
[--theme light|dark|projector]] [--debrief DIR [--ticks N]]``.

With no FILE the default example opens as an untitled copy. ``--screenshot`` shows the window at
WxH (default 1600x1000; offscreen, the screen is made that size, so the window fills it as on a
real screen of that size), optionally in presenter mode and with the charts shown (presenter
mode's C, or the Charts tab raised), runs N ticks of the scenario's scripted
events, saves a PNG of the whole window and exits 0. ``--debrief DIR`` runs N ticks and writes
the debrief pack into DIR without showing a window. A bad FILE prints its problems on stderr and
exits 2 with either option; without them the window opens over the default example with a
dialog listing the problems. When Qt cannot start, one sentence on stderr and exit 1
(:mod:`sandbox.app.shell.startup`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from sandbox.app.shell.file_open import install_file_open_handler
from sandbox.app.shell.main_window import APP_NAME, MainWindow, app_icon
from sandbox.app.shell.startup import create_application
from sandbox.app.style import theme
from sandbox.core.io.fileformat import ScenarioFileError, load_scenario

SCREENSHOT_SIZE = (1600, 1000)
SETTLE_MS = 250  # longer than an item view's delayed layout (100 ms)


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)[xX](\d+)", text)
    if not match or not (320 <= int(match.group(1)) <= 8000 and 240 <= int(match.group(2)) <= 8000):
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT between 320x240 and 8000x8000")
    return int(match.group(1)), int(match.group(2))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="security-sandbox", description=APP_NAME)
    parser.add_argument("file", nargs="?", help="a .sandbox scenario to open")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save a PNG of the window and exit")
    parser.add_argument("--debrief", metavar="DIR", help="write the debrief pack into DIR and exit")
    parser.add_argument("--ticks", type=int, default=0, metavar="N", help="ticks to run first")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size of the screenshot")
    parser.add_argument("--presenter", action="store_true", help="the screenshot in presenter mode")
    parser.add_argument("--charts", action="store_true", help="the screenshot with the charts shown")
    parser.add_argument("--theme", choices=theme.THEMES, help="the screenshot's theme (default light)")
    args = parser.parse_args(argv)
    if args.ticks < 0:
        parser.error("--ticks must be >= 0")
    if args.screenshot and args.debrief:
        parser.error("--screenshot and --debrief go one at a time")
    if args.ticks and not (args.screenshot or args.debrief):
        parser.error("--ticks only goes with --screenshot or --debrief")
    if (args.size or args.presenter or args.charts or args.theme) and not args.screenshot:
        parser.error("--size, --presenter, --charts and --theme only go with --screenshot")
    return args


def use_offscreen_screen(size: tuple[int, int], folder: Path) -> None:
    """Headless (offscreen platform, or none given for --debrief), make Qt's one screen ``size``,
    so the window lays itself out as on a real screen of that size."""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform not in ("", "offscreen"):
        return  # a real display: the window is resized instead
    config = folder / "offscreen-screen.json"
    width, height = size
    screen = {"name": "Screenshot", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def run_ticks(window: MainWindow, ticks: int) -> bool:
    """Run ``ticks`` ticks of the live simulation; False (and a message) when it is missing."""
    if not ticks:
        return True
    if window.live is None:
        print("security-sandbox: --ticks needs the live simulation, which is not available", file=sys.stderr)
        return False
    window.live.controller.run_ticks(ticks)
    return True


def settle(app: QApplication) -> None:
    """Let queued restyles and layouts land, the delayed ones too: an item view lays its rows out
    again a moment after it is resized (the event log's wrapped sentences)."""
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < SETTLE_MS:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def take_screenshot(window: MainWindow, args: argparse.Namespace) -> int:
    """Show the window at the screenshot size, run the ticks, save it as PNG; the exit code."""
    app = QApplication.instance()
    window.resize(*(args.size or SCREENSHOT_SIZE))
    window.show()
    app.processEvents()
    window.resize(*(args.size or SCREENSHOT_SIZE))  # the whole screen, as if maximised
    app.processEvents()
    if args.presenter:
        window.workshop.presenter.set_active(True)
        settle(app)
    if args.charts and window.live is not None:
        window.workshop.presenter.show_panel(window.live.charts)
        settle(app)
    window.canvas.fit_all()
    if not run_ticks(window, args.ticks):
        return 2
    settle(app)
    if not window.grab().save(args.screenshot, "PNG"):
        print(f"security-sandbox: could not write {args.screenshot}", file=sys.stderr)
        return 2
    return 0


def write_debrief_pack(window: MainWindow, args: argparse.Namespace) -> int:
    """Lay the window out offscreen, run the ticks and write the pack into the folder; the exit code."""
    app = QApplication.instance()
    window.resize(*SCREENSHOT_SIZE)
    window.show()  # on the offscreen platform: laid out, never on a screen
    app.processEvents()
    window.canvas.fit_all()
    if not run_ticks(window, args.ticks):
        return 2
    settle(app)
    try:
        window.workshop.debrief.write_into(args.debrief)
    except OSError as error:
        print(
            f"security-sandbox: {error.filename or args.debrief}: {error.strerror or error}", file=sys.stderr
        )
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as folder:
        if args.screenshot or args.debrief:
            use_offscreen_screen(args.size or SCREENSHOT_SIZE, Path(folder))
        return _run(args, Path(folder))


def _run(args: argparse.Namespace, folder: Path) -> int:
    QCoreApplication.setOrganizationName("CollectiveSecuritySandbox")
    QCoreApplication.setApplicationName("security-sandbox")
    app = create_application([sys.argv[0]])
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    headless = bool(args.screenshot or args.debrief)
    scenario = path = None
    problem: ScenarioFileError | None = None
    if args.file:
        try:
            scenario, path = load_scenario(args.file), str(Path(args.file).resolve())
        except ScenarioFileError as error:
            if headless:
                print(error, file=sys.stderr)
                return 2
            problem = error
    if headless:
        # reproducible: no saved layout or theme, and the user's settings stay untouched
        theme.apply_theme(app, args.theme or "light")
        settings = QSettings(str(folder / "screenshot.ini"), QSettings.Format.IniFormat)
        window = MainWindow(scenario, path, settings=settings, restore_layout=False, recovery_dir=folder)
        if args.debrief:
            return write_debrief_pack(window, args)
        return take_screenshot(window, args)
    theme.apply_theme(app, QSettings().value(theme.THEME_KEY))
    window = MainWindow(scenario, path, extensions=False)
    install_file_open_handler(window)  # macOS hands double-clicked .sandbox files over as events
    window.show()
    app.processEvents()  # the window is on screen before the heavier parts load
    window.install_extensions()
    if problem is not None:  # over the default example: the window is there to say what is wrong
        window.show_file_error(problem, "The default example is open instead.")
    else:
        window.offer_recovery()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
