"""``security-sandbox-cli room`` as a process: the address line, the facilitator's start, a participant's
decision, the report; and bad input with exit 2."""

import asyncio
import json
import re
import subprocess
import sys

import aiohttp
import pytest
from room_clients import WAIT, Client, defenders_world

from sandbox.core.io.fileformat import save_scenario
from sandbox.core.sim import Simulation
from sandbox.core.sim.decisions import Taken


def test_the_room_command_runs_a_room_and_writes_the_report(tmp_path):
    scenario = tmp_path / "defenders.sandbox"
    save_scenario(defenders_world(), scenario)
    out = tmp_path / "report.json"
    argv = [sys.executable, "-m", "sandbox.cli", "room", str(scenario), "--host", "127.0.0.1", "--port", "0"]
    argv += ["--code", "wxyz89", "--decision-seconds", "60", "--pace", "0", "--report", str(out)]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        found = re.fullmatch(r"room: (http://127\.0\.0\.1:\d+/) code WXYZ89\n", line)
        assert found, line
        url = found.group(1)
        token = re.search(r"facilitator token: (\S+)", process.stderr.readline()).group(1)

        async def participants():
            async with aiohttp.ClientSession() as session:
                ann = await Client.connect(session, url)
                await ann.join("WXYZ89", "Ann", "C")
                await ann.send({"type": "start", "token": token})
                assert (await ann.expect("decide"))["state"] == "C"
                await ann.send({"type": "decision", "token": ann.token, "choice": "renege"})
                return await ann.expect("ended")

        ended = asyncio.run(participants())
        stdout, stderr = process.communicate(timeout=WAIT)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, stderr
    assert stdout == ""  # only the address line
    assert "Ann decided for State C" in stderr and "Traceback" not in stderr
    by_hand = Simulation(defenders_world())
    by_hand.begin_step()
    by_hand.finish_step({"C": Taken("renege", "Ann")})
    expected = by_hand.run().report()
    written = json.loads(out.read_text())
    expected["scenario"] = written["scenario"]  # the saved file's title
    assert written.pop("room")["kept_out"] == ["C"]
    assert written == expected
    assert ended["result"] == expected["outcome"]["result"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--code", "no!"], "--code no!: must be 4 to 12 letters and digits"),
        (["--attack", "A:ZZ"], "unknown"),
        (["--report", "-"], "--report -: stdout carries the room's address; give a file"),
        (["--host", "203.0.113.9"], "--host 203.0.113.9 --port 0: cannot listen:"),
    ],
)
def test_bad_room_input_exits_2_with_a_message(tmp_path, extra, message):
    scenario = tmp_path / "defenders.sandbox"
    save_scenario(defenders_world(), scenario)
    argv = [sys.executable, "-m", "sandbox.cli", "room", str(scenario), "--port", "0", *extra]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_bad_scenario_file_exits_2_naming_it(tmp_path):
    bad = tmp_path / "bad.sandbox"
    bad.write_text("{")
    done = subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "room", str(bad), "--port", "0"], capture_output=True, text=True
    )
    assert done.returncode == 2 and str(bad) in done.stderr and "Traceback" not in done.stderr
