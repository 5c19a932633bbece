"""Open play's marks on the canvas (MODEL.md, "Open play" and "Common threats").

- A revisionist state (``revisionism`` > 0) carries a dark spearhead at the upper right of its disc,
  in the editing view and in a run: the room sees who may choose a war before pressing Play.
- A common threat is drawn at the tick it falls, in the palette's ink (dark on the light and
  projector themes, light on the dark one): a dash-dot ring around every member of the treaty,
  and a callout with the numbers of the narration ("A threat of 80 to NATO / contributions 51.2 fall
  short: / each member loses 3.6% of its power"). Replaying another tick takes it away.

The legend draws the same shapes with :func:`paint_swatch`, so it cannot disagree with the map.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsPolygonItem

from sandbox.app.canvas.canvas_items import Z_CALLOUT, Callout, make_pen

REVISIONIST_COLOR = "#2b0a0a"  # near black, outlined in white: it reads on every fill of the run view
THREAT_RING_GAP = 13.0  # outside the vulnerable-state ring (7)
REVISIONIST = "revisionist"
THREAT = "threat"
MARK_LABELS = {REVISIONIST: "revisionist", THREAT: "under a threat"}


def spearhead(centre: QPointF, size: float) -> QPolygonF:
    """A triangle pointing up and right, ``size`` long, its base centred on ``centre``."""
    tip = QPointF(centre.x() + 0.71 * size, centre.y() - 0.71 * size)
    half = 0.71 * size * 0.45  # half the base, across the direction of the point
    return QPolygonF([tip, centre + QPointF(-half, -half), centre + QPointF(half, half)])


def threat_pen(ink: QColor) -> QPen:
    return make_pen(ink, 3.0, Qt.PenStyle.DashDotLine)


def paint_swatch(painter: QPainter, middle: QPointF, row: int, kind: str, ink: QColor) -> None:
    """The legend's swatch of a mark, ``row`` pixels high, centred on ``middle``; ``ink`` is the
    palette's text colour (the threat ring's)."""
    if kind == REVISIONIST:
        painter.setPen(make_pen("#ffffff", 1.5))
        painter.setBrush(QBrush(QColor(REVISIONIST_COLOR)))
        painter.drawPolygon(spearhead(middle + QPointF(-row * 0.25, row * 0.25), row * 0.75))
    else:
        pen = threat_pen(ink)
        pen.setWidthF(2.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = row / 2 - 2
        painter.drawEllipse(middle, radius, radius)


class RevisionistMark(QGraphicsPolygonItem):
    """The spearhead on a state's disc (a child of its StateItem)."""

    def __init__(self, parent: QGraphicsItem):
        super().__init__(parent)
        self.setBrush(QBrush(QColor(REVISIONIST_COLOR)))
        self.setPen(make_pen("#ffffff", 2.0))
        self.setZValue(1)

    def fit(self, radius: float) -> None:
        size = max(12.0, 0.9 * radius)
        rim = QPointF(0.71 * radius, -0.71 * radius)  # the disc's edge at the upper right
        self.setPolygon(spearhead(rim, size))


class ThreatDrawing:
    """A threat of one tick on one treaty: a ring around each member, and a callout with the numbers
    (the canvas places it beside the largest member, in the view)."""

    def __init__(
        self, scene, circles: list[tuple[float, float, float]], lines: list[str], colors, text_scale: float
    ):
        self.rings = []
        for x, y, r in circles:
            reach = r + THREAT_RING_GAP
            ring = QGraphicsEllipseItem(QRectF(-reach, -reach, 2 * reach, 2 * reach))
            ring.setPos(x, y)
            ring.setPen(threat_pen(colors.text))
            ring.setZValue(Z_CALLOUT - 1)
            scene.addItem(ring)
            self.rings.append(ring)
        self.anchors: list = []  # the members' items, largest first: the callout goes beside one
        self.callout = Callout(text_scale)
        self.callout.show_lines(QPointF(), lines, colors.text, colors.callout_fill, colors.text)
        scene.addItem(self.callout)

    def remove(self, scene) -> None:
        for item in (*self.rings, self.callout):
            scene.removeItem(item)


def threat_lines(entry: dict, treaty_name: str) -> list[str]:
    """The callout of a threat report entry, in the narration's numbers."""
    head = [f"A threat of {entry['size']:.3g} to {treaty_name}"]
    if entry["countered"]:
        return [*head, f"contributions {entry['contributions']:.1f} meet it: countered"]
    return [
        *head,
        f"contributions {entry['contributions']:.1f} fall short:",
        f"each member loses {100 * entry['loss']:.1f}% of its power",
    ]
