"""What-if comparison: the same attack and seed on two scenarios, side by side.

A comparison is a plain dict (JSON-ready) built from two run reports (SPEC.md):

```
{"seed": 1914, "attacks": [{"aggressor": "GER", "target": "BEL"}],
 "a": {"scenario": TITLE, "result": ..., "ended_tick": ..., "joined": [...], "reneged": [...],
       "deterred": [...], "at_war": [...], "declined": [...], ... every list of OUTCOME_LISTS,
       "wars": [{"aggressor": ..., "defender": ..., "result": ..., "ended_tick": ...}]},
 "b": {... the same for the variant ...},
 "outcome_changed": true,
 "states": {"UK": {"a": {"status": "belligerent", "side": "defender"},
                   "b": {"status": "reneged", "side": null}}},
 "joined": {"only_a": [...], "only_b": [...]},
 "reneged": {"only_a": [...], "only_b": [...]},
 "deterred": {"only_a": [...], "only_b": [...]},
 ... the same for every list of OUTCOME_LISTS}
```

Definitions a caller may rely on:
- ``at_war``: states whose status is belligerent, defeated or mobilizing.
- ``joined``: the states at war that neither started the war nor were attacked: brought in by a
  treaty or joining voluntarily (their report ``reason`` names a treaty).
- ``reneged``: states whose status is ``reneged``.
- ``deterred``: aggressors of attacks that were deterred.
- ``declined``, ``sanctioning``, ``neutral``, ``not_obliged``, ``defeated``: the states with that
  status (``declined``: stayed out of an authorised action, no promise broken; ``sanctioning``:
  applied an organisation's sanctions).
- ``settled``: aggressors whose attack a mediating treaty settled; ``vetoed``: organisations whose
  decision was blocked (treaty ids); ``pretexts``: states whose claim was a pretext; ``violations``:
  states that broke a non-aggression pact or a guarantee they gave.
- ``wars``: each war of the run (MODEL.md v2: several at once), as ``outcome.wars`` gives it,
  without the wars merged into another.
- ``states``: only the states whose status or side differ (a state missing from one scenario
  has status and side null there). Every list is sorted by state id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.core.scenario import Scenario, ScenarioEditError

WAR_STATUSES = ("belligerent", "defeated", "mobilizing")
# the lists of a run summary, with the words that say them ("Only in A declined: ...")
OUTCOME_LISTS = {
    "joined": "joined",
    "reneged": "reneged",
    "declined": "declined (no promise broken)",
    "sanctioning": "applied sanctions",
    "neutral": "stayed neutral",
    "not_obliged": "were not obliged",
    "defeated": "were defeated",
    "deterred": "were deterred",
    "settled": "were settled by mediation",
    "vetoed": "were blocked by a veto",
    "pretexts": "claimed a treaty as a pretext",
    "violations": "broke a pact",
}
_BY_STATUS = ("reneged", "declined", "sanctioning", "neutral", "not-obliged", "defeated")
_BY_EVENT = {"settled": "settled", "pretexts": "pretext", "violations": "violation"}


def run_summary(report: dict[str, Any]) -> dict[str, Any]:
    """The who-did-what summary of one run report (see the module docstring)."""
    states = report["states"]
    at_war = sorted(sid for sid, view in states.items() if view["status"] in WAR_STATUSES)
    joined = [sid for sid in at_war if "treaty" in (states[sid].get("reason") or {})]
    events = report.get("events", [])
    summary = {
        "scenario": report.get("scenario"),
        "result": report["outcome"]["result"],
        "ended_tick": report["outcome"]["ended_tick"],
        "at_war": at_war,
        "joined": joined,
        **{
            status.replace("-", "_"): sorted(sid for sid, view in states.items() if view["status"] == status)
            for status in _BY_STATUS
        },
        "deterred": sorted({attack["aggressor"] for attack in report["attacks"] if attack["deterred"]}),
        **{
            key: sorted({e["state"] for e in events if e["kind"] == kind and e["state"] is not None})
            for key, kind in _BY_EVENT.items()
        },
        "vetoed": sorted({e["treaty"] for e in events if e["kind"] == "veto" and e["treaty"] is not None}),
        "wars": [
            {key: war[key] for key in ("aggressor", "defender", "result", "ended_tick")}
            for war in report["outcome"].get("wars", [])
            if war.get("merged_into") is None
        ],
    }
    return summary


def compare_reports(report_a: dict[str, Any], report_b: dict[str, Any]) -> dict[str, Any]:
    """The differences between two run reports, as described in the module docstring."""
    summary_a, summary_b = run_summary(report_a), run_summary(report_b)
    states_a, states_b = report_a["states"], report_b["states"]
    changed = {}
    for sid in sorted(states_a.keys() | states_b.keys()):
        view_a, view_b = _status_side(states_a.get(sid)), _status_side(states_b.get(sid))
        if view_a != view_b:
            changed[sid] = {"a": view_a, "b": view_b}
    return {
        "seed": report_a.get("seed"),
        "attacks": [{"aggressor": x["aggressor"], "target": x["target"]} for x in report_a["attacks"]],
        "a": summary_a,
        "b": summary_b,
        "outcome_changed": (summary_a["result"], summary_a["ended_tick"])
        != (summary_b["result"], summary_b["ended_tick"]),
        "states": changed,
        **{key: _set_difference(summary_a[key], summary_b[key]) for key in OUTCOME_LISTS},
    }


def run_pair(
    a: Scenario, b: Scenario, attacks: list[tuple[str, str]] | None, seed: int | None = None
) -> tuple[Any, Any]:
    """Both scenarios run to the end with the same attacks (all at tick 0; None: each scenario's
    scripted events) and the same seed (None: the seed of ``a``); returns the two finished
    engine ``Simulation`` objects."""
    from sandbox.core.sim import Simulation

    seed = a.settings.seed if seed is None else seed
    simulations = []
    for scenario in (a, b):
        simulation = Simulation(scenario, attacks=None if attacks is None else list(attacks), seed=seed)
        simulation.run()
        simulations.append(simulation)
    return simulations[0], simulations[1]


def compare_runs(
    a: Scenario, b: Scenario, attacks: list[tuple[str, str]] | None, seed: int | None = None
) -> dict[str, Any]:
    """:func:`compare_reports` of the two runs of :func:`run_pair`."""
    simulation_a, simulation_b = run_pair(a, b, attacks, seed)
    return compare_reports(simulation_a.report(), simulation_b.report())


@dataclass(frozen=True)
class VariantChange:
    """One edit that makes a what-if variant: ``kind`` is one of CHANGE_KINDS, ``target`` a treaty
    id (drop-treaty, commitment) or a state id (reliability, power); ``value`` the new number
    (ignored for drop-treaty)."""

    kind: str
    target: str
    value: float = 0.0

    def apply(self, scenario: Scenario) -> None:
        """Make the change through the scenario's editing API (raises ScenarioEditError or
        KeyError for a bad value or an unknown id)."""
        if self.kind == "drop-treaty":
            scenario.remove_treaty(self.target)
        elif self.kind == "commitment":
            scenario.update_treaty(self.target, commitment=self.value)
        elif self.kind in ("reliability", "power"):
            scenario.update_state(self.target, **{self.kind: self.value})
        else:
            raise ScenarioEditError(f"unknown change {self.kind!r}; one of {', '.join(CHANGE_KINDS)}")

    def describe(self, scenario: Scenario) -> str:
        """The change in words, naming the treaty or state as ``scenario`` (the original) does."""
        if self.kind in ("drop-treaty", "commitment"):
            name = scenario.treaty(self.target).name if scenario.has_treaty(self.target) else self.target
            if self.kind == "drop-treaty":
                return f"Drop {name}"
            return f"{name}: commitment {self.value:g}"
        name = scenario.state(self.target).name if scenario.has_state(self.target) else self.target
        return f"{name}: {self.kind} {self.value:g}"


CHANGE_KINDS = ("drop-treaty", "commitment", "reliability", "power")


def make_variant(scenario: Scenario, changes: list[VariantChange]) -> Scenario:
    """A copy of ``scenario`` with the changes applied in order; the original is untouched."""
    variant = scenario.copy()
    for change in changes:
        change.apply(variant)
    return variant


def format_comparison(
    comparison: dict[str, Any],
    names: dict[str, str] | None = None,
    treaty_names: dict[str, str] | None = None,
) -> list[str]:
    """Plain-English lines describing a comparison, for the CLI and the app (``names``: state id ->
    name, ``treaty_names``: treaty id -> name). Joined, reneged and deterred are always said; the
    other lists of OUTCOME_LISTS when either run has one; the wars when either run had more than one
    or they differ."""
    names = names or {}
    treaty_names = treaty_names or {}

    def name(sid: str) -> str:
        return names.get(sid, sid)

    def listing(ids: list[str], key: str = "") -> str:
        lookup = treaty_names if key == "vetoed" else names
        return ", ".join(lookup.get(i, i) for i in ids) or "none"

    def wars(run: dict[str, Any]) -> str:
        said = [
            f"{name(w['aggressor'])} v {name(w['defender'])}: {w['result'] or 'going on'}"
            for w in run["wars"]
        ]
        return f"{len(said)} war{'s' * (len(said) != 1)}" + (f" ({'; '.join(said)})" if said else "")

    a, b = comparison["a"], comparison["b"]
    attacks = ", ".join(f"{name(x['aggressor'])} attacks {name(x['target'])}" for x in comparison["attacks"])
    lines = [
        f"Attack: {attacks or 'none'} (seed {comparison['seed']})",
        f"A ({a['scenario']}): {a['result']} at tick {a['ended_tick']}",
        f"B ({b['scenario']}): {b['result']} at tick {b['ended_tick']}",
        "Outcome changed" if comparison["outcome_changed"] else "Same outcome",
    ]
    if a.get("wars") != b.get("wars") or len(a.get("wars", [])) > 1:
        lines.append(f"Wars: A {wars(a)}; B {wars(b)}")
    for key, verb in OUTCOME_LISTS.items():
        diff = comparison[key]
        if diff["only_a"] or diff["only_b"]:
            only_a, only_b = listing(diff["only_a"], key), listing(diff["only_b"], key)
            lines.append(f"Only in A {verb}: {only_a}; only in B: {only_b}")
        elif a[key] or key in ("joined", "reneged", "deterred"):
            lines.append(
                f"Same {'organisations' if key == 'vetoed' else 'states'} {verb}: {listing(a[key], key)}"
            )
    for sid, views in comparison["states"].items():
        lines.append(f"  {name(sid)}: {_describe(views['a'])} -> {_describe(views['b'])}")
    if not comparison["states"]:
        lines.append("  No state changes status or side.")
    return lines


def _status_side(view: dict[str, Any] | None) -> dict[str, Any]:
    if view is None:
        return {"status": None, "side": None}
    return {"status": view["status"], "side": view.get("side")}


def _set_difference(ids_a: list[str], ids_b: list[str]) -> dict[str, list[str]]:
    return {"only_a": sorted(set(ids_a) - set(ids_b)), "only_b": sorted(set(ids_b) - set(ids_a))}


def _describe(view: dict[str, Any]) -> str:
    if view["status"] is None:
        return "absent"
    return view["status"] if view["side"] is None else f"{view['status']} ({view['side']})"
