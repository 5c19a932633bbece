"""The map's legend: what each fill, outline, ring, line and area on the canvas means, pinned to a
corner of the canvas, while editing and in a run.

It draws its swatches with the canvas's own styles, so it cannot disagree with the map, in any
palette or in presenter mode. It is compact: it lists only the looks the map shows now
(:meth:`Legend.show_looks` in a run, :meth:`Legend.show_editing` while editing), so on a
projector it takes little of the map. The tables below are the whole vocabulary: a new look is
one more row (its swatch is drawn by the method its kind names in SWATCHES). Its labels and
colours are the display vocabulary's (:mod:`sandbox.app.style.vocabulary`).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from sandbox.app.canvas import marks as M
from sandbox.app.canvas.canvas_items import HullItem
from sandbox.app.style import theme
from sandbox.app.style import vocabulary as V
from sandbox.core.scenario import TREATY_TYPES

# An entry is (label, kind, key): kind "state" draws the run fill of key = (status, side), "tie"
# the run line of status key, "treaty" the editing line of treaty type key, "area" the hull of
# treaty type key, "mark" a ring or outline drawn over states (key: the canvas's view whose ring it
# is, "exposure" or "jackson-nei" (sandbox.core.overview), "selected", or open play's
# marks.REVISIONIST and marks.THREAT, drawn by marks.paint_swatch).
STATE_ENTRIES = (
    *((V.SIDE_SHORT_NAMES[side], "state", ("belligerent", side)) for side in ("aggressor", "defender")),
    *(
        (V.STATUS_NAMES[status], "state", (status, None))
        for status in (
            "mobilizing",
            "reneged",
            "defeated",
            "neutral",
            "declined",
            "sanctioning",
            "not-obliged",
            "uninvolved",
        )
    ),
)
TIE_ENTRIES = tuple(
    (V.TIE_STATUS_NAMES[status], "tie", status) for status in V.TIE_STATUS_NAMES if status != "idle"
)
TREATY_ENTRIES = tuple((V.TREATY_TYPE_NAMES[kind].lower(), "treaty", kind) for kind in TREATY_TYPES)
AREA_ENTRIES = tuple(
    (
        V.TREATY_TYPE_NAMES[kind].lower()
        if kind == "collective-security"
        else f"{V.TREATY_TYPE_NAMES[kind].lower()}, 3+",
        "area",
        kind,
    )
    for kind in TREATY_TYPES
    if kind != "guarantee"  # a guarantee is always drawn as arrows
)
MARK_ENTRIES = (
    ("exposed", "mark", "exposure"),
    ("vulnerable (J&N)", "mark", "jackson-nei"),
    ("selected", "mark", "selected"),
    *((M.MARK_LABELS[key], "mark", key) for key in (M.REVISIONIST, M.THREAT)),
)
OWN_COLOUR = ("a state, its own colour", "own", None)
SWATCH = 30  # width of a swatch, in pixels, at the normal size
PAD = 8
# The compact form in large type (presenter mode): the legend is looked up, not read from the back
# row as the names and the caption are, so its type grows less than theirs and its rows are tight;
# a column longer than MAX_ROWS is split in two, making the legend shorter rather than taller.
COMPACT_MAX_SCALE = 1.15
MAX_ROWS = 5


class Legend(QWidget):
    """Columns of entries, each headed by its title, in the canvas's font; sized to its text
    (``sizeHint``)."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setVisible(False)
        self.columns: tuple[tuple[str, tuple], ...] = ()  # as the map shows them, title and entries
        self.scale = 1.0  # the map's text scale (set_text_scale)

    @property
    def entries(self) -> list[tuple]:
        """Every entry shown, column after column."""
        return [entry for _title, entries in self.columns for entry in entries]

    def show_looks(
        self,
        states: set[tuple[str, str | None]],
        ties: set[str],
        marks: set[str],
        areas: set[str],
        lines: set[str],
    ) -> bool:
        """A run's legend: only these (status, side) looks of states, statuses of ties, marks
        ("exposure" or "jackson-nei"), treaty types drawn as areas and treaty types whose idle ties keep their
        editing line (what the map shows); returns whether the entries changed (the caller then
        places the legend again)."""
        shown_states = tuple(
            e
            for e in STATE_ENTRIES
            if e[2] in states or (e[2][1] is None and any(status == e[2][0] for status, _ in states))
        )
        return self._show(
            (
                ("States", shown_states + tuple(e for e in MARK_ENTRIES if e[2] in marks)),
                ("Ties", tuple(e for e in TIE_ENTRIES if e[2] in ties) + _treaties(lines, areas)),
            )
        )

    def show_editing(self, lines: set[str], areas: set[str], marks: set[str]) -> bool:
        """The editing legend: states in their own colour, the marks shown ("exposure" or "jackson-nei",
        "selected"), and the treaty types drawn as lines and as areas."""
        return self._show(
            (
                ("States", (OWN_COLOUR, *(e for e in MARK_ENTRIES if e[2] in marks))),
                ("Treaties", _treaties(lines, areas)),
            )
        )

    @property
    def compact(self) -> bool:
        """Whether the legend is in its compact form (the map's type is large)."""
        return self.scale > 1.0

    def set_text_scale(self, scale: float) -> None:
        """Follow the map's text scale: above 1 the compact form, its type at most
        COMPACT_MAX_SCALE times the normal size and long columns split."""
        self.scale = scale
        font = QFont()  # at scale 1, the canvas's own font
        if self.compact:
            font = QFont(self.canvas.font())
            font.setPointSizeF(theme.BASE_FONT_POINTS * min(scale, COMPACT_MAX_SCALE))
        self.setFont(font)  # a FontChange: the legend resizes and the canvas places it again

    def _laid_out(self) -> list[tuple[str, tuple]]:
        """The columns as drawn: in the compact form a column of more than MAX_ROWS entries goes
        on in a second, untitled column."""
        if not self.compact:
            return list(self.columns)
        laid: list[tuple[str, tuple]] = []
        for title, entries in self.columns:
            rows = math.ceil(len(entries) / math.ceil(len(entries) / MAX_ROWS))  # as few columns, evenly
            laid += [(title if n == 0 else "", entries[n : n + rows]) for n in range(0, len(entries), rows)]
        return laid

    def _show(self, columns: tuple[tuple[str, tuple], ...]) -> bool:
        columns = tuple((title, entries) for title, entries in columns if entries)
        if columns == self.columns:
            return False
        self.columns = columns
        self.resize(self.sizeHint())
        self.update()
        return True

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange:  # presenter mode's large type: grow with it
            self.resize(self.sizeHint())
            self.canvas.place_overlays()
        super().changeEvent(event)

    def _metrics(self) -> tuple[int, list[int]]:
        """Row height, and the width of each column's widest label (its title included)."""
        fm = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        titles = QFontMetrics(bold)
        row = max(fm.height() + (1 if self.compact else 4), 20)
        widths = [
            max([titles.horizontalAdvance(title), *(fm.horizontalAdvance(e[0]) for e in entries)])
            for title, entries in self._laid_out()
        ]
        return row, widths

    def sizeHint(self):  # noqa: N802 - Qt's name
        row, widths = self._metrics()
        width = PAD + sum(SWATCH + 6 + w + PAD for w in widths) + PAD * (len(widths) - 1)
        rows = 1 + max((len(entries) for _title, entries in self._laid_out()), default=0)
        return QRectF(0, 0, width, 2 * PAD + row * rows).size().toSize()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        colors = self.canvas.colors
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colors.grid.darker(130), 1.5))
        painter.setBrush(colors.callout_fill)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
        row, widths = self._metrics()
        bold = QFont(self.font())
        bold.setBold(True)
        x = PAD
        for (title, entries), width in zip(self._laid_out(), widths, strict=True):
            painter.setFont(bold)
            painter.setPen(colors.text)
            painter.drawText(QRectF(x, PAD, SWATCH + 6 + width, row), Qt.AlignmentFlag.AlignVCenter, title)
            painter.setFont(self.font())
            for n, (label, kind, key) in enumerate(entries):
                y = PAD + row * (n + 1)
                painter.save()
                getattr(self, f"_{kind}_swatch")(painter, QPointF(x + SWATCH / 2, y + row / 2), row, key)
                painter.restore()
                painter.setPen(colors.text)
                painter.drawText(
                    QRectF(x + SWATCH + 6, y, width + 4, row), Qt.AlignmentFlag.AlignVCenter, label
                )
            x += SWATCH + 6 + width + 2 * PAD

    def _disc(self, painter: QPainter, middle: QPointF, row: int, brush, pen: QPen) -> None:
        pen = QPen(pen)
        pen.setWidthF(min(pen.widthF(), 2.5))  # the disc is small: a map-sized outline would fill it
        painter.setPen(pen)
        painter.setBrush(brush)
        radius = row / 2 - 3
        painter.drawEllipse(middle, radius, radius)

    def _state_swatch(self, painter: QPainter, middle: QPointF, row: int, key) -> None:
        self._disc(painter, middle, row, *self.canvas.state_look(*key))

    def _own_swatch(self, painter: QPainter, middle: QPointF, row: int, _key) -> None:
        self._disc(painter, middle, row, *self.canvas.own_look())

    def _mark_swatch(self, painter: QPainter, middle: QPointF, row: int, key: str) -> None:
        if key in M.MARK_LABELS:  # open play's spearhead and threat ring
            M.paint_swatch(painter, middle, row, key, self.canvas.colors.text)
            return
        brush, pen = self.canvas.own_look()
        radius = row / 2 - 6
        painter.setPen(QPen(pen.color(), 1.5))
        painter.setBrush(brush)
        painter.drawEllipse(middle, radius, radius)
        if key == "selected":
            ring = QPen(QColor(theme.SELECTION_COLOR), 4.0)
        else:
            ring = QPen(self.canvas.ring_pen(key))
            ring.setWidthF(2.5)
        painter.setPen(ring)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(middle, radius + 3, radius + 3)

    def _line(self, painter: QPainter, middle: QPointF, pen: QPen) -> None:
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = SWATCH / 2 - 2
        painter.drawLine(QPointF(middle.x() - half, middle.y()), QPointF(middle.x() + half, middle.y()))

    def _tie_swatch(self, painter: QPainter, middle: QPointF, _row: int, status: str) -> None:
        self._line(painter, middle, self.canvas.tie_look(status))
        if status == "violation":  # the map marks a violated treaty with a cross on its tie
            s = 5.0
            painter.drawLine(middle + QPointF(-s, -s), middle + QPointF(s, s))
            painter.drawLine(middle + QPointF(-s, s), middle + QPointF(s, -s))

    def _treaty_swatch(self, painter: QPainter, middle: QPointF, _row: int, kind: str) -> None:
        pen = self.canvas.treaty_look(kind)
        self._line(painter, middle, pen)
        if kind == "guarantee":  # the guarantor's arrow points at the state it guarantees
            tip = middle + QPointF(SWATCH / 2 - 2, 0)
            head = QPainterPath(tip)
            head.lineTo(tip + QPointF(-8, -5))
            head.lineTo(tip + QPointF(-8, 5))
            head.closeSubpath()
            painter.fillPath(head, pen.color())

    def _area_swatch(self, painter: QPainter, middle: QPointF, row: int, kind: str) -> None:
        colour = QColor(V.TREATY_COLORS[kind])
        fill = QColor(colour)
        fill.setAlpha(HullItem.FILL_ALPHA)
        edge = QColor(colour)
        edge.setAlpha(HullItem.EDGE_ALPHA)
        painter.setPen(QPen(edge, 2.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(
            QRectF(middle.x() - SWATCH / 2 + 2, middle.y() - row / 2 + 4, SWATCH - 4, row - 8), 6, 6
        )


def _treaties(lines: set[str], areas: set[str]) -> tuple:
    """The entries of treaty types drawn as lines, then of those drawn as areas."""
    return tuple(e for e in TREATY_ENTRIES if e[2] in lines) + tuple(e for e in AREA_ENTRIES if e[2] in areas)
