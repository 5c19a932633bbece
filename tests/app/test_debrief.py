"""The debrief pack: the folder's files and what each one holds."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections import Counter

import numpy as np
from PySide6.QtGui import QImage

from sandbox.app.run.charts import EXPORT_SIZE, EXPORT_WIDTH
from sandbox.app.workshop.debrief_action import slug
from sandbox.core.debrief import handout, index_html, index_markdown, series_csv, write_debrief
from sandbox.core.examples import example_path
from sandbox.core.io.fileformat import load_scenario
from sandbox.core.scenario import Meta, Scenario, State, Treaty

CHART_PNG_SIZE = (EXPORT_WIDTH, EXPORT_WIDTH * EXPORT_SIZE[1] // EXPORT_SIZE[0])
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _two_state_world() -> Scenario:
    return Scenario(
        states=[State("A", "Alpha", 10.0, position=(0, 0)), State("B", "Beta", 4.0, position=(100, 0))],
        treaties=[Treaty("ab", "Alpha-Beta pact", members=["A", "B"])],
    )


def test_series_csv_has_tick_first_then_the_series_in_order():
    series = {"stability": np.array([1.0, 0.5]), "tick": np.array([0, 1]), "belligerents": np.array([2, 3])}
    assert series_csv(series) == "tick,stability,belligerents\n0,1.0,2\n1,0.5,3\n"


def test_write_debrief_writes_every_file_atomically_into_a_new_folder(tmp_path):
    folder = tmp_path / "pack" / "run-1"
    scenario = _two_state_world()
    written = write_debrief(
        folder,
        scenario,
        report_json='{"outcome": {"result": "peace"}}\n',
        series={"tick": np.array([0]), "stability": np.array([1.0])},
        event_log_markdown="# Log\n",
        images={"canvas": PNG_SIGNATURE + b"x"},
    )
    names = [path.name for path in written]
    assert names == ["scenario.sandbox", "report.json", "series.csv", "event-log.md", "canvas.png"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)  # no temp files left behind
    assert load_scenario(folder / "scenario.sandbox") == scenario
    assert json.loads((folder / "report.json").read_text())["outcome"]["result"] == "peace"
    assert list(csv.reader((folder / "series.csv").read_text().splitlines())) == [
        ["tick", "stability"],
        ["0", "1.0"],
    ]
    assert (folder / "canvas.png").read_bytes().startswith(PNG_SIGNATURE)


def test_write_debrief_leaves_other_files_in_the_folder_alone(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    write_debrief(
        tmp_path, _two_state_world(), report_json="{}", series={"tick": np.array([])}, event_log_markdown=""
    )
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert (tmp_path / "series.csv").read_text() == "tick\n"


def test_the_debrief_action_writes_the_whole_run(main_window, tmp_path, monkeypatch):
    window = main_window
    window.live.controller.run_ticks(3)
    simulation = window.live.controller.simulation
    debrief = window.workshop.debrief
    monkeypatch.setattr(debrief, "ask_folder", lambda: str(tmp_path))
    assert debrief.action in window.simulation_menu.actions()
    debrief.action.trigger()
    (folder,) = list(tmp_path.iterdir())
    assert folder.name.startswith("small-1914-debrief-")
    names = {path.name for path in folder.iterdir()}
    charts = {f"chart-{slug(chart.title)}.png" for chart in window.live.charts.charts}
    files = {
        "scenario.sandbox",
        "report.json",
        "series.csv",
        "event-log.md",
        "canvas.png",
        "index.md",
        "index.html",
    }
    assert names == files | charts
    assert len(charts) == len(window.live.charts.charts) >= 5
    assert load_scenario(folder / "scenario.sandbox") == window.document.scenario
    assert json.loads((folder / "report.json").read_text()) == json.loads(json.dumps(simulation.report()))
    rows = list(csv.reader((folder / "series.csv").read_text().splitlines()))
    assert rows[0][0] == "tick" and len(rows) == 1 + simulation.tick
    assert [float(row[rows[0].index("stability")]) for row in rows[1:]] == simulation.recorder.series[
        "stability"
    ].tolist()
    log = (folder / "event-log.md").read_text()
    assert all(event.text.replace("|", "\\|") in log for event in simulation.events) and simulation.events
    canvas = QImage(str(folder / "canvas.png"))
    view = window.canvas.viewport().size()
    assert (canvas.width(), canvas.height()) == (2 * view.width(), 2 * view.height())  # twice the screen
    for name in charts:  # the export size, whichever tab was shown
        image = QImage(str(folder / name))
        assert (image.width(), image.height()) == CHART_PNG_SIZE, name


def assert_chart_drawn(path) -> None:
    """The chart PNG has the export size and data drawn in its plot area: ink (saturated or dark
    pixels) off the axis and divider lines, which are rows or columns mostly of ink."""
    image = QImage(str(path))
    assert (image.width(), image.height()) == CHART_PNG_SIZE
    w, h = image.width(), image.height()
    xs, ys = range(w // 10, w * 95 // 100, 3), range(h // 10, h * 85 // 100, 3)
    ink = {
        (x, y)
        for x in xs
        for y in ys
        if (c := image.pixelColor(x, y)).value() < 90 or (c.hsvSaturation() > 120 and c.value() > 60)
    }
    rows, columns = Counter(y for _, y in ink), Counter(x for x, _ in ink)
    data = [p for p in ink if rows[p[1]] < 0.4 * len(xs) and columns[p[0]] < 0.4 * len(ys)]
    assert len(data) > 100, f"{path.name}: no data drawn ({len(data)} pixels)"


def test_a_folder_that_cannot_be_written_is_reported(main_window, tmp_path, monkeypatch):
    debrief = main_window.workshop.debrief
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    problems = []
    monkeypatch.setattr(debrief, "ask_folder", lambda: str(blocker))
    monkeypatch.setattr(debrief, "show_problem", problems.append)
    assert debrief.ask_and_write() is None
    assert problems and str(blocker) in problems[0]


NOTES = (
    "# Four\n\n## Questions for the room\n\n1. Why did Delta\n   stay out?\n2. Was it wise?\n\n## Else\n- no"
)


def test_the_handout_says_who_fought_honoured_and_reneged():
    # Alpha attacks Beta; Gamma honours a pact with Beta, Delta reneges on one: worked out by hand
    scenario = Scenario(
        states=[State(i, n, 1.0) for i, n in (("A", "Alpha"), ("B", "Beta"), ("C", "Gamma"), ("D", "Delta"))],
        meta=Meta(title="Four", notes=NOTES),
    )
    report = {
        "outcome": {"result": "aggressor-defeated", "ended_tick": 4, "wars": [{"result": "x"}]},
        "states": {
            "A": {"status": "defeated", "side": "aggressor", "reason": {"aggressor": True}, "cost": 5.0},
            "B": {"status": "belligerent", "side": "defender", "reason": {"attacked_by": "A"}, "cost": 2.0},
            "C": {"status": "belligerent", "side": "defender", "reason": {"treaty": "bc", "ally": "B"}},
            "D": {"status": "reneged", "side": None, "reason": None},
        },
        "attacks": [{"tick": 0, "aggressor": "A", "target": "B", "deterred": False,
                     "attacker_strength": 1.0, "expected_defense": 0.5}],
    }  # fmt: skip
    sections = dict((heading, lines) for heading, lines, _ in handout(scenario, report))
    assert sections["Outcome"] == ["The aggressor was defeated at tick 4."]
    assert sections["Who fought"] == ["Aggressor side: Alpha", "Defender side: Beta, Gamma"]
    assert sections["Who honoured, who reneged"] == ["Honoured: Gamma", "Reneged: Delta"]
    assert "Ticks run: 5 ticks" in sections["Key numbers"]
    assert "strength 1.0 against an expected defence of 0.5 (not deterred)" in sections["Key numbers"][2]
    assert sections["Questions for the room"] == ["Why did Delta stay out?", "Was it wise?"]
    assert "aggressor-defeated" not in index_markdown("Four", handout(scenario, report), [])
    page = index_html("Four", handout(scenario, report), [("canvas.png", "The map")])
    assert '<img src="canvas.png" alt="The map">' in page and "<ol><li>Why did Delta stay out?</li>" in page


def test_debrief_on_the_command_line_writes_the_pack_without_a_window(tmp_path):
    out = tmp_path / "pack"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # it needs no display at all
    env.pop("DISPLAY", None)
    code = "import sys; from sandbox.app.shell.main import main; sys.exit(main())"
    example = str(example_path("july-1914"))
    result = subprocess.run(
        [sys.executable, "-c", code, example, "--debrief", str(out), "--ticks", "5"],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text()
    pictures = re.findall(r'<img src="([^"]+)"', page)
    assert len(pictures) == 6 and all((out / name).is_file() for name in pictures)
    assert "Questions for the room" in page and "Russia" in page
    for name in pictures[1:]:  # five charts, only one of which a window would have shown
        assert_chart_drawn(out / name)
