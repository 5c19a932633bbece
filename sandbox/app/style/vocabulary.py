"""The display vocabulary: what the app calls each treaty type, state status, tie status, side and
event kind, and the colour each is drawn in. Every view names and colours things from here, so the
canvas, the legend, the inspector, the treaty list, the event log, the charts and the exports say
the same words in the same colours.

A colour here is the same in every theme (light, dark, projector): the Okabe-Ito hues read on a
light and on a dark canvas alike. What a theme changes is how a fill is shown, not which hue it is:
:meth:`sandbox.app.style.theme.CanvasColors.fill` saturates state fills on the projector. Nothing
here imports Qt.
"""

from __future__ import annotations

# One hue per treaty type; offense is red as the brief and the textbooks have it.
TREATY_COLORS: dict[str, str] = {
    "defense": "#2f6fd0",
    "guarantee": "#8a4fc7",
    "offense": "#d62f2f",
    "neutrality": "#8c8c8c",
    "non-aggression": "#8c8c8c",
    "entente": "#1f9e8a",
    "collective-security": "#e08a00",
}

# Colours of the run view: a state's side, and a tie's status (engine TieView.status). From the
# Okabe-Ito palette, told apart by readers with colour-blindness; a reneged state or tie is also
# drawn with a broken line, so it never rests on hue alone.
OKABE_ITO = {
    "orange": "#e69f00",
    "sky-blue": "#56b4e9",
    "bluish-green": "#009e73",
    "yellow": "#f0e442",
    "blue": "#0072b2",
    "vermillion": "#d55e00",
    "reddish-purple": "#cc79a7",
}
DECLINED_COLOR = "#cfa9e6"
SIDE_COLORS: dict[str | None, str] = {
    "aggressor": OKABE_ITO["vermillion"],
    "defender": OKABE_ITO["blue"],
    None: "#9aa0a6",
}
TIE_STATUS_COLORS: dict[str, str] = {
    "idle": "#9aa0a6",
    "obliged": OKABE_ITO["orange"],
    "mobilizing": OKABE_ITO["orange"],
    "honoured": OKABE_ITO["bluish-green"],
    "reneged": OKABE_ITO["reddish-purple"],
    "not-obliged": "#9aa0a6",
    "violation": OKABE_ITO["vermillion"],
    "vetoed": OKABE_ITO["sky-blue"],
}
STATE_STATUS_COLORS: dict[str, str] = {
    "belligerent": OKABE_ITO["vermillion"],  # replaced by the side colour when the state has a side
    "defeated": "#5f3b3b",
    "mobilizing": OKABE_ITO["orange"],
    "reneged": OKABE_ITO["reddish-purple"],
    "not-obliged": "#a9afb5",
    "neutral": OKABE_ITO["yellow"],
    # stayed out of an authorisation, no promise broken: a soft violet, as Okabe-Ito's eight are
    # taken and sky blue beside the defenders' blue (and its mobilising tint) was hard to tell apart;
    # at least 16 CIELAB units from every other fill for normal, protan, deutan and tritan vision
    "declined": DECLINED_COLOR,
    "sanctioning": OKABE_ITO["bluish-green"],  # applies sanctions, does not fight
    "uninvolved": "#e3e6e8",
}
RENEGED_OUTLINE = "#6f2a63"  # the broken ring of a reneged state: a darker shade of its fill

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
SIDE_SHORT_NAMES = {"aggressor": "aggressor", "defender": "defender"}  # where the status is said already
# The engine's tie statuses (TieView.status), as a reader would name them.
TIE_STATUS_NAMES = {
    "idle": "idle",
    "obliged": "obliged",
    "mobilizing": "mobilising",
    "honoured": "honoured",
    "reneged": "reneged",
    "not-obliged": "not obliged",
    "violation": "violation",
    "vetoed": "vetoed",
}

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
