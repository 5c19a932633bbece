"""Where an export may write: anywhere but the file of a scenario open in a window.

Every export of the app (report, event log, charts, graph, experiment runs) writes through
:func:`write`, or checks with :func:`refuse_open_scenario` first; a refusal is an OSError, which the
export's dialog shows as "Export failed" with the reason.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from sandbox.app.document.document import open_scenario_files
from sandbox.core.io.fileformat import atomic_write


class OverwritesScenario(OSError):
    """An export aimed at the file of a scenario that is open: refused before anything is written."""

    def __init__(self, path: str | Path, scenario_file: str) -> None:
        super().__init__(
            errno.EEXIST,
            f"is the open scenario {Path(scenario_file).name}; an export would overwrite it, "
            "so choose another name",
            str(path),
        )

    def __str__(self) -> str:
        return self.strerror


def refuse_open_scenario(path: str | Path) -> None:
    """Raise :class:`OverwritesScenario` if ``path`` is (or links to) the file of an open scenario."""
    target = os.path.realpath(path)
    for scenario_file in open_scenario_files():
        same = os.path.realpath(scenario_file) == target
        if same or (
            os.path.exists(path) and os.path.exists(scenario_file) and os.path.samefile(path, scenario_file)
        ):
            raise OverwritesScenario(path, scenario_file)


def write(path: str | Path, data: str | bytes) -> None:
    """Write an export atomically, refusing the file of an open scenario (:class:`OverwritesScenario`)."""
    refuse_open_scenario(path)
    atomic_write(path, data)
