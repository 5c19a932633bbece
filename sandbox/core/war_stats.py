"""War statistics over a sweep's rows (MODEL.md, "Open play"; SPEC.md ``sweep --summary``).

Every figure is an exact count over the rows. Means come with a 95% interval from the normal
approximation (mean +- 1.96 x standard deviation / sqrt(runs), the standard deviation with n - 1;
one run: the mean itself); survival rates, which are proportions, with the Wilson score interval
(Wilson 1927), which stays inside [0, 1] and is sound for rates near 0 or 1. Wars per century count
each run's wars over its ``max_ticks`` ticks of ``days_per_tick`` days (a run that ends early has
been at peace since, and no one would start a war again).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sandbox.core.scenario import Scenario

Z95 = 1.959963984540054  # the 97.5% quantile of the standard normal
DAYS_PER_CENTURY = 36524.25
SIZE_GROUPS = ("small", "middle", "large")


def mean_interval(values: Sequence[float]) -> dict[str, float]:
    """The mean and its 95% interval (normal approximation)."""
    n = len(values)
    if n == 0:
        return {"mean": math.nan, "low": math.nan, "high": math.nan}
    mean = math.fsum(values) / n
    if n == 1:
        return {"mean": mean, "low": mean, "high": mean}
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = Z95 * sd / math.sqrt(n)
    return {"mean": mean, "low": mean - half, "high": mean + half}


def rate_interval(successes: int, n: int) -> dict[str, float]:
    """A proportion and its 95% Wilson score interval."""
    if n == 0:
        return {"rate": math.nan, "low": math.nan, "high": math.nan}
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return {"rate": p, "low": max(0.0, centre - half), "high": min(1.0, centre + half)}


def size_groups(scenario: Scenario) -> dict[str, str]:
    """Each state's size group by power: the weakest third ``small``, the strongest third ``large``
    (by rank in power, ties by id), the rest ``middle``."""
    ranked = sorted(scenario.states, key=lambda st: (st.power, st.id))
    n = len(ranked)
    groups = {}
    for rank, state in enumerate(ranked):
        groups[state.id] = SIZE_GROUPS[min(2, 3 * rank // n)] if n >= 3 else "middle"
    return groups


def war_summary(scenario: Scenario, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Means (95% intervals) of wars, wars per century, states defeated and ticks at war per run;
    each state's survival rate, and the survival rate of each size group (all states of a group
    over all runs)."""
    settings = scenario.settings
    per_century = []
    for row in rows:
        ticks = row.get("settings.max_ticks", settings.max_ticks)
        days = row.get("settings.days_per_tick", settings.days_per_tick)
        span = ticks * days
        per_century.append(row["wars"] * DAYS_PER_CENTURY / span if span > 0 else 0.0)
    n = len(rows)
    defeated_count: dict[str, int] = {}
    for row in rows:
        for sid in row["defeated_states"].split():
            defeated_count[sid] = defeated_count.get(sid, 0) + 1
    groups = size_groups(scenario)
    states = {}
    for state in scenario.states:
        survived = n - defeated_count.get(state.id, 0)
        states[state.id] = {"power": state.power, "size": groups[state.id], **rate_interval(survived, n)}
    by_size = {}
    for group in SIZE_GROUPS:
        members = [sid for sid, g in groups.items() if g == group]
        if members:
            total = n * len(members)
            survived = total - sum(defeated_count.get(sid, 0) for sid in members)
            by_size[group] = {"states": len(members), **rate_interval(survived, total)}
    return {
        "runs": n,
        "wars": mean_interval([row["wars"] for row in rows]),
        "wars_per_century": mean_interval(per_century),
        "defeated": mean_interval([row["defeated"] for row in rows]),
        "ticks_at_war": mean_interval([row["ticks_at_war"] for row in rows]),
        "survival": states,
        "survival_by_size": by_size,
    }


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The war statistics as lines for a terminal."""

    def mean(key: str, label: str) -> str:
        m = summary[key]
        return f"{label}: {m['mean']:.3g} (95% interval {m['low']:.3g} to {m['high']:.3g})"

    lines = [
        f"runs: {summary['runs']}",
        mean("wars", "wars per run"),
        mean("wars_per_century", "wars per century"),
        mean("defeated", "states defeated per run"),
        mean("ticks_at_war", "ticks at war per run"),
    ]
    for group, item in summary["survival_by_size"].items():
        lines.append(
            f"survival of {group} states ({item['states']}): {100 * item['rate']:.1f}% "
            f"(95% interval {100 * item['low']:.1f}% to {100 * item['high']:.1f}%)"
        )
    return lines
