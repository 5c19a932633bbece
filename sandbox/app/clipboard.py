"""Copy and paste of states with the treaties among them, as JSON text.

The JSON is plain text on the clipboard so a selection can be pasted into
another window, another scenario, or a text editor for a look.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from PySide6.QtGui import QUndoStack

from sandbox.app.commands import AddStateCommand, AddTreatyCommand
from sandbox.core.scenario import Conditions, Decision, Scenario, State, Treaty

CLIPBOARD_FORMAT = "collective-security-sandbox-selection"
PASTE_OFFSET = (40.0, 40.0)


def selection_to_json(scenario: Scenario, state_ids: list[str]) -> str:
    """The states (in scenario order) and every treaty all of whose parties are among them."""
    chosen = set(state_ids)
    states = [asdict(s) for s in scenario.states if s.id in chosen]
    treaties = [asdict(t) for t in scenario.treaties if t.parties() and set(t.parties()) <= chosen]
    return json.dumps({"format": CLIPBOARD_FORMAT, "states": states, "treaties": treaties}, indent=1)


def paste_json(stack: QUndoStack, scenario: Scenario, text: str, offset=PASTE_OFFSET) -> list[str]:
    """Push one macro adding the copied states (new ids, shifted by ``offset``) and their
    treaties; returns the new state ids, [] when the text is not a copied selection."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("format") != CLIPBOARD_FORMAT or not data.get("states"):
        return []
    try:
        states = [State(**{**s, "position": tuple(s["position"])}) for s in data["states"]]
        treaties = [
            Treaty(
                **{**t, "conditions": Conditions(**t["conditions"]), "decision": Decision(**t["decision"])}
            )
            for t in data.get("treaties", [])
        ]
    except (TypeError, KeyError):
        return []
    renamed: dict[str, str] = {}
    stack.beginMacro(f"Paste {len(states)} state{'s' if len(states) > 1 else ''}")
    for state in states:
        renamed[state.id] = scenario.unique_id(state.id)
        state.id = renamed[state.id]
        state.position = (state.position[0] + offset[0], state.position[1] + offset[1])
        stack.push(AddStateCommand(scenario, state))
    for treaty in treaties:
        treaty.id = scenario.unique_id(treaty.id)
        treaty.members = [renamed[m] for m in treaty.members]
        treaty.guarantors = [renamed[g] for g in treaty.guarantors]
        # conditions may name states outside the copy; keep those the scenario knows
        treaty.conditions.against = _rename_known(scenario, renamed, treaty.conditions.against)
        treaty.decision.veto = _rename_known(scenario, renamed, treaty.decision.veto)
        stack.push(AddTreatyCommand(scenario, treaty))
    stack.endMacro()
    return list(renamed.values())


def _rename_known(scenario: Scenario, renamed: dict[str, str], ids: list[str]) -> list[str]:
    return [renamed.get(i, i) for i in ids if i in renamed or scenario.has_state(i)]
