"""Starting Qt without aborting: when no display can be opened or the platform plugin lacks a
system library, say so in one plain sentence naming what to install, and exit 1.

Qt reports a platform it cannot start with ``qFatal``, which aborts the process (exit 134, a core
dump). :func:`create_application` installs a message handler for the construction of the
QApplication only: it remembers Qt's warnings, and on the fatal message prints one sentence and
ends the process with exit code 1 before Qt can abort.

The sentence names Debian packages from :data:`XCB_LIBRARY_PACKAGES`, found by ``ldd`` on the xcb
plugin (Qt's own hint names a library that may well be there already). The README's first command
installs the same packages (a test checks both against ``ldd`` and ``dpkg -S``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

# Libraries the Qt wheel's xcb platform plugin links, that a fresh Debian or Ubuntu desktop may
# lack, by soname, and the Debian package of each (the base system supplies the rest).
XCB_LIBRARY_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
}


def xcb_plugin() -> Path:
    """The Qt wheel's xcb platform plugin (it may be absent on macOS and Windows)."""
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    return plugins / "platforms" / "libqxcb.so"


def missing_libraries(plugin: Path | None = None) -> list[str]:
    """The sonames ``ldd`` cannot find for the plugin (empty when it cannot tell)."""
    plugin = plugin or xcb_plugin()
    if not plugin.is_file() or shutil.which("ldd") is None:
        return []
    try:
        out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    missing = [line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line]
    return list(dict.fromkeys(missing))


def failure_sentence(qt_messages: list[str], missing: list[str]) -> str:
    """The one sentence that says why Qt could not start and what to do."""
    if missing:
        packages = sorted({XCB_LIBRARY_PACKAGES.get(name, name) for name in missing})
        return (
            f"security-sandbox cannot start: the Qt display plugin needs {', '.join(missing)}; "
            f"install {' '.join(packages)} (on Debian or Ubuntu: sudo apt-get install "
            f"{' '.join(packages)}) and start it again."
        )
    if any("could not connect to display" in m or "Could not open display" in m for m in qt_messages):
        shown = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        where = f"the display {shown!r} cannot be opened" if shown else "no display is set (DISPLAY is empty)"
        return (
            f"security-sandbox cannot start: {where}; run it in a desktop session, or with "
            "QT_QPA_PLATFORM=offscreen for --screenshot."
        )
    platform = os.environ.get("QT_QPA_PLATFORM", "the default")
    return (
        f"security-sandbox cannot start: Qt could not load its {platform} platform plugin; "
        "reinstall the app with pip (see the README's first command)."
    )


def create_application(argv: list[str]) -> QApplication:
    """The QApplication, or exit 1 with one sentence on stderr when Qt cannot start."""
    messages: list[str] = []

    def handler(kind, _context, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            print(failure_sentence(messages, missing_libraries()), file=sys.stderr, flush=True)
            os._exit(1)  # Qt aborts right after this handler returns
        messages.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        app = QApplication.instance() or QApplication(argv)
    finally:
        qInstallMessageHandler(previous)
    return app
