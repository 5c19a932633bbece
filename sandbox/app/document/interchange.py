"""File > Import Graph and File > Export > Graph: worlds to and from Gephi, yEd and
networkx as GraphML, GEXF or node-link JSON, with the same mapping as the CLI's
``convert`` (:mod:`sandbox.core.io.graphio`).

Import replaces the open scenario the way Open does: it asks about unsaved
changes first, and a bad file shows its problems in a dialog and leaves the open
scenario as it was. What the import changed to fit the graph (ids that are not
state ids, such as Gephi's ``0.0``, mapped) is said in the status bar; a graph
whose nodes have no power can take each node's degree instead. The imported
world opens untitled, so Save asks where to put the ``.sandbox`` file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from sandbox.app.document.exports import refuse_open_scenario
from sandbox.core.io.fileformat import ScenarioFileError
from sandbox.core.io.graphio import (
    GRAPH_SUFFIXES,
    POWER_FROM_DEGREE,
    MissingPowerError,
    read_graph,
    write_graph,
)

# One dialog filter per format, in GRAPH_SUFFIXES order; a name typed without a suffix takes the chosen one.
FORMAT_FILTERS = {
    "GraphML (*.graphml)": ".graphml",
    "GEXF (*.gexf)": ".gexf",
    "Node-link JSON (*.json)": ".json",
}
IMPORT_FILTER = f"Graphs ({' '.join('*' + s for s in GRAPH_SUFFIXES)});;{';;'.join(FORMAT_FILTERS)}"


class Interchange(QObject):
    """The import and export actions of one main window.

    ``import_action`` sits in the File menu after Open Recent, ``export_action``
    in File > Export. ``ask_import_path`` and ``ask_export_path`` are the dialogs
    (tests replace them)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.import_action = QAction("&Import Graph...", window)
        self.import_action.setStatusTip("Open a GraphML, GEXF or node-link JSON graph (Gephi, yEd, networkx)")
        self.import_action.triggered.connect(self.import_dialog)
        self.export_action = QAction("&Graph (GraphML, GEXF, JSON)...", window)
        self.export_action.setStatusTip("Write the world as a graph for Gephi, yEd or networkx")
        self.export_action.triggered.connect(self.export_dialog)

    # -- dialogs (tests replace these) ------------------------------------------------

    def ask_import_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import graph", self.window._folder(), IMPORT_FILTER
        )
        return path or None

    def ask_power_from_degree(self, error: MissingPowerError) -> bool:
        """Whether to import a graph whose nodes lack power with each node's degree as its power."""
        answer = QMessageBox.question(
            self.window,
            "Import graph",
            f"{error.problems[0].split(';')[0]}.\n\nImport it with each node's number of ties "
            "(its degree) as its power?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_export_path(self) -> str | None:
        stem = Path(self.window.document.path or "scenario.sandbox").stem
        path, chosen = QFileDialog.getSaveFileName(
            self.window,
            "Export graph",
            str(Path(self.window._folder()) / f"{stem}.graphml"),
            ";;".join(FORMAT_FILTERS),
        )
        if path and Path(path).suffix.lower() not in GRAPH_SUFFIXES:
            path += FORMAT_FILTERS.get(chosen, ".graphml")
        return path or None

    # -- actions ------------------------------------------------------------------------

    def import_dialog(self) -> bool:
        """Ask about unsaved changes, then for a graph file, and open it."""
        if not self.window.maybe_save():
            return False
        path = self.ask_import_path()
        return self.import_graph(path) if path else False

    def import_graph(self, path: str) -> bool:
        """Replace the open scenario with the graph at ``path`` (untitled); on bad input
        show the problems and keep the open scenario. True if it opened."""
        notes: list[str] = []
        try:
            try:
                scenario = read_graph(path, notes=notes)
            except MissingPowerError as error:
                if not self.ask_power_from_degree(error):
                    raise
                notes.clear()
                scenario = read_graph(path, POWER_FROM_DEGREE, notes)
        except ScenarioFileError as error:
            self.window.show_file_error(error)
            return False
        self.window.document.replace(scenario, None)
        # what was changed to fit the graph (ids mapped) is said once, with the import
        self.window.statusBar().showMessage("; ".join([f"Imported {path}", *notes]), 10000 if notes else 4000)
        return True

    def export_dialog(self) -> bool:
        path = self.ask_export_path()
        return self.export_graph(path) if path else False

    def export_graph(self, path: str) -> bool:
        """Write the open scenario as a graph (format by extension); errors go to a dialog."""
        try:
            refuse_open_scenario(path)
            write_graph(self.window.document.scenario, path)
        except (OSError, ScenarioFileError) as error:
            self.window.show_save_error(f"Could not export {path}:\n{error}")
            return False
        self.window.statusBar().showMessage(f"Exported {path}", 4000)
        return True


def install_interchange(window) -> Interchange:
    """Add File > Import Graph (after Open Recent) and File > Export > Graph to a
    :class:`~sandbox.app.shell.main_window.MainWindow`; returns the actions' owner."""
    interchange = Interchange(window)
    file_menu = window.recent_menu.parentWidget()  # addMenu() parents a submenu to its menu
    actions = file_menu.actions()
    after_recent = actions[actions.index(window.recent_menu.menuAction()) + 1 :]
    file_menu.insertAction(after_recent[0] if after_recent else None, interchange.import_action)
    window.export_menu.addAction(interchange.export_action)
    return interchange
