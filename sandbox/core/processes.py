"""Whether a process runs: the owner of a recovery file, or of a temp file left by a write."""

from __future__ import annotations

import os
import sys


def process_alive(pid: int) -> bool:
    """True while a process with this id runs (the owner of a recovery file)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
