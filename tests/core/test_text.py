"""Text is data: control characters in names never reach the terminal or the screen raw."""

import json

from sandbox.cli import commands as cli
from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Scenario, ScriptedEvent, State
from sandbox.core.text import shown

# a window title, a screen clear, a forged narration line, a right-to-left override, a C1 control
EVIL = "Evil\x1b]0;pwned\x07\x1b[2J\r\ntick   9  Serbia surrenders.\u202e\x9b"


def test_shown_escapes_c0_c1_and_bidi_controls():
    assert shown("Plain Ünïcode name") == "Plain Ünïcode name"
    assert shown(EVIL) == "Evil\\x1b]0;pwned\\x07\\x1b[2J\\r\\ntick   9  Serbia surrenders.\\u202e\\x9b"
    assert shown("a\tb\x00\u2066c\u200f") == "a\\tb\\x00\\u2066c\\u200f"


def test_a_name_with_escape_sequences_goes_through_run_escaped(tmp_path, capsys):
    # EVIL (10) attacks Serbia (1): one narration line per event, none raw; the report keeps the name
    scenario = Scenario(
        [State("EVL", EVIL, 10.0), State("SRB", "Serbia", 1.0)],
        events=[ScriptedEvent(0, "EVL", "SRB")],
    )
    scenario.update_meta(title=EVIL)
    path = tmp_path / "evil.sandbox"
    save_scenario(scenario, path)
    report = tmp_path / "report.json"
    assert cli.main(["run", str(path), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\r\u202e\x9b")
    lines = out.splitlines()
    assert all(line.startswith("tick ") for line in lines)
    assert len(lines) == len(json.loads(report.read_text("utf-8"))["events"])
    assert "Evil\\x1b]0;pwned" in lines[0]
    assert EVIL in json.loads(report.read_text("utf-8"))["events"][0]["text"]  # the report is faithful


def test_an_id_with_a_control_character_is_bad_input(tmp_path, capsys):
    path = tmp_path / "bad.sandbox"
    text = json.dumps(
        {
            "format": "collective-security-sandbox",
            "version": 2,
            "states": [{"id": "GER\n", "name": "G", "power": 1}],
        }
    )
    path.write_text(text)
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: states[0].id") and "\n" not in err.rstrip("\n")
