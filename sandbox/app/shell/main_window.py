"""The main window: canvas in the centre, inspector/treaty/notes docks, tool bars,
menus, file handling with unsaved-changes prompts, and recovery after a crash.

For the live simulation it offers ``canvas``, ``document``, ``run_toolbar``,
``simulation_menu``, ``view_menu``, ``export_menu`` and the ``tool_changed(name)``
signal. Dialogs go through small ``ask_*``/``show_*`` methods that tests replace.
"""

from __future__ import annotations

import re
from datetime import datetime
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabBar,
    QToolBar,
)

from sandbox.app.canvas.canvas import Canvas
from sandbox.app.canvas.tools import TOOL_CLASSES
from sandbox.app.document.document import Document, RecentFiles, Recovery, orphaned_recoveries
from sandbox.app.editing.clipboard import paste_json, selection_to_json
from sandbox.app.editing.commands import delete_selection
from sandbox.app.panels.inspector import Inspector, TreatyList, treaty_icon
from sandbox.app.panels.notes import NotesView
from sandbox.app.style import theme
from sandbox.app.style.vocabulary import TREATY_TYPE_NAMES
from sandbox.core.examples import DEFAULT_EXAMPLE, UnknownExampleError, list_examples, load_example
from sandbox.core.io.fileformat import ScenarioFileError, load_scenario
from sandbox.core.scenario import TREATY_TYPES, Scenario, ScenarioEditError

APP_NAME = "Collective Security Sandbox"
FILE_FILTER = "Scenarios (*.sandbox);;All files (*)"
DEFAULT_SIZE = (1500, 950)  # on a first start; never more than the screen's available area
RIGHT_COLUMN_SHARE, RIGHT_COLUMN_MIN = 0.28, 360  # of the window's width, in pixels
MOUSE_GESTURES = (
    ("Wheel", "Zoom the map"),
    ("Middle button drag, Space + drag", "Pan the map"),
    ("Shift + click, Shift + drag", "Add to the selection"),
    ("Hover a state", "Why it did what it did"),
)
TOOL_SHORTCUTS = {"select": "V", "add-state": "N", "link": "L", "attack": "A"}


JSON_HINTS = (  # what the JSON reader says, and what to look for
    ("Expecting ',' delimiter", "a comma or a quote is out of place"),
    ("Expecting ':' delimiter", "a colon is missing after a name"),
    ("Expecting property name", "a name in quotes is missing, or a comma too many"),
    ("Expecting value", "a value is missing, or a comma too many"),
    ("Unterminated string", "a quote is not closed"),
    ("Extra data", "there is more after the end of the scenario"),
    ("Invalid control character", "a line break or tab is inside a quoted text"),
)


def plain_problem(problem: str, source: str) -> str:
    """A problem as the file reader gives it, with the place in words and a plain hint."""
    if problem == "no such file":
        return f"there is no file at {source}"
    place = re.match(r"(\d+):(\d+): (.*)", problem)
    if not place:
        return problem
    line, column, said = place.groups()
    hint = next((plain for code, plain in JSON_HINTS if code in said), None)
    return (
        f"line {line}, column {column}: {hint} ({said})" if hint else f"line {line}, column {column}: {said}"
    )


def app_icon() -> QIcon:
    """The app icon if the packaging resources have it, else an empty icon."""
    icon = resources.files("sandbox.resources") / "icons" / "security-sandbox.svg"
    return QIcon(str(icon)) if icon.is_file() else QIcon()


def default_scenario() -> Scenario:
    """The default example as an untitled copy (an empty world if it is not bundled)."""
    try:
        return load_example(DEFAULT_EXAMPLE)
    except (UnknownExampleError, ScenarioFileError):
        return Scenario()


class MainWindow(QMainWindow):
    """One scenario document in one window."""

    tool_changed = Signal(str)

    def __init__(
        self,
        scenario: Scenario | None = None,
        path: str | None = None,
        *,
        settings: QSettings | None = None,
        recovery_dir: Path | None = None,
        restore_layout: bool = True,
        extensions: bool = True,
    ):
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.recent = RecentFiles(self.settings)
        self.document = Document(
            scenario if scenario is not None else default_scenario(), path, recovery_dir, self
        )
        self.canvas = Canvas(self.document, self)
        self.setCentralWidget(self.canvas)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )

        self.inspector = Inspector(self.document, self.canvas)
        self.treaty_list = TreatyList(self.document, self.canvas)
        self.notes = NotesView(self.document)
        self.inspector_dock = self._dock("Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea)
        self.treaty_dock = self._dock("Treaties", self.treaty_list, Qt.DockWidgetArea.RightDockWidgetArea)
        self.notes_dock = self._dock("Notes", self.notes, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.inspector_dock, self.treaty_dock)
        self.tabifyDockWidget(self.treaty_dock, self.notes_dock)
        self.inspector_dock.raise_()

        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self.hint = QLabel()
        self.statusBar().addWidget(self.hint, 1)
        self.canvas.message.connect(self.show_status)
        self.canvas.tool_changed.connect(self._on_tool_changed)
        self.document.selection.changed.connect(self._update_edit_actions)
        self.document.undo_stack.cleanChanged.connect(self._update_title)
        self.document.path_changed.connect(self._update_title)
        self.document.scenario_replaced.connect(self._update_title)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._follow_system_scheme)
        self._on_tool_changed(self.canvas.tool.name)
        self._update_title()
        self._update_edit_actions()
        self.resize(*DEFAULT_SIZE)
        self.live = self.workshop = self.interchange = None
        self._restore_docks = restore_layout
        self._default_state: QByteArray | None = None  # the docks' first layout (Reset Layout)
        self._shown_once = False
        if restore_layout:
            self.restoreGeometry(self.settings.value("window/geometry") or b"")
        self.fit_to_screen()
        if extensions:
            self.install_extensions()

    def install_extensions(self) -> None:
        """Add the live simulation, the workshop tools and graph interchange to the window.

        ``__init__`` does it unless told not to; ``main()`` does it just after the first show,
        so the window appears before pyqtgraph and the engine are loaded."""
        from sandbox.app.run.live import install_live_simulation  # the live view builds on this window

        self.live = install_live_simulation(self)
        self.arrange_docks()
        from sandbox.app.workshop.workshop import (
            install_workshop,
        )  # presenter mode, what-if, experiments, debrief

        self.workshop = install_workshop(self)
        from sandbox.app.document.interchange import (
            install_interchange,
        )  # File > Import Graph, Export > Graph

        self.interchange = install_interchange(self)
        self._default_state = self.saveState()
        if self._restore_docks:  # once every dock exists, so each goes back to its place
            self.restoreState(self.settings.value("window/state") or b"")

    # -- construction --------------------------------------------------------------

    def _dock(self, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower() + "_dock")  # saveState finds docks by name
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new_scenario, key.New, "Start an empty scenario")
        self.open_action = self._action("&Open...", self.open_dialog, key.Open, "Open a .sandbox file")
        self.save_action = self._action("&Save", self.save, key.Save)
        self.save_as_action = self._action("Save &As...", self.save_as, key.SaveAs)
        self.revert_action = self._action("&Revert to Saved", self.revert)
        self.close_action = self._action("&Close", self.close, key.Close)
        self.quit_action = self._action("&Quit", QApplication.closeAllWindows, key.Quit)
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(key.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(key.Redo))
        self.copy_action = self._action("&Copy", self.copy_selection, key.Copy)
        self.paste_action = self._action("&Paste", self.paste, key.Paste)
        self.delete_action = self._action("&Delete", self.delete_selection, key.Delete)
        self.select_all_action = self._action("Select &All", self.canvas.select_all, key.SelectAll)
        self.zoom_in_action = self._action("Zoom &In", self.canvas.zoom_in, key.ZoomIn)
        self.zoom_out_action = self._action("Zoom &Out", self.canvas.zoom_out, key.ZoomOut)
        self.fit_action = self._action("&Fit to View", self.canvas.fit_all, "F")
        self.theme_actions: dict[str, QAction] = {}
        themes = QActionGroup(self)
        current = theme.palette_theme()
        for name in theme.THEMES:
            action = self._action(f"&{name.capitalize()}", lambda _c=False, n=name: self.set_theme(n))
            action.setCheckable(True)
            action.setChecked(name == current)
            themes.addAction(action)
            self.theme_actions[name] = action
        self.reset_layout_action = self._action(
            "&Reset Layout",
            self.reset_layout,
            tip="Put the window, panels and tool bars back as they first were",
        )
        self.tool_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for tool in TOOL_CLASSES:
            action = self._action(tool.label, lambda _c=False, n=tool.name: self.canvas.set_tool(n))
            action.setShortcut(QKeySequence(TOOL_SHORTCUTS[tool.name]))
            action.setCheckable(True)
            action.setStatusTip(tool.hint)
            group.addAction(action)
            self.tool_actions[tool.name] = action
        self.tool_actions["select"].setChecked(True)
        self.addActions([*self.tool_actions.values(), self.fit_action])

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.examples_menu = file_menu.addMenu("Open &Example")
        for example in list_examples():
            self.examples_menu.addAction(example.title, lambda p=example.path: self.open_example(p))
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action, self.revert_action])
        self.export_menu = file_menu.addMenu("&Export")
        file_menu.addSeparator()
        file_menu.addActions([self.close_action, self.quit_action])

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions(
            [self.copy_action, self.paste_action, self.delete_action, self.select_all_action]
        )
        edit_menu.addSeparator()
        edit_menu.addActions(list(self.tool_actions.values()))

        self.view_menu = bar.addMenu("&View")
        self.view_menu.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        self.view_menu.addSeparator()
        for dock in (self.inspector_dock, self.treaty_dock, self.notes_dock):
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addMenu("&Theme").addActions(list(self.theme_actions.values()))
        self.view_menu.addAction(self.reset_layout_action)

        self.simulation_menu = bar.addMenu("&Simulation")
        help_menu = bar.addMenu("&Help")
        help_menu.addAction("&Quick Start", self.show_quick_start)
        help_menu.addAction("&Keyboard Shortcuts", self.show_shortcuts)
        help_menu.addAction("&About", self.show_about)

    def _build_toolbars(self) -> None:
        tools = QToolBar("Tools", self)
        tools.setObjectName("tools_toolbar")
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addActions(list(self.tool_actions.values()))
        self.treaty_type_picker = QComboBox()
        self.treaty_type_picker.setToolTip("Type of treaty the Add treaty tool draws")
        for kind in TREATY_TYPES:
            self.treaty_type_picker.addItem(treaty_icon(kind), TREATY_TYPE_NAMES[kind], kind)
        self.treaty_type_picker.currentIndexChanged.connect(
            lambda _i: self.set_treaty_type(self.treaty_type_picker.currentData())
        )
        tools.addWidget(self.treaty_type_picker)
        tools.addSeparator()
        tools.addActions(self._steady_undo_buttons())
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tools)
        self.tools_toolbar = tools
        self.run_toolbar = QToolBar("Run", self)
        self.run_toolbar.setObjectName("run_toolbar")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.run_toolbar)
        self.view_menu.addSeparator()
        self.view_menu.addActions([tools.toggleViewAction(), self.run_toolbar.toggleViewAction()])

    def _steady_undo_buttons(self) -> list[QAction]:
        """Undo and Redo for the tool bar, always so named: the menu's actions say what they undo
        ("Undo Move Germany"), which on the tool bar would shift every button after them. The
        tool bar's say it in their tooltips."""
        stack = self.document.undo_stack
        buttons = []
        for name, slot, can_changed, can, text_changed, text in (
            ("Undo", stack.undo, stack.canUndoChanged, stack.canUndo, stack.undoTextChanged, stack.undoText),
            ("Redo", stack.redo, stack.canRedoChanged, stack.canRedo, stack.redoTextChanged, stack.redoText),
        ):
            button = QAction(name, self)
            button.triggered.connect(slot)
            can_changed.connect(button.setEnabled)
            text_changed.connect(lambda what, b=button, n=name: b.setToolTip(f"{n} {what}".strip()))
            button.setEnabled(can())
            button.setToolTip(f"{name} {text()}".strip())
            buttons.append(button)
        self.undo_button, self.redo_button = buttons
        return buttons

    # -- state of the window -----------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _update_title(self, *_why) -> None:
        self.setWindowTitle(f"{self.document.display_name()}[*] - {APP_NAME}")
        self.setWindowModified(self.document.modified)
        self.revert_action.setEnabled(self.document.path is not None)

    def _on_tool_changed(self, name: str) -> None:
        self.tool_actions[name].setChecked(True)
        self.hint.setText(self.canvas.tools[name].hint)
        self.tool_changed.emit(name)

    def _update_edit_actions(self) -> None:
        has_selection = bool(self.document.selection)
        self.delete_action.setEnabled(has_selection)
        self.copy_action.setEnabled(bool(self.document.selection.states))

    def set_treaty_type(self, kind: str) -> None:
        """The treaty type the link tool draws next; picking one switches to that tool."""
        self.canvas.tools["link"].treaty_type = kind
        self.treaty_type_picker.setCurrentIndex(TREATY_TYPES.index(kind))
        self.canvas.set_tool("link")

    def _follow_system_scheme(self, scheme: Qt.ColorScheme) -> None:
        if not self.settings.value(theme.THEME_KEY):  # a theme the user chose stays
            self.set_theme("dark" if scheme == Qt.ColorScheme.Dark else "light", remember=False)

    def set_theme(self, name: str, remember: bool = True) -> None:
        """Switch the application to a theme of theme.THEMES; remembered for the next start."""
        theme.apply_theme(QApplication.instance(), name)
        self.theme_actions[name].setChecked(True)
        if remember:
            self.settings.setValue(theme.THEME_KEY, name)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def fit_to_screen(self) -> None:
        """Shrink and move the window into its screen's available area (a layout restored from a
        bigger screen, or the default size on a small one, would hang off its edges)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
        y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def arrange_docks(self) -> None:
        """The default layout: the map on the left with the window's whole height, on the right
        the editing docks as tabs above the run's log and charts as tabs."""
        width = max(RIGHT_COLUMN_MIN, int(self.width() * RIGHT_COLUMN_SHARE))
        self.resizeDocks([self.inspector_dock], [width], Qt.Orientation.Horizontal)
        if self.live is not None:
            self.resizeDocks([self.inspector_dock, self.live.event_log], [1, 1], Qt.Orientation.Vertical)

    def hide_stray_tab_bars(self) -> None:
        """Hide the tab bars of dock groups that no dock is next to. Qt (6.x) leaves a copy of a
        tab bar behind when docks are tabified before the window is first shown; it keeps the
        place and tabs of that first layout, drawn over the map or a panel (the "Event log |
        Charts" tabs presenter mode showed at the foot of the map), and empty ones that moving docks
        between tab groups leaves."""
        docks = [d.geometry() for d in self.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
        kept: list = []
        for bar in self.findChildren(QTabBar):
            if bar.parent() is not self or not bar.isVisible():
                continue
            rect = bar.geometry()
            beside_a_dock = any(
                dock.left() == rect.left()
                and dock.width() == rect.width()
                and (abs(rect.top() - dock.bottom()) <= 2 or abs(dock.top() - rect.bottom()) <= 2)
                for dock in docks
            )
            if beside_a_dock and bar.count() and rect not in kept:
                kept.append(rect)
            else:
                bar.hide()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._shown_once:  # the frame's margins are known once shown: fit with them
            self._shown_once = True
            QTimer.singleShot(0, self.fit_to_screen)
            QTimer.singleShot(0, self.hide_stray_tab_bars)

    def reset_layout(self) -> None:
        """View > Reset Layout: the window, docks and tool bars as on a first start."""
        if self._default_state is not None:
            self.restoreState(self._default_state)
        for dock in self.findChildren(QDockWidget):
            dock.setFloating(False)
        self.showNormal()
        self.resize(*DEFAULT_SIZE)
        self.fit_to_screen()
        self.arrange_docks()
        self.hide_stray_tab_bars()
        self.canvas.fit_all()

    # -- dialogs (tests replace these) --------------------------------------------------

    def ask_save_changes(self) -> str:
        """'save', 'discard' or 'cancel' for the unsaved changes."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"Save the changes to {self.document.display_name()}?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def ask_open_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, "Open scenario", self._folder(), FILE_FILTER)
        return path or None

    def ask_save_path(self) -> str | None:
        name = self.document.path or str(Path(self._folder()) / "scenario.sandbox")
        path, _ = QFileDialog.getSaveFileName(self, "Save scenario", name, FILE_FILTER)
        if path and not Path(path).suffix:
            path += ".sandbox"
        return path or None

    def ask_restore(self, recovery: Recovery) -> bool:
        when = datetime.fromtimestamp(recovery.saved_at).strftime("%Y-%m-%d %H:%M")
        original = recovery.original_path or "an untitled scenario"
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f'The app closed unexpectedly while editing "{recovery.title}" ({original}).\n'
            f"Restore the changes autosaved at {when}?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_file_error(
        self, error: ScenarioFileError, instead: str = "The scenario that was open stays open."
    ) -> None:
        """The problems of a bad file, one per line with its place and a plain hint."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_NAME, f"Cannot open {Path(error.source).name}", parent=self
        )
        problems = [plain_problem(problem, error.source) for problem in error.problems]
        box.setInformativeText(
            "\n".join([*problems[:12], *(["..."] if len(problems) > 12 else []), "", instead])
        )
        box.setDetailedText("\n".join(problems))
        box.exec()

    def show_save_error(self, message: str) -> None:
        QMessageBox.warning(self, APP_NAME, message)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            APP_NAME,
            f"<h3>{APP_NAME}</h3><p>Draw states and treaties, trigger an attack, and watch "
            "collective-security obligations cascade.</p>",
        )

    def show_quick_start(self) -> None:
        QMessageBox.information(
            self,
            "Quick start",
            "N: add a state (click on empty space)\nL: add a treaty (drag from one state to another)\n"
            "A: attack (click the aggressor, then the target)\nV: select and move\n"
            "Wheel: zoom, middle button or Space-drag: pan, F: fit to view\n"
            "Help > Keyboard Shortcuts lists every key.",
        )

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every action of the window that has a key, presenter mode's
        included, in menu order; then the mouse's gestures."""
        rows: dict[str, str] = {}
        for action in self.findChildren(QAction):
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")
            if keys and what:
                rows.setdefault(f"{keys}|{what}", what)
        listed = [(key.split("|")[0], what) for key, what in rows.items()]
        return listed + list(MOUSE_GESTURES)

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in self.shortcuts())
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", "", parent=self)
        box.setText(f"<table cellspacing=4>{rows}</table>")
        box.exec()

    def _folder(self) -> str:
        return str(Path(self.document.path).parent) if self.document.path else str(Path.home())

    # -- files --------------------------------------------------------------------------

    def maybe_save(self) -> bool:
        """True when it is fine to drop the document (saved, discarded, or unmodified)."""
        if not self.document.modified:
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_scenario(self) -> None:
        if self.maybe_save():
            self.document.replace(Scenario(), None)

    def open_dialog(self) -> None:
        if self.maybe_save():
            path = self.ask_open_path()
            if path:
                self.open_path(path, ask=False)

    def open_path(self, path: str, ask: bool = True) -> bool:
        """Open a file; a bad file shows its problems and keeps the open scenario."""
        if ask and not self.maybe_save():
            return False
        try:
            self.document.open(path)
        except ScenarioFileError as error:
            self.show_file_error(error)
            return False
        self.recent.add(path)
        return True

    def open_example(self, path: Path) -> bool:
        """Open a bundled example as an untitled copy (saving asks for a new name)."""
        if not self.maybe_save():
            return False
        try:
            scenario = load_scenario(path)
        except ScenarioFileError as error:
            self.show_file_error(error)
            return False
        self.document.replace(scenario, None)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        return self._save_to(path) if path else False

    def _save_to(self, path: str) -> bool:
        try:
            self.document.save(path)
        except (OSError, ScenarioFileError) as error:
            self.show_save_error(f"Could not save {path}:\n{error}")
            return False
        self.recent.add(path)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def revert(self) -> None:
        if self.document.path and (not self.document.modified or self.ask_save_changes() == "discard"):
            self.open_path(self.document.path, ask=False)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent.files():
            self.recent_menu.addAction(Path(path).name, lambda p=path: self.open_path(p)).setStatusTip(path)
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear List", self.recent.clear)

    def offer_recovery(self) -> bool:
        """Offer the newest autosave left by a session that died; True if one was restored.
        Declined recoveries are deleted."""
        for recovery in orphaned_recoveries(self.document.recovery_dir):
            if self.ask_restore(recovery):
                try:
                    self.document.restore(recovery)
                except ScenarioFileError as error:
                    recovery.discard()
                    self.show_file_error(error)
                    continue
                return True
            recovery.discard()
        return False

    def dragEnterEvent(self, event) -> None:
        if self._dropped_file(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = self._dropped_file(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_path(path)

    @staticmethod
    def _dropped_file(mime) -> str | None:
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile() and url.toLocalFile().endswith(".sandbox"):
                return url.toLocalFile()
        return None

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        if self.live is not None:  # stop play and end the worker thread before the widgets go
            self.live.close()
        self.document.discard_recovery()
        self.save_layout()
        event.accept()

    # -- edit -----------------------------------------------------------------------------

    def delete_selection(self) -> None:
        delete_selection(
            self.document.undo_stack,
            self.document.scenario,
            self.document.selection.states,
            self.document.selection.treaties,
        )

    def copy_selection(self) -> None:
        ids = [s.id for s in self.document.scenario.states if s.id in self.document.selection.states]
        if ids:
            QGuiApplication.clipboard().setText(selection_to_json(self.document.scenario, ids))

    def paste(self) -> None:
        try:
            new_ids = paste_json(
                self.document.undo_stack, self.document.scenario, QGuiApplication.clipboard().text()
            )
        except ScenarioEditError as error:  # nothing was changed, nothing pushed
            self.statusBar().showMessage(f"Cannot paste: {error}", 8000)
            return
        if new_ids:
            self.canvas.select(new_ids, [])
        else:
            self.statusBar().showMessage("The clipboard holds no copied states", 4000)
