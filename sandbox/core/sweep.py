"""Monte Carlo runs and parameter sweeps (always in stochastic mode).

The plan is made first (:func:`plan_runs`): one :class:`RunSpec` per run. With
``--vary`` paths the runs cover the grid of their values (the last path varying
fastest), ``runs`` runs at each grid point. Run ``i`` (counting from 0 over the
whole plan) gets seed ``seed + i``, so any run can be replayed alone with
``run FILE --mode stochastic --seed SEED``. A plan holds at most
:data:`MAX_RUNS` runs, made on demand as they are read. Integer fields
(``settings.max_ticks``, ``states.ID.mobilization``) take whole-number grids
only; grid values are rounded to 12 significant digits, so the scenario gets
the value the CSV shows. A run depends only on the scenario
and its spec, never on which process ran it or in what order, so the rows are
the same whatever the number of workers.

:func:`run_chunk` and :func:`execute_run` are module-level and take plain
data, so any executor (a process pool here, a Dask cluster elsewhere) can run
them, with the chunks of :func:`chunked`; :func:`run_sweep` runs
a plan in-process or on a process pool, in chunks, with progress and cancelling.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.core.io.fileformat import scenario_from_dict, scenario_to_dict
from sandbox.core.rules import NUMBER, SETTING_RULES, STATE_RULES, TREATY_RULES, WHOLE
from sandbox.core.scenario import SETTING_RANGES, Scenario, ScenarioEditError

RESULT_COLUMNS = (
    "result",
    "ended_tick",
    "wars",
    "belligerents",
    "honoured",
    "reneged",
    "deterred",
    "defeated",
    "ticks_at_war",
    "defeated_states",
)
# The numbers a sweep can vary, from the field rules; the ranges are checked by the editing API.
_STATE_FIELDS = tuple(key for key, rule in STATE_RULES.items() if rule.kind in (NUMBER, WHOLE))
_TREATY_FIELDS = tuple(key for key, rule in TREATY_RULES.items() if rule.kind in (NUMBER, WHOLE))
_WHOLE_NUMBERS = tuple(
    key for table in (STATE_RULES, SETTING_RULES) for key, rule in table.items() if rule.kind == WHOLE
)
MAX_RUNS = 1_000_000  # per sweep: the rows of a bigger one would not fit in memory
WORKERS_PER_CORE = 4  # more local worker processes than this only queue for the cores


class SweepError(ValueError):
    """A sweep that cannot be planned; the message names the option at fault."""


class SweepFailed(RuntimeError):
    """A sweep that stopped while running (a worker process ended, a cluster was lost); no rows."""


def max_workers() -> int:
    """The most local worker processes a sweep may ask for on this machine."""
    return WORKERS_PER_CORE * (os.cpu_count() or 1)


@dataclass(frozen=True)
class Vary:
    """One swept parameter: ``steps`` evenly spaced values from ``lo`` to ``hi``."""

    path: str
    lo: float
    hi: float
    steps: int

    def values(self) -> list[float]:
        """The grid, each value rounded to 12 significant digits (0.055, not 0.05500000000000001)."""
        if self.steps == 1:
            return [_clean(self.lo)]
        return [_clean(self.lo + (self.hi - self.lo) * i / (self.steps - 1)) for i in range(self.steps)]

    @property
    def whole(self) -> bool:
        """Whether the path names a whole-number field (its grid must be whole numbers)."""
        return self.path.rpartition(".")[2] in _WHOLE_NUMBERS


def _clean(value: float) -> float:
    return float(f"{value:.12g}")


@dataclass(frozen=True)
class RunSpec:
    """Everything that makes one run: its number, seed, attacks (None: the
    scenario's scripted events) and the swept values as (path, value) pairs."""

    run: int
    seed: int
    attacks: tuple[tuple[str, str], ...] | None
    values: tuple[tuple[str, float], ...] = ()


class RunPlan(Sequence[RunSpec]):
    """The runs of a sweep in order, each made when it is read (indexing and
    slicing as a list), so a plan of a million runs takes no memory."""

    def __init__(
        self,
        runs: int,
        seed: int,
        attacks: tuple[tuple[str, str], ...] | None,
        grid: Sequence[tuple[str, list[float]]],
    ) -> None:
        self.runs, self.seed, self.attacks, self.grid = runs, seed, attacks, list(grid)
        self.total = runs * math.prod(len(values) for _, values in self.grid)

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.total))]
        n = index + self.total if index < 0 else index
        if not 0 <= n < self.total:
            raise IndexError(f"run {index} of a plan of {self.total}")
        point, chosen = n // self.runs, []
        for path, values in reversed(self.grid):  # the last path varies fastest
            point, i = divmod(point, len(values))
            chosen.append((path, values[i]))
        return RunSpec(n, self.seed + n, self.attacks, tuple(reversed(chosen)))


def parse_vary(text: str) -> Vary:
    """``PATH=LO:HI:STEPS`` as a :class:`Vary`; raises :class:`SweepError`."""
    path, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or not path or len(parts) != 3:
        raise SweepError(f"--vary {text}: expected PATH=LO:HI:STEPS, e.g. settings.attrition=0.02:0.1:5")
    try:
        lo, hi = float(parts[0]), float(parts[1])
        steps = int(parts[2])
    except ValueError:
        raise SweepError(f"--vary {text}: LO and HI must be numbers and STEPS a whole number") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or steps < 1:
        raise SweepError(f"--vary {text}: LO and HI must be finite and STEPS at least 1")
    return Vary(path, lo, hi, steps)


def apply_values(scenario: Scenario, values: Sequence[tuple[str, float]]) -> Scenario:
    """A copy of the scenario with each path set to its value (through the
    editing API, so out-of-range values raise ScenarioEditError)."""
    world = scenario.copy()
    for path, value in values:
        section, _, rest = path.partition(".")
        item, _, name = rest.rpartition(".") if section != "settings" else ("", "", rest)
        if name in _WHOLE_NUMBERS:
            value = round(value)
        if section == "settings":
            world.update_settings(**{name: value})
        elif section == "states":
            world.update_state(item, **{name: value})
        else:
            world.update_treaty(item, **{name: value})
    return world


def check_path(scenario: Scenario, path: str) -> None:
    """Raise :class:`SweepError` unless ``path`` names a number of the scenario
    that a sweep can vary: ``settings.NAME``, ``states.ID.FIELD``, ``treaties.ID.FIELD``."""
    section, _, rest = path.partition(".")
    if section == "settings":
        if rest not in SETTING_RANGES:
            raise SweepError(f"--vary {path}: settings that can vary: {', '.join(SETTING_RANGES)}")
        return
    item, _, name = rest.rpartition(".")
    if section == "states":
        if not scenario.has_state(item):
            raise SweepError(f"--vary {path}: unknown state {item!r}")
        if name not in _STATE_FIELDS:
            raise SweepError(f"--vary {path}: state fields that can vary: {', '.join(_STATE_FIELDS)}")
    elif section == "treaties":
        if not scenario.has_treaty(item):
            raise SweepError(f"--vary {path}: unknown treaty {item!r}")
        if name not in _TREATY_FIELDS:
            raise SweepError(f"--vary {path}: treaty fields that can vary: {', '.join(_TREATY_FIELDS)}")
    else:
        raise SweepError(f"--vary {path}: a path starts with settings., states. or treaties.")


def check_attacks(scenario: Scenario, attacks: Sequence[tuple[str, str]]) -> None:
    """Raise :class:`SweepError` unless every (aggressor, target) names two different known states."""
    for aggressor, target in attacks:
        for state_id in (aggressor, target):
            if not scenario.has_state(state_id):
                raise SweepError(f"--attack {aggressor}:{target}: unknown state {state_id!r}")
        if aggressor == target:
            raise SweepError(f"--attack {aggressor}:{target}: a state cannot attack itself")


def plan_runs(
    scenario: Scenario,
    attacks: Sequence[tuple[str, str]] | None,
    runs: int,
    seed: int,
    vary: Sequence[Vary] = (),
) -> RunPlan:
    """The runs of a sweep, checked against the scenario (every path, and both
    ends of every range, are tried on a copy; whole-number fields take whole
    numbers only; at most :data:`MAX_RUNS` in all); raises :class:`SweepError`."""
    if runs < 1:
        raise SweepError(f"--runs {runs}: must be at least 1")
    total = runs * math.prod(item.steps for item in vary)
    if total > MAX_RUNS:
        raise SweepError(
            f"--runs {runs}{''.join(f' --vary {v.path}=...:{v.steps}' for v in vary)}: "
            f"{total:,} runs; a sweep makes at most {MAX_RUNS:,}"
        )
    if attacks is not None:
        check_attacks(scenario, attacks)
    for item in vary:
        check_path(scenario, item.path)
        for value in (item.lo, item.hi):
            try:
                apply_values(scenario, [(item.path, value)])
            except ScenarioEditError as error:
                raise SweepError(
                    f"--vary {item.path}={item.lo:g}:{item.hi:g}:{item.steps}: {error}"
                ) from None
    grid = []
    for item in vary:
        values = item.values()
        if item.whole:
            if not all(value.is_integer() for value in values):
                raise SweepError(
                    f"--vary {item.path}={item.lo:g}:{item.hi:g}:{item.steps}: a whole-number field; "
                    f"LO, HI and the step between values must be whole numbers"
                )
            values = [int(value) for value in values]
        grid.append((item.path, values))
    attack_tuple = None if attacks is None else tuple((a, t) for a, t in attacks)
    return RunPlan(runs, seed, attack_tuple, grid)


def columns(vary: Sequence[Vary] | Sequence[str] = ()) -> list[str]:
    """The CSV columns of a sweep's rows: run, seed, one per path, then the results."""
    return ["run", "seed", *(v if isinstance(v, str) else v.path for v in vary), *RESULT_COLUMNS]


def run_one(scenario: Scenario, spec: RunSpec, compiled: dict | None = None) -> dict[str, Any]:
    """Run one planned run to its end and summarise it as a row (see :func:`columns`):
    ``ended_tick`` is the last tick processed (as in the run report), ``wars`` how many wars the run
    fought (a war merged into another counts once),
    ``belligerents`` the states that fought (still fighting or defeated), and
    ``honoured``, ``reneged`` and ``deterred`` count those decisions; ``defeated`` the states
    that capitulated or were exhausted, ``ticks_at_war`` the ticks in which some war was on, and
    ``defeated_states`` lists the defeated states' ids, space-separated (every other state
    survived the run). Beyond the CSV columns, ``attacks`` counts the attacks tried (deterred
    ones too), ``attacker_lost`` the wars (not merged) whose first attacker lost, and
    ``treaty_obliged`` and ``treaty_honoured`` map each treaty id to
    the states it obliged and those that honoured it (treaties that obliged nobody
    are left out). ``compiled`` caches the scenario compiled at each grid point
    (keyed by ``spec.values``) across the runs given the same dict."""
    import numpy as np  # numpy and the engine load only when a sweep runs

    from sandbox.core.sim import Simulation
    from sandbox.core.sim.state import DEFEATED

    compiled = {} if compiled is None else compiled
    point = compiled.get(spec.values)
    if point is None:
        from sandbox.core.sim import compile_world

        varied = apply_values(scenario, spec.values) if spec.values else scenario
        point = compiled[spec.values] = (varied, compile_world(varied))
    world, arrays = point
    attacks = None if spec.attacks is None else list(spec.attacks)
    simulation = Simulation(
        world, attacks=attacks, seed=spec.seed, mode="stochastic", record=False, world=arrays
    )
    simulation.run()
    row: dict[str, Any] = {"run": spec.run, "seed": spec.seed}
    row.update(spec.values)
    treaty_ids = arrays.treaty_ids
    obliged, honoured = simulation.treaty_obliged.tolist(), simulation.treaty_honoured.tolist()
    defeated = np.flatnonzero(simulation.status == DEFEATED).tolist()
    row.update(
        result=simulation.result,
        ended_tick=simulation.tick - 1,
        wars=sum(war.merged_into is None for war in simulation.wars),
        belligerents=simulation.fought(),
        honoured=simulation.honoured,
        reneged=simulation.reneged,
        deterred=simulation.deterred,
        defeated=len(defeated),
        ticks_at_war=simulation.ticks_at_war,
        defeated_states=" ".join(arrays.ids[i] for i in defeated),
        attacks=len(simulation.attacks),
        attacker_lost=sum(
            war.result == "aggressor-defeated" and war.merged_into is None for war in simulation.wars
        ),
        treaty_obliged={treaty_ids[k]: n for k, n in enumerate(obliged) if n},
        treaty_honoured={treaty_ids[k]: honoured[k] for k, n in enumerate(obliged) if n},
    )
    return row


def run_chunk(
    scenario: Scenario | dict[str, Any], specs: Sequence[RunSpec], compiled: dict | None = None
) -> list[dict[str, Any]]:
    """Rows of several runs of one scenario (given as a Scenario or as its file
    content). Module-level and picklable: the unit of work for any executor.
    The scenario is compiled once per grid point (``compiled`` may carry those
    compiled worlds over from earlier chunks of the same scenario)."""
    if isinstance(scenario, dict):
        scenario = scenario_from_dict(scenario)
    compiled = {} if compiled is None else compiled
    return [run_one(scenario, spec, compiled) for spec in specs]


def execute_run(scenario_dict: dict[str, Any], spec: RunSpec) -> dict[str, Any]:
    """One run from the scenario's file content (picklable: for any executor)."""
    return run_chunk(scenario_dict, [spec])[0]


_worker_scenario: Scenario | None = None  # each worker process builds the scenario once
_worker_compiled: dict = {}  # ... and compiles it once per grid point


def _start_worker(scenario_dict: dict[str, Any]) -> None:
    global _worker_scenario
    _worker_scenario = scenario_from_dict(scenario_dict)
    _worker_compiled.clear()


def _run_chunk_in_worker(specs: list[RunSpec]) -> list[dict[str, Any]]:
    assert _worker_scenario is not None, "worker started without its scenario"
    return run_chunk(_worker_scenario, specs, _worker_compiled)


def chunked(specs: Sequence[RunSpec], workers: int, chunk_size: int | None = None) -> list[list[RunSpec]]:
    """The plan cut into chunks: about four per worker, at most 250 runs each
    (so progress moves and a cancel waits little), unless ``chunk_size`` is given."""
    size = chunk_size or max(1, min(250, math.ceil(len(specs) / (max(1, workers) * 4))))
    return [list(specs[i : i + size]) for i in range(0, len(specs), size)]


Progress = Callable[[int, int], None]
Cancel = threading.Event | Callable[[], bool] | None


def cancel_check(cancel: Cancel) -> Callable[[], bool]:
    """``cancel`` (an Event, a callable returning True when cancelled, or None) as a callable."""
    return cancel.is_set if hasattr(cancel, "is_set") else (cancel or (lambda: False))


def run_sweep(
    scenario: Scenario,
    specs: Sequence[RunSpec],
    *,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: Cancel = None,
    chunk_size: int | None = None,
) -> list[dict[str, Any]]:
    """Run the planned runs, ``workers`` processes at a time (1: in this process),
    and return their rows sorted by run. ``progress(done, total)`` is called in
    the calling thread after each chunk. When ``cancel`` is set (an Event, or a
    callable returning True) no new chunk starts and the rows finished so far
    are returned."""
    is_cancelled = cancel_check(cancel)
    total = len(specs)
    chunks = chunked(specs, workers, chunk_size)
    rows: list[dict[str, Any]] = []
    if workers <= 1:
        compiled: dict = {}  # one compiled world per grid point for the whole sweep, as in a worker
        for chunk in chunks:
            if is_cancelled():
                break
            rows.extend(run_chunk(scenario, chunk, compiled))
            if progress:
                progress(len(rows), total)
        return rows
    if workers > max_workers():
        raise SweepError(f"workers: at most {max_workers()} ({WORKERS_PER_CORE} per core), got {workers}")
    # here, not at the top: `run` checks its attacks with this module and must start fast
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: the caller may be a threaded app, where fork can deadlock
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(scenario_to_dict(scenario),)
    ) as pool:
        pending = {pool.submit(_run_chunk_in_worker, chunk) for chunk in chunks}
        try:
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    rows.extend(future.result())
                if done and progress:
                    progress(len(rows), total)
                if is_cancelled():
                    break
        except BrokenProcessPool:
            raise SweepFailed(
                "a worker process ended before its runs were done (killed, or out of memory)"
            ) from None
        finally:
            for future in pending:
                future.cancel()
    return sorted(rows, key=lambda row: row["run"])
