"""Positions for a world that has none: allies side by side on a grid.

Used where states come without positions (a Correlates of War import, a plain
graph from another tool). numpy alone, linear in states and memberships: a
world of 3,000 states is laid out in well under a second.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

CANVAS = (1000.0, 700.0)  # width, height of the area a world of STATES_PER_CANVAS states fills
STATES_PER_CANVAS = 16  # a bigger world gets a canvas bigger in proportion to its number of states
MARGIN = 80.0
MIN_DISTANCE = 110.0  # between state centres: small states' circles and labels stay apart
JITTER = 0.15  # of the grid spacing at most, seeded: lines between allies do not run through a third state
LAYOUT_SEED = 1816  # the first year of the COW state system; any fixed seed gives a stable layout


def allies_layout(state_ids: list[str], alliances: list[list[str]]) -> dict[str, tuple[float, float]]:
    """Allies side by side on a grid that fills a canvas growing with the number of states.

    The states are ordered so that each alliance's members follow one another
    (a breadth-first walk over the alliances, the largest group of connected
    states first), then laid in that order along a Hilbert curve through the
    grid's cells: states next on the curve are next on the canvas, so an
    alliance sits in one compact patch. Cells are more than MIN_DISTANCE apart
    and the seeded jitter keeps them so. Time and memory are linear in states
    and memberships: 3,000 states take well under a second, with numpy alone."""
    n = len(state_ids)
    if n == 0:
        return {}
    inner = np.array(CANVAS) * max(1.0, math.sqrt(n / STATES_PER_CANVAS)) - 2 * MARGIN
    columns = max(1, min(n, round(math.sqrt(n * inner[0] / inner[1]))))
    rows = math.ceil(n / columns)
    cells = _hilbert_cells(columns, rows)
    cells = cells[np.round(np.linspace(0, len(cells) - 1, n)).astype(int)]  # spare cells spread out
    shape = np.array([columns, rows], dtype=float)
    spacing = inner / np.maximum(shape - 1, 1)
    points = MARGIN + np.where(shape > 1, cells * spacing, inner / 2)
    if n > 1:
        step = float(spacing[shape > 1].min())
        amplitude = max(0.0, min(JITTER * step, (step - MIN_DISTANCE) / 2))
        points = points + np.random.default_rng(LAYOUT_SEED).uniform(-amplitude, amplitude, points.shape)
    order = _allies_together(state_ids, alliances)
    return {
        state_ids[i]: (round(float(x), 1), round(float(y), 1))
        for i, (x, y) in zip(order, points, strict=True)
    }


def _allies_together(state_ids: list[str], alliances: list[list[str]]) -> list[int]:
    """State indices, each connected group of allies together (largest group first,
    ties in file order), within a group breadth-first over its alliances."""
    index = {state_id: i for i, state_id in enumerate(state_ids)}
    alliances_of: list[list[int]] = [[] for _ in state_ids]
    for a, members in enumerate(alliances):
        for state_id in members:
            alliances_of[index[state_id]].append(a)
    seen = [False] * len(state_ids)
    walked = [False] * len(alliances)
    groups = []
    for start in range(len(state_ids)):
        if seen[start]:
            continue
        seen[start] = True
        group, queue = [start], deque([start])
        while queue:
            for a in alliances_of[queue.popleft()]:
                if walked[a]:
                    continue
                walked[a] = True
                for member in (index[s] for s in alliances[a]):
                    if not seen[member]:
                        seen[member] = True
                        group.append(member)
                        queue.append(member)
        groups.append(group)
    groups.sort(key=len, reverse=True)
    return [i for group in groups for i in group]


def _hilbert_cells(columns: int, rows: int) -> np.ndarray:
    """The cells of a columns x rows grid in the order a Hilbert curve over the
    enclosing power-of-two square visits them (cells outside the grid skipped)."""
    side = 1 << max(0, math.ceil(math.log2(max(columns, rows))))
    t = np.arange(side * side)
    x = np.zeros_like(t)
    y = np.zeros_like(t)
    s = 1
    while s < side:  # the curve's index to its cell, one level at a time (vectorised)
        rx = (t // 2) & 1
        ry = (t ^ rx) & 1
        flip = (ry == 0) & (rx == 1)
        x = np.where(flip, s - 1 - x, x)
        y = np.where(flip, s - 1 - y, y)
        x, y = np.where(ry == 0, y, x), np.where(ry == 0, x, y)
        x = x + s * rx
        y = y + s * ry
        t = t // 4
        s *= 2
    inside = (x < columns) & (y < rows)
    return np.stack([x[inside], y[inside]], axis=1).astype(float)
