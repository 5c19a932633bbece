"""Small worlds and set-ups shared by the core and app suites: ``from builders import ...`` (pytest puts
this folder on the import path with tests/conftest.py)."""

from __future__ import annotations

import subprocess
import sys

from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty


def pact_world(*, commitment: float = 1.0, events: list[ScriptedEvent] | None = None, **settings) -> Scenario:
    """Alpha (power 10), Beta (4) and Gamma (6, reliability 0.9) in a row 200 apart, Gamma bound to Beta
    by the defence pact "bc" ("Beta-Gamma pact") with ``commitment``; ``events`` (default none) are
    scripted; settings are seed 3 and deterrence off, overridden or added by ``settings``."""
    return Scenario(
        states=[
            State("A", "Alpha", 10.0, position=(0, 0)),
            State("B", "Beta", 4.0, position=(200, 0)),
            State("C", "Gamma", 6.0, reliability=0.9, position=(400, 0)),
        ],
        treaties=[Treaty("bc", "Beta-Gamma pact", members=["B", "C"], commitment=commitment)],
        events=list(events or []),
        settings=Settings(**{"seed": 3, "deterrence": False, **settings}),
    )


def open_world() -> Scenario:
    """An open-play world for sweeps (stochastic, 200 ticks): runs differ from seed to seed."""
    # A (10, revisionism 1) weighs B (4) and C (6), allies with reliability 0.5: the prediction counts
    # C at its chance of coming, so A attacks B (10 against less than 10); whether C comes is drawn
    # in each run, so runs differ: sometimes A beats B and then C, sometimes the two stop it.
    return Scenario(
        states=[
            State("A", "Alpha", 10.0, reliability=0.9, revisionism=1.0),
            State("B", "Beta", 4.0, reliability=0.5),
            State("C", "Gamma", 6.0, reliability=0.5),
            State("D", "Delta", 1.0, reliability=0.5),
        ],
        treaties=[Treaty("bc", "Beta-Gamma pact", members=["B", "C"])],
        settings=Settings(seed=7, mode="stochastic", open_play=True, max_ticks=200),
    )


def loopback_cluster():
    """A Dask ``LocalCluster`` with one single-threaded worker in this process, reached over TCP on
    127.0.0.1, its HTTP server on a free port; use it as a context manager."""
    from distributed import LocalCluster  # only the Dask tests pay for importing it

    return LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=":0",  # any free port: parallel test runs must not fight over 8787
    )


def random_world(states: int = 1000, ties: int = 3000, seed: int = 1, sigma: float = 1.0) -> Scenario:
    """A generated world: lognormal powers (log-sd ``sigma``), reliabilities in [0.3, 1], ties between near
    neighbours in a line (two-member defense treaties, one in ten an offense treaty, one in
    twenty an entente), and a few defense pacts of five."""
    import numpy as np

    rng = np.random.default_rng(seed)
    power = rng.lognormal(0.0, sigma, size=states)
    reliability = rng.uniform(0.3, 1.0, size=states)
    world = [
        State(f"S{i}", f"State {i}", float(power[i]), reliability=float(reliability[i]))
        for i in range(states)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a = int(rng.integers(0, states - 1))
        b = min(states - 1, a + int(rng.integers(1, 12)))
        pairs.add((a, b))
    kinds = rng.uniform(size=len(pairs))
    treaties = [
        Treaty(
            f"T{n}",
            f"Pact {n}",
            type="offense" if u < 0.1 else "entente" if u < 0.15 else "defense",
            members=[f"S{a}", f"S{b}"],
        )
        for n, ((a, b), u) in enumerate(zip(sorted(pairs), kinds, strict=True))
    ]
    for p in range(states // 100):
        members = sorted({int(x) for x in rng.integers(0, states, size=5)})
        treaties.append(Treaty(f"P{p}", f"Big pact {p}", members=[f"S{m}" for m in members]))
    return Scenario(world, treaties, settings=Settings(seed=seed, deterrence=True))


def qt_modules_imported_by(modules: list[str]) -> list[str]:
    """The Qt and pyqtgraph modules a fresh interpreter has loaded after importing ``modules``
    (it must import them all without error)."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in qt)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]
