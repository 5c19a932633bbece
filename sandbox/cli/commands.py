"""security-sandbox-cli: the sandbox's engine without a window (SPEC.md).

Each subcommand is a pair: ``add_NAME(commands)`` builds its parser and sets
``command=cmd_NAME``; ``cmd_NAME(args) -> exit code`` does the work. To add a
subcommand, write the pair and append ``add_NAME`` to :data:`SUBCOMMANDS`.
A command reports bad input by raising :class:`CliError` (or letting
ScenarioFileError, ScenarioEditError or OSError through): :func:`main` prints
the message, which names the file and place, and exits 2. numpy, networkx and
the engine, even the file format, are imported inside the commands that need
them, so that ``--help`` and ``examples`` start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sandbox import __version__
from sandbox.core.io.tables import csv_text
from sandbox.core.scenario import SETTING_RANGES
from sandbox.core.text import shown

if TYPE_CHECKING:
    from sandbox.core.scenario import Scenario

BAD_INPUT = 2
BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE (128 + 13)
MAX_TICKS = int(SETTING_RANGES["max_ticks"][1])  # the largest max_ticks a scenario file may set
LARGE_REPORT_STATES = 5_000  # reports of bigger worlds are written compactly, with json's C encoder
GRAPH_SUFFIXES = (".graphml", ".gexf", ".json")  # graphio's, kept here so validate needs no networkx


class CliError(Exception):
    """Bad input; the message says where (``FILE: ...`` or ``--option VALUE: ...``)."""


# -- shared helpers ---------------------------------------------------------------


def read_scenario(path: str, power_from: str | None = None) -> Scenario:
    """A scenario from a ``.sandbox`` file, or from a graph file by its extension
    (what was changed to fit a graph into a scenario, such as ids mapped, is said on stderr)."""
    if Path(path).suffix.lower() in GRAPH_SUFFIXES:
        from sandbox.core.io.graphio import read_graph

        notes: list[str] = []
        scenario = read_graph(path, power_from, notes)
        for note in notes:
            print(f"{path}: {note}", file=sys.stderr)
        return scenario
    from sandbox.core.io.fileformat import load_scenario

    return load_scenario(path)


@contextlib.contextmanager
def writing(path: str) -> Iterator[None]:
    """Report a failed write (disk full, a folder in the way) as bad input naming
    the user's path; a closed pipe passes on to :func:`main`, which stops quietly."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise CliError(f"{path}: cannot write: {error.strerror or error}") from None


def write_output(path: str, text: str) -> None:
    """Write an output file atomically, or to stdout for ``-``."""
    if path == "-":
        with writing("<stdout>"):
            sys.stdout.write(text)
            sys.stdout.flush()
    else:
        from sandbox.core.io.fileformat import atomic_write

        with writing(path):
            atomic_write(path, text)


def check_output(path: str | None, inputs: Sequence[str | None] = ()) -> None:
    """Refuse, before any work is done, an output path that is a folder, whose folder (or, for
    a link, its target's) does not exist, or that is the same file as one of the ``inputs``."""
    if not path or path == "-":
        return
    if Path(path).is_dir():
        raise CliError(f"{path}: is a folder; give a file name")
    if not Path(os.path.realpath(path)).parent.is_dir():
        from sandbox.core.io.fileformat import missing_folder

        raise CliError(f"{path}: {missing_folder(Path(path))}")
    for source in inputs:
        if source and Path(path).exists() and Path(source).exists() and os.path.samefile(path, source):
            raise CliError(f"{path}: is the input file {source}; give the output another name")


def json_text(data: Any, compact: bool = False) -> str:
    """JSON for an output file: indented, or on one line when ``compact`` (indenting
    makes json fall back to its pure-Python encoder, minutes and gigabytes for a big world)."""
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, **layout)
    text += "\n"  # in place (the only reference): no second copy of a report of a hundred megabytes
    return text


def attack_arg(text: str) -> tuple[str, str]:
    """``AGG:TARGET`` as a pair of ids (argparse type; ids are checked against the file later)."""
    aggressor, sep, target = text.partition(":")
    if not sep or not aggressor or not target:
        raise argparse.ArgumentTypeError(f"{text!r}: expected AGGRESSOR:TARGET state ids, e.g. AUH:SRB")
    return aggressor, target


def check_attacks(source: str, scenario: Scenario, attacks: Sequence[tuple[str, str]]) -> None:
    """Refuse --attack ids that the scenario read from ``source`` does not have."""
    from sandbox.core.sweep import SweepError
    from sandbox.core.sweep import check_attacks as check

    try:
        check(scenario, attacks)
    except SweepError as error:
        raise CliError(f"{source}: {error}") from None


def whole_number(lo: int, hi: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: must be a whole number") from None
        if value < lo:
            raise argparse.ArgumentTypeError(f"{text!r}: must be at least {lo}")
        if hi is not None and value > hi:
            raise argparse.ArgumentTypeError(f"{text!r}: must be at most {hi:,}")
        return value

    return parse


# -- validate ---------------------------------------------------------------------


def add_validate(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "validate",
        help="check scenario files",
        description="Check each file; print FILE: ok or its problems.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.set_defaults(command=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    from sandbox.core.io.fileformat import ScenarioFileError

    status = 0
    for path in args.files:
        try:
            read_scenario(path)
        except ScenarioFileError as error:
            print(shown_lines(str(error)), file=sys.stderr)
            status = BAD_INPUT
        else:
            print(shown(f"{path}: ok"))
    return status


# -- run --------------------------------------------------------------------------


def add_run(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "run",
        help="run a scenario headless",
        description="Run the scenario and print the narrated event log.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument(
        "--attack",
        action="append",
        type=attack_arg,
        default=[],
        metavar="AGG:TARGET",
        help="replaces the scripted attacks; repeat for several, all at tick 0 in this order",
    )
    parser.add_argument("--seed", type=whole_number(0), help="default: the scenario's seed")
    parser.add_argument("--mode", help="deterministic or stochastic (default: the scenario's mode)")
    parser.add_argument(
        "--ticks",
        type=whole_number(1, MAX_TICKS),
        help=f"cap the run, at most {MAX_TICKS:,} (default: the scenario's max_ticks)",
    )
    parser.add_argument("--no-deterrence", action="store_true", help="force the attacks even if deterred")
    parser.add_argument("--report", metavar="OUT", help="write the run report as JSON (- for stdout)")
    parser.add_argument("--series", metavar="OUT.csv", help="write the per-tick metrics as CSV")
    parser.set_defaults(command=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from sandbox.core.scenario import MODES

    if args.mode is not None and args.mode not in MODES:
        raise CliError(f"--mode {args.mode}: must be one of {', '.join(MODES)}")
    check_output(args.report, [args.file])
    check_output(args.series, [args.file])
    scenario = read_scenario(args.file)
    check_attacks(args.file, scenario, args.attack)
    from sandbox.core.sim import Simulation

    simulation = Simulation(
        scenario,
        attacks=args.attack or None,
        seed=args.seed,
        mode=args.mode,
        deterrence=False if args.no_deterrence else None,
        max_ticks=args.ticks,
    )
    large = len(scenario.states) > LARGE_REPORT_STATES
    # the simulation runs on its own copy: a big world's hundreds of MB go back before the report
    del scenario
    narration = sys.stderr if args.report == "-" else sys.stdout
    printed = 0
    while True:
        # one write per tick: a print per event was a tenth of a 2,000-state run
        narration.write(
            "".join(f"tick {event.tick:>3}  {shown(event.text)}\n" for event in simulation.events[printed:])
        )
        printed = len(simulation.events)
        if simulation.finished:
            break
        simulation.step()
    narration.flush()
    if args.report:
        write_output(args.report, json_text(simulation.report(), compact=large))
    if args.series:
        from sandbox.core.debrief import series_csv

        write_output(args.series, series_csv(simulation.recorder.series))
    return 0


# -- sweep ------------------------------------------------------------------------


def add_sweep(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sweep",
        help="Monte Carlo runs and parameter sweeps",
        description="Run the scenario many times in stochastic mode; one CSV row per run. "
        "Run i gets seed SEED + i. Several --vary make a grid with --runs runs at each point.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--attack", action="append", type=attack_arg, default=[], metavar="AGG:TARGET")
    parser.add_argument(
        "--runs", type=whole_number(1), default=100, help="runs (per grid point); default 100"
    )
    parser.add_argument("--seed", type=whole_number(0), help="base seed (default: the scenario's seed)")
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="PATH=LO:HI:STEPS",
        help="e.g. settings.attrition=0.02:0.1:5, states.GER.reliability=0.5:1:6, "
        "treaties.dual.commitment=0:1:3; whole-number fields (settings.max_ticks, states.ID.mobilization) "
        "need whole LO, HI and step; values are rounded to 12 significant digits; "
        "at most 1,000,000 runs in all",
    )
    parser.add_argument(
        "--workers", type=worker_count, default=1, help="worker processes (default 1, at most 4 per core)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on this Dask scheduler (tcp://HOST:PORT) instead of --workers",
    )
    parser.add_argument("--out", metavar="OUT.csv", help="write the rows here (default: stdout)")
    parser.add_argument(
        "--summary", metavar="OUT.json", help="also write the summary (printed on stderr) as JSON here"
    )
    parser.set_defaults(command=cmd_sweep)


def worker_count(text: str) -> int:
    """--workers: a whole number from 1 to :func:`sandbox.core.sweep.max_workers` (argparse type)."""
    from sandbox.core.sweep import WORKERS_PER_CORE, max_workers

    value = whole_number(1)(text)
    if value > max_workers():
        raise argparse.ArgumentTypeError(
            f"{text!r}: at most {max_workers()} on this machine ({WORKERS_PER_CORE} per core)"
        )
    return value


def cmd_sweep(args: argparse.Namespace) -> int:
    from sandbox.core import summary, sweep

    check_output(args.out, [args.file])
    if args.summary:
        check_output(args.summary, [args.file])
    if args.scheduler:
        from sandbox.core.dask_backend import ClusterError, check_address

        try:
            check_address(args.scheduler)
        except ClusterError as error:
            raise CliError(f"--scheduler {args.scheduler}: {error}") from None
    if args.summary:
        check_output(args.summary, [args.file, args.out])
    scenario = read_scenario(args.file)
    check_attacks(args.file, scenario, args.attack)
    try:
        vary = [sweep.parse_vary(text) for text in args.vary]
        seed = scenario.settings.seed if args.seed is None else args.seed
        specs = sweep.plan_runs(scenario, args.attack or None, args.runs, seed, vary)
    except sweep.SweepError as error:
        raise CliError(f"{args.file}: {error}") from None
    progress = ProgressLine(sys.stderr)
    try:
        if args.scheduler:
            rows = sweep_on_dask(args.scheduler, scenario, specs, progress)
        else:
            try:
                rows = sweep.run_sweep(scenario, specs, workers=args.workers, progress=progress)
            except sweep.SweepFailed as error:
                raise CliError(f"--workers {args.workers}: {error}; no rows were written") from None
    finally:
        progress.end()
    write_output(args.out or "-", csv_text(sweep.columns(vary), rows))
    result = summary.summarise(scenario, rows)
    sys.stderr.write(summary.summary_text(result))
    if args.summary:
        write_output(args.summary, json_text(result))
    return 0


def sweep_on_dask(
    address: str, scenario: Scenario, specs: list, progress: ProgressLine
) -> list[dict[str, Any]]:
    from sandbox.core.dask_backend import ClusterError, run_sweep_on_dask

    try:
        return run_sweep_on_dask(address, scenario, specs, progress=progress)
    except ClusterError as error:
        raise CliError(f"--scheduler {address}: {error}") from None


class ProgressLine:
    """Progress on a terminal line: percent done and time left, at most twice a
    second on a terminal (redrawn in place) and every 5 s into a file or pipe."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.start = time.monotonic()
        self.last = 0.0
        self.live = stream.isatty()
        self.open = False  # a progress line drawn without its newline yet

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < (0.5 if self.live else 5.0):
            return
        self.last = now
        elapsed = now - self.start
        left = elapsed / done * (total - done) if done else 0.0
        line = f"sweep: {100 * done / total:3.0f}% ({done}/{total} runs), about {left:.0f} s left"
        if self.live:
            self.stream.write("\r" + line + ("\n" if done == total else ""))
            self.open = done < total
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end(self) -> None:
        """End a line left open on a terminal (a sweep that stopped), so a message starts its own."""
        if self.open:
            self.stream.write("\n")
            self.open = False


# -- convert ----------------------------------------------------------------------


def add_convert(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "convert",
        help="convert between .sandbox, GraphML, GEXF and node-link JSON",
        description="Convert by extension: .sandbox, .graphml, .gexf, .json.",
    )
    parser.add_argument("input", metavar="IN")
    parser.add_argument("output", metavar="OUT")
    parser.add_argument(
        "--power-from",
        metavar="degree|ATTRIBUTE",
        help="a graph's nodes without power take it from their degree or from another attribute",
    )
    parser.set_defaults(command=cmd_convert)


def cmd_convert(args: argparse.Namespace) -> int:
    suffix = Path(args.output).suffix.lower()
    if suffix != ".sandbox" and suffix not in GRAPH_SUFFIXES:
        raise CliError(f"{args.output}: unknown format {suffix!r}; use .sandbox, {', '.join(GRAPH_SUFFIXES)}")
    check_output(args.output, [args.input])
    scenario = read_scenario(args.input, args.power_from)
    if suffix == ".sandbox":
        from sandbox.core.io.fileformat import save_scenario as save
    else:
        from sandbox.core.io.graphio import write_graph as save
    with writing(args.output):
        save(scenario, args.output)
    return 0


# -- examples ---------------------------------------------------------------------


def add_examples(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "examples",
        help="list the bundled example scenarios, or write one out",
        description="With no NAME, list the examples (name, then title). With NAME, write that "
        "example to --out (or print it).",
    )
    parser.add_argument("name", nargs="?", metavar="NAME")
    parser.add_argument("--out", metavar="FILE")
    parser.set_defaults(command=cmd_examples)


def cmd_examples(args: argparse.Namespace) -> int:
    from sandbox.core.examples import UnknownExampleError, example_path, list_examples

    if args.name is None:
        if args.out:
            raise CliError("--out needs the NAME of an example to write")
        examples = list_examples()
        width = max((len(e.name) for e in examples), default=0)
        for example in examples:
            print(f"{example.name:<{width}}  {example.title}")
        return 0
    try:
        path = example_path(args.name)
    except UnknownExampleError as error:
        raise CliError(str(error)) from None
    if args.out:
        check_output(args.out)
        write_output(args.out, path.read_text("utf-8"))
    else:
        sys.stdout.write(path.read_text("utf-8"))
    return 0


# -- import-cow -------------------------------------------------------------------


def add_import_cow(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import-cow",
        help="build a scenario from Correlates of War alliance and capabilities data",
        description="The states (NMC rows of the year, power = CINC x 100; with --states only those in "
        "the state system on DATE) and the alliances in force on DATE (COW Formal Alliances v4.1, the "
        "dyadic or the directed-dyad file) as a scenario. A COW date without its day or month stands for "
        "the whole month or year. The scenario's notes say what was left out and why.",
    )
    parser.add_argument(
        "--alliances",
        required=True,
        metavar="ALLIANCES.csv",
        help="alliance_v4.1_by_directed.csv (directions kept) or alliance_v4.1_by_dyad.csv",
    )
    parser.add_argument(
        "--capabilities", required=True, metavar="NMC.csv", help="National Material Capabilities (v6)"
    )
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the day of the world")
    when.add_argument(
        "--year", type=whole_number(1, 9999), metavar="YEAR", help="short for --date YEAR-01-01"
    )
    parser.add_argument(
        "--states", metavar="STATES.csv", help="State System Membership list (states2016.csv)"
    )
    parser.add_argument("--out", required=True, metavar="OUT.sandbox")
    parser.set_defaults(command=cmd_import_cow)


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a date YYYY-MM-DD") from None


def cmd_import_cow(args: argparse.Namespace) -> int:
    from sandbox.core.io.cow import LEFT_OUT, import_cow
    from sandbox.core.io.fileformat import save_scenario

    check_output(args.out, [args.alliances, args.capabilities, args.states])
    day = args.date or datetime.date(args.year, 1, 1)
    scenario = import_cow(args.alliances, args.capabilities, day, args.states)
    with writing(args.out):
        save_scenario(scenario, args.out)
    print(f"{args.out}: {len(scenario.states)} states, {len(scenario.treaties)} treaties in force on {day}")
    if LEFT_OUT in scenario.meta.notes:
        print(
            f"{args.out}: some states or alliances were left out; the scenario's notes say why",
            file=sys.stderr,
        )
    return 0


# -- compare ----------------------------------------------------------------------


def add_compare(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "compare",
        help="run two scenarios with the same attack and seed and print the differences",
        description="What if: run A and B with the same attacks and seed; print the outcomes, the states "
        "whose status or side differ, and who joined, reneged or was deterred in only one of them.",
    )
    parser.add_argument("file", metavar="A")
    parser.add_argument("other", metavar="B")
    parser.add_argument(
        "--attack", action="append", type=attack_arg, required=True, metavar="AGG:TARGET", help="repeatable"
    )
    parser.add_argument("--seed", type=whole_number(0), help="default: A's seed")
    parser.add_argument("--report", metavar="OUT", help="write the differences as JSON (- for stdout)")
    parser.set_defaults(command=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    from sandbox.core.compare import compare_runs, format_comparison

    check_output(args.report, [args.file, args.other])
    scenarios = [read_scenario(args.file), read_scenario(args.other)]
    for path, scenario in zip((args.file, args.other), scenarios, strict=True):
        check_attacks(path, scenario, args.attack)
    comparison = compare_runs(*scenarios, args.attack, args.seed)
    names = {state.id: state.name for scenario in reversed(scenarios) for state in scenario.states}
    treaty_names = {
        treaty.id: treaty.name for scenario in reversed(scenarios) for treaty in scenario.treaties
    }
    print(
        "\n".join(map(shown, format_comparison(comparison, names, treaty_names))),
        file=sys.stderr if args.report == "-" else sys.stdout,
    )
    if args.report:
        write_output(args.report, json_text(comparison))
    return 0


# -- room -------------------------------------------------------------------------
# The room without a window (SPEC.md, "Room"): it prints ``room: http://HOST:PORT/ code CODE`` on stdout
# once it listens and the facilitator token on stderr, waits for the facilitator's ``start`` (or
# ``--autostart N`` participants), runs the scenario with the participants' decisions, narrates each
# tick on stderr, writes ``--report`` and exits 0.


def add_room(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "room",
        help="serve a room: participants decide for their states from a browser",
        description="Serve the participant page on the room's network and run the scenario when the "
        "facilitator starts it; obliged states held by participants are decided by them.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: every interface)")
    parser.add_argument(
        "--port", type=whole_number(0, 65535), default=8750, help="default 8750; 0 picks a free one"
    )
    parser.add_argument("--code", help="the join code, 4 to 12 letters and digits (default: a new one)")
    parser.add_argument(
        "--decision-seconds",
        type=whole_number(1, 3600),
        default=60,
        metavar="S",
        help="time for a decision before the model takes it (default 60)",
    )
    parser.add_argument(
        "--attack",
        action="append",
        type=attack_arg,
        default=[],
        metavar="AGG:TARGET",
        help="replaces the scripted attacks, as in run",
    )
    parser.add_argument(
        "--autostart", type=whole_number(1, 10_000), metavar="N", help="start once N participants have joined"
    )
    parser.add_argument(
        "--pace", type=float, default=1.0, metavar="SECONDS", help="pause between ticks (default 1)"
    )
    parser.add_argument(
        "--per-address",
        type=whole_number(1, 1000),
        default=8,
        metavar="N",
        help="connections allowed from one address (default 8; more where a room's machines share one)",
    )
    parser.add_argument("--report", metavar="OUT", help="write the run report as JSON when the run ends")
    parser.set_defaults(command=cmd_room)


def cmd_room(args: argparse.Namespace) -> int:
    from sandbox.cli.commands import (
        CliError,
        check_attacks,
        check_output,
        json_text,
        read_scenario,
        write_output,
    )
    from sandbox.room.protocol import valid_code
    from sandbox.room.server import Room

    if args.code is not None and not valid_code(args.code):
        raise CliError(f"--code {args.code}: must be 4 to 12 letters and digits")
    if not 0 <= args.pace <= 60:
        raise CliError(f"--pace {args.pace:g}: must be between 0 and 60 seconds")
    if args.report == "-":
        raise CliError("--report -: stdout carries the room's address; give a file")
    check_output(args.report, [args.file])
    scenario = read_scenario(args.file)
    check_attacks(args.file, scenario, args.attack)

    async def serve() -> dict:
        room = Room(
            scenario,
            host=args.host,
            port=args.port,
            code=args.code,
            decision_seconds=args.decision_seconds,
            attacks=args.attack or None,
            pace=args.pace,
            max_per_address=args.per_address,
        )

        def changed(what: str) -> None:
            if what == "participants" and args.autostart and len(room.participants) >= args.autostart:
                room.start()
            if what == "tick":
                tick = room.last_tick
                sys.stderr.write(
                    "".join(f"tick {tick['tick']:>3}  {shown(text)}\n" for text in tick["narration"])
                )

        room.on_change = changed
        try:
            await room.open_room()
        except OSError as error:
            raise CliError(
                f"--host {args.host} --port {args.port}: cannot listen: {error.strerror}"
            ) from None
        try:
            print(f"room: {room.url} code {room.code}", flush=True)
            print(
                f"facilitator token: {room.facilitator_token} (send "
                f'{{"type": "start", "token": "{room.facilitator_token}"}} on /ws to start)',
                file=sys.stderr,
                flush=True,
            )
            await room.ended.wait()
            return room.report
        finally:
            await room.close()

    report = asyncio.run(serve())
    if args.report and report is not None:
        write_output(args.report, json_text(report))
    return 0


# -- entry point ------------------------------------------------------------------

SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    add_validate,
    add_run,
    add_sweep,
    add_convert,
    add_examples,
    add_import_cow,
    add_compare,
    add_room,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="security-sandbox-cli",
        description="Collective Security Sandbox without a window: check, run, sweep and convert scenarios.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 done, 2 bad input, 130 interrupted,
    141 quietly when the reader of the output went away, as with ``| head``)."""
    for stream in (sys.stdout, sys.stderr):
        # a name the terminal's encoding cannot show is printed escaped, never a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        return args.command(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        silence_stdout()
        return BROKEN_PIPE
    except Exception as error:
        message = bad_input_message(error, args)
        if message is None:
            raise
    print(shown_lines(message), file=sys.stderr)
    return BAD_INPUT


def shown_lines(message: str) -> str:
    """A message for the terminal: its lines kept, control characters in them escaped."""
    return "\n".join(map(shown, message.split("\n")))


def silence_stdout() -> None:
    """Point stdout at the null device, so the flush at exit does not fail
    again on the closed pipe (and print "Exception ignored")."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def bad_input_message(error: Exception, args: argparse.Namespace) -> str | None:
    """The message for an error that means bad input (None for a bug: it propagates)."""
    # imported here: by the time a command fails it has loaded them anyway
    from sandbox.core.io.fileformat import ScenarioFileError
    from sandbox.core.scenario import ScenarioEditError

    if isinstance(error, CliError | ScenarioFileError):
        return str(error)
    if isinstance(error, ScenarioEditError):
        return f"{getattr(args, 'file', 'scenario')}: {error}"
    if isinstance(error, OSError):
        return f"{error.filename}: {error.strerror}" if error.filename else f"error: {error}"
    return None
