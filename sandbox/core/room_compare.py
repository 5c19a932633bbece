"""The room and the model side by side: what the room's decisions changed against the model's own run.

:func:`room_and_model` compares the report of a room's run with the report of the same scenario run
by the model alone (same attacks, seed and mode): which states the room kept out of the war or took
into it, and the result, length and size of each war. It is the report's ``room`` section, which the
app's debrief and the debrief pack show.
"""

from __future__ import annotations

from typing import Any

from sandbox.core.text import counted

FOUGHT = ("belligerent", "defeated", "mobilizing")


def room_and_model(
    room: dict[str, Any], model: dict[str, Any], decisions: list[dict[str, Any]], holders: dict[str, str]
) -> dict[str, Any]:
    """The ``room`` section: ``decisions`` is the room's log (each decision put to a participant: tick,
    state, participant, choice, by, model_choice); ``holders`` who held which state at the end."""

    def fought(report: dict[str, Any]) -> set[str]:
        return {sid for sid, entry in report["states"].items() if entry["status"] in FOUGHT}

    def run(report: dict[str, Any]) -> dict[str, Any]:
        kinds = [e["kind"] for e in report["events"]]
        return {
            "result": report["outcome"]["result"],
            "ended_tick": report["outcome"]["ended_tick"],
            "fought": len(fought(report)),
            "honoured": kinds.count("honor"),
            "reneged": kinds.count("renege"),
        }

    order = list(room["states"])
    in_room, in_model = fought(room), fought(model)
    taken = [d for d in decisions if d["by"] == "participant"]
    return {
        "participants": [{"name": name, "state": state} for state, name in sorted(holders.items())],
        "decisions": decisions,
        "taken": len(taken),
        "as_the_model": sum(d["choice"] == d["model_choice"] for d in taken),
        "timed_out": len(decisions) - len(taken),
        "kept_out": [s for s in order if s in in_model and s not in in_room],
        "took_in": [s for s in order if s in in_room and s not in in_model],
        "room": run(room),
        "model": run(model),
    }


def room_lines(section: dict[str, Any], names: dict[str, str]) -> list[str]:
    """The section in sentences, for the debrief (British English, counts read right)."""

    def listed(ids: list[str]) -> str:
        words = [names.get(i, i) for i in ids]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]

    taken, same = section["taken"], section["as_the_model"]
    lines = [
        f"{counted(len(section['participants']), 'participant')} held states; they took "
        f"{counted(taken, 'decision')}, {same} as the model would have and {taken - same} otherwise"
        + (
            f"; the model took {counted(section['timed_out'], 'decision')} when time ran out."
            if section["timed_out"]
            else "."
        )
    ]
    for key, did, model_did in (("kept_out", "kept", "fought"), ("took_in", "took", "stayed out")):
        ids = section[key]
        if ids:
            where = "out of" if key == "kept_out" else "into"
            they = "it" if len(ids) == 1 else "they"
            lines.append(
                f"The room {did} {listed(ids)} {where} the war; in the model's run {they} {model_did}."
            )
    if not section["kept_out"] and not section["took_in"]:
        lines.append("The same states fought as in the model's run.")
    room, model = section["room"], section["model"]
    for label, run in (("In the room", room), ("In the model's run", model)):
        lines.append(
            f"{label}: {run['result'].replace('-', ' ')} at tick {run['ended_tick']}, "
            f"{counted(run['fought'], 'state')} fought, "
            f"{run['honoured']} honoured and {run['reneged']} reneged."
        )
    return lines
