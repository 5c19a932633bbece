"""The published JSON Schema of ``.sandbox`` files (format version 2), built from the field rules.

``resources/schema/sandbox.schema.json`` is this schema as a file, for editors and other
tools; a test checks that the file is what :func:`json_schema` builds, that every bundled
example passes it and that bad files fail it. The schema says what each field may hold;
what JSON Schema cannot say (that the ids a treaty names are states of the file, that a
treaty type takes its conditions, the least number of members) the loader checks, with
messages that name the place. ``python -m sandbox.core.io.schema`` prints it.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.core.rules import META_RULES, SETTING_RULES, STATE_RULES, TREATY_RULES, Rule
from sandbox.core.scenario import DECISION_RULES, FORMAT, ID_PATTERN, RESPONSES, VERSION

EVENT_TYPES = ("attack", "threat")
_ID = {"type": "string", "pattern": ID_PATTERN.pattern.replace("\\Z", "$")}
_IDS = {"type": "array", "items": _ID}


def _object(
    rules: dict[str, Rule], more: dict[str, Any] | None = None, required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An object whose known keys follow their rules; unknown keys are allowed (kept on save)."""
    properties = {key: rule.schema() for key, rule in rules.items()}
    properties.update(more or {})
    out: dict[str, Any] = {"type": "object", "properties": properties}
    needed = [*required, *(key for key, rule in rules.items() if rule.required)]
    if needed:
        out["required"] = needed
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a version-2 ``.sandbox`` file."""
    state = _object(STATE_RULES, {"id": _ID}, required=("id",))
    treaty = _object(
        TREATY_RULES,
        {
            "id": _ID,
            "members": _IDS,
            "guarantors": _IDS,
            "conditions": {
                "type": "object",
                "properties": {"against": _IDS, "unprovoked_only": {"type": "boolean"}},
            },
            "decision": {
                "type": "object",
                "properties": {
                    "rule": {"enum": list(DECISION_RULES)},
                    "veto": _IDS,
                    "response": {"enum": list(RESPONSES)},
                },
            },
        },
        required=("id",),
    )
    plan = {
        "type": "object",
        "properties": {"state": _ID, "on_war_with": _ID, "also_attack": _IDS},
        "required": ["state", "on_war_with"],
    }
    event = {
        "type": "object",
        "properties": {
            "tick": {"type": "integer", "minimum": 0},
            "type": {"enum": list(EVENT_TYPES)},
            "aggressor": _ID,
            "target": _ID,
            "claim": {"anyOf": [_ID, {"type": "null"}]},
            "treaty": _ID,
            "size": {"type": "number", "minimum": 0},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Collective Security Sandbox scenario (.sandbox), format version 2",
        "description": __doc__.split("\n\n")[1].replace("\n", " "),
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "meta": _object(META_RULES),
            "settings": _object(SETTING_RULES),
            "states": {"type": "array", "items": state},
            "treaties": {"type": "array", "items": treaty},
            "plans": {"type": "array", "items": plan},
            "events": {"type": "array", "items": event},
        },
        "required": ["format", "version", "states"],
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
