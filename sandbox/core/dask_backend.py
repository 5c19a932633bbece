"""Run a sweep on an existing Dask cluster instead of local worker processes.

The work is the local sweep's own (:mod:`sandbox.core.sweep`): the same plan, the same chunks
(:func:`~sandbox.core.sweep.chunked`) and the same picklable :func:`~sandbox.core.sweep.run_chunk`,
so a run's row depends only on the scenario and its spec and the rows are identical to a local
sweep's for the same seeds. ``distributed`` is an optional dependency (the ``cluster`` extra),
imported only when a scheduler address is given.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sandbox.core.fileformat import scenario_to_dict
from sandbox.core.scenario import Scenario
from sandbox.core.sweep import Cancel, Progress, RunSpec, cancel_check, chunked, run_chunk

POLL_SECONDS = 0.05  # how often cancellation and progress are checked while chunks run
CONNECT_SECONDS = 5.0
CLUSTER_CHUNKS_PER_WORKER = 2  # the cluster's workers are counted from the scheduler


class ClusterError(RuntimeError):
    """The cluster could not be used: not installed, unreachable, or a chunk failed there."""


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
    try:
        from distributed import Client
    except ImportError as error:
        raise ClusterError(
            "running on a Dask cluster needs the 'cluster' extra: "
            "pip install 'collective-security-sandbox[cluster]'"
        ) from error
    is_cancelled = cancel_check(cancel)
    try:
        client = Client(address, timeout=connect_seconds or CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from error
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = chunked(specs, workers * CLUSTER_CHUNKS_PER_WORKER, chunk_size)
        shared = client.scatter(scenario_to_dict(scenario), broadcast=True)
        futures = [client.submit(run_chunk, shared, chunk, pure=False) for chunk in chunks]
        return _collect(client, futures, len(specs), progress, is_cancelled)
    finally:
        client.close()


def _collect(client: Any, futures: list[Any], total: int, progress, is_cancelled) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    pending = list(futures)
    while pending:
        if is_cancelled():
            client.cancel(pending)
            break
        finished = [future for future in pending if future.done()]
        for future in finished:
            if future.status == "error":
                client.cancel(pending)
                raise ClusterError(f"a chunk failed on the cluster: {future.exception()!r}")
            rows.extend(future.result())
        finished_ids = {id(future) for future in finished}
        pending = [future for future in pending if id(future) not in finished_ids]
        if finished and progress:
            progress(len(rows), total)
        if pending:
            time.sleep(POLL_SECONDS)
    return sorted(rows, key=lambda row: row["run"])
