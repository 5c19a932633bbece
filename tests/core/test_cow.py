"""Correlates of War import: small fixtures in the v4.1 alliance and NMC formats."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sandbox.core.io.cow import STATE_COLUMNS, import_cow
from sandbox.core.io.fileformat import ScenarioFileError, load_scenario, scenario_from_dict, scenario_to_dict
from sandbox.core.layout import CANVAS, MIN_DISTANCE, allies_layout

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


FIXTURES = Path(__file__).parent / "fixtures" / "cow"  # hand-written excerpts in the COW layouts
DIRECTED = FIXTURES / "alliance_directed_1914.csv"  # v4.1 directed dyads, 1882-1918
DYADIC = FIXTURES / "alliance_dyad_1939.csv"  # v4.1 dyads (with the asymmetric column), 1921-1943
NMC = FIXTURES / "nmc_v6_excerpt.csv"  # NMC v6 rows of 1913, 1914, 1939 and 1990
STATES = FIXTURES / "states2016_excerpt.csv"  # State System Membership v2016 tenures


def treaties_of(scenario):
    return {t.id: (t.type, t.guarantors, t.members) for t in scenario.treaties}


def test_states_of_the_year_with_power_from_cinc_and_names_from_the_alliance_file(files):
    scenario = import_cow(*files, date(1914, 1, 1))
    assert [s.id for s in scenario.states] == ["UKG", "FRN", "SWZ", "GMY", "AUH", "ITA", "RUS"]
    assert scenario.state("GMY").name == "Germany"
    assert scenario.state("SWZ").name == "Switzerland"  # named only by a lapsed alliance
    assert scenario.state("UKG").power == pytest.approx(11.0)  # 0.11 x 100
    assert scenario.state("SWZ").power == pytest.approx(0.4)
    assert scenario.meta.title == "Correlates of War 1914-01-01"
    assert scenario.meta.year == 1914


def test_alliances_in_force_become_treaties_grouped_by_alliance_and_type(files):
    scenario = import_cow(*files, date(1914, 1, 1))
    assert treaties_of(scenario) == {
        "cow-1-defense": ("defense", [], ["GMY", "AUH", "ITA"]),
        "cow-2-defense": ("defense", [], ["FRN", "RUS"]),
        "cow-3-entente": ("entente", [], ["UKG", "FRN"]),
        "cow-5-non-aggression": ("non-aggression", [], ["UKG", "RUS"]),
        "cow-6-neutrality": ("neutrality", [], ["GMY", "AUH"]),
    }
    assert scenario.treaty("cow-1-defense").name == "COW alliance 1 (defense)"
    # Bavaria's dyad is in force but Bavaria has no 1914 row: left out, and said so.
    assert (
        "alliance 7 between Bavaria and Germany: no capabilities row for 1914 (line 10)"
        in scenario.meta.notes
    )


def test_a_day_in_july_1914_keeps_what_was_signed_before_it_and_drops_what_came_after():
    # Hand-worked from the directed fixture: on 28 July 1914 the Triple Alliance (1), the Franco-Russian
    # alliance (2), the Entente Cordiale (3), the Anglo-Russian entente (5), the Anglo-Japanese alliance (8)
    # and Austria-Romania (9, ends "July 1914": in force to 31 July) hold. The German-Ottoman treaty (4)
    # starts on 2 August and the Bulgarian-Ottoman one (7) in "August 1914", so from 1 August; the
    # Reinsurance Treaty (6) lapsed in 1890.
    july = import_cow(DIRECTED, NMC, date(1914, 7, 28))
    assert treaties_of(july) == {
        "cow-1-defense": ("defense", [], ["GMY", "AUH", "ITA"]),
        "cow-2-defense": ("defense", [], ["FRN", "RUS"]),
        "cow-3-entente": ("entente", [], ["UKG", "FRN"]),
        "cow-5-entente": ("entente", [], ["UKG", "RUS"]),
        "cow-8-defense": ("defense", [], ["UKG", "JPN"]),
        "cow-9-defense": ("defense", [], ["AUH", "RUM"]),
    }
    august = treaties_of(import_cow(DIRECTED, NMC, date(1914, 8, 15)))
    assert "cow-9-defense" not in august  # ended in July
    assert august["cow-7-defense"] == ("defense", [], ["BUL", "TUR"])  # "August 1914" covers the 15th
    # Germany pledged to defend the Ottoman Empire, not the reverse (its row back flags nothing):
    # a guarantee from Germany, never a mutual defence pact.
    assert august["cow-4-guarantee"] == ("guarantee", ["GMY"], ["TUR"])
    notes = import_cow(DIRECTED, NMC, date(1914, 8, 15)).meta.notes
    assert "One-way defence pledges, imported as guarantees" in notes
    assert "- alliance 4: Germany to defend Turkey" in notes
    assert [t.id for t in import_cow(DIRECTED, NMC, date(1914, 8, 1)).treaties].count("cow-7-defense") == 1
    assert "cow-7-defense" not in treaties_of(import_cow(DIRECTED, NMC, date(1914, 7, 31)))


def test_a_start_or_end_day_is_in_force_and_the_day_after_the_end_is_not():
    assert "cow-4-guarantee" not in treaties_of(import_cow(DIRECTED, NMC, date(1914, 8, 1)))
    assert "cow-4-guarantee" in treaties_of(import_cow(DIRECTED, NMC, date(1914, 8, 2)))
    assert "cow-9-defense" in treaties_of(import_cow(DIRECTED, NMC, date(1914, 7, 31)))


def test_september_1939_has_neither_nyon_nor_the_german_polish_pact():
    # Dyadic fixture: the Nyon arrangement (20) ends in "March 1939", the German-Polish non-aggression
    # pact (21) on 28 April 1939; the Anglo-Polish alliance (22) starts on 25 August 1939.
    march = treaties_of(import_cow(DYADIC, NMC, date(1939, 3, 31)))
    assert march == {
        "cow-20-entente": ("entente", [], ["UKG", "GRC", "TUR"]),
        "cow-21-non-aggression": ("non-aggression", [], ["GMY", "POL"]),
    }
    september = import_cow(DYADIC, NMC, date(1939, 9, 1))
    assert treaties_of(september) == {
        "cow-22-defense": ("defense", [], ["UKG", "POL"]),
        "cow-23-defense": ("defense", [], ["UKG", "GRC"]),
        "cow-24-neutrality": ("neutrality", [], ["GMY", "RUS"]),  # neutrality ranks above non-aggression
        "cow-25-defense": ("defense", [], ["GMY", "ITA"]),
    }
    notes = september.meta.notes
    assert "read as dyads (each obligation taken as mutual)" in notes
    # The UK's guarantee to Greece is asymmetric in COW: the dyadic file cannot say who owes what.
    assert "- alliance 23 between United Kingdom and Greece (line 7)" in notes
    assert "alliance_v4.1_by_directed.csv" in notes
    assert "1 dyad in force with no obligation flagged" in notes  # Poland-Romania (26) flags nothing


def test_a_one_way_pledge_other_than_defence_is_left_out_and_said_so():
    notes = import_cow(DIRECTED, NMC, date(1914, 7, 28)).meta.notes
    assert "read as directed dyads (each obligation kept in its direction)" in notes
    assert "- alliance 10: Italy's one-way neutrality pledge to France (the model's neutrality" in notes


def test_blank_flags_count_as_zero_and_are_noted_once_with_their_line():
    scenario = import_cow(DIRECTED, NMC, date(1914, 7, 28))
    assert scenario.treaty("cow-5-entente").members == ["UKG", "RUS"]  # the blank neutrality is a 0
    assert scenario.meta.notes.count("line 15, column neutrality: blank") == 1
    scenario = import_cow(DYADIC, NMC, date(1939, 9, 1))
    assert scenario.treaty("cow-25-defense").type == "defense"
    assert "line 9, column neutrality: blank" in scenario.meta.notes


def test_without_a_states_list_unnamed_states_and_the_year_s_double_entries_are_reported():
    scenario = import_cow(DIRECTED, NMC, date(1914, 7, 28))
    assert scenario.state("BEL").name == "BEL"  # no alliance row names Belgium
    assert "Named by their COW abbreviation (no name in the alliance file): BEL." in scenario.meta.notes
    germanys = import_cow(DYADIC, NMC, date(1990, 10, 3))
    assert {"GMY", "GFR", "GDR"} <= {s.id for s in germanys.states}  # NMC has a 1990 row for each
    assert "in 1990 both Germanys" in germanys.meta.notes and "--states" in germanys.meta.notes


def test_a_states_list_keeps_the_states_in_the_system_on_that_day_named_as_it_names_them():
    # The 1990 NMC rows hold GMY, GFR and GDR; the list ends GFR and GDR on 2 October 1990 and starts
    # GMY's second tenure on 3 October: one Germany either day, its power counted once.
    before = import_cow(DYADIC, NMC, date(1990, 10, 2), STATES)
    after = import_cow(DYADIC, NMC, date(1990, 10, 3), STATES)
    assert [s.id for s in before.states] == ["USA", "UKG", "FRN", "GFR", "GDR", "RUS"]
    assert [(s.id, s.name) for s in after.states] == [
        ("USA", "United States of America"),
        ("UKG", "United Kingdom"),
        ("FRN", "France"),
        ("GMY", "Germany"),
        ("RUS", "Russia"),
    ]
    assert "- GFR: not in the state system on 1990-10-03" in after.meta.notes
    assert "State System Membership List, v2016" in after.meta.notes
    assert "both Germanys" not in after.meta.notes
    # A state in the list but without a capabilities row for the year is left out and named.
    early = import_cow(DIRECTED, NMC, date(1914, 7, 28), STATES)
    assert "- United States of America: in the state system on 1914-07-28 but no capabilities row" in (
        early.meta.notes
    )
    assert "France" in {s.name for s in early.states} and "BEL" not in {s.id for s in early.states}


def test_the_notes_cite_the_data_sets_as_their_codebooks_ask():
    notes = import_cow(DIRECTED, NMC, date(1914, 7, 28)).meta.notes
    assert "Gibler, Douglas M. 2009. *International Military Alliances, 1648-2008*" in notes
    assert "Singer, J. David, Stuart Bremer, and John Stuckey. 1972." in notes


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (
            date(1913, 1, 1),
            {"cow-1-defense", "cow-2-defense", "cow-3-entente", "cow-6-neutrality", "cow-7-defense"},
        ),
        (date(1915, 1, 1), {"cow-1-defense", "cow-2-defense", "cow-3-entente", "cow-5-non-aggression"}),
    ],
)
def test_the_years_in_force_include_both_ends(tmp_path, on, expected):
    year = on.year
    capabilities = [nmc(*row.split(",")[:2], year, 0.05) for row in CAPABILITIES if ",1914," in row]
    capabilities.append(nmc("BAV", 245, year, 0.004))
    alliances = write(tmp_path / "a.csv", ALLIANCE_HEADER, ALLIANCES)
    scenario = import_cow(alliances, write(tmp_path / "n.csv", NMC_HEADER, capabilities), on)
    assert {t.id for t in scenario.treaties} == expected


def test_layout_fills_the_canvas_is_seeded_and_puts_states_apart(files):
    first, second = import_cow(*files, date(1914, 1, 1)), import_cow(*files, date(1914, 1, 1))
    positions = [s.position for s in first.states]
    assert positions == [s.position for s in second.states]
    width, height = CANVAS
    assert all(0 <= x <= width and 0 <= y <= height for x, y in positions)
    assert min(x for x, _ in positions) < width / 3 and max(x for x, _ in positions) > 2 * width / 3
    assert min_distance(positions) >= MIN_DISTANCE  # no circles or labels on top of each other


def min_distance(positions):
    points = np.array(positions, dtype=float)
    distance = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(distance, np.inf)
    return distance.min()


def test_a_big_world_gets_a_bigger_canvas_with_its_states_apart_and_each_bloc_together(tmp_path):
    # 64 states = 4 x STATES_PER_CANVAS: twice the width and height; two 20-member blocs
    capabilities = [nmc(f"S{i:02d}", 100 + i, 1950, 0.01) for i in range(64)]
    alliances = [
        dyad(b, 100 + b * 20, "", 100 + b * 20 + k, "", 1949, "", DEFENSE)
        for b in (0, 1)
        for k in range(1, 20)
    ]
    a = write(tmp_path / "a.csv", ALLIANCE_HEADER, alliances)
    scenario = import_cow(a, write(tmp_path / "n.csv", NMC_HEADER, capabilities), date(1950, 1, 1))
    positions = [s.position for s in scenario.states]
    assert [len(t.members) for t in scenario.treaties] == [20, 20]
    assert max(x for x, _ in positions) - min(x for x, _ in positions) > 1.5 * CANVAS[0]
    assert max(y for _, y in positions) - min(y for _, y in positions) > 1.5 * CANVAS[1]
    assert min_distance(positions) >= MIN_DISTANCE
    # Each bloc sits in a patch of its own: its members are nearer each other than the other bloc's.
    blocs = [np.array([scenario.state(m).position for m in t.members]) for t in scenario.treaties]
    spread = [np.linalg.norm(b - b.mean(axis=0), axis=1).mean() for b in blocs]
    assert np.linalg.norm(blocs[0].mean(axis=0) - blocs[1].mean(axis=0)) > 1.5 * max(spread)


@pytest.mark.parametrize("n_states", [2, 3, 17, 250])
def test_any_number_of_states_is_laid_out_apart_inside_its_canvas(n_states):
    ids = [f"S{i}" for i in range(n_states)]
    positions = allies_layout(ids, [ids[i : i + 7] for i in range(0, n_states, 9)])
    scale = max(1.0, (n_states / 16) ** 0.5)
    assert min_distance(list(positions.values())) >= MIN_DISTANCE
    assert all(0 <= x <= CANVAS[0] * scale and 0 <= y <= CANVAS[1] * scale for x, y in positions.values())


def test_a_600_state_world_imports_without_any_optional_library(tmp_path):
    # networkx's spring layout needs scipy from 500 states; the grid layout needs numpy alone.
    code = (
        "import sys, datetime; sys.modules['scipy'] = None\n"  # any import of scipy fails
        "from sandbox.core.io.cow import import_cow\n"
        f"s = import_cow({str(tmp_path / 'a.csv')!r}, {str(tmp_path / 'n.csv')!r}, "
        "datetime.date(1990, 1, 1))\n"
        "print(len(s.states), len(s.treaties), len({x.position for x in s.states}))\n"
    )
    capabilities = [nmc(f"S{i:03d}", 1000 + i, 1990, 0.001) for i in range(600)]
    alliances = [dyad(i // 10, 1000 + i, "", 1000 + i + 1, "", 1980, "", DEFENSE) for i in range(0, 599, 2)]
    write(tmp_path / "a.csv", ALLIANCE_HEADER, alliances)
    write(tmp_path / "n.csv", NMC_HEADER, capabilities)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "600 60 600\n"  # 300 pairs in 60 alliances of 10 states; every state its own place


def test_a_lone_state_without_alliances_sits_in_the_middle(tmp_path):
    alliances = write(tmp_path / "a.csv", ALLIANCE_HEADER, [])
    scenario = import_cow(
        alliances, write(tmp_path / "n.csv", NMC_HEADER, [nmc("UKG", 200, 1816, 0.2)]), date(1816, 1, 1)
    )
    assert [(s.id, s.name, s.position) for s in scenario.states] == [
        ("UKG", "UKG", (CANVAS[0] / 2, CANVAS[1] / 2))
    ]
    assert scenario.treaties == []
    assert "Named by their COW abbreviation (no name in the alliance file): UKG." in scenario.meta.notes


def test_the_import_is_a_valid_scenario_file(files):
    scenario = import_cow(*files, date(1914, 1, 1))
    assert scenario_from_dict(scenario_to_dict(scenario), "cow") == scenario


def test_a_byte_order_mark_is_accepted(tmp_path):
    alliances = write(tmp_path / "a.csv", ALLIANCE_HEADER, ALLIANCES, encoding="utf-8-sig")
    capabilities = write(tmp_path / "n.csv", NMC_HEADER, CAPABILITIES, encoding="utf-8-sig")
    assert len(import_cow(alliances, capabilities, date(1914, 1, 1)).states) == 7


def problems_of(tmp_path, alliances=ALLIANCES, capabilities=CAPABILITIES, on=date(1914, 1, 1), **headers):
    a = write(tmp_path / "alliances.csv", headers.get("alliance_header", ALLIANCE_HEADER), alliances)
    n = write(tmp_path / "nmc.csv", headers.get("nmc_header", NMC_HEADER), capabilities)
    with pytest.raises(ScenarioFileError) as caught:
        import_cow(a, n, on)
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
    error = problems_of(tmp_path, on=date(1750, 1, 1))
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
        import_cow(write(tmp_path / "a.csv", ALLIANCE_HEADER, ALLIANCES), capabilities, date(1914, 1, 1))
    assert str(caught.value) == f"{capabilities}: {message}"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ScenarioFileError) as caught:
        import_cow(tmp_path / "absent.csv", tmp_path / "nmc.csv", date(1914, 1, 1))
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
    assert done.stdout == f"{out}: 7 states, 5 treaties in force on 1914-01-01\n"
    assert "left out" in done.stderr  # Bavaria's dyad
    assert load_scenario(out) == import_cow(*files, date(1914, 1, 1))  # --year is 1 January
    assert cli("validate", str(out)).returncode == 0


def test_cli_import_cow_by_the_day_with_a_states_list(tmp_path):
    out = tmp_path / "august.sandbox"
    done = cli("import-cow", "--alliances", str(DIRECTED), "--capabilities", str(NMC), "--date", "1914-08-15",
               "--states", str(STATES), "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert load_scenario(out) == import_cow(DIRECTED, NMC, date(1914, 8, 15), STATES)
    assert (
        done.stdout == f"{out}: 4 states, 3 treaties in force on 1914-08-15\n"
    )  # UKG, FRN, GMY, RUS; 2, 3, 5


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (["--date", "1914-02-30"], "--date: '1914-02-30': must be a date YYYY-MM-DD"),
        (["--date", "1914-07-28", "--year", "1914"], "not allowed with argument"),
        ([], "one of the arguments --date --year is required"),
    ],
)
def test_cli_import_cow_bad_dates_exit_2(tmp_path, when, message):
    done = cli("import-cow", "--alliances", str(DIRECTED), "--capabilities", str(NMC), *when,
               "--out", str(tmp_path / "out.sandbox"))  # fmt: skip
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.sandbox").exists()


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


def test_bad_dates_name_their_line_and_column(tmp_path):
    alliances = [*ALLIANCES]
    alliances[0] = alliances[0].replace(",1,1,1882,", ",30,2,1882,")  # line 2: no 30 February
    alliances[1] = alliances[1].replace(",31,12,1915,", ",31,13,1915,")  # line 3
    alliances[2] = alliances[2].replace(",1,1,1882,", ",1,1,,")  # line 4: no start year
    error = problems_of(tmp_path, alliances=alliances)
    assert error.problems == [
        "line 2, column dyad_st_day: must be a day from 1 to 28 in 1882-02, got 30",
        "line 3, column dyad_end_month: must be a month from 1 to 12, got '13'",
        "line 4, column dyad_st_year: must be a year, got ''",
    ]
    states = write(
        tmp_path / "states.csv", ",".join(STATE_COLUMNS), ["UKG,200,United Kingdom,1816,1,1,,12,31"]
    )
    with pytest.raises(ScenarioFileError) as caught:
        import_cow(DIRECTED, NMC, date(1914, 1, 1), states)
    assert str(caught.value) == f"{states}: line 2, column endyear: must be a year, got ''"
