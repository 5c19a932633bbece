"""Workshop > Open Room: the room (sandbox.room) beside the window, for the projector and the facilitator.

:class:`RoomHost` runs the room's aiohttp event loop in a thread of its own and steps the room's run on
the GUI thread (the room's ``engine``), through the window's run controller: while the room is open
the canvas, charts and log show the room's run as it goes, and the run bar's Play, Pause and Reset
start, pause and reset the room (the controller's ``driver``). Nothing else steps the run.

:class:`RoomWindow` shows the join address, its QR code (segno) and the join code in type a room can
read; a table of every state, who holds it, its status and, while a decision is open, whether its
holder has decided (not what: choices are shown when the tick goes on, so the projector never tells
one participant what another chose); Free and Assign for the selected state; the time for a decision;
and once the run has ended, "the room and the model" side by side (sandbox.core.room_compare).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import threading
import time
from typing import Any

import segno
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sandbox.app.style.theme import canvas_colors
from sandbox.core.room_compare import room_lines
from sandbox.core.scenario import Scenario
from sandbox.core.text import counted, shown
from sandbox.room.server import Room

DEFAULT_PORT = 8750
OPEN_SECONDS = 15.0  # how long opening or closing the room may take before it is reported as failed


class RoomHost(QObject):
    """One open room: its thread and event loop, and the facilitator's controls (GUI thread)."""

    changed = Signal(object)  # a dict: the room as the facilitator sees it (built on the room's thread)
    _gui_call = Signal(object)  # (function, args, Future): run on the GUI thread for the room

    def __init__(
        self,
        controller: Any,
        scenario: Scenario,
        *,
        host: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        decision_seconds: float = 60.0,
        pace: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.view: dict[str, Any] = {}
        self.room: Room | None = None
        self._gui_call.connect(self._run_call)
        self.changed.connect(self._keep)  # before the window's slot: the window reads the host's view
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        options = {"host": host, "port": port, "decision_seconds": decision_seconds, "pace": pace}
        # the room's own copy: edits in the window do not reach a run in progress
        self._thread = threading.Thread(
            target=self._main, args=(scenario.copy(), controller.attacks, options), daemon=True
        )

    # -- opening and closing (GUI thread) ---------------------------------------------------

    def open(self) -> str:
        """Start listening; returns the join address (raises OSError when the port cannot be had)."""
        self._thread.start()
        if not self._ready.wait(OPEN_SECONDS):
            raise OSError("the room did not start in time")
        if self._failure is not None:
            self._thread.join(OPEN_SECONDS)
            raise self._failure
        self.controller.driver = self
        self.controller.adopt(self.room.sim)
        return self.room.url

    def close(self) -> None:
        """End the run, close every connection, stop listening; the window's own run comes back."""
        if self.room is None or not self._thread.is_alive():
            return
        done = asyncio.run_coroutine_threadsafe(self.room.close(), self._loop)
        try:
            done.result(OPEN_SECONDS)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(OPEN_SECONDS)
            if self.controller.driver is self:
                self.controller.driver = None
                self.controller.reset()

    # -- the facilitator (GUI thread) ---------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self.view.get("phase") == "running"

    def play(self) -> None:
        """Start or resume the room's run; an ended run starts over (as Play does outside the room)."""
        if self.view.get("phase") == "ended":
            self.reset()
        self._soon(self.room.start)

    def pause(self) -> None:
        self._soon(self.room.pause)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def reset(self) -> None:
        self._wait(self.room.reset())
        self.controller.adopt(self.room.sim)

    def assign(self, state: str, token: str) -> None:
        self._wait(self.room.assign(state, token))

    def free(self, state: str) -> None:
        self._wait(self.room.free(state))

    def set_decision_seconds(self, seconds: float) -> None:
        """For decisions opened from now on."""
        self._soon(setattr, self.room, "decision_seconds", float(seconds))

    def _soon(self, function: Any, *args: Any) -> None:
        self._loop.call_soon_threadsafe(function, *args)

    def _wait(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(OPEN_SECONDS)

    # -- the room's thread ---------------------------------------------------------------------

    def _main(self, scenario: Scenario, attacks: Any, options: dict[str, Any]) -> None:
        loop = self._loop
        asyncio.set_event_loop(loop)

        async def start() -> None:
            self.room = Room(
                scenario,
                attacks=attacks,
                engine=self._engine,
                on_step=self.controller.show_driven,
                on_change=self._on_change,
                **options,
            )
            await self.room.open_room()

        try:
            loop.run_until_complete(start())
        except OSError as error:
            self._failure = error
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _engine(self, function: Any, *args: Any) -> Any:
        """``function(*args)`` on the GUI thread, awaited on the room's."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._gui_call.emit((function, args, future))
        return await asyncio.wrap_future(future)

    def _run_call(self, call: tuple[Any, tuple, concurrent.futures.Future]) -> None:
        function, args, future = call
        if not future.set_running_or_notify_cancel():
            return  # the room stopped waiting (closed or reset)
        try:
            future.set_result(function(*args))
        except BaseException as error:  # the room's thread reports it
            future.set_exception(error)

    def _keep(self, view: dict[str, Any]) -> None:
        self.view = view

    def emit_now(self) -> None:
        """Send the room's view now (the window asks once it is built)."""
        self._soon(self._on_change, "opened")

    def _on_change(self, what: str) -> None:
        room = self.room
        open_ = room.open
        view = {
            "what": what,
            "phase": room.phase,
            "url": room.url,
            "join_url": room.join_url,
            "code": room.code,
            "states": [(s.id, s.name) for s in room.scenario.states],
            "holders": room.holders(),
            "participants": [(p.token, p.name, p.state) for p in room.participants.values()],
            "open": {s: s in open_.taken for s in open_.decisions} if open_ else {},
            "seconds_left": max(0.0, open_.deadline - self._loop.time()) if open_ else 0.0,
            "statuses": dict(room.last_tick["statuses"]) if room.last_tick else {},
            "tick": room.last_tick["tick"] if room.last_tick else None,
            "room_section": room.report.get("room") if room.report else None,
            "decision_seconds": room.decision_seconds,
        }
        self.changed.emit(view)


class RoomWindow(QWidget):
    """The room on the projector and the facilitator's controls (see the module docstring)."""

    def __init__(self, host: RoomHost, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.host = host
        self.setWindowTitle("The room")
        self.setObjectName("room-window")
        colours = canvas_colors(dark=False, projector=True)
        self._ink, self._paper = colours.text.name(), colours.background.name()
        self._qr_url = ""
        self.view: dict[str, Any] = {}
        self._deadline = 0.0  # time.monotonic() when the open decisions go to the model
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)

        self.address = QLabel()
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(160, 160)
        self.code = QLabel()
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        join = QVBoxLayout()
        join.addWidget(self._caption("Join at"))
        join.addWidget(self.address)
        join.addWidget(self.qr, 1)
        join.addWidget(self._caption("Code"))
        join.addWidget(self.code)

        self.phase = QLabel()
        self.play_button = QPushButton("Start")
        self.play_button.clicked.connect(lambda: host.toggle_play())
        self.reset_button = QPushButton("Reset")
        self.reset_button.clicked.connect(lambda: host.reset())
        self.close_button = QPushButton("Close Room")
        self.close_button.clicked.connect(self.close)
        self.seconds = QSpinBox()
        self.seconds.setRange(5, 3600)
        self.seconds.setSuffix(" s to decide")
        self.seconds.valueChanged.connect(host.set_decision_seconds)
        controls = QHBoxLayout()
        for widget in (self.play_button, self.reset_button, self.seconds, self.close_button):
            controls.addWidget(widget)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["State", "Held by", "Status", "Decision"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.free_button = QPushButton("Free")
        self.free_button.clicked.connect(self.free_selected)
        self.assign_button = QPushButton("Assign…")
        self.assign_button.clicked.connect(self.assign_selected)
        seat = QHBoxLayout()
        seat.addWidget(self.free_button)
        seat.addWidget(self.assign_button)
        seat.addStretch(1)

        self.debrief = QLabel()
        self.debrief.setWordWrap(True)
        self.side_by_side = QTableWidget(5, 2)
        self.side_by_side.setHorizontalHeaderLabels(["The room", "The model"])
        self.side_by_side.setVerticalHeaderLabels(
            ["Result", "Ended at tick", "States that fought", "Honoured", "Reneged"]
        )
        self.side_by_side.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.side_by_side.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.side_by_side.hide()

        right = QVBoxLayout()
        right.addWidget(self.phase)
        right.addLayout(controls)
        right.addWidget(self.table, 3)
        right.addLayout(seat)
        right.addWidget(self.debrief)
        right.addWidget(self.side_by_side, 2)
        grid = QGridLayout(self)
        grid.addLayout(join, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        host.changed.connect(self.show_room)
        self._scale_type()

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("caption")
        return label

    def _scale_type(self) -> None:
        """Type for the back of the room: the address and code grow with the window."""
        base = max(self.font().pointSizeF(), 9.0)
        scale = max(1.0, min(self.width() / 900, self.height() / 600))
        for label, factor in ((self.address, 1.6), (self.code, 4.0), (self.phase, 1.4)):
            font = QFont(self.font())
            font.setPointSizeF(base * factor * scale)
            font.setBold(label is not self.address)
            label.setFont(font)
        for caption in self.findChildren(QLabel, "caption"):
            font = QFont(self.font())
            font.setPointSizeF(base * 1.2 * scale)
            caption.setFont(font)
        body = QFont(self.font())
        body.setPointSizeF(base * 1.15 * scale)
        for widget in (
            self.table,
            self.side_by_side,
            self.debrief,
            self.seconds,
            *self.findChildren(QPushButton),
        ):
            widget.setFont(body)
        for table in (self.table, self.side_by_side):
            table.horizontalHeader().setFont(body)
            table.verticalHeader().setFont(body)
            table.resizeRowsToContents()
        self._fit_side_by_side()
        self._draw_qr()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._scale_type()

    def _draw_qr(self) -> None:
        if not self._qr_url:
            return
        side = max(120, min(self.qr.width(), self.qr.height()))
        qr = segno.make(self._qr_url, error="m")
        buffer = io.BytesIO()
        modules = qr.symbol_size(scale=1, border=2)[0]
        qr.save(
            buffer, kind="png", scale=max(1, side // modules), border=2, dark=self._ink, light=self._paper
        )
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        self.qr.setPixmap(pixmap)

    def show_room(self, view: dict[str, Any]) -> None:
        """The room as its thread last saw it."""
        self.view = view
        if view["join_url"] != self._qr_url:
            self._qr_url = view["join_url"]
            self.address.setText(view["url"])
            self.code.setText(view["code"])
            self._draw_qr()
        if self.seconds.value() != int(view["decision_seconds"]):
            self.seconds.blockSignals(True)
            self.seconds.setValue(int(view["decision_seconds"]))
            self.seconds.blockSignals(False)
        phase = view["phase"]
        joined = len(view["participants"])
        people = counted(joined, "participant")
        tick = "" if view["tick"] is None else f", tick {view['tick']}"
        words = {"waiting": "Waiting to start", "running": "Running", "paused": "Paused", "ended": "Ended"}
        decided = ""
        if view["open"]:
            done = sum(view["open"].values())
            decided = f" · {done} of {len(view['open'])} decided"
        self.phase.setText(f"{words[phase]}{tick} · {people}{decided}")
        self._deadline = time.monotonic() + view["seconds_left"]
        if view["open"]:
            self._countdown.start()
        else:
            self._countdown.stop()
        labels = {"running": "Pause", "waiting": "Start", "paused": "Play", "ended": "Start Again"}
        self.play_button.setText(labels[phase])
        self.host.controller.playing_changed.emit(phase == "running")
        if view["open"]:
            self._say_on_canvas(view)
        self._fill_table(view)
        self._fill_debrief(view)

    def _say_on_canvas(self, view: dict[str, Any]) -> None:
        """Who the run waits for, on the main window (whether each has decided, never what)."""
        names, holders = dict(view["states"]), view["holders"]
        waiting = [
            f"{shown(names[s])} ({shown(holders.get(s, 'the model'))}) "
            + ("has decided" if done else "is deciding")
            for s, done in view["open"].items()
        ]
        canvas = getattr(self.parentWidget(), "canvas", None)  # the main window's
        if canvas is not None:
            canvas.message.emit("The room decides: " + "; ".join(waiting) + ".")

    def _fill_table(self, view: dict[str, Any]) -> None:
        states, holders, open_ = view["states"], view["holders"], view["open"]
        selected = self.selected_state()
        self.table.setRowCount(len(states))
        for row, (sid, name) in enumerate(states):
            decision = ""
            if sid in open_:
                decision = "decided" if open_[sid] else self._deciding()
            cells = (shown(name), shown(holders.get(sid, "")), view["statuses"].get(sid, ""), decision)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, sid)
                self.table.setItem(row, column, item)
            if sid == selected:
                self.table.selectRow(row)
        self.table.resizeRowsToContents()

    def _deciding(self) -> str:
        left = max(0, round(self._deadline - time.monotonic()))
        return f"deciding… {left} s"

    def _count_down(self) -> None:
        """The Decision column's seconds, once a second while decisions are open."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 3)
            if item is not None and item.text().startswith("deciding"):
                item.setText(self._deciding())

    def _fill_debrief(self, view: dict[str, Any]) -> None:
        section = view["room_section"]
        self.side_by_side.setVisible(section is not None)
        if section is None:
            self.debrief.setText("")
            return
        names = dict(view["states"])
        self.debrief.setText(
            "The room and the model\n" + "\n".join(shown(line) for line in room_lines(section, names))
        )
        for column, run in enumerate((section["room"], section["model"])):
            cells = (
                run["result"].replace("-", " "),
                run["ended_tick"],
                run["fought"],
                run["honoured"],
                run["reneged"],
            )
            for row, value in enumerate(cells):
                self.side_by_side.setItem(row, column, QTableWidgetItem(str(value)))
        self._fit_side_by_side()

    def _fit_side_by_side(self) -> None:
        """Every row of the room-and-model table in sight: the states' table gives up the room."""
        table = self.side_by_side
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(rows + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth())

    def selected_state(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def free_selected(self) -> None:
        state = self.selected_state()
        if state is not None:
            self.host.free(state)

    def assign_selected(self) -> None:
        state = self.selected_state()
        people = self.view.get("participants", [])
        if state is None or not people:
            return
        names = [shown(name) for _, name, _ in people]
        name, ok = QInputDialog.getItem(self, "Assign", f"Give {state} to", names, 0, False)
        if ok:
            self.host.assign(state, people[names.index(name)][0])

    def closeEvent(self, event: Any) -> None:
        self.host.close()
        super().closeEvent(event)


class RoomAction(QObject):
    """Workshop > Open Room…: opens the room (on port 8750, or a free one when that one is taken) and
    its window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.host: RoomHost | None = None
        self.room_window: RoomWindow | None = None
        self.action = QAction("Open &Room…", window)
        self.action.setStatusTip("Let participants decide for their states from their phones' browsers")
        self.action.triggered.connect(self.open_room)
        menu = self._workshop_menu()
        menu.addAction(self.action)

    def _workshop_menu(self) -> QMenu:
        bar = self.window.menuBar()
        help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        menu = QMenu("&Workshop", bar)
        bar.insertMenu(help_action, menu) if help_action is not None else bar.addMenu(menu)
        return menu

    def open_room(self, *, host: str = "0.0.0.0", port: int = DEFAULT_PORT) -> RoomWindow | None:
        """Open the room, or show it when it is open; None when it cannot listen (a dialog says why)."""
        if self.room_window is not None:
            self.room_window.show()
            self.room_window.activateWindow()
            return self.room_window
        controller = self.window.live.controller
        controller.pause()
        for candidate in (port, 0):
            room = RoomHost(controller, self.window.document.scenario, host=host, port=candidate, parent=self)
            try:
                room.open()
                break
            except OSError as error:
                room.deleteLater()
                failure = error
        else:
            QMessageBox.warning(self.window, "Open Room", f"The room cannot listen on {host}: {failure}")
            return None
        self.host = room
        self.room_window = RoomWindow(room, self.window)
        self.room_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.room_window.destroyed.connect(self._closed)
        screen = self.window.screen().availableGeometry()
        self.room_window.resize(min(1200, screen.width()), min(800, screen.height()))
        room.emit_now()
        self.room_window.show()
        self.action.setText("Show &Room…")
        return self.room_window

    def section_for(self, simulation: Any) -> dict[str, Any] | None:
        """The room-and-model section of the report when ``simulation`` is the room's ended run."""
        host = self.host
        if host is None or host.room is None or host.room.sim is not simulation:
            return None
        return host.view.get("room_section")

    def _closed(self) -> None:
        self.host, self.room_window = None, None
        self.action.setText("Open &Room…")

    def close(self) -> None:
        """Close the room (the main window is closing)."""
        if self.room_window is not None:
            self.room_window.close()
