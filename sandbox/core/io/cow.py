"""Build a scenario from Correlates of War data: the world of one day.

Reads the COW Formal Alliances v4.1 file in either of its layouts, the dyadic
one (``alliance_v4.1_by_dyad.csv``: one row per pair of allies and alliance,
with an ``asymmetric`` column) or the directed-dyad one
(``alliance_v4.1_by_directed.csv``: one row per state and partner, the flags
saying what ``ccode1`` owes ``ccode2``); the National Material Capabilities
file (v6: one row per state and year); and, optionally, the State System
Membership list (``states2016.csv``: one row per state and tenure).

:func:`import_cow` gives the states with a capabilities row for the year
(power = CINC x 100, id = ``stateabb``), only those in the state system on
that day when a states list is given, and the alliances in force on that day
as treaties. A COW date whose day or month is missing stands for the whole
month or year (the codebooks' convention): such an alliance is taken as in
force from the first day of that month or year to the last day of its end
month or year. What was left out and why goes into ``meta.notes``, with the
data sets cited as their codebooks ask. Any problem with the files raises
:class:`~sandbox.core.io.fileformat.ScenarioFileError` naming the file, the line
and the column.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.core.io.fileformat import ScenarioFileError, capped
from sandbox.core.layout import allies_layout
from sandbox.core.scenario import ID_PATTERN, Meta, Scenario, State, Treaty

FLAGS = ("defense", "neutrality", "nonaggression", "entente")
ALLIANCE_COLUMNS = (
    "version4id",
    "ccode1",
    "state_name1",
    "ccode2",
    "state_name2",
    *(f"dyad_{end}_{part}" for end in ("st", "end") for part in ("day", "month", "year")),
    *FLAGS,
)
DYADIC_MARK = "asymmetric"  # a column of the dyadic layout only; without it the file is read as directed
CAPABILITY_COLUMNS = ("stateabb", "ccode", "year", "cinc")
STATE_COLUMNS = (
    "stateabb",
    "ccode",
    "statenme",
    "styear",
    "stmonth",
    "stday",
    "endyear",
    "endmonth",
    "endday",
)
# COW's flags in order of precedence, with the treaty type each one maps to.
TREATY_TYPES = {
    "defense": "defense",
    "neutrality": "neutrality",
    "nonaggression": "non-aggression",
    "entente": "entente",
}
# Blank, "." and COW's -9 all mean "not known": no end year means still in force, no day the whole month.
MISSING = ("", ".", "NA", "-9")
LEFT_OUT = "Left out"  # the heading of the notes' sections on what the import left out
SOURCES = {
    "alliances": "Gibler, Douglas M. 2009. *International Military Alliances, 1648-2008*. Washington, DC: "
    "CQ Press. (Correlates of War Formal Alliances, v4.1)",
    "capabilities": 'Singer, J. David, Stuart Bremer, and John Stuckey. 1972. "Capability Distribution, '
    'Uncertainty, and Major Power War, 1820-1965." In Bruce Russett (ed.), *Peace, War, and Numbers*. '
    "Beverly Hills: Sage, 19-48. (Correlates of War National Material Capabilities, v6.0)",
    "states": 'Correlates of War Project. 2017. "State System Membership List, v2016." Online, '
    "http://correlatesofwar.org",
}


@dataclass
class _Dyad:
    line: int
    alliance: str
    ccodes: tuple[int, int]
    obligations: set[str]  # the FLAGS set on this row


@dataclass
class _Capability:
    ccode: int
    stateabb: str
    cinc: float


@dataclass
class _Problems:
    source: str
    items: list[str] = field(default_factory=list)

    def add(self, line: int, column: str | None, message: str) -> None:
        self.items.append(f"line {line}, column {column}: {message}" if column else f"line {line}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioFileError(self.source, capped(self.items, "problems"))


@dataclass
class _Notes:
    """What the import says about itself in ``meta.notes``, section by section."""

    left_out: list[str] = field(default_factory=list)
    blank_flags: list[str] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    no_obligation: int = 0
    one_way: list[str] = field(default_factory=list)  # one-way defence pledges, imported as guarantees


def import_cow(
    alliances_path: str | os.PathLike[str],
    capabilities_path: str | os.PathLike[str],
    day: datetime.date,
    states_path: str | os.PathLike[str] | None = None,
) -> Scenario:
    """The states and alliances of ``day`` as a scenario.

    States keep the capabilities file's order; treaties follow the alliance
    file's order, one per alliance (``version4id``) and treaty type, with id
    ``cow-<version4id>-<type>``. In the directed layout an obligation flagged
    both ways is a treaty of its type; a defence obligation flagged one way is a
    guarantee from the obliged state (``cow-<version4id>-guarantee``, one per
    set of guaranteed states); a one-way neutrality, non-aggression or entente
    pledge has no one-way treaty type in the model and is left out. A dyad with
    no obligation is left out. Everything left out is listed in ``meta.notes``.
    Raises ScenarioFileError for unreadable files, missing columns, bad values,
    ccodes the capabilities file does not know, or no rows for the year.
    """
    notes = _Notes()
    capabilities, known_ccodes = _read_capabilities(capabilities_path, day.year)
    system = _read_states(states_path, day) if states_path is not None else None
    dyads, names, directed, asymmetric = _read_alliances(alliances_path, day, known_ccodes, notes)
    if system is not None:
        in_system = [c for c in capabilities if c.ccode in system]
        with_row = {c.ccode for c in capabilities}
        notes.left_out += [
            f"- {system_name}: in the state system on {day} but no capabilities row for {day.year}"
            for ccode, system_name in system.items()
            if ccode not in with_row
        ]
        for c in capabilities:
            if c.ccode not in system:
                named = f" ({names[c.ccode]})" if c.ccode in names else ""
                notes.left_out.append(f"- {c.stateabb}{named}: not in the state system on {day}")
        capabilities = in_system
        names = {**names, **system}
    by_ccode = {c.ccode: c for c in capabilities}

    kept = []
    for dyad in dyads:
        if all(c in by_ccode for c in dyad.ccodes):
            kept.append(dyad)
        else:
            pair = " and ".join(names.get(c, str(c)) for c in dyad.ccodes)
            why = "not in the state system on" if system is not None else "no capabilities row for"
            notes.left_out.append(
                f"- alliance {dyad.alliance} between {pair}: {why} {day if system is not None else day.year} "
                f"(line {dyad.line})"
            )
    abb = {c.ccode: c.stateabb for c in capabilities}
    treaties = _treaties(kept, abb, directed, names, notes)
    notes.unnamed = [c.stateabb for c in capabilities if c.ccode not in names]

    positions = allies_layout([c.stateabb for c in capabilities], [t.parties() for t in treaties])
    scenario = Scenario(
        meta=Meta(
            title=f"Correlates of War {day}",
            year=day.year,
            start_date=day.isoformat(),
            description=(
                f"States and alliances in force on {day}, from the Correlates of War Formal Alliances "
                "(v4.1), National Material Capabilities (v6.0)"
                + (" and State System Membership (v2016)" if system is not None else "")
                + " data sets. Power is CINC x 100."
            ),
            notes=_notes_text(day, len(capabilities), len(treaties), directed, asymmetric, system, notes),
        )
    )
    for capability in capabilities:
        scenario.add_state(
            State(
                id=capability.stateabb,
                name=names.get(capability.ccode, capability.stateabb),
                power=capability.cinc * 100.0,
                position=positions[capability.stateabb],
            )
        )
    for treaty in treaties:
        scenario.add_treaty(treaty)
    return scenario


def _treaties(
    dyads: list[_Dyad], abb: dict[int, str], directed: bool, names: dict[int, str], notes: _Notes
) -> list[Treaty]:
    """Treaties from the dyads in force, in the order of each one's first line."""
    # the strongest obligation each state owes each partner, per alliance (a dyadic row owes both ways)
    owed: dict[tuple[str, int, int], str | None] = {}
    first_line: dict[str, int] = {}
    for dyad in dyads:
        a, b = dyad.ccodes
        strongest = next((flag for flag in FLAGS if flag in dyad.obligations), None)
        first_line.setdefault(dyad.alliance, dyad.line)
        for x, y in ((a, b),) if directed else ((a, b), (b, a)):
            known = owed.get((dyad.alliance, x, y))
            if known is None or (strongest is not None and FLAGS.index(strongest) < FLAGS.index(known)):
                owed[dyad.alliance, x, y] = strongest
    mutual: dict[tuple[str, str], list[str]] = {}
    guarantees: dict[str, dict[int, list[str]]] = {}
    for (alliance, x, y), flag in owed.items():
        back = owed.get((alliance, y, x))
        if x > y and (alliance, y, x) in owed:
            continue  # the pair is handled once, from its lower ccode
        if flag == back and flag is not None:
            group = mutual.setdefault((alliance, TREATY_TYPES[flag]), [])
            group.extend(abb[c] for c in (x, y) if abb[c] not in group)
            continue
        if flag is None and back is None:
            notes.no_obligation += 1
            continue
        for giver, taker, pledge in ((x, y, flag), (y, x, back)):
            if pledge == "defense":
                members = guarantees.setdefault(alliance, {}).setdefault(giver, [])
                members.append(abb[taker])
                giver_name, taker_name = names.get(giver, abb[giver]), names.get(taker, abb[taker])
                notes.one_way.append(f"- alliance {alliance}: {giver_name} to defend {taker_name}")
            elif pledge is not None:
                notes.left_out.append(
                    f"- alliance {alliance}: {names.get(giver, abb[giver])}'s one-way {TREATY_TYPES[pledge]} "
                    f"pledge to {names.get(taker, abb[taker])} (the model's {TREATY_TYPES[pledge]} binds "
                    "both; it is not made mutual)"
                )
    treaties = [
        (
            first_line[alliance],
            Treaty(
                id=f"cow-{alliance}-{kind}",
                name=f"COW alliance {alliance} ({kind})",
                type=kind,
                members=members,
            ),
        )
        for (alliance, kind), members in mutual.items()
    ]
    for alliance, by_guarantor in guarantees.items():
        groups: dict[tuple[str, ...], list[str]] = {}
        for giver, members in by_guarantor.items():
            groups.setdefault(tuple(members), []).append(abb[giver])
        for n, (members, guarantors) in enumerate(groups.items()):
            treaty = Treaty(
                id=f"cow-{alliance}-guarantee" + (f"-{n + 1}" if n else ""),
                name=f"COW alliance {alliance} (one-way defense)",
                type="guarantee",
                guarantors=guarantors,
                members=list(members),
            )
            treaties.append((first_line[alliance], treaty))
    treaties.sort(key=lambda item: item[0])  # stable: an alliance's types keep their order
    return [treaty for _, treaty in treaties]


def _notes_text(
    day: datetime.date,
    n_states: int,
    n_treaties: int,
    directed: bool,
    asymmetric: list[str],
    system: dict[int, str] | None,
    notes: _Notes,
) -> str:
    layout = (
        "directed dyads (each obligation kept in its direction)"
        if directed
        else "dyads (each obligation taken as mutual)"
    )
    parts = [
        f"Imported from the Correlates of War data for {day}: {n_states} states, {n_treaties} treaties. "
        f"Alliance file read as {layout}. Alliances are in force from their start day to their end day; "
        "a missing day or month stands for the whole month or year.",
    ]
    if system is None:
        parts.append(
            f"No states list was given: every state with a capabilities row for {day.year} is in, including "
            "any that joined or left the state system during that year (in 1990 both Germanys). Give the "
            "State System Membership list (--states states2016.csv) to keep only the states in the system "
            "on the day."
        )
    if notes.left_out:
        parts.append(f"{LEFT_OUT}:\n\n" + "\n".join(capped(notes.left_out, "left out")))
    if notes.no_obligation:
        parts.append(
            f"{LEFT_OUT}: {notes.no_obligation} dyad{'s' if notes.no_obligation != 1 else ''} in force with "
            "no obligation flagged (no defense, neutrality, non-aggression or entente)."
        )
    if notes.one_way:
        parts.append(
            "One-way defence pledges, imported as guarantees (the directed file lists the pledge one way "
            "only; check the row back if the pact was mutual):\n\n" + "\n".join(capped(notes.one_way, "more"))
        )
    if asymmetric:
        parts.append(
            "Asymmetric in COW, imported as mutual (the dyadic file does not say who owes what; the "
            "directed-dyad file, alliance_v4.1_by_directed.csv, does):\n\n"
            + "\n".join(capped(asymmetric, "more"))
        )
    if notes.blank_flags:
        parts.append("Blank flags, counted as 0:\n\n" + "\n".join(capped(notes.blank_flags, "blank flags")))
    if notes.unnamed:
        parts.append(
            "Named by their COW abbreviation (no name in the alliance file): "
            + ", ".join(notes.unnamed)
            + "."
        )
    sources = [
        SOURCES["alliances"],
        SOURCES["capabilities"],
        *([SOURCES["states"]] if system is not None else []),
    ]
    parts.append("Sources:\n\n" + "\n".join(f"- {source}" for source in sources))
    return "\n\n".join(parts)


# -- reading -----------------------------------------------------------------------


def _rows(
    path: str | os.PathLike[str], required: tuple[str, ...], problems: _Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """The CSV's rows as (line number, {column: stripped text}) after checking the header.
    A row of the wrong shape goes to ``problems``; an unreadable file raises at once."""
    yield from _rows_of(_header_and_reader(path, required), problems)


def _header_and_reader(
    path: str | os.PathLike[str], required: tuple[str, ...]
) -> tuple[list[str], csv.Reader]:
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ScenarioFileError(source, ["is a folder, not a CSV file"]) from None
    except OSError as error:
        problem = "no such file" if isinstance(error, FileNotFoundError) else f"cannot read: {error.strerror}"
        raise ScenarioFileError(source, [problem]) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioFileError(source, ["is UTF-16 text; save it as UTF-8 CSV"])
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark some spreadsheets add is fine
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise ScenarioFileError(
            source, [f"line {line}: not UTF-8 text (byte 0x{bad}); save the file as UTF-8 CSV"]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ScenarioFileError(source, ["is empty; expected a header row"]) from None
    except csv.Error as error:
        raise ScenarioFileError(source, [f"line 1: not a CSV header: {error}"]) from None
    missing = [name for name in required if name not in header]
    if missing:
        raise ScenarioFileError(
            source,
            [
                f"line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(found: {', '.join(header) or 'nothing'})"
            ],
        )
    return header, reader


def _rows_of(
    header_and_reader: tuple[list[str], csv.Reader], problems: _Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    header, reader = header_and_reader
    try:
        for fields in reader:
            if not any(cell.strip() for cell in fields):
                continue
            if len(fields) != len(header):
                problems.add(reader.line_num, None, f"has {len(fields)} fields, the header has {len(header)}")
                continue
            yield reader.line_num, {name: cell.strip() for name, cell in zip(header, fields, strict=True)}
    except csv.Error as error:
        problems.add(reader.line_num, None, f"not valid CSV: {error}")


def _whole(row: dict[str, str], column: str, line: int, problems: _Problems) -> int | None:
    text = row[column]
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value != int(value):
        problems.add(line, column, f"must be a whole number, got {text!r}")
        return None
    return int(value)


def _span(
    row: dict[str, str], columns: tuple[str, str, str], line: int, problems: _Problems
) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a COW date (day, month, year columns) may mean: a
    missing day is the whole month, a missing month the whole year. None if the
    year is missing (for an end: still in force) or a part is bad (a problem)."""
    day_column, month_column, year_column = columns
    if row[year_column] in MISSING:
        return None
    year = _whole(row, year_column, line, problems)
    month = None if row[month_column] in MISSING else _whole(row, month_column, line, problems)
    day = None if row[day_column] in MISSING else _whole(row, day_column, line, problems)
    if year is None or (month is None and row[month_column] not in MISSING):
        return None
    if day is None and row[day_column] not in MISSING:
        return None
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        problems.add(line, year_column, f"must be a year, got {row[year_column]!r}")
        return None
    if month is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if not 1 <= month <= 12:
        problems.add(line, month_column, f"must be a month from 1 to 12, got {row[month_column]!r}")
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    if not 1 <= day <= last:
        problems.add(line, day_column, f"must be a day from 1 to {last} in {year}-{month:02d}, got {day}")
        return None
    return datetime.date(year, month, day), datetime.date(year, month, day)


def _in_force(
    row: dict[str, str], start: tuple[str, str, str], end: tuple[str, str, str], on: datetime.date, line: int,
    problems: _Problems,
) -> bool | None:  # fmt: skip
    """Whether the row's span covers ``on`` (None if its dates are bad: problems say why)."""
    count = len(problems.items)
    began = _span(row, start, line, problems)
    ended = _span(row, end, line, problems)
    if len(problems.items) > count:
        return None
    if began is None:
        problems.add(line, start[2], f"must be a year, got {row[start[2]]!r}")
        return None
    return began[0] <= on and (ended is None or on <= ended[1])


def _read_capabilities(path: str | os.PathLike[str], year: int) -> tuple[list[_Capability], set[int]]:
    """The capabilities rows of ``year`` in file order, and every ccode the file knows."""
    problems = _Problems(str(path))
    found: list[_Capability] = []
    known: set[int] = set()
    years: set[int] = set()
    seen: dict[int, int] = {}
    ids: dict[str, int] = {}
    for line, row in _rows(path, CAPABILITY_COLUMNS, problems):
        ccode = _whole(row, "ccode", line, problems)
        row_year = _whole(row, "year", line, problems)
        if ccode is None or row_year is None:
            continue
        known.add(ccode)
        years.add(row_year)
        if row_year != year:
            continue
        stateabb = row["stateabb"]
        if not ID_PATTERN.match(stateabb):
            problems.add(line, "stateabb", f"must be letters, digits, '_' or '-', got {stateabb!r}")
            continue
        try:
            cinc = float(row["cinc"])
        except ValueError:
            cinc = math.nan
        if not math.isfinite(cinc) or not 0.0 <= cinc <= 1.0:
            problems.add(line, "cinc", f"must be a share between 0 and 1, got {row['cinc']!r}")
            continue
        if ccode in seen:
            problems.add(
                line, "ccode", f"ccode {ccode} has a second row for {year} (first on line {seen[ccode]})"
            )
            continue
        if stateabb in ids:
            problems.add(line, "stateabb", f"{stateabb!r} is used for {year} already on line {ids[stateabb]}")
            continue
        seen[ccode] = ids[stateabb] = line
        found.append(_Capability(ccode, stateabb, cinc))
    problems.raise_if_any()
    if not found:
        covered = f"the file covers {min(years)}-{max(years)}" if years else "the file has no data rows"
        raise ScenarioFileError(str(path), [f"no capabilities rows for {year} ({covered})"])
    return found, known


def _read_states(path: str | os.PathLike[str], on: datetime.date) -> dict[int, str]:
    """{ccode: name} of the states in the system on ``on``, from a State System
    Membership list. Tenures that end on the list's last day are taken as going on."""
    problems = _Problems(str(path))
    start, end = ("stday", "stmonth", "styear"), ("endday", "endmonth", "endyear")
    tenures: list[tuple[int, str, datetime.date, datetime.date]] = []
    for line, row in _rows(path, STATE_COLUMNS, problems):
        ccode = _whole(row, "ccode", line, problems)
        began = _span(row, start, line, problems)
        ended = _span(row, end, line, problems)
        for span, column in ((began, "styear"), (ended, "endyear")):
            if span is None and row[column] in MISSING:
                problems.add(line, column, f"must be a year, got {row[column]!r}")
        if ccode is not None and began is not None and ended is not None:
            tenures.append((ccode, row["statenme"] or row["stateabb"], began[0], ended[1]))
    problems.raise_if_any()
    last = max((tenure[3] for tenure in tenures), default=on)
    return {
        ccode: name
        for ccode, name, began, ended in tenures
        if began <= on and (on <= ended or (ended == last and on > last))
    }


def _read_alliances(
    path: str | os.PathLike[str], on: datetime.date, known_ccodes: set[int], notes: _Notes
) -> tuple[list[_Dyad], dict[int, str], bool, list[str]]:
    """The dyads in force on ``on`` in file order, a name for every ccode the file
    names, whether the file is in the directed layout, and the asymmetric dyads
    of a dyadic file (notes)."""
    problems = _Problems(str(path))
    header, reader = _header_and_reader(path, ALLIANCE_COLUMNS)
    directed = DYADIC_MARK not in header
    dyads: list[_Dyad] = []
    names: dict[int, str] = {}
    asymmetric: list[str] = []
    start, end = (
        ("dyad_st_day", "dyad_st_month", "dyad_st_year"),
        ("dyad_end_day", "dyad_end_month", "dyad_end_year"),
    )
    for line, row in _rows_of((header, reader), problems):
        ccodes = (_whole(row, "ccode1", line, problems), _whole(row, "ccode2", line, problems))
        in_force = _in_force(row, start, end, on, line, problems)
        if None in ccodes or in_force is None:
            continue
        for ccode, column in zip(ccodes, ("state_name1", "state_name2"), strict=True):
            if row[column]:
                names.setdefault(ccode, row[column])
        if not in_force:
            continue
        obligations = _obligations(row, line, problems, notes)
        for ccode, column in zip(ccodes, ("ccode1", "ccode2"), strict=True):
            if ccode not in known_ccodes:
                problems.add(line, column, f"ccode {ccode} is not in the capabilities file")
        if ccodes[0] == ccodes[1]:
            problems.add(line, "ccode2", f"ccode {ccodes[0]} is allied with itself")
        if not row["version4id"]:
            problems.add(line, "version4id", "is empty")
        elif not ID_PATTERN.match(row["version4id"]):
            problems.add(
                line, "version4id", f"must be letters, digits, '_' or '-', got {row['version4id']!r}"
            )
        if obligations is not None:
            dyads.append(_Dyad(line, row["version4id"], ccodes, obligations))  # type: ignore[arg-type]
            if not directed and row.get(DYADIC_MARK) == "1" and obligations:
                pair = " and ".join(
                    row[c] or str(cc) for c, cc in zip(("state_name1", "state_name2"), ccodes, strict=True)
                )
                asymmetric.append(f"- alliance {row['version4id']} between {pair} (line {line})")
    problems.raise_if_any()
    return dyads, names, directed, asymmetric


def _obligations(row: dict[str, str], line: int, problems: _Problems, notes: _Notes) -> set[str] | None:
    """The flags set on a row; a blank flag counts as 0 (and is noted), anything but 0 or 1 is a problem."""
    flags = set()
    for column in FLAGS:
        value = row[column]
        if value in MISSING:
            notes.blank_flags.append(f"- line {line}, column {column}: {value or 'blank'}")
        elif value == "1":
            flags.add(column)
        elif value != "0":
            problems.add(line, column, f"must be 0 or 1, got {value!r}")
            return None
    return flags
