"""Canvas tools: one object per tool, each turning gestures into undo commands.

The canvas forwards mouse events to the active tool's ``press``/``move``/
``release``; those only translate the event into the tool's own methods
(``add_at``, ``begin_link``/``finish_link``, ...), which tests call directly.
A tool knows its canvas only through :class:`ToolHost`, the little it needs, so
this module does not import the canvas.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt, SignalInstance
from PySide6.QtGui import QColor, QPen, QUndoCommand
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene

from sandbox.app.editing.commands import AddStateCommand, AddTreatyCommand, MoveStatesCommand
from sandbox.app.style import theme, vocabulary
from sandbox.app.style.vocabulary import TREATY_TYPE_NAMES
from sandbox.core.scenario import Scenario, ScenarioEditError, State, Treaty


class ToolHost(Protocol):
    """What a tool uses of the canvas it works on."""

    scenario: Scenario
    selected_states: AbstractSet[str]
    selected_treaties: AbstractSet[str]
    attack_requested: SignalInstance
    attack_hovered: SignalInstance

    def scene(self) -> QGraphicsScene: ...
    def state_at(self, pos: QPointF) -> str | None: ...
    def treaty_at(self, pos: QPointF) -> str | None: ...
    def select(self, state_ids: Iterable[str], treaty_ids: Iterable[str]) -> None: ...
    def push(self, command: QUndoCommand) -> None: ...
    def show_message(self, text: str) -> None: ...
    def preview_state_position(self, state_id: str, position: tuple[float, float]) -> None: ...
    def shown_position(self, state_id: str) -> tuple[float, float]: ...
    def highlight(self, state_ids: Iterable[str], treaty_id: str | None) -> None: ...


class Tool:
    """Base tool: ignores everything. ``hint`` is shown in the status bar."""

    name = ""
    label = ""
    hint = ""
    cursor = Qt.CursorShape.ArrowCursor

    def __init__(self, canvas: ToolHost):
        self.canvas = canvas

    @property
    def scenario(self) -> Scenario:
        return self.canvas.scenario

    def activate(self) -> None:
        """Called when the tool becomes active."""

    def deactivate(self) -> None:
        """Called when another tool takes over: drop any half-done gesture."""

    def press(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        """Left button pressed at scene position ``pos``."""

    def move(self, pos: QPointF) -> None:
        """Mouse moved (button held or not)."""

    def release(self, pos: QPointF) -> None:
        """Left button released."""

    def line_from(self, state_id: str, color: str, width: float) -> QGraphicsLineItem:
        """A dashed line of ``color`` from the centre of ``state_id``, above every state and tie, whose
        far end ``drag_line`` moves; the caller removes it from the scene."""
        x, y = self.scenario.state(state_id).position
        line = QGraphicsLineItem(x, y, x, y)
        line.setPen(QPen(QColor(color), width, Qt.PenStyle.DashLine))
        line.setZValue(1000)
        self.canvas.scene().addItem(line)
        return line

    @staticmethod
    def drag_line(line: QGraphicsLineItem, pos: QPointF) -> None:
        """Move the far end of a ``line_from`` line to ``pos``."""
        start = line.line()
        line.setLine(start.x1(), start.y1(), pos.x(), pos.y())


class SelectTool(Tool):
    """Click to select, shift/ctrl-click to extend, drag to move (one undo step),
    drag on the background for a rubber band."""

    name = "select"
    label = "Select and move"
    hint = "Click to select, drag to move; drag on empty space to select an area; Shift adds."
    drag_threshold = 3.0

    def __init__(self, canvas: ToolHost):
        super().__init__(canvas)
        self._drag_start: QPointF | None = None
        self._start_positions: dict[str, tuple[float, float]] = {}
        self._band: QGraphicsRectItem | None = None
        self._band_origin = QPointF()
        self._band_extends = False

    def press(self, pos, modifiers):
        extend = bool(modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier))
        if self.select_at(pos, extend):
            self.begin_drag(pos)
        else:
            self.begin_band(pos, extend)

    def move(self, pos):
        if self._drag_start is not None:
            self.drag_to(pos)
        elif self._band is not None:
            self.band_to(pos)

    def release(self, pos):
        if self._drag_start is not None:
            self.end_drag()
        elif self._band is not None:
            self.end_band()

    def deactivate(self):
        self._cancel_drag()
        self._remove_band()

    def select_at(self, pos: QPointF, extend: bool = False) -> bool:
        """Select what is under ``pos``; returns True when a state or treaty was hit."""
        state_id = self.canvas.state_at(pos)
        treaty_id = None if state_id else self.canvas.treaty_at(pos)
        states, treaties = set(self.canvas.selected_states), set(self.canvas.selected_treaties)
        if state_id is None and treaty_id is None:
            if not extend:
                self.canvas.select([], [])
            return False
        if extend:
            (states.symmetric_difference_update if state_id else treaties.symmetric_difference_update)(
                {state_id or treaty_id}
            )
        elif state_id and state_id not in states:
            states, treaties = {state_id}, set()
        elif treaty_id and treaty_id not in treaties:
            states, treaties = set(), {treaty_id}
        self.canvas.select(states, treaties)
        return state_id is not None and state_id in states

    def begin_drag(self, pos: QPointF) -> None:
        self._drag_start = QPointF(pos)
        self._start_positions = {s: self.scenario.state(s).position for s in self.canvas.selected_states}

    def drag_to(self, pos: QPointF) -> None:
        """Move the selected discs on screen only; the model changes on release."""
        delta = pos - self._drag_start
        for state_id, (x, y) in self._start_positions.items():
            self.canvas.preview_state_position(state_id, (x + delta.x(), y + delta.y()))

    def end_drag(self) -> None:
        """Push ONE command moving every dragged state (none for a click without a drag)."""
        moved = {}
        for state_id, old in self._start_positions.items():
            new = self.canvas.shown_position(state_id)
            if abs(new[0] - old[0]) + abs(new[1] - old[1]) >= self.drag_threshold:
                moved = {s: self.canvas.shown_position(s) for s in self._start_positions}
                break
        if moved:
            self.canvas.push(MoveStatesCommand(self.scenario, moved, self._start_positions))
        else:
            self._cancel_drag()
        self._drag_start, self._start_positions = None, {}

    def _cancel_drag(self) -> None:
        for state_id, position in self._start_positions.items():
            if self.scenario.has_state(state_id):
                self.canvas.preview_state_position(state_id, position)
        self._drag_start, self._start_positions = None, {}

    def begin_band(self, pos: QPointF, extend: bool) -> None:
        self._band_extends, self._band_origin = extend, QPointF(pos)
        self._band = QGraphicsRectItem(QRectF(pos, pos))
        colour = QColor(theme.SELECTION_COLOR)
        self._band.setPen(QPen(colour, 0))
        colour.setAlpha(40)
        self._band.setBrush(colour)
        self._band.setZValue(1000)
        self.canvas.scene().addItem(self._band)

    def band_to(self, pos: QPointF) -> None:
        self._band.setRect(QRectF(self._band_origin, pos).normalized())

    def end_band(self) -> None:
        self.select_in_rect(self._band.rect().normalized(), self._band_extends)
        self._remove_band()

    def _remove_band(self) -> None:
        if self._band is not None:
            self.canvas.scene().removeItem(self._band)
            self._band = None

    def select_in_rect(self, rect: QRectF, extend: bool = False) -> None:
        """Select every state whose disc centre lies in ``rect``."""
        inside = {s.id for s in self.scenario.states if rect.contains(QPointF(*s.position))}
        if extend:
            inside |= set(self.canvas.selected_states)
        self.canvas.select(inside, self.canvas.selected_treaties if extend else [])


class AddStateTool(Tool):
    """Click the background to add a state there."""

    name = "add-state"
    label = "Add state"
    hint = "Click on empty space to add a state; edit its name and power in the inspector."
    cursor = Qt.CursorShape.CrossCursor

    def press(self, pos, modifiers):
        if self.canvas.state_at(pos) is None:
            self.add_at(pos)

    def add_at(self, pos: QPointF) -> str:
        """Add a new state centred at ``pos`` and select it; returns its id."""
        number = len(self.scenario.states) + 1
        state_id = self.scenario.unique_id(f"S{number}")
        state = State(id=state_id, name=f"State {number}", power=1.0, position=(pos.x(), pos.y()))
        self.canvas.push(AddStateCommand(self.scenario, state))
        self.canvas.select([state_id], [])
        return state_id


class LinkTool(Tool):
    """Drag from one state to another to add a treaty of the picked type
    (a guarantee runs from the guarantor to the member)."""

    name = "link"
    label = "Add treaty"
    hint = "Drag from one state to another to add a treaty of the chosen type (guarantor first)."
    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas: ToolHost):
        super().__init__(canvas)
        self.treaty_type = "defense"
        self.source: str | None = None
        self._rubber: QGraphicsLineItem | None = None

    def press(self, pos, modifiers):
        state_id = self.canvas.state_at(pos)
        if state_id:
            self.begin_link(state_id)

    def move(self, pos):
        if self._rubber is not None:
            self.drag_line(self._rubber, pos)

    def release(self, pos):
        if self.source is not None:
            self.finish_link(self.canvas.state_at(pos))

    def deactivate(self):
        self._end()

    def begin_link(self, state_id: str) -> None:
        self.source = state_id
        self._rubber = self.line_from(state_id, vocabulary.TREATY_COLORS[self.treaty_type], 3)

    def finish_link(self, target: str | None) -> str | None:
        """Add the treaty from the source to ``target``; returns its id (None: no treaty)."""
        source = self.source
        self._end()
        if source is None or target is None or target == source:
            return None
        treaty = self.new_treaty(source, target)
        try:
            self.scenario.check_treaty(treaty)
        except ScenarioEditError as error:
            self.canvas.show_message(str(error))
            return None
        self.canvas.push(AddTreatyCommand(self.scenario, treaty))
        self.canvas.select([], [treaty.id])
        return treaty.id

    def new_treaty(self, source: str, target: str) -> Treaty:
        a, b = self.scenario.state(source), self.scenario.state(target)
        kind = self.treaty_type
        name = f"{TREATY_TYPE_NAMES[kind]}: {a.name} - {b.name}"
        treaty_id = self.scenario.unique_id(f"{kind}-{source}-{target}")
        if kind == "guarantee":
            return Treaty(treaty_id, name, kind, members=[target], guarantors=[source])
        return Treaty(treaty_id, name, kind, members=[source, target])

    def _end(self) -> None:
        if self._rubber is not None:
            self.canvas.scene().removeItem(self._rubber)
            self._rubber = None
        self.source = None


class AttackTool(Tool):
    """Click the aggressor, then the target; the live view runs the attack."""

    name = "attack"
    label = "Attack"
    hint = "Click the aggressor, then its target: the simulation runs the attack. Esc cancels."
    cursor = Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas: ToolHost):
        super().__init__(canvas)
        self.aggressor: str | None = None
        self._hovered: str | None = None
        self._aim: QGraphicsLineItem | None = None

    def press(self, pos, modifiers):
        state_id = self.canvas.state_at(pos)
        if self.aggressor is None:
            if state_id:
                self.choose_aggressor(state_id)
        else:
            self.choose_target(state_id)

    def move(self, pos):
        if self.aggressor is not None:
            self.drag_line(self._aim, pos)
            self.hover(self.canvas.state_at(pos))

    def deactivate(self):
        self.cancel()

    def choose_aggressor(self, state_id: str) -> None:
        self.cancel()
        self.aggressor = state_id
        self._hovered = None
        # an arrow of intent from the aggressor to the pointer
        self._aim = self.line_from(state_id, vocabulary.SIDE_COLORS["aggressor"], 4)
        self.canvas.highlight([state_id], None)
        self.canvas.show_message(f"{self.scenario.state(state_id).name} attacks... click the target.")

    def hover(self, target: str | None) -> None:
        """Tell the live view which target is under the mouse (None: none)."""
        target = None if target == self.aggressor else target
        if target != self._hovered:
            self._hovered = target
            self.canvas.attack_hovered.emit(self.aggressor, target)

    def choose_target(self, target: str | None) -> bool:
        """Request the attack on ``target``; a click on nothing or on the aggressor cancels."""
        aggressor = self.aggressor
        self.cancel()
        if aggressor is None or target is None or target == aggressor:
            return False
        self.canvas.attack_requested.emit(aggressor, target)
        return True

    def cancel(self) -> None:
        if self._aim is not None:
            self.canvas.scene().removeItem(self._aim)
            self._aim = None
        if self.aggressor is not None:
            if self._hovered is not None:
                self.canvas.attack_hovered.emit(self.aggressor, None)
            self.canvas.highlight([], None)
        self.aggressor, self._hovered = None, None


TOOL_CLASSES = (SelectTool, AddStateTool, LinkTool, AttackTool)
