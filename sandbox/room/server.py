"""The room server (SPEC.md, "Room"): HTTP and WebSockets on one aiohttp event loop.

A :class:`Room` serves the participant page, ``/room.json`` and ``/ws`` while it is open, and runs the
scenario when the facilitator starts it. At each tick with decisions for states held by participants
the run waits (engine ``begin_step``): every holder gets a ``decide`` message at the same moment and
no one sees another's choice until the tick is pushed; when all are in, or ``decision_seconds`` are
up, the model takes the rest (``finish_step``) and every page gets the tick.

Safety: only a connection that sent the join code can take a state; only the facilitator (this
object's methods, or a ``start`` message with :attr:`Room.facilitator_token`) controls the run; a
participant decides only for the state it holds, only while that decision is open, and only once;
every message is size-limited and checked (protocol.py) and a bad one gets an ``error`` back without
touching the run; connections per address and in all are bounded, and wrong codes from an address
are counted; the page and its script are served from memory, and nothing a participant sends names a
file. :meth:`Room.close` says goodbye to and closes every connection and stops listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aiohttp import WSMsgType, web

from sandbox.core.room_compare import room_and_model
from sandbox.core.scenario import Scenario
from sandbox.core.sim import Simulation
from sandbox.core.sim.decisions import Decision, Taken
from sandbox.core.sim.state import LogEvent
from sandbox.room import protocol as P

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_LENGTH = 6
WRONG_CODES = 10  # wrong codes from one address before it may no longer join
TRANSPORT_LIMIT = 16 * 1024  # a frame beyond this closes the connection; beyond MAX_MESSAGE gets an error
SEND_SECONDS = 5.0  # a page that takes longer to take a message is dropped (it can rejoin)
EVENTS_PER_TICK = 20  # narrated sentences pushed per tick (the rest are counted)
PHASES = ("waiting", "running", "paused", "ended")
Engine = Callable[..., Awaitable[Any]]  # await engine(function, *args): function(*args) where the run lives


async def _inline(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def lan_address() -> str:
    """This machine's address on the room's network (the route out; no packet is sent), or loopback."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.254.254.254", 1))
        return probe.getsockname()[0]
    return "127.0.0.1"


@dataclass
class Participant:
    token: str
    name: str
    address: str
    state: str | None = None
    socket: web.WebSocketResponse | None = None


@dataclass
class OpenTick:
    """The decisions of the current tick that participants hold, and what they chose so far."""

    decisions: dict[str, Decision]
    deadline: float
    taken: dict[str, Taken] = field(default_factory=dict)
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Room:
    """One room over one scenario; every method runs on the room's event loop."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        host: str = "0.0.0.0",
        port: int = 0,
        code: str | None = None,
        decision_seconds: float = 30.0,
        attacks: list[tuple[str, str]] | None = None,
        pace: float = 1.0,
        max_per_address: int = 8,
        max_connections: int = 256,
        on_change: Callable[[str], None] | None = None,
        engine: Engine | None = None,
        on_step: Callable[[Simulation, list[LogEvent]], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.host, self.port = host, port
        if code is not None and not P.valid_code(code):
            raise ValueError(f"a join code is 4 to 12 letters and digits, got {code!r}")
        self.code = (code or new_code()).upper()
        self.decision_seconds = float(decision_seconds)
        self.attacks = attacks
        self.pace = float(pace)
        self.max_per_address = max_per_address
        self.max_connections = max_connections
        self.on_change = on_change  # told "participants", "decisions", "tick", "phase" (the app's view)
        # where the run is stepped (the app: its GUI thread, so its views read the run safely), and who is
        # told of each tick there
        self.engine: Engine = engine or _inline
        self.on_step = on_step
        self.facilitator_token = secrets.token_urlsafe(16)
        self.participants: dict[str, Participant] = {}  # by token
        self.holder: dict[str, str] = {}  # state id -> token
        self.phase = "waiting"
        self.sim = self._new_sim()
        self.title = self.sim.world.title
        self.result: str | None = None
        self.report: dict[str, Any] | None = None
        self.decisions_log: list[dict[str, Any]] = []  # every decision put to a participant, and its fate
        self.open: OpenTick | None = None
        self.ended = asyncio.Event()
        self._resume = asyncio.Event()
        self._run_task: asyncio.Task | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._tasks: set[asyncio.Task] = set()  # phase broadcasts under way
        self._per_address: dict[str, int] = {}
        self._wrong_codes: dict[str, int] = {}
        self._runner: web.AppRunner | None = None
        self._page = {
            name: resources.files("sandbox.room").joinpath(name).read_bytes()
            for name in ("page.html", "page.js", "page.css")
        }
        self._names = {s.id: s.name for s in scenario.states}
        self.last_tick: dict[str, Any] | None = None

    # -- opening and closing ------------------------------------------------------------

    async def open_room(self) -> str:
        """Start listening; returns the join address."""
        app = web.Application(client_max_size=P.MAX_MESSAGE)
        app.router.add_get("/", self._serve_page)
        app.router.add_get("/page.js", self._serve_page)
        app.router.add_get("/page.css", self._serve_page)
        app.router.add_get("/room.json", self._serve_state)
        app.router.add_get("/ws", self._serve_socket)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]  # the port picked when asked for 0
        return self.url

    @property
    def url(self) -> str:
        host = lan_address() if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/"

    @property
    def join_url(self) -> str:
        """The address with the code in its fragment (for the QR code): the page fills the code in."""
        return f"{self.url}#{self.code}"

    async def close(self) -> None:
        """End the run, tell and close every connection, stop listening."""
        if self._run_task is not None:
            self._run_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._run_task
        await asyncio.gather(
            *(
                self._send(ws, {"type": "closed", "message": "The facilitator closed the room."})
                for ws in self._sockets
            )
        )
        for ws in list(self._sockets):
            await ws.close(message=b"room closed")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.ended.set()

    # -- the facilitator ------------------------------------------------------------------

    def start(self) -> None:
        """Start the run, or resume it after a pause."""
        if self.phase == "ended":
            return
        self._resume.set()
        if self._run_task is None:
            self._run_task = asyncio.get_running_loop().create_task(self._run())
        self._set_phase("running")

    def pause(self) -> None:
        """Hold the run before its next tick (an open decision keeps its countdown)."""
        if self.phase == "running":
            self._resume.clear()
            self._set_phase("paused")

    async def reset(self) -> None:
        """Back to before the first tick; participants keep their states."""
        if self._run_task is not None:
            self._run_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._run_task
            self._run_task = None
        self.open = None
        self.sim = self._new_sim()
        self.result = self.report = None
        self.decisions_log = []
        self.last_tick = None
        self._resume.clear()
        self.ended.clear()
        self._set_phase("waiting")

    async def assign(self, state: str, token: str) -> None:
        """Give ``state`` to a participant (taking it from whoever held it; the participant's old state is
        freed)."""
        if state not in self._names:
            raise ValueError(f"unknown state: {state}")
        person = self.participants[token]
        await self.free(state)
        if person.state is not None:
            self.holder.pop(person.state, None)
        person.state = state
        self.holder[state] = token
        await self._send_joined(person)
        self._changed("participants")

    async def free(self, state: str) -> None:
        """Take ``state`` from its holder (its open decision, if any, goes to the model)."""
        token = self.holder.pop(state, None)
        if token is None:
            return
        person = self.participants[token]
        person.state = None
        await self._send_joined(person)
        self._changed("participants")
        if self.open is not None and all(self._decided(s) for s in self.open.decisions):
            self.open.done.set()

    def holders(self) -> dict[str, str]:
        """Who holds which state: state id -> participant name."""
        return {state: self.participants[token].name for state, token in self.holder.items()}

    # -- HTTP ---------------------------------------------------------------------------------

    async def _serve_page(self, request: web.Request) -> web.Response:
        name = {"/": "page.html", "/page.js": "page.js", "/page.css": "page.css"}[request.path]
        kinds = {"html": "text/html", "js": "text/javascript", "css": "text/css"}
        return web.Response(
            body=self._page[name],
            content_type=kinds[name.rsplit(".", 1)[1]],
            charset="utf-8",
            headers={
                "Content-Security-Policy": (
                    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
                ),
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-store",
            },
        )

    async def _serve_state(self, request: web.Request) -> web.Response:
        return web.json_response(self.public_state(), headers={"Cache-Control": "no-store"})

    def public_state(self) -> dict[str, Any]:
        """The room without names of people (GET /room.json)."""
        statuses = self._statuses()
        return {
            "title": self.title,
            "phase": self.phase,
            "tick": self.last_tick["tick"] if self.last_tick else None,
            "states": [
                {"id": sid, "name": name, "held": sid in self.holder, "status": statuses.get(sid)}
                for sid, name in self._names.items()
            ],
            "open_decisions": sorted(self.open.decisions) if self.open else [],
            "decision_seconds": self.decision_seconds,
        }

    # -- WebSocket ----------------------------------------------------------------------------

    async def _serve_socket(self, request: web.Request) -> web.StreamResponse:
        address = request.remote or "?"
        if (
            self._per_address.get(address, 0) >= self.max_per_address
            or len(self._sockets) >= self.max_connections
        ):
            raise web.HTTPTooManyRequests(text="too many connections from this address")
        ws = web.WebSocketResponse(max_msg_size=TRANSPORT_LIMIT, heartbeat=20.0)
        await ws.prepare(request)
        self._sockets.add(ws)
        self._per_address[address] = self._per_address.get(address, 0) + 1
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._handle(ws, address, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await self._error(ws, "messages are JSON text, not binary")
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self._sockets.discard(ws)
            self._per_address[address] -= 1
            if not self._per_address[address]:
                del self._per_address[address]
            for person in self.participants.values():
                if person.socket is ws:
                    person.socket = None
        return ws

    async def _handle(self, ws: web.WebSocketResponse, address: str, raw: str) -> None:
        try:
            message = P.parse(raw)
            handler = getattr(self, f"_on_{message.type}")
            await handler(ws, address, message)
        except P.BadMessage as error:
            await self._error(ws, str(error))

    async def _on_join(self, ws: web.WebSocketResponse, address: str, m: P.Message) -> None:
        if self._wrong_codes.get(address, 0) >= WRONG_CODES:
            raise P.BadMessage("too many wrong codes from this address")
        if any(p.socket is ws for p in self.participants.values()):
            raise P.BadMessage("this connection has joined already")
        if not hmac.compare_digest(m["code"].strip().upper().encode(), self.code.encode()):
            self._wrong_codes[address] = self._wrong_codes.get(address, 0) + 1
            raise P.BadMessage("wrong join code")
        name = m["name"]
        if any(p.name.casefold() == name.casefold() for p in self.participants.values()):
            raise P.BadMessage(f"the name {name!r} is taken in this room: choose another")
        state = m["state"]
        if state is not None:
            self._check_free(state)
        person = Participant(secrets.token_urlsafe(16), name, address, None, ws)
        self.participants[person.token] = person
        if state is not None:
            person.state = state
            self.holder[state] = person.token
        await self._send_joined(person)
        self._changed("participants")

    async def _on_rejoin(self, ws: web.WebSocketResponse, address: str, m: P.Message) -> None:
        person = self._person(m["token"])
        old, person.socket = person.socket, ws
        if old is not None and old is not ws:
            await old.close(message=b"replaced by a new connection")
        await self._send_joined(person)
        if self.last_tick is not None:
            await self._send(ws, self._tick_message(person, self.last_tick))
        if self.phase == "ended" and self.result is not None:
            await self._send(ws, {"type": "ended", "result": self.result})

    async def _on_pick(self, ws: web.WebSocketResponse, address: str, m: P.Message) -> None:
        person = self._person(m["token"], ws)
        state = m["state"]
        if state == person.state:
            return
        if state is not None:
            self._check_free(state)
            self._check_not_deciding(person)
            if person.state is not None:
                self.holder.pop(person.state, None)
            person.state = state
            self.holder[state] = person.token
        else:
            self._check_not_deciding(person)
            if person.state is not None:
                self.holder.pop(person.state, None)
            person.state = None
        await self._send_joined(person)
        self._changed("participants")

    async def _on_decision(self, ws: web.WebSocketResponse, address: str, m: P.Message) -> None:
        person = self._person(m["token"], ws)
        state = person.state
        if state is None:
            raise P.BadMessage("you hold no state")
        if self.open is None or state not in self.open.decisions:
            raise P.BadMessage("no decision is open for your state")
        if state in self.open.taken:
            raise P.BadMessage("you have already decided")
        self.open.taken[state] = Taken(m["choice"], person.name)
        await self._send(ws, {"type": "decided", "state": state, "choice": m["choice"], "by": "you"})
        self._changed("decisions")
        if all(self._decided(s) for s in self.open.decisions):
            self.open.done.set()

    async def _on_start(self, ws: web.WebSocketResponse, address: str, m: P.Message) -> None:
        if not hmac.compare_digest(m["token"].encode(), self.facilitator_token.encode()):
            raise P.BadMessage("only the facilitator can start the run")
        self.start()

    def _person(self, token: str, ws: web.WebSocketResponse | None = None) -> Participant:
        person = self.participants.get(token)
        if person is None:
            raise P.BadMessage("unknown or stale token: join again")
        if ws is not None and person.socket is not ws:
            raise P.BadMessage("this token belongs to another connection: rejoin first")
        return person

    def _check_free(self, state: str) -> None:
        if state not in self._names:
            raise P.BadMessage(f"unknown state {P._shown(state)}")
        if state in self.holder:
            raise P.BadMessage(f"{self._names[state]} is already taken")

    def _check_not_deciding(self, person: Participant) -> None:
        if self.open is not None and person.state in self.open.decisions and not self._decided(person.state):
            raise P.BadMessage("decide first: your state has an open decision")

    def _decided(self, state: str) -> bool:
        """Whether the open decision of ``state`` needs no more waiting: taken, or no one holds the state."""
        return self.open is not None and (state in self.open.taken or state not in self.holder)

    # -- the run ---------------------------------------------------------------------------------

    def _new_sim(self) -> Simulation:
        return Simulation(self.scenario, attacks=self.attacks)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        sim, engine = self.sim, self.engine
        finished = False
        while not finished:
            await self._resume.wait()
            held = {d.state: d for d in await engine(sim.begin_step) if d.state in self.holder}
            taken: dict[str, Taken] = {}
            if held:
                self.open = OpenTick(held, loop.time() + self.decision_seconds)
                self._changed("decisions")
                await asyncio.gather(*(self._send_decide(d) for d in held.values()))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.open.done.wait(), self.decision_seconds)
                taken = {s: t for s, t in self.open.taken.items() if s in self.holder}
                await self._close_decisions(held, taken)
            self.last_tick, finished = await engine(self._finish_tick, sim, taken)
            self._changed("tick")
            await self._broadcast(lambda person: self._tick_message(person, self.last_tick))
            if not finished and self.pace > 0:
                await asyncio.sleep(self.pace)
        self.result, self.report = await engine(
            self._final_report, sim, list(self.decisions_log), self.holders()
        )
        self._set_phase("ended")
        await self._broadcast(lambda person: {"type": "ended", "result": self.result})
        self.ended.set()

    def _finish_tick(self, sim: Simulation, taken: dict[str, Taken]) -> tuple[dict[str, Any], bool]:
        """Complete the tick (on the engine's thread): what pages are shown of it, and whether the run
        ended."""
        events = sim.finish_step(taken)
        if self.on_step is not None:
            self.on_step(sim, events)
        snap = sim.snapshot()
        fighting = ("belligerent", "mobilizing")
        at_war = [] if sim.finished else [sid for sid, view in snap.states.items() if view.status in fighting]
        texts = [e.text for e in events if e.text and e.kind != "obliged"]
        shown = texts[:EVENTS_PER_TICK]
        if len(texts) > len(shown):
            shown.append(f"... and {len(texts) - len(shown)} more.")
        tick = {
            "tick": snap.tick,
            "statuses": {sid: view.status for sid, view in snap.states.items()},
            "sides": {sid: view.side for sid, view in snap.states.items()},
            "at_war": at_war,
            "events": shown,
            "narration": [e.text for e in events if e.text],
        }
        return tick, sim.finished

    def _final_report(self, sim: Simulation, log: list[dict[str, Any]], holders: dict[str, str]):
        """The run's result and report with its room section (on the engine's thread)."""
        report = sim.report()
        model = self._new_sim().run().report()
        report["room"] = room_and_model(report, model, log, holders)
        return sim.result, report

    async def _close_decisions(self, held: dict[str, Decision], taken: dict[str, Taken]) -> None:
        """Log each open decision's fate; tell holders whose time ran out that the model decided."""
        self.open = None
        sends = []
        for state, d in held.items():
            chosen = taken.get(state)
            self.decisions_log.append(
                {
                    "tick": d.tick,
                    "state": state,
                    "treaty": d.treaty,
                    "participant": self.participants[self.holder[state]].name
                    if state in self.holder
                    else None,
                    "choice": chosen.choice if chosen else d.model_choice,
                    "by": "participant" if chosen else "model",
                    "model_choice": d.model_choice,
                    "p": d.p,
                }
            )
            if chosen is None and state in self.holder:
                person = self.participants[self.holder[state]]
                if person.socket is not None:
                    message = {"type": "decided", "state": state, "choice": d.model_choice, "by": "model"}
                    sends.append(self._send(person.socket, message))
        await asyncio.gather(*sends)
        self._changed("decisions")

    def _tick_message(self, person: Participant, tick: dict[str, Any]) -> dict[str, Any]:
        state = person.state
        return {
            "type": "tick",
            "tick": tick["tick"],
            "status": tick["statuses"].get(state) if state else None,
            "side": tick["sides"].get(state) if state else None,
            "events": tick["events"],
            "at_war": [self._names[s] for s in tick["at_war"]],
        }

    def _statuses(self) -> dict[str, str]:
        return self.last_tick["statuses"] if self.last_tick else {}

    # -- sending ---------------------------------------------------------------------------------

    async def _send_decide(self, d: Decision) -> None:
        person = self.participants[self.holder[d.state]]
        if person.socket is not None:
            await self._send(person.socket, self._decide_message(d))

    def _decide_message(self, d: Decision) -> dict[str, Any]:
        remaining = self.open.deadline - asyncio.get_running_loop().time() if self.open else 0.0
        treaty = next((t.name or t.id for t in self.scenario.treaties if t.id == d.treaty), d.treaty)
        return {
            "type": "decide",
            "state": d.state,
            "treaty": d.treaty,
            "ally": d.ally,
            "enemy": list(d.enemy),
            "p": round(d.p, 4),
            "why": d.why,
            "seconds": max(0, round(remaining)),
            "asks": d.asks,
            "model_choice": d.model_choice,
            "names": {
                "state": self._names[d.state],
                "treaty": treaty,
                "ally": self._names.get(d.ally, d.ally),
                "enemy": [self._names.get(e, e) for e in d.enemy],
            },
        }

    async def _send_joined(self, person: Participant) -> None:
        if person.socket is None:
            return
        message = {
            "type": "joined",
            "token": person.token,
            "state": person.state,
            "name": person.name,
            "state_name": self._names.get(person.state) if person.state else None,
            "phase": self.phase,
        }
        await self._send(person.socket, message)
        open_ = self.open
        if open_ is not None and person.state in open_.decisions and person.state not in open_.taken:
            await self._send(person.socket, self._decide_message(open_.decisions[person.state]))

    async def _broadcast(self, make: Callable[[Participant], dict[str, Any]]) -> None:
        await asyncio.gather(
            *(self._send(p.socket, make(p)) for p in self.participants.values() if p.socket is not None)
        )

    async def _send(self, ws: web.WebSocketResponse, message: dict[str, Any]) -> None:
        if ws.closed:
            return
        try:
            async with asyncio.timeout(SEND_SECONDS):  # no task per message, unlike wait_for
                await ws.send_str(json.dumps(message))
        except (ConnectionError, RuntimeError, TimeoutError):
            await ws.close()

    async def _error(self, ws: web.WebSocketResponse, message: str) -> None:
        await self._send(ws, {"type": "error", "message": message})

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self._changed("phase")
        task = asyncio.get_running_loop().create_task(
            self._broadcast(lambda person: {"type": "room", "phase": phase})
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _changed(self, what: str) -> None:
        if self.on_change is not None:
            self.on_change(what)
