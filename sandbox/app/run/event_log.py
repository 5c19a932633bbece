"""The event log dock: the run narrated sentence by sentence, as it happens.

Each row is one engine ``LogEvent`` (tick, kind, text). During a replay the
events after the viewed tick are greyed out. Clicking an event emits
:attr:`EventLogDock.event_activated`, which the live view turns into a
highlight on the canvas.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from sandbox.app.run import exports
from sandbox.app.style.theme import edge_on
from sandbox.app.style.vocabulary import EVENT_KIND_COLORS, GREY, kind_label
from sandbox.core.text import shown

LOG_FONT_POINTS = 12
LAYOUT_BATCH = 100
ICON_SIZE = 14
DOT_EDGE = 2.0  # the dot's outline, in pixels
MEASURED_ROWS = 20_000  # sentence heights kept (a cache: cleared when it grows past this)


TICK_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_COLOR_ROLE = Qt.ItemDataRole.UserRole + 2


class EventLogModel(QAbstractListModel):
    """Events as rows; appending only ever adds at the end. The display text is
    the sentence; :data:`TICK_ROLE` and :data:`KIND_COLOR_ROLE` carry the rest."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.events: list[Any] = []
        self.view_tick: int | None = None  # None: live, nothing greyed

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        event = self.events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(event.text)
        if role == TICK_ROLE:
            return event.tick
        if role == KIND_COLOR_ROLE:
            color = EVENT_KIND_COLORS.get(event.kind, GREY)
            return QColor(color) if color else QGuiApplication.palette().color(QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{kind_label(event.kind)}, tick {event.tick}"
        if role == Qt.ItemDataRole.ForegroundRole and self.is_future(event):
            # the palette's disabled text: faint in the light and in the dark theme alike
            return QBrush(
                QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
        return None

    def is_future(self, event: Any) -> bool:
        """Whether the event happens after the tick being replayed."""
        return self.view_tick is not None and event.tick > self.view_tick

    def append(self, events: list[Any]) -> None:
        if not events:
            return
        first = len(self.events)
        self.beginInsertRows(QModelIndex(), first, first + len(events) - 1)
        self.events.extend(events)
        self.endInsertRows()

    def reset(self, events: list[Any] | None = None) -> None:
        self.beginResetModel()
        self.events = list(events or [])
        self.view_tick = None
        self.endResetModel()

    def set_view_tick(self, tick: int | None) -> None:
        if tick == self.view_tick:
            return
        self.view_tick = tick
        if self.events:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.events) - 1), [Qt.ItemDataRole.ForegroundRole]
            )


class EventDelegate(QStyledItemDelegate):
    """Draws a row as: tick number, a dot in the kind's colour, the sentence
    wrapped to the width of the view (an item view cannot wrap on its own and
    still know each row's height)."""

    PADDING = 4

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        # each sentence's wrapped height by (text, width, font): the view asks for every row's size
        # each time rows are added, so a long run's log re-measured hundreds of sentences a tick
        self._heights: dict[tuple[str, int, str], int] = {}

    def _columns(self, option: QStyleOptionViewItem) -> tuple[int, int]:
        """(width of the tick column, x where the sentence starts), from the left edge."""
        tick_width = option.fontMetrics.horizontalAdvance("0000")
        return tick_width, tick_width + 2 * self.PADDING + ICON_SIZE + self.PADDING

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        return max(self.view.viewport().width() - self._columns(option)[1] - self.PADDING, 40)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        width = self._text_width(option)
        key = (text, width, option.font.key())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > MEASURED_ROWS:
                self._heights.clear()
            flags = int(Qt.TextFlag.TextWordWrap)
            bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
            height = self._heights[key] = bounds.height()
        return QSize(self.view.viewport().width(), height + 2 * self.PADDING)

    @staticmethod
    def row_background(option: QStyleOptionViewItem) -> QColor:
        """What a row is drawn on: the highlight when selected, else the list's base or, every other
        row, its alternate base."""
        if option.state & QStyle.StateFlag.State_Selected:
            return option.palette.highlight().color()
        if option.features & QStyleOptionViewItem.ViewItemFeature.Alternate:
            return option.palette.alternateBase().color()
        return option.palette.base().color()

    def dot_edge(self, option: QStyleOptionViewItem, dot: QColor) -> QColor:
        """The dot's outline: its own hue, shaded until it stands out 3:1 from the row (WCAG's
        graphical objects), so a pale kind colour (declined's violet) is seen on white too."""
        return edge_on(dot, self.row_background(option))

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = self.view.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, background, painter, self.view)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        if selected:
            color = option.palette.highlightedText().color()
        elif foreground is not None:
            color = foreground.color()
        else:
            color = option.palette.text().color()
        tick_width, text_left = self._columns(option)
        rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        painter.save()
        painter.setPen(color)
        top_line = QRect(rect.left(), rect.top(), tick_width, option.fontMetrics.height())
        align_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(top_line, int(align_right), str(index.data(TICK_ROLE)))
        dot = QColor(index.data(KIND_COLOR_ROLE))
        edge = self.dot_edge(background, dot)
        if foreground is not None and not selected:
            dot.setAlpha(90)  # a future event's dot fades with its text
            edge.setAlpha(90)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(edge, DOT_EDGE))
        painter.setBrush(dot)
        dot_top = top_line.center().y() - ICON_SIZE // 2
        painter.drawEllipse(rect.left() + tick_width + self.PADDING, dot_top, ICON_SIZE, ICON_SIZE)
        painter.setPen(color)
        text_rect = QRect(option.rect.left() + text_left, rect.top(), self._text_width(option), rect.height())
        flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        painter.drawText(text_rect, flags, index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.restore()


class EventLogDock(QDockWidget):
    """The narrated run. :attr:`event_activated` carries the clicked ``LogEvent``."""

    event_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Event log", parent)
        self.setObjectName("EventLogDock")
        self.title = ""  # names the run in exports
        self.model = EventLogModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(EventDelegate(self.view))
        self.view.setAlternatingRowColors(True)
        self.view.setUniformItemSizes(False)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the sentences when the dock is resized
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the width to wrap in never changes when the log first overflows: rows keep their lines
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # rows are measured a batch per event-loop pass: thousands of events in a tick never freeze the window
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(LAYOUT_BATCH)
        self._following = True  # the view shows the end of the log and keeps showing it as rows arrive
        self.view.verticalScrollBar().rangeChanged.connect(self._keep_following)
        self.set_text_scale(1.0)
        self.view.clicked.connect(self._activate)
        self.view.activated.connect(self._activate)
        self.placeholder = QLabel("Press Play, or drag from one state to another with the attack tool.", self)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #666; padding: 6px;")
        self.export_button = QPushButton("Export log…", self)
        self.export_button.setToolTip("Save the narration as plain text (.txt) or Markdown (.md)")
        self.export_button.clicked.connect(self.ask_and_export)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        body = QWidget(self)
        box = QVBoxLayout(body)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.placeholder)
        box.addWidget(self.view, 1)
        box.addLayout(buttons)
        self.setWidget(body)
        self._update_placeholder()

    @property
    def events(self) -> list[Any]:
        return self.model.events

    def set_text_scale(self, scale: float) -> None:
        """The sentences at ``scale`` times LOG_FONT_POINTS (presenter mode's large type); every
        row is measured again, so a wrapped sentence keeps all its lines."""
        font = QFont(self.view.font())
        font.setPointSizeF(LOG_FONT_POINTS * scale)
        self.view.setFont(font)
        self.model.layoutChanged.emit()  # the rows' heights follow the type

    def append(self, events: list[Any]) -> None:
        """Add a step's events; follows the end of the log if it was showing it."""
        if not events:
            return
        scrollbar = self.view.verticalScrollBar()
        self._following = scrollbar.value() >= scrollbar.maximum() - 2
        self.model.append(events)
        self._update_placeholder()
        self._keep_following()

    def _keep_following(self, *_: int) -> None:
        if self._following:
            self.view.verticalScrollBar().setValue(self.view.verticalScrollBar().maximum())

    def reset(self, events: list[Any] | None = None) -> None:
        self.model.reset(events)
        self._update_placeholder()

    def set_view_tick(self, tick: int | None) -> None:
        """Grey out the events after ``tick`` (None: the live end, nothing greyed)."""
        self.model.set_view_tick(tick)
        if tick is not None:
            last = max((row for row, e in enumerate(self.model.events) if e.tick <= tick), default=None)
            if last is not None:
                self.view.scrollTo(self.model.index(last))

    def _update_placeholder(self) -> None:
        self.placeholder.setVisible(not self.model.events)
        self.export_button.setEnabled(bool(self.model.events))

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.event_activated.emit(self.model.events[index.row()])

    def ask_and_export(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export event log", "event-log.md", "Markdown (*.md);;Plain text (*.txt)"
        )
        if not path:
            return
        if not path.lower().endswith(exports.LOG_SUFFIXES):
            path += ".md" if chosen.startswith("Markdown") else ".txt"
        try:
            exports.save_event_log(self.model.events, path, self.title)
        except OSError as error:
            QMessageBox.warning(self, "Export failed", f"{path}: {error.strerror or error}")
