"""Memory bounded by the input: a valid file of a few kilobytes never needs gigabytes."""

import json

from faults import run_cli_limited

from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Scenario, ScriptedEvent, State, Treaty


def test_a_400_member_pact_runs_in_512_mib(tmp_path):
    # 400 members of power 1 in one defense pact and 10 outsiders of power 2 (a 50 KB file).
    # Jackson & Nei (v2): a member's attackers are the outsiders only (2 > gamma x 400 fails): safe.
    # An outsider j: a member k leads the whole pact, 400 > 2: every outsider is vulnerable.
    # The two-step paths of the pact alone were 400^3 = 64 million entries (a MemoryError at 1.5 GiB).
    states = [State(f"M{i:03}", f"Member {i}", 1.0) for i in range(400)]
    states += [State(f"X{i}", f"Outsider {i}", 2.0) for i in range(10)]
    pact = Treaty("pact", "Pact", "defense", [s.id for s in states[:400]])
    path = tmp_path / "pact.sandbox"
    save_scenario(Scenario(states, [pact], events=[ScriptedEvent(0, "X0", "X1")]), path)
    report = tmp_path / "report.json"
    done = run_cli_limited(["run", str(path), "--report", str(report)], memory_mib=512)
    assert done.returncode == 0, done.stderr
    structure = json.loads(report.read_text("utf-8"))["structure"]
    assert structure["vulnerable"] == [f"X{i}" for i in range(10)]
    assert structure["war_stable"] is False
