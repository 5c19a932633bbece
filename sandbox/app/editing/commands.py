"""Undo commands: every edit the app makes to a scenario is one of these.

Each command calls the scenario's editing API (never a graphics item) and keeps
what that API returned so that ``undo`` restores the scenario exactly, order
included. Compound edits (delete a selection, paste) are one command with these as
children, tried whole on a copy of the scenario before they are pushed: an edit the
model refuses anywhere changes nothing, neither the scenario nor the undo stack.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from sandbox.core.scenario import Plan, Scenario, ScriptedEvent, State, StateRemoval, Treaty

_MERGE_IDS = {"state": 1, "treaty": 2, "settings": 3, "meta": 4}


class AddStateCommand(QUndoCommand):
    """Add a state (at ``index``, default the end)."""

    def __init__(self, scenario: Scenario, state: State, index: int | None = None, parent=None):
        super().__init__(f"Add {state.name}", parent)
        self.scenario, self.state, self.index = scenario, state, index

    def redo(self) -> None:
        self.index = self.scenario.add_state(self.state, self.index)

    def undo(self) -> None:
        self.scenario.remove_state(self.state.id)


class RemoveStateCommand(QUndoCommand):
    """Remove a state with its memberships; undo puts everything back in place."""

    def __init__(self, scenario: Scenario, state_id: str, parent=None):
        super().__init__(f"Delete {scenario.state(state_id).name}", parent)
        self.scenario, self.state_id = scenario, state_id
        self.removal: StateRemoval | None = None

    def redo(self) -> None:
        self.removal = self.scenario.remove_state(self.state_id)

    def undo(self) -> None:
        self.scenario.restore_state(self.removal)


class MoveStatesCommand(QUndoCommand):
    """Move several states at once (one drag is one command)."""

    def __init__(
        self,
        scenario: Scenario,
        positions: dict[str, tuple[float, float]],
        old_positions: dict[str, tuple[float, float]] | None = None,
        parent=None,
    ):
        names = ", ".join(scenario.state(i).name for i in list(positions)[:2])
        more = "" if len(positions) <= 2 else f" and {len(positions) - 2} more"
        super().__init__(f"Move {names}{more}", parent)
        self.scenario, self.positions = scenario, dict(positions)
        self.old_positions = (
            dict(old_positions) if old_positions else {i: scenario.state(i).position for i in positions}
        )

    def redo(self) -> None:
        self.scenario.move_states(self.positions)

    def undo(self) -> None:
        self.scenario.move_states(self.old_positions)


class AddTreatyCommand(QUndoCommand):
    """Add a treaty (at ``index``, default the end)."""

    def __init__(self, scenario: Scenario, treaty: Treaty, index: int | None = None, parent=None):
        super().__init__(f"Add {treaty.name}", parent)
        self.scenario, self.treaty, self.index = scenario, treaty, index

    def redo(self) -> None:
        self.index = self.scenario.add_treaty(self.treaty, self.index)

    def undo(self) -> None:
        self.scenario.remove_treaty(self.treaty.id)


class RemoveTreatyCommand(QUndoCommand):
    """Remove a treaty; undo re-inserts it at its old index."""

    def __init__(self, scenario: Scenario, treaty_id: str, parent=None):
        super().__init__(f"Delete {scenario.treaty(treaty_id).name}", parent)
        self.scenario, self.treaty_id = scenario, treaty_id
        self.removed: tuple[Treaty, int] | None = None

    def redo(self) -> None:
        self.removed = self.scenario.remove_treaty(self.treaty_id)

    def undo(self) -> None:
        self.scenario.add_treaty(*self.removed)


class _UpdateCommand(QUndoCommand):
    """Set some fields through an ``update_*`` method that returns the old values.

    Consecutive edits of the same fields of the same object merge into one undo
    step (typing in a field, dragging a spin box)."""

    kind = ""

    def __init__(
        self, scenario: Scenario, target: str | None, values: dict[str, Any], text: str, parent=None
    ):
        super().__init__(text, parent)
        self.scenario, self.target = scenario, target
        self.values = copy.deepcopy(values)
        self.old: dict[str, Any] = {}

    def apply_to(self, scenario: Scenario, values: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def check(self) -> None:
        """Raise ScenarioEditError if the model would refuse this edit (tried on a copy):
        a refused ``redo`` inside QUndoStack.push cannot be reported back."""
        self.apply_to(self.scenario.copy(), copy.deepcopy(self.values))

    def redo(self) -> None:
        self.old = self.apply_to(self.scenario, copy.deepcopy(self.values))

    def undo(self) -> None:
        self.apply_to(self.scenario, copy.deepcopy(self.old))

    def id(self) -> int:
        return _MERGE_IDS[self.kind]

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, type(self))
            or other.target != self.target
            or set(other.values) != set(self.values)
        ):
            return False
        self.values = other.values
        return True


class UpdateStateCommand(_UpdateCommand):
    kind = "state"

    def __init__(self, scenario: Scenario, state_id: str, parent=None, **values: Any):
        name = scenario.state(state_id).name
        super().__init__(scenario, state_id, values, f"Change {', '.join(values)} of {name}", parent)

    def apply_to(self, scenario, values):
        return scenario.update_state(self.target, **values)


class UpdateTreatyCommand(_UpdateCommand):
    kind = "treaty"

    def __init__(self, scenario: Scenario, treaty_id: str, parent=None, **values: Any):
        name = scenario.treaty(treaty_id).name
        super().__init__(scenario, treaty_id, values, f"Change {', '.join(values)} of {name}", parent)

    def apply_to(self, scenario, values):
        return scenario.update_treaty(self.target, **values)


class UpdateSettingsCommand(_UpdateCommand):
    kind = "settings"

    def __init__(self, scenario: Scenario, parent=None, **values: Any):
        super().__init__(scenario, None, values, f"Change setting {', '.join(values)}", parent)

    def apply_to(self, scenario, values):
        return scenario.update_settings(**values)


class UpdateMetaCommand(_UpdateCommand):
    kind = "meta"

    def __init__(self, scenario: Scenario, parent=None, **values: Any):
        super().__init__(scenario, None, values, f"Change {', '.join(values)}", parent)

    def apply_to(self, scenario, values):
        return scenario.update_meta(**values)


class _ReplaceListCommand(QUndoCommand):
    """Replace a whole list (plans, events) through a setter that returns the old list."""

    setter = ""

    def __init__(self, scenario: Scenario, items: list, text: str, parent=None):
        super().__init__(text, parent)
        self.scenario, self.items = scenario, copy.deepcopy(items)
        self.old: list = []

    def check(self) -> None:
        """Raise ScenarioEditError if the model would refuse the new list (tried on a copy)."""
        getattr(self.scenario.copy(), self.setter)(copy.deepcopy(self.items))

    def redo(self) -> None:
        self.old = getattr(self.scenario, self.setter)(copy.deepcopy(self.items))

    def undo(self) -> None:
        getattr(self.scenario, self.setter)(self.old)


class SetPlansCommand(_ReplaceListCommand):
    setter = "set_plans"

    def __init__(self, scenario: Scenario, plans: list[Plan], parent=None):
        super().__init__(scenario, plans, "Change war plans", parent)


class SetEventsCommand(_ReplaceListCommand):
    setter = "set_events"

    def __init__(self, scenario: Scenario, events: list[ScriptedEvent], parent=None):
        super().__init__(scenario, events, "Change scripted events", parent)


class CompoundCommand(QUndoCommand):
    """One undo step made of several commands: redo runs them in order, undo backwards.

    The commands are kept here rather than as Qt children, whose Python halves would be
    collected while Qt still called them."""

    def __init__(self, text: str, commands: list[QUndoCommand]):
        super().__init__(text)
        self.commands = commands

    def redo(self) -> None:
        for command in self.commands:
            command.redo()

    def undo(self) -> None:
        for command in reversed(self.commands):
            command.undo()


def compound(
    text: str, scenario: Scenario, makers: Iterable[Callable[[Scenario], QUndoCommand]]
) -> CompoundCommand:
    """The command of ``make(scenario)`` for each maker, as one undo step. They are first run on a
    copy of the scenario: raises ScenarioEditError, having changed nothing, if the model refuses any."""
    makers = list(makers)
    trial = scenario.copy()
    for make in makers:
        make(trial).redo()
    return CompoundCommand(text, [make(scenario) for make in makers])


def delete_selection(
    stack: QUndoStack, scenario: Scenario, state_ids: Iterable[str], treaty_ids: Iterable[str]
) -> bool:
    """Push one command deleting the treaties, then the states; False if nothing to delete."""
    treaty_ids = [t for t in treaty_ids if scenario.has_treaty(t)]
    state_ids = [s for s in state_ids if scenario.has_state(s)]
    if not treaty_ids and not state_ids:
        return False
    count = len(treaty_ids) + len(state_ids)
    children = [partial(RemoveTreatyCommand, treaty_id=t) for t in treaty_ids]
    children += [partial(RemoveStateCommand, state_id=s) for s in state_ids]
    stack.push(compound(f"Delete {count} item{'s' if count > 1 else ''}", scenario, children))
    return True
