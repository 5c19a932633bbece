"""The decision hook (SPEC.md, "Room"): an outside decider takes obliged states' decisions.

At the decision point of a tick (obligations.weigh) the run lists every obliged state's decision as
a :class:`Decision`: the treaty, the ally, the enemy, the model's p and what makes it up, the coalition
it expects, and what the model would choose. A decider answers for some of them with
:class:`Taken` (``honour`` or ``renege``, and who chose); the model decides the rest. Every p was
weighed before anyone chose, so nobody's choice changes another's numbers within the tick: the
decisions of one tick are simultaneous. In stochastic mode the draws are made for every decider as
in a run without a room, so the seeded stream (and everything the model decides) stays the same.

For an ``authorise`` decision ``renege`` means declining (no promise broken); for ``sanction``
``honour`` means applying the sanctions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sandbox.core import world as W
from sandbox.core.sim import narration as N
from sandbox.core.sim.obligations import Weighed
from sandbox.core.sim.state import RunState

CHOICES = ("honour", "renege")
# what a decision asks of a state, by the kind of its obliging tie
ASKS = {W.SANCTION: "sanction", W.AUTHORISE: "join"}


@dataclass(frozen=True)
class Decision:
    """One obliged state's open decision at a tick, with the model's numbers."""

    tick: int
    state: str
    treaty: str
    ally: str
    enemy: tuple[str, ...]  # the states fighting the ally's camp now
    asks: str  # "defend" (fight beside the ally), "join" (authorised, no promise) or "sanction"
    p: float
    model_choice: str  # "honour" or "renege"
    factors: dict[
        str, float
    ]  # N.p_factors: reliability, commitment, legitimacy, cross, autonomy, feasibility
    own_side: float  # the strength the model expects beside the ally, this state included
    other_side: float  # the strength it expects against
    why: str  # the numbers in a sentence or two, for a participant's page


class Taken(NamedTuple):
    """A decision someone took: ``choice`` is ``honour`` or ``renege``, ``by`` who took it."""

    choice: str
    by: str


Decider = Callable[[list[Decision]], Mapping[str, Taken]]


def open_decisions(s: RunState, t: int, weighed: Weighed) -> list[Decision]:
    """The decisions weighed at tick t, in the order of state ids."""
    w, arcs = s.world, s.arcs
    z, arc = weighed.z, weighed.arc
    if not len(z):
        return []
    ally = arcs.dst[arc]
    kind = arcs.kind[arc]
    war, camp = s.war[ally], s.camp[ally].astype(np.int64)
    worth = s.worth()
    fights = (kind != W.SANCTION) & weighed.honour
    # the model's expected coalition: each camp as it stands, plus the deciders the model brings to it
    n_groups = 3 * max(len(s.wars), 1)
    active = np.flatnonzero(s.active)
    standing = np.bincount(s.war[active] * 3 + s.camp[active], worth[active], minlength=n_groups)
    g = war * 3 + camp
    joining = np.bincount(g[fights], s.strength[z[fights]], minlength=n_groups)
    e_ally = arcs.dst[weighed.e_arc]
    e_g = s.war[e_ally] * 3 + s.camp[e_ally].astype(np.int64)
    support = weighed.support
    joining += np.bincount(e_g[support], s.strength[weighed.e[support]], minlength=n_groups)
    everyone = np.bincount(g[kind != W.SANCTION], s.strength[z[kind != W.SANCTION]], minlength=n_groups)
    out = []
    rows = zip(z.tolist(), arc.tolist(), weighed.p.tolist(), weighed.honour.tolist(), strict=True)
    for n, (i, a, p, honours) in enumerate(rows):
        mine, theirs = int(g[n]), int(war[n] * 3 + 3 - camp[n])
        own = float(standing[mine] + joining[mine] + (0.0 if fights[n] else s.strength[i]))
        other = float(standing[theirs] + everyone[theirs])
        enemy = active[(s.war[active] == war[n]) & (s.camp[active] == 3 - camp[n])]
        factors = N.p_factors(s, i, a, p, bool(weighed.res.cross[n]))
        decision = Decision(
            tick=t,
            state=w.ids[i],
            treaty=w.treaty_ids[int(arcs.treaty[a])],
            ally=w.ids[int(ally[n])],
            enemy=tuple(w.ids[x] for x in enemy.tolist()),
            asks=ASKS.get(int(kind[n]), "defend"),
            p=float(p),
            model_choice=CHOICES[0] if honours else CHOICES[1],
            factors=factors,
            own_side=own,
            other_side=other,
            why=_why(s, a, p, honours, factors, own, other),
        )
        out.append(decision)
    return out


def _why(s: RunState, arc: int, p: float, honours: bool, f: dict[str, float], own, other) -> str:
    parts = [f"reliability {f['reliability']:.2f}", f"commitment {f['commitment']:.2f}"]
    if f["legitimacy"] != 1.0:
        parts.append(f"legitimacy {f['legitimacy']:.2f}")
    if f["cross"] != 1.0:
        parts.append(f"cross-pressure {f['cross']:.2f}")
    if f["autonomy"]:
        parts.append(f"(1 - autonomy {f['autonomy']:.2f})")
    parts.append(f"feasibility {f['feasibility']:.2f}")
    rule = (
        f"the model honours at p >= {s.honor_threshold:g}" if s.rng is None else "the model draws against p"
    )
    verdict = "it would honour" if honours else "it would renege"
    return (
        f"p = {' x '.join(parts)} = {N.probability(p, None)} ({rule}; "
        f"{verdict}). The model expects {own:.3g} in strength on the side of "
        f"{N.name(s, int(s.arcs.dst[arc]))} against {other:.3g}."
    )


def taken_by_index(s: RunState, weighed: Weighed, taken: Mapping[str, Taken]) -> dict[int, tuple[bool, str]]:
    """The decisions taken from outside, by state index: only states deciding now, only valid choices
    (anything else is left to the model)."""
    w = s.world
    deciding = set(weighed.z.tolist())
    out = {}
    for state, (choice, by) in taken.items():
        i = w.index.get(state)
        if i is not None and i in deciding and choice in CHOICES:
            out[i] = (choice == CHOICES[0], str(by))
    return out
