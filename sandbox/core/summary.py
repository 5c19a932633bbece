"""The summary of a sweep (SPEC.md "sweep"; MODEL.md v2 "Indicators"): plain JSON-ready data.

:func:`summarise` builds one dict from a sweep's rows, one key per section; each
section is a function of (scenario, rows) listed in :data:`SECTIONS`, so a new
section (war statistics, say) is one more function there and one more block of
:func:`summary_text`:

- ``results``: the share of runs ending in each result;
- ``deterrence``: the deterrence record: attacks tried, the share deterred, and the
  share of the attacks that went ahead whose war the attacker lost (attackers
  misjudging the cascade);
- ``reliability``: alliance reliability (Leeds, Long & Mitchell 2000) per treaty and
  per treaty type, the share of obligations honoured over all runs, beside the
  historical base rates of :data:`HISTORICAL_RELIABILITY`;
- ``wars``: the war statistics of :mod:`sandbox.core.war_stats` (wars, defeats and ticks
  at war per run with 95% intervals; survival per state and by size).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sandbox.core import war_stats
from sandbox.core.scenario import Scenario

# Share of alliance obligations honoured, 1816-2003, by treaty type (Berkemeier &
# Fuhrmann 2018) and overall (Leeds, Long & Mitchell 2000). Types without a figure
# (guarantee, entente, collective security) have none in the literature's coding.
HISTORICAL_RELIABILITY = {"defense": 0.41, "non-aggression": 0.37, "offense": 0.74, "neutrality": 0.78}
HISTORICAL_OVERALL = 0.745
SOURCES = {
    "by_type": "Berkemeier & Fuhrmann 2018, alliances 1816-2003",
    "overall": "Leeds, Long & Mitchell 2000",
}


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def results(scenario: Scenario, rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["result"]] = counts.get(row["result"], 0) + 1
    return {result: n / len(rows) for result, n in sorted(counts.items())} if rows else {}


def deterrence(scenario: Scenario, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    tried = sum(row.get("attacks", 0) for row in rows)
    deterred = sum(row["deterred"] for row in rows)
    lost = sum(row.get("attacker_lost", 0) for row in rows)
    return {
        "attacks": tried,
        "deterred": deterred,
        "deterred_share": _share(deterred, tried),
        "attacker_lost": lost,
        "attacker_lost_share": _share(lost, tried - deterred),
    }


def reliability(scenario: Scenario, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    type_of = {t.id: t.type for t in scenario.treaties}
    treaties: dict[str, dict[str, Any]] = {}
    for row in rows:
        for treaty, obliged in row.get("treaty_obliged", {}).items():
            entry = treaties.setdefault(treaty, {"type": type_of.get(treaty), "obliged": 0, "honoured": 0})
            entry["obliged"] += obliged
            entry["honoured"] += row["treaty_honoured"][treaty]
    types: dict[str, dict[str, Any]] = {}
    for entry in treaties.values():
        entry["share"] = _share(entry["honoured"], entry["obliged"])
        kind = types.setdefault(entry["type"], {"obliged": 0, "honoured": 0})
        kind["obliged"] += entry["obliged"]
        kind["honoured"] += entry["honoured"]
    for name, kind in types.items():
        kind["share"] = _share(kind["honoured"], kind["obliged"])
        kind["historical"] = HISTORICAL_RELIABILITY.get(name)
    obliged = sum(k["obliged"] for k in types.values())
    honoured = sum(k["honoured"] for k in types.values())
    return {
        "treaties": dict(sorted(treaties.items())),
        "types": dict(sorted(types.items())),
        "overall": {
            "obliged": obliged,
            "honoured": honoured,
            "share": _share(honoured, obliged),
            "historical": HISTORICAL_OVERALL,
        },
        "sources": SOURCES,
    }


SECTIONS: dict[str, Callable[[Scenario, Sequence[dict[str, Any]]], Any]] = {
    "results": results,
    "deterrence": deterrence,
    "reliability": reliability,
    "wars": war_stats.war_summary,
}


def summarise(scenario: Scenario, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The summary of a sweep's rows (see the module docstring)."""
    return {"runs": len(rows), **{name: section(scenario, rows) for name, section in SECTIONS.items()}}


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as lines for a terminal."""
    lines = [f"summary of {summary['runs']} runs"]
    lines += [f"  {result}: {_percent(share)}" for result, share in summary["results"].items()]
    lines += [f"  {line}" for line in war_stats.summary_lines(summary["wars"])[1:]]  # [0]: the runs again
    d = summary["deterrence"]
    lines.append(
        f"deterrence: {d['attacks']} attacks tried, {_percent(d['deterred_share'])} deterred; "
        f"of those that went ahead, {_percent(d['attacker_lost_share'])} lost by the attacker"
    )
    r = summary["reliability"]
    lines.append("alliance reliability (share of obligations honoured; history in brackets):")
    for name, kind in r["types"].items():
        history = "" if kind["historical"] is None else f" [{_percent(kind['historical'])}]"
        lines.append(f"  {name}: {_percent(kind['share'])} of {kind['obliged']}{history}")
    for name, entry in r["treaties"].items():
        lines.append(f"  treaty {name} ({entry['type']}): {_percent(entry['share'])} of {entry['obliged']}")
    overall = r["overall"]
    lines.append(
        f"  overall: {_percent(overall['share'])} of {overall['obliged']} "
        f"[{_percent(overall['historical'])}, {r['sources']['overall']}]"
    )
    return "\n".join(lines) + "\n"
