"""Participants for room tests: a WebSocket client on the loopback address that reads the room's
messages in order (``from room_clients import ...``; tests/ is on the import path)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty

WAIT = 60.0  # seconds a test waits for a message before failing (a loaded machine is slow, never this slow)


def defenders_world(**settings) -> Scenario:
    """A (20) attacks B (2) at tick 0; C (8) and D (4) are bound by treaty "t" to defend B; E (1) is not
    involved. Reliability 1, deterministic, deterrence off. Together B's side is 2 + 8 + 4 = 14 against 20:
    feasibility 2 x 14 / 34 = 0.82, so the model has C and D honour."""
    states = [State(sid, f"State {sid}", power, reliability=1.0) for sid, power in
              [("A", 20), ("B", 2), ("C", 8), ("D", 4), ("E", 1)]]  # fmt: skip
    treaty = Treaty("t", "Treaty t", "defense", ["B", "C", "D"])
    settings.setdefault("deterrence", False)
    return Scenario(states, [treaty], [], [ScriptedEvent(0, "A", "B")], Settings(**settings))


class Client:
    """One participant's connection."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.session, self.ws = session, ws
        self.seen: list[dict[str, Any]] = []
        self.token: str | None = None

    @classmethod
    async def connect(cls, session: aiohttp.ClientSession, url: str) -> Client:
        return cls(session, await session.ws_connect(url + "ws"))

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.ws.send_str(message if isinstance(message, str) else json.dumps(message))

    async def expect(self, kind: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next message of this type (the ones before it are kept in ``seen``)."""
        while True:
            msg = await asyncio.wait_for(self.ws.receive(), timeout)
            if msg.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"connection ended while waiting for {kind}: {msg.type}")
            data = json.loads(msg.data)
            self.seen.append(data)
            if data["type"] == "joined":
                self.token = data["token"]
            if data["type"] == kind:
                return data

    async def join(self, code: str, name: str, state: str | None) -> dict[str, Any]:
        await self.send({"type": "join", "code": code, "name": name, "state": state})
        return await self.expect("joined")

    async def error_for(self, message: dict[str, Any] | str) -> str:
        await self.send(message)
        return (await self.expect("error"))["message"]
