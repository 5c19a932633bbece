"""Sweep failures end as one-line messages and exit 2: a killed worker, a lost scheduler,
a silent peer, a malformed address, too many workers. Never a traceback or partial output."""

import multiprocessing
import os
import signal

import pytest
from faults import scheduler_process, silent_peer

from sandbox.cli import commands as cli
from sandbox.core import sweep
from sandbox.core.dask_backend import ClusterError, run_sweep_on_dask
from sandbox.core.examples import example_path
from sandbox.core.io.fileformat import load_scenario

JULY = example_path("july-1914")
MANY = ["--runs", "200000", "--attack", "AUH:SRB"]  # minutes of work: the failure comes first


class KillOnFirstProgress(cli.ProgressLine):
    """The CLI's progress line, which kills ``victim()`` the first time a chunk is done."""

    victim = None

    def __call__(self, done: int, total: int) -> None:
        if KillOnFirstProgress.victim is not None:
            os.kill(KillOnFirstProgress.victim(), signal.SIGKILL)
            KillOnFirstProgress.victim = None
        super().__call__(done, total)


def test_a_killed_worker_is_a_one_line_message_and_no_rows(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "ProgressLine", KillOnFirstProgress)
    monkeypatch.setattr(KillOnFirstProgress, "victim", lambda: multiprocessing.active_children()[0].pid)
    out = tmp_path / "rows.csv"
    assert cli.main(["sweep", str(JULY), *MANY, "--workers", "2", "--out", str(out)]) == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == (
        "--workers 2: a worker process ended before its runs were done (killed, or out of memory); "
        "no rows were written"
    )
    assert not out.exists() and multiprocessing.active_children() == []


def test_a_closed_scheduler_is_a_one_line_message_and_no_rows(tmp_path, capsys, monkeypatch):
    with scheduler_process() as (scheduler, address):
        monkeypatch.setattr(cli, "ProgressLine", KillOnFirstProgress)
        monkeypatch.setattr(KillOnFirstProgress, "victim", lambda: scheduler.pid)
        out = tmp_path / "rows.csv"
        assert cli.main(["sweep", str(JULY), *MANY, "--scheduler", address, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(f"--scheduler {address}: lost the Dask scheduler")
    assert "Traceback" not in err and not out.exists()


def test_a_peer_that_never_answers_is_given_up():
    # it accepts the TCP connection, then says nothing: the handshake as a whole has a deadline
    scenario = load_scenario(JULY)
    specs = sweep.plan_runs(scenario, None, 1, seed=0)
    with silent_peer() as address, pytest.raises(ClusterError) as caught:
        run_sweep_on_dask(address, scenario, specs, connect_seconds=1)
    assert str(caught.value) == f"no answer from a Dask scheduler at {address} within 1 s"


@pytest.mark.parametrize(
    "address", ["nonsense", "tcp://host:99999", "tcp://host", "http://host:80", "tcp://a b:1"]
)
def test_a_malformed_scheduler_address_is_refused_at_once(address, capsys):
    assert cli.main(["sweep", str(JULY), "--runs", "1", "--scheduler", address]) == 2
    out, err = capsys.readouterr()
    assert err == (
        f"--scheduler {address}: not a scheduler address; expected tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786\n"
    )
    assert out == ""


def test_workers_are_capped_at_four_per_core(capsys):
    cap = 4 * (os.cpu_count() or 1)
    assert sweep.max_workers() == cap
    with pytest.raises(SystemExit) as caught:
        cli.main(["sweep", str(JULY), "--runs", "1", "--workers", str(cap + 1)])
    assert caught.value.code == 2
    assert (
        f"argument --workers: '{cap + 1}': at most {cap} on this machine (4 per core)"
        in capsys.readouterr().err
    )
    with pytest.raises(sweep.SweepError, match=f"workers: at most {cap} "):
        sweep.run_sweep(None, [], workers=cap + 1)
