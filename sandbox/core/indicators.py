"""Per-treaty cohesion and the burden of war (MODEL.md, "Indicators" and "Burden-sharing").

``treaty_cohesion`` is honoured / (honoured + reneged) of each treaty that obliged someone so far
(an authorisation that members decline is no obligation and is not counted). ``war_burden`` gives,
for each state that fought, its cost as a share of its own GDP and, within its camp, its share of
the camp's cost against its share of the camp's GDP.
"""

from __future__ import annotations

import numpy as np


def treaty_cohesion(treaty_ids: list[str], obliged, honoured) -> dict[str, dict]:
    """``{treaty: {"obliged", "honoured", "cohesion"}}`` for each treaty that obliged at least once."""
    return {
        treaty_ids[k]: {"obliged": int(n), "honoured": int(h), "cohesion": float(h) / float(n)}
        for k, (n, h) in enumerate(zip(obliged, honoured, strict=True))
        if n
    }


def war_burden(gdp: np.ndarray, cost: np.ndarray, side: np.ndarray, fought: np.ndarray) -> dict[int, dict]:
    """For each state that fought: ``cost_of_gdp`` (its cost / its own GDP), and ``gdp_share``,
    ``cost_share`` and ``burden_ratio`` (cost_share / gdp_share) within its camp."""
    result = {}
    for s in (1, 2):
        members = np.flatnonzero(fought & (side == s))
        if not len(members):
            continue
        gdp_total, cost_total = gdp[members].sum(), cost[members].sum()
        for i in members.tolist():
            gdp_share = gdp[i] / gdp_total if gdp_total > 0 else 0.0
            cost_share = cost[i] / cost_total if cost_total > 0 else 0.0
            result[i] = {
                "cost_of_gdp": float(cost[i] / gdp[i]) if gdp[i] > 0 else None,
                "gdp_share": float(gdp_share),
                "cost_share": float(cost_share),
                "burden_ratio": float(cost_share / gdp_share) if gdp_share > 0 else None,
            }
    return result
