"""The run report has every key SPEC.md shows, with the right types, and is plain JSON."""

import json

from sandbox.core.scenario import Conditions, Meta, Plan, Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.sim import run_scenario


def july_like():
    states = [
        State("AUH", "Austria-Hungary", 4.47, reliability=0.9),
        State("SRB", "Serbia", 0.18, mobilization=0),
        State("RUS", "Russia", 11.61, reliability=0.9, mobilization=2),
        State("GER", "Germany", 14.33, reliability=0.9),
        State("FRA", "France", 6.8, reliability=0.9),
        State("ITA", "Italy", 3.35, reliability=0.5),
        State("BEL", "Belgium", 1.38, mobilization=0),
        State("UK", "Britain", 11.27, reliability=0.8),
    ]
    treaties = [
        Treaty("dual", "Dual Alliance", "defense", ["GER", "AUH"]),
        Treaty(
            "triple",
            "Triple Alliance",
            "defense",
            ["GER", "AUH", "ITA"],
            conditions=Conditions(unprovoked_only=True),
        ),
        Treaty("fr", "Franco-Russian Alliance", "defense", ["FRA", "RUS"]),
        Treaty("slav", "Russia's protection of Serbia", "guarantee", ["SRB"], guarantors=["RUS"]),
        Treaty("london", "Treaty of London", "guarantee", ["BEL"], guarantors=["UK"]),
    ]
    return Scenario(
        states,
        treaties,
        [Plan("GER", "FRA", ["BEL"])],
        [ScriptedEvent(0, "AUH", "SRB")],
        Settings(seed=1914, deterrence=False),
        Meta(title="July Crisis"),
    )


def test_report_has_every_key_with_the_right_types():
    report = run_scenario(july_like()).report()
    assert {
        "scenario",
        "seed",
        "mode",
        "attacks",
        "outcome",
        "states",
        "events",
        "metrics",
        "burden",
        "peace_burden",
        "cohesion",
        "structure",
    } <= set(report)
    assert (report["scenario"], report["seed"], report["mode"]) == ("July Crisis", 1914, "deterministic")

    for attack in report["attacks"]:
        assert isinstance(attack["tick"], int) and isinstance(attack["deterred"], bool)
        assert isinstance(attack["aggressor"], str) and isinstance(attack["target"], str)
        assert isinstance(attack["attacker_strength"], float) and isinstance(
            attack["expected_defense"], float
        )
    assert report["attacks"][0]["aggressor"] == "AUH"
    assert report["attacks"][1] | {"planned": True} == report["attacks"][1]  # Germany's plan against Belgium

    assert report["outcome"]["result"] in (
        "aggressor-victory",
        "aggressor-defeated",
        "stalemate",
        "ceasefire",
    )
    assert isinstance(report["outcome"]["ended_tick"], int)

    # every state, in file order; belligerents carry entry tick, reason, cost and losses
    assert list(report["states"]) == ["AUH", "SRB", "RUS", "GER", "FRA", "ITA", "BEL", "UK"]
    for entry in report["states"].values():
        assert entry["status"] in (
            "belligerent",
            "defeated",
            "mobilizing",
            "reneged",
            "declined",
            "sanctioning",
            "not-obliged",
            "neutral",
            "uninvolved",
        )
        assert entry["side"] in ("aggressor", "defender", None)
        if entry["status"] in ("belligerent", "defeated"):
            assert isinstance(entry["entered_tick"], int)
            assert isinstance(entry["cost"], float) and isinstance(entry["losses"], float)
            assert isinstance(entry["reason"], dict)
    assert report["states"]["AUH"]["reason"] == {"aggressor": True}
    assert report["states"]["SRB"]["reason"] == {"attacked_by": "AUH"}
    assert report["states"]["GER"]["reason"] == {"treaty": "dual", "ally": "AUH"}
    assert report["states"]["ITA"] == {
        "status": "not-obliged",
        "side": None,
        "war": 0,
        "exposure": report["states"]["ITA"]["exposure"],
    }
    assert isinstance(report["states"]["ITA"]["exposure"], float)
    assert report["states"]["GER"]["attacked"] == ["RUS", "SRB", "BEL"]
    assert (
        report["outcome"]["wars"][0] | {"war": 0, "aggressor": "AUH", "defender": "SRB", "merged_into": None}
        == (report["outcome"]["wars"][0])
    )

    for event in report["events"]:
        # decisions say who took them (SPEC.md, "Room"): here always the model
        decision = event["kind"] in ("honor", "renege", "declined", "sanction")
        assert set(event) == {"tick", "kind", "state", "treaty", "ally", "other", "text"} | (
            {"by"} if decision else set()
        )
        assert event.get("by", "model") == "model"
        assert isinstance(event["tick"], int) and isinstance(event["kind"], str) and event["text"]
    assert report["events"][-1]["kind"] == "end"

    metrics = report["metrics"]
    ticks = report["outcome"]["ended_tick"] + 1
    for name in ("tick", "stability", "belligerents", "power_balance", "vulnerable_states", "cohesion"):
        assert len(metrics[name]) == ticks
    assert all(
        isinstance(v, int) for v in metrics["tick"] + metrics["belligerents"] + metrics["vulnerable_states"]
    )
    assert all(isinstance(v, float) and 0 <= v <= 1 for v in metrics["stability"] + metrics["cohesion"])

    assert set(report["burden"]) == {
        sid for sid, e in report["states"].items() if e["status"] in ("belligerent", "defeated")
    }
    for entry in report["burden"].values():
        assert set(entry) == {"cost_of_gdp", "gdp_share", "cost_share", "burden_ratio"}
    assert set(report["peace_burden"]) == {"dual", "triple", "fr"}
    for entry in report["peace_burden"].values():
        assert {"contributions", "nash_total", "optimal_total", "spearman"} <= set(entry)
    assert isinstance(report["structure"]["vulnerable"], list)
    assert isinstance(report["structure"]["war_stable"], bool)


def test_report_is_strict_json():
    report = run_scenario(july_like()).report()
    assert json.loads(json.dumps(report, allow_nan=False)) == report


def test_structure_describes_the_network_before_the_war():
    # reneges during the run do not change the report's structure (before the first attack)
    scenario = july_like()
    before = run_scenario(scenario, max_ticks=1).report()["structure"]
    assert before == run_scenario(scenario).report()["structure"]
