"""What is written can be read: the 64 MiB cap on reads applies to writes (here with a small cap)."""

import json

import pytest

from sandbox.cli import commands as cli
from sandbox.core.io import fileformat
from sandbox.core.io.fileformat import ScenarioFileError, dumps_scenario, load_scenario, save_scenario
from sandbox.core.io.graphio import read_graph, write_graph
from sandbox.core.scenario import Scenario, State, Treaty


def world(n: int = 40) -> Scenario:
    # states at their default reliability, mobilisation and position: what a plain graph imports to
    states = [State(f"S{i:03}", f"State {i}", float(i + 1)) for i in range(n)]
    treaties = [Treaty(f"t{i}", f"T{i}", "defense", [f"S{i:03}", f"S{i + 1:03}"]) for i in range(n - 1)]
    return Scenario(states, treaties)


def test_a_world_over_the_cap_when_readable_is_saved_compactly_and_loads_back(tmp_path, monkeypatch):
    scenario = world()
    readable = dumps_scenario(scenario)
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", len(readable) - 1)
    compact = dumps_scenario(scenario)
    assert len(compact) < len(readable) - 1 and '"reliability"' not in compact
    assert compact.startswith('{\n"format":"collective-security-sandbox",')
    path = tmp_path / "big.sandbox"
    save_scenario(scenario, path)
    assert load_scenario(path) == scenario


def test_a_file_that_loaded_saves_back_under_the_cap(tmp_path, monkeypatch):
    # the smallest honest file of the world (minified, defaults left out) sets the cap
    data = fileformat.scenario_to_dict(world())
    data["states"] = [{"id": s["id"], "name": s["name"], "power": s["power"]} for s in data["states"]]
    source = tmp_path / "in.sandbox"
    source.write_text(json.dumps(data, separators=(",", ":")))
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", source.stat().st_size + 200)
    scenario = load_scenario(source)
    save_scenario(scenario, tmp_path / "out.sandbox")
    assert load_scenario(tmp_path / "out.sandbox") == scenario


def test_a_write_over_the_cap_is_refused_with_its_size_and_a_hint(tmp_path, monkeypatch, capsys):
    scenario = world()
    source = tmp_path / "in.sandbox"
    save_scenario(scenario, source)
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ScenarioFileError) as caught:
        save_scenario(scenario, tmp_path / "out.sandbox")
    size = len(dumps_scenario(scenario)) / 2**20
    assert str(caught.value) == (
        f"{tmp_path / 'out.sandbox'}: it would be {size:.1f} MiB, over the 0 MiB a scenario file may have, "
        "so it could not be opened again: it is written compactly already; remove states or treaties, "
        "or split the world"
    )
    assert not (tmp_path / "out.sandbox").exists()
    # the CLI says so and exits 2; a graph format points to .sandbox
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", source.stat().st_size)  # the input still reads
    assert cli.main(["convert", str(source), str(tmp_path / "out.graphml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'out.graphml'}: it would be ") and err.endswith(
        "save it as .sandbox, which holds a larger world (written compactly)\n"
    )
    assert not (tmp_path / "out.graphml").exists()


@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_a_graph_over_the_cap_when_indented_is_written_without_indentation(tmp_path, monkeypatch, suffix):
    scenario = world()
    pretty = tmp_path / f"pretty{suffix}"
    write_graph(scenario, pretty)
    expected = read_graph(pretty)
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", pretty.stat().st_size - 1)
    flat = tmp_path / f"flat{suffix}"
    write_graph(scenario, flat)
    assert flat.stat().st_size < pretty.stat().st_size
    assert read_graph(flat) == expected
