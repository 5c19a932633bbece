"""Copy and paste of states with the treaties, war plans and scripted events among them, as JSON text.

The JSON is plain text on the clipboard so a selection can be pasted into
another window, another scenario, or a text editor for a look.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict
from functools import partial

from PySide6.QtGui import QUndoStack

from sandbox.app.editing.commands import (
    AddStateCommand,
    AddTreatyCommand,
    SetEventsCommand,
    SetPlansCommand,
    compound,
)
from sandbox.core.scenario import (
    Conditions,
    Decision,
    Plan,
    Scenario,
    ScenarioEditError,
    ScriptedEvent,
    State,
    Treaty,
)

CLIPBOARD_FORMAT = "collective-security-sandbox-selection"
PASTE_OFFSET = (40.0, 40.0)


def selection_to_json(scenario: Scenario, state_ids: list[str]) -> str:
    """The states (in scenario order), every treaty all of whose parties are among them, and the
    war plans and scripted events whose two ends are among them."""
    chosen = set(state_ids)
    states = [asdict(s) for s in scenario.states if s.id in chosen]
    treaties = [asdict(t) for t in scenario.treaties if t.parties() and set(t.parties()) <= chosen]
    plans = [asdict(p) for p in scenario.plans if {p.state, p.on_war_with} <= chosen]
    events = [asdict(e) for e in scenario.events if e.type == "attack" and {e.aggressor, e.target} <= chosen]
    return json.dumps(
        {
            "format": CLIPBOARD_FORMAT,
            "states": states,
            "treaties": treaties,
            "plans": plans,
            "events": events,
        },
        indent=1,
    )


def paste_json(stack: QUndoStack, scenario: Scenario, text: str, offset=PASTE_OFFSET) -> list[str]:
    """Push one command adding the copied states (new ids, shifted by ``offset``), their treaties,
    war plans and scripted events (naming the new ids); returns the new state ids, [] when the
    text is not a copied selection. What the clipboard holds is checked whole by the editing API
    (the field rules) first: raises ScenarioEditError, and changes nothing, if any of it is refused."""
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
        plans = [Plan(**p) for p in data.get("plans", [])]
        events = [ScriptedEvent(**e) for e in data.get("events", [])]
    except (TypeError, KeyError, ValueError, AttributeError) as error:
        raise ScenarioEditError(f"the clipboard's selection is damaged ({error})") from None
    trial = scenario.copy()  # new ids are chosen as the items go in, so they are chosen on a copy
    renamed: dict[str, str] = {}
    renamed_treaties: dict[str, str] = {}
    for state in states:
        renamed[state.id] = trial.unique_id(state.id)
        state.id = renamed[state.id]
        state.position = (state.position[0] + offset[0], state.position[1] + offset[1])
        trial.add_state(copy.deepcopy(state))
    for treaty in treaties:
        renamed_treaties[treaty.id] = trial.unique_id(treaty.id)
        treaty.id = renamed_treaties[treaty.id]
        if not set(treaty.parties()) <= set(renamed):
            raise ScenarioEditError(f"the clipboard's treaty {treaty.name!r} names states it does not hold")
        treaty.members = [renamed[m] for m in treaty.members]
        treaty.guarantors = [renamed[g] for g in treaty.guarantors]
        # conditions may name states outside the copy; keep those the scenario knows
        treaty.conditions.against = _rename_known(scenario, renamed, treaty.conditions.against)
        treaty.decision.veto = _rename_known(scenario, renamed, treaty.decision.veto)
        trial.add_treaty(copy.deepcopy(treaty))
    # a plan or an attack comes along only when both its ends were copied (older copies carry none)
    plans = [p for p in plans if p.state in renamed and p.on_war_with in renamed]
    for plan in plans:
        plan.state, plan.on_war_with = renamed[plan.state], renamed[plan.on_war_with]
        plan.also_attack = _rename_known(scenario, renamed, plan.also_attack)
    events = [e for e in events if e.type == "attack" and e.aggressor in renamed and e.target in renamed]
    for event in events:
        event.aggressor, event.target = renamed[event.aggressor], renamed[event.target]
        if event.claim is not None:
            claim = renamed_treaties.get(event.claim, event.claim)
            event.claim = claim if scenario.has_treaty(claim) or claim in renamed_treaties.values() else None
    children = [partial(AddStateCommand, state=copy.deepcopy(s)) for s in states]
    children += [partial(AddTreatyCommand, treaty=copy.deepcopy(t)) for t in treaties]
    if plans:
        children.append(partial(SetPlansCommand, plans=[*scenario.plans, *plans]))
    if events:
        children.append(partial(SetEventsCommand, events=[*scenario.events, *events]))
    stack.push(compound(f"Paste {len(states)} state{'s' if len(states) > 1 else ''}", scenario, children))
    return list(renamed.values())


def _rename_known(scenario: Scenario, renamed: dict[str, str], ids: list[str]) -> list[str]:
    return [renamed.get(i, i) for i in ids if i in renamed or scenario.has_state(i)]
