"""The run view's legend: what a state's fill and a tie's line mean, pinned to a corner of the canvas.

It draws its swatches with the canvas's own styles, so it cannot disagree with the map, in any
palette or in presenter mode. It is compact: it lists only the looks the map shows now
(:meth:`Legend.show_looks`), so on a projector it takes little of the map. The tables below are
the whole vocabulary: a new status is one more row.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

# (label, status, side) of each state swatch, and (label, status) of each tie swatch
STATE_ENTRIES = (
    ("aggressor", "belligerent", "aggressor"),
    ("defender", "belligerent", "defender"),
    ("mobilising", "mobilizing", None),
    ("reneged", "reneged", None),
    ("defeated", "defeated", None),
    ("neutral", "neutral", None),
    ("declined", "declined", None),
    ("sanctioning", "sanctioning", None),
    ("not obliged", "not-obliged", None),
    ("uninvolved", "uninvolved", None),
)
TIE_ENTRIES = (
    ("obliged", "obliged"),
    ("mobilising", "mobilizing"),
    ("honoured", "honoured"),
    ("reneged", "reneged"),
    ("not obliged", "not-obliged"),
    ("violation", "violation"),
    ("vetoed", "vetoed"),
)
SWATCH = 30  # width of a swatch, in pixels
PAD = 8


class Legend(QWidget):
    """States in one column, ties in the other, in the canvas's font; sized to its text (``sizeHint``)."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setVisible(False)
        self.state_entries, self.tie_entries = STATE_ENTRIES, TIE_ENTRIES

    def show_looks(self, states: set[tuple[str, str | None]], ties: set[str]) -> bool:
        """List only these (status, side) looks of states and statuses of ties (what the map
        shows); returns whether the entries changed (the caller then places the legend again)."""
        shown = (
            tuple(
                e
                for e in STATE_ENTRIES
                if (e[1], e[2]) in states or (e[2] is None and _status_only(e[1], states))
            ),
            tuple(e for e in TIE_ENTRIES if e[1] in ties),
        )
        if shown == (self.state_entries, self.tie_entries):
            return False
        self.state_entries, self.tie_entries = shown
        self.resize(self.sizeHint())
        self.update()
        return True

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange:  # presenter mode's large type: grow with it
            self.resize(self.sizeHint())
            self.canvas.place_overlays()
        super().changeEvent(event)

    def _metrics(self) -> tuple[int, int, int]:
        """Row height, width of the widest state label, of the widest tie label."""
        fm = QFontMetrics(self.font())
        row = max(fm.height() + 4, 20)
        states = max(fm.horizontalAdvance(label) for label, *_ in self.state_entries + (("States",),))
        ties = max(fm.horizontalAdvance(label) for label, *_ in self.tie_entries + (("Ties",),))
        return row, states, ties

    def sizeHint(self):  # noqa: N802 - Qt's name
        row, states, ties = self._metrics()
        width = 2 * PAD + (SWATCH + 6 + states) + (2 * PAD + SWATCH + 6 + ties if self.tie_entries else 0)
        rows = 1 + max(len(self.state_entries), len(self.tie_entries))
        return QRectF(0, 0, width, 2 * PAD + row * rows).size().toSize()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        colors = self.canvas.colors
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colors.grid.darker(130), 1.5))
        painter.setBrush(colors.callout_fill)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
        row, states_width, _ = self._metrics()
        bold = QFont(self.font())
        bold.setBold(True)
        columns = (
            (PAD, "States", self.state_entries),
            (3 * PAD + SWATCH + 6 + states_width, "Ties", self.tie_entries),
        )
        for x, title, entries in (column for column in columns if column[2]):
            painter.setFont(bold)
            painter.setPen(colors.text)
            painter.drawText(QRectF(x, PAD, 200, row), Qt.AlignmentFlag.AlignVCenter, title)
            painter.setFont(self.font())
            for n, (label, status, *side) in enumerate(entries):
                y = PAD + row * (n + 1)
                middle = QPointF(x + SWATCH / 2, y + row / 2)
                if side:
                    self._state_swatch(painter, middle, row, status, side[0])
                else:
                    self._tie_swatch(painter, middle, status)
                painter.setPen(colors.text)
                painter.drawText(QRectF(x + SWATCH + 6, y, 200, row), Qt.AlignmentFlag.AlignVCenter, label)

    def _state_swatch(self, painter: QPainter, middle: QPointF, row: int, status: str, side) -> None:
        brush, pen = self.canvas.state_look(status, side)
        pen = QPen(pen)
        pen.setWidthF(min(pen.widthF(), 2.5))  # the disc is small: a map-sized outline would fill it
        painter.setPen(pen)
        painter.setBrush(brush)
        radius = row / 2 - 3
        painter.drawEllipse(middle, radius, radius)

    def _tie_swatch(self, painter: QPainter, middle: QPointF, status: str) -> None:
        pen = self.canvas.tie_look(status)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = SWATCH / 2 - 2
        painter.drawLine(QPointF(middle.x() - half, middle.y()), QPointF(middle.x() + half, middle.y()))
        if status == "violation":  # the map marks a violated treaty with a cross on its tie
            s = 5.0
            painter.drawLine(middle + QPointF(-s, -s), middle + QPointF(s, s))
            painter.drawLine(middle + QPointF(-s, s), middle + QPointF(s, -s))


def _status_only(status: str, states: set[tuple[str, str | None]]) -> bool:
    """Whether a state of this status is shown, whatever its side (mobilising, reneged...)."""
    return any(shown == status for shown, _side in states)
