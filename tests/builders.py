"""Small worlds and set-ups shared by the core and app suites: ``from builders import ...`` (pytest puts
this folder on the import path with tests/conftest.py)."""

from __future__ import annotations

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
