"""Fault-injection harnesses: the CLI in a child process under a memory cap,
killed, or talking to a peer that misbehaves. Shared by the tests that need them."""

from __future__ import annotations

import os
import subprocess
import sys

# a child that caps its own address space before it imports anything of the product
_LIMITED = (
    "import resource, sys\n"
    "limit = int(sys.argv[1]) * 2**20\n"
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "from sandbox.cli import main\n"
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
