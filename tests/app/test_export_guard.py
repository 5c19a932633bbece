"""No export overwrites the open scenario: each export action refuses, with a dialog, a file name
that is the scenario's file or a link to it, and the scenario file stays as it was."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from sandbox.core.io.fileformat import save_scenario


def _open_from(make_window, world, tmp_path, name="scenario.json"):
    # a scenario file may have any name: here one an export would pick (.json, as the report)
    path = tmp_path / name
    save_scenario(world, path)
    window = make_window(world, str(path.resolve()))
    return window, path, path.read_bytes()


def test_every_run_export_refuses_the_open_scenario_file(make_window, world, tmp_path, monkeypatch):
    window, scenario_file, before = _open_from(make_window, world, tmp_path)
    live = window.live
    live.controller.run_ticks(3)
    link = tmp_path / "strength.csv"
    link.symlink_to(scenario_file)  # a link to the scenario is the scenario
    log_link = tmp_path / "log.md"
    log_link.symlink_to(scenario_file)
    answers = iter(
        [(str(scenario_file), "JSON (*.json)"), (str(log_link), "Markdown (*.md)"), (str(link), "CSV")]
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: next(answers))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append((title, text)))
    live.export_report_action.trigger()
    live.export_log_action.trigger()
    live.charts.tabs.setCurrentWidget(live.charts.time_charts[1])
    next(a for a in live.charts.export_button.menu().actions() if a.text().startswith("CSV")).trigger()
    assert [title for title, _ in warnings] == ["Export failed"] * 3
    for (_, text), asked in zip(warnings, (scenario_file, log_link, link), strict=True):
        assert text.startswith(f"{asked}: is the open scenario scenario.json")
        assert "choose another name" in text
    assert scenario_file.read_bytes() == before
    assert link.is_symlink() and log_link.is_symlink()


def test_graph_and_experiment_exports_refuse_the_open_scenario_file(
    make_window, world, tmp_path, monkeypatch
):
    window, scenario_file, before = _open_from(make_window, world, tmp_path)
    errors = []
    monkeypatch.setattr(window, "show_save_error", errors.append)
    monkeypatch.setattr(window.interchange, "ask_export_path", lambda: str(scenario_file))
    assert not window.interchange.export_dialog()
    assert errors == [f"Could not export {scenario_file}:\n" + errors[0].split("\n", 1)[1]]
    assert "is the open scenario scenario.json" in errors[0]

    experiments = window.workshop.open_experiments()
    problems = []
    monkeypatch.setattr(experiments, "show_problem", problems.append)
    monkeypatch.setattr(experiments, "ask_csv_path", lambda: str(scenario_file))
    experiments.ask_export_csv()
    assert len(problems) == 1 and "is the open scenario scenario.json" in problems[0]
    experiments.close()
    assert scenario_file.read_bytes() == before


def test_an_export_beside_the_scenario_is_written(make_window, world, tmp_path, monkeypatch):
    # the guard refuses only the scenario itself: another name in its folder is written
    window, scenario_file, _ = _open_from(make_window, world, tmp_path, "scenario.sandbox")
    window.live.controller.run_ticks(3)
    target = tmp_path / "scenario.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: (_ for _ in ()).throw(AssertionError(args)))
    window.live.export_report_action.trigger()
    assert target.read_text().startswith("{")
