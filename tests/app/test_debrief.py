"""The debrief pack: the folder's files and what each one holds."""

from __future__ import annotations

import csv
import json

import numpy as np
from PySide6.QtGui import QImage

from sandbox.app.debrief_action import slug
from sandbox.core.debrief import series_csv, write_debrief
from sandbox.core.fileformat import load_scenario
from sandbox.core.scenario import Scenario, State, Treaty

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
    assert names == {"scenario.sandbox", "report.json", "series.csv", "event-log.md", "canvas.png"} | charts
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
    for name in {"canvas.png"} | charts:
        image = QImage(str(folder / name))
        assert not image.isNull() and image.width() > 300, name


def test_a_folder_that_cannot_be_written_is_reported(main_window, tmp_path, monkeypatch):
    debrief = main_window.workshop.debrief
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    problems = []
    monkeypatch.setattr(debrief, "ask_folder", lambda: str(blocker))
    monkeypatch.setattr(debrief, "show_problem", problems.append)
    assert debrief.ask_and_write() is None
    assert problems and str(blocker) in problems[0]
