"""Graphics items of the canvas: state discs, treaty ties, treaty hulls, callouts.

Items are painted by Qt's own C++ items (no Python ``paint``), so a world of
thousands of states and ties renders quickly. They hold no scenario data beyond
the id they draw; the canvas restyles them from the model and from run snapshots.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
)

from sandbox.app.style import theme
from sandbox.core.scenario import MIN_RADIUS
from sandbox.core.text import shown

LABEL_GAP = 4.0
TIE_WIDTH = 3.0
PARALLEL_GAP = 8.0  # distance between two treaties drawn over the same pair

Z_HULL, Z_TIE, Z_STATE, Z_CALLOUT = -10.0, 0.0, 10.0, 100.0


# Where a state's name may sit, in order of preference (map makers' convention puts it below or
# beside the point): (unit direction of the anchor from the centre, alignment of the label on it,
# and how many of the label's heights further out), then on a crowded map below or above reaching
# to one side, and last a little further out.
_NEAR_SPOTS = (
    ((0.0, 1.0), (0.5, 0.0)),  # below
    ((0.0, -1.0), (0.5, 1.0)),  # above
    ((1.0, 0.0), (0.0, 0.5)),  # right
    ((-1.0, 0.0), (1.0, 0.5)),  # left
    ((0.71, 0.71), (0.0, 0.0)),  # below right
    ((0.71, -0.71), (0.0, 1.0)),  # above right
    ((-0.71, 0.71), (1.0, 0.0)),  # below left
    ((-0.71, -0.71), (1.0, 1.0)),  # above left
)
LABEL_SPOTS = (
    *((direction, align, 0.0) for direction, align in _NEAR_SPOTS),
    *(((0.0, dy), (ax, ay), 0.0) for dy, ay in ((1.0, 0.0), (-1.0, 1.0)) for ax in (0.85, 0.15)),
    *((direction, align, 0.6) for direction, align in _NEAR_SPOTS),
)
# Where a hull's name may sit, in order of preference: (the hull's end it hangs from: 0 its top
# point, 1 its bottom, 2 its left, 3 its right; the label's alignment on it; how many name heights
# it is lifted away from the end, along a leader line). Centred above or below first, then
# reaching to one side, beside, then lifted clear of what crowds the hull's ends.
HULL_TOP, HULL_BOTTOM, HULL_LEFT, HULL_RIGHT = range(4)
HULL_NAME_SPOTS = (
    *((end, (0.5, ay), 0) for end, ay in ((HULL_TOP, 1.0), (HULL_BOTTOM, 0.0))),
    *((end, (ax, ay), 0) for end, ay in ((HULL_TOP, 1.0), (HULL_BOTTOM, 0.0)) for ax in (0.1, 0.9)),
    (HULL_LEFT, (1.0, 0.5), 0),
    (HULL_RIGHT, (0.0, 0.5), 0),
    *(
        (end, (ax, ay), lift)
        for lift in (1, 2)
        for end, ay in ((HULL_TOP, 1.0), (HULL_BOTTOM, 0.0))
        for ax in (0.5, 0.1, 0.9)
    ),
)
LEADER_GAP = 1.2  # a lifted name moves this many of its heights per step


def make_pen(color: QColor | str, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(color), width, style)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCosmetic(False)
    return pen


class NameLabel:
    """The name of a state or hull: bold text on a translucent rounded halo (readable over lines
    and hulls), placed against an anchor point of its parent: ``align`` is the point of the label
    (fractions of its width and height) that sits on the anchor; (0.5, 0) hangs it below, (0.5, 1)
    stands it above. ``set_scale`` enlarges it when the view is zoomed out, so it stays readable."""

    def __init__(self, parent: QGraphicsItem, above: bool = False):
        self.back = QGraphicsPathItem(parent)
        self.back.setPen(QPen(Qt.PenStyle.NoPen))
        self.text = QGraphicsSimpleTextItem(parent)
        font = QFont()
        font.setPointSizeF(theme.STATE_LABEL_POINTS)
        font.setBold(True)
        self.text.setFont(font)
        self.anchor, self.align = QPointF(), (0.5, 1.0 if above else 0.0)

    def size(self) -> tuple[float, float]:
        """Width and height of the name with its halo, in its parent's units."""
        k = self.text.scale()
        box = self.text.boundingRect()
        return box.width() * k + 8 * k, box.height() * k + 2 * k

    def place(
        self, anchor: QPointF | None = None, name: str | None = None, align: tuple[float, float] | None = None
    ) -> None:
        """Move to ``anchor`` and/or show ``name`` and/or align another way (None keeps each)."""
        if name is not None:
            self.text.setText(shown(name))
        if anchor is not None:
            self.anchor = anchor
        if align is not None:
            self.align = align
        k = self.text.scale()
        w, h = self.size()
        left, top = self.anchor.x() - self.align[0] * w, self.anchor.y() - self.align[1] * h
        self.text.setPos(QPointF(left + 4 * k, top + k))
        path = QPainterPath()
        path.addRoundedRect(QRectF(left, top, w, h), 5 * k, 5 * k)
        self.back.setPath(path)

    def set_scale(self, scale: float) -> None:
        if scale != self.text.scale():
            self.text.setScale(scale)
            self.place()

    def set_visible(self, visible: bool) -> None:
        self.text.setVisible(visible)
        self.back.setVisible(visible)

    def set_colors(self, text: QColor, back: QColor) -> None:
        self.text.setBrush(QBrush(text))
        self.back.setBrush(QBrush(back))


class StateItem(QGraphicsEllipseItem):
    """A state: a disc whose area follows power, its name below it."""

    def __init__(self, state_id: str):
        super().__init__()
        self.state_id = state_id
        self.radius = MIN_RADIUS
        self.style_key: object = None  # the last style applied: restyling skips unchanged items
        self.setZValue(Z_STATE)
        self.setAcceptHoverEvents(False)
        self.name_label = NameLabel(self)
        self.label = self.name_label.text
        self.label_spot = 0  # the index in LABEL_SPOTS the canvas's label placement chose
        self.ring = QGraphicsEllipseItem(self)  # vulnerable-state warning ring
        self.ring.setPen(make_pen(theme.WARNING_COLOR, 3.0, Qt.PenStyle.DashLine))
        self.ring.setVisible(False)

    def set_geometry(self, position: tuple[float, float], radius: float) -> None:
        self.setPos(QPointF(*position))
        if radius != self.radius or self.rect().isNull():
            self.radius = radius
            self.setRect(QRectF(-radius, -radius, 2 * radius, 2 * radius))
            ring = radius + 7
            self.ring.setRect(QRectF(-ring, -ring, 2 * ring, 2 * ring))
            self.set_label_spot(self.label_spot)

    def label_rect(self, spot: int) -> QRectF:
        """Where the name would be, in scene coordinates, at LABEL_SPOTS[spot]."""
        anchor, align = self._spot(spot)
        w, h = self.name_label.size()
        pos = self.pos() + anchor
        return QRectF(pos.x() - align[0] * w, pos.y() - align[1] * h, w, h)

    def set_label_spot(self, spot: int) -> None:
        self.label_spot = spot
        anchor, align = self._spot(spot)
        self.name_label.place(anchor, align=align)

    def _spot(self, spot: int) -> tuple[QPointF, tuple[float, float]]:
        (dx, dy), align, further = LABEL_SPOTS[spot]
        reach = self.radius + LABEL_GAP + further * self.name_label.size()[1]
        return QPointF(dx * reach, dy * reach), align

    def set_name(self, name: str) -> None:
        self.name_label.place(name=name)

    def set_label_visible(self, visible: bool) -> None:
        self.name_label.set_visible(visible)

    def set_label_colors(self, text: QColor, back: QColor) -> None:
        self.name_label.set_colors(text, back)

    def set_style(self, key: object, fill: QBrush, outline: QPen) -> None:
        """Apply a fill and outline unless ``key`` says they are already applied."""
        if key == self.style_key:
            return
        self.style_key = key
        self.setBrush(fill)
        self.setPen(outline)


class Tie:
    """One tie of a treaty between two states (from ``a`` to ``b`` for a guarantee).

    Not a graphics item: the :class:`TieLayer` draws every tie in a few batched calls,
    so ten thousand ties cost about as much to draw and restyle as a handful of items."""

    __slots__ = (
        "treaty_id",
        "a",
        "b",
        "arrow",
        "marker",
        "style_key",
        "_pen",
        "_brush",
        "visible",
        "line",
        "head",
        "layer",
    )

    def __init__(self, treaty_id: str, a: str, b: str, arrow: bool):
        self.treaty_id, self.a, self.b, self.arrow = treaty_id, a, b, arrow
        self.marker = False  # a red cross at the middle: a violated treaty
        self.style_key: object = None
        self._pen, self._brush = QPen(), QBrush()
        self.visible = False
        self.line = QLineF()
        self.head: QPolygonF | None = None
        self.layer: TieLayer | None = None

    def pen(self) -> QPen:
        return self._pen

    def isVisible(self) -> bool:  # noqa: N802 - reads like the graphics items beside it
        return self.visible

    def set_ends(
        self, start: QPointF, end: QPointF, start_radius: float, end_radius: float, offset: float
    ) -> None:
        """Run from the rim of one disc to the rim of the other, shifted sideways by ``offset``."""
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        nx, ny = -uy * offset, ux * offset
        p = QPointF(start.x() + ux * start_radius + nx, start.y() + uy * start_radius + ny)
        q = QPointF(end.x() - ux * end_radius + nx, end.y() - uy * end_radius + ny)
        self.line = QLineF(p, q)
        if self.arrow:
            size, spread = 16.0, 0.45
            angle = math.atan2(q.y() - p.y(), q.x() - p.x())
            left = QPointF(q.x() - size * math.cos(angle - spread), q.y() - size * math.sin(angle - spread))
            right = QPointF(q.x() - size * math.cos(angle + spread), q.y() - size * math.sin(angle + spread))
            self.head = QPolygonF([q, left, right])
        if self.layer is not None:
            self.layer.tie_moved(self)

    def set_style(self, key: object, pen: QPen, brush: QBrush, visible: bool, marker: bool) -> None:
        """Apply a look (the arrow head is filled with ``brush``) unless ``key`` says it is on."""
        if key == self.style_key:
            return
        old_key, self.style_key = self.style_key, key
        self._pen, self._brush, self.visible, self.marker = pen, brush, visible, marker
        if self.layer is not None:
            self.layer.tie_restyled(self, old_key)


class _TieGroup:
    """The ties sharing one look, with what drawing them needs, rebuilt only when they change."""

    __slots__ = ("ties", "pen", "simple_pen", "brush", "lines", "heads", "dirty")

    def __init__(self, pen: QPen, brush: QBrush):
        self.ties: set[Tie] = set()
        self.pen, self.brush = pen, brush
        # far out: solid thin lines in the same colour, twice as fast to draw as dashes
        self.simple_pen = QPen(pen.color(), 2.0 if pen.widthF() <= TIE_WIDTH else 3.0)
        self.simple_pen.setCosmetic(True)
        self.lines: list[QLineF] = []
        self.heads = QPainterPath()
        self.dirty = True

    def rebuild(self) -> None:
        self.lines, self.heads = [], QPainterPath()
        for tie in self.ties:
            if not tie.visible:
                continue
            self.lines.append(tie.line)
            if tie.head is not None:
                self.heads.addPolygon(tie.head)
                self.heads.closeSubpath()
            if tie.marker:
                mid, s = tie.line.center(), 9.0
                self.lines.append(QLineF(mid.x() - s, mid.y() - s, mid.x() + s, mid.y() + s))
                self.lines.append(QLineF(mid.x() - s, mid.y() + s, mid.x() + s, mid.y() - s))
        self.dirty = False


class TieLayer(QGraphicsItem):
    """Draws every :class:`Tie` of the canvas: one ``drawLines`` per look.

    Looks whose key starts with "run" or is emphasised are drawn over the others."""

    def __init__(self):
        super().__init__()
        self.setZValue(Z_TIE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.groups: dict[object, _TieGroup] = {}
        self._bounds = QRectF()
        self._bounds_dirty = False
        self._order: list[object] | None = None
        self.simplified = False

    def set_simplified(self, simplified: bool) -> None:
        """Draw every tie as a plain solid line (a zoomed-out view of a big world)."""
        if simplified != self.simplified:
            self.simplified = simplified
            self.update()

    def add(self, tie: Tie) -> None:
        tie.layer = self
        self._join(tie)
        self.tie_moved(tie)

    def remove(self, tie: Tie) -> None:
        self._leave(tie, tie.style_key)
        tie.layer = None
        self._geometry_changed()

    def tie_moved(self, tie: Tie) -> None:
        group = self.groups.get(tie.style_key)
        if group is not None:
            group.dirty = True
        self._geometry_changed()

    def tie_restyled(self, tie: Tie, old_key: object) -> None:
        self._leave(tie, old_key)
        self._join(tie)
        self.update()

    def _join(self, tie: Tie) -> None:
        group = self.groups.get(tie.style_key)
        if group is None:
            group = self.groups[tie.style_key] = _TieGroup(tie.pen(), tie._brush)
            self._order = None
        group.ties.add(tie)
        group.dirty = True

    def _leave(self, tie: Tie, key: object) -> None:
        group = self.groups.get(key)
        if group is not None and tie in group.ties:
            group.ties.discard(tie)
            group.dirty = True
            if not group.ties:
                del self.groups[key]
                self._order = None

    def _geometry_changed(self) -> None:
        if not self._bounds_dirty:
            self.prepareGeometryChange()
            self._bounds_dirty = True
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        if self._bounds_dirty:
            xs, ys = [], []
            for group in self.groups.values():
                for tie in group.ties:
                    xs += (tie.line.x1(), tie.line.x2())
                    ys += (tie.line.y1(), tie.line.y2())
            margin = 30.0  # arrow heads, markers and wide pens
            self._bounds = (
                QRectF(
                    min(xs) - margin,
                    min(ys) - margin,
                    max(xs) - min(xs) + 2 * margin,
                    max(ys) - min(ys) + 2 * margin,
                )
                if xs
                else QRectF()
            )
            self._bounds_dirty = False
        return self._bounds

    def paint(self, painter, option, widget=None) -> None:
        if self._order is None:
            self._order = (
                sorted(self.groups, key=lambda k: (k[0] == "run", bool(k[2]))) if self.groups else []
            )
        for key in self._order:
            group = self.groups[key]
            if group.dirty:
                group.rebuild()
            if group.lines:
                painter.setPen(group.simple_pen if self.simplified else group.pen)
                painter.drawLines(group.lines)
            if not group.heads.isEmpty():
                painter.setBrush(group.brush)
                painter.drawPath(group.heads)

    def tie_at(self, pos: QPointF, tolerance: float) -> Tie | None:
        """The visible tie nearest to ``pos`` within ``tolerance`` (scene units), drawn last first."""
        best, best_distance = None, tolerance
        for key in reversed(self._order or list(self.groups)):
            for tie in self.groups[key].ties:
                if tie.visible:
                    distance = _distance_to_segment(pos, tie.line)
                    if distance <= best_distance:
                        best, best_distance = tie, distance
        return best


def _distance_to_segment(p: QPointF, line: QLineF) -> float:
    dx, dy = line.dx(), line.dy()
    length2 = dx * dx + dy * dy
    t = (
        0.0
        if length2 == 0
        else max(0.0, min(1.0, ((p.x() - line.x1()) * dx + (p.y() - line.y1()) * dy) / length2))
    )
    return math.hypot(p.x() - line.x1() - t * dx, p.y() - line.y1() - t * dy)


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain; the hull counter-clockwise, without repeats."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


class HullItem(QGraphicsPathItem):
    """A translucent rounded hull around the members of a collective treaty, with its name."""

    PADDING = 20.0
    FILL_ALPHA, EDGE_ALPHA = 34, 200  # a translucent area, a firm edge (the legend draws them too)

    def __init__(self, treaty_id: str):
        super().__init__()
        self.treaty_id = treaty_id
        self.style_key: object = None
        self.setZValue(Z_HULL)
        self.name_label = NameLabel(self, above=True)  # as readable as a state's name
        self.label = self.name_label.text
        self.name_spot = 0  # the index in HULL_NAME_SPOTS the canvas's label placement chose
        self._ends = (QPointF(),) * 4  # the hull's top, bottom, left and right points, just outside it
        self.leader = QGraphicsLineItem(self)  # from the hull to a name lifted away from it
        self.leader.setVisible(False)

    def set_members(self, circles: list[tuple[float, float, float]], name: str, depth: int) -> None:
        """Wrap circles (x, y, radius); ``depth`` widens nested hulls so overlapping ones stay apart."""
        pad = self.PADDING + 10.0 * depth
        steps = 16 if len(circles) <= 50 else 6  # a world-wide organisation: a coarser hull, as fast
        samples = []
        for x, y, r in circles:
            for k in range(steps):
                a = 2 * math.pi * k / steps
                samples.append((x + (r + pad) * math.cos(a), y + (r + pad) * math.sin(a)))
        hull = convex_hull(samples)
        path = QPainterPath()
        if hull:
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in hull]))
            path.closeSubpath()
        self.setPath(path)
        points = hull or [(0.0, 0.0)]
        top, bottom = min(points, key=lambda p: p[1]), max(points, key=lambda p: p[1])
        left, right = min(points, key=lambda p: p[0]), max(points, key=lambda p: p[0])
        self._ends = (
            QPointF(top[0], top[1] - 2),
            QPointF(bottom[0], bottom[1] + 2),
            QPointF(left[0] - 2, left[1]),
            QPointF(right[0] + 2, right[1]),
        )
        self.name_label.place(name=name)
        self.set_name_spot(self.name_spot)

    def _anchor(self, spot: int) -> tuple[QPointF, tuple[float, float]]:
        """The point the name hangs from at HULL_NAME_SPOTS[spot], in the hull's units, and its
        alignment there."""
        end, align, lift = HULL_NAME_SPOTS[spot]
        step = lift * LEADER_GAP * self.name_label.size()[1]
        return self._ends[end] + QPointF(0.0, -step if end == HULL_TOP else step), align

    def name_rect(self, spot: int) -> QRectF:
        """Where the name would be, in scene coordinates, at HULL_NAME_SPOTS[spot]."""
        anchor, align = self._anchor(spot)
        anchor = self.mapToScene(anchor)
        w, h = self.name_label.size()
        return QRectF(anchor.x() - align[0] * w, anchor.y() - align[1] * h, w, h)

    def set_name_spot(self, spot: int) -> None:
        self.name_spot = spot
        anchor, align = self._anchor(spot)
        self.name_label.place(anchor, align=align)
        self._draw_leader()

    def _draw_leader(self) -> None:
        """A line from the hull's end to a lifted name, while the name is shown."""
        end, _align, lift = HULL_NAME_SPOTS[self.name_spot]
        self.leader.setLine(QLineF(self._ends[end], self._anchor(self.name_spot)[0]))
        self.leader.setVisible(lift > 0 and self.name_label.text.isVisible())

    def show_name(self, visible: bool) -> None:
        self.name_label.set_visible(visible)
        self._draw_leader()

    def set_style(
        self, key: object, color: QColor, width: float, label_color: QColor, label_back: QColor
    ) -> None:
        if key == self.style_key:
            return
        self.style_key = key
        fill = QColor(color)
        fill.setAlpha(self.FILL_ALPHA)
        self.setBrush(QBrush(fill))
        edge = QColor(color)
        edge.setAlpha(self.EDGE_ALPHA)
        self.setPen(make_pen(edge, width, Qt.PenStyle.SolidLine))
        self.leader.setPen(make_pen(edge, 1.5, Qt.PenStyle.SolidLine))
        self.name_label.set_colors(label_color, label_back)

    def shape(self) -> QPainterPath:  # noqa: D102 - only the outline and the name select the treaty
        stroker = QPainterPathStroker()
        stroker.setWidth(14.0)
        outline = stroker.createStroke(self.path())
        name = QPainterPath()
        name.addRect(self.name_label.back.path().boundingRect())
        return outline.united(name)


class Callout(QGraphicsPathItem):
    """A readable box of text near a state that keeps its size at any zoom."""

    def __init__(self, text_scale: float = 1.0):
        super().__init__()
        self.setZValue(Z_CALLOUT)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.text = QGraphicsTextItem(self)
        self.set_text_scale(text_scale)
        self.setVisible(False)

    def set_text_scale(self, scale: float) -> None:
        """The text at ``scale`` times its own size (presenter mode's large type); the box follows."""
        font = QFont()
        font.setPointSizeF((theme.BASE_FONT_POINTS + 1) * scale)
        self.text.setFont(font)
        self._fit()

    def _fit(self) -> None:
        box = self.text.boundingRect().adjusted(-4, -4, 4, 4)
        path = QPainterPath()
        path.addRoundedRect(box, 8, 8)
        self.setPath(path)

    def show_lines(
        self, anchor: QPointF, lines: list[str], border: QColor, fill: QColor, text: QColor
    ) -> None:
        self.text.setPlainText("\n".join(map(shown, lines)))
        self.text.setDefaultTextColor(text)
        self._fit()
        self.setPen(make_pen(border, 3.0))
        self.setBrush(QBrush(fill))
        self.setPos(anchor)
        self.setVisible(True)
