"""Every sentence of the run: reads the run state, never changes it.

Probabilities are printed with as many digits as it takes for the printed number to
agree with the decision (``0.4996 < 0.5``, never ``0.50 < 0.50``); ticks are told as
weeks or days, or as dates when the scenario has a ``start_date``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from sandbox.core import world as W
from sandbox.core.sim import state as S

if TYPE_CHECKING:
    from sandbox.core.sim.state import RunState, War


# A country's name takes "the" in running text when it is a plural ("the Netherlands", "the United
# States") or is built on a common noun ("the United Kingdom", "the Soviet Union", "the Ottoman
# Empire"); a proper name alone does not ("Germany", "Austria-Hungary"). These are those words.
ARTICLE_WORDS = frozenset(
    {
        *("Kingdom", "States", "Union", "Empire", "Republic", "Federation", "Emirates", "Islands"),
        *("Netherlands", "Philippines", "Bahamas", "Gambia", "Confederation", "Commonwealth"),
        *("Sultanate", "Caliphate", "Principality", "Reich"),
    }
)


def with_article(label: str, *, start: bool = False) -> str:
    """A state's name as running text says it: "the United Kingdom", "Germany"; ``start``: at the
    head of a sentence ("The United Kingdom")."""
    if label[:4].lower() != "the " and ARTICLE_WORDS.intersection(label.replace("-", " ").split()):
        label = f"the {label}"
    return label[0].upper() + label[1:] if start and label else label


def name(s: RunState, i: int) -> str:
    """State i inside a sentence, with "the" where its name takes one."""
    return with_article(s.world.names[i])


def first(s: RunState, i: int) -> str:
    """State i at the head of a sentence: "The United Kingdom", "Germany"."""
    return with_article(s.world.names[i], start=True)


def tname(s: RunState, k: int, *, start: bool = False) -> str:
    """Treaty k as a noun phrase: "the Dual Alliance", or "treaty bc" when it has no name of its own."""
    w = s.world
    label = w.treaty_names[k]
    if label and label != w.treaty_ids[k]:
        phrase = label if label.lower().startswith("the ") else f"the {label}"
    else:
        phrase = f"treaty {w.treaty_ids[k]}"
    return phrase[0].upper() + phrase[1:] if start else phrase


def names(s: RunState, states: list[int]) -> str:
    words = [name(s, i) for i in states]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def when(s: RunState, t: int) -> str:
    """Tick t as time: "on 3 September 1939" with a start date, else "in week 9", "on day 3", "at tick 4"."""
    days = s.days_per_tick
    start = s.world.start_date
    if start:
        try:
            day = datetime.date.fromisoformat(start) + datetime.timedelta(days=days * t)
            return f"on {day.day} {day.strftime('%B')} {day.year}"
        except ValueError:
            pass
    if days == 7:
        return f"in week {t + 1}"
    if days == 1:
        return f"on day {t + 1}"
    return f"at tick {t}"


def duration(s: RunState, ticks: int) -> str:
    days = s.days_per_tick
    unit, count = ("week", ticks) if days == 7 else ("day", ticks * days) if days else ("tick", ticks)
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def probability(p: float, threshold: float | None) -> str:
    """p with enough digits that it visibly agrees with ``p >= threshold`` (2 to 6 decimals)."""
    for digits in range(2, 7):
        text = f"{p:.{digits}f}"
        if threshold is None or (float(text) >= threshold) == (p >= threshold):
            return text
    return f"{p:.6g}"


def _compare(s: RunState, p: float) -> str:
    if s.rng is not None:
        return f"p = {probability(p, None)}"
    sign = ">=" if p >= s.honor_threshold else "<"
    return f"p = {probability(p, s.honor_threshold)} {sign} {s.honor_threshold:g}"


def attack_text(s: RunState, a: int, b: int, how: str, planned_against: int, why: str | None = None) -> str:
    war = s.wars[s.war[a]]
    head = f"{first(s, a)} attacks {name(s, b)}"
    if why:
        head += f": {why}"
        if how == "new":
            others = any(w.ongoing for w in s.wars[:-1])
            return f"{head}; a new war, apart from the one going on." if others else f"{head}."
    if planned_against >= 0:
        head += f": its war plan against {name(s, planned_against)} goes through {name(s, b)}"
    if how == "new":
        others = any(w.ongoing for w in s.wars[:-1])
        return f"{head}: a new war, apart from the one going on." if others else f"{head}."
    if how == "brings":
        return f"{head}, bringing it into the war of {name(s, war.aggressor)} and {name(s, war.defender)}."
    if how == "joins":
        return f"{head}, joining the war of {name(s, war.aggressor)} and {name(s, war.defender)}."
    return f"{head}."


def merge_text(s: RunState, merged: War, into: War) -> str:
    return (
        f"The war of {name(s, merged.aggressor)} and {name(s, merged.defender)} merges into the war of "
        f"{name(s, into.aggressor)} and {name(s, into.defender)}: one war now."
    )


def violation_text(s: RunState, a: int, b: int, k: int, entering: bool) -> str:
    if entering:
        return f"{first(s, a)} joins the war against {name(s, b)} despite {tname(s, k)}."
    return f"{first(s, a)} violates {tname(s, k)} by attacking {name(s, b)}."


def settled_text(s: RunState, a: int, b: int, k: int) -> str:
    return (
        f"{tname(s, k, start=True)} mediates between {name(s, a)} and {name(s, b)} before any shot "
        f"is fired: the dispute is settled, no war."
    )


def deterred_text(s: RunState, a: int, b: int, pv) -> str:
    return (
        f"{first(s, a)} does not attack {name(s, b)}: it expects {pv.attacker_strength:.3g} on its side "
        f"against {pv.expected_defense:.3g} in defence (it needs more than {s.gamma:g} times that)."
    )


def obliged_text(s: RunState, z: int, arc: int) -> str:
    arcs = s.arcs
    k, ally, kind = int(arcs.treaty[arc]), int(arcs.dst[arc]), int(arcs.kind[arc])
    if kind == W.SANCTION:
        return f"{first(s, z)} is called on by {tname(s, k)} to sanction the attacker of {name(s, ally)}."
    if kind == W.AUTHORISE:
        return f"{first(s, z)} is invited by {tname(s, k)} to join {name(s, ally)}."
    return f"{first(s, z)} is called on by {tname(s, k)} to join {name(s, ally)}."


def _duty(s: RunState, z: int, arc: int) -> str:
    arcs = s.arcs
    k, ally, kind = int(arcs.treaty[arc]), int(arcs.dst[arc]), int(arcs.kind[arc])
    t = tname(s, k)
    if kind == W.OFFENSE:
        return f"{t} binds it to join {name(s, ally)}'s attack"
    if kind == W.GUARANTEE:
        return f"{t} makes it guarantor of {name(s, ally)}, which is under attack"
    if kind == W.COLLECTIVE:
        return f"{t} has decided on the defence of {name(s, ally)}"
    if kind == W.AUTHORISE:
        return f"{t} has authorised the defence of {name(s, ally)}"
    if kind == W.SANCTION:
        return f"{t} has decided on sanctions for {name(s, ally)}"
    if kind == W.CLAIM:
        return f"{name(s, ally)} invoked {t} legitimately"
    return f"{t} binds it to defend {name(s, ally)}, which was attacked"


def honour_text(s: RunState, z: int, arc: int, p: float, cross: bool) -> str:
    ally = int(s.arcs.dst[arc])
    note = ", despite ties to the other camp" if cross else ""
    if s.arcs.kind[arc] == W.SANCTION:
        return (
            f"{first(s, z)} applies sanctions, without fighting: {_duty(s, z, arc)} ({_compare(s, p)}{note})."
        )
    m = int(s.world.mobilization[z])
    at = "at once" if m == 0 else f"after {duration(s, m)} of mobilisation"
    enters = f"{first(s, z)} enters the war beside {name(s, ally)} {at}"
    return f"{enters}: {_duty(s, z, arc)} ({_compare(s, p)}{note})."


def p_factors(s: RunState, z: int, arc: int, p: float, cross: bool) -> dict[str, float]:
    """What makes up state z's p = r x c x L x crosspressure x (1 - autonomy) x feasibility: each factor,
    and ``promised`` (p before feasibility)."""
    arcs, w = s.arcs, s.world
    k, ally, kind = int(arcs.treaty[arc]), int(arcs.dst[arc]), int(arcs.kind[arc])
    r = float(s.reliability[z])
    c = float(w.commitment[k]) * s.commitment_towards.get((k, ally), 1.0)
    legit = float(s.legitimacy[k])
    autonomy = float(w.autonomy[z]) if W.INSTITUTIONAL[kind] else 0.0
    pull = 0.5 if cross else 1.0
    promised = r * c * legit * pull * (1.0 - autonomy)
    return {
        "reliability": r,
        "commitment": c,
        "legitimacy": legit,
        "cross": pull,
        "autonomy": autonomy,
        "feasibility": p / promised if promised > 0 else 1.0,
        "promised": promised,
    }


def _weakest(s: RunState, z: int, arc: int, p: float, cross: bool) -> str:
    """The factor of p = r x c x L x feasibility x crosspressure x (1 - autonomy) that explains a
    renege: in deterministic mode the one without which p would have reached the threshold (feasibility
    only when the promise alone would have), in stochastic mode the smallest."""
    f = p_factors(s, z, arc, p, cross)
    r, c, legit, autonomy, pull = (
        f["reliability"],
        f["commitment"],
        f["legitimacy"],
        f["autonomy"],
        f["cross"],
    )
    promised, feasibility = f["promised"], f["feasibility"]
    phrases = {
        "feasibility": f"its camp looks too weak to win (feasibility {feasibility:.2f})",
        "cross": "ties to the other camp pull it back",
        "autonomy": f"it guards its sovereignty (autonomy {autonomy:.2f})",
        "legitimacy": f"the treaty was used as a pretext (legitimacy {legit:.2f})",
        "word": f"its word is weak (reliability {r:.2f} x commitment {c:.2f})",
    }
    if s.rng is None:
        threshold = s.honor_threshold
        if promised >= threshold:
            return phrases["feasibility"]
        without = {
            "cross": promised / pull,
            "autonomy": promised / (1.0 - autonomy) if autonomy < 1 else float("inf"),
            "legitimacy": promised / legit if legit > 0 else float("inf"),
        }
        for factor in ("cross", "autonomy", "legitimacy"):
            if without[factor] >= threshold and without[factor] > promised:
                return phrases[factor]
        return phrases["word"] + (", and ties to the other camp pull it back" if cross else "")
    factors = {"feasibility": feasibility, "cross": pull, "autonomy": 1.0 - autonomy, "legitimacy": legit}
    factors["word"] = r * c
    return phrases[min(factors, key=lambda f: (factors[f], f != "word"))]


def renege_text(s: RunState, z: int, arc: int, p: float, cross: bool) -> str:
    k, ally = int(s.arcs.treaty[arc]), int(s.arcs.dst[arc])
    if s.rng is not None and p >= 0.5:
        why = "against the odds, it holds back"
    else:
        why = _weakest(s, z, arc, p, cross)
    verb = "refuses the sanctions of" if s.arcs.kind[arc] == W.SANCTION else "reneges on"
    return f"{first(s, z)} {verb} {tname(s, k)} and leaves {name(s, ally)} alone: {why} ({_compare(s, p)})."


def declined_text(s: RunState, z: int, arc: int, p: float) -> str:
    k, ally = int(s.arcs.treaty[arc]), int(s.arcs.dst[arc])
    return (
        f"{first(s, z)} declines to join {name(s, ally)}: {tname(s, k)} authorised action but obliges no "
        f"one, so no promise is broken ({_compare(s, p)})."
    )


def taken_text(s: RunState, z: int, arc: int, p: float, honours: bool, model_honours: bool, who: str) -> str:
    """A decision a participant took for state z (the room): what it did, and what the model would have."""
    k, ally, kind = int(s.arcs.treaty[arc]), int(s.arcs.dst[arc]), int(s.arcs.kind[arc])
    if honours and kind == W.SANCTION:
        did = f"{first(s, z)} applies sanctions, without fighting: {_duty(s, z, arc)}"
    elif honours:
        m = int(s.world.mobilization[z])
        at = "at once" if m == 0 else f"after {duration(s, m)} of mobilisation"
        did = f"{first(s, z)} enters the war beside {name(s, ally)} {at}: {_duty(s, z, arc)}"
    elif kind == W.AUTHORISE:
        did = f"{first(s, z)} declines to join {name(s, ally)}: no promise is broken"
    else:
        verb = "refuses the sanctions of" if kind == W.SANCTION else "reneges on"
        did = f"{first(s, z)} {verb} {tname(s, k)} and leaves {name(s, ally)} alone"
    model = "the same" if honours == model_honours else "otherwise"
    return f"{did}. {who} decided for {name(s, z)}; the model would have chosen {model} ({_compare(s, p)})."


def voluntary_text(s: RunState, z: int, arc: int, p: float) -> str:
    k = int(s.arcs.treaty[arc])
    return (
        f"{first(s, z)} joins {name(s, int(s.arcs.dst[arc]))} of its own will: {tname(s, k)} obliges nothing "
        f"but draws it in ({_compare(s, p)})."
    )


def neutral_text(s: RunState, z: int, arc: int) -> str:
    arcs = s.arcs
    k = int(arcs.treaty[arc])
    if arcs.kind[arc] == W.NEUTRALITY:
        return (
            f"{first(s, z)} stays neutral: {tname(s, k)} forbids it to fight {name(s, int(arcs.dst[arc]))}."
        )
    return f"{first(s, z)} stays neutral: its treaties oblige it to both camps of the war."


def not_obliged_text(s: RunState, z: int, failed: list[tuple[int, int]]) -> str:
    arcs, w = s.arcs, s.world
    arc, why = failed[0]
    k, ally, kind = int(arcs.treaty[arc]), int(arcs.dst[arc]), int(arcs.kind[arc])
    t = tname(s, k)
    head = f"{first(s, z)} stays out:"
    if why == S.INSIDE:
        return f"{head} {t} has members on both camps of this war, and cannot take sides."
    if why == S.NOT_OWN_ATTACK:
        return f"{head} {t} binds it only to join an attack launched by {name(s, ally)}."
    if why == S.NOT_LISTED:
        listed = names(s, w.against[k])
        return f"{head} {t} binds it only against {listed}."
    if why == S.PROVOKED:
        strikers = [int(arcs.dst[a]) for a, y in failed if y == S.PROVOKED and int(arcs.treaty[a]) == k]
        struck = "struck" if len(strikers) > 1 else "struck"
        return (
            f"{head} {t} binds it only against an unprovoked attack, and {names(s, strikers)} {struck} first."
        )
    if kind == W.GUARANTEE:
        return f"{head} {t} binds it only when {name(s, ally)} is attacked."
    return (
        f"{head} {t} binds it only if {name(s, ally)} is attacked, and nobody has attacked {name(s, ally)}."
    )


def veto_text(s: RunState, k: int, e: int, blocker: str) -> str:
    return f"{tname(s, k, start=True)} cannot act against {name(s, e)}: {blocker}."


def authorised_text(s: RunState, k: int, e: int, v: int, response: str) -> str:
    head = f"{tname(s, k, start=True)} decides against {name(s, e)}"
    if response == "authorise":
        return f"{head}: it authorises its members to defend {name(s, v)}, and obliges none."
    if response == "sanctions":
        return f"{head}: its members are bound to sanction {name(s, e)}, not to fight."
    return f"{head}: every member is bound to defend {name(s, v)}."


def claim_text(s: RunState, a: int, b: int, k: int) -> str:
    return (
        f"{first(s, a)} acts for {tname(s, k)} against {name(s, b)}, and the claim holds: the other members "
        f"are called on to join it."
    )


def pretext_text(s: RunState, a: int, b: int, k: int) -> str:
    return (
        f"{first(s, a)} claims to act for {tname(s, k)}, but {name(s, b)} attacked none of its members or "
        f"the treaty authorised nothing: a pretext. {first(s, a)}'s word is now worth half as much, and so "
        f"is the treaty's legitimacy."
    )


def arrival_text(s: RunState, i: int) -> str:
    from sandbox.core.sim.state import SIDE_NAMES

    return f"{first(s, i)} completes mobilisation and enters the war in the {SIDE_NAMES[s.camp[i]]} camp."


def defeat_text(s: RunState, i: int, t: int) -> str:
    w = s.world
    return (
        f"{first(s, i)} capitulates {when(s, t)}: its strength fell to {s.strength[i]:.3g}, below "
        f"{w.break_fraction[i]:g} of its power {w.power[i]:.3g}."
    )


def exhausted_text(s: RunState, i: int, t: int) -> str:
    w = s.world
    return (
        f"{first(s, i)} is exhausted {when(s, t)}: the war has cost it {s.cost[i]:.3g}, more than "
        f"{s.exhaustion:g} times its GDP {w.gdp[i]:.3g}."
    )


def ceasefire_text(s: RunState, k: int, ticks: int) -> str:
    return (
        f"{tname(s, k, start=True)} mediates between its members at war with each other: ceasefire "
        f"after {duration(s, ticks)} of fighting."
    )


def war_end_text(s: RunState, war: War, *, exhausted: bool) -> str:
    of = f"The war of {name(s, war.aggressor)} and {name(s, war.defender)} ends"
    if exhausted:
        return f"{of}: both camps broke in the same tick, neither prevails (a stalemate of exhaustion)."
    if war.result == "aggressor-victory":
        return f"{of}: the defender camp has no one left fighting."
    if war.result == "aggressor-defeated":
        return f"{of}: the aggressor camp has no one left fighting."
    return f"{of} in stalemate at the end of the run: neither camp broke the other."


def end_text(s: RunState, result: str) -> str:
    if not s.wars:
        return {
            "settled": "No war: every dispute was settled or deterred.",
            "deterred": "No war: every attack was deterred.",
        }.get(result, "No war: no attack happened.")
    ended = {
        "aggressor-victory": "in victory for the aggressor camp",
        "aggressor-defeated": "in defeat for the aggressor camp",
        "ceasefire": "in a ceasefire",
    }.get(result, "in stalemate")
    count = len([w for w in s.wars if w.merged_into is None])
    if count == 1:
        return f"The run ends: the war ended {ended}."
    return f"The run ends after {count} wars; the first ended {ended}."


def why(s: RunState, i: int, status: int, tick: int) -> str:
    """The sentence that explains state i's status at ``tick``."""
    from sandbox.core.sim import state as S

    if not s.record:
        return ""
    who = first(s, i)
    if status == S.UNINVOLVED:
        return f"{who} has no treaty that brings it into a war."
    if status in (S.NOT_OBLIGED, S.NEUTRAL, S.RENEGED, S.DECLINED, S.SANCTIONING):
        return s.why.get(i, f"{who} stays out.")
    if status == S.MOBILIZING:
        return f"{s.why.get(i, '')} It arrives {when(s, int(s.entered[i]))}.".strip()
    if s.reason_treaty[i] >= 0:
        prefix = s.why.get(i, "")
    elif s.first_striker[i] >= 0 and s.entry[i] == S.ENTRY_TARGET:
        prefix = f"{who} was attacked by {name(s, int(s.first_striker[i]))}."
    else:
        prefix = f"{who} launched its own attack."
    if status == S.DEFEATED:
        t = s.defeat_tick.get(i, tick)
        if s.defeat_kind.get(i) == "exhausted":
            return f"{prefix} It was exhausted {when(s, t)}: the war cost more than its economy could bear."
        below = f"its strength below {s.world.break_fraction[i]:g} of its power"
        return f"{prefix} It capitulated {when(s, t)}, {below}."
    return prefix
