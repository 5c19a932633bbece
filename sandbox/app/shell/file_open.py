"""Files the operating system asks the app to open: a QFileOpenEvent on macOS
(Finder double-click, a drop on the Dock icon, Open With). Linux and Windows
pass the file on the command line instead (the desktop entry's %f, the .exe's argv).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject


class FileOpenHandler(QObject):
    """An event filter on the application that opens each QFileOpenEvent's file in
    ``window`` with ``window.open_path`` (so unsaved changes are asked about and a
    bad file shows its problems). It lives as long as the window."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen:
            return False
        path = event.file() or event.url().toLocalFile()  # PySide hands the filter a QFileOpenEvent
        if path:
            self.window.open_path(path)
            self.window.activateWindow()
        return True


def install_file_open_handler(window, app: QCoreApplication | None = None) -> FileOpenHandler:
    """Route the app's file-open events to ``window``; call once the window exists and
    before ``app.exec()`` (a launch by double-click delivers its event then)."""
    handler = FileOpenHandler(window)
    (app or QCoreApplication.instance()).installEventFilter(handler)
    return handler
