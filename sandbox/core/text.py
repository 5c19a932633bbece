"""Text from a file is data: control characters are shown escaped wherever the product
prints or draws text (terminal, event log, canvas); reports keep it as it is (JSON escapes it)."""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """``text`` with each control character escaped (``\\n``, ``\\x1b``, ``\\u202e``): safe to show."""
    if text.isprintable():  # most text: nothing to escape
        return text
    return _CONTROL.sub(_escape, text)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for one: "1 tick", "2 ticks", "1 treaty", "3 treaties"."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {plural or (noun[:-1] + 'ies' if noun.endswith('y') else noun + 's')}"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
