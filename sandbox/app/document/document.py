"""The open scenario of one window: its file, its undo stack, autosave and recovery.

``Document.scenario`` is replaced (never mutated in place) by New, Open, Revert
and a restore; ``scenario_replaced`` tells the views to redraw. ``Document.signals``
passes on the notifications of whichever scenario is open, so a view connects once
(:func:`connect_view`) and never follows a scenario by hand. Edits go
through ``undo_stack``. The scenario is written to a recovery file a few seconds
after a change, and at the latest a few seconds after the first unsaved change
however fast the edits come; a later session offers to restore it if this one
dies. While a session lives it holds a lock beside its recovery file (the
system drops it when the process ends), so a recovery whose process id has
been reused by another process is still offered.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import BuiltinMethodType
from typing import Any

from psygnal import SignalInstance
from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QUndoStack

from sandbox.app.document.selection import Selection
from sandbox.core.io.fileformat import atomic_write, dumps_scenario, load_scenario, save_scenario
from sandbox.core.processes import process_alive
from sandbox.core.scenario import Scenario
from sandbox.core.signals import ScenarioSignals

AUTOSAVE_DELAY_MS = 3000  # after the last change, or
AUTOSAVE_MAX_WAIT_MS = 4000  # after the first unsaved change, whichever comes first
LARGE_RECOVERY_BYTES = 1 << 20  # recovery files larger than this are written on a worker thread
# a recovery file is the product's own copy of a world in memory, which may have grown past the
# 64 MiB a scenario file may have: it is read back up to this size, so that what autosave wrote restores
RECOVERY_MAX_BYTES = 1 << 30
MAX_RECENT_FILES = 8
_sessions = 0  # windows opened by this process: one recovery file each
_open_documents: weakref.WeakSet[Document] = weakref.WeakSet()  # for open_scenario_files()


def default_recovery_dir() -> Path:
    """Where recovery files live: the app's data folder, ``recovery/``."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on an open file without waiting; False if another holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class SessionLock:
    """A lock file held while its session lives; the system releases it when the process ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> None:
        if self.fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if not _try_lock(fd):
                os.close(fd)
                raise OSError(f"{self.path}: held by another session")
            self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
            self.path.unlink(missing_ok=True)


def lock_held(path: Path) -> bool:
    """Whether a live session holds the lock file ``path`` (this process's own sessions too)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)  # and with it the lock just taken


def open_scenario_files() -> list[str]:
    """The files of the scenarios open in this process's windows (an export must not overwrite one)."""
    return [document.path for document in list(_open_documents) if document.path]


@dataclass
class Recovery:
    """A recovery file left by a session whose process is gone."""

    scenario_file: Path
    info_file: Path
    original_path: str | None
    saved_at: float
    title: str

    def discard(self) -> None:
        for path in (self.scenario_file, self.info_file, self.scenario_file.with_suffix(".lock")):
            path.unlink(missing_ok=True)


def orphaned_recoveries(folder: Path) -> list[Recovery]:
    """Recovery files whose session has ended, newest first: its lock is no longer held
    (a file without a lock, from an earlier version: its process id no longer runs)."""
    found = []
    for info_file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            info = json.loads(info_file.read_text(encoding="utf-8"))
            pid = int(info["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        scenario_file = info_file.with_suffix(".sandbox")
        lock_file = info_file.with_suffix(".lock")
        alive = lock_held(lock_file) if lock_file.exists() else process_alive(pid)
        if alive or not scenario_file.exists():
            continue
        found.append(
            Recovery(
                scenario_file, info_file, info.get("path"), float(info.get("time", 0)), info.get("title", "")
            )
        )
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def connect_view(signal: SignalInstance, slot: Callable[..., Any]) -> None:
    """Connect a Qt view's bound method to a core signal. psygnal holds it weakly, so a view Python
    has collected is dropped; one Qt has deleted while Python still holds it (in a reference cycle
    not yet collected) is dropped when Qt destroys it, before a notification could reach it.
    A Qt method (a timer's ``start``), whose arguments Python cannot read, is called with none."""
    if isinstance(slot, BuiltinMethodType):
        signal.connect(slot, check_nargs=False, max_args=0)
    else:
        signal.connect(slot)
    owner = slot.__self__
    owner.destroyed.connect(lambda *_: signal.disconnect(slot))


class Document(QObject):
    """A scenario with its path, undo stack and autosave.

    Signals: ``scenario_replaced(scenario)`` after New/Open/Revert/restore;
    ``path_changed(path_or_None)`` when the file name changes; ``signals``, the open scenario's
    own notifications (:class:`sandbox.core.signals.ScenarioSignals`) passed on; ``selection``,
    the window's :class:`Selection`, cleared when the scenario is replaced."""

    scenario_replaced = Signal(object)
    path_changed = Signal(object)

    def __init__(
        self, scenario: Scenario, path: str | None = None, recovery_dir: Path | None = None, parent=None
    ):
        super().__init__(parent)
        global _sessions
        _sessions += 1
        self.scenario = scenario
        self.path: str | None = path
        self.undo_stack = QUndoStack(self)
        self.recovery_dir = Path(recovery_dir) if recovery_dir else default_recovery_dir()
        self.recovery_file = self.recovery_dir / f"session-{os.getpid()}-{_sessions}.sandbox"
        self.session_lock = SessionLock(self.recovery_file.with_suffix(".lock"))
        self.autosave_delay_ms, self.autosave_max_wait_ms = AUTOSAVE_DELAY_MS, AUTOSAVE_MAX_WAIT_MS
        self.autosave_timer = QTimer(self, singleShot=True)
        self.autosave_timer.timeout.connect(self.autosave)
        self._unsaved_since: float | None = None  # monotonic time of the first change not autosaved
        self._writer: ThreadPoolExecutor | None = None  # for large recovery files, made on first use
        self._pending: Future | None = None
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.signals = ScenarioSignals()
        self.selection = Selection(self)
        scenario.signals.relay(self.signals)
        self.signals.changed.connect(self._on_scenario_changed)
        _open_documents.add(self)

    # -- state -----------------------------------------------------------------

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def display_name(self) -> str:
        return Path(self.path).name if self.path else "Untitled"

    def replace(self, scenario: Scenario, path: str | None, *, modified: bool = False) -> None:
        """Make ``scenario`` the document (clears undo); ``modified`` keeps it marked unsaved."""
        self.scenario.signals.relay(self.signals, on=False)
        self.scenario = scenario
        self.undo_stack.clear()
        self.undo_stack.setClean()
        if modified:
            self.undo_stack.resetClean()
        scenario.signals.relay(self.signals)
        self.selection.clear()
        self._set_path(path)
        self.scenario_replaced.emit(scenario)
        if modified:
            self._schedule_autosave()
        else:
            self.discard_recovery()

    def _set_path(self, path: str | None) -> None:
        self.path = str(path) if path else None
        self.path_changed.emit(self.path)

    # -- files -------------------------------------------------------------------

    def open(self, path: str) -> None:
        """Load ``path``; raises ScenarioFileError and keeps the open scenario on bad input."""
        scenario = load_scenario(path)
        self.replace(scenario, str(Path(path).resolve()))

    def save(self, path: str | None = None) -> None:
        """Write the scenario atomically to ``path`` (default: its own) and mark it clean."""
        target = str(Path(path or self.path).resolve())
        save_scenario(self.scenario, target)
        if target != self.path:
            self._set_path(target)
        self.undo_stack.setClean()
        self.discard_recovery()

    # -- autosave ------------------------------------------------------------------

    def _on_scenario_changed(self) -> None:
        self._schedule_autosave()

    def _schedule_autosave(self) -> None:
        """Autosave ``autosave_delay_ms`` after this change, but no later than
        ``autosave_max_wait_ms`` after the first change since the last autosave (a debounce
        with a ceiling: a recovery file within 5 s however fast the edits come)."""
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        left = self.autosave_max_wait_ms - (now - self._unsaved_since) * 1000
        self.autosave_timer.start(max(0, int(min(self.autosave_delay_ms, left))))

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.discard_recovery()

    def autosave(self) -> None:
        """Write the recovery file and its side file (pid, original path, time) atomically,
        a large one on a worker thread; a clean document has none."""
        self._unsaved_since = None
        if not self.modified:
            self.discard_recovery()
            return
        self.recovery_dir.mkdir(parents=True, exist_ok=True)
        self.session_lock.acquire()
        text = dumps_scenario(self.scenario)
        info = {"pid": os.getpid(), "path": self.path, "time": time.time(), "title": self.scenario.meta.title}
        if len(text) <= LARGE_RECOVERY_BYTES:
            self._write_recovery(text, info)
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._pending = self._writer.submit(self._write_recovery, text, info)

    def _write_recovery(self, text: str, info: dict) -> None:
        atomic_write(self.recovery_file, text)
        atomic_write(self.recovery_file.with_suffix(".json"), json.dumps(info))

    def discard_recovery(self) -> None:
        self.autosave_timer.stop()
        self._unsaved_since = None
        if self._pending is not None:
            with contextlib.suppress(OSError):
                self._pending.result()  # a write in flight would bring the file back
            self._pending = None
        for path in (self.recovery_file, self.recovery_file.with_suffix(".json")):
            path.unlink(missing_ok=True)
        self.session_lock.release()

    def restore(self, recovery: Recovery) -> None:
        """Open a recovery file as this document: marked modified, with its original path."""
        scenario = load_scenario(recovery.scenario_file, RECOVERY_MAX_BYTES)
        self.replace(scenario, recovery.original_path, modified=True)
        recovery.discard()


class RecentFiles:
    """The recent-files list kept in QSettings: newest first, at most 8, missing files dropped."""

    KEY = "recentFiles"

    def __init__(self, settings: QSettings):
        self.settings = settings

    def files(self) -> list[str]:
        stored = self.settings.value(self.KEY, [], type=list) or []
        existing = [p for p in stored if Path(p).is_file()][:MAX_RECENT_FILES]
        if existing != stored:
            self.settings.setValue(self.KEY, existing)
        return existing

    def add(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path, *(p for p in self.files() if p != path)][:MAX_RECENT_FILES]
        self.settings.setValue(self.KEY, files)

    def clear(self) -> None:
        self.settings.setValue(self.KEY, [])
