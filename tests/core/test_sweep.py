"""Sweeps: the plan, the rows, workers, progress and cancelling, and the CLI command."""

import csv
import io
import threading

import pytest

from sandbox.cli import commands as cli
from sandbox.core.io.fileformat import save_scenario, scenario_from_dict, scenario_to_dict
from sandbox.core.sim import Simulation
from sandbox.core.sweep import (
    MAX_RUNS,
    RunSpec,
    SweepError,
    Vary,
    apply_values,
    chunked,
    columns,
    execute_run,
    parse_vary,
    plan_runs,
    run_chunk,
    run_sweep,
)

# A (1) attacks B (1); C (5) is B's ally. C's honour probability is
# r x c x feasibility = r x 1 x min(1, 2 x (1 + 5) / (6 + 1)) = r: with r = 0
# it always reneges, with r = 1 it always honours, and A, facing 6 alone, loses.
TRIANGLE = {
    "format": "collective-security-sandbox",
    "version": 1,
    "settings": {"deterrence": False, "seed": 100},
    "states": [
        {"id": "A", "name": "A", "power": 1},
        {"id": "B", "name": "B", "power": 1},
        {"id": "C", "name": "C", "power": 5, "reliability": 0.5},
    ],
    "treaties": [{"id": "bc", "name": "BC", "members": ["B", "C"]}],
    "events": [{"tick": 0, "type": "attack", "aggressor": "A", "target": "B"}],
}


@pytest.fixture
def triangle():
    return scenario_from_dict(TRIANGLE)


def test_parse_vary():
    assert parse_vary("settings.attrition=0.02:0.1:5") == Vary("settings.attrition", 0.02, 0.1, 5)
    assert Vary("x", 0, 1, 5).values() == [0, 0.25, 0.5, 0.75, 1]
    assert Vary("x", 2, 9, 1).values() == [2]
    for bad in ("settings.attrition", "x=1:2", "x=a:2:3", "x=1:2:0", "=1:2:3", "x=1:inf:2"):
        with pytest.raises(SweepError, match="--vary"):
            parse_vary(bad)


def test_plan_is_a_grid_with_seed_base_plus_run(triangle):
    vary = [Vary("states.C.reliability", 0, 1, 2), Vary("treaties.bc.commitment", 0.5, 1, 3)]
    specs = plan_runs(triangle, [("A", "B")], runs=2, seed=40, vary=vary)
    assert len(specs) == 2 * 3 * 2
    assert [s.run for s in specs] == list(range(12)) and [s.seed for s in specs] == list(range(40, 52))
    assert specs[0].values == (("states.C.reliability", 0), ("treaties.bc.commitment", 0.5))
    assert specs[1].values == specs[0].values  # runs repeat at each grid point
    assert specs[2].values == (
        ("states.C.reliability", 0),
        ("treaties.bc.commitment", 0.75),
    )  # last path fastest
    assert specs[-1].values == (("states.C.reliability", 1), ("treaties.bc.commitment", 1))
    assert specs[0].attacks == (("A", "B"),)
    assert plan_runs(triangle, None, 1, 0)[0] == RunSpec(0, 0, None, ())


@pytest.mark.parametrize(
    "vary, attacks, message",
    [
        (Vary("states.Q.power", 1, 2, 2), None, "--vary states.Q.power: unknown state 'Q'"),
        (Vary("states.A.name", 1, 2, 2), None, "state fields that can vary: power, gdp"),
        (Vary("treaties.zz.commitment", 0, 1, 2), None, "unknown treaty 'zz'"),
        (Vary("settings.seed", 0, 1, 2), None, "settings that can vary"),
        (Vary("world.size", 0, 1, 2), None, "a path starts with settings., states. or treaties."),
        (Vary("states.A.reliability", 0, 2, 3), None, "reliability: must be a number between 0 and 1, got 2"),
        (Vary("settings.attrition", -1, 0.5, 3), None, "attrition: must be a number between 0 and 1, got -1"),
        (None, [("A", "Q")], "--attack A:Q: unknown state 'Q'"),
        (None, [("A", "A")], "--attack A:A: a state cannot attack itself"),
    ],
)
def test_plan_refuses_bad_paths_values_and_attacks(triangle, vary, attacks, message):
    with pytest.raises(SweepError, match=message.replace("(", r"\(").replace(".", r"\.")):
        plan_runs(triangle, attacks, 1, 0, [vary] if vary else [])


def test_plan_is_capped_and_made_lazily(triangle):
    with pytest.raises(SweepError, match="100,000,000 runs; a sweep makes at most 1,000,000"):
        plan_runs(triangle, None, 1, 0, [Vary("settings.attrition", 0, 1, 100_000_000)])
    with pytest.raises(SweepError, match="--runs 100000000: 100,000,000 runs"):
        plan_runs(triangle, None, 100_000_000, 0)
    specs = plan_runs(
        triangle, None, 4, 7, [Vary("settings.attrition", 0, 0.249999, 250_000)]
    )  # steps of 1e-6
    assert len(specs) == MAX_RUNS and specs[-1] == RunSpec(
        MAX_RUNS - 1, 7 + MAX_RUNS - 1, None, (("settings.attrition", 0.249999),)
    )
    assert specs[5:7] == [RunSpec(n, 7 + n, None, (("settings.attrition", 1e-6),)) for n in (5, 6)]
    with pytest.raises(IndexError):
        specs[MAX_RUNS]


def test_grid_values_are_clean_and_whole_number_fields_take_whole_numbers(triangle):
    # 0.01 + 0.09 * 1 / 2 is 0.05500000000000001 in floating point; the CSV and the scenario get 0.055
    assert Vary("settings.attrition", 0.01, 0.1, 3).values() == [0.01, 0.055, 0.1]
    specs = plan_runs(triangle, None, 1, 0, [Vary("settings.max_ticks", 10, 30, 3)])
    assert [s.values for s in specs] == [(("settings.max_ticks", n),) for n in (10, 20, 30)]
    assert all(type(s.values[0][1]) is int for s in specs)  # the CSV shows 10, not 10.0
    for vary in (Vary("settings.max_ticks", 10, 20, 4), Vary("states.C.mobilization", 1.5, 3.5, 3)):
        with pytest.raises(SweepError, match="a whole-number field; LO, HI and the step"):
            plan_runs(triangle, None, 1, 0, [vary])


def test_apply_values_edits_a_copy_and_rounds_whole_numbers(triangle):
    world = apply_values(triangle, [("states.C.mobilization", 2.6), ("settings.max_ticks", 10.2)])
    assert (world.state("C").mobilization, world.settings.max_ticks) == (3, 10)
    assert (triangle.state("C").mobilization, triangle.settings.max_ticks) == (1, 60)


def test_rows_follow_the_hand_worked_cases(triangle):
    specs = plan_runs(triangle, None, 3, 100, [Vary("states.C.reliability", 0, 1, 2)])
    rows = run_sweep(triangle, specs)
    # the per-treaty counts ride along, outside the CSV columns
    extra = ["attacks", "attacker_lost", "treaty_obliged", "treaty_honoured"]
    assert [*columns([Vary("states.C.reliability", 0, 1, 2)]), *extra] == list(rows[0])
    never, always = rows[:3], rows[3:]
    # one attack a run, lost by A only when C honours
    assert [(r["attacks"], r["attacker_lost"]) for r in rows] == [(1, 0)] * 3 + [(1, 1)] * 3
    assert {(r["honoured"], r["reneged"], r["belligerents"], r["deterred"]) for r in never} == {(0, 1, 2, 0)}
    assert {(r["honoured"], r["reneged"], r["belligerents"], r["result"]) for r in always} == {
        (1, 0, 3, "aggressor-defeated")
    }
    # C is obliged by bc in every run; it honours bc only with reliability 1
    assert all(r["treaty_obliged"] == {"bc": 1} for r in rows)
    assert [r["treaty_honoured"] for r in rows] == [{"bc": 0}] * 3 + [{"bc": 1}] * 3


def test_a_row_replays_alone_with_its_seed(triangle):
    rows = run_sweep(triangle, plan_runs(triangle, None, 40, 7))
    assert {r["honoured"] for r in rows} == {0, 1}  # r = 0.5: both outcomes happen
    for row in rows[:10]:
        alone = Simulation(triangle, seed=row["seed"], mode="stochastic").run()
        assert (alone.honoured, alone.result, alone.tick - 1) == (
            row["honoured"],
            row["result"],
            row["ended_tick"],
        )


def test_rows_are_the_same_whatever_the_workers(triangle):
    specs = plan_runs(triangle, None, 30, 3, [Vary("treaties.bc.commitment", 0.4, 1, 3)])
    alone = run_sweep(triangle, specs, workers=1)
    pooled = run_sweep(triangle, specs, workers=2, chunk_size=7)
    assert pooled == alone and [r["run"] for r in pooled] == list(range(90))


def test_execute_run_and_run_chunk_take_file_content(triangle):
    data = scenario_to_dict(triangle)
    specs = plan_runs(triangle, [("A", "B")], 4, 11)
    assert run_chunk(data, specs) == run_sweep(triangle, specs)
    assert execute_run(data, specs[2]) == run_sweep(triangle, specs)[2]


def test_chunks_cover_the_plan_in_order(triangle):
    specs = plan_runs(triangle, None, 1001, 0)
    chunks = chunked(specs, workers=2)
    assert [s for chunk in chunks for s in chunk] == list(specs)
    assert max(len(c) for c in chunks) == 126 and len(chunks) == 8  # ceil(1001 / 8) = 126 per chunk


def test_progress_counts_up_to_the_total(triangle):
    calls = []
    run_sweep(triangle, plan_runs(triangle, None, 10, 0), chunk_size=4, progress=lambda *a: calls.append(a))
    assert calls == [(4, 10), (8, 10), (10, 10)]


@pytest.mark.parametrize("workers", [1, 2])
def test_cancel_stops_between_chunks(triangle, workers):
    cancel = threading.Event()
    specs = plan_runs(triangle, None, 400, 0)
    rows = run_sweep(
        triangle, specs, workers=workers, chunk_size=5, cancel=cancel, progress=lambda *_: cancel.set()
    )
    full = run_sweep(triangle, specs)
    assert 5 <= len(rows) < 400
    assert [r["run"] for r in rows] == sorted(r["run"] for r in rows)
    assert all(row == full[row["run"]] for row in rows)
    if workers == 1:
        assert rows == full[:5]  # cancelled after the first chunk


def test_cancel_as_a_callable(triangle):
    rows = run_sweep(triangle, plan_runs(triangle, None, 50, 0), chunk_size=5, cancel=lambda: True)
    assert rows == []


# -- the CLI command ------------------------------------------------------------


def test_cli_sweep_writes_csv(tmp_path, capsys):
    path, out = tmp_path / "t.sandbox", tmp_path / "rows.csv"
    save_scenario(scenario_from_dict(TRIANGLE), path)
    argv = ["sweep", str(path), "--runs", "5", "--vary", "states.C.reliability=0:1:2", "--out", str(out)]
    assert cli.main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == [
        "run", "seed", "states.C.reliability", "result", "ended_tick", "wars", "belligerents", "honoured",
        "reneged", "deterred", "defeated", "ticks_at_war", "defeated_states",
    ]  # fmt: skip
    assert [r["seed"] for r in rows] == [str(100 + i) for i in range(10)]
    assert {r["reneged"] for r in rows[:5]} == {"1"} and {r["honoured"] for r in rows[5:]} == {"1"}
    assert {r["wars"] for r in rows} == {"1"}  # one attack, one war
    err = capsys.readouterr().err
    assert "sweep: 100% (10/10 runs), about 0 s left" in err.splitlines()
    # the summary comes last: bc honoured in the 5 runs with reliability 1, of 10
    assert err.splitlines()[-1].startswith("  overall: 50.0% of 10")
    assert "  wars per run: 1 (95% interval 1 to 1)" in err.splitlines()


def test_cli_sweep_to_stdout_with_attack(tmp_path, capsys):
    path = tmp_path / "t.sandbox"
    save_scenario(scenario_from_dict(TRIANGLE), path)
    assert cli.main(["sweep", str(path), "--runs", "3", "--attack", "C:A", "--seed", "9"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["seed"] for r in rows] == ["9", "10", "11"]
    assert {r["result"] for r in rows} == {"aggressor-victory"}  # C (5) crushes A (1), who has no ally


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--vary", "states.Q.power=1:2:2"], "--vary states.Q.power: unknown state 'Q'"),
        (["--vary", "settings.attrition"], "--vary settings.attrition: expected PATH=LO:HI:STEPS"),
        (["--attack", "A:Q"], "--attack A:Q: unknown state 'Q'"),
        (["--out", "/no/such/dir/x.csv"], "/no/such/dir/x.csv: the folder"),
    ],
)
def test_cli_sweep_bad_input_exits_2(tmp_path, capsys, argv, message):
    path = tmp_path / "t.sandbox"
    save_scenario(scenario_from_dict(TRIANGLE), path)
    assert cli.main(["sweep", str(path), *argv]) == 2
    out, err = capsys.readouterr()
    assert message in err and out == ""
    if not message.startswith("/no"):
        assert err.startswith(f"{path}: ")


def test_progress_line_does_not_flood():
    stream = io.StringIO()
    progress = cli.ProgressLine(stream)
    for done in range(1, 10_001):
        progress(done, 10_000)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the first report, then 100%: a pipe gets a line every 5 s at most
    assert lines[-1].startswith("sweep: 100% (10000/10000 runs)")
