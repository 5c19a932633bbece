"""Workshop > Open Room: the room runs the window's run; the facilitator's window shows who holds which
state, the decisions as they come in (not what was chosen before the tick) and the room beside the model."""

import asyncio
import threading

import aiohttp
from room_clients import Client, defenders_world


def participant(url, code, results):
    """Ann takes C, reneges when asked, and waits for the end (in a thread, with its own event loop)."""

    async def play():
        async with aiohttp.ClientSession() as session:
            ann = await Client.connect(session, url)
            await ann.join(code, "Ann", "C")
            results["decide"] = await ann.expect("decide")
            await ann.send({"type": "decision", "token": ann.token, "choice": "renege"})
            results["ended"] = await ann.expect("ended")

    try:
        asyncio.run(play())
    except Exception as error:  # reported by the test
        results["error"] = error


def test_the_room_window_runs_the_room_and_shows_it(make_window, qtbot, tmp_path):
    window = make_window(defenders_world())
    controller = window.live.controller
    room_window = window.workshop.room.open_room(host="127.0.0.1", port=0)
    qtbot.waitUntil(lambda: bool(room_window.view.get("url")))
    view = room_window.view
    assert room_window.address.text() == view["url"] and room_window.code.text() == view["code"]
    assert not room_window.qr.pixmap().isNull() and room_window.qr.pixmap().width() >= 120
    assert window.workshop.room.action.text() == "Show &Room…"

    results = {}
    thread = threading.Thread(target=participant, args=(view["url"], view["code"], results))
    thread.start()
    qtbot.waitUntil(
        lambda: room_window.table.item(2, 1) is not None and room_window.table.item(2, 1).text() == "Ann"
    )
    assert room_window.phase.text() == "Waiting to start · 1 participant"
    controller.toggle_play()  # the run bar's Play starts the room
    qtbot.waitUntil(lambda: controller.playing)
    qtbot.waitUntil(lambda: "ended" in results or "error" in results, timeout=60_000)
    thread.join(10)
    assert "error" not in results, results.get("error")
    assert results["decide"]["state"] == "C"

    # the window's run is the room's: the canvas and report show Ann's renege
    qtbot.waitUntil(lambda: controller.finished)
    assert controller.simulation.snapshot().states["C"].status == "reneged"
    qtbot.waitUntil(lambda: room_window.side_by_side.isVisible())
    assert "The room kept State C out of the war" in room_window.debrief.text()
    assert (
        room_window.side_by_side.item(4, 0).text() == "1"
        and room_window.side_by_side.item(4, 1).text() == "0"
    )
    assert room_window.table.item(2, 2).text() == "reneged"
    report = controller.simulation.report()
    renege = next(e for e in report["events"] if e["kind"] == "renege")
    assert renege["by"] == {"participant": "Ann", "model_choice": "honour"}

    # the debrief pack sets the room beside the model
    window.workshop.debrief.write_into(tmp_path / "pack")
    index = (tmp_path / "pack" / "index.md").read_text()
    assert "The room and the model" in index
    assert "The room kept State C out of the war; in the model's run it fought." in index

    # closing the room stops it and gives the window its own run back
    url = view["url"]
    room_window.close()
    qtbot.waitUntil(lambda: window.workshop.room.room_window is None)
    assert controller.driver is None and controller.ticks_done == 0

    async def refused():
        async with aiohttp.ClientSession() as session:
            try:
                async with session.get(url + "room.json"):
                    return False
            except aiohttp.ClientConnectionError:
                return True

    assert asyncio.run(refused())


def test_a_room_run_equals_the_run_with_those_decisions(make_window, qtbot):
    # the facilitator's Reset gives a fresh room run; unheld states are the model's, so with nobody in
    # the room the run is the model's own
    window = make_window(defenders_world())
    room_window = window.workshop.room.open_room(host="127.0.0.1", port=0)
    qtbot.waitUntil(lambda: bool(room_window.view.get("url")))
    controller = window.live.controller
    controller.play()
    qtbot.waitUntil(lambda: controller.playing)
    controller.toggle_play()  # Space: the room pauses before its next tick
    qtbot.waitUntil(lambda: room_window.view.get("phase") == "paused")
    assert not controller.playing and room_window.play_button.text() == "Play"
    controller.toggle_play()
    qtbot.waitUntil(lambda: controller.finished, timeout=60_000)
    from sandbox.core.sim import Simulation

    model = Simulation(defenders_world()).run().report()
    shown = controller.simulation.report()
    assert shown == model
    controller.reset()
    qtbot.waitUntil(lambda: room_window.view.get("phase") == "waiting")
    assert controller.ticks_done == 0 and not controller.finished
    room_window.close()
