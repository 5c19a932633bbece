"""Entry point of the desktop app: ``security-sandbox [FILE] [--screenshot OUT.png [--ticks N]]``.

With no FILE the default example opens as an untitled copy. ``--screenshot``
shows the window at 1600x1000, runs N ticks of the scenario's scripted events,
saves a PNG of the whole window and exits 0 (also offscreen). A bad FILE prints
its problems on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from sandbox.app import theme
from sandbox.app.file_open import install_file_open_handler
from sandbox.app.main_window import APP_NAME, MainWindow, app_icon
from sandbox.core.fileformat import ScenarioFileError, load_scenario

SCREENSHOT_SIZE = (1600, 1000)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="security-sandbox", description=APP_NAME)
    parser.add_argument("file", nargs="?", help="a .sandbox scenario to open")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save a PNG of the window and exit")
    parser.add_argument(
        "--ticks", type=int, default=0, metavar="N", help="ticks to run before the screenshot"
    )
    args = parser.parse_args(argv)
    if args.ticks < 0:
        parser.error("--ticks must be >= 0")
    if args.ticks and not args.screenshot:
        parser.error("--ticks only goes with --screenshot")
    return args


def take_screenshot(window: MainWindow, out: str, ticks: int) -> int:
    """Show the window at a fixed size, run ``ticks`` ticks, save it as PNG; the exit code."""
    app = QApplication.instance()
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    app.processEvents()
    window.canvas.fit_all()
    if ticks:
        live = getattr(window, "live", None)
        if live is None:
            print(
                "security-sandbox: --ticks needs the live simulation, which is not available", file=sys.stderr
            )
            return 2
        live.controller.run_ticks(ticks)
    for _ in range(3):  # let queued restyles and layouts settle
        app.processEvents()
    if not window.grab().save(out, "PNG"):
        print(f"security-sandbox: could not write {out}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName("CollectiveSecuritySandbox")
    QCoreApplication.setApplicationName("security-sandbox")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    theme.apply_theme(app)
    scenario = path = None
    if args.file:
        try:
            scenario, path = load_scenario(args.file), str(Path(args.file).resolve())
        except ScenarioFileError as error:
            print(error, file=sys.stderr)
            return 2
    if args.screenshot:
        # a screenshot is reproducible: no saved layout, and the user's settings stay untouched
        with tempfile.TemporaryDirectory() as folder:
            settings = QSettings(str(Path(folder) / "screenshot.ini"), QSettings.Format.IniFormat)
            window = MainWindow(
                scenario, path, settings=settings, restore_layout=False, recovery_dir=Path(folder)
            )
            return take_screenshot(window, args.screenshot, args.ticks)
    window = MainWindow(scenario, path, extensions=False)
    install_file_open_handler(window)  # macOS hands double-clicked .sandbox files over as events
    window.show()
    app.processEvents()  # the window is on screen before the heavier parts load
    window.install_extensions()
    window.offer_recovery()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
