"""``security-sandbox-cli room``: the room without a window (SPEC.md, "Room").

It prints ``room: http://HOST:PORT/ code CODE`` on stdout once it listens and the facilitator token on
stderr, waits for the facilitator's ``start`` (or ``--autostart N`` participants), runs the scenario
with the participants' decisions, narrates each tick on stderr, writes ``--report`` and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sandbox.core.text import shown


def add_room(commands: argparse._SubParsersAction) -> None:
    from sandbox.cli.commands import attack_arg, whole_number

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
