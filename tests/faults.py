"""Fault-injection harnesses: the CLI in a child process under a memory cap,
killed, or talking to a peer that misbehaves. Shared by the tests that need them."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

# a child that caps its own address space before it imports anything of the product
_LIMITED = (
    "import resource, sys\n"
    "limit = int(sys.argv[1]) * 2**20\n"
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "from sandbox.cli.commands import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def cli_env() -> dict[str, str]:
    """The environment of a CLI child: one BLAS thread (its buffers would count against a cap)."""
    return {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def run_cli_limited(argv: list[str], memory_mib: int, timeout: float = 300) -> subprocess.CompletedProcess:
    """``security-sandbox-cli ARGV`` with its address space capped at ``memory_mib`` (resource.setrlimit)."""
    return subprocess.run(
        [sys.executable, "-c", _LIMITED, str(memory_mib), *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(),
    )


# a session that edits its document every half second until it is killed; it prints each edit
_EDITING_SESSION = (
    "import sys\n"
    "from pathlib import Path\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication([])\n"
    "from sandbox.app.editing.commands import UpdateStateCommand\n"
    "from sandbox.app.document.document import Document\n"
    "from sandbox.core.scenario import Scenario, State\n"
    "document = Document(Scenario([State('GER', 'Germany', 1.0)]), None, Path(sys.argv[1]))\n"
    "edits = iter(range(2, 10**9))\n"
    "def edit():\n"
    "    power = float(next(edits))\n"
    "    document.undo_stack.push(UpdateStateCommand(document.scenario, 'GER', power=power))\n"
    "    print(power, flush=True)\n"
    "timer = QTimer(interval=500, timeout=edit)\n"
    "timer.start()\n"
    "app.exec()\n"
)


def editing_session(recovery_dir) -> subprocess.Popen:
    """A child app session editing every 0.5 s (Germany's power 2, 3, 4, ...; each printed
    as it is made) with its recovery files in ``recovery_dir``; kill it to simulate a crash."""
    return subprocess.Popen(
        [sys.executable, "-c", _EDITING_SESSION, str(recovery_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env={**cli_env(), "QT_QPA_PLATFORM": "offscreen"},
    )


# a Dask scheduler with one in-process worker, in a child process that a test can kill
_SCHEDULER = (
    "import time\n"
    "from distributed import LocalCluster\n"
    "cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol='tcp',\n"
    "                       host='127.0.0.1', dashboard_address=None)\n"
    "print(cluster.scheduler_address, flush=True)\n"
    "time.sleep(3600)\n"
)


@contextlib.contextmanager
def scheduler_process() -> Iterator[tuple[subprocess.Popen, str]]:
    """A Dask scheduler (and its worker) in a child process: yields (process, address); kill the
    process to lose the scheduler mid-sweep. Killed at the end in any case."""
    child = subprocess.Popen(
        [sys.executable, "-c", _SCHEDULER], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield child, child.stdout.readline().strip()
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


@contextlib.contextmanager
def silent_peer() -> Iterator[str]:
    """A TCP server that accepts connections and never says a word: yields its tcp:// address."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()
