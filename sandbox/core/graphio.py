"""Graph interchange: GraphML (.graphml), GEXF (.gexf), node-link JSON (.json).

networkx does the format work; this module maps graphs to scenarios (SPEC.md):

- a node is a state: node id = state id; attributes ``name`` (default: the node's
  ``label``, then its id), ``power`` (required), ``gdp``, ``reliability``,
  ``mobilization``, ``break_fraction``, ``autonomy``, ``revisionism`` (where set),
  ``x``, ``y`` (default: a Gephi ``viz`` position), ``color``
  (``#rrggbb``, default: a Gephi ``viz`` colour). Numbers written as strings, as
  yEd does, are read as numbers.
- an edge is a tie of a treaty, with attributes ``treaty`` (the id), ``type``
  (default ``defense``), ``name``, ``commitment`` and, where set,
  ``unprovoked_only``, ``against`` and ``veto`` (space-separated state ids),
  ``rule``, ``response`` and ``mediation``. A treaty of n members is written as one edge per
  pair, all with the same ``treaty``, and read back as one treaty with its
  members in order. An edge with no ``treaty`` is a two-member treaty of its own.
- unknown keys of a treaty's ``conditions`` and ``decision`` are edge attributes
  ``conditions.KEY`` and ``decision.KEY``.
- GEXF keeps its own ``type`` (edge direction) in the XML, so there the treaty
  type is written as ``treaty_type`` (read under either name) and a node's
  ``label`` is its name, which Gephi shows.
- a guarantee keeps its direction: the edge runs guarantor -> member (GraphML and
  node-link JSON are written as a directed multigraph; GEXF as an undirected one
  whose guarantee edges alone are ``type="directed"``; in an undirected graph
  without that, the first end is the guarantor). Reciprocal plain edges of a
  directed graph (A->C and C->A, as yEd or ``nx.DiGraph(G)`` write a tie) are one treaty.
- graph attributes carry ``meta.title`` ... and ``settings.seed`` ..., the
  order of the treaties (``treaties``, space-separated ids), the scripted
  ``plans`` and ``events`` and the scenario's unknown top-level keys (``extra``)
  (JSON text in GraphML). GEXF has no graph attributes that networkx reads, so
  there they travel as one JSON object ``{"collective-security-sandbox": {...}}``
  in ``<meta><description>``, where the GEXF schema allows text.

Other scalar attributes of nodes and edges are kept as unknown keys of the state
or treaty, and written back the same way. Errors raise ScenarioFileError.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite import json_graph

from sandbox.core.fileformat import (
    ScenarioFileError,
    atomic_write,
    capped,
    parse_json,
    read_file,
    scenario_from_dict,
    scenario_to_dict,
    unpaired_surrogates,
)
from sandbox.core.scenario import FORMAT, VERSION, Scenario

GRAPH_SUFFIXES = (".graphml", ".gexf", ".json")
_NODE_OPTIONAL = ("break_fraction", "autonomy", "revisionism")  # written where the file would write them
_NODE_NUMBERS = ("power", "gdp", "reliability", *_NODE_OPTIONAL)
_SCALAR = (str, int, float, bool)
_NODE_KNOWN = {"name", "mobilization", "x", "y", "color", "label", "viz", "id", *_NODE_NUMBERS}
_EDGE_KNOWN = {
    "treaty",
    "type",
    "treaty_type",
    "name",
    "commitment",
    "unprovoked_only",
    "against",
    "veto",
    "rule",
    "response",
    "mediation",
}
_EDGE_NOISE = {"id", "key", "networkx_key", "label", "viz", "weight", "source", "target", "_from"}
_GRAPH_KEY = FORMAT  # the key of the JSON object a GEXF description carries
_EXTRA_SECTIONS = ("conditions", "decision")  # their unknown keys travel as edge attributes SECTION.KEY


# -- writing -------------------------------------------------------------------


def scenario_to_graph(scenario: Scenario, suffix: str = ".json") -> nx.MultiDiGraph:
    """The scenario as a directed multigraph (see the module docstring), shaped
    for the format named by ``suffix``. Each edge's key is the treaty id, then
    ``ID.1``, ``ID.2``... so the parties' order can be rebuilt."""
    text_lists = suffix != ".json"
    data = scenario_to_dict(scenario)
    graph = nx.MultiDiGraph()  # directed even for GEXF: the writer then keeps each edge's ends in order
    graph.graph["name"] = scenario.meta.title
    for section in ("meta", "settings"):
        for key, value in data[section].items():
            if isinstance(value, _SCALAR):
                graph.graph[f"{section}.{key}"] = value
    for key, value in (("plans", data["plans"]), ("events", data["events"]), ("extra", scenario.extra)):
        if value:
            graph.graph[key] = json.dumps(value) if text_lists else value
    graph.graph["treaties"] = " ".join(t.id for t in scenario.treaties)
    for state, data_state in zip(scenario.states, data["states"], strict=True):
        attrs: dict[str, Any] = {"name": state.name, "power": state.power}
        if state.gdp is not None:
            attrs["gdp"] = state.gdp
        attrs.update(reliability=state.reliability, mobilization=state.mobilization)
        attrs.update({key: data_state[key] for key in _NODE_OPTIONAL if key in data_state})
        attrs.update(x=float(state.position[0]), y=float(state.position[1]))
        if state.color is not None:
            attrs["color"] = state.color
        attrs.update(_scalars(state.extra, attrs))
        if suffix == ".gexf":
            attrs["label"] = state.name
        graph.add_node(state.id, **attrs)
    for treaty in scenario.treaties:
        attrs = {
            "treaty": treaty.id,
            "type": treaty.type,
            "name": treaty.name,
            "commitment": treaty.commitment,
        }
        if treaty.conditions.unprovoked_only:
            attrs["unprovoked_only"] = True
        if treaty.conditions.against:
            attrs["against"] = " ".join(treaty.conditions.against)
        if treaty.decision.rule != "unanimity" or treaty.decision.veto:
            attrs["rule"] = treaty.decision.rule
            attrs["veto"] = " ".join(treaty.decision.veto)
        if treaty.decision.response != "force":
            attrs["response"] = treaty.decision.response
        if treaty.mediation:
            attrs["mediation"] = treaty.mediation
        for section, extra in zip(
            _EXTRA_SECTIONS, (treaty.conditions.extra, treaty.decision.extra), strict=True
        ):
            attrs.update((f"{section}.{key}", value) for key, value in _scalars(extra, {}).items())
        attrs.update(_scalars(treaty.extra, attrs))
        if suffix == ".gexf":
            attrs["treaty_type"] = attrs.pop("type")
            if treaty.guarantors:  # GEXF's own edge type: only a guarantee's ties have a direction
                attrs["type"] = "directed"
        for n, (a, b) in enumerate(_pairs(treaty.guarantors, treaty.members)):
            key = treaty.id if n == 0 else f"{treaty.id}.{n}"
            if suffix == ".gexf":  # GEXF keeps the key only as the edge id when the graph reads back simple
                attrs["id"] = key
            graph.add_edge(a, b, key=key, **attrs)
    return graph


def _pairs(guarantors: list[str], members: list[str]) -> list[tuple[str, str]]:
    """Edges that let the treaty be rebuilt with its parties in order."""
    if guarantors:
        return [(g, m) for g in guarantors for m in members]
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]


def _scalars(extra: dict[str, Any], taken: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in extra.items() if isinstance(v, _SCALAR) and k not in taken}


def write_graph(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write the scenario as GraphML, GEXF or node-link JSON, chosen by the
    extension; atomic like every save. Raises ScenarioFileError for another
    extension or a value the format cannot hold, OSError if writing fails."""
    suffix = Path(path).suffix.lower()
    if suffix not in GRAPH_SUFFIXES:
        raise ScenarioFileError(
            str(path), [f"unknown graph format {suffix!r}; use {', '.join(GRAPH_SUFFIXES)}"]
        )
    surrogates = unpaired_surrogates(scenario_to_dict(scenario))
    if surrogates:  # GraphML would write them as character references no XML reader accepts
        raise ScenarioFileError(str(path), [f"cannot write as {suffix[1:]}: {p}" for p in surrogates])
    graph = scenario_to_graph(scenario, suffix)
    try:
        if suffix == ".graphml":
            text = "\n".join(nx.generate_graphml(graph)) + "\n"
        elif suffix == ".gexf":
            text = _gexf_text(graph)
        else:
            data = json_graph.node_link_data(graph, edges="edges")
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except (nx.NetworkXError, TypeError, ValueError) as error:
        raise ScenarioFileError(str(path), [f"cannot write as {suffix[1:]}: {error}"]) from error
    atomic_write(path, text)


def _gexf_text(graph: nx.MultiDiGraph) -> str:
    """GEXF of the graph, undirected but for the edges typed ``directed``, with its
    graph attributes (which networkx's writer drops) as a JSON object in ``<meta><description>``."""
    graph = _set_aside_mixed_types(graph)
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(graph)
    writer.graph_element.set("defaultedgetype", "undirected")
    description = ET.SubElement(writer.xml.find("meta"), "description")
    # ASCII JSON: no character that XML 1.0 cannot hold
    description.text = json.dumps({_GRAPH_KEY: graph.graph}, allow_nan=False)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + str(writer).rstrip("\n") + "\n"


def _set_aside_mixed_types(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes holding values of several types (an extra that is 2
    on one state and "two" on another) are moved to the graph attribute ``mixed``:
    GEXF declares one type per attribute and networkx cannot read the others back."""
    items = {
        "nodes": [(str(node), attrs) for node, attrs in graph.nodes(data=True)],
        "edges": [(str(attrs["id"]), attrs) for _, _, attrs in graph.edges(data=True)],
    }
    mixed: dict[str, dict[str, dict[str, Any]]] = {}
    for scope, elements in items.items():
        types: dict[str, set[type]] = {}
        for _, attrs in elements:
            for key, value in attrs.items():
                types.setdefault(key, set()).add(type(value))
        for key in (key for key, kinds in types.items() if len(kinds) > 1):
            for element_id, attrs in elements:
                if key in attrs:
                    mixed.setdefault(scope, {}).setdefault(element_id, {})[key] = attrs[key]
    if not mixed:
        return graph
    graph = graph.copy()
    for node, values in mixed.get("nodes", {}).items():
        for key in values:
            del graph.nodes[node][key]
    for _, _, attrs in graph.edges(data=True):
        for key in mixed.get("edges", {}).get(str(attrs["id"]), {}):
            del attrs[key]
    graph.graph["mixed"] = mixed
    return graph


# -- reading -------------------------------------------------------------------


def read_graph(path: str | os.PathLike[str]) -> Scenario:
    """A scenario from a GraphML, GEXF or node-link JSON file (by extension).
    Any bad input raises ScenarioFileError naming the node or treaty at fault."""
    source = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in GRAPH_SUFFIXES:
        raise ScenarioFileError(source, [f"unknown graph format {suffix!r}; use {', '.join(GRAPH_SUFFIXES)}"])
    raw = read_file(path)
    return graph_to_scenario(_parse(raw, suffix, source), source)


def _parse(raw: bytes, suffix: str, source: str) -> nx.Graph:
    if suffix == ".json":
        data = parse_json(raw, source)
        if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
            raise ScenarioFileError(source, ['not a node-link graph: needs a "nodes" list'])
        repeated = _repeated_node_ids(data["nodes"])
        if repeated:  # networkx would merge them into one node, silently
            raise ScenarioFileError(source, capped(repeated, "problems"))
        try:
            return json_graph.node_link_graph(data, edges="links" if "links" in data else "edges")
        except Exception as error:  # networkx raises many kinds on malformed data
            raise ScenarioFileError(source, [f"not a node-link graph: {_describe(error)}"]) from None
    try:
        if suffix == ".graphml":
            return nx.parse_graphml(raw, edge_key_type=str, force_multigraph=True)
        return _read_gexf(raw)
    except Exception as error:  # XML syntax, unknown types, bad GEXF structure
        raise ScenarioFileError(source, [f"invalid {suffix[1:].upper()}: {_describe(error)}"]) from None


def _repeated_node_ids(nodes: list[Any]) -> list[str]:
    """One problem per node of a node-link list whose id an earlier node has."""
    first: dict[str, int] = {}
    problems = []
    for n, node in enumerate(nodes):
        if isinstance(node, dict) and "id" in node:
            key = json.dumps(node["id"])  # 1 and "1" are different nodes to networkx
            if key in first:
                problems.append(f"nodes[{n}].id: {node['id']!r} is the id of nodes[{first[key]}] too")
            else:
                first[key] = n
    return problems


def _read_gexf(raw: bytes) -> nx.Graph:
    """A GEXF file as networkx reads it, plus what networkx leaves out: the graph
    attributes of our ``<meta><description>``, the directed edges of an undirected
    graph (networkx refuses those), and the order of each edge's ends in an
    undirected graph (kept as edge attribute ``_from``, the source)."""
    root = ET.fromstring(raw)
    graph_attrs: dict[str, Any] = {}
    for element in root.iter():
        if element.tag.rpartition("}")[2] == "description" and (element.text or "").lstrip().startswith("{"):
            with contextlib.suppress(ValueError):
                found = json.loads(element.text)
                if isinstance(found, dict) and isinstance(found.get(_GRAPH_KEY), dict):
                    graph_attrs = found[_GRAPH_KEY]
    first_end: dict[str, str] = {}  # an undirected graph's edge id -> its source, which networkx may swap
    graph_element = next((e for e in root if e.tag.rpartition("}")[2] == "graph"), None)
    if graph_element is not None and graph_element.get("defaultedgetype", "undirected") != "directed":
        mixed = False
        for edge in graph_element.iter():
            if edge.tag.rpartition("}")[2] == "edge":
                first_end[edge.get("id", "")] = edge.get("source", "")
                if edge.attrib.pop("type", None) == "directed":
                    mixed = True
        if mixed:
            raw = ET.tostring(root)
    graph = nx.read_gexf(io.BytesIO(raw))
    for _, _, attrs in graph.edges(data=True):
        if str(attrs.get("id")) in first_end:
            attrs["_from"] = first_end[str(attrs["id"])]
    mixed = graph_attrs.pop("mixed", None)
    if isinstance(mixed, dict):  # see _set_aside_mixed_types
        for node, values in (mixed.get("nodes") or {}).items():
            if node in graph and isinstance(values, dict):
                graph.nodes[node].update(values)
        edge_values = mixed.get("edges") or {}
        for _, _, attrs in graph.edges(data=True):
            if isinstance(edge_values.get(str(attrs.get("id"))), dict):
                attrs.update(edge_values[str(attrs["id"])])
    for key, value in graph_attrs.items():
        graph.graph.setdefault(key, value)
    return graph


def _describe(error: Exception) -> str:
    return str(error) or type(error).__name__


def graph_to_scenario(graph: nx.Graph, source: str = "<graph>") -> Scenario:
    """Build a scenario from a networkx graph with SPEC's attributes (see the
    module docstring); raises ScenarioFileError listing every problem."""
    problems: list[str] = []
    states = [_state(str(node), attrs, problems) for node, attrs in graph.nodes(data=True)]
    treaties = _treaties(graph, problems)
    if problems:
        raise ScenarioFileError(source, problems)
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "meta": {}, "settings": {}}
    for key, value in graph.graph.items():
        section, _, name = str(key).partition(".")
        if section in ("meta", "settings") and name:
            data[section][name] = value
        elif key in ("plans", "events", "extra"):  # "treaties" (the order) is used by _ordered_edges
            data[key] = (
                parse_json(value, f"{source}: graph attribute {key}") if isinstance(value, str) else value
            )
    if "title" not in data["meta"] and graph.graph.get("name"):
        data["meta"]["title"] = str(graph.graph["name"])
    data["states"] = states
    data["treaties"] = treaties
    extra = data.pop("extra", None)
    if isinstance(extra, dict):
        data.update((key, value) for key, value in extra.items() if key not in data)
    try:
        return scenario_from_dict(data, source)
    except ScenarioFileError as error:
        raise ScenarioFileError(source, [_name_place(p, states, treaties) for p in error.problems]) from None


def _name_place(problem: str, states: list[dict], treaties: list[dict]) -> str:
    """Say "node 'GER'" or "treaty 'dual'" where the file-format check says states[0]."""

    def named(match: re.Match) -> str:
        items, kind = (states, "node") if match.group(1) == "states" else (treaties, "edge of treaty")
        return f"{kind} {items[int(match.group(2))].get('id')!r}"

    return re.sub(r"^(states|treaties)\[(\d+)\]", named, problem)


def _state(node: str, attrs: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    place = f"node {node!r}"
    state: dict[str, Any] = {"id": node, "name": str(attrs.get("name", attrs.get("label", node)))}
    if "power" not in attrs:
        problems.append(f"{place}: power: required (the state's military capability)")
    for key in _NODE_NUMBERS:
        if key in attrs:
            state[key] = _number(attrs[key], f"{place}: {key}", problems)
    if "mobilization" in attrs:
        value = _number(attrs["mobilization"], f"{place}: mobilization", problems)
        state["mobilization"] = int(value) if isinstance(value, float) and value.is_integer() else value
    viz = attrs.get("viz") if isinstance(attrs.get("viz"), dict) else {}
    position = viz.get("position") or {}
    x = attrs.get("x", position.get("x", 0.0))
    y = attrs.get("y", position.get("y", 0.0))
    state["position"] = [_number(x, f"{place}: x", problems), _number(y, f"{place}: y", problems)]
    color = attrs.get("color")
    if color is None and isinstance(viz.get("color"), dict):
        rgb = viz["color"]
        color = "#{:02x}{:02x}{:02x}".format(*(int(rgb.get(c, 0)) for c in "rgb"))
    if color is not None:
        state["color"] = color
    state.update({k: v for k, v in attrs.items() if k not in _NODE_KNOWN and isinstance(v, _SCALAR)})
    return state


def _number(value: Any, place: str, problems: list[str]) -> Any:
    """A number from a typed attribute or from text ("14.2", as yEd writes)."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            problems.append(f"{place}: must be a number, got {value!r}")
            return None
    return value  # the file-format check reports any other wrong type


def _ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part for part in re.split(r"[\s,]+", str(value)) if part]


def _ordered_edges(graph: nx.Graph) -> list[tuple[str, str, dict[str, Any]]]:
    """The edges, each treaty's in the order it was written (by the ordinal in
    the edge key), treaties in the graph's ``treaties`` order where given."""
    if graph.is_multigraph():
        edges = [(str(a), str(b), key, attrs) for a, b, key, attrs in graph.edges(keys=True, data=True)]
    else:
        edges = [(str(a), str(b), attrs.get("id"), attrs) for a, b, attrs in graph.edges(data=True)]
    order = {treaty_id: n for n, treaty_id in enumerate(_ids(graph.graph.get("treaties", "")))}

    def rank(edge: tuple) -> tuple[int, int]:
        treaty_id, key = edge[3].get("treaty"), str(edge[3].get("networkx_key", edge[2]))
        ordinal = key.rpartition(".")[2] if treaty_id is not None and key.startswith(f"{treaty_id}.") else "0"
        return order.get(treaty_id, len(order)), int(ordinal) if ordinal.isdigit() else 0

    return [
        (b, a, attrs) if attrs.get("_from") == b else (a, b, attrs)
        for a, b, _, attrs in sorted(edges, key=rank)
    ]


def _treaties(graph: nx.Graph, problems: list[str]) -> list[dict[str, Any]]:
    treaties: dict[str, dict[str, Any]] = {}
    taken = {str(node) for node in graph.nodes}
    plain: set[tuple[frozenset[str], Any]] = set()  # the ties of plain edges so far, by parties and type
    for a, b, attrs in _ordered_edges(graph):
        treaty_id = attrs.get("treaty")
        if treaty_id is None:  # a plain edge, as a graph tool writes it: a treaty of its own
            kind = attrs.get("type", attrs.get("treaty_type", "defense"))
            tie = (frozenset((a, b)), kind)
            if kind != "guarantee" and tie in plain:  # B->A after A->B: one tie drawn both ways
                continue
            plain.add(tie)
            treaty_id = f"{a}-{b}"
            n = 2
            while treaty_id in taken:
                treaty_id, n = f"{a}-{b}-{n}", n + 1
        treaty_id = str(treaty_id)
        taken.add(treaty_id)
        treaty = treaties.get(treaty_id)
        if treaty is None:
            treaty = treaties[treaty_id] = _treaty(treaty_id, attrs, problems)
        if treaty["type"] == "guarantee":
            for role, state in (("guarantors", a), ("members", b)):
                if state not in treaty[role]:
                    treaty[role].append(state)
        else:
            treaty["members"].extend(s for s in (a, b) if s not in treaty["members"])
    return list(treaties.values())


def _treaty(treaty_id: str, attrs: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    place = f"edge of treaty {treaty_id!r}"
    treaty: dict[str, Any] = {"id": treaty_id, "name": str(attrs.get("name", treaty_id))}
    treaty["type"] = attrs.get("type", attrs.get("treaty_type", "defense"))
    treaty["guarantors"], treaty["members"] = [], []
    for key in ("commitment", "mediation"):
        if key in attrs:
            treaty[key] = _number(attrs[key], f"{place}: {key}", problems)
    conditions: dict[str, Any] = {}
    if "unprovoked_only" in attrs:
        flag = attrs["unprovoked_only"]
        conditions["unprovoked_only"] = flag.strip().lower() == "true" if isinstance(flag, str) else flag
    if attrs.get("against"):
        conditions["against"] = _ids(attrs["against"])
    if conditions:
        treaty["conditions"] = conditions
    if "rule" in attrs or attrs.get("veto") or "response" in attrs:
        treaty["decision"] = {"rule": attrs.get("rule", "unanimity"), "veto": _ids(attrs.get("veto") or [])}
        if "response" in attrs:
            treaty["decision"]["response"] = attrs["response"]
    for key, value in attrs.items():
        section, dot, name = str(key).partition(".")
        if key in _EDGE_KNOWN or key in _EDGE_NOISE or not isinstance(value, _SCALAR):
            continue
        if dot and section in _EXTRA_SECTIONS and name:
            treaty.setdefault(section, {})[name] = value
        else:
            treaty[key] = value
    return treaty
