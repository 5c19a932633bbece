"""The canvas: a QGraphicsView drawing the open scenario and hosting the tools.

The scene follows the model's signals (``document.signals.*``) and holds nothing
that is saved; gestures go through the active tool, which pushes undo commands.
For the live simulation it offers ``apply_run_view`` (which also shows the legend),
``set_overview`` (the rings and caption before any attack), ``highlight``,
``show_attack_preview`` and ``set_state_tooltips`` (optional: without it, hovering a state
in the run view builds that state's "why" then) and emits
``attack_requested(aggressor, target)`` and ``attack_hovered(aggressor, target_or_None)``.
Its colours follow the palette (the projector theme's palette gets the projector's colours).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QImage, QKeySequence, QPainter, QPen, QUndoCommand
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QLabel, QToolTip, QWidget

from sandbox.app.canvas.canvas_items import (
    HULL_NAME_SPOTS,
    LABEL_SPOTS,
    PARALLEL_GAP,
    TIE_WIDTH,
    Callout,
    HullItem,
    StateItem,
    Tie,
    TieLayer,
    make_pen,
)
from sandbox.app.canvas.legend import Legend
from sandbox.app.canvas.marks import REVISIONIST, THREAT, RevisionistMark, ThreatDrawing, threat_lines
from sandbox.app.canvas.tools import TOOL_CLASSES, Tool
from sandbox.app.document.document import Document, connect_view
from sandbox.app.style import theme, vocabulary
from sandbox.app.style.vocabulary import EVENT_KIND_COLORS, TREATY_TYPE_NAMES
from sandbox.core.scenario import Scenario, Treaty, radius_for_power
from sandbox.core.text import counted

HULL_TYPES = ("collective-security",)
JACKSON_NEI_RING_COLOR = vocabulary.OKABE_ITO["reddish-purple"]  # apart from exposure's orange, light or dark
ZOOM_STEP = 1.25
CAPTION_POINTS = theme.BASE_FONT_POINTS + 1  # the caption's type, times the text scale
FIT_ROUNDS = 8  # fits in a row at most, until the names' size settles (each fit is a few ms)
MAX_STRIPS = 3  # strips of the view an overlay may claim in one fit (the legend's and the caption's meet)
LABEL_MIN_SCALE = 0.3  # below this zoom names would be specks: they are hidden (tooltips still name states)
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
MIN_NAME_POINTS = 12.5  # names grow as the view zooms out so they stay this size on screen...
MAX_NAME_BOOST = 2.0  # ...up to twice their own size (further out they would bury the map)
MAX_PLACED_LABELS = 400  # label placement compares every pair: bigger worlds keep names below


def _overlap(a: QRectF, b: QRectF) -> float:
    """The area two rectangles share."""
    shared = a.intersected(b)
    return shared.width() * shared.height() if shared.isValid() else 0.0


def tie_pairs(treaty: Treaty) -> list[tuple[str, str]]:
    """The ties a treaty draws: guarantor -> member for a guarantee, every pair of members otherwise."""
    if treaty.type == "guarantee":
        return [(g, m) for g in treaty.guarantors for m in treaty.members]
    members = treaty.members
    return [(members[i], members[j]) for i in range(len(members)) for j in range(i + 1, len(members))]


def drawn_as_hull(treaty: Treaty) -> bool:
    """Collective security, a defence pact of three or more, and any other pact of more than
    four members is a named hull (a clique of lines would hide the map)."""
    if treaty.type == "guarantee":
        return False
    return treaty.type in HULL_TYPES or len(treaty.members) >= (3 if treaty.type == "defense" else 5)


def run_looks(snapshot) -> dict[str, tuple[str, str | None]]:
    """State id -> (status, side) in a run snapshot.

    An engine snapshot's ``states[id]`` builds the whole StateView, "why" sentence included
    (30-40 ms a tick on 2,000 states): its public ``ids``, ``status_codes`` and ``side_codes``
    are decoded instead. Any other snapshot (a test's, a future engine's) is read view by view."""
    status_codes = getattr(snapshot, "status_codes", None)
    if status_codes is None:
        return {state_id: (v.status, v.side) for state_id, v in snapshot.states.items()}
    from sandbox.core.sim import SIDE_NAMES, STATUS_NAMES  # loaded already: there is a run

    return {
        state_id: (STATUS_NAMES[status], SIDE_NAMES[side])
        for state_id, status, side in zip(
            snapshot.ids, status_codes.tolist(), snapshot.side_codes.tolist(), strict=True
        )
    }


class Canvas(QGraphicsView):
    """The scenario drawn as discs and ties; see the module docstring for the live seam."""

    attack_requested = Signal(str, str)
    attack_hovered = Signal(str, object)
    tool_changed = Signal(str)
    message = Signal(str)  # a short notice for the status bar

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # pan with middle/Space-drag
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(False)  # the window takes dropped files
        self.colors = theme.palette_canvas_colors(self.palette())
        self.scenario: Scenario = document.scenario
        self.state_items: dict[str, StateItem] = {}
        self.ties: dict[str, dict[tuple[str, str], Tie]] = {}
        self.hulls: dict[str, HullItem] = {}
        self._treaties_by_state: dict[str, set[str]] = defaultdict(set)
        self._treaties_by_pair: dict[frozenset, list[str]] = defaultdict(list)
        self.selection = document.selection  # shared with the inspector, the treaty list, the window
        self._drawn_selection: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        self.selection.changed.connect(self._draw_selection)
        self.highlighted_states: set[str] = set()
        self.highlighted_treaty: str | None = None
        self.run_snapshot = None
        self._tie_status: dict[
            tuple[str, str, str], str
        ] = {}  # (treaty, a, b) with a < b -> status, not idle
        self._state_views: dict[str, tuple[str, str | None]] = {}  # state -> (status, side) in the run view
        self._styles: dict[tuple, tuple] = {}  # look -> (brush, pen) or (pen, brush): built once per look
        self.overview = None  # sandbox.core.overview.Overview: the rings and caption, or None
        self.tie_layer: TieLayer | None = None
        self.callout = Callout()
        self.scene().addItem(self.callout)
        self.verdict = QLabel(self)  # not the viewport's child: scrolling would carry it away
        self.verdict.setVisible(False)
        self.verdict.setContentsMargins(10, 6, 10, 6)
        self.verdict.setWordWrap(True)  # a long caption takes two lines rather than leave the view
        self.legend = Legend(self)  # the map's key, top right
        self._legend_timer = QTimer(self, singleShot=True, interval=0)  # once per burst of edits
        self._legend_timer.timeout.connect(self.update_legend)
        self.revisionist_marks: dict[str, RevisionistMark] = {}  # open play: who may choose a war
        self.threat_drawings: list[ThreatDrawing] = []  # the common threats of the tick shown
        self.empty_hint = QLabel(
            "An empty world.\nPress N (Add state) and click here to place a state,\n"
            "then L (Add treaty) and drag from one state to another.",
            self,
            alignment=Qt.AlignmentFlag.AlignCenter,
        )
        self.empty_hint.setStyleSheet(f"font-size: {theme.BASE_FONT_POINTS + 5}pt; color: gray;")
        self.empty_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._dash_offset = 0.0
        self.mobilizing_timer = QTimer(self, interval=90)
        self.mobilizing_timer.timeout.connect(self._animate_mobilizing)
        self._scene_rect_timer = QTimer(self, singleShot=True, interval=0)
        self._scene_rect_timer.timeout.connect(self._update_scene_rect)
        self._labels_shown = True
        self._name_scale = 1.0  # the size of names relative to their own (_update_level_of_detail)
        self._text_scale = 1.0  # presenter mode's large type (set_text_scale)
        self._label_timer = QTimer(self, singleShot=True, interval=0)  # place_labels, once per burst
        self._label_timer.timeout.connect(self.place_labels)
        self._fitted = False  # the first show fits the world into view
        self._fitted_view: tuple | None = None  # (transform, centre) fit_all left: overlays may refit
        self._pan_from: QPointF | None = None
        self._space_held = self._space_panned = False
        self.tools: dict[str, Tool] = {cls.name: cls(self) for cls in TOOL_CLASSES}
        self.tool: Tool = self.tools["select"]
        s = document.signals  # the open scenario's, whichever it is
        for signal, slot in (
            (s.state_added, self._on_state_added),
            (s.state_removed, self._on_state_removed),
            (s.states_changed, self._on_states_changed),
            (s.treaty_added, self._on_treaty_added),
            (s.treaty_removed, self._on_treaty_removed),
            (s.treaty_changed, self._on_treaty_changed),
        ):
            connect_view(signal, slot)
        self._rebuild()
        document.scenario_replaced.connect(self.set_scenario)

    # -- model -> scene ------------------------------------------------------------

    def set_scenario(self, scenario: Scenario) -> None:
        """Draw another scenario (the document replaced its own)."""
        self.scenario = scenario
        self.tool.deactivate()
        self.selection.clear()
        self._drawn_selection = (frozenset(), frozenset())
        self.highlighted_states, self.highlighted_treaty = set(), None
        self.run_snapshot, self._tie_status, self._state_views, self.overview = None, {}, {}, None
        self.verdict.setVisible(False)
        self.callout.setVisible(False)
        self._rebuild()
        self.update_legend()
        self.fit_all()

    def _rebuild(self) -> None:
        for item in [*self.state_items.values(), *self.hulls.values()]:
            self.scene().removeItem(item)
        if self.tie_layer is not None:
            self.scene().removeItem(self.tie_layer)
        self.tie_layer = TieLayer()  # filled before it joins the scene: no repaint requests per tie
        self.state_items, self.ties, self.hulls = {}, {}, {}
        self.revisionist_marks = {}
        self._treaties_by_state.clear()
        self._treaties_by_pair.clear()
        for state in self.scenario.states:
            self._on_state_added(state, None)
        for treaty in self.scenario.treaties:
            self._on_treaty_added(treaty, None)
        self.scene().addItem(self.tie_layer)
        self._scene_rect_timer.start()

    def _on_state_added(self, state, index) -> None:
        item = StateItem(state.id)
        item.set_geometry(state.position, radius_for_power(state.power))
        item.set_name(state.name)
        item.set_label_colors(self.colors.text, self._label_back())
        item.set_label_visible(self._labels_shown)
        item.name_label.set_scale(self._name_scale)
        self.scene().addItem(item)
        self.state_items[state.id] = item
        self._mark_revisionist(state)
        self._style_state(state.id)
        self._scene_rect_timer.start()
        self._label_timer.start()
        self._legend_timer.start()

    def _on_state_removed(self, state, index) -> None:
        item = self.state_items.pop(state.id)
        self.revisionist_marks.pop(state.id, None)  # a child of the item: it goes with it
        self.scene().removeItem(item)
        self._treaties_by_state.pop(state.id, None)
        self.highlighted_states.discard(state.id)
        self._scene_rect_timer.start()
        self.selection.drop(state_id=state.id)
        self._legend_timer.start()

    def _on_states_changed(self, states, changed) -> None:
        for state in states:
            item = self.state_items[state.id]
            if "name" in changed:
                item.set_name(state.name)
            if "color" in changed:
                item.style_key = None
                self._style_state(state.id)
            if "position" in changed or "power" in changed:
                item.set_geometry(state.position, radius_for_power(state.power))
            if "revisionism" in changed or "power" in changed:
                self._mark_revisionist(state)
        if "position" in changed or "power" in changed:  # each treaty of the moved states once
            self._place_treaties(
                dict.fromkeys(t for state in states for t in self._treaties_by_state.get(state.id, ()))
            )
            self._scene_rect_timer.start()
        if {"name", "position", "power"} & set(changed):
            self._label_timer.start()

    def _mark_revisionist(self, state) -> None:
        """The spearhead on a state with revisionism > 0 (marks.py), fitted to its disc."""
        mark = self.revisionist_marks.get(state.id)
        if state.revisionism > 0:
            if mark is None:
                mark = self.revisionist_marks[state.id] = RevisionistMark(self.state_items[state.id])
            mark.fit(self.state_items[state.id].radius)
        elif mark is not None:
            self.scene().removeItem(self.revisionist_marks.pop(state.id))
        self._legend_timer.start()  # "revisionist" in the legend, or no longer

    def _draw_threats(self, snapshot) -> None:
        """The common threats of the tick shown (none while editing)."""
        for drawing in self.threat_drawings:
            drawing.remove(self.scene())
        self.threat_drawings = []
        for entry in getattr(snapshot, "threats", ()):
            treaty = (
                self.scenario.treaty(entry["treaty"]) if self.scenario.has_treaty(entry["treaty"]) else None
            )
            items = [self.state_items[m] for m in (treaty.members if treaty else ()) if m in self.state_items]
            if items:
                circles = [(item.pos().x(), item.pos().y(), item.radius) for item in items]
                lines = threat_lines(entry, treaty.name)
                drawing = ThreatDrawing(self.scene(), circles, lines, self.colors, self._text_scale)
                drawing.anchors = sorted(items, key=lambda item: -item.radius)
                self.threat_drawings.append(drawing)
        self._place_threats()

    def _place_threats(self) -> None:
        """Each threat's callout clear of the states as the view shows them now (after a zoom too)."""
        for drawing in self.threat_drawings:
            self._clear_of_states(drawing.callout, drawing.anchors)

    def _clear_of_states(self, callout: Callout, anchors: list[StateItem]) -> None:
        """Beside the first of ``anchors`` where the callout covers no state, name or overlay; else
        wherever in the view it covers none, nearest the first anchor; else beside the first."""
        taken = [  # each state's disc and name, each treaty area's name, and the legend and verdict
            QRectF(
                self.mapFromScene(i.mapToScene(i.boundingRect() | i.childrenBoundingRect())).boundingRect()
            )
            for i in self.state_items.values()
        ]
        taken += [
            QRectF(self.mapFromScene(h.name_label.back.sceneBoundingRect()).boundingRect())
            for h in self.hulls.values()
        ]
        taken += [QRectF(o.geometry()) for o in (self.legend, self.verdict) if o.isVisible()]
        box = callout.boundingRect()

        def clear(top_left: QPointF) -> bool:
            return not any(box.translated(top_left - box.topLeft()).intersects(r) for r in taken)

        for item in anchors:
            self._beside(callout, item)
            if clear(QPointF(self.mapFromScene(callout.pos())) + box.topLeft()):
                return
        view = self.viewport().rect()
        near = QPointF(self.mapFromScene(anchors[0].pos()))
        spots = [
            QPointF(x, y)
            for x in range(view.left() + 4, int(view.right() - box.width()), 16)
            for y in range(view.top() + 4, int(view.bottom() - box.height()), 16)
        ]
        spots.sort(key=lambda p: (p.x() + box.width() / 2 - near.x()) ** 2 + (p.y() - near.y()) ** 2)
        spot = next((p for p in spots if clear(p)), None)
        if spot is None:
            self._beside(callout, anchors[0])
        else:
            callout.setPos(self.mapToScene(int(spot.x() - box.left()), int(spot.y() - box.top())))

    def _on_treaty_added(self, treaty: Treaty, index) -> None:
        parties = treaty.parties()
        for state_id in parties:
            self._treaties_by_state[state_id].add(treaty.id)
        self.ties[treaty.id] = {}
        neighbours = {treaty.id}
        if drawn_as_hull(treaty):  # its ties get items when a run gives them a status
            self.hulls[treaty.id] = HullItem(treaty.id)
            self.hulls[treaty.id].name_label.set_scale(self._name_scale)
            self.scene().addItem(self.hulls[treaty.id])
        else:
            for a, b in tie_pairs(treaty):
                tie = Tie(treaty.id, a, b, arrow=treaty.type == "guarantee")
                self.tie_layer.add(tie)
                self.ties[treaty.id][(a, b)] = tie
                parallel = self._treaties_by_pair[frozenset((a, b))]
                parallel.append(treaty.id)
                neighbours.update(parallel)
        self._place_treaties(neighbours)
        self._style_treaty(treaty.id)
        self._legend_timer.start()

    def _on_treaty_removed(self, treaty: Treaty, index, redrawing: bool = False) -> None:
        for tie in self.ties.pop(treaty.id).values():
            self.tie_layer.remove(tie)
            pair = frozenset((tie.a, tie.b))
            if treaty.id in self._treaties_by_pair.get(pair, ()):
                self._treaties_by_pair[pair].remove(treaty.id)
                self._place_treaties(self._treaties_by_pair[pair])
        if treaty.id in self.hulls:
            self.scene().removeItem(self.hulls.pop(treaty.id))
        for state_id in treaty.parties():
            self._treaties_by_state.get(state_id, set()).discard(treaty.id)
        self._legend_timer.start()
        if redrawing:  # the treaty stays: so do its selection and highlight
            return
        if self.highlighted_treaty == treaty.id:
            self.highlighted_treaty = None
        self.selection.drop(treaty_id=treaty.id)

    def _on_treaty_changed(self, treaty: Treaty, changed) -> None:
        # memberships and type decide which items exist: redraw this treaty from scratch
        for state_ids in self._treaties_by_state.values():
            state_ids.discard(treaty.id)
        self._on_treaty_removed(treaty, None, redrawing=True)
        self._on_treaty_added(treaty, None)

    def _place_treaties(self, treaty_ids: Iterable[str]) -> None:
        """Put the ties and hulls of these treaties where their states are shown."""
        for treaty_id in list(treaty_ids):
            for tie in self.ties.get(treaty_id, {}).values():
                self._place_tie(tie)
            if treaty_id in self.hulls:
                treaty = self.scenario.treaty(treaty_id)
                circles = [
                    (i.pos().x(), i.pos().y(), i.radius) for i in map(self.state_items.get, treaty.members)
                ]
                depth = sum(1 for other in self.hulls if other < treaty_id and self._overlaps(other, treaty))
                self.hulls[treaty_id].set_members(circles, treaty.name, depth)

    def _place_tie(self, tie: Tie) -> None:
        a, b, treaty_id = tie.a, tie.b, tie.treaty_id
        pair = self._treaties_by_pair.get(frozenset((a, b)), [])
        offset = 0.0
        if treaty_id in pair and len(pair) > 1:
            # parallel treaties over one pair sit side by side; the sign keeps a->b and b->a apart
            offset = (pair.index(treaty_id) - (len(pair) - 1) / 2) * PARALLEL_GAP
            offset = offset if a < b else -offset
        ia, ib = self.state_items[a], self.state_items[b]
        tie.set_ends(ia.pos(), ib.pos(), ia.radius, ib.radius, offset)

    def _overlaps(self, other_id: str, treaty: Treaty) -> bool:
        return bool(set(self.scenario.treaty(other_id).members) & set(treaty.members))

    def _update_scene_rect(self) -> None:
        self.empty_hint.setVisible(not self.state_items)
        rect = QRectF()
        for item in self.state_items.values():
            rect = rect.united(item.sceneBoundingRect())
        self.scene().setSceneRect(rect.adjusted(-600, -600, 600, 600))

    # -- styles ----------------------------------------------------------------------

    def _label_back(self) -> QColor:
        back = QColor(self.colors.background)
        back.setAlpha(190)
        return back

    def _style_state(self, state_id: str) -> None:
        item = self.state_items[state_id]
        view = self._state_views.get(state_id)
        look = ("edit", self.scenario.state(state_id).color) if view is None else ("run", *view)
        emphasis = 2 if state_id in self.highlighted_states else 1 if state_id in self.selected_states else 0
        key = (look, emphasis)
        if key != item.style_key:
            style = self._styles.get(key) or self._styles.setdefault(key, self._state_style(look, emphasis))
            item.set_style(key, *style)

    def _state_style(self, look: tuple, emphasis: int) -> tuple[QBrush, QPen]:
        """Fill and outline of a state: its own colour while editing, status and side in a run."""
        outline_colour, outline_style, width = self.colors.state_outline, Qt.PenStyle.SolidLine, 2.0
        if look[0] == "edit":
            fill = self.colors.fill(look[1]) if look[1] else QColor(self.colors.state_fill)
        else:
            _, status, side = look
            if status in ("belligerent", "mobilizing") and side:
                fill = self.colors.fill(vocabulary.SIDE_COLORS[side])
            else:
                fill = self.colors.fill(
                    vocabulary.STATE_STATUS_COLORS.get(status, vocabulary.SIDE_COLORS[None])
                )
            if status == "mobilizing":
                fill, outline_style = fill.lighter(135), Qt.PenStyle.DashLine
            elif status == "reneged":  # a broken ring: the promise was not kept
                outline_colour, outline_style, width = (
                    QColor(vocabulary.RENEGED_OUTLINE),
                    Qt.PenStyle.DashLine,
                    4.0,
                )
        if emphasis:
            outline = make_pen(theme.SELECTION_COLOR, 8.0 if emphasis == 2 else 5.0)
        else:
            outline = make_pen(outline_colour, width, outline_style)
        return QBrush(fill), outline

    def state_look(self, status: str, side: str | None) -> tuple[QBrush, QPen]:
        """Fill and outline of a state of this run status and side (what the legend shows)."""
        key = (("run", status, side), 0)
        return self._styles.get(key) or self._styles.setdefault(key, self._state_style(*key))

    def tie_look(self, status: str) -> QPen:
        """The pen of a tie of this run status (what the legend shows)."""
        return self._pen_of(("run", status, False, False, 0.0))

    def treaty_look(self, treaty_type: str) -> QPen:
        """The pen of a tie of this treaty type while editing, or idle in a run (what the legend shows)."""
        return self._pen_of(("edit", treaty_type, False, False))

    def own_look(self) -> tuple[QBrush, QPen]:
        """Fill and outline of a state of no colour of its own while editing (what the legend shows)."""
        key = (("edit", None), 0)
        return self._styles.get(key) or self._styles.setdefault(key, self._state_style(*key))

    def _pen_of(self, key: tuple) -> QPen:
        return (self._styles.get(key) or self._styles.setdefault(key, self._tie_style(key)))[0]

    def _style_treaty(self, treaty_id: str) -> None:
        treaty = self.scenario.treaty(treaty_id)
        emphasised = treaty_id in self.selected_treaties or treaty_id == self.highlighted_treaty
        hull = self.hulls.get(treaty_id)
        if hull is not None:
            colour = QColor(theme.SELECTION_COLOR if emphasised else vocabulary.TREATY_COLORS[treaty.type])
            hull.set_style(
                (emphasised, self.colors.text.name(), self.colors.background.name()),
                colour,
                6.0 if emphasised else 3.0,
                self.colors.text,
                self._label_back(),
            )
        for tie in self.ties[treaty_id].values():
            self._style_tie(treaty, tie, emphasised, hull is not None)

    def _style_tie(self, treaty: Treaty, tie: Tie, emphasised: bool, in_hull: bool) -> None:
        """A tie looks like its treaty type while editing or idle, like its status in a run."""
        status = self._tie_status.get(
            (treaty.id, tie.a, tie.b) if tie.a < tie.b else (treaty.id, tie.b, tie.a)
        )
        if status is None:
            key = ("edit", treaty.type, emphasised, tie.arrow)
            visible = emphasised or not in_hull  # a hull stands for its ties until they matter
        else:
            key = ("run", status, emphasised, tie.arrow, self._dash_offset if status == "mobilizing" else 0.0)
            visible = True
        if key != tie.style_key:
            style = self._styles.get(key) or self._styles.setdefault(key, self._tie_style(key))
            tie.set_style(key, *style, visible=visible, marker=status == "violation")

    def _tie_style(self, key: tuple) -> tuple[QPen, QBrush]:
        """Pen and arrow-head brush for a tie look. Tie pens are cosmetic (screen pixels): a
        zoomed-out world of thousands of ties renders fast and stays legible."""
        extra = 3.0 if key[2] else 0.0
        if key[0] == "edit":
            colour = QColor(theme.SELECTION_COLOR if key[2] else vocabulary.TREATY_COLORS[key[1]])
            pen = make_pen(colour, TIE_WIDTH + extra, theme.TREATY_LINE_STYLES[key[1]])
        else:
            pen = self._status_pen(key[1], extra, key[4])
        pen.setCosmetic(True)
        return pen, QBrush(pen.color()) if key[3] else QBrush(Qt.BrushStyle.NoBrush)

    @staticmethod
    def _status_pen(status: str, extra: float, dash_offset: float) -> QPen:
        colour = QColor(vocabulary.TIE_STATUS_COLORS.get(status, vocabulary.TIE_STATUS_COLORS["idle"]))
        if status == "honoured":
            return make_pen(colour, 6.0 + extra)
        if status == "mobilizing":
            pen = make_pen(colour, 5.0 + extra, Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([2.0, 1.5])
            pen.setDashOffset(dash_offset)
            return pen
        if status == "reneged":
            pen = make_pen(colour, 4.0 + extra, Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([3.0, 3.0])  # a broken line: the promise was not kept
            return pen
        if status == "vetoed":
            return make_pen(colour, 4.0 + extra, Qt.PenStyle.DashDotLine)
        if status == "not-obliged":
            colour.setAlpha(130)
            return make_pen(colour, 2.0 + extra, Qt.PenStyle.DotLine)
        return make_pen(colour, 4.0 + extra)  # obliged, violation

    def restyle_all(self) -> None:
        for state_id in self.state_items:
            self._style_state(state_id)
        for treaty_id in self.ties:
            self._style_treaty(treaty_id)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()
        super().changeEvent(event)

    def _recolour(self) -> None:
        self.colors = theme.palette_canvas_colors(self.palette())
        self._styles.clear()
        for item in self.state_items.values():
            item.set_label_colors(self.colors.text, self._label_back())
            item.style_key = None
        for hull in self.hulls.values():
            hull.style_key = None
        self.restyle_all()
        self._style_verdict()
        self._draw_threats(self.run_snapshot)  # in the new palette's ink
        self.legend.update()
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self.colors.background)
        step = 100.0
        painter.setPen(QPen(self.colors.grid, 0))
        x = math.floor(rect.left() / step) * step
        while x < rect.right():
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
            x += step
        y = math.floor(rect.top() / step) * step
        while y < rect.bottom():
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            y += step

    # -- selection -----------------------------------------------------------------

    def select(self, state_ids: Iterable[str], treaty_ids: Iterable[str]) -> None:
        """Make these states and treaties the selection (unknown ids are ignored)."""
        self.selection.set(
            (s for s in state_ids if s in self.state_items), (t for t in treaty_ids if t in self.ties)
        )

    @property
    def selected_states(self) -> frozenset[str]:
        return self.selection.states

    @property
    def selected_treaties(self) -> frozenset[str]:
        return self.selection.treaties

    def _draw_selection(self) -> None:
        """Restyle what the selection's change touched (whoever changed it)."""
        states, treaties = self.selection.states, self.selection.treaties
        drawn_states, drawn_treaties = self._drawn_selection
        self._drawn_selection = (states, treaties)
        for state_id in states ^ drawn_states:
            if state_id in self.state_items:
                self._style_state(state_id)
        for treaty_id in treaties ^ drawn_treaties:
            if treaty_id in self.ties:
                self._style_treaty(treaty_id)

    def select_all(self) -> None:
        self.select(self.state_items, [])

    def state_at(self, pos: QPointF) -> str | None:
        """The state whose disc or label is under the scene position, if any."""
        for item in self.scene().items(pos):
            while item is not None and not isinstance(item, StateItem):
                item = item.parentItem()
            if isinstance(item, StateItem) and item is not None:
                return item.state_id
        return None

    def treaty_at(self, pos: QPointF) -> str | None:
        """The treaty whose tie, hull outline or name is under the scene position, if any."""
        tie = self.tie_layer.tie_at(pos, 8.0 / self.transform().m11())  # 8 screen pixels either side
        if tie is not None:
            return tie.treaty_id
        for item in self.scene().items(pos):
            item = item.parentItem() if isinstance(item.parentItem(), HullItem) else item
            if isinstance(item, HullItem):
                return item.treaty_id
        return None

    # -- editing --------------------------------------------------------------------

    def push(self, command: QUndoCommand) -> None:
        self.document.undo_stack.push(command)

    def show_message(self, text: str) -> None:
        self.message.emit(text)

    def set_tool(self, name: str) -> None:
        """Make the named tool ("select", "add-state", "link", "attack") active."""
        if name == self.tool.name:
            return
        self.tool.deactivate()
        self.tool = self.tools[name]
        self.viewport().setCursor(self.tool.cursor)
        self.tool.activate()
        self.tool_changed.emit(name)

    def preview_state_position(self, state_id: str, position: tuple[float, float]) -> None:
        """Show a state elsewhere during a drag, without touching the model."""
        item = self.state_items[state_id]
        item.setPos(QPointF(*position))
        self._place_treaties(self._treaties_by_state.get(state_id, ()))

    def shown_position(self, state_id: str) -> tuple[float, float]:
        pos = self.state_items[state_id].pos()
        return (round(pos.x(), 1), round(pos.y(), 1))

    # -- view ---------------------------------------------------------------------------

    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)
        self._update_level_of_detail()

    def _update_level_of_detail(self) -> None:
        """Zoomed out, names grow to stay readable; far out, they are hidden and ties drawn as
        plain lines without antialiasing (a whole big world then renders in a few frames' time)."""
        zoom = self.transform().m11()
        k = self._text_scale
        # in tenths, rounded up: names are re-laid out only when the zoom changed by a tenth or so
        boost = math.ceil(
            10 * min(MAX_NAME_BOOST * k, max(k, k * MIN_NAME_POINTS / (theme.STATE_LABEL_POINTS * zoom)))
        )
        if boost / 10 != self._name_scale and zoom >= LABEL_MIN_SCALE:  # hidden names keep their size
            self._name_scale = boost / 10
            for item in [*self.state_items.values(), *self.hulls.values()]:
                item.name_label.set_scale(self._name_scale)
            self._label_timer.start()
        shown = zoom >= LABEL_MIN_SCALE
        if shown != self._labels_shown:
            self._labels_shown = shown
            self.setRenderHint(QPainter.RenderHint.Antialiasing, shown)
            self.tie_layer.set_simplified(not shown)
            for item in self.state_items.values():
                item.set_label_visible(shown)
        self._place_threats()

    def set_text_scale(self, scale: float) -> None:
        """Names, callouts and the caption at ``scale`` times their own size (presenter mode's large
        type); the legend in its compact form (:meth:`Legend.set_text_scale`)."""
        if scale != self._text_scale:
            self._text_scale = scale
            for callout in (self.callout, *(drawing.callout for drawing in self.threat_drawings)):
                callout.set_text_scale(scale)
            self._style_verdict()
            self.legend.set_text_scale(scale)
            self._update_level_of_detail()  # places the threats' callouts again
            self.place_overlays()

    def place_labels(self) -> None:
        """Put each name where it covers no other name and no state's disc: a hull's name first,
        at the first free spot of HULL_NAME_SPOTS (above or below its hull, beside it, then lifted
        away on a leader line; else hidden: its members' names matter more), then each state's at
        the first free spot of LABEL_SPOTS (below, above, beside, diagonally, reaching to one side,
        then a little further out), bigger states first; where no spot is free, the least covered
        one. A greedy pass as map makers' label placement does; worlds too big to show names in
        full keep them where they are."""
        items = sorted(self.state_items.values(), key=lambda i: (-i.radius, i.state_id))
        if len(items) > MAX_PLACED_LABELS:
            return
        discs = [i.sceneBoundingRect() for i in items]
        placed: list[QRectF] = []

        def cheapest(spots: int, rect_at, own: QRectF | None) -> tuple[int, float]:
            best, best_cost = 0, math.inf
            # only what meets some spot can cover one: the rest adds nothing to any cost (a run's legend
            # change places every name again, and comparing all pairs held the window up 80 ms)
            reach = QRectF()
            for spot in range(spots):
                reach = reach.united(rect_at(spot))
            near = [other for other in placed if other.intersects(reach)]
            near += [disc for disc in discs if disc != own and disc.intersects(reach)]
            for spot in range(spots):
                rect = rect_at(spot)
                cost = sum(_overlap(rect, other) for other in near)
                if cost < best_cost:
                    best, best_cost = spot, cost
                if cost == 0:
                    break
            return best, best_cost

        for hull in sorted(self.hulls.values(), key=lambda h: h.treaty_id):
            spot, cost = cheapest(len(HULL_NAME_SPOTS), hull.name_rect, None)
            if hull.name_spot != spot:
                hull.set_name_spot(spot)
            hull.show_name(cost == 0)  # no room anywhere: the states' names go first
            if cost == 0:
                placed.append(hull.name_rect(spot))
        for item in items:
            spot, _cost = cheapest(len(LABEL_SPOTS), item.label_rect, item.sceneBoundingRect())
            if item.label_spot != spot:
                item.set_label_spot(spot)
            placed.append(item.label_rect(spot))

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def world_rect(self) -> QRectF:
        """The scene rectangle of every state and hull with their names."""
        rect = QRectF()
        for item in [*self.state_items.values(), *self.hulls.values()]:
            rect = rect.united(item.sceneBoundingRect()).united(
                item.mapRectToScene(item.childrenBoundingRect())
            )
        return rect

    def fit_all(self) -> None:
        """Fit every state and hull, with their names, into view, clear of the verdict and the
        legend (each takes a strip on its side of the view when it would cover a state)."""
        if self.world_rect().isNull():
            return
        self._update_scene_rect()
        for _ in range(FIT_ROUNDS):  # names grow as the zoom falls: fit again until their size settles
            scale = self._name_scale
            self.place_labels()  # the names' places decide the world's extent
            self._fit_once()
            if self._name_scale == scale:
                break
        self._fitted_view = (self.transform(), self._view_centre())

    def _fit_once(self) -> None:
        rect = self.world_rect().adjusted(-30, -30, 30, 30)
        view = self.viewport().rect()
        # an overlay gets a strip, and another when the other's strip moved states under it again
        given: dict[QWidget, int] = {}
        while True:
            self._fit_into(rect)
            covering = [
                o
                for o in (self.verdict, self.legend)
                if o.isVisible() and given.get(o, 0) < MAX_STRIPS and self._covers_a_state(o)
            ]
            if not covering:
                return
            for overlay in covering:
                given[overlay] = given.get(overlay, 0) + 1
                # a strip of the view: below the world, or (legend) above or beside it, whichever is cheaper
                w, h = overlay.width() + 24, overlay.height() + 24
                if overlay is self.legend and w / view.width() < h / view.height():
                    rect.setRight(rect.right() + rect.width() * w / max(1, view.width() - w))
                elif overlay is self.legend:
                    rect.setTop(rect.top() - rect.height() * h / max(1, view.height() - h))
                else:
                    rect.setBottom(rect.bottom() + rect.height() * h / max(1, view.height() - h))

    def _fit_into(self, rect: QRectF) -> None:
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.5:  # a small world is not blown up
            self.resetTransform()
            self.scale(1.5, 1.5)
            self.centerOn(rect.center())
        self._update_level_of_detail()

    def _covers_a_state(self, overlay) -> bool:
        """Whether the overlay widget hides part of a state, its name or a hull's name."""
        area = overlay.geometry().translated(-self.viewport().pos())
        for item in self.scene().items(self.mapToScene(area).boundingRect()):
            owner = item.parentItem() or item
            if isinstance(owner, StateItem) or (isinstance(owner, HullItem) and owner is not item):
                return True
        return False

    def _view_centre(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def _as_fitted(self) -> bool:
        """Whether the view is as fit_all left it (nobody zoomed or panned it since)."""
        if self._fitted_view is None or self._fitted_view[0] != self.transform():
            return False
        shift = self._fitted_view[1] - self._view_centre()
        return shift.manhattanLength() * self.transform().m11() <= 2  # a resize's rounding at most

    def _keep_overlays_clear(self) -> None:
        """Fit again when an overlay appeared over a state while the view is as fit_all left it."""
        if self._as_fitted() and any(
            o.isVisible() and self._covers_a_state(o) for o in (self.verdict, self.legend)
        ):
            self.fit_all()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.fit_all()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_overlays()
        if self._as_fitted():  # a panel came or went, or the window was resized: the world fits again
            self.fit_all()
        self.empty_hint.setGeometry(self.viewport().geometry())

    def wheelEvent(self, event) -> None:
        self.zoom_by(1.0015 ** event.angleDelta().y())

    def _scene_pos(self, event) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_held
        ):
            self._pan_from = event.position()
            self._space_panned = True
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        elif event.button() == Qt.MouseButton.LeftButton:
            self.tool.press(self._scene_pos(event), event.modifiers())
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.pan_by(delta.x(), delta.y())
        else:
            self.tool.move(self._scene_pos(event))
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space_held else self.tool.cursor)
        elif event.button() == Qt.MouseButton.LeftButton:
            self.tool.release(self._scene_pos(event))
        event.accept()

    def pan_by(self, dx: float, dy: float) -> None:
        """Scroll the view as if the world were dragged by (dx, dy) pixels."""
        self.horizontalScrollBar().setValue(int(self.horizontalScrollBar().value() - dx))
        self.verticalScrollBar().setValue(int(self.verticalScrollBar().value() - dy))

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(self.mapToScene(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPointF) -> str:
        """What hovering over ``pos`` tells: for a state the tooltip given by set_state_tooltips,
        else in a run the snapshot's "why" (built now, for this state only), else its numbers;
        or the treaty under the pointer."""
        state_id = self.state_at(pos)
        if state_id is not None:
            item, state = self.state_items[state_id], self.scenario.state(state_id)
            if item.toolTip():
                return item.toolTip()
            view = self.run_snapshot.states.get(state_id) if self.run_snapshot is not None else None
            if view is not None:
                return view.why
            return (
                f"{state.name} ({state.id})\npower {state.power:g}, GDP {state.economy:g}, "
                f"reliability {state.reliability:g}, mobilisation {counted(state.mobilization, 'tick')}"
            )
        treaty_id = self.treaty_at(pos)
        if treaty_id is not None:
            treaty = self.scenario.treaty(treaty_id)
            names = ", ".join(self.scenario.state(s).name for s in treaty.parties())
            return (
                f"{treaty.name}\n{TREATY_TYPE_NAMES[treaty.type]}, commitment {treaty.commitment:g}: {names}"
            )
        return ""

    def event(self, event) -> bool:
        # take Space from the window's shortcuts while the canvas has focus: Space-drag pans
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Space:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_held, self._space_panned = True, False
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif event.key() == Qt.Key.Key_Escape:
            self.tool.deactivate()
            self.select([], [])
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self.viewport().setCursor(self.tool.cursor)
            if not self._space_panned:
                self._trigger_space_action()
        else:
            super().keyReleaseEvent(event)

    def _trigger_space_action(self) -> None:
        """A tap of Space without a drag does what Space does elsewhere in the window (play/pause)."""
        space = QKeySequence(Qt.Key.Key_Space)
        for action in self.window().findChildren(QAction):
            if action.shortcut() == space and action.isEnabled():
                action.trigger()
                return

    # -- live simulation seam ----------------------------------------------------------

    def apply_run_view(self, snapshot) -> None:
        """Colour states by the snapshot's status and side and ties by their status;
        None brings back the editing view. Only items whose look changed are touched."""
        old_snapshot, self.run_snapshot = self.run_snapshot, snapshot
        old_ties, old_states = self._tie_status, self._state_views
        self._tie_status, self._state_views = {}, {}
        if snapshot is not None:
            for t in snapshot.ties:
                if t.status != "idle":  # idle ties keep their editing look
                    self._tie_status[(t.treaty, t.a, t.b) if t.a < t.b else (t.treaty, t.b, t.a)] = t.status
            self._state_views = run_looks(snapshot)
        views, items = self._state_views, self.state_items
        for state_id in [s for s, view in views.items() if old_states.get(s) != view and s in items]:
            self._style_state(state_id)
        for state_id in [s for s in old_states if s not in views and s in items]:
            self._style_state(state_id)
        new = self._tie_status
        self._restyle_ties([key for key, status in new.items() if old_ties.get(key) != status])
        self._restyle_ties([key for key in old_ties if key not in new])
        if "mobilizing" in new.values():
            self.mobilizing_timer.start()
        else:
            self.mobilizing_timer.stop()
        self.update_legend(force=(snapshot is None) != (old_snapshot is None))
        self._draw_threats(snapshot)  # last: the view is as the legend left it

    def update_legend(self, force: bool = False) -> None:
        """List in the legend what the map shows now: in a run the states' and ties' looks, else
        the states' own colours and the treaty types; the rings and areas in both. Placed again
        when its entries changed (or ``force``)."""
        areas = {self.scenario.treaty(treaty_id).type for treaty_id in self.hulls}
        marks = {self.overview.view} if self.overview is not None and self.overview.ringed else set()
        marks |= {REVISIONIST} if self.revisionist_marks else set()
        marks |= {THREAT} if getattr(self.run_snapshot, "threats", ()) else set()
        idle = self._tie_status
        lines = {
            self.scenario.treaty(treaty_id).type
            for treaty_id, ties in self.ties.items()
            if treaty_id not in self.hulls
            and any((treaty_id, *sorted((tie.a, tie.b))) not in idle for tie in ties.values())
        }
        if self.run_snapshot is None:
            if self.state_items:
                marks.add("selected")
            changed = self.legend.show_editing(lines, areas, marks)
        else:
            looks = set(self._state_views.values()), set(self._tie_status.values())
            changed = self.legend.show_looks(*looks, marks, areas, lines)
        if changed or force:  # the legend grew, came or went
            self.legend.resize(self.legend.sizeHint())
            self.place_overlays()
            self._keep_overlays_clear()

    def _restyle_ties(self, keys: Iterable[tuple[str, str, str]]) -> None:
        for treaty_id, a, b in keys:
            tie = self._tie_item(treaty_id, a, b)
            if tie is not None:
                emphasised = treaty_id in self.selected_treaties or treaty_id == self.highlighted_treaty
                self._style_tie(self.scenario.treaty(treaty_id), tie, emphasised, treaty_id in self.hulls)

    def _tie_item(self, treaty_id: str, a: str, b: str) -> Tie | None:
        """The item drawing a tie; a run's tie the editing view does not draw (inside a
        collective treaty's hull) gets an item now."""
        ties = self.ties.get(treaty_id)
        if ties is None or a not in self.state_items or b not in self.state_items:
            return None
        tie = ties.get((a, b)) or ties.get((b, a))
        if tie is None:
            treaty = self.scenario.treaty(treaty_id)
            if b in treaty.guarantors:
                a, b = b, a
            tie = ties[(a, b)] = Tie(treaty_id, a, b, arrow=treaty.type == "guarantee")
            self.tie_layer.add(tie)
            self._place_tie(tie)
        return tie

    def _animate_mobilizing(self) -> None:
        self._dash_offset = (self._dash_offset - 0.5) % 3.5
        self._restyle_ties(key for key, status in self._tie_status.items() if status == "mobilizing")

    def set_overview(self, overview) -> None:
        """Ring the states the view names (exposed, or Jackson & Nei vulnerable) and show its caption
        in a corner, its explanation as the caption's tooltip (None: hide both)."""
        self.overview = overview
        ringed = set(overview.ringed) if overview is not None else set()
        pen = self.ring_pen(overview.view if overview is not None else "exposure")
        for state_id, item in self.state_items.items():
            item.ring.setPen(pen)
            item.ring.setVisible(state_id in ringed)
        self.update_legend()
        if overview is None:
            self.verdict.setVisible(False)
            return
        self.verdict.setText(overview.caption)
        self.verdict.setToolTip(overview.explanation)
        self._style_verdict()
        self.verdict.setVisible(True)
        self.place_overlays()
        self._keep_overlays_clear()

    def _size_verdict(self, room: int) -> None:
        """The caption on one line when it fits in ``room`` pixels (less the margins), else wrapped."""
        self.verdict.ensurePolished()  # the style sheet's font decides the size
        margins = self.verdict.contentsMargins()
        frame = margins.left() + margins.right() + 2 * self.verdict.frameWidth() + 8  # the border and padding
        natural = self.verdict.fontMetrics().horizontalAdvance(self.verdict.text()) + frame
        width = min(natural, max(room - 24, 200))
        lines = self.verdict.fontMetrics().boundingRect(
            QRect(0, 0, width - frame, 10_000), Qt.TextFlag.TextWordWrap, self.verdict.text()
        )
        self.verdict.setFixedSize(width, lines.height() + margins.top() + margins.bottom() + 6)

    def ring_pen(self, view: str) -> QPen:
        """The ring around a state the view names (what the legend shows): exposure's dashed orange,
        Jackson & Nei's dotted purple."""
        if view == "jackson-nei":
            return make_pen(JACKSON_NEI_RING_COLOR, 3.0, Qt.PenStyle.DotLine)
        return make_pen(theme.WARNING_COLOR, 3.0, Qt.PenStyle.DashLine)

    def _style_verdict(self) -> None:
        calm = self.overview is not None and not self.overview.warning
        border = "#1e9e4a" if calm else theme.WARNING_COLOR
        self.verdict.setStyleSheet(
            f"QLabel {{ background: {self.colors.callout_fill.name(QColor.NameFormat.HexArgb)};"
            f" color: {self.colors.text.name()}; border: 2px solid {border}; border-radius: 6px;"
            f" font-size: {CAPTION_POINTS * self._text_scale:.1f}pt; }}"
        )

    def picture(self, scale: int) -> QImage:
        """What the view shows now, the verdict and legend included, at ``scale`` times its size
        (drawn again at that resolution, not enlarged)."""
        view = self.viewport().rect()
        image = QImage(view.size() * scale, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.colors.background)
        painter = QPainter(image)
        painter.setRenderHints(self.renderHints())
        self.render(painter, QRectF(image.rect()), view)
        painter.scale(scale, scale)
        for overlay in (self.verdict, self.legend):
            if overlay.isVisible():
                overlay.render(painter, overlay.pos() - self.viewport().pos())
        painter.end()
        return image

    def place_overlays(self) -> None:
        """The verdict at the bottom left, the legend at the top right of the view; the legend
        only in the run view, and only when the view is large enough to keep it aside."""
        area = self.viewport().geometry()
        self._size_verdict(area.width())
        self.verdict.move(area.left() + 12, area.bottom() - self.verdict.height() - 12)
        self.verdict.raise_()
        self.legend.move(area.right() - self.legend.width() - 12, area.top() + 12)
        self.legend.raise_()
        fits = self.legend.width() < 0.4 * area.width() or self.legend.height() < 0.4 * area.height()
        self.legend.setVisible(bool(self.legend.columns) and fits)

    def highlight(self, state_ids: Iterable[str], treaty_id: str | None) -> None:
        """Emphasise some states and one treaty (an event clicked in the log); ([], None) clears."""
        states = {s for s in state_ids if s in self.state_items}
        treaty_id = treaty_id if treaty_id in self.ties else None
        old_states, old_treaty = self.highlighted_states, self.highlighted_treaty
        self.highlighted_states, self.highlighted_treaty = states, treaty_id
        for state_id in (states ^ old_states) & self.state_items.keys():
            self._style_state(state_id)
        for tid in {treaty_id, old_treaty} & self.ties.keys():
            self._style_treaty(tid)
        if states:
            rect = QRectF()
            for state_id in states:
                rect = rect.united(self.state_items[state_id].sceneBoundingRect())
            self.ensureVisible(rect, 40, 40)

    def show_attack_preview(self, target_id: str | None, lines: list[str], deterred: bool) -> None:
        """A callout beside the target with the deterrence arithmetic; None hides it."""
        if target_id is None or target_id not in self.state_items:
            self.callout.setVisible(False)
            return
        item = self.state_items[target_id]
        border = QColor(EVENT_KIND_COLORS["deterred"] if deterred else vocabulary.SIDE_COLORS["aggressor"])
        self.callout.show_lines(item.pos(), lines, border, self.colors.callout_fill, self.colors.text)
        self._beside(self.callout, item)

    def _beside(self, callout: Callout, item: StateItem) -> None:
        """Put a callout beside a state, on whichever side it fits in the view, its top level with
        the disc's."""
        box = callout.boundingRect()
        disc = self.mapFromScene(item.sceneBoundingRect()).boundingRect()
        view = self.viewport().rect()
        x = disc.right() + 14
        if x + box.width() > view.right() and disc.left() - 14 - box.width() >= view.left():
            x = disc.left() - 14 - box.width()
        y = max(view.top() + 4, min(disc.top(), view.bottom() - box.height() - 4))
        callout.setPos(self.mapToScene(int(x - box.left()), int(y - box.top())))

    def set_state_tooltips(self, tooltips: dict[str, str]) -> None:
        """Tooltips per state id (the engine's plain-English "why"); missing ids get none."""
        for state_id, item in self.state_items.items():
            text = tooltips.get(state_id, "")
            if item.toolTip() != text:
                item.setToolTip(text)
