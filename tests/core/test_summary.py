"""The sweep summary: results, deterrence record, alliance reliability beside history."""

import json

from sandbox.cli import commands as cli
from sandbox.core.io.fileformat import save_scenario, scenario_from_dict
from sandbox.core.summary import summarise, summary_text
from tests.core.test_sweep import TRIANGLE


def row(result, deterred=0, attacks=1, lost=0, obliged=None, honoured=None):
    fought = 1 - deterred
    return {
        "result": result,
        "wars": fought,
        "defeated": 0,
        "ticks_at_war": 5 * fought,
        "defeated_states": "",
        "deterred": deterred,
        "attacks": attacks,
        "attacker_lost": lost,
        "treaty_obliged": obliged or {},
        "treaty_honoured": honoured or {},
    }


def test_summary_counts_by_hand():
    scenario = scenario_from_dict(TRIANGLE)
    rows = [
        # C honoured bc and A lost its war
        row("aggressor-defeated", lost=1, obliged={"bc": 1}, honoured={"bc": 1}),
        # C reneged: A won
        row("aggressor-victory", obliged={"bc": 1}, honoured={"bc": 0}),
        # the attack was deterred: nothing obliged
        row("deterred", deterred=1),
        row("deterred", deterred=1),
    ]
    s = summarise(scenario, rows)
    assert s["runs"] == 4
    assert s["results"] == {"aggressor-defeated": 0.25, "aggressor-victory": 0.25, "deterred": 0.5}
    # 4 attacks tried, 2 deterred; of the 2 that went ahead, 1 lost by the attacker
    assert s["deterrence"] == {
        "attacks": 4,
        "deterred": 2,
        "deterred_share": 0.5,
        "attacker_lost": 1,
        "attacker_lost_share": 0.5,
    }
    r = s["reliability"]
    assert r["treaties"]["bc"] == {"type": "defense", "obliged": 2, "honoured": 1, "share": 0.5}
    assert r["types"]["defense"] == {"obliged": 2, "honoured": 1, "share": 0.5, "historical": 0.41}
    assert r["overall"]["share"] == 0.5 and r["overall"]["historical"] == 0.745
    # the war statistics section: 2 of the 4 runs fought one war of 5 ticks, nobody fell
    assert (s["wars"]["wars"]["mean"], s["wars"]["ticks_at_war"]["mean"]) == (0.5, 2.5)
    assert s["wars"]["survival_by_size"]
    text = summary_text(s)
    assert "wars per run: 0.5" in text
    assert "defense: 50.0% of 2 [41.0%]" in text
    assert "50.0% deterred" in text


def test_summary_of_nothing_is_null_not_a_division_by_zero():
    s = summarise(scenario_from_dict(TRIANGLE), [])
    assert s["results"] == {} and s["deterrence"]["deterred_share"] is None
    assert s["reliability"]["overall"]["share"] is None
    assert "-" in summary_text(s)


def test_sweep_prints_and_writes_the_summary(tmp_path, capsys):
    data = json.loads(json.dumps(TRIANGLE))
    data["states"][2]["reliability"] = 1.0  # C always honours: A, 1 against 6, always loses
    path = tmp_path / "t.sandbox"
    save_scenario(scenario_from_dict(data), path)
    out = tmp_path / "summary.json"
    assert (
        cli.main(["sweep", str(path), "--runs", "3", "--summary", str(out), "--out", str(tmp_path / "r.csv")])
        == 0
    )
    err = capsys.readouterr().err
    assert "summary of 3 runs" in err and "defense: 100.0% of 3 [41.0%]" in err
    s = json.loads(out.read_text())
    assert s["reliability"]["treaties"]["bc"]["share"] == 1.0
    assert s["deterrence"]["attacks"] == 3 and s["deterrence"]["attacker_lost_share"] == 1.0


def test_summary_into_a_missing_folder_exits_2(tmp_path, capsys):
    path = tmp_path / "t.sandbox"
    save_scenario(scenario_from_dict(TRIANGLE), path)
    assert cli.main(["sweep", str(path), "--runs", "1", "--summary", str(tmp_path / "no" / "s.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
