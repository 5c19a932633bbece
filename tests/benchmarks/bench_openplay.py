"""Open-play benchmarks (issue 13; on demand: ``.venv/bin/python tests/benchmarks/bench_openplay.py``).

Targets: a 1,000-tick open-play run of a 50-state world in 5 s as a CLI process, and a 1,000-run
sweep of Concert or League in 60 s on 2 workers. Both are timed as whole CLI processes in CPU seconds
(user + sys, workers included), since wall-clock is noisy on the shared machine.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from sandbox.core.examples import example_path
from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Meta, Scenario, Settings, State, Treaty

WORK = Path("/tmp/bench_openplay")
CLI = [str(Path(sys.executable).with_name("security-sandbox-cli"))]
RUN_TARGET, SWEEP_TARGET, SWEEP_RUNS = 5.0, 60.0, 1_000


def generate_open_world(
    n_states: int = 50, revisionists: int = 10, pacts: int = 20, seed: int = 0
) -> Scenario:
    """``n_states`` states with log-normal power on a grid, the first ``revisionists`` of them with
    revisionism in [0.6, 1], and ``pacts`` bilateral defence pacts between random pairs; open play on,
    stochastic mode, deterrence on, 1,000 ticks at most."""
    rng = np.random.default_rng(seed)
    power = np.round(rng.lognormal(1.0, 0.8, n_states), 2) + 0.5
    reliability = np.round(rng.uniform(0.5, 1.0, n_states), 2)
    revisionism = np.zeros(n_states)
    revisionism[:revisionists] = np.round(rng.uniform(0.6, 1.0, revisionists), 2)
    width = int(np.ceil(np.sqrt(n_states)))
    ids = [f"S{i}" for i in range(n_states)]
    states = [
        State(
            ids[i],
            f"State {i}",
            float(power[i]),
            reliability=float(reliability[i]),
            revisionism=float(revisionism[i]),
            position=(float(60 * (i % width)), float(60 * (i // width))),
        )
        for i in range(n_states)
    ]
    treaties = []
    for k in range(pacts):
        a, b = rng.choice(n_states, 2, replace=False).tolist()
        treaties.append(Treaty(f"D{k}", f"Pact {k}", "defense", [ids[a], ids[b]], commitment=0.8))
    settings = Settings(seed=seed, mode="stochastic", open_play=True, max_ticks=1000)
    return Scenario(states, treaties, [], [], settings, Meta(title=f"Open play, {n_states} states"))


def cpu_of(argv: list[str]) -> tuple[float, float]:
    """CPU seconds (user + sys, children included) and peak RSS (MiB) of one CLI process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(CLI + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    WORK.mkdir(exist_ok=True)
    for pacts in (20, 40):  # the README's world, and one with twice the pacts (bigger cascades)
        world = WORK / f"open-50-{pacts}.sandbox"
        save_scenario(generate_open_world(pacts=pacts), world)
        report = WORK / f"open-50-{pacts}.json"
        cpu, wall = cpu_of(["run", str(world), "--report", str(report)])
        outcome = json.loads(report.read_text())["outcome"]
        print(
            f"run, 50 states, {pacts} pacts, open play, 1,000 ticks at most: {cpu:.2f} s CPU "
            f"({wall:.2f} s wall), ended at tick {outcome['ended_tick']} after {len(outcome['wars'])} wars; "
            f"target {RUN_TARGET} s"
        )
    for variant in ("alliances", "unanimity", "majority"):
        path = example_path(f"concert-or-league-{variant}")
        cpu, wall = cpu_of(
            ["sweep", str(path), "--runs", str(SWEEP_RUNS), "--workers", "2", "--out", str(WORK / "rows.csv")]
        )
        print(
            f"sweep, {SWEEP_RUNS:,} runs of concert-or-league-{variant}, 2 workers: {cpu:.1f} s CPU "
            f"({wall:.1f} s wall); target {SWEEP_TARGET:.0f} s"
        )


if __name__ == "__main__":
    main()
