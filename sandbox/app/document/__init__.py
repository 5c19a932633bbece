"""The open scenario of a window: its file, undo stack, autosave, recovery, import and export of graphs."""
