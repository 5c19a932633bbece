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


def test_exposure_of_a_hub_with_4000_offense_partners_runs_in_512_mib(tmp_path):
    # A hub H bound by 4,000 bilateral offense treaties to states of power 1, and 3,000 outsiders
    # of power 2 tied to nobody (a 700 KB file). Exposure (over 200 states: the 8 strongest would-be
    # attackers against every state) expands H's 4,000 partners for each outsider: 12 million rows,
    # which one block of pairs held at once (over 512 MiB); in blocks of bounded rows it fits.
    states = [State("H", "Hub", 1.0)] + [State(f"P{i:04}", f"Partner {i}", 1.0) for i in range(4000)]
    states += [State(f"X{i:04}", f"Outsider {i}", 2.0) for i in range(3000)]
    treaties = [Treaty(f"o{i}", f"O{i}", "offense", ["H", f"P{i:04}"]) for i in range(4000)]
    path = tmp_path / "hub.sandbox"
    save_scenario(Scenario(states, treaties, events=[ScriptedEvent(0, "X0000", "X0001")]), path)
    report = tmp_path / "report.json"
    done = run_cli_limited(["run", str(path), "--report", str(report)], memory_mib=512)
    assert done.returncode == 0, done.stderr
    exposure = json.loads(report.read_text("utf-8"))["states"]["X0002"]["exposure"]
    # H and its 4,000 partners (each p = 1 x 1 x feasibility 1 >= 0.5) against a lone outsider of 2
    assert exposure == 4001 / 2
