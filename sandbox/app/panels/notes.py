"""The notes dock: the scenario's facilitator notes, rendered from Markdown.

"Edit" switches to the Markdown source; leaving edit mode pushes one undo
command with the new text.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QStackedWidget, QTextBrowser, QVBoxLayout, QWidget

from sandbox.app.document.document import connect_view
from sandbox.app.editing.commands import UpdateMetaCommand
from sandbox.app.style import theme


class NotesView(QWidget):
    """Rendered notes with an Edit/Done toggle; follows the document's scenario."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.browser = QTextBrowser(openExternalLinks=True)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Markdown: # headings, *emphasis*, - lists, [links](https://...)")
        font = QFont(self.browser.font())
        font.setPointSizeF(theme.BASE_FONT_POINTS + 1)
        self.browser.setFont(font)
        self.editor.setFont(QFont("monospace", theme.BASE_FONT_POINTS))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.browser)
        self.stack.addWidget(self.editor)
        self.edit_button = QPushButton("Edit notes", checkable=True)
        self.edit_button.toggled.connect(self.set_editing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.edit_button)
        connect_view(document.signals.scenario_changed, self.show_notes)
        document.scenario_replaced.connect(self._on_replaced)
        self.show_notes()

    def _on_replaced(self, _scenario: object) -> None:
        self.edit_button.setChecked(False)
        self.show_notes()

    def show_notes(self) -> None:
        notes = self.document.scenario.meta.notes
        self.browser.setMarkdown(notes or "*No notes for this scenario. Press Edit notes to write some.*")
        if not self.edit_button.isChecked():
            self.editor.setPlainText(notes)

    def set_editing(self, editing: bool) -> None:
        """Show the source (True) or commit it and show the rendered notes (False)."""
        if not editing:
            text = self.editor.toPlainText()
            scenario = self.document.scenario
            if text != scenario.meta.notes:
                self.document.undo_stack.push(UpdateMetaCommand(scenario, notes=text))
        self.edit_button.setText("Done" if editing else "Edit notes")
        self.stack.setCurrentWidget(self.editor if editing else self.browser)
