"""The room's protocol end to end on the loopback address (SPEC.md, "Room"): participants join, take
states, decide, one times out, one reconnects mid-run, one sends garbage; the run and report come out
as a run with those decisions taken by hand."""

import asyncio
import json

import aiohttp
import pytest
from room_clients import Client, defenders_world

from sandbox.core.sim import Simulation
from sandbox.core.sim.decisions import Taken
from sandbox.room.protocol import MAX_MESSAGE
from sandbox.room.server import Room

CODE = "ABC234"


def play(test, **room_options):
    """Run ``test(room, session)`` against an open room on 127.0.0.1, closing both afterwards."""

    async def main():
        options = {"host": "127.0.0.1", "code": CODE, "decision_seconds": 30.0, "pace": 0.0} | room_options
        room = Room(defenders_world(), **options)
        await room.open_room()
        try:
            async with aiohttp.ClientSession() as session:
                return await test(room, session)
        finally:
            await room.close()

    return asyncio.run(main())


def test_a_room_plays_with_a_timeout_a_reconnect_and_garbage():
    async def test(room, session):
        url = room.url
        ann, bo, cy, di = [await Client.connect(session, url) for _ in range(4)]
        assert (await ann.join(CODE, "Ann", "C"))["state"] == "C"
        assert (await bo.join(CODE, "Bo", "D"))["state"] == "D"
        assert (await cy.join(CODE, "Cy", "B"))["state"] == "B"
        assert (await di.join(CODE, "Di", None))["state"] is None
        # the facilitator gives Di a state
        await room.assign("E", di.token)
        assert (await di.expect("joined"))["state"] == "E"
        assert room.holders() == {"C": "Ann", "D": "Bo", "B": "Cy", "E": "Di"}

        # garbage from Cy: each gets a clear error and changes nothing
        assert (await cy.error_for("{not json")).startswith("not valid JSON")
        assert await cy.error_for("[1, 2]") == "a message is one JSON object"
        assert (await cy.error_for({"type": "shout"})).startswith('unknown message type "shout"')
        assert await cy.error_for({"type": "decision", "token": 7, "choice": "honour"}) == (
            "decision: token must be a string"
        )
        assert await cy.error_for({"type": "decision", "token": cy.token, "choice": "maybe"}) == (
            "decision: choice must be 'honour' or 'renege', got \"maybe\""
        )
        assert await cy.error_for({"type": "decision", "token": "stale", "choice": "honour"}) == (
            "unknown or stale token: join again"
        )
        assert await cy.error_for({"type": "pick", "token": cy.token, "state": "ZZ"}) == 'unknown state "ZZ"'
        assert (
            await cy.error_for({"type": "pick", "token": cy.token, "state": "C"})
            == "State C is already taken"
        )
        assert await cy.error_for({"type": "decision", "token": cy.token, "choice": "honour"}) == (
            "no decision is open for your state"
        )
        assert await cy.error_for({"type": "decision", "token": ann.token, "choice": "renege"}) == (
            "this token belongs to another connection: rejoin first"
        )
        too_long = json.dumps({"type": "join", "code": CODE, "name": "x" * MAX_MESSAGE, "state": None})
        assert (await cy.error_for(too_long)).startswith("message too long")
        assert (
            await cy.error_for({"type": "start", "token": cy.token})
            == "only the facilitator can start the run"
        )
        await cy.ws.send_bytes(b"\x00\x01")
        assert (await cy.expect("error"))["message"] == "messages are JSON text, not binary"
        assert room.phase == "waiting" and room.sim.tick == 0

        # Ann's phone locks: her connection drops before the run starts
        await ann.ws.close()
        room.decision_seconds = 3.0
        room.start()
        decide = await bo.expect("decide")
        assert (decide["state"], decide["treaty"], decide["ally"], decide["enemy"]) == ("D", "t", "B", ["A"])
        assert decide["p"] == pytest.approx(28 / 34, abs=1e-4) and 0 < decide["seconds"] <= 3
        assert "p = reliability 1.00 x commitment 1.00 x feasibility 0.82 = 0.82" in decide["why"]
        # Ann comes back with her token: she holds C still and gets its open decision
        ann2 = await Client.connect(session, url)
        await ann2.send({"type": "rejoin", "token": ann.token})
        assert (await ann2.expect("joined"))["state"] == "C"
        assert (await ann2.expect("decide"))["state"] == "C"
        await ann2.send({"type": "decision", "token": ann.token, "choice": "renege"})
        assert await ann2.expect("decided") == {
            "type": "decided",
            "state": "C",
            "choice": "renege",
            "by": "you",
        }
        assert (await ann2.error_for({"type": "decision", "token": ann.token, "choice": "honour"})) == (
            "you have already decided"
        )
        # Bo never answers: after 3 seconds the model decides for D
        assert await bo.expect("decided") == {
            "type": "decided",
            "state": "D",
            "choice": "honour",
            "by": "model",
        }
        # simultaneous: nothing told Bo about C before the tick
        tick = await bo.expect("tick")
        assert not any(m.get("state") == "C" for m in bo.seen[:-1])
        assert (tick["tick"], tick["status"], tick["side"]) == (0, "mobilizing", "defender")
        assert "State A" in tick["at_war"] and any("Ann decided for State C" in t for t in tick["events"])
        assert (await ann2.expect("tick"))["status"] == "reneged"
        ended = await cy.expect("ended")
        await asyncio.wait_for(room.ended.wait(), 60)
        return ended, room.report, room.decisions_log

    ended, report, log = play(test)
    by_hand = Simulation(defenders_world())
    by_hand.begin_step()
    by_hand.finish_step({"C": Taken("renege", "Ann")})
    expected = by_hand.run().report()
    assert ended["result"] == expected["outcome"]["result"]
    room = report.pop("room")
    assert report == expected
    # the room and the model: Ann kept C out of the war, where the model had it honour and fight
    assert (room["kept_out"], room["took_in"], room["taken"], room["as_the_model"], room["timed_out"]) == (
        ["C"],
        [],
        1,
        0,
        1,
    )
    assert room["participants"] == [
        {"name": "Cy", "state": "B"}, {"name": "Ann", "state": "C"}, {"name": "Bo", "state": "D"},
        {"name": "Di", "state": "E"},
    ]  # fmt: skip
    assert room["model"]["fought"] == room["room"]["fought"] + 1
    assert (room["model"]["reneged"], room["room"]["reneged"]) == (0, 1)
    by = {(e["kind"], e["state"]): e["by"] for e in report["events"] if "by" in e}
    assert by == {("renege", "C"): {"participant": "Ann", "model_choice": "honour"}, ("honor", "D"): "model"}
    assert [(d["state"], d["participant"], d["choice"], d["by"]) for d in log] == [
        ("C", "Ann", "renege", "participant"),
        ("D", "Bo", "honour", "model"),
    ]


def test_joining_needs_the_code_a_free_name_and_a_free_state():
    async def test(room, session):
        a, b = await Client.connect(session, room.url), await Client.connect(session, room.url)
        assert (
            await a.error_for({"type": "join", "code": "WRONG1", "name": "Ann", "state": None})
            == "wrong join code"
        )
        assert room.participants == {}
        await a.join(CODE.lower(), "Ann", "C")  # the code is read in either case
        assert await b.error_for({"type": "join", "code": CODE, "name": "ann", "state": None}) == (
            "the name 'ann' is taken in this room: choose another"
        )
        assert await b.error_for({"type": "join", "code": CODE, "name": "Bo", "state": "C"}) == (
            "State C is already taken"
        )
        assert await b.error_for({"type": "join", "code": CODE, "name": "B\u202eo", "state": None}) == (
            "join: a name cannot hold control characters"
        )
        joined = await b.join(CODE, "  Bo   Li ", None)
        assert joined["name"] == "Bo Li"
        assert await b.error_for({"type": "join", "code": CODE, "name": "Bo2", "state": None}) == (
            "this connection has joined already"
        )
        await b.send({"type": "pick", "token": b.token, "state": "D"})
        assert (await b.expect("joined"))["state"] == "D"
        # room.json: states and who holds them, never people's names
        async with session.get(room.url + "room.json") as response:
            public = await response.json()
        assert {s["id"]: s["held"] for s in public["states"]} == {
            "A": False, "B": False, "C": True, "D": True, "E": False
        }  # fmt: skip
        assert "Ann" not in json.dumps(public) and "Bo" not in json.dumps(public)
        # the facilitator frees D: Bo holds nothing and is told so
        await room.free("D")
        assert (await b.expect("joined"))["state"] is None

    play(test)


def test_wrong_codes_from_one_address_are_bounded():
    async def test(room, session):
        a = await Client.connect(session, room.url)
        for _ in range(10):
            assert await a.error_for({"type": "join", "code": "NOPE22", "name": "X", "state": None}) == (
                "wrong join code"
            )
        assert await a.error_for({"type": "join", "code": CODE, "name": "X", "state": None}) == (
            "too many wrong codes from this address"
        )

    play(test)


def test_connections_per_address_are_bounded():
    async def test(room, session):
        kept = [await Client.connect(session, room.url) for _ in range(3)]
        async with session.get(room.url + "ws") as refused:
            assert (refused.status, await refused.text()) == (429, "too many connections from this address")
        await kept[0].ws.close()
        for _ in range(200):  # the room notices the closed connection
            if sum(room._per_address.values()) < 3:
                break
            await asyncio.sleep(0.05)
        await Client.connect(session, room.url)  # a free place again

    play(test, max_per_address=3)


def test_only_the_facilitator_token_starts_and_closing_ends_every_connection():
    async def test(room, session):
        a = await Client.connect(session, room.url)
        await a.join(CODE, "Ann", "E")
        await a.send({"type": "start", "token": room.facilitator_token})
        assert (await a.expect("room"))["phase"] == "running"
        assert (await a.expect("ended"))["result"]
        port = room.port
        await room.close()
        assert (await a.expect("closed"))["message"] == "The facilitator closed the room."
        msg = await a.ws.receive()
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        # no longer listening
        with pytest.raises(aiohttp.ClientConnectionError):
            async with session.get(f"http://127.0.0.1:{port}/room.json"):
                pass

    play(test)


def test_the_page_is_served_from_memory_with_a_strict_policy():
    async def test(room, session):
        async with session.get(room.url) as page:
            html = await page.text()
            policy = page.headers["Content-Security-Policy"]
        assert '<script src="page.js"' in html and "http" not in html.replace("http-equiv", "")
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        for path in ("page.js", "page.css"):
            async with session.get(room.url + path) as response:
                assert response.status == 200
        for path in ("../pyproject.toml", "page.html/../../x", "static/page.js", "room.json/x"):
            async with session.get(room.url + path) as response:
                assert response.status == 404

    play(test)
