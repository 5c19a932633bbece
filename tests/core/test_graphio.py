"""Graph interchange: round trips, and graphs written by other tools."""

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from networkx.readwrite import json_graph

from sandbox.core.examples import list_examples
from sandbox.core.io.fileformat import ScenarioFileError, load_scenario
from sandbox.core.io.graphio import read_graph, scenario_to_graph, write_graph
from sandbox.core.layout import MIN_DISTANCE
from sandbox.core.scenario import Conditions, Decision, Settings, Treaty, radius_for_power

FIXTURES = Path(__file__).parent / "fixtures"
GRAPHS = FIXTURES / "graphs"  # written by hand as Gephi, yEd and networkx write them
SCHEMA = FIXTURES / "gexf-1.2draft-schema"


@pytest.fixture
def world():
    scenario = load_scenario(FIXTURES / "mini-v1.sandbox")
    scenario.state("GER").extra["cinc"] = 0.1433
    scenario.update_state("GER", break_fraction=0.3, autonomy=0.2)
    scenario.update_state("SRB", revisionism=0.5)
    scenario.state("RUS").extra["cinc"] = "unknown"  # one attribute, two types: GEXF declares only one
    scenario.add_treaty(
        Treaty(
            "league",
            "League",
            "collective-security",
            ["UK", "SRB", "RUS", "BEL"],
            decision=Decision("veto", ["UK", "RUS"], response="authorise"),
            conditions=Conditions(extra={"x_art": "16", "x_vote": 2}),
            mediation=0.25,
            extra={"art": 16},
        )
    )
    scenario.add_treaty(Treaty("entente", "Entente", "entente", ["RUS", "UK"], commitment=0.5), index=0)
    scenario.extra["x_source"] = {"archive": ["PA-AA", 1914]}
    scenario.update_meta(description="A small July crisis", notes="Line one\nline two")
    return scenario


@pytest.mark.parametrize("suffix", [".graphml", ".json", ".gexf"])
def test_round_trip_keeps_every_field(world, tmp_path, suffix):
    assert world.plans and world.events and world.settings != Settings() and world.meta.description
    path = tmp_path / f"world{suffix}"
    write_graph(world, path)
    again = read_graph(path)
    world.meta.extra.clear()  # an object under meta has no place in a graph attribute
    assert again == world
    assert [t.id for t in again.treaties] == [t.id for t in world.treaties]


def test_gexf_is_1_2_undirected_with_viz_and_no_internal_columns(world, tmp_path):
    path = tmp_path / "world.gexf"
    write_graph(world, path)
    text = path.read_text()
    namespaces = 'xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz"'
    assert f'<gexf {namespaces} version="1.2">' in text
    assert '<graph defaultedgetype="undirected" mode="static">' in text
    assert 'type="directed"' not in text and "networkx_key" not in text
    for column in (
        "x",
        "y",
        "color",
        "type",
    ):  # positions and colours are viz elements; GEXF's type is its own
        assert f'<attribute id="{column}"' not in text
    assert '<node id="GER" label="Germany">' in text
    germany = load_scenario(FIXTURES / "mini-v1.sandbox").state("GER")
    # Gephi's y axis points up, the canvas's down
    assert f'<viz:position x="{germany.position[0]!r}" y="{-germany.position[1]!r}" z="0.0" />' in text
    assert f'<viz:size value="{radius_for_power(germany.power)!r}" />' in text  # the canvas's radius
    r, g, b = (int(germany.color[i : i + 2], 16) for i in (1, 3, 5))
    assert f'<viz:color r="{r}" g="{g}" b="{b}" a="1.0" />' in text
    assert '<description>{"collective-security-sandbox": {"name": "Mini", "meta.title": "Mini"' in text


def test_exported_files_read_with_plain_networkx(world, tmp_path):
    ties = scenario_to_graph(world).number_of_edges()
    for suffix, read in (
        (".graphml", nx.read_graphml),
        (".gexf", nx.read_gexf),
        (".json", lambda p: json_graph.node_link_graph(json.loads(Path(p).read_text()), edges="edges")),
    ):
        path = tmp_path / f"world{suffix}"
        write_graph(world, path)
        graph = read(path)
        assert graph.number_of_nodes() == len(world.states) and graph.number_of_edges() == ties, suffix
        assert graph.nodes["GER"]["power"] == world.state("GER").power
        london = [attrs for _, _, attrs in graph.edges(data=True) if attrs.get("treaty") == "london"]
        assert [attrs["guarantor"] for attrs in london] == ["UK"]  # the direction survives any tool
    graph = nx.read_gexf(tmp_path / "world.gexf")
    assert graph.nodes["GER"]["viz"]["position"]["x"] == world.state("GER").position[0]
    assert {attrs["treaty_type"] for _, _, attrs in graph.edges(data=True)} == {
        t.type for t in world.treaties
    }


def test_exported_gexf_is_valid_against_the_gexf_1_2_schema(tmp_path):
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint is missing: apt-get install libxml2-utils (.ci/run does)"
    paths = []
    for example in list_examples():
        paths.append(tmp_path / f"{example.name}.gexf")
        write_graph(load_scenario(example.path), paths[-1])
    done = subprocess.run(
        [xmllint, "--noout", "--schema", str(SCHEMA / "gexf.xsd"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(" validates") == len(paths)


def test_the_schema_refuses_what_it_should(tmp_path):
    # the check can fail: a GEXF with a colour channel over 255 and an unknown edge type is invalid
    path = tmp_path / "bad.gexf"
    write_graph(load_scenario(FIXTURES / "mini-v1.sandbox"), path)
    text = (
        path.read_text()
        .replace('<viz:color r="', '<viz:color r="9', 1)
        .replace('<edge id="dual"', '<edge type="guarantee" id="dual"', 1)
    )
    path.write_text(text)
    done = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA / "gexf.xsd"), str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "color" in done.stderr and "type" in done.stderr


def test_reciprocal_edges_of_a_directed_graph_are_one_treaty(tmp_path):
    tied = nx.Graph()
    tied.add_nodes_from([("A", {"power": 1}), ("B", {"power": 2}), ("C", {"power": 3})])
    tied.add_edge("A", "C")
    tied.add_edge("B", "C", type="entente")
    both_ways = nx.DiGraph(tied)  # A->C and C->A, as yEd and nx.DiGraph(G) write an undirected tie
    both_ways.add_edge("A", "B", type="guarantee")  # one way: a guarantee keeps its direction
    path = tmp_path / "g.graphml"
    nx.write_graphml(both_ways, path)
    treaties = read_graph(path).treaties
    assert sorted((t.type, tuple(t.guarantors), tuple(sorted(t.members))) for t in treaties) == [
        ("defense", (), ("A", "C")),
        ("entente", (), ("B", "C")),
        ("guarantee", ("A",), ("B",)),
    ]


def test_multi_member_treaty_is_one_edge_per_pair(world):
    graph = scenario_to_graph(world)
    league = [(a, b) for a, b, t in graph.edges(data="treaty") if t == "league"]
    assert sorted(league) == sorted(
        [("UK", "SRB"), ("UK", "RUS"), ("UK", "BEL"), ("SRB", "RUS"), ("SRB", "BEL"), ("RUS", "BEL")]
    )
    assert [(a, b) for a, b, t in graph.edges(data="treaty") if t == "london"] == [("UK", "BEL")]


def test_graph_written_by_networkx_imports(tmp_path):
    graph = nx.Graph()
    graph.add_node("FRA", power=6.8, name="France", x=10.0, y=20.0)
    graph.add_node("RUS", power=11.6)
    graph.add_node("GER", power=14.3, reliability=0.9, mobilization=2)
    graph.add_edge("FRA", "RUS", name="Franco-Russian")
    graph.add_edge("GER", "FRA", type="non-aggression", commitment=0.5)
    path = tmp_path / "g.graphml"
    nx.write_graphml(graph, path)
    scenario = read_graph(path)
    fra, rus, ger = (scenario.state(s) for s in ("FRA", "RUS", "GER"))
    assert (fra.name, fra.position, rus.name, rus.reliability, rus.mobilization, rus.gdp) == (
        "France",
        (10.0, 20.0),
        "RUS",
        0.8,
        1,
        None,
    )
    assert (ger.reliability, ger.mobilization) == (0.9, 2)
    by_members = {frozenset(t.members): t for t in scenario.treaties}
    alliance = by_members[frozenset({"FRA", "RUS"})]
    assert (alliance.type, alliance.name, alliance.commitment) == ("defense", "Franco-Russian", 1.0)
    assert by_members[frozenset({"GER", "FRA"})].type == "non-aggression"
    assert len({t.id for t in scenario.treaties}) == 2


YED = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key for="node" id="d0" attr.name="power" attr.type="string"/>
  <key for="node" id="d1" attr.name="reliability" attr.type="string"/>
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key for="edge" id="d2" attr.name="type" attr.type="string"/>
  <graph edgedefault="directed" id="G">
    <node id="UK">
      <data key="d0">11.27</data><data key="d1"> 0.7 </data>
      <data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="30.0" x="150.5" y="-20.0"/>
        <y:NodeLabel>United Kingdom</y:NodeLabel></y:ShapeNode></data>
    </node>
    <node id="BEL"><data key="d0">1.38</data></node>
    <edge id="e0" source="UK" target="BEL"><data key="d2">guarantee</data></edge>
  </graph>
</graphml>
"""


def test_yed_graphml_with_string_numbers_imports(tmp_path):
    path = tmp_path / "yed.graphml"
    path.write_text(YED)
    scenario = read_graph(path)
    uk = scenario.state("UK")
    assert (uk.name, uk.power, uk.reliability, uk.position) == ("United Kingdom", 11.27, 0.7, (150.5, -20.0))
    (treaty,) = scenario.treaties
    assert (treaty.type, treaty.guarantors, treaty.members) == ("guarantee", ["UK"], ["BEL"])


def test_gephi_gexf_with_viz_and_labels_imports(tmp_path):
    graph = nx.DiGraph()
    viz = {"position": {"x": 5.0, "y": 6.0, "z": 0.0}, "color": {"r": 255, "g": 0, "b": 16, "a": 1.0}}
    graph.add_node("0", label="Poland", power=2.0, viz=viz)
    graph.add_node("1", label="Germany", power=14.0)
    graph.add_edge("1", "0", type="directed", weight=1.0)  # Gephi's edge type is the direction
    path = tmp_path / "gephi.gexf"
    nx.write_gexf(graph, path)
    scenario = read_graph(path)
    poland = scenario.state("0")
    assert (poland.name, poland.position, poland.color) == ("Poland", (5.0, -6.0), "#ff0010")  # y up in Gephi
    (treaty,) = scenario.treaties
    assert (treaty.type, treaty.members, treaty.extra) == ("defense", ["1", "0"], {})


def test_old_node_link_json_with_links_imports(tmp_path):
    graph = nx.Graph([("A", "B")])
    nx.set_node_attributes(graph, {"A": 1, "B": "2.5"}, "power")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(json_graph.node_link_data(graph, edges="links")))
    scenario = read_graph(path)
    assert scenario.state("B").power == 2.5 and scenario.treaties[0].members == ["A", "B"]


def test_a_guarantee_in_an_undirected_graph_needs_a_guarantor(tmp_path):
    # networkx orders an undirected edge's ends by insertion: Poland would guarantee Britain
    graph = nx.Graph()
    graph.add_nodes_from([("POL", {"power": 2}), ("UK", {"power": 11})])
    graph.add_edge("UK", "POL", type="guarantee")
    path = tmp_path / "g.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(ScenarioFileError) as caught:
        read_graph(path)
    assert caught.value.problems == [
        "edge 'POL'-'UK': a guarantee in an undirected graph needs a guarantor attribute "
        "(the id of the guaranteeing end)"
    ]
    graph.edges["UK", "POL"]["guarantor"] = "UK"
    nx.write_graphml(graph, path)
    (treaty,) = read_graph(path).treaties
    assert (treaty.guarantors, treaty.members) == (["UK"], ["POL"])
    graph.edges["UK", "POL"]["guarantor"] = "FRA"
    nx.write_graphml(graph, path)
    with pytest.raises(ScenarioFileError, match="guarantor: must be one of its ends, got 'FRA'"):
        read_graph(path)


def test_a_round_trip_through_an_undirected_tool_keeps_a_guarantee_s_direction(world, tmp_path):
    path = tmp_path / "world.graphml"
    write_graph(world, path)
    undirected = nx.read_graphml(path).to_undirected()  # what a tool without directions gives back
    nx.write_graphml(undirected, path)
    london = read_graph(path).treaty("london")
    assert (london.guarantors, london.members) == (["UK"], ["BEL"])


@pytest.mark.parametrize(
    "node, message",
    [
        ({"power": "lots"}, "node 'X': power: must be a number, got 'lots'"),
        ({"power": -1.0}, "node 'X'.power: must be a number >= 0, got -1.0"),
        ({"power": 1.0, "color": "blue"}, "node 'X'.color: must be a colour"),
    ],
)
def test_bad_node_is_named(tmp_path, node, message):
    graph = nx.Graph()
    graph.add_node("A", power=1.0)
    graph.add_node("X", **node)
    graph.add_edge("A", "X")
    path = tmp_path / "bad.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(ScenarioFileError) as caught:
        read_graph(path)
    assert f"{path}: {message}" in str(caught.value)


def test_a_self_loop_is_named(tmp_path):
    graph = nx.Graph()
    graph.add_node("A", power=1.0)
    graph.add_edge("A", "A")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(json_graph.node_link_data(graph, edges="edges")))
    with pytest.raises(ScenarioFileError) as caught:
        read_graph(path)
    assert caught.value.problems == [
        "edge of treaty 'A-A'.members: a defense treaty needs at least 2 members"
    ]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("x.graphml", "<graphml><graph>", "invalid GRAPHML"),
        ("x.gexf", "not xml", "invalid GEXF"),
        ("x.json", '{"nodes": 3}', 'needs a "nodes" list'),
        ("x.json", '{"nodes": [{"id": "A", "power": NaN}]}', "1:33: invalid JSON: NaN"),
        (
            "x.json",
            '{"nodes": [{"id": "A", "power": 1}], "edges": [{"source": "A"}]}',
            "not a node-link graph",
        ),
        ("x.dot", "graph {}", "unknown graph format '.dot'"),
    ],
)
def test_broken_files_raise_scenario_file_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ScenarioFileError, match=message):
        read_graph(path)


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioFileError, match="no such file"):
        read_graph(tmp_path / "none.graphml")


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_a_name_no_file_can_hold_is_refused_not_written(world, tmp_path, suffix):
    world.update_state("GER", name="Deutsch\ud800land")  # only the API can make one: loading refuses it
    with pytest.raises(
        ScenarioFileError, match=r"cannot write as \w+: states\[0\].name: contains an unpaired"
    ):
        write_graph(world, tmp_path / f"w{suffix}")
    assert list(tmp_path.iterdir()) == []


def test_duplicate_node_ids_in_node_link_json_are_bad_input(tmp_path):
    # networkx keeps the last of two nodes with one id and drops the other without a word
    nodes = [{"id": "A", "power": 1}, {"id": "B", "power": 2}, {"id": "A", "power": 3}, {"id": 1, "power": 1}]
    nodes.append({"id": "1", "power": 1})  # the number 1 and the text "1" are different ids
    path = tmp_path / "twice.json"
    path.write_text(json.dumps({"nodes": nodes, "edges": [{"source": "A", "target": "B"}]}))
    with pytest.raises(ScenarioFileError) as caught:
        read_graph(path)
    assert str(caught.value) == f"{path}: nodes[2].id: 'A' is the id of nodes[0] too"


@pytest.mark.parametrize("example", list_examples(), ids=lambda e: e.name)
@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_every_bundled_example_comes_back_the_same_through_each_format(example, suffix, tmp_path):
    scenario = load_scenario(example.path)
    path = tmp_path / f"{example.name}{suffix}"
    write_graph(scenario, path)
    assert read_graph(path) == scenario
    # and with every field of format version 2 away from its default
    for n, state in enumerate(scenario.states):
        state.break_fraction = None if n % 3 == 0 else 0.25 + 0.01 * n
        state.autonomy, state.revisionism = 0.5, 0.125 * (n % 5)
    for treaty in scenario.treaties:
        if treaty.type == "collective-security":
            treaty.decision.response = "sanctions"
    scenario.settings.defense_advantage, scenario.settings.open_play = 1.5, True
    scenario.settings.days_per_tick, scenario.settings.private_benefit = 3, 0.2
    scenario.meta.start_date = "1914-07-28"
    write_graph(scenario, path)
    assert read_graph(path) == scenario


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (  # GEXF 1.1 as Gephi 0.7 and 0.8 write it
            "gephi-0.8-gexf-1.1.gexf",
            [
                ("0", "France", 6.8, (-120.5, -40.25), "#3d7fd1"),
                ("1", "Russia", 11.6, (210.0, 15.5), "#d0524a"),
            ],
        ),
        (  # GEXF 1.2 as Gephi 0.9 writes it, ids such as 0.0
            "gephi-0.9-gexf-1.2.gexf",
            [
                ("0_0", "Germany", 14.3, (-10.0, -20.0), "#7d8796"),
                ("1_0", "Austria-Hungary", 5.0, (30.0, -60.0), "#4f9fb8"),
                ("2_0", "Italy", 2.5, (60.0, -120.0), "#3fa37a"),
            ],
        ),
        (  # GEXF 1.3 as Gephi 0.10 writes it: no z, a hex colour, a colour with alpha, a date column
            "gephi-0.10-gexf-1.3.gexf",
            [
                ("0_0", "United Kingdom", 11.3, (100.0, 50.0), "#d0524a"),
                ("1_0", "France", 6.8, (80.0, -70.0), "#3d7fd180"),
                ("2_0", "Russia", 11.6, (300.0, -10.0), "#7d8796"),
            ],
        ),
        (  # GEXF 1.3 in the www.gexf.net namespace, as Gephi 0.9.2 wrote it
            "gephi-0.9.2-gexf-1.3-www.gexf",
            [
                ("11_0", "United Kingdom", 11.3, (-87.93029, -6.8120565), "#d0524a"),
                ("12_0", "Belgium", 1.4, (20.5, 30.25), "#3fa37a"),
            ],
        ),
    ],
)
def test_gephi_files_of_every_gexf_version_import_with_positions_and_colours(name, expected):
    scenario = read_graph(GRAPHS / name)
    assert [(s.id, s.name, s.power, s.position, s.color) for s in scenario.states] == expected


def test_gephi_treaty_types_and_parallel_edges(tmp_path):
    by_id = {
        t.id: (t.type, t.guarantors, t.members)
        for t in read_graph(GRAPHS / "gephi-0.10-gexf-1.3.gexf").treaties
    }
    # France and Russia: two parallel edges, a defence pact (attribute "type") and a neutrality pact
    # (GEXF 1.3's "kind"); each its own treaty, none merged into the other; all in the file's order
    assert list(by_id) == ["0_0-1_0", "1_0-2_0", "1_0-2_0-2", "0_0-2_0"]
    assert by_id == {
        "0_0-1_0": ("entente", [], ["0_0", "1_0"]),
        "1_0-2_0": ("defense", [], ["1_0", "2_0"]),
        "1_0-2_0-2": ("neutrality", [], ["1_0", "2_0"]),
        "0_0-2_0": ("entente", [], ["0_0", "2_0"]),
    }
    # a directed GEXF: the guarantee runs from the edge's source
    (guarantee,) = read_graph(GRAPHS / "gephi-0.9.2-gexf-1.3-www.gexf").treaties
    assert (guarantee.type, guarantee.guarantors, guarantee.members) == ("guarantee", ["11_0"], ["12_0"])
    multigraph = nx.MultiGraph()
    multigraph.add_nodes_from([("A", {"power": 1}), ("B", {"power": 2})])
    multigraph.add_edges_from([("A", "B"), ("A", "B"), ("A", "B", {"type": "entente"})])
    path = tmp_path / "parallel.graphml"
    nx.write_graphml(multigraph, path)
    assert sorted((t.id, t.type) for t in read_graph(path).treaties) == [
        ("A-B", "defense"),
        ("A-B-2", "defense"),
        ("A-B-3", "entente"),
    ]


def test_ids_that_are_not_state_ids_are_mapped_and_reported_once():
    notes = []
    scenario = read_graph(GRAPHS / "gephi-0.9-gexf-1.2.gexf", notes=notes)
    assert [s.id for s in scenario.states] == ["0_0", "1_0", "2_0"]
    # a treaty of an edge without a name is named by its states, not by the ids made up for it
    assert scenario.treaties[0].name == "Germany - Austria-Hungary"
    assert notes == [
        "node ids that are not state ids (letters, digits, '_', '-') were mapped: "
        "'0.0' -> '0_0', '1.0' -> '1_0', '2.0' -> '2_0'"
    ]


def test_a_mapped_id_never_takes_one_already_in_use(tmp_path):
    graph = nx.Graph()
    graph.add_nodes_from([("A_B", {"power": 1}), ("A.B", {"power": 2}), ("A B", {"power": 3})])
    graph.add_edge("A.B", "A B", against="A.B")
    path = tmp_path / "clash.graphml"
    nx.write_graphml(graph, path)
    notes = []
    scenario = read_graph(path, notes=notes)
    assert [s.id for s in scenario.states] == ["A_B", "A_B-2", "A_B-3"]
    assert scenario.treaties[0].members == ["A_B-2", "A_B-3"]
    assert scenario.treaties[0].conditions.against == ["A_B-2"]  # lists of ids are mapped too
    assert len(notes) == 1 and "(2 in all)" not in notes[0]


def test_networkx_gexf_keeps_every_treaty_type(tmp_path):
    # networkx.write_gexf puts an edge attribute "type" in GEXF's own edge type slot
    graph = nx.DiGraph()
    graph.add_nodes_from([("UK", {"power": 11.0}), ("BEL", {"power": 1.4}), ("FRA", {"power": 6.8})])
    graph.add_edge("UK", "BEL", type="guarantee")
    graph.add_edge("UK", "FRA", type="entente")
    graph.add_edge("FRA", "BEL", type="non-aggression")
    path = tmp_path / "nx.gexf"
    nx.write_gexf(graph, path)
    assert 'type="guarantee"' in path.read_text()
    treaties = {tuple(t.parties()): (t.type, t.guarantors) for t in read_graph(path).treaties}
    assert treaties == {
        ("UK", "BEL"): ("guarantee", ["UK"]),
        ("UK", "FRA"): ("entente", []),
        ("FRA", "BEL"): ("non-aggression", []),
    }
    undirected = nx.Graph(graph.to_undirected())
    nx.set_edge_attributes(undirected, {("UK", "BEL"): "UK"}, "guarantor")
    nx.write_gexf(undirected, path)
    assert {t.type for t in read_graph(path).treaties} == {"guarantee", "entente", "non-aggression"}


def test_yed_labels_and_ids_lose_their_xml_whitespace():
    scenario = read_graph(GRAPHS / "yed-whitespace.graphml")
    assert [(s.id, s.name, s.power, s.position) for s in scenario.states] == [
        ("n0", "United Kingdom", 11.27, (150.5, -20.0)),
        ("n1", "Belgium", 1.38, (300.0, 80.0)),
    ]
    (treaty,) = scenario.treaties
    assert (treaty.type, treaty.guarantors, treaty.members) == ("guarantee", ["n0"], ["n1"])


def plain_graph(tmp_path, n=3):
    graph = nx.path_graph(n)
    nx.set_node_attributes(graph, {i: 0.5 * i for i in range(n)}, "cinc")
    path = tmp_path / "plain.graphml"
    nx.write_graphml(graph, path)
    return path


def test_a_missing_power_is_reported_once_with_a_hint(tmp_path):
    with pytest.raises(ScenarioFileError) as caught:
        read_graph(plain_graph(tmp_path, 30))
    assert caught.value.problems == [
        "power: 30 of 30 nodes have no power (the first: '0'); give each node a power (its military "
        "capability), or import with --power-from degree, or --power-from ATTRIBUTE to take it from "
        "another attribute"
    ]


def test_power_from_degree_or_an_attribute_imports_a_plain_graph(tmp_path):
    path = plain_graph(tmp_path)
    assert [s.power for s in read_graph(path, power_from="degree").states] == [1.0, 2.0, 1.0]
    assert [s.power for s in read_graph(path, power_from="cinc").states] == [0.0, 0.5, 1.0]
    with pytest.raises(ScenarioFileError, match="3 of 3 nodes have no attribute 'gdp'"):
        read_graph(path, power_from="gdp")


def test_at_most_20_problems_are_listed_then_a_count(tmp_path):
    graph = nx.Graph()
    graph.add_nodes_from((f"S{i}", {"power": "lots"}) for i in range(30))
    path = tmp_path / "bad.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(ScenarioFileError) as caught:
        read_graph(path)
    assert caught.value.problems[:2] == [
        "node 'S0': power: must be a number, got 'lots'",
        "node 'S1': power: must be a number, got 'lots'",
    ]
    assert len(caught.value.problems) == 21 and caught.value.problems[-1] == "... and 10 more problems"


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "sandbox.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_convert_reports_mapped_ids_and_takes_power_from(tmp_path):
    out = tmp_path / "gephi.sandbox"
    done = cli("convert", str(GRAPHS / "gephi-0.9-gexf-1.2.gexf"), str(out))
    assert done.returncode == 0, done.stderr
    mapped = "'0.0' -> '0_0', '1.0' -> '1_0', '2.0' -> '2_0'"
    note = f"node ids that are not state ids (letters, digits, '_', '-') were mapped: {mapped}"
    assert done.stderr == f"{GRAPHS / 'gephi-0.9-gexf-1.2.gexf'}: {note}\n"
    assert [s.id for s in load_scenario(out).states] == ["0_0", "1_0", "2_0"]
    plain = plain_graph(tmp_path)
    done = cli("convert", str(plain), str(out))
    assert done.returncode == 2 and done.stderr.startswith(f"{plain}: power: 3 of 3 nodes have no power")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    done = cli("convert", str(plain), str(out), "--power-from", "degree")
    assert done.returncode == 0, done.stderr
    assert [s.power for s in load_scenario(out).states] == [1.0, 2.0, 1.0]


def test_cli_bad_graph_lists_one_line_per_problem_up_to_the_cap(tmp_path):
    graph = nx.Graph()
    graph.add_nodes_from((f"S{i}", {"power": -1.0}) for i in range(25))
    path = tmp_path / "bad.graphml"
    nx.write_graphml(graph, path)
    done = cli("convert", str(path), str(tmp_path / "out.sandbox"))
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and len(lines) == 21
    assert lines[0] == f"{path}: node 'S0'.power: must be a number >= 0, got -1.0"
    assert lines[-1] == f"{path}: ... and 5 more problems"
    assert not (tmp_path / "out.sandbox").exists()


def test_a_graph_without_positions_is_laid_out_with_allies_side_by_side(tmp_path):
    path = plain_graph(tmp_path, 5)  # a path 0-1-2-3-4, no x, y or viz anywhere
    positions = [s.position for s in read_graph(path, power_from="degree").states]
    assert len(set(positions)) == 5  # not all at (0, 0)
    assert min(math.dist(a, b) for i, a in enumerate(positions) for b in positions[i + 1 :]) >= MIN_DISTANCE
    graph = nx.Graph()
    graph.add_node("A", power=1, x=0.0, y=0.0)
    graph.add_node("B", power=1, x=0.0, y=0.0)
    nx.write_graphml(graph, path)
    assert [s.position for s in read_graph(path).states] == [(0.0, 0.0)] * 2  # positions given are kept
