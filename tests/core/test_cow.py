"""Correlates of War import: small fixtures in the v4.1 alliance and NMC formats."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sandbox.core.cow import CANVAS, MIN_DISTANCE, _separate, import_cow
from sandbox.core.fileformat import ScenarioFileError, load_scenario, scenario_from_dict, scenario_to_dict

ALLIANCE_HEADER = (
    "version4id,ccode1,state_name1,ccode2,state_name2,dyad_st_day,dyad_st_month,dyad_st_year,"
    "dyad_end_day,dyad_end_month,dyad_end_year,left_censor,right_censor,defense,neutrality,"
    "nonaggression,entente,asymmetric,version"
)
NMC_HEADER = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version"


def dyad(alliance, c1, n1, c2, n2, start, end, flags):
    """One alliance row; flags = (defense, neutrality, nonaggression, entente)."""
    return ",".join(map(str, (alliance, c1, n1, c2, n2, 1, 1, start, 31, 12, end, 0, 0, *flags, 0, 4.1)))


def nmc(stateabb, ccode, year, cinc):
    return f"{stateabb},{ccode},{year},100,10,5,5,1000,100,{cinc},6"


DEFENSE, NEUTRALITY, NONAGGRESSION, ENTENTE = (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)
ALLIANCES = [
    dyad(1, 255, "Germany", 300, "Austria-Hungary", 1882, 1915, DEFENSE),  # line 2
    dyad(1, 255, "Germany", 325, "Italy", 1882, 1915, DEFENSE),
    dyad(1, 300, "Austria-Hungary", 325, "Italy", 1882, 1915, (1, 1, 0, 1)),  # defense wins
    dyad(2, 220, "France", 365, "Russia", 1894, 1917, DEFENSE),  # line 5
    dyad(3, 200, "United Kingdom", 220, "France", 1904, "", ENTENTE),  # no end: still in force
    dyad(4, 255, "Germany", 365, "Russia", 1887, 1890, NEUTRALITY),  # Reinsurance, lapsed
    dyad(5, 200, "United Kingdom", 365, "Russia", 1914, 1917, NONAGGRESSION),  # starts in 1914
    dyad(6, 255, "Germany", 300, "Austria-Hungary", 1879, 1914, (0, 1, 1, 0)),  # ends in 1914
    dyad(7, 245, "Bavaria", 255, "Germany", 1871, 1914, DEFENSE),  # line 10: Bavaria has no 1914 row
    dyad(8, 200, "United Kingdom", 225, "Switzerland", 1900, 1910, (0, 0, 0, 0)),  # lapsed
]
CAPABILITIES = [
    nmc("UKG", 200, 1913, 0.10),
    nmc("BAV", 245, 1913, 0.004),
    nmc("UKG", 200, 1914, 0.11),
    nmc("FRN", 220, 1914, 0.07),
    nmc("SWZ", 225, 1914, 0.004),
    nmc("GMY", 255, 1914, 0.14),
    nmc("AUH", 300, 1914, 0.05),
    nmc("ITA", 325, 1914, 0.03),
    nmc("RUS", 365, 1914, 0.10),
]


def write(path: Path, header: str, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write(tmp_path / "alliances.csv", ALLIANCE_HEADER, ALLIANCES),
        write(tmp_path / "nmc.csv", NMC_HEADER, CAPABILITIES),
    )


def test_states_of_the_year_with_power_from_cinc_and_names_from_the_alliance_file(files):
    scenario = import_cow(*files, 1914)
    assert [s.id for s in scenario.states] == ["UKG", "FRN", "SWZ", "GMY", "AUH", "ITA", "RUS"]
    assert scenario.state("GMY").name == "Germany"
    assert scenario.state("SWZ").name == "Switzerland"  # named only by a lapsed alliance
    assert scenario.state("UKG").power == pytest.approx(11.0)  # 0.11 x 100
    assert scenario.state("SWZ").power == pytest.approx(0.4)
    assert scenario.meta.title == "Correlates of War 1914"
    assert scenario.meta.year == 1914


def test_alliances_in_force_become_treaties_grouped_by_alliance_and_type(files):
    scenario = import_cow(*files, 1914)
    treaties = {t.id: (t.type, t.members) for t in scenario.treaties}
    assert treaties == {
        "cow-1-defense": ("defense", ["GMY", "AUH", "ITA"]),
        "cow-2-defense": ("defense", ["FRN", "RUS"]),
        "cow-3-entente": ("entente", ["UKG", "FRN"]),
        "cow-5-non-aggression": ("non-aggression", ["UKG", "RUS"]),
        "cow-6-neutrality": ("neutrality", ["GMY", "AUH"]),
    }
    assert scenario.treaty("cow-1-defense").name == "COW alliance 1 (defense, 1882)"
    # Bavaria's dyad is in force but Bavaria has no 1914 row: left out, and said so.
    assert "alliance 7" in scenario.meta.notes and "Bavaria" in scenario.meta.notes
    assert "line 10" in scenario.meta.notes


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1913, {"cow-1-defense", "cow-2-defense", "cow-3-entente", "cow-6-neutrality", "cow-7-defense"}),
        (1915, {"cow-1-defense", "cow-2-defense", "cow-3-entente", "cow-5-non-aggression"}),
    ],
)
def test_the_years_in_force_include_both_ends(tmp_path, year, expected):
    capabilities = [nmc(*row.split(",")[:2], year, 0.05) for row in CAPABILITIES if ",1914," in row]
    capabilities.append(nmc("BAV", 245, year, 0.004))
    alliances = write(tmp_path / "a.csv", ALLIANCE_HEADER, ALLIANCES)
    scenario = import_cow(alliances, write(tmp_path / "n.csv", NMC_HEADER, capabilities), year)
    assert {t.id for t in scenario.treaties} == expected


def test_layout_fills_the_canvas_is_seeded_and_puts_states_apart(files):
    first, second = import_cow(*files, 1914), import_cow(*files, 1914)
    positions = [s.position for s in first.states]
    assert positions == [s.position for s in second.states]
    width, height = CANVAS
    assert all(0 <= x <= width and 0 <= y <= height for x, y in positions)
    assert min(x for x, _ in positions) < width / 3 and max(x for x, _ in positions) > 2 * width / 3
    assert min_distance(positions) >= MIN_DISTANCE - 1  # no circles or labels on top of each other


def min_distance(positions):
    return min(math.dist(a, b) for i, a in enumerate(positions) for b in positions[i + 1 :])


def test_a_big_world_gets_a_bigger_canvas_with_its_states_apart(tmp_path):
    # 64 states = 4 x STATES_PER_CANVAS: twice the width and height; two 20-member blocs
    capabilities = [nmc(f"S{i:02d}", 100 + i, 1950, 0.01) for i in range(64)]
    alliances = [
        dyad(b, 100 + b * 20, "", 100 + b * 20 + k, "", 1949, "", DEFENSE)
        for b in (0, 1)
        for k in range(1, 20)
    ]
    a = write(tmp_path / "a.csv", ALLIANCE_HEADER, alliances)
    scenario = import_cow(a, write(tmp_path / "n.csv", NMC_HEADER, capabilities), 1950)
    positions = [s.position for s in scenario.states]
    assert [len(t.members) for t in scenario.treaties] == [20, 20]
    assert max(x for x, _ in positions) - min(x for x, _ in positions) > 1.5 * CANVAS[0]
    assert max(y for _, y in positions) - min(y for _, y in positions) > 1.5 * CANVAS[1]
    assert min_distance(positions) >= MIN_DISTANCE - 1


def test_coincident_states_are_split_apart():
    points = _separate(np.array([[300.0, 300.0]] * 3))
    assert min_distance([tuple(p) for p in points]) >= MIN_DISTANCE - 1
    assert np.allclose(points.mean(axis=0), [300.0, 300.0])  # pushed apart around where they were


def test_a_lone_state_without_alliances_sits_in_the_middle(tmp_path):
    alliances = write(tmp_path / "a.csv", ALLIANCE_HEADER, [])
    scenario = import_cow(
        alliances, write(tmp_path / "n.csv", NMC_HEADER, [nmc("UKG", 200, 1816, 0.2)]), 1816
    )
    assert [(s.id, s.name, s.position) for s in scenario.states] == [
        ("UKG", "UKG", (CANVAS[0] / 2, CANVAS[1] / 2))
    ]
    assert scenario.treaties == [] and scenario.meta.notes == ""


def test_the_import_is_a_valid_scenario_file(files):
    scenario = import_cow(*files, 1914)
    assert scenario_from_dict(scenario_to_dict(scenario), "cow") == scenario


def test_a_byte_order_mark_is_accepted(tmp_path):
    alliances = write(tmp_path / "a.csv", ALLIANCE_HEADER, ALLIANCES, encoding="utf-8-sig")
    capabilities = write(tmp_path / "n.csv", NMC_HEADER, CAPABILITIES, encoding="utf-8-sig")
    assert len(import_cow(alliances, capabilities, 1914).states) == 7


def problems_of(tmp_path, alliances=ALLIANCES, capabilities=CAPABILITIES, year=1914, **headers):
    a = write(tmp_path / "alliances.csv", headers.get("alliance_header", ALLIANCE_HEADER), alliances)
    n = write(tmp_path / "nmc.csv", headers.get("nmc_header", NMC_HEADER), capabilities)
    with pytest.raises(ScenarioFileError) as caught:
        import_cow(a, n, year)
    return caught.value


def test_missing_columns_are_named(tmp_path):
    error = problems_of(tmp_path, nmc_header=NMC_HEADER.replace("cinc", "cinc_score").replace("ccode", "cc"))
    assert error.source.endswith("nmc.csv")
    assert str(error).startswith(f"{tmp_path / 'nmc.csv'}: line 1: missing columns ccode, cinc (found: ")


def test_non_numeric_values_name_line_and_column(tmp_path):
    capabilities = [*CAPABILITIES]
    capabilities[3] = nmc("FRN", 220, 1914, "n/a")  # line 5
    error = problems_of(tmp_path, capabilities=capabilities)
    assert (
        str(error)
        == f"{tmp_path / 'nmc.csv'}: line 5, column cinc: must be a share between 0 and 1, got 'n/a'"
    )

    alliances = [*ALLIANCES]
    alliances[1] = alliances[1].replace("255,Germany", "GMY,Germany", 1)  # line 3
    alliances[4] = alliances[4].replace(",1904,", ",about 1904,")  # line 6
    error = problems_of(tmp_path, alliances=alliances)
    assert error.problems == [
        "line 3, column ccode1: must be a whole number, got 'GMY'",
        "line 6, column dyad_st_year: must be a whole number, got 'about 1904'",
    ]


def test_unknown_ccodes_and_self_alliances_in_force_are_bad_input(tmp_path):
    alliances = [
        *ALLIANCES,
        dyad(9, 255, "Germany", 640, "Ottoman Empire", 1914, 1918, DEFENSE),  # line 12
        dyad(10, 220, "France", 220, "France", 1900, 1920, DEFENSE),
        dyad(11, 999, "Atlantis", 220, "France", 1700, 1710, DEFENSE),  # not in force: not checked
    ]
    error = problems_of(tmp_path, alliances=alliances)
    assert error.problems == [
        "line 12, column ccode2: ccode 640 is not in the capabilities file",
        "line 13, column ccode2: ccode 220 is allied with itself",
    ]


def test_bad_flags_ragged_rows_and_duplicates(tmp_path):
    alliances = [*ALLIANCES]
    alliances[0] = alliances[0].replace(",1,0,0,0,0,4.1", ",yes,0,0,0,0,4.1")  # line 2
    alliances[3] = alliances[3] + ",extra"  # line 5
    capabilities = [*CAPABILITIES, nmc("GER", 255, 1914, 0.1)]  # line 11
    error = problems_of(tmp_path, alliances=alliances)
    assert error.problems == [
        "line 2, column defense: must be 0 or 1, got 'yes'",
        "line 5: has 20 fields, the header has 19",
    ]
    error = problems_of(tmp_path, capabilities=capabilities)
    assert error.problems == ["line 11, column ccode: ccode 255 has a second row for 1914 (first on line 7)"]


def test_no_rows_for_the_year(tmp_path):
    error = problems_of(tmp_path, year=1750)
    assert str(error) == f"{tmp_path / 'nmc.csv'}: no capabilities rows for 1750 (the file covers 1913-1914)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty; expected a header row"),
        (
            NMC_HEADER.encode() + b"\nFRN,220,1914,1,1,1,1,1,1,0.07,6\nS\xe9,221,1914,1,1,1,1,1,1,0.01,6\n",
            "line 3: not UTF-8 text (byte 0xe9); save the file as UTF-8 CSV",
        ),
        (NMC_HEADER.encode("utf-16"), "is UTF-16 text; save it as UTF-8 CSV"),
    ],
)
def test_encoding_problems(tmp_path, data, message):
    capabilities = tmp_path / "nmc.csv"
    capabilities.write_bytes(data)
    with pytest.raises(ScenarioFileError) as caught:
        import_cow(write(tmp_path / "a.csv", ALLIANCE_HEADER, ALLIANCES), capabilities, 1914)
    assert str(caught.value) == f"{capabilities}: {message}"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ScenarioFileError) as caught:
        import_cow(tmp_path / "absent.csv", tmp_path / "nmc.csv", 1914)
    assert str(caught.value) == f"{tmp_path / 'nmc.csv'}: no such file"  # capabilities are read first


def test_many_problems_are_capped(tmp_path):
    capabilities = [nmc(f"S{i}", 1000 + i, 1914, "x") for i in range(30)]
    error = problems_of(tmp_path, capabilities=capabilities)
    assert len(error.problems) == 21
    assert error.problems[-1] == "... and 10 more problems"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sandbox.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_import_cow_writes_a_scenario_that_validates(files, tmp_path):
    out = tmp_path / "cow 1914.sandbox"
    done = cli("import-cow", "--alliances", str(files[0]), "--capabilities", str(files[1]), "--year", "1914",
               "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{out}: 7 states, 5 treaties in force in 1914\n"
    assert "left out" in done.stderr  # Bavaria's dyad
    assert load_scenario(out) == import_cow(*files, 1914)
    assert cli("validate", str(out)).returncode == 0


def test_cli_import_cow_bad_input_exits_2_naming_the_place_and_writes_nothing(files, tmp_path):
    files[1].write_text(NMC_HEADER + "\n" + nmc("FRN", "France", 1914, 0.07) + "\n")
    out = tmp_path / "out.sandbox"
    done = cli("import-cow", "--alliances", str(files[0]), "--capabilities", str(files[1]), "--year", "1914",
               "--out", str(out))  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == f"{files[1]}: line 2, column ccode: must be a whole number, got 'France'\n"
    assert not out.exists()
    done = cli("import-cow", "--alliances", str(files[0]), "--capabilities", str(files[1]), "--year", "soon",
               "--out", str(out))  # fmt: skip
    assert done.returncode == 2 and "--year" in done.stderr and "Traceback" not in done.stderr
