"""Run a sweep on an existing Dask cluster instead of local worker processes.

The work is the local sweep's own (:mod:`sandbox.core.sweep`): the same plan, the same chunks
(:func:`~sandbox.core.sweep.chunked`) and the same picklable :func:`~sandbox.core.sweep.run_chunk`,
so a run's row depends only on the scenario and its spec and the rows are identical to a local
sweep's for the same seeds. ``distributed`` is an optional dependency (the ``cluster`` extra),
imported only when a scheduler address is given.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from typing import Any

from sandbox.core.io.fileformat import scenario_to_dict
from sandbox.core.scenario import Scenario
from sandbox.core.sweep import Cancel, Progress, RunSpec, SweepFailed, cancel_check, chunked, run_chunk

POLL_SECONDS = 0.05  # how often cancellation and progress are checked while chunks run
CONNECT_SECONDS = 5.0  # for the whole handshake: a peer that accepts and never answers is given up
CLUSTER_CHUNKS_PER_WORKER = 2  # the cluster's workers are counted from the scheduler
# [tcp:// or tls://]HOST:PORT, HOST a name, an IPv4 address or a bracketed IPv6 one
ADDRESS = re.compile(r"((tcp|tls)://)?([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})")


class ClusterError(SweepFailed):
    """The cluster could not be used: not installed, unreachable, lost, or a chunk failed there."""


def check_address(address: str) -> None:
    """Refuse at once (ClusterError) an address that is not [tcp://|tls://]HOST:PORT."""
    match = ADDRESS.fullmatch(address)
    if not match or not 0 < int(match.group(4)) < 65536:
        raise ClusterError("not a scheduler address; expected tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786")


def _connect(address: str, seconds: float) -> Any:
    """A Client of the scheduler at ``address``, the whole handshake within ``seconds``. A peer that
    accepts the connection and never answers leaves a daemon thread waiting, not the caller."""
    from distributed import Client

    outcome: list[Any] = []

    def connect() -> None:
        try:
            outcome.append(Client(address, timeout=seconds, set_as_default=False))
        except Exception as error:  # whatever it was, the caller reports it
            outcome.append(error)

    thread = threading.Thread(target=connect, name="dask-connect", daemon=True)
    thread.start()
    thread.join(seconds + 1.0)
    if not outcome:
        raise ClusterError(f"no answer from a Dask scheduler at {address} within {seconds:g} s")
    if isinstance(outcome[0], Exception):
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {outcome[0]}") from outcome[0]
    return outcome[0]


def run_sweep_on_dask(
    address: str,
    scenario: Scenario,
    specs: Sequence[RunSpec],
    *,
    progress: Progress | None = None,
    cancel: Cancel = None,
    chunk_size: int | None = None,
    connect_seconds: float | None = None,
) -> list[dict[str, Any]]:
    """Like :func:`sandbox.core.sweep.run_sweep`, on the Dask scheduler at ``address``
    (``tcp://HOST:PORT``): returns the rows sorted by run; ``progress(done, total)`` counts runs;
    when ``cancel`` is set every pending chunk is cancelled on the cluster and the rows finished
    so far are returned. The scenario is sent to the workers once. Raises :class:`ClusterError`
    when Dask is missing, the scheduler cannot be reached, or a chunk fails there."""
    check_address(address)
    try:
        import distributed
    except ImportError as error:
        raise ClusterError(
            "running on a Dask cluster needs the 'cluster' extra: "
            "pip install 'collective-security-sandbox[cluster]'"
        ) from error
    is_cancelled = cancel_check(cancel)
    client = _connect(address, connect_seconds or CONNECT_SECONDS)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = chunked(specs, workers * CLUSTER_CHUNKS_PER_WORKER, chunk_size)
        shared = client.scatter(scenario_to_dict(scenario), broadcast=True)
        futures = [client.submit(run_chunk, shared, chunk, pure=False) for chunk in chunks]
        return _collect(client, futures, len(specs), progress, is_cancelled)
    except (OSError, TimeoutError, distributed.CancelledError) as error:
        raise ClusterError(f"lost the Dask scheduler at {address}: {error}") from None
    finally:
        _close(client)


def _collect(client: Any, futures: list[Any], total: int, progress, is_cancelled) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    pending = list(futures)
    while pending:
        if is_cancelled():
            client.cancel(pending)
            break
        if client.status not in ("running", "connecting"):
            raise ClusterError("lost the Dask scheduler (the connection closed)")
        finished = [future for future in pending if future.done()]
        for future in finished:
            if future.status == "error":
                client.cancel(pending)
                raise ClusterError(f"a chunk failed on the cluster: {future.exception()!r}")
            if future.status != "finished":  # cancelled: the connection to the scheduler was lost
                raise ClusterError("lost the Dask scheduler (its work was cancelled)")
            rows.extend(future.result())
        finished_ids = {id(future) for future in finished}
        pending = [future for future in pending if id(future) not in finished_ids]
        if finished and progress:
            progress(len(rows), total)
        if pending:
            time.sleep(POLL_SECONDS)
    return sorted(rows, key=lambda row: row["run"])


def _close(client: Any) -> None:
    """Close the client, quietly and without waiting long if its scheduler is gone."""
    import contextlib
    import logging

    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # "Failed to reconnect to scheduler": the caller says it
    try:
        with contextlib.suppress(Exception):
            client.close(timeout=2)
    finally:
        quiet.setLevel(level)
