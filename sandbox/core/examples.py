"""The bundled example scenarios: ``resources/scenarios/NAME.sandbox``, shipped
as package data of ``sandbox.resources`` and found with importlib.resources."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.core.scenario import Scenario

DEFAULT_EXAMPLE = "july-1914"
SUFFIX = ".sandbox"


class UnknownExampleError(LookupError):
    """No bundled example has that name; the message lists the ones there are."""


@dataclass(frozen=True)
class Example:
    name: str  # the file name without .sandbox, as given to example_path()
    title: str  # meta.title of the file (the name if the file has none)
    path: Path


def scenarios_folder() -> Path:
    """The folder holding the bundled ``.sandbox`` files."""
    return Path(str(resources.files("sandbox.resources") / "scenarios"))


def list_examples() -> list[Example]:
    """Every bundled example, sorted by name. Titles are read without a full
    validation (so listing stays fast); an unreadable file shows its name."""
    folder = scenarios_folder()
    examples = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        examples.append(Example(path.name.removesuffix(SUFFIX), _title(path), path))
    return examples


def _title(path: Path) -> str:
    name = path.name.removesuffix(SUFFIX)
    try:
        meta = json.loads(path.read_bytes()).get("meta", {})
        title = meta.get("title") if isinstance(meta, dict) else None
    except (OSError, ValueError, AttributeError, RecursionError):
        return name
    return title if isinstance(title, str) and title else name


def example_path(name: str) -> Path:
    """The file of the example called ``name``; raises :class:`UnknownExampleError`."""
    path = scenarios_folder() / f"{name}{SUFFIX}"
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        known = ", ".join(e.name for e in list_examples()) or "none"
        raise UnknownExampleError(f"{name}: no such example (bundled: {known})")
    return path


def load_example(name: str) -> Scenario:
    """The example called ``name`` as a Scenario (raises like :func:`example_path`
    and :func:`sandbox.core.io.fileformat.load_scenario`)."""
    from sandbox.core.io.fileformat import load_scenario  # not at the top: listing examples stays light

    return load_scenario(example_path(name))
