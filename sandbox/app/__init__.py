"""The desktop app (PySide6), a view over the core, in rooms that import one way (top to bottom):

- ``shell``: entry point, Qt start-up, the main window that puts the rooms together;
- ``workshop``: presenter mode, welcome and tour, what-if, experiments, debrief pack;
- ``run`` and ``panels``: the live run (controller, timeline, log, charts) and the editing docks;
- ``canvas``: the map, its items, tools and legend;
- ``editing``: undo commands and the clipboard;
- ``document``: the open scenario, its file, undo stack and recovery;
- ``style``: colours, fonts and palettes.
"""
