"""The display vocabulary: what the app calls each treaty type, state status, side and event
kind, and the colour an event kind is logged in. Every view names things from here, so the
canvas, the inspector, the treaty list, the event log and the exports say the same words.

The palette colours of treaty types, statuses and sides are :mod:`sandbox.app.style.theme`'s.
"""

from __future__ import annotations

from sandbox.app.style.theme import DECLINED_COLOR, OKABE_ITO, SIDE_COLORS

TREATY_TYPE_NAMES = {
    "defense": "Defence pact",
    "guarantee": "Guarantee",
    "offense": "Offensive alliance",
    "neutrality": "Neutrality pact",
    "non-aggression": "Non-aggression pact",
    "entente": "Entente",
    "collective-security": "Collective security",
}

# SPEC.md's state statuses, as a reader would name them (British spelling: "mobilising").
STATUS_NAMES = {
    "uninvolved": "uninvolved",
    "not-obliged": "not obliged",
    "obliged": "obliged",
    "mobilizing": "mobilising",
    "belligerent": "at war",
    "defeated": "defeated",
    "reneged": "reneged",
    "neutral": "neutral",
    "declined": "declined",
    "sanctioning": "sanctioning",
}
SIDE_NAMES = {"aggressor": "Aggressor side", "defender": "Defender side", None: "No side"}

# Every event kind the engine logs (SPEC.md's run report), as a reader would name it.
EVENT_KIND_LABELS = {
    "attack": "Attack",
    "deterred": "Deterred",
    "obliged": "Obliged",
    "not-obliged": "Not obliged",
    "neutral": "Neutral",
    "arrival": "Arrives",
    "honor": "Honours",
    "renege": "Reneges",
    "voluntary": "Volunteers",
    "authorised": "Authorised",
    "veto": "Veto",
    "violation": "Violation",
    "claim": "Claims a treaty",
    "pretext": "Pretext",
    "defeat": "Defeat",
    "ceasefire": "Ceasefire",
    "settled": "Settled",
    "declined": "Declines",
    "sanction": "Sanctions",
    "exhausted": "Exhausted",
    "merge": "Wars merge",
    "war-end": "War ends",
    "threat": "Threat",
    "countered": "Threat countered",
    "threat-damage": "Threat damage",
    "no-effect": "No effect",
    "end": "End",
}

# One colour per kind: red for aggression, blue for kept word, orange for broken word; None is
# the palette's text colour (black in the light theme, white in the dark).
AGGRESSION, KEPT, BROKEN, GREY = (
    SIDE_COLORS["aggressor"],
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    "#7f7f7f",
)
PEACE = OKABE_ITO["bluish-green"]
EVENT_KIND_COLORS: dict[str, str | None] = {
    "attack": AGGRESSION,
    "deterred": PEACE,
    "obliged": OKABE_ITO["orange"],
    "not-obliged": GREY,
    "neutral": GREY,
    "arrival": OKABE_ITO["orange"],
    "honor": KEPT,
    "renege": BROKEN,
    "voluntary": OKABE_ITO["sky-blue"],
    "authorised": KEPT,
    "veto": "#8e44ad",
    "violation": "#7b241c",
    "claim": OKABE_ITO["reddish-purple"],
    "pretext": OKABE_ITO["reddish-purple"],
    "defeat": None,
    "ceasefire": PEACE,
    "settled": PEACE,
    "declined": DECLINED_COLOR,  # as the map's declined states
    "sanction": PEACE,
    "exhausted": None,
    "merge": AGGRESSION,
    "war-end": GREY,
    "threat": AGGRESSION,
    "countered": KEPT,
    "threat-damage": BROKEN,
    "no-effect": GREY,
    "end": GREY,
}


def kind_label(kind: str) -> str:
    return EVENT_KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())
