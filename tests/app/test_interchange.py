"""File > Import Graph and File > Export > Graph through the main window's actions."""

from __future__ import annotations

import pytest

from sandbox.app.editing.commands import UpdateStateCommand
from sandbox.core.io.graphio import write_graph
from sandbox.core.scenario import Scenario


def by_id(items):
    return sorted(items, key=lambda item: item.id)


@pytest.fixture
def window(make_window, world):
    return make_window(world)  # the main window installs the interchange actions itself


def test_the_actions_sit_in_the_file_menu(window):
    file_menu = window.recent_menu.parentWidget()
    actions = file_menu.actions()
    after_recent = actions.index(window.recent_menu.menuAction()) + 1
    assert actions.index(window.interchange.import_action) == after_recent
    assert window.interchange.export_action in window.export_menu.actions()
    assert [a.text() for a in actions].count("&Import Graph...") == 1


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_export_then_import_through_the_actions_gives_the_world_back(
    window, world, tmp_path, monkeypatch, suffix
):
    target = tmp_path / f"world{suffix}"
    monkeypatch.setattr(window.interchange, "ask_export_path", lambda: str(target))
    window.interchange.export_action.trigger()
    assert target.stat().st_size > 0

    window.document.replace(Scenario(), None)
    monkeypatch.setattr(window.interchange, "ask_import_path", lambda: str(target))
    window.interchange.import_action.trigger()
    imported = window.document.scenario
    assert imported.states == world.states
    if suffix == ".gexf":  # GEXF has no graph attributes: the network comes back, its order and script do not
        assert by_id(imported.treaties) == by_id(world.treaties)
        assert imported.meta.title == world.meta.title
    else:
        assert imported == world
    assert window.document.path is None  # untitled: Save asks where the .sandbox goes
    assert not window.isWindowModified() and window.document.undo_stack.count() == 0
    assert "Untitled" in window.windowTitle()


def test_a_graph_from_another_tool_imports(window, tmp_path, monkeypatch):
    # what networkx itself writes for a plain graph with SPEC's attributes
    import networkx as nx

    graph = nx.Graph()
    graph.add_node("A", name="Avalon", power=3.0, x=10.0, y=20.0)
    graph.add_node("B", name="Brigadoon", power=5.0, x=200.0, y=20.0)
    graph.add_edge("A", "B", type="defense")
    path = tmp_path / "tool.graphml"
    nx.write_graphml(graph, path)
    monkeypatch.setattr(window.interchange, "ask_import_path", lambda: str(path))
    window.interchange.import_action.trigger()
    scenario = window.document.scenario
    assert [(s.id, s.name, s.power, s.position) for s in scenario.states] == [
        ("A", "Avalon", 3.0, (10.0, 20.0)),
        ("B", "Brigadoon", 5.0, (200.0, 20.0)),
    ]
    assert [(t.type, t.members) for t in scenario.treaties] == [("defense", ["A", "B"])]


def test_a_bad_graph_shows_its_problems_and_keeps_the_open_scenario(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [{"id": "A", "name": "Avalon"}], "edges": []}')  # no power
    shown = []
    monkeypatch.setattr(window, "show_file_error", shown.append)
    monkeypatch.setattr(window.interchange, "ask_import_path", lambda: str(bad))
    asked = []
    monkeypatch.setattr(
        window.interchange, "ask_power_from_degree", lambda error: asked.append(error) or False
    )
    before = window.document.scenario
    window.interchange.import_action.trigger()
    assert window.document.scenario is before
    assert len(shown) == 1 and shown[0].source == str(bad)
    assert shown[0].problems[0].startswith("power: 1 of 1 nodes have no power")
    assert asked == [shown[0]]  # offered the degree instead, and declined


def test_a_plain_graph_imports_with_degree_as_power_when_the_user_says_so(window, tmp_path, monkeypatch):
    import networkx as nx

    plain = tmp_path / "plain.graphml"
    nx.write_graphml(nx.star_graph(3), plain)  # a hub with three ties, three states with one
    monkeypatch.setattr(window.interchange, "ask_import_path", lambda: str(plain))
    monkeypatch.setattr(window.interchange, "ask_power_from_degree", lambda error: True)
    window.interchange.import_action.trigger()
    assert [s.power for s in window.document.scenario.states] == [3.0, 1.0, 1.0, 1.0]


def test_import_asks_about_unsaved_changes_first(window, world, tmp_path, monkeypatch):
    other = tmp_path / "other.graphml"
    write_graph(Scenario(), other)
    window.document.undo_stack.push(UpdateStateCommand(window.document.scenario, "GER", power=3.0))
    asked = []
    monkeypatch.setattr(window, "ask_save_changes", lambda: asked.append("save?") or "cancel")
    monkeypatch.setattr(window.interchange, "ask_import_path", lambda: asked.append("path?") or str(other))
    window.interchange.import_action.trigger()
    assert asked == ["save?"]  # cancelled: no file dialog, nothing replaced
    assert window.document.scenario.state("GER").power == 3.0

    monkeypatch.setattr(window, "ask_save_changes", lambda: asked.append("save?") or "discard")
    window.interchange.import_action.trigger()
    assert asked == ["save?", "save?", "path?"]
    assert window.document.scenario.states == []


def test_an_export_that_cannot_be_written_shows_an_error(window, tmp_path, monkeypatch):
    errors = []
    monkeypatch.setattr(window, "show_save_error", errors.append)
    monkeypatch.setattr(
        window.interchange, "ask_export_path", lambda: str(tmp_path / "missing" / "w.graphml")
    )
    window.interchange.export_action.trigger()
    assert len(errors) == 1 and "missing" in errors[0]
    monkeypatch.setattr(window.interchange, "ask_export_path", lambda: str(tmp_path / "w.dot"))
    window.interchange.export_action.trigger()
    assert len(errors) == 2 and "unknown graph format '.dot'" in errors[1]
    assert not (tmp_path / "w.dot").exists()


def test_a_gephi_file_imports_and_the_mapped_ids_are_said(window, monkeypatch):
    from pathlib import Path

    gephi = Path(__file__).parents[1] / "core" / "fixtures" / "graphs" / "gephi-0.9-gexf-1.2.gexf"
    monkeypatch.setattr(window.interchange, "ask_import_path", lambda: str(gephi))
    window.interchange.import_action.trigger()
    assert [s.id for s in window.document.scenario.states] == ["0_0", "1_0", "2_0"]
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Imported {gephi}; node ids that are not state ids")
    assert "'0.0' -> '0_0'" in message
