"""Build a scenario from Correlates of War data: the world of one year.

Reads the COW Formal Alliances dyadic file (v4.1, one row per pair of allies
and alliance) and the National Material Capabilities file (one row per state
and year). :func:`import_cow` gives the states with a capabilities row for the
year (power = CINC x 100, id = ``stateabb``) and the alliances in force that
year as treaties, laid out with a seeded spring layout. Any problem with the
files raises :class:`~sandbox.core.fileformat.ScenarioFileError` naming the
file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np

from sandbox.core.fileformat import ScenarioFileError
from sandbox.core.scenario import ID_PATTERN, Meta, Scenario, State, Treaty

ALLIANCE_COLUMNS = (
    "version4id",
    "ccode1",
    "state_name1",
    "ccode2",
    "state_name2",
    "dyad_st_year",
    "dyad_end_year",
    "defense",
    "neutrality",
    "nonaggression",
    "entente",
)
CAPABILITY_COLUMNS = ("stateabb", "ccode", "year", "cinc")
# COW's obligation flags in order of precedence, with the treaty type each one maps to.
OBLIGATIONS = (("defense", "defense"), ("neutrality", "neutrality"), ("nonaggression", "non-aggression"))
# Blank, "." and COW's -9 all mean "no end year": the alliance is still in force.
MISSING = ("", ".", "NA", "-9")
CANVAS = (1000.0, 700.0)  # width, height of the area a world of STATES_PER_CANVAS states fills
STATES_PER_CANVAS = 16  # a bigger world gets a canvas bigger in proportion to its number of states
MARGIN = 80.0
MIN_DISTANCE = 110.0  # between state centres: small states' circles and labels stay apart
SEPARATION_ROUNDS = 300
LAYOUT_SEED = 1816  # the first year of the COW state system; any fixed seed gives a stable layout
MAX_PROBLEMS = 20


@dataclass
class _Dyad:
    line: int
    alliance: str
    ccodes: tuple[int, int]  # both parsed: rows with a bad ccode are never kept
    start: int
    end: int | None
    treaty_type: str


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
            shown = self.items[:MAX_PROBLEMS]
            if len(self.items) > MAX_PROBLEMS:
                shown.append(f"... and {len(self.items) - MAX_PROBLEMS} more problems")
            raise ScenarioFileError(self.source, shown)


def import_cow(
    alliances_path: str | os.PathLike[str], capabilities_path: str | os.PathLike[str], year: int
) -> Scenario:
    """The states and alliances of ``year`` as a scenario.

    States keep the capabilities file's order; treaties follow the alliance
    file's order, one per alliance (``version4id``) and treaty type, with id
    ``cow-<version4id>-<type>``. Alliance rows of other years are checked only
    for their years. A dyad naming a state that exists in the capabilities
    file but not in ``year`` is left out and listed in ``meta.notes``.
    Raises ScenarioFileError for unreadable files, missing columns, bad
    values, ccodes the capabilities file does not know, or no rows for the year.
    """
    capabilities, known_ccodes = _read_capabilities(capabilities_path, year)
    dyads, names = _read_alliances(alliances_path, year, known_ccodes)
    by_ccode = {c.ccode: c for c in capabilities}

    members: dict[tuple[str, str], list[str]] = {}
    started: dict[tuple[str, str], int] = {}
    left_out = []
    for dyad in dyads:
        if not all(c in by_ccode for c in dyad.ccodes):
            pair = " and ".join(names.get(c, str(c)) for c in dyad.ccodes)
            left_out.append(
                f"- alliance {dyad.alliance} ({dyad.treaty_type}) between {pair}: "
                f"no capabilities row for {year} (line {dyad.line})"
            )
            continue
        key = (dyad.alliance, dyad.treaty_type)
        group = members.setdefault(key, [])
        group.extend(by_ccode[c].stateabb for c in dyad.ccodes if by_ccode[c].stateabb not in group)
        started[key] = min(started.get(key, dyad.start), dyad.start)

    positions = _layout([c.stateabb for c in capabilities], list(members.values()))
    scenario = Scenario(
        meta=Meta(
            title=f"Correlates of War {year}",
            year=year,
            description=(
                f"States and alliances in force in {year}, from the Correlates of War Formal Alliances "
                "(v4.1) and National Material Capabilities data sets. Power is CINC x 100."
            ),
            notes="Alliance dyads left out:\n\n" + "\n".join(left_out) if left_out else "",
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
    for (alliance, treaty_type), ids in members.items():
        scenario.add_treaty(
            Treaty(
                id=f"cow-{alliance}-{treaty_type}",
                name=f"COW alliance {alliance} ({treaty_type}, {started[alliance, treaty_type]})",
                type=treaty_type,
                members=ids,
            )
        )
    return scenario


def _layout(state_ids: list[str], alliances: list[list[str]]) -> dict[str, tuple[float, float]]:
    """Positions from a seeded spring layout (allies pulled together), scaled into a canvas
    that grows with the number of states, then pushed apart to MIN_DISTANCE."""
    graph = nx.Graph()
    graph.add_nodes_from(state_ids)
    for ids in alliances:
        graph.add_edges_from((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    layout = nx.spring_layout(graph, seed=LAYOUT_SEED)
    points = np.array([layout[state_id] for state_id in state_ids], dtype=float).reshape(-1, 2)
    inner = np.array(CANVAS) * max(1.0, math.sqrt(len(state_ids) / STATES_PER_CANVAS)) - 2 * MARGIN
    low, span = points.min(axis=0), np.ptp(points, axis=0)
    # One state, or states on a line, have no extent to scale: centre them on that axis.
    points = MARGIN + np.where(span > 1e-12, (points - low) / np.maximum(span, 1e-12) * inner, inner / 2)
    points = _separate(points)
    return {
        state_id: (round(float(x), 1), round(float(y), 1))
        for state_id, (x, y) in zip(state_ids, points, strict=True)
    }


def _separate(points: np.ndarray) -> np.ndarray:
    """Push every pair of points closer than MIN_DISTANCE apart, each by half the shortfall,
    until none is (or SEPARATION_ROUNDS pass). Deterministic; keeps the centre of mass."""
    index = np.arange(len(points))
    # Coincident points have no direction between them: split them along x by their order.
    tie_break = np.stack([np.sign(index[:, None] - index[None, :]), np.zeros((len(points),) * 2)], axis=-1)
    for _ in range(SEPARATION_ROUNDS):
        delta = points[:, None, :] - points[None, :, :]
        distance = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(distance, np.inf)
        shortfall = np.clip(MIN_DISTANCE - distance, 0.0, None)
        if shortfall.max() < 0.5:  # half a pixel: close enough
            break
        direction = np.where(
            (distance < 1e-9)[..., None], tie_break, delta / np.maximum(distance, 1e-9)[..., None]
        )
        points = points + (direction * (shortfall / 2)[..., None]).sum(axis=1)
    return points


def _rows(
    path: str | os.PathLike[str], required: tuple[str, ...], problems: _Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """The CSV's rows as (line number, {column: stripped text}) after checking the header.
    A row of the wrong shape goes to ``problems``; an unreadable file raises at once."""
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


def _read_alliances(
    path: str | os.PathLike[str], year: int, known_ccodes: set[int]
) -> tuple[list[_Dyad], dict[int, str]]:
    """The dyads in force in ``year`` in file order, and a name for every ccode the file names."""
    problems = _Problems(str(path))
    dyads: list[_Dyad] = []
    names: dict[int, str] = {}
    for line, row in _rows(path, ALLIANCE_COLUMNS, problems):
        ccodes = (_whole(row, "ccode1", line, problems), _whole(row, "ccode2", line, problems))
        start = _whole(row, "dyad_st_year", line, problems)
        end = None if row["dyad_end_year"] in MISSING else _whole(row, "dyad_end_year", line, problems)
        if None in ccodes or start is None or (end is None and row["dyad_end_year"] not in MISSING):
            continue
        for ccode, column in zip(ccodes, ("state_name1", "state_name2"), strict=True):
            if row[column]:
                names.setdefault(ccode, row[column])
        if not (start <= year and (end is None or year <= end)):
            continue
        treaty_type = _treaty_type(row, line, problems)
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
        if treaty_type is not None:
            dyads.append(_Dyad(line, row["version4id"], ccodes, start, end, treaty_type))
    problems.raise_if_any()
    return dyads, names


def _treaty_type(row: dict[str, str], line: int, problems: _Problems) -> str | None:
    """The treaty type of a dyad: the first obligation flagged, else entente."""
    flags = {}
    for column in (*(c for c, _ in OBLIGATIONS), "entente"):
        value = row[column]
        if value not in ("0", "1"):
            problems.add(line, column, f"must be 0 or 1, got {value!r}")
            return None
        flags[column] = value == "1"
    return next((treaty_type for column, treaty_type in OBLIGATIONS if flags[column]), "entente")
