"""The desktop app (PySide6): main window, canvas, tools, undo, files and the live simulation."""
