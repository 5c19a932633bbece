"""The what-if comparison: differences between two runs of the same attack and seed."""

from __future__ import annotations

import copy

from sandbox.core.compare import compare_reports, format_comparison, run_summary


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
