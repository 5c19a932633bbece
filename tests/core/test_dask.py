"""The Dask path of a sweep: the same rows as local runs, on a loopback cluster."""

from __future__ import annotations

import threading

import pytest
from builders import loopback_cluster, open_world

from sandbox.cli.commands import main
from sandbox.core import dask_backend, sweep
from sandbox.core.dask_backend import ClusterError, run_sweep_on_dask
from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty


def _alliance_world() -> Scenario:
    # A attacks B; C is bound to B by a defense pact it keeps with probability r x c x feasibility,
    # so stochastic runs differ by seed: the rows must match run for run, not just in total.
    return Scenario(
        states=[
            State("A", "Alpha", 10.0, reliability=0.9, position=(0, 0)),
            State("B", "Beta", 4.0, reliability=0.6, position=(100, 0)),
            State("C", "Gamma", 6.0, reliability=0.6, position=(200, 0)),
        ],
        treaties=[Treaty("bc", "Beta-Gamma pact", members=["B", "C"], commitment=0.8)],
        events=[ScriptedEvent(0, "A", "B")],
        settings=Settings(seed=5, mode="stochastic", deterrence=False, max_ticks=30),
    )


@pytest.fixture(scope="module")
def scheduler_address():
    with loopback_cluster() as cluster:
        yield cluster.scheduler_address


def test_dask_rows_equal_local_rows_for_the_same_seeds(scheduler_address):
    scenario = _alliance_world()
    vary = [sweep.Vary("states.C.reliability", 0.2, 1.0, 3)]
    specs = sweep.plan_runs(scenario, None, 20, seed=100, vary=vary)
    seen = []
    rows = run_sweep_on_dask(
        scheduler_address,
        scenario,
        specs,
        progress=lambda done, total: seen.append((done, total)),
        chunk_size=7,
    )
    assert rows == sweep.run_sweep(scenario, specs, workers=1)
    assert [row["seed"] for row in rows] == list(range(100, 160))
    assert len({row["honoured"] for row in rows}) == 2  # the draws really differ from run to run
    assert seen[-1] == (60, 60)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_cancelled_before_start_returns_no_rows(scheduler_address):
    scenario = _alliance_world()
    specs = sweep.plan_runs(scenario, [("A", "B")], 50, seed=0)
    cancel = threading.Event()
    cancel.set()
    assert run_sweep_on_dask(scheduler_address, scenario, specs, cancel=cancel) == []


def test_unreachable_scheduler_is_a_clear_error():
    scenario = _alliance_world()
    specs = sweep.plan_runs(scenario, None, 1, seed=0)
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_sweep_on_dask("tcp://127.0.0.1:9", scenario, specs, connect_seconds=0.5)


def test_cli_sweep_on_the_scheduler_writes_the_local_csv(scheduler_address, tmp_path, capsys):
    path = tmp_path / "world.sandbox"
    save_scenario(_alliance_world(), path)
    common = [
        "sweep",
        str(path),
        "--attack",
        "A:B",
        "--runs",
        "15",
        "--vary",
        "states.C.reliability=0.3:0.9:2",
    ]
    assert main([*common, "--out", str(tmp_path / "local.csv")]) == 0
    assert main([*common, "--scheduler", scheduler_address, "--out", str(tmp_path / "dask.csv")]) == 0
    local = (tmp_path / "local.csv").read_text()
    assert (tmp_path / "dask.csv").read_text() == local
    assert len(local.splitlines()) == 31  # header + 2 grid points x 15 runs
    capsys.readouterr()


def test_cli_sweep_with_an_unreachable_scheduler_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(dask_backend, "CONNECT_SECONDS", 0.5)
    path = tmp_path / "world.sandbox"
    save_scenario(_alliance_world(), path)
    assert main(["sweep", str(path), "--runs", "2", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--scheduler tcp://127.0.0.1:9: cannot reach the Dask scheduler")
    assert "Traceback" not in err


def test_dask_rows_of_an_open_play_sweep_equal_local_rows(scheduler_address):
    # no --attack: the scenario's own events and open play run (test_war_stats.open_world)
    scenario = open_world()
    specs = sweep.plan_runs(scenario, None, 12, seed=40)
    rows = run_sweep_on_dask(scheduler_address, scenario, specs, chunk_size=5)
    assert rows == sweep.run_sweep(scenario, specs, workers=1)
    assert {"wars", "defeated", "ticks_at_war", "defeated_states"} <= set(rows[0])
