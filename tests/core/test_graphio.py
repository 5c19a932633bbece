"""Graph interchange: round trips, and graphs written by other tools."""

import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from networkx.readwrite import json_graph

from sandbox.core.fileformat import ScenarioFileError, load_scenario
from sandbox.core.graphio import read_graph, scenario_to_graph, write_graph
from sandbox.core.scenario import Conditions, Decision, Settings, Treaty

FIXTURES = Path(__file__).parent / "fixtures"


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


def test_gexf_is_undirected_but_for_guarantees_and_reads_with_networkx(world, tmp_path):
    path = tmp_path / "world.gexf"
    write_graph(world, path)
    text = path.read_text()
    assert 'label="Germany"' in text and 'type="guarantee"' not in text  # GEXF's own type stays valid
    assert '<graph defaultedgetype="undirected"' in text
    directed = re.findall(r'<edge source="(\w+)" target="(\w+)" id="([\w.]+)" type="directed"', text)
    assert directed == [("UK", "BEL", "london")]  # the only guarantee, guarantor first
    assert '<description>{"collective-security-sandbox": {"name": "Mini", "meta.title": "Mini"' in text
    graph = nx.read_gexf(io.StringIO(text.replace(' type="directed"', "")))  # what Gephi or networkx see
    assert graph.number_of_edges() == scenario_to_graph(world).number_of_edges()
    assert graph.nodes["GER"]["label"] == "Germany"


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
    assert (poland.name, poland.position, poland.color) == ("Poland", (5.0, 6.0), "#ff0010")
    (treaty,) = scenario.treaties
    assert (treaty.type, treaty.members, treaty.extra) == ("defense", ["1", "0"], {})


def test_old_node_link_json_with_links_imports(tmp_path):
    graph = nx.Graph([("A", "B")])
    nx.set_node_attributes(graph, {"A": 1, "B": "2.5"}, "power")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(json_graph.node_link_data(graph, edges="links")))
    scenario = read_graph(path)
    assert scenario.state("B").power == 2.5 and scenario.treaties[0].members == ["A", "B"]


def test_undirected_guarantee_takes_the_first_end_as_guarantor(tmp_path):
    graph = nx.Graph()
    graph.add_nodes_from([("UK", {"power": 11}), ("BEL", {"power": 1})])
    graph.add_edge("UK", "BEL", type="guarantee")
    path = tmp_path / "g.graphml"
    nx.write_graphml(graph, path)
    (treaty,) = read_graph(path).treaties
    assert (treaty.guarantors, treaty.members) == (["UK"], ["BEL"])


@pytest.mark.parametrize(
    "node, message",
    [
        ({"name": "Nowhere"}, "node 'X': power: required"),
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


def test_bad_node_id_and_self_loop_are_named(tmp_path):
    graph = nx.Graph()
    graph.add_node("New York", power=1.0)
    graph.add_node("A", power=1.0)
    graph.add_edge("A", "A")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(json_graph.node_link_data(graph, edges="edges")))
    with pytest.raises(ScenarioFileError) as caught:
        read_graph(path)
    assert caught.value.problems == [
        "node 'New York'.id: must be letters, digits, '_' or '-', got 'New York'",
        "edge of treaty 'A-A'.members: a defense treaty needs at least 2 members",
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
