"""import-cow at any size (on demand: ``.venv/bin/python tests/benchmarks/bench_cow.py``;
files are written to /tmp/bench_cow).

Target (issue 9): a world of 3,000 states laid out within a few seconds, with no
optional library (networkx's spring layout needed scipy from 500 states): the
layout alone under 1 s, the whole ``import-cow`` process under 5 s. The generated
directed-dyad file puts every state in a ten-member defence pact (both directions
of every pair, as the COW file lists them) and one state in ten in a second pact
with the next block, so the alliance groups are connected as real ones are.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

from sandbox.core.layout import allies_layout

WORK = Path("/tmp/bench_cow")
CLI = [str(Path(sys.executable).with_name("security-sandbox-cli"))]
N_STATES = 3_000
BLOCK = 10
LAYOUT_TARGET, IMPORT_TARGET = 1.0, 5.0
HEADER = (
    "version4id,ccode1,state_name1,ccode2,state_name2,dyad_st_day,dyad_st_month,dyad_st_year,"
    "dyad_end_day,dyad_end_month,dyad_end_year,left_censor,right_censor,defense,neutrality,"
    "nonaggression,entente,version"
)


def pacts() -> list[list[int]]:
    """Ten-member blocks, and a pact joining the first state of each block to the next block's."""
    blocks = [list(range(i, i + BLOCK)) for i in range(0, N_STATES, BLOCK)]
    return blocks + [[a[0], b[0]] for a, b in zip(blocks, blocks[1:], strict=False)]


def write_files() -> tuple[Path, Path]:
    WORK.mkdir(exist_ok=True)
    capabilities = WORK / "nmc.csv"
    capabilities.write_text(
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
        + "".join(f"S{i:04d},{1000 + i},2000,1,1,1,1,1,1,{1 / N_STATES:.8f},2021\n" for i in range(N_STATES))
    )
    rows = [HEADER]
    for n, members in enumerate(pacts()):
        for a in members:
            for b in members:
                if a != b:
                    rows.append(f"{n},{1000 + a},State {a},{1000 + b},State {b},1,1,1990,,,,0,1,1,0,0,0,4.1")
    alliances = WORK / "alliances.csv"
    alliances.write_text("\n".join(rows) + "\n")
    return alliances, capabilities


def main() -> None:
    ids = [f"S{i:04d}" for i in range(N_STATES)]
    members = [[ids[i] for i in pact] for pact in pacts()]
    start = time.perf_counter()
    allies_layout(ids, members)
    layout_seconds = time.perf_counter() - start

    alliances, capabilities = write_files()
    out = WORK / "world.sandbox"
    start = time.perf_counter()
    subprocess.run(
        [*CLI, "import-cow", "--alliances", str(alliances), "--capabilities", str(capabilities),
         "--date", "2000-06-01", "--out", str(out)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    import_seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows = [
        (f"layout: {N_STATES:,} states, {len(members):,} pacts", layout_seconds, "", LAYOUT_TARGET),
        (f"import-cow: {N_STATES:,} states (whole process)", import_seconds, f"{rss:.0f} MiB", IMPORT_TARGET),
    ]
    for what, seconds, memory, target in rows:
        print(
            f"{what:<48} {seconds:6.2f} s {memory:>8}  target < {target:g} s"
            + ("" if seconds < target else "  MISSED")
        )
    assert all(seconds < target for _, seconds, _, target in rows), "targets missed"


if __name__ == "__main__":
    main()
