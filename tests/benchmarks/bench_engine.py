"""Engine benchmarks (on demand: ``.venv/bin/python tests/benchmarks/bench_engine.py [N...]``).

:func:`generate_world` builds the synthetic worlds that the CLI benchmarks
import too. Targets (whole process, measured by the CLI helper): 2,000 states
in 0.4 s, 20,000 in 3 s, 200,000 states with 1,000,000 ties in 30 s and 2 GB;
one run of a 9-state scenario about 2-3 ms; a July 1914 sweep run about 1 ms of CPU.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np

from sandbox.core.scenario import Conditions, Decision, Meta, Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.sim import Simulation

# bilateral treaty types and their shares
_MIX = (
    ("defense", 0.40),
    ("guarantee", 0.10),
    ("offense", 0.05),
    ("neutrality", 0.10),
    ("non-aggression", 0.15),
    ("entente", 0.20),
)


# multilateral pact types and their shares
_PACT_MIX = (
    ("defense", 0.40),
    ("offense", 0.05),
    ("neutrality", 0.15),
    ("non-aggression", 0.20),
    ("entente", 0.20),
)


def _states(ids, power, reliability, mobilization, x, y) -> list[State]:
    return [
        State(
            sid,
            f"State {i}",
            float(power[i]),
            reliability=float(reliability[i]),
            mobilization=int(mobilization[i]),
            position=(float(x[i]), float(y[i])),
        )
        for i, sid in enumerate(ids)
    ]


def generate_world(n_states: int, ties_per_state: int = 5, seed: int = 0) -> Scenario:
    """A world of ``n_states`` states on a square grid with about ``ties_per_state``
    ties per state between near neighbours (within two rows and columns): a fifth
    of them bilateral treaties of every type, the rest five-member pacts (ten ties
    each, so a million ties fit in a file under 64 MiB), plus one
    collective-security organisation of all states with three veto holders, and
    one scripted attack at tick 0: the fourth strongest state (no veto) attacks its
    strongest grid neighbour. Deterrence is off so the cascade runs."""
    rng = np.random.default_rng(seed)
    width = max(1, int(np.ceil(np.sqrt(n_states))))
    power = np.round(rng.lognormal(1.0, 1.0, n_states), 3) + 0.01
    reliability = np.round(rng.uniform(0.3, 1.0, n_states), 3)
    mobilization = rng.integers(0, 4, n_states)
    ids = [f"S{i}" for i in range(n_states)]
    x, y = 40 * (np.arange(n_states) % width), 40 * (np.arange(n_states) // width)
    states = _states(ids, power, reliability, mobilization, x, y)
    total_ties = ties_per_state * n_states
    n_bilateral = total_ties // 5
    n_pacts = (total_ties - n_bilateral) // 10
    treaties: list[Treaty] = []
    # bilateral: a random state and a random nearby grid cell
    a = rng.integers(0, n_states, n_bilateral)
    b = a + rng.integers(-2, 3, n_bilateral) + width * rng.integers(-2, 3, n_bilateral)
    keep = (b >= 0) & (b < n_states) & (a != b)
    a, b = a[keep], b[keep]
    kinds = rng.choice(len(_MIX), size=len(a), p=[share for _, share in _MIX])
    commitment = np.round(rng.uniform(0.5, 1.0, len(a)), 2)
    for k, (x, y, kind, c) in enumerate(
        zip(a.tolist(), b.tolist(), kinds.tolist(), commitment.tolist(), strict=True)
    ):
        type_ = _MIX[kind][0]
        if type_ == "guarantee":
            treaties.append(
                Treaty(f"T{k}", f"T{k}", type_, members=[ids[y]], guarantors=[ids[x]], commitment=c)
            )
        else:
            # unprovoked_only only where MODEL.md's table takes it (elsewhere it is bad input)
            conditions = Conditions(unprovoked_only=type_ in ("defense", "neutrality") and k % 7 == 0)
            treaties.append(
                Treaty(f"T{k}", f"T{k}", type_, [ids[x], ids[y]], commitment=c, conditions=conditions)
            )
    # pacts: a random state and four nearby cells
    heads = rng.integers(0, n_states, n_pacts)
    around = np.array([dr * width + dc for dr in range(-2, 3) for dc in range(-2, 3) if dr or dc])
    offsets = around[np.argsort(rng.random((n_pacts, len(around))), axis=1)[:, :4]]  # four distinct cells
    cells = np.clip(heads[:, None] + offsets, 0, n_states - 1)
    kinds = rng.choice(len(_PACT_MIX), size=n_pacts, p=[share for _, share in _PACT_MIX])
    commitment = np.round(rng.uniform(0.5, 1.0, n_pacts), 2)
    for k, (head, near, kind, c) in enumerate(
        zip(heads.tolist(), cells.tolist(), kinds.tolist(), commitment.tolist(), strict=True)
    ):
        members = sorted({head, *near})
        if len(members) >= 2:
            treaties.append(
                Treaty(f"P{k}", f"P{k}", _PACT_MIX[kind][0], [ids[m] for m in members], commitment=c)
            )
    if n_states >= 4:
        veto = [ids[i] for i in np.argsort(-power)[:3].tolist()]
        treaties.append(
            Treaty(
                "un",
                "United Nations",
                "collective-security",
                members=list(ids),
                commitment=0.5,
                decision=Decision("veto", veto),
            )
        )
    events = []
    if n_states >= 2:
        aggressor = int(np.argsort(-power)[min(3, n_states - 1)])
        row, col = divmod(aggressor, width)
        around = [
            r * width + c
            for r in (row - 1, row, row + 1)
            for c in (col - 1, col, col + 1)
            if r >= 0 and 0 <= c < width and r * width + c < n_states and r * width + c != aggressor
        ]
        target = max(around, key=lambda i: power[i])
        events.append(ScriptedEvent(0, ids[aggressor], ids[target]))
    return Scenario(
        states,
        treaties,
        [],
        events,
        Settings(seed=seed, deterrence=False),
        Meta(title=f"Generated world of {n_states} states"),
    )


def generate_hub_world(n_states: int, ties_per_state: int = 5, seed: int = 0) -> Scenario:
    """A world that keeps the cascade going: ``n_states`` states linked by preferential attachment (each
    new state ties itself to earlier ones chosen in proportion to their ties so far, so a few hubs gather
    thousands), about ``ties_per_state`` ties per state, as in :func:`generate_world` a fifth bilateral
    treaties of every type and the rest five-member pacts, regional collective-security organisations
    (one of about 40 states per 2,000 states, every rule and response), reliabilities 0.7 to 1 and
    commitments 0.8 to 1, an honour threshold of 0.25, attrition 0 and exhaustion at 1,000 x GDP
    (nobody is worn down or runs out: the war lasts all 60 ticks), and one scripted attack at tick 0:
    the best-connected state attacks the best-connected state it has no treaty with. The cascade
    then reaches about two thirds of the world (137,680 of 200,000 states fight)."""
    rng = np.random.default_rng(seed)
    power = np.round(rng.lognormal(1.0, 1.0, n_states), 3) + 0.01
    reliability = np.round(rng.uniform(0.7, 1.0, n_states), 3)  # a cascade that keeps going
    mobilization = rng.integers(0, 4, n_states)
    ids = [f"S{i}" for i in range(n_states)]
    angle = rng.uniform(0, 2 * np.pi, n_states)
    radius = 40 * np.sqrt(np.arange(n_states))
    # whole pixels: the 200,000-state file stays under SPEC's 64 MiB
    states = _states(
        ids,
        power,
        reliability,
        mobilization,
        np.round(radius * np.cos(angle)),
        np.round(radius * np.sin(angle)),
    )
    total_ties = ties_per_state * n_states
    n_bilateral = total_ties // 5
    n_pacts = (total_ties - n_bilateral) // 10
    # preferential attachment: a pool that holds each state once per tie it has; draws from it are
    # proportional to degree. State i (from 1 on) ties itself to one earlier state bilaterally, and every
    # n_states / n_pacts states a pact gathers a state and four drawn partners.
    pool = np.zeros(2 * (n_bilateral + 5 * n_pacts) + 2, dtype=np.int64)
    size = 1
    pairs: list[tuple[int, int]] = []
    pacts: list[list[int]] = []
    per_state = n_pacts / max(n_states, 1)
    owed = 0.0
    for i in range(1, n_states):
        if len(pairs) < n_bilateral:
            partner = int(pool[rng.integers(0, size)]) if size > 1 else 0
            pairs.append((partner, i))
            pool[size : size + 2] = (partner, i)
            size += 2
        owed += per_state
        while owed >= 1 and len(pacts) < n_pacts:
            owed -= 1
            chosen = {i, *pool[rng.integers(0, size, 4)].tolist()}
            pacts.append(sorted(chosen))
            pool[size : size + len(chosen)] = sorted(chosen)
            size += len(chosen)
    treaties: list[Treaty] = []
    kinds = rng.choice(len(_MIX), size=len(pairs), p=[share for _, share in _MIX])
    commitment = np.round(rng.uniform(0.8, 1.0, len(pairs)), 2)
    for k, ((x, y), kind, c) in enumerate(zip(pairs, kinds.tolist(), commitment.tolist(), strict=True)):
        type_ = _MIX[kind][0]
        if type_ == "guarantee":
            treaties.append(
                Treaty(f"T{k}", f"T{k}", type_, members=[ids[y]], guarantors=[ids[x]], commitment=c)
            )
        else:
            conditional = type_ in ("defense", "neutrality") and k % 7 == 0
            conditions = Conditions(unprovoked_only=conditional)
            treaties.append(
                Treaty(f"T{k}", f"T{k}", type_, [ids[x], ids[y]], commitment=c, conditions=conditions)
            )
    kinds = rng.choice(len(_PACT_MIX), size=len(pacts), p=[share for _, share in _PACT_MIX])
    commitment = np.round(rng.uniform(0.8, 1.0, len(pacts)), 2)
    for k, (members, kind, c) in enumerate(zip(pacts, kinds.tolist(), commitment.tolist(), strict=True)):
        if len(members) >= 2:
            treaties.append(
                Treaty(f"P{k}", f"P{k}", _PACT_MIX[kind][0], [ids[m] for m in members], commitment=c)
            )
    # regional organisations of about 40 states each, one per 2,000 states, members drawn by attachment
    for k in range(max(1, n_states // 2000)):
        members = sorted(set(pool[rng.integers(0, size, 40)].tolist()))
        if len(members) >= 2:
            rule = ("unanimity", "majority", "veto")[k % 3]
            treaties.append(
                Treaty(
                    f"O{k}",
                    f"Organisation {k}",
                    "collective-security",
                    [ids[m] for m in members],
                    commitment=0.8,
                    decision=Decision(
                        rule,
                        [ids[members[0]]] if rule == "veto" else [],
                        response=("force", "authorise", "sanctions")[k % 3],
                    ),
                )
            )
    # the biggest hub attacks the best-connected state it has no treaty with: two hubs lead the camps
    degree = np.bincount(pool[1:size], minlength=n_states)
    aggressor = int(np.argmax(degree))
    partners = {y for x, y in pairs if x == aggressor} | {x for x, y in pairs if y == aggressor}
    partners |= {m for members in pacts if aggressor in members for m in members} | {aggressor}
    outsiders = (j for j in np.argsort(-degree, kind="stable").tolist() if j not in partners)
    target = next(outsiders, (aggressor + 1) % n_states)
    return Scenario(
        states,
        treaties,
        [],
        [ScriptedEvent(0, ids[aggressor], ids[target])],
        # a hub is tied to states on both camps, so cross-pressure halves nearly every p: a threshold
        # of 0.25 lets the cascade run; exhaustion 1,000 x GDP so no economy runs out in 60 ticks
        Settings(seed=seed, deterrence=False, attrition=0.0, honor_threshold=0.25, exhaustion=1000.0),
        Meta(title=f"Hub world of {n_states} states"),
    )


def bench(n_states: int) -> None:
    t0 = time.perf_counter()
    scenario = generate_world(n_states)
    t1 = time.perf_counter()
    sim = Simulation(scenario)
    t2 = time.perf_counter()
    sim.run()
    t3 = time.perf_counter()
    report = sim.report()
    t4 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n_states:>7} states, {len(sim.world.tie_a):>8} ties: generate {t1 - t0:.2f} s, "
        f"compile {t2 - t1:.2f} s, run {t3 - t2:.2f} s ({sim.tick} ticks, {sim.result}, "
        f"{len(sim.events)} events), report {t4 - t3:.2f} s, max RSS {rss:.0f} MiB",
        flush=True,
    )
    del report


def bench_small(runs: int = 2000) -> None:
    scenario = generate_world(9, ties_per_state=3, seed=1)
    for mode, record in (("deterministic", True), ("stochastic", False)):
        t0 = time.perf_counter()
        for seed in range(runs):
            Simulation(scenario, seed=seed, mode=mode, record=record).run()
        per_run = (time.perf_counter() - t0) / runs * 1000
        print(f"9-state runs ({mode}, record={record}): {per_run:.2f} ms per run", flush=True)
    bench_july_sweep(runs)


def bench_july_sweep(runs: int) -> None:
    """The sweep's own per-run function on July 1914 (AUH attacks SRB), compiled once per process;
    CPU time, so other load on the machine disturbs it less. Target: 10,000 runs on 2 workers < 20 s."""
    from sandbox.core.examples import load_example
    from sandbox.core.sweep import plan_runs, run_chunk

    scenario = load_example("july-1914")
    specs = plan_runs(scenario, [("AUH", "SRB")], runs, 1)
    compiled: dict = {}
    run_chunk(scenario, specs[:20], compiled)  # compile and warm up
    t0 = time.process_time()
    run_chunk(scenario, specs, compiled)
    per_run = (time.process_time() - t0) / runs * 1000
    print(f"July 1914 sweep runs (stochastic, compiled once): {per_run:.2f} ms CPU per run", flush=True)


if __name__ == "__main__":
    bench_small()
    for n in [int(arg) for arg in sys.argv[1:]] or [2_000, 20_000, 200_000]:
        bench(n)
