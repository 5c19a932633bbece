"""The Experiments dialog's war charts (issue 13): wars per century and survival by state size.

Each is drawn for every variant swept (the scenario itself, and the variant the room compares it
with: the same states with rival alliances, then with a League), side by side, each bar with its
95% interval as a whisker. The figures are :func:`sandbox.core.war_stats.war_summary`'s, the same
as ``sweep --summary`` prints, so the dialog and the CLI cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pyqtgraph as pg

from sandbox.core.scenario import Scenario
from sandbox.core.text import counted
from sandbox.core.war_stats import SIZE_GROUPS, war_summary

VARIANT_COLORS = ("#1d4ed8", "#c2410c")  # the scenario, then the variant compared with it
MAX_LABEL = 34  # characters of a variant's name in a key


class Variant(NamedTuple):
    """One swept world: its name in the charts, the scenario and the sweep's rows."""

    name: str
    scenario: Scenario
    rows: Sequence[dict[str, Any]]


def short_names(names: Sequence[str]) -> list[str]:
    """The variants' names without the title they share ("Concert or League: rival alliances" and
    "Concert or League: a League..." become "rival alliances" and "a League..."), cut to fit."""
    heads = {name.split(": ", 1)[0] for name in names}
    if len(names) > 1 and len(heads) == 1 and all(": " in name for name in names):
        names = [name.split(": ", 1)[1] for name in names]
    return [name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…" for name in names]


def _bars(
    plot: pg.PlotItem, x: np.ndarray, mean, low, high, color: str, width: float, name: str, ink
) -> None:
    mean, low, high = (np.nan_to_num(np.asarray(v, dtype=float)) for v in (mean, low, high))
    plot.addItem(pg.BarGraphItem(x=x, height=mean, width=width, brush=color, name=name))
    whiskers = pg.ErrorBarItem(
        x=x, y=mean, top=high - mean, bottom=mean - low, beam=width / 3, pen=pg.mkPen(ink, width=2)
    )
    plot.addItem(whiskers)


def draw(
    styler, wars_plot: pg.PlotItem, survival_plot: pg.PlotItem, variants: Sequence[Variant]
) -> list[dict]:
    """Draw both charts for ``variants`` (those with rows) in ``styler``'s colours (a PlotStyler
    that styles both plots); returns their war summaries."""
    ink = styler.colors.text
    shown = [v for v in variants if v.rows]
    summaries = [war_summary(v.scenario, v.rows) for v in shown]
    width = 0.8 / max(1, len(shown))
    names = short_names([v.name for v in shown])
    if len(shown) > 1:  # one world needs no key: the dialog's title names it
        for plot in (wars_plot, survival_plot):
            styler.legend(plot, offset=(10, 5))
    for n, (summary, name) in enumerate(zip(summaries, names, strict=True)):
        color = VARIANT_COLORS[n % len(VARIANT_COLORS)]
        m = summary["wars_per_century"]
        _bars(wars_plot, np.array([n]), [m["mean"]], [m["low"]], [m["high"]], color, 0.6, name, ink)
        offset = (n - (len(shown) - 1) / 2) * width
        groups = [summary["survival_by_size"].get(g) for g in SIZE_GROUPS]
        x = np.arange(len(SIZE_GROUPS)) + offset
        rates = [[g[key] if g else np.nan for g in groups] for key in ("rate", "low", "high")]
        _bars(survival_plot, x, *(np.array(r) * 100 for r in rates), color, width, name, ink)
    wars_plot.getAxis("bottom").setTicks([[]])  # the key names the bars
    styler.set_x_label(wars_plot, f"{counted(summaries[0]['runs'], 'run')} each" if summaries else "")
    top = max((s["wars_per_century"]["high"] for s in summaries), default=0.0)
    wars_plot.setYRange(0, max(top, 1.0) * (1.45 if len(shown) > 1 else 1.1))  # room for the key
    survival_plot.getAxis("bottom").setTicks([list(enumerate(f"{g} states" for g in SIZE_GROUPS))])
    survival_plot.setYRange(0, 135 if len(shown) > 1 else 105)  # room above 100% for the key
    return summaries
