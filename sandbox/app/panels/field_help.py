"""The inspector's fields in the room's words: each one's label, and its tooltip with what it does
and its default (the Info tab a NetLogo user knows).

A field with a field rule (:mod:`sandbox.core.rules`) says it with the rule's help, range and
default; the others (ids, memberships, conditions, a collective treaty's decision, scripted
attacks and plans) with a meaning here, after MODEL.md, and the default of the model's dataclass.
"""

from __future__ import annotations

from sandbox.app.style.vocabulary import TREATY_TYPE_NAMES
from sandbox.core.rules import META_RULES, SETTING_RULES, STATE_RULES, TREATY_RULES
from sandbox.core.scenario import Treaty

# (owner, field) -> its label. owner: "state", "treaty", "settings", "meta", "event", "plan".
LABELS: dict[tuple[str, str], str] = {
    ("state", "id"): "Id",
    ("state", "name"): "Name",
    ("state", "power"): "Power",
    ("state", "gdp"): "GDP",
    ("state", "reliability"): "Reliability",
    ("state", "mobilization"): "Mobilisation (ticks)",
    ("state", "break_fraction"): "Gives up below (share of power)",
    ("state", "autonomy"): "Autonomy",
    ("state", "revisionism"): "Revisionism",
    ("state", "color"): "Colour",
    ("state", "x"): "Position x",
    ("state", "y"): "Position y",
    ("treaty", "id"): "Id",
    ("treaty", "name"): "Name",
    ("treaty", "type"): "Type",
    ("treaty", "members"): "Members",
    ("treaty", "guarantors"): "Guarantors",
    ("treaty", "commitment"): "Commitment",
    ("treaty", "mediation"): "Mediation (per tick)",
    ("treaty", "against"): "Applies against",
    ("treaty", "unprovoked_only"): "Unprovoked attacks only",
    ("treaty", "rule"): "Decision rule",
    ("treaty", "veto"): "Veto holders",
    ("treaty", "response"): "Response when authorised",
    ("meta", "title"): "Title",
    ("meta", "description"): "Description",
    ("meta", "year"): "Year",
    ("meta", "start_date"): "Start date (tick 0)",
    ("event", "tick"): "At tick",
    ("event", "aggressor"): "Aggressor",
    ("event", "target"): "attacks",
    ("plan", "state"): "State",
    ("plan", "enemy"): "at war with",
    ("plan", "also"): "also attacks",
    ("settings", "seed"): "Seed",
    ("settings", "mode"): "Mode",
    ("settings", "deterrence"): "Deterrence",
    ("settings", "open_play"): "Open play",
    ("settings", "max_ticks"): "Longest run (ticks)",
    ("settings", "attacker_disadvantage"): "Attacker needs (x defence)",
    ("settings", "honor_threshold"): "Honour threshold",
    ("settings", "attrition"): "Attrition (per tick)",
    ("settings", "break_fraction"): "Gives up below (share of power)",
    ("settings", "security_preference"): "Security preference",
    ("settings", "entente_support"): "Entente support",
    ("settings", "defense_advantage"): "Defence advantage",
    ("settings", "exhaustion"): "Exhaustion (x GDP)",
    ("settings", "sanctions_effect"): "Sanctions effect",
    ("settings", "days_per_tick"): "Days per tick",
    ("settings", "threat_damage"): "Threat damage",
    ("settings", "private_benefit"): "Private benefit",
}
# What the fields without a field rule (sandbox.core.rules) mean; the others say it in their rule.
MEANINGS: dict[tuple[str, str], str] = {
    ("treaty", "type"): (  # its rule lists the file's codes ("defense"); the room reads the names
        "What members owe: a defence pact defends an attacked member, a guarantee has its "
        "guarantors defend its members, an offensive alliance joins a member's attack, neutrality "
        "and non-aggression forbid war between members, an entente only makes help likelier, "
        "collective security lets the organisation decide."
    ),
    ("state", "id"): "The name files, reports and the command line use for this state; it never changes.",
    ("treaty", "id"): "The name files, reports and the command line use for this treaty.",
    ("treaty", "members"): "The states bound by the treaty.",
    ("treaty", "guarantors"): "In a guarantee, the states that defend the members.",
    ("treaty", "against"): "The treaty obliges only against attacks by these states (empty: against anyone).",
    ("treaty", "unprovoked_only"): "The treaty obliges only when the member did not attack first.",
    ("treaty", "rule"): "How a collective-security organisation decides to act: unanimity of the members not "
    "involved, a majority, or unless a veto holder objects.",
    ("treaty", "veto"): "Under the veto rule, the members any one of whom can block action.",
    (
        "treaty",
        "response",
    ): "What members then owe: force (fight), authorise (may fight; staying out is no broken "
    "promise) or sanctions (weaken the aggressor without fighting).",
    ("event", "tick"): "The tick at which the scripted attack happens.",
    ("event", "aggressor"): "The state that attacks.",
    ("event", "target"): "The state attacked.",
    ("plan", "state"): "A state with a war plan.",
    ("plan", "enemy"): "When this state is at war with this enemy...",
    (
        "plan",
        "also",
    ): "...it attacks these states too, without weighing deterrence: a plan is a commitment already "
    "made (the Schlieffen plan: Germany at war with France attacks Belgium).",
}
RULE_TABLES = {"state": STATE_RULES, "treaty": TREATY_RULES, "settings": SETTING_RULES, "meta": META_RULES}
RULE_OF = {("state", "x"): "position", ("state", "y"): "position"}  # two boxes, one rule

WORDED_DEFAULTS = {  # defaults that are words rather than a value
    ("treaty", "members"): "none",
    ("treaty", "guarantors"): "none",
    ("treaty", "against"): "none (against anyone)",
    ("treaty", "veto"): "none",
}


def _model_defaults() -> dict[tuple[str, str], object]:
    """The defaults the model's dataclasses give the fields without a rule."""
    treaty = Treaty("t", "t")
    return {
        ("treaty", "type"): TREATY_TYPE_NAMES[treaty.type].lower(),
        ("treaty", "unprovoked_only"): treaty.conditions.unprovoked_only,
        ("treaty", "rule"): treaty.decision.rule,
        ("treaty", "response"): treaty.decision.response,
    }


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def default_of(owner: str, key: str) -> str | None:
    """The default of a field in words ("0.8", "on", "the same as power"); None where there is none
    (a name, an id, a position)."""
    if (owner, key) in WORDED_DEFAULTS:
        return WORDED_DEFAULTS[(owner, key)]
    defaults = _model_defaults()
    return _shown(defaults[(owner, key)]) if (owner, key) in defaults else None


def label(owner: str, key: str) -> str:
    return LABELS[(owner, key)]


def tooltip(owner: str, key: str) -> str:
    """What a field does and its default: its field rule's tooltip where it has a rule, else its
    meaning here and its default."""
    rule = RULE_TABLES.get(owner, {}).get(RULE_OF.get((owner, key), key))
    if rule is not None and (owner, key) not in MEANINGS:
        return rule.tooltip()
    default = default_of(owner, key)
    meaning = MEANINGS[(owner, key)]
    return meaning if default is None else f"{meaning} Default: {default}."
