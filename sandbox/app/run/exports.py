"""What a run leaves behind: its report as JSON, its narration as text or Markdown, pictures as PNG.

Pure functions from the engine's data to text, plus saving (:func:`write`, from
:mod:`sandbox.app.document.exports`: atomic, and never over a scenario open in a window); the
dialogs that ask for a file name live with the views that offer the export, and show a refused or
failed write as "Export failed" with the reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from sandbox.app.document.exports import write
from sandbox.app.style.vocabulary import kind_label


def png_bytes(image: QImage) -> bytes:
    """The image as PNG bytes."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


LOG_SUFFIXES = (".txt", ".md")


def event_log_text(events: Iterable[Any], title: str = "") -> str:
    """One line per event: ``tick 3  [Honours]  Russia honours ...``."""
    lines = [title, "=" * len(title), ""] if title else []
    lines += [f"tick {event.tick:>3}  [{kind_label(event.kind)}]  {event.text}" for event in events]
    return "\n".join(lines) + "\n"


def event_log_markdown(events: Iterable[Any], title: str = "") -> str:
    """A Markdown table (tick, kind, event) under a heading naming the run."""
    lines = [f"# {_md(title)}", ""] if title else []
    lines += ["| Tick | Kind | Event |", "|---:|---|---|"]
    lines += [f"| {event.tick} | {_md(kind_label(event.kind))} | {_md(event.text)} |" for event in events]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def report_json(report: Mapping[str, Any]) -> str:
    """SPEC.md's run report as indented JSON; NaN or infinity become null (strict JSON)."""
    return json.dumps(_finite(report), indent=2, ensure_ascii=False) + "\n"


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _finite(value.tolist())
    return value


def save_report(report: Mapping[str, Any], path: str | Path) -> None:
    write(path, report_json(report))


def save_event_log(events: Iterable[Any], path: str | Path, title: str = "") -> None:
    """Write the log as Markdown for a ``.md`` path, plain text otherwise."""
    render = event_log_markdown if str(path).lower().endswith(".md") else event_log_text
    write(path, render(events, title))
