"""Sweeps over open play (SPEC.md: sweep without --attack, --summary): per-run war statistics, their
summary recomputed from the rows, and the same rows whatever runs them."""

import json
import math

import pytest
from builders import open_world

from sandbox.cli.commands import main
from sandbox.core import sweep, war_stats
from sandbox.core.io.fileformat import save_scenario


def test_rows_carry_wars_defeats_and_ticks_at_war():
    rows = sweep.run_sweep(open_world(), sweep.plan_runs(open_world(), None, 30, seed=1))
    for row in rows:
        defeated = row["defeated_states"].split()
        assert row["defeated"] == len(defeated) and set(defeated) <= {"A", "B", "C", "D"}
        assert 1 <= row["wars"] <= row["ticks_at_war"] <= row["ended_tick"] + 1
    assert len({row["defeated_states"] for row in rows}) > 1  # the draws really differ


def test_summary_is_exact_counts_over_the_rows():
    scenario = open_world()
    rows = sweep.run_sweep(scenario, sweep.plan_runs(scenario, None, 40, seed=1))
    summary = war_stats.war_summary(scenario, rows)
    n = len(rows)
    wars = [row["wars"] for row in rows]
    mean = sum(wars) / n
    sd = math.sqrt(sum((w - mean) ** 2 for w in wars) / (n - 1))
    assert summary["runs"] == 40
    assert summary["wars"]["mean"] == pytest.approx(mean)
    assert summary["wars"]["low"] == pytest.approx(mean - 1.959964 * sd / math.sqrt(n))
    # 200 weekly ticks are 1400 days: wars per century = wars x 36524.25 / 1400
    assert summary["wars_per_century"]["mean"] == pytest.approx(mean * 36524.25 / 1400)
    assert summary["defeated"]["mean"] == pytest.approx(sum(r["defeated"] for r in rows) / n)
    assert summary["ticks_at_war"]["mean"] == pytest.approx(sum(r["ticks_at_war"] for r in rows) / n)
    for sid in "ABCD":
        survived = sum(sid not in row["defeated_states"].split() for row in rows)
        assert summary["survival"][sid]["rate"] == survived / n
    # sizes by rank in power: D (1) small, B (4) middle, C (6) middle... 4 states: ranks 0-3 -> 3r // 4
    assert {sid: s["size"] for sid, s in summary["survival"].items()} == {
        "D": "small", "B": "small", "C": "middle", "A": "large",
    }  # fmt: skip
    small = sum(sid not in row["defeated_states"].split() for row in rows for sid in "DB")
    assert summary["survival_by_size"]["small"]["rate"] == small / (2 * n)


def test_wilson_interval_by_hand():
    # 8 of 10: p = 0.8, z = 1.96: centre (0.8 + 0.19208) / 1.38415 = 0.71676, half 0.2266
    interval = war_stats.rate_interval(8, 10)
    assert interval["low"] == pytest.approx(0.4902, abs=1e-4)
    assert interval["high"] == pytest.approx(0.9433, abs=1e-4)
    assert war_stats.rate_interval(10, 10)["high"] == pytest.approx(1.0)


def test_rows_are_the_same_whatever_the_workers():
    scenario = open_world()
    specs = sweep.plan_runs(scenario, None, 24, seed=3)
    assert sweep.run_sweep(scenario, specs, workers=2, chunk_size=5) == sweep.run_sweep(scenario, specs)


def test_cli_sweep_without_attack_writes_the_summary(tmp_path, capsys):
    path, out, summary = tmp_path / "w.sandbox", tmp_path / "rows.csv", tmp_path / "summary.json"
    save_scenario(open_world(), path)
    argv = ["sweep", str(path), "--runs", "12", "--out", str(out), "--summary", str(summary)]
    assert main(argv) == 0
    written = json.loads(summary.read_text())
    scenario = open_world()
    rows = sweep.run_sweep(scenario, sweep.plan_runs(scenario, None, 12, seed=7))
    assert written["wars"] == json.loads(json.dumps(war_stats.war_summary(scenario, rows)))
    err = capsys.readouterr().err
    assert f"  wars per run: {written['wars']['wars']['mean']:.3g}" in err
    assert "  survival of small states (2):" in err
