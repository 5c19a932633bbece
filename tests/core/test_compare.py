"""The what-if comparison: differences between two runs of the same attack and seed."""

from __future__ import annotations

import copy
import json

import pytest
from builders import pact_world

from sandbox.cli.commands import main
from sandbox.core.compare import (
    VariantChange,
    compare_reports,
    compare_runs,
    format_comparison,
    make_variant,
    run_summary,
)
from sandbox.core.io.fileformat import load_scenario, save_scenario
from sandbox.core.scenario import ScenarioEditError


def _state(status, side=None, reason=None):
    return {"status": status, "side": side, "reason": reason}


# A hand-built pair of reports: GER attacks BEL. In A, the UK honours the Treaty of London and
# France honours its entente-turned-defense tie: the aggressor is defeated at tick 12. In B (the
# variant without the Treaty of London) the UK stays uninvolved, Italy reneges on a tie, Russia is
# deterred from a second attack, and Germany wins at tick 9.
REPORT_A = {
    "scenario": "Base",
    "seed": 7,
    "mode": "deterministic",
    "attacks": [
        {"tick": 0, "aggressor": "GER", "target": "BEL", "deterred": False},
        {"tick": 0, "aggressor": "RUS", "target": "AUH", "deterred": False},
    ],
    "outcome": {"result": "aggressor-defeated", "ended_tick": 12},
    "states": {
        "GER": _state("defeated", "aggressor", {"aggressor": True}),
        "BEL": _state("belligerent", "defender", {"attacked_by": "GER"}),
        "UK": _state("belligerent", "defender", {"treaty": "london", "ally": "BEL"}),
        "FRA": _state("mobilizing", "defender", {"treaty": "fr-be", "ally": "BEL"}),
        "ITA": _state("not-obliged"),
        "RUS": _state("belligerent", "defender", {"aggressor": True}),
        "AUH": _state("belligerent", "aggressor", {"attacked_by": "RUS"}),
    },
}
REPORT_B = copy.deepcopy(REPORT_A)
REPORT_B.update(scenario="Variant", outcome={"result": "aggressor-victory", "ended_tick": 9})
REPORT_B["attacks"][1]["deterred"] = True
REPORT_B["states"].update(
    GER=_state("belligerent", "aggressor", {"aggressor": True}),
    UK=_state("uninvolved"),
    ITA=_state("reneged"),
    RUS=_state("uninvolved"),
    AUH=_state("uninvolved"),
)


def test_summary_sorts_states_into_joined_reneged_deterred():
    # A: at war = GER (defeated), BEL, UK, FRA (mobilizing), RUS, AUH; joined = those a treaty
    # brought in = FRA and UK; nobody reneged; no attack deterred.
    summary = run_summary(REPORT_A)
    assert summary["at_war"] == ["AUH", "BEL", "FRA", "GER", "RUS", "UK"]
    assert summary["joined"] == ["FRA", "UK"]
    assert summary["reneged"] == []
    assert summary["deterred"] == []
    assert (summary["result"], summary["ended_tick"]) == ("aggressor-defeated", 12)


def test_comparison_lists_exactly_the_changed_states_and_sets():
    # Worked by hand from the two reports: GER defeated -> belligerent, UK belligerent -> uninvolved,
    # ITA not-obliged -> reneged, RUS and AUH at war -> uninvolved; BEL and FRA are unchanged.
    diff = compare_reports(REPORT_A, REPORT_B)
    assert diff["outcome_changed"] is True
    assert list(diff["states"]) == ["AUH", "GER", "ITA", "RUS", "UK"]
    assert diff["states"]["UK"] == {
        "a": {"status": "belligerent", "side": "defender"},
        "b": {"status": "uninvolved", "side": None},
    }
    assert diff["states"]["ITA"]["b"] == {"status": "reneged", "side": None}
    assert diff["joined"] == {"only_a": ["UK"], "only_b": []}
    assert diff["reneged"] == {"only_a": [], "only_b": ["ITA"]}
    assert diff["deterred"] == {"only_a": [], "only_b": ["RUS"]}
    assert diff["seed"] == 7
    assert diff["attacks"] == [{"aggressor": "GER", "target": "BEL"}, {"aggressor": "RUS", "target": "AUH"}]


def test_identical_runs_have_no_differences():
    diff = compare_reports(REPORT_A, copy.deepcopy(REPORT_A))
    assert diff["outcome_changed"] is False
    assert diff["states"] == {}
    assert all(diff[key] == {"only_a": [], "only_b": []} for key in ("joined", "reneged", "deterred"))
    assert "Same outcome" in format_comparison(diff)


def test_a_state_missing_from_the_variant_counts_as_a_difference():
    variant = copy.deepcopy(REPORT_A)
    del variant["states"]["ITA"]
    diff = compare_reports(REPORT_A, variant)
    assert diff["states"] == {
        "ITA": {"a": {"status": "not-obliged", "side": None}, "b": {"status": None, "side": None}}
    }
    assert "  Italy: not-obliged -> absent" in format_comparison(diff, {"ITA": "Italy"})


def test_format_names_states_and_highlights_changes():
    lines = format_comparison(compare_reports(REPORT_A, REPORT_B), {"UK": "Britain", "GER": "Germany"})
    assert lines[0] == "Attack: Germany attacks BEL, RUS attacks AUH (seed 7)"
    assert "A (Base): aggressor-defeated at tick 12" in lines
    assert "B (Variant): aggressor-victory at tick 9" in lines
    assert "Outcome changed" in lines
    assert "Only in A joined: Britain; only in B: none" in lines
    assert "  Britain: belligerent (defender) -> uninvolved" in lines


def test_compare_runs_on_a_case_worked_by_hand():
    # A (10) attacks B (4); C (6) is bound to B. Original: C's honour p = r x c x feasibility
    # = 0.9 x 1 x min(1, 2 x (4 + 6) / (10 + 10)) = 0.9 >= 0.5, so C honours and joins as a defender.
    # Variant (C's reliability 0.4): p = 0.4 < 0.5, C reneges and B fights alone. Lanchester, 5% a
    # tick from tick 1: B 4 -> 3.5 -> 3.01 -> 2.529 -> 2.055 -> 1.588 while A loses 0.05 x B a tick
    # (9.8, 9.625, 9.47, 9.35, 9.25); at tick 5 B falls below half its power: aggressor victory.
    base = pact_world()
    variant = make_variant(base, [VariantChange("reliability", "C", 0.4)])
    diff = compare_runs(base, variant, [("A", "B")])
    assert diff["a"]["joined"] == ["C"] and diff["a"]["reneged"] == []
    assert (diff["b"]["result"], diff["b"]["ended_tick"]) == ("aggressor-victory", 5)
    assert diff["b"]["at_war"] == ["A", "B"] and diff["b"]["reneged"] == ["C"]
    assert diff["outcome_changed"] is True
    assert diff["joined"] == {"only_a": ["C"], "only_b": []}
    assert diff["reneged"] == {"only_a": [], "only_b": ["C"]}
    assert diff["states"]["C"]["a"]["side"] == "defender"
    assert diff["states"]["C"]["b"] == {"status": "reneged", "side": None}
    assert "B" not in diff["states"]  # Beta fights on the defender side in both runs
    assert base.state("C").reliability == 0.9  # the variant is a copy


def test_the_same_scenario_twice_compares_equal():
    diff = compare_runs(pact_world(), pact_world(), [("A", "B")], seed=11)
    assert diff["states"] == {} and diff["outcome_changed"] is False and diff["seed"] == 11


def test_variant_changes_go_through_the_editing_api():
    base = pact_world()
    dropped = make_variant(base, [VariantChange("drop-treaty", "bc"), VariantChange("power", "A", 3.0)])
    assert not dropped.has_treaty("bc") and dropped.state("A").power == 3.0
    assert base.has_treaty("bc") and base.state("A").power == 10.0
    assert VariantChange("drop-treaty", "bc").describe(base) == "Drop Beta-Gamma pact"
    assert VariantChange("commitment", "bc", 0.5).describe(base) == "Beta-Gamma pact: commitment 0.5"
    assert VariantChange("reliability", "C", 0.25).describe(base) == "Gamma: reliability 0.25"
    with pytest.raises(ScenarioEditError, match="reliability"):
        make_variant(base, [VariantChange("reliability", "C", 1.5)])
    with pytest.raises(KeyError):
        make_variant(base, [VariantChange("drop-treaty", "bc"), VariantChange("drop-treaty", "bc")])


def _write_pair(tmp_path):
    base = pact_world()
    save_scenario(base, tmp_path / "a.sandbox")
    save_scenario(make_variant(base, [VariantChange("reliability", "C", 0.4)]), tmp_path / "b.sandbox")
    return str(tmp_path / "a.sandbox"), str(tmp_path / "b.sandbox")


def test_cli_compare_prints_the_differences_and_writes_the_report(tmp_path, capsys):
    a, b = _write_pair(tmp_path)
    out = tmp_path / "diff.json"
    assert main(["compare", a, b, "--attack", "A:B", "--report", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "B (Untitled scenario): aggressor-victory at tick 5" in printed
    assert "Only in A reneged: none; only in B: Gamma" in printed
    assert "  Gamma: defeated (defender) -> reneged" in printed
    report = json.loads(out.read_text())
    assert report == compare_runs(pact_world(), load_scenario(b), [("A", "B")])


def test_cli_compare_report_to_stdout_keeps_stdout_pure_json(tmp_path, capsys):
    a, b = _write_pair(tmp_path)
    assert main(["compare", a, b, "--attack", "A:B", "--seed", "9", "--report", "-"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["seed"] == 9
    assert "Outcome changed" in captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--attack", "A:X"], "a.sandbox: --attack A:X: unknown state 'X'"),
        (["--attack", "A:A"], "a state cannot attack itself"),
    ],
)
def test_cli_compare_bad_attack_exits_2(tmp_path, capsys, args, message):
    a, b = _write_pair(tmp_path)
    assert main(["compare", a, b, *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_compare_bad_file_exits_2_naming_it(tmp_path, capsys):
    a, _ = _write_pair(tmp_path)
    broken = tmp_path / "broken.sandbox"
    broken.write_text('{"format": "collective-security-sandbox", "version": 1, "states": [}')
    assert main(["compare", a, str(broken), "--attack", "A:B"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{broken}:1:") and "invalid JSON" in err
    assert main(["compare", a, str(tmp_path / "missing.sandbox"), "--attack", "A:B"]) == 2


def test_cli_compare_needs_an_attack(tmp_path, capsys):
    a, b = _write_pair(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", a, b])
    assert exit_info.value.code == 2
    assert "--attack" in capsys.readouterr().err


def test_the_summary_lists_every_v2_outcome():
    # By hand: a run where the UN authorises and FRA declines (no promise broken), the League's
    # sanctions are applied by UK and vetoed once in B, ITA stays neutral, BEL is not obliged, a
    # mediating treaty settles RUS's attack, GER's claim is a pretext and its attack violates a
    # pact, and there are two wars (a third merged into the first is not listed).
    report = copy.deepcopy(REPORT_A)
    report["states"].update(
        FRA=_state("declined"), UK=_state("sanctioning"), ITA=_state("neutral"), BEL=_state("not-obliged")
    )
    report["events"] = [
        {"kind": "settled", "state": "RUS", "treaty": "concert", "other": "AUH"},
        {"kind": "pretext", "state": "GER", "treaty": "league", "other": "BEL"},
        {"kind": "violation", "state": "GER", "treaty": "nap", "other": "BEL"},
    ]
    report["outcome"]["wars"] = [
        {"war": 0, "aggressor": "GER", "defender": "BEL", "result": "aggressor-defeated", "ended_tick": 12},
        {"war": 1, "aggressor": "AUH", "defender": "SRB", "result": None, "ended_tick": None},
        {"war": 2, "aggressor": "X", "defender": "Y", "result": None, "ended_tick": 3, "merged_into": 0},
    ]
    summary = run_summary(report)
    assert summary["declined"] == ["FRA"] and summary["sanctioning"] == ["UK"]
    assert summary["neutral"] == ["ITA"] and summary["not_obliged"] == ["BEL"]
    assert summary["defeated"] == ["GER"] and summary["settled"] == ["RUS"]
    assert summary["pretexts"] == ["GER"] and summary["violations"] == ["GER"] and summary["vetoed"] == []
    assert [(w["aggressor"], w["result"]) for w in summary["wars"]] == [
        ("GER", "aggressor-defeated"),
        ("AUH", None),
    ]
    variant = copy.deepcopy(report)
    variant["states"]["UK"] = _state("reneged")
    variant["events"].append({"kind": "veto", "state": "GER", "treaty": "league", "other": "UK"})
    variant["outcome"]["wars"] = variant["outcome"]["wars"][:1]
    diff = compare_reports(report, variant)
    assert diff["sanctioning"] == {"only_a": ["UK"], "only_b": []}
    assert diff["vetoed"] == {"only_a": [], "only_b": ["league"]}
    lines = format_comparison(diff, {"UK": "Britain", "FRA": "France"}, {"league": "League of Nations"})
    assert "Only in A applied sanctions: Britain; only in B: none" in lines
    assert "Only in A were blocked by a veto: none; only in B: League of Nations" in lines
    assert "Same states declined (no promise broken): France" in lines
    assert "Same states were settled by mediation: RUS" in lines
    assert (
        "Wars: A 2 wars (GER v BEL: aggressor-defeated; AUH v SRB: going on); "
        "B 1 war (GER v BEL: aggressor-defeated)"
    ) in lines
    assert not any("stayed neutral" in line and "Only" in line for line in lines)  # unchanged: "Same"


def test_a_real_run_says_who_sanctioned():
    # Abyssinia 1935: the League's Art. 16(1) sanctions; the same scenario on both sides lists the
    # sanctioning members as the report's states with that status
    from sandbox.core.examples import load_example
    from sandbox.core.sim import run_scenario

    scenario = load_example("abyssinia-1935")
    report = run_scenario(scenario).report()
    sanctioning = sorted(sid for sid, view in report["states"].items() if view["status"] == "sanctioning")
    assert sanctioning  # the example's notes: Britain, France, Czechoslovakia and the Soviet Union
    diff = compare_runs(scenario, scenario, None)
    assert diff["a"]["sanctioning"] == diff["b"]["sanctioning"] == sanctioning
    names = {state.id: state.name for state in scenario.states}
    expected = ", ".join(names[sid] for sid in sanctioning)
    assert f"Same states applied sanctions: {expected}" in format_comparison(diff, names)
