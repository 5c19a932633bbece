"""The room's messages (SPEC.md, "Room"): what a participant may send, checked before anything acts on it.

Every message is one JSON object of at most :data:`MAX_MESSAGE` bytes. :func:`parse` returns a
:class:`Message` or raises :class:`BadMessage` with a sentence to send back; nothing a participant
sends is ever evaluated, used as a path or stored beyond its name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE = 4096  # bytes, SPEC.md
MAX_NAME = 24  # characters of a participant's name
CHOICES = ("honour", "renege")
CODE_PATTERN = re.compile(r"[A-Za-z0-9]{4,12}")

# each message type and its fields: name -> (type, required); a field not listed is refused
FIELDS: dict[str, dict[str, tuple[type | tuple[type, ...], bool]]] = {
    "join": {"code": (str, True), "name": (str, True), "state": ((str, type(None)), False)},
    "rejoin": {"token": (str, True)},
    "pick": {"token": (str, True), "state": ((str, type(None)), True)},
    "decision": {"token": (str, True), "choice": (str, True)},
    "start": {"token": (str, True)},
}
TYPE_NAMES = {str: "a string", type(None): "null"}


class BadMessage(ValueError):
    """A message the room refuses; ``str()`` is the sentence sent back."""


@dataclass(frozen=True)
class Message:
    type: str
    fields: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.fields.get(key)


def parse(raw: str | bytes) -> Message:
    """One participant message, checked: size, JSON, an object, a known type, the fields and their types."""
    if isinstance(raw, bytes):
        raise BadMessage("messages are JSON text, not binary")
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_MESSAGE:
        raise BadMessage(f"message too long: {size} bytes, at most {MAX_MESSAGE}")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise BadMessage(f"not valid JSON: {_first_line(error)}") from None
    if not isinstance(data, dict):
        raise BadMessage("a message is one JSON object")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in FIELDS:
        known = ", ".join(FIELDS)
        raise BadMessage(f"unknown message type {_shown(kind)}: expected one of {known}")
    fields = FIELDS[kind]
    for key in data:
        if key != "type" and key not in fields:
            raise BadMessage(f"{kind}: unknown field {_shown(key)}")
    for key, (expected, required) in fields.items():
        if key not in data:
            if required:
                raise BadMessage(f"{kind}: missing field {key!r}")
            continue
        if not isinstance(data[key], expected):
            wanted = " or ".join(
                TYPE_NAMES[t] for t in (expected if isinstance(expected, tuple) else (expected,))
            )
            raise BadMessage(f"{kind}: {key} must be {wanted}")
    if kind == "decision" and data["choice"] not in CHOICES:
        raise BadMessage(f"decision: choice must be 'honour' or 'renege', got {_shown(data['choice'])}")
    if kind == "join":
        data["name"] = clean_name(data["name"])
    return Message(kind, {k: v for k, v in data.items() if k != "type"})


def valid_code(code: str) -> bool:
    """A join code a facilitator may choose: 4 to 12 letters and digits (read in either case)."""
    return CODE_PATTERN.fullmatch(code) is not None


def clean_name(name: str) -> str:
    """A participant's name as shown: stripped, at most MAX_NAME characters, no control or format
    characters (which could hide or reorder text on the projector)."""
    name = " ".join(name.split())
    if not name:
        raise BadMessage("join: give a name")
    if len(name) > MAX_NAME:
        raise BadMessage(f"join: a name has at most {MAX_NAME} characters")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise BadMessage("join: a name cannot hold control characters")
    return name


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not JSON")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:120]


def _shown(value: Any) -> str:
    """A value from a message, short and safe to echo."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."
