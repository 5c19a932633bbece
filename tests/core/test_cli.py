"""security-sandbox-cli: every bad input exits 2 naming file and place; outputs are atomic."""

import copy
import csv
import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.cli import commands as cli
from sandbox.core.io import fileformat
from sandbox.core.io.fileformat import load_scenario
from sandbox.core.scenario import SETTING_RANGES

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini-v1.sandbox"

BASE = {
    "format": "collective-security-sandbox",
    "version": 2,
    "settings": {"deterrence": False},
    "states": [
        {"id": "A", "name": "Alpha", "power": 4},
        {"id": "B", "name": "Beta", "power": 3},
        {"id": "C", "name": "Gamma", "power": 5},
    ],
    "treaties": [
        {
            "id": "ab",
            "name": "AB",
            "type": "defense",
            "members": ["A", "B"],
            "conditions": {"against": ["C"]},
        },
        {"id": "g", "name": "G", "type": "guarantee", "guarantors": ["C"], "members": ["B"]},
        {
            "id": "un",
            "name": "UN",
            "type": "collective-security",
            "members": ["A", "B", "C"],
            "decision": {"rule": "veto", "veto": ["C"]},
        },
    ],  # fmt: skip
    "plans": [{"state": "A", "on_war_with": "B", "also_attack": ["C"]}],
    "events": [{"tick": 0, "type": "attack", "aggressor": "C", "target": "B", "claim": "un"}],
}


def mutated(change):
    data = copy.deepcopy(BASE)
    change(data)
    return data


def setitem(path, value):
    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        data[last] = value

    return change


def delitem(path):
    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        del data[last]

    return change


# (what is wrong, how to break BASE, what the message says after "FILE: ")
BAD_CONTENT = [
    (
        "wrong type",
        setitem(["states", 0, "power"], "big"),
        "states[0].power: must be a number >= 0, got 'big'",
    ),
    ("wrong type", setitem(["states"], {"A": 1}), "states: must be a list, got an object"),
    ("wrong type", setitem(["treaties", 0], 7), "treaties[0]: must be an object, got 7"),
    ("wrong type", setitem(["settings", "deterrence"], "no"), "settings.deterrence: must be true or false"),
    (
        "wrong type",
        setitem(["states", 1, "mobilization"], 1.5),
        "states[1].mobilization: must be a whole number",
    ),
    ("wrong type", setitem(["states", 1, "position"], [1]), "states[1].position: must be [x, y]"),
    ("missing", delitem(["states", 2, "power"]), "states[2].power: required"),
    ("missing", delitem(["states", 2, "name"]), "states[2].name: required"),
    ("missing", delitem(["states", 2, "id"]), "states[2].id: required"),
    ("missing", delitem(["states"]), "states: required"),
    ("missing", delitem(["format"]), 'format: must be "collective-security-sandbox"'),
    ("missing", delitem(["version"]), "version: required"),
    ("negative", setitem(["states", 0, "power"], -5), "states[0].power: must be a number >= 0, got -5"),
    (
        "range",
        setitem(["states", 0, "reliability"], 1.2),
        "states[0].reliability: must be a number between 0 and 1",
    ),
    (
        "range",
        setitem(["treaties", 0, "commitment"], -0.1),
        "treaties[0].commitment: must be a number between 0 and 1",
    ),
    ("duplicate", setitem(["states", 1, "id"], "A"), "states[1].id: duplicate id 'A'"),
    ("duplicate", setitem(["treaties", 1, "id"], "ab"), "treaties[1].id: duplicate id 'ab'"),
    ("treaty id = state id", setitem(["treaties", 0, "id"], "C"), "treaties[0].id: duplicate id 'C'"),
    ("id pattern", setitem(["states", 0, "id"], "A B"), "states[0].id: must be letters, digits, '_' or '-'"),
    ("id pattern", setitem(["treaties", 0, "id"], "ab/cd"), "treaties[0].id: must be letters, digits"),
    ("id type", setitem(["states", 0, "id"], 12), "states[0].id: must be a string, got 12"),
    (
        "unknown member",
        setitem(["treaties", 0, "members"], ["A", "Q"]),
        "treaties[0].members[1]: unknown state 'Q'",
    ),
    (
        "unknown guarantor",
        setitem(["treaties", 1, "guarantors"], ["Q"]),
        "treaties[1].guarantors[0]: unknown state",
    ),
    (
        "unknown against",
        setitem(["treaties", 0, "conditions", "against"], ["Q"]),
        "treaties[0].conditions.against[0]: unknown state 'Q'",
    ),
    (
        "unknown veto",
        setitem(["treaties", 2, "decision", "veto"], ["Q"]),
        "treaties[2].decision.veto[0]: unknown state 'Q'",
    ),
    (
        "self-treaty",
        setitem(["treaties", 0, "members"], ["A", "A"]),
        "treaties[0].members: 'A' is listed twice",
    ),
    (
        "self-guarantee",
        setitem(["treaties", 1, "guarantors"], ["B"]),
        "treaties[1].guarantors: 'B' is also a member",
    ),
    (
        "guarantee without guarantors",
        delitem(["treaties", 1, "guarantors"]),
        "treaties[1].guarantors: a guarantee needs at least one guarantor",
    ),
    (
        "too few members",
        setitem(["treaties", 0, "members"], ["A"]),
        "treaties[0].members: a defense treaty needs at least 2 members",
    ),
    (
        "too few members",
        setitem(["treaties", 1, "members"], []),
        "treaties[1].members: a guarantee treaty needs at least 1 member",
    ),
    (
        "guarantors elsewhere",
        setitem(["treaties", 0, "guarantors"], ["C"]),
        "treaties[0].guarantors: only a guarantee",
    ),
    (
        "treaty type",
        setitem(["treaties", 0, "type"], "friendship"),
        "treaties[0].type: must be one of defense",
    ),
    (
        "decision rule",
        setitem(["treaties", 2, "decision", "rule"], "coin"),
        "treaties[2].decision.rule: must be one",
    ),
    ("event state", setitem(["events", 0, "target"], "Q"), "events[0].target: unknown state 'Q'"),
    ("self-attack", setitem(["events", 0, "target"], "C"), "events[0].target: 'C' cannot attack itself"),
    (
        "negative tick",
        setitem(["events", 0, "tick"], -1),
        "events[0].tick: must be a whole number >= 0, got -1",
    ),
    (
        "event type",
        setitem(["events", 0, "type"], "invade"),
        "events[0].type: must be one of attack, threat, got 'invade'",
    ),
    ("claim", setitem(["events", 0, "claim"], "nato"), "events[0].claim: unknown treaty 'nato'"),
    ("plan state", setitem(["plans", 0, "on_war_with"], "Q"), "plans[0].on_war_with: unknown state 'Q'"),
    ("plan state", setitem(["plans", 0, "also_attack"], ["Q"]), "plans[0].also_attack[0]: unknown state 'Q'"),
    (
        "plan on itself",
        setitem(["plans", 0, "also_attack"], ["A"]),
        "plans[0]: 'A' cannot make war on itself",
    ),
    (
        "setting range",
        setitem(["settings", "attrition"], 3),
        "settings.attrition: must be a number between 0 and 1",
    ),
    (
        "setting range",
        setitem(["settings", "max_ticks"], 0),
        "settings.max_ticks: must be a whole number between 1",
    ),
    ("setting mode", setitem(["settings", "mode"], "random"), "settings.mode: must be one of deterministic"),
    (
        "newer version",
        setitem(["version"], 3),
        "version: this file was written by a newer version of the sandbox (version 3); "
        "this program reads up to 2",
    ),
    ("wrong format", setitem(["format"], "gephi"), 'format: must be "collective-security-sandbox"'),
]


def run_cli(*argv):
    return cli.main([str(a) for a in argv])


def write(tmp_path, data, name="bad.sandbox"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_base_scenario_is_valid(tmp_path, capsys):
    path = write(tmp_path, BASE, "base.sandbox")
    assert run_cli("validate", path) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"


@pytest.mark.parametrize("what, change, message", BAD_CONTENT, ids=[c[0] for c in BAD_CONTENT])
def test_bad_content_exits_2_naming_file_and_place(tmp_path, capsys, what, change, message):
    path = write(tmp_path, mutated(change))
    assert run_cli("validate", path) == 2
    err = capsys.readouterr().err
    assert f"{path}: {message}" in err
    assert all(line.startswith(f"{path}:") for line in err.splitlines())


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"format": "collective-security-sandbox",\n "version": 1,\n "states": [1,]}',
            ":3:15: invalid JSON:",
        ),
        ('{"states": [{"power": NaN}]}', ":1:23: invalid JSON: NaN is not a finite number"),
        ('{"states": [{"power": Infinity}]}', ":1:23: invalid JSON: Infinity is not a finite number"),
        ('{"states": [{"power": -Infinity}]}', ":1:23: invalid JSON: -Infinity is not a finite number"),
        (
            json.dumps(BASE).replace('"power": 4', '"power": 2e308'),
            ": states[0].power: must be a number >= 0, got inf",
        ),
        (
            json.dumps({**BASE, "x": 0}).replace('"x": 0', '"x": ' + "[" * 64 + "]" * 64),
            ": x" + "[0]" * 63 + ": nested more than 64 levels deep",
        ),
        ("[" * 100_000, ": invalid JSON: nested more than 64 levels deep"),
        ("", ":1:1: invalid JSON: Expecting value"),
        ("[]", ": must be a JSON object (a scenario), got a list"),
    ],
)
def test_bad_json_exits_2_with_line_and_column(tmp_path, capsys, content, message):
    path = write(tmp_path, content)
    assert run_cli("validate", path) == 2
    assert capsys.readouterr().err.startswith(f"{path}{message}")


def test_non_utf8_bytes_exit_2_with_offset(tmp_path, capsys):
    path = tmp_path / "latin.sandbox"
    path.write_bytes(json.dumps(BASE).replace("Gamma", "G\u00e4mma").encode("latin-1"))
    offset = path.read_bytes().index(0xE4)
    assert run_cli("validate", path) == 2
    assert (
        capsys.readouterr().err
        == f"{path}: not UTF-8 text: byte 0xe4 at byte offset {offset} cannot be decoded\n"
    )


def test_huge_folder_and_missing_files_exit_2(tmp_path, capsys):
    big = tmp_path / "big.sandbox"
    with open(big, "wb") as stream:
        stream.truncate(65 * 2**20)
    assert run_cli("validate", big, tmp_path, tmp_path / "gone.sandbox", MINI) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{big}: file is 65.0 MiB; scenario files are limited to 64 MiB",
        f"{tmp_path}: is a folder, not a scenario file",
        f"{tmp_path / 'gone.sandbox'}: no such file",
    ]
    assert out == f"{MINI}: ok\n"


def test_validate_does_not_import_networkx_or_numpy():
    code = (
        "import sys; from sandbox.cli import commands as cli; rc = cli.main(['validate', sys.argv[1]]); "
        "print(rc, 'networkx' in sys.modules, 'numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 False False"


# -- run ------------------------------------------------------------------------


def test_run_narrates_and_writes_series(tmp_path, capsys):
    series = tmp_path / "series.csv"
    assert run_cli("run", MINI, "--series", series) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "tick   0  Austria-Hungary attacks Serbia."
    rows = list(csv.DictReader(io.StringIO(series.read_text())))
    assert list(rows[0])[:2] == ["tick", "stability"] and {"belligerents", "cohesion"} <= set(rows[0])
    assert [int(r["tick"]) for r in rows] == list(range(len(rows)))
    assert int(rows[0]["belligerents"]) == 2  # Austria-Hungary and Serbia fight from tick 0


def test_run_attack_replaces_scripted_events(capsys):
    assert run_cli("run", MINI, "--attack", "GER:BEL", "--ticks", "3") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "tick   0  Germany attacks Belgium."
    assert not any("Austria-Hungary attacks" in line for line in lines)
    assert all(int(line.split()[1]) <= 2 for line in lines)  # --ticks 3: ticks 0, 1, 2


def test_run_report_to_stdout_moves_narration_to_stderr(capsys):
    assert run_cli("run", MINI, "--report", "-") == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["outcome"]["result"] in ("aggressor-victory", "aggressor-defeated", "stalemate")
    assert set(report["states"]) == {"GER", "AUH", "SRB", "RUS", "BEL", "UK"}
    assert err.startswith("tick   0  Austria-Hungary attacks Serbia.")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--attack", "GER:XX"], f"{MINI}: --attack GER:XX: unknown state 'XX'"),
        (["--attack", "ZZ:GER"], f"{MINI}: --attack ZZ:GER: unknown state 'ZZ'"),
        (["--attack", "GER:GER"], f"{MINI}: --attack GER:GER: a state cannot attack itself"),
        (
            ["--series", "/nonexistent/dir/s.csv"],
            "/nonexistent/dir/s.csv: the folder '/nonexistent/dir' does not exist",
        ),
    ],
)
def test_run_bad_arguments_exit_2(capsys, argv, message):
    assert run_cli("run", MINI, *argv) == 2
    out, err = capsys.readouterr()
    assert err == message + "\n" and out == ""


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--attack", "GER"], "expected AGGRESSOR:TARGET"),
        (["--seed", "-3"], "argument --seed: '-3': must be at least 0"),
        (["--ticks", "0"], "argument --ticks: '0': must be at least 1"),
        (["--ticks", "many"], "argument --ticks: 'many': must be a whole number"),
        (["--ticks", "100000001"], "argument --ticks: '100000001': must be at most 100,000"),
    ],
)
def test_run_bad_options_exit_2_with_usage(capsys, argv, message):
    with pytest.raises(SystemExit) as caught:
        run_cli("run", MINI, *argv)
    assert caught.value.code == 2 and message in capsys.readouterr().err


def test_ticks_cap_is_the_files_max_ticks_cap():
    assert SETTING_RANGES["max_ticks"][1] == cli.MAX_TICKS


def test_outputs_that_cannot_be_written_name_the_users_path(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    assert run_cli("run", MINI, "--report", folder) == 2
    assert capsys.readouterr().err == f"{folder}: is a folder; give a file name\n"

    def disk_full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fileformat, "atomic_write", disk_full)
    for argv in (["run", MINI, "--series", tmp_path / "s.csv"], ["convert", MINI, tmp_path / "s.sandbox"]):
        assert run_cli(*argv) == 2
        assert capsys.readouterr().err.endswith(f"{argv[-1]}: cannot write: No space left on device\n")


def test_atomic_write_error_names_the_target_not_the_temp_file(tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as caught:
        fileformat.atomic_write(folder, "x")
    assert caught.value.filename == str(folder) and list(tmp_path.iterdir()) == [folder]


def test_big_reports_are_written_compactly(capsys, monkeypatch):
    assert run_cli("run", MINI, "--report", "-") == 0
    indented = capsys.readouterr().out
    monkeypatch.setattr(cli, "LARGE_REPORT_STATES", 1)
    assert run_cli("run", MINI, "--report", "-") == 0
    compact = capsys.readouterr().out
    assert indented.startswith('{\n  "') and compact.count("\n") == 1
    assert json.loads(compact) == json.loads(indented)


def test_run_into_a_closed_pipe_stops_quietly():
    # `true` exits long before Python has started, so the narration meets a closed pipe, as with `| head`
    done = subprocess.run(
        f"{sys.executable} -m sandbox.cli run {MINI} | true; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, cli.BROKEN_PIPE) and done.stderr == ""


def test_narration_the_terminal_cannot_encode_is_escaped(tmp_path):
    data = copy.deepcopy(BASE)
    data["states"][0]["name"] = "\u00d6sterreich"
    ascii_only = dict(os.environ, PYTHONIOENCODING="ascii")
    argv = [sys.executable, "-m", "sandbox.cli", "run", write(tmp_path, data), "--attack", "A:B"]
    done = subprocess.run(argv, capture_output=True, text=True, env=ascii_only)
    assert done.returncode == 0 and done.stderr == ""
    assert "\\xd6sterreich attacks Beta" in done.stdout


# -- convert --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json", ".sandbox"])
def test_convert_there_and_back(tmp_path, suffix):
    middle, back = tmp_path / f"mid{suffix}", tmp_path / "back.sandbox"
    assert run_cli("convert", MINI, middle) == 0
    assert run_cli("convert", middle, back) == 0
    before, after = load_scenario(MINI), load_scenario(back)
    assert after.states == before.states
    assert {t.id: t for t in after.treaties} == {t.id: t for t in before.treaties}


def test_convert_failing_midway_leaves_existing_file(tmp_path, capsys, monkeypatch):
    out = tmp_path / "world.graphml"
    out.write_bytes(b"<old/>\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", broken_replace)
    assert run_cli("convert", MINI, out) == 2
    assert capsys.readouterr().err == f"{out}: cannot write: No space left on device\n"
    assert out.read_bytes() == b"<old/>\n" and os.listdir(tmp_path) == ["world.graphml"]


def test_convert_bad_input_leaves_existing_file(tmp_path, capsys):
    out = tmp_path / "world.json"
    out.write_text("old")
    assert run_cli("convert", FIXTURES / "bad-content.sandbox", out) == 2
    assert "states[3].power" in capsys.readouterr().err and out.read_text() == "old"


def test_convert_unknown_extension_exits_2(tmp_path, capsys):
    assert run_cli("convert", MINI, tmp_path / "x.dot") == 2
    assert "x.dot: unknown format '.dot'" in capsys.readouterr().err


# -- examples -------------------------------------------------------------------


@pytest.fixture
def example_folder(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "july-1914.sandbox").write_bytes(MINI.read_bytes())
    (folder / "cold-war.sandbox").write_text(json.dumps(BASE))  # no title: the name stands in
    (folder / "notes.txt").write_text("not a scenario")
    monkeypatch.setattr("sandbox.core.examples.scenarios_folder", lambda: folder)
    return folder


def test_examples_lists_name_then_title(example_folder, capsys):
    assert run_cli("examples") == 0
    assert capsys.readouterr().out == "cold-war   cold-war\njuly-1914  Mini\n"


def test_examples_writes_one_out(example_folder, tmp_path, capsys):
    out = tmp_path / "mine.sandbox"
    assert run_cli("examples", "july-1914", "--out", out) == 0
    assert out.read_bytes() == MINI.read_bytes()
    assert run_cli("examples", "nope") == 2
    assert capsys.readouterr().err == "nope: no such example (bundled: cold-war, july-1914)\n"
    assert run_cli("examples", "../july-1914") == 2


def test_example_api(example_folder):
    from sandbox.core.examples import DEFAULT_EXAMPLE, example_path, list_examples, load_example

    assert [e.name for e in list_examples()] == ["cold-war", "july-1914"]
    assert example_path(DEFAULT_EXAMPLE) == example_folder / "july-1914.sandbox"
    assert load_example("july-1914").meta.title == "Mini"


# -- no traceback ever reaches the user -----------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", str(FIXTURES / "syntax-error.sandbox")],
        ["run", str(MINI), "--attack", "GER:NOPE"],
        ["run", "/no/such/file.sandbox"],
        ["convert", str(FIXTURES / "latin1.sandbox"), "/tmp/never-written.json"],
        ["sweep", str(MINI), "--vary", "states.NOPE.power=1:2:2"],
        ["run", str(MINI), "--seed", "x"],
    ],
)
def test_subprocess_bad_input_exits_2_without_traceback(argv):
    done = subprocess.run([sys.executable, "-m", "sandbox.cli", *argv], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.strip()
    assert not Path("/tmp/never-written.json").exists()
