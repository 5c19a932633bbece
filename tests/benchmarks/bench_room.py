"""On-demand benchmark of the room under a full class (not part of the default run).

    .venv/bin/python tests/benchmarks/bench_room.py [PARTICIPANTS]

The room runs as its own process (``security-sandbox-cli room`` on 127.0.0.1, ``--autostart``); 60
participants (by default) connect from this process, each takes one of 60 states bound by one defence
pact to the state attacked at tick 0, so all 60 are obliged in the first tick. All join and decide
within the tick's time limit (the report's room section must show every decision taken by its
participant, none by the model). It prints the time from the last decision sent to the tick
arriving on every page (median and worst; target: worst under 200 ms), the room process's CPU
seconds, and the machine's load.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from room_clients import Client  # noqa: E402

from sandbox.core.io.fileformat import save_scenario  # noqa: E402
from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty  # noqa: E402

TARGET_MS = 200.0


def class_world(n: int) -> Scenario:
    """A (power 100) attacks B (1); S0..S{n-1} (power 1 each) are bound to defend B by one pact."""
    states = [State("A", "Aggressor", 100.0), State("B", "Victim", 1.0)]
    states += [State(f"S{i}", f"State {i}", 1.0, reliability=1.0) for i in range(n)]
    pact = Treaty("pact", "The pact", "defense", ["B", *[f"S{i}" for i in range(n)]])
    return Scenario(states, [pact], [], [ScriptedEvent(0, "A", "B")], Settings(deterrence=False, max_ticks=3))


async def participants(url: str, code: str, n: int) -> tuple[list[float], float]:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        people = [await Client.connect(session, url) for _ in range(n)]
        await asyncio.gather(*(p.join(code, f"P{i}", f"S{i}") for i, p in enumerate(people)))
        await asyncio.gather(*(p.expect("decide") for p in people))
        arrived: list[float] = [0.0] * n

        async def tick(i: int, p: Client) -> None:
            async for msg in p.ws:  # read lean: the time is the page's, not a test helper's
                if '"type": "tick"' in msg.data:
                    arrived[i] = time.perf_counter()
                    return

        waiting = [asyncio.create_task(tick(i, p)) for i, p in enumerate(people)]
        for i, p in enumerate(people):
            await p.send({"type": "decision", "token": p.token, "choice": "honour" if i % 2 else "renege"})
        last_sent = time.perf_counter()
        await asyncio.gather(*waiting)
        await asyncio.gather(*(p.expect("ended") for p in people))
        return [(t - last_sent) * 1000 for t in arrived], last_sent


def main(n: int = 60) -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench_room"))
    world, out = folder / "class.sandbox", folder / "report.json"
    save_scenario(class_world(n), world)
    argv = [sys.executable, "-m", "sandbox.cli", "room", str(world), "--host", "127.0.0.1", "--port", "0"]
    argv += ["--autostart", str(n), "--decision-seconds", "120", "--pace", "0", "--report", str(out)]
    argv += ["--per-address", str(n)]  # every participant comes from 127.0.0.1 here; in a room, one per phone
    room = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url, code = re.fullmatch(r"room: (\S+) code (\S+)\n", room.stdout.readline()).groups()
        delays, _ = asyncio.run(participants(url, code, n))
        room.wait(120)
    finally:
        room.kill()
    section = json.loads(out.read_text())["room"]
    cpu = _child_cpu()
    worst = max(delays)
    print(
        f"{n} participants: all decided by themselves: {section['taken'] == n and section['timed_out'] == 0}"
    )
    print(
        f"last decision to the tick on every page: median {statistics.median(delays):.1f} ms, "
        f"worst {worst:.1f} ms (target < {TARGET_MS:.0f} ms)"
    )
    print(f"room process: {cpu:.2f} s CPU in all; load average {os.getloadavg()[0]:.1f}")
    return 0 if worst < TARGET_MS and section["taken"] == n else 1


def _child_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 60))
