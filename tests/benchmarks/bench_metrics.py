"""Jackson & Nei on big multilateral pacts
(on demand: ``.venv/bin/python tests/benchmarks/bench_metrics.py``).

Target (issue 9): a 3,000-member defence pact in under 5 s and 200 MB; a
193-member one (the UN's size) too. Measured in-process: the vulnerability of
every state and the war-stable verdict on the compiled world (time, and peak
memory by tracemalloc); and the whole ``run --report`` process (wall time, peak
RSS), which also compiles the world's 4.5 million pact ties for the engine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from sandbox.core import metrics
from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Scenario, ScriptedEvent, State, Treaty
from sandbox.core.world import World

WORK = Path("/tmp/bench_metrics")
SIZES = (193, 3_000)
TARGET_SECONDS, TARGET_MIB = 5.0, 200


def pact_world(members: int, outsiders: int = 20, seed: int = 0) -> Scenario:
    """One defense pact of ``members`` states (powers lognormal) and ``outsiders`` states
    outside it, each with a bilateral defense treaty with a member; one attack among outsiders."""
    rng = np.random.default_rng(seed)
    power = np.round(rng.lognormal(1.0, 1.0, members + outsiders), 3) + 0.01
    states = [State(f"S{i}", f"State {i}", float(power[i])) for i in range(members + outsiders)]
    treaties = [Treaty("pact", "Pact", "defense", [f"S{i}" for i in range(members)])]
    treaties += [
        Treaty(f"b{i}", f"B{i}", "defense", [f"S{members + i}", f"S{int(rng.integers(members))}"])
        for i in range(outsiders)
    ]
    return Scenario(states, treaties, events=[ScriptedEvent(0, f"S{members}", f"S{members + 1}")])


def in_process(scenario: Scenario) -> tuple[float, float, int]:
    """Seconds and peak MiB of the structure (vulnerability and war-stability), and the vulnerable count."""
    world = World(scenario)
    tracemalloc.start()
    start = time.perf_counter()
    structure = metrics.structure_of(world)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, len(structure.vulnerable)


def whole_run(path: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest child so far (sizes run smallest first)."""
    start = time.perf_counter()
    cli = str(Path(sys.executable).with_name("security-sandbox-cli"))
    subprocess.run(
        [cli, "run", str(path), "--report", str(WORK / "report.json")], check=True, stdout=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    WORK.mkdir(exist_ok=True)
    print(
        f"{'members':>8}  {'J&N s':>7}  {'J&N MiB':>8}  {'vulnerable':>10}  {'run s':>6}  {'run MiB':>8}"
        "  target"
    )
    for members in SIZES:
        scenario = pact_world(members)
        path = WORK / f"pact-{members}.sandbox"
        save_scenario(scenario, path)
        seconds, peak, vulnerable = in_process(scenario)
        run_seconds, rss = whole_run(path)
        met = seconds < TARGET_SECONDS and peak < TARGET_MIB
        print(
            f"{members:>8}  {seconds:>7.3f}  {peak:>8.1f}  {vulnerable:>10}  {run_seconds:>6.2f}  {rss:>8.0f}"
            f"  < {TARGET_SECONDS} s, < {TARGET_MIB} MB: {'met' if met else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
