"""The published JSON Schema of ``.sandbox`` files (format version 2), built from the field rules.

The schema says what each field may hold: its type, range or choices, default, unit (the annotation
"x-unit") and meaning, all from the field rules (sandbox.core.rules). It does not check references:
JSON Schema cannot say that an id a treaty, plan or event names is a state or treaty of the same
file. The loader checks references (sandbox.core.io.fileformat.scenario_from_dict, run by
"security-sandbox-cli validate FILE" and on every open), with messages that name the place, such as
"treaties[0].members[1]: unknown state 'XYZ'", and it checks what else a schema cannot say (which
conditions a treaty type takes, the least number of members). A file this schema passes may still be
refused for a reference: check it with "security-sandbox-cli validate".

``resources/schema/sandbox.schema.json`` is this schema as a file, for editors and other
tools; a test checks that the file is what :func:`json_schema` builds, that it holds every
field rule, that every bundled example passes it and that bad files fail it.
``python -m sandbox.core.io.schema`` prints it.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.core.rules import EVENT_RULES, META_RULES, SETTING_RULES, STATE_RULES, TREATY_RULES, Rule
from sandbox.core.scenario import DECISION_RULES, FORMAT, ID_PATTERN, RESPONSES, VERSION

_ID = {"type": "string", "pattern": ID_PATTERN.pattern.replace("\\Z", "$")}
UNCHECKED = "(the loader checks that it is one; this schema cannot)"


def _ref(kind: str) -> dict[str, Any]:
    """An id naming a state or treaty of the file: a reference, which only the loader checks."""
    return {**_ID, "description": f"The id of a {kind} of this file {UNCHECKED}."}


def _refs(kind: str) -> dict[str, Any]:
    return {"type": "array", "items": _ID, "description": f"Ids of {kind}s of this file {UNCHECKED}."}


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
            "members": _refs("state"),
            "guarantors": _refs("state"),
            "conditions": {
                "type": "object",
                "properties": {"against": _refs("state"), "unprovoked_only": {"type": "boolean"}},
            },
            "decision": {
                "type": "object",
                "properties": {
                    "rule": {"enum": list(DECISION_RULES)},
                    "veto": _refs("state"),
                    "response": {"enum": list(RESPONSES)},
                },
            },
        },
        required=("id",),
    )
    plan = {
        "type": "object",
        "properties": {"state": _ref("state"), "on_war_with": _ref("state"), "also_attack": _refs("state")},
        "required": ["state", "on_war_with"],
    }
    event = _object(
        EVENT_RULES,
        {
            "aggressor": _ref("state"),
            "target": _ref("state"),
            "claim": {"anyOf": [_ref("treaty"), {"type": "null"}]},
            "treaty": _ref("treaty"),
        },
    )
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
