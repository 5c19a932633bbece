"""Graph interchange: GraphML (.graphml), GEXF (.gexf), node-link JSON (.json).

networkx reads all three and writes GraphML and node-link JSON; GEXF is written
here (networkx's writer puts an edge attribute ``type`` in GEXF's own edge
``type`` slot and leaks a ``networkx_key`` column). The mapping (SPEC.md):

- a node is a state: node id = state id; attributes ``name`` (default: the node's
  ``label``, then its id), ``power`` (required), ``gdp``, ``reliability``,
  ``mobilization``, ``x``, ``y`` (default: a Gephi ``viz:position``), ``color``
  (``#rrggbb``, default: a Gephi ``viz:color``) and every other field of a state.
  Numbers written as strings, as yEd does, are read as numbers.
- an edge is a tie of a treaty, with attributes ``treaty`` (the id), ``type``
  (default ``defense``), ``name``, ``commitment``, ``guarantor`` (on a
  guarantee's ties: the guaranteeing end) and, where set, ``unprovoked_only``,
  ``against`` and ``veto`` (space-separated state ids), ``rule`` and
  ``mediation``; the other keys of a treaty's ``conditions`` and ``decision`` are
  ``conditions.KEY`` and ``decision.KEY``. A treaty of n members is one edge per
  pair, all with the same ``treaty``, read back as one treaty with its members
  in order. An edge without ``treaty`` is a two-member treaty of its own (named
  by its two states where the edge has no ``name``), and so is each of several
  parallel edges.
- GEXF is written as version 1.2 (the newest networkx reads), undirected, with
  ``viz:position``, ``viz:color`` and ``viz:size`` (the canvas's radius) so that
  Gephi draws the world as the canvas does (its y axis points up, the canvas's
  down: ``viz:position`` y is the canvas's y negated, both ways); the node ``label`` is the name and
  the treaty type is the edge attribute ``treaty_type``. GEXF 1.1, 1.2 and 1.3
  (what Gephi 0.9 and 0.10 write, in either of the namespaces seen) are read; a
  treaty type is found whichever attribute holds it (``type``, ``treaty_type``,
  GEXF's own edge ``type`` slot as networkx fills it, or GEXF 1.3's ``kind``).
- a guarantee keeps its direction: from ``guarantor`` where the edge has it,
  else from the edge's direction in a directed graph (or a directed edge of a
  mixed GEXF graph). A guarantee in an undirected graph without ``guarantor`` is
  bad input: networkx orders the ends of an undirected edge by insertion.
  Reciprocal plain edges of a directed graph (A->C and C->A, as yEd or
  ``nx.DiGraph(G)`` write a tie) are one treaty.
- graph attributes carry ``meta.title`` ... and ``settings.seed`` ..., the order
  of the treaties (``treaties``, space-separated ids), the scripted ``plans`` and
  ``events`` and the scenario's unknown top-level keys (``extra``) (JSON text in
  GraphML). GEXF has no graph attributes that networkx reads, so there they
  travel as one JSON object ``{"collective-security-sandbox": {...}}`` in
  ``<meta><description>``, where the GEXF schema allows text.
- a graph from another tool is made fit for a scenario: ids that are not state
  ids (Gephi's ``0.0``) are mapped to ones that are, names and ids lose
  surrounding whitespace (yEd keeps the XML's), ``power_from`` (``degree`` or
  a node attribute) stands in for a missing ``power``, and a graph with no
  positions at all is laid out (allies side by side, :mod:`sandbox.core.layout`). What was changed is
  reported once, in the ``notes`` list the caller passes.

Other scalar attributes of nodes and edges are kept as unknown keys of the state
or treaty, and written back the same way. Errors raise ScenarioFileError, the
first MAX_PROBLEMS problems and then a count of the rest.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite import json_graph

from sandbox.core.io.fileformat import (
    ScenarioFileError,
    atomic_write,
    capped,
    over_cap,
    parse_json,
    read_file,
    refuse_unreadable,
    scenario_from_dict,
    scenario_to_dict,
    unpaired_surrogates,
)
from sandbox.core.layout import allies_layout
from sandbox.core.scenario import DEFAULT_COLOR, FORMAT, ID_PATTERN, VERSION, Scenario, radius_for_power

GRAPH_SUFFIXES = (".graphml", ".gexf", ".json")
POWER_FROM_DEGREE = "degree"
_NODE_NUMBERS = ("power", "gdp", "reliability", "break_fraction", "autonomy", "revisionism")
_SCALAR = (str, int, float, bool)
_NODE_KNOWN = {"name", "power", "gdp", "reliability", "mobilization", "x", "y", "color", "label", "viz", "id"}
_EDGE_KNOWN = {
    "treaty",
    "type",
    "treaty_type",
    "name",
    "commitment",
    "guarantor",
    "unprovoked_only",
    "against",
    "veto",
    "rule",
    "response",
    "mediation",
}
_EDGE_NOISE = {"id", "key", "networkx_key", "label", "viz", "weight", "source", "target"}
_EDGE_MARKS = (
    "_from",
    "_order",
    "_directed",
    "_undirected",
    "_slot_type",
)  # what _read_gexf learns from the XML
_DIRECTIONS = ("directed", "undirected", "mutual")  # the values of GEXF's own edge type slot
_GRAPH_KEY = FORMAT  # the key of the JSON object a GEXF description carries
_EXTRA_SECTIONS = ("conditions", "decision")  # their other keys travel as edge attributes SECTION.KEY
_LISTS = {"against", "veto"}  # lists of state ids, written space-separated
GEXF_NS = "http://www.gexf.net/1.2draft"
VIZ_NS = "http://www.gexf.net/1.2draft/viz"
_GEXF_NAMESPACE = re.compile(r"^https?://(?:www\.)?gexf\.net/(1\.[0-3])(?:draft)?$")
_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_NETWORKX_GEXF_TYPES = {"integer", "long", "float", "double", "boolean", "string", "liststring", "anyURI"}
_NOT_AN_ID = re.compile(r"[^A-Za-z0-9_-]+")
_LINE_BREAK = re.compile(r"\s*[\r\n\u2028\u2029\v\f]+\s*")
SHOWN_MAPPINGS = 5  # of the ids mapped, shown in the note before the count of the rest


class MissingPowerError(ScenarioFileError):
    """Bad input that includes nodes without power: ``power_from`` could import them."""


# -- writing -------------------------------------------------------------------


def scenario_to_graph(scenario: Scenario, suffix: str = ".json") -> nx.MultiDiGraph:
    """The scenario as a directed multigraph (see the module docstring), shaped
    for the format named by ``suffix``. Each edge's key is the treaty id, then
    ``ID.1``, ``ID.2``... so the parties' order can be rebuilt."""
    text_lists = suffix != ".json"
    data = scenario_to_dict(scenario)
    graph = nx.MultiDiGraph()
    graph.graph["name"] = scenario.meta.title
    for section in ("meta", "settings"):
        for key, value in data[section].items():
            if isinstance(value, _SCALAR):
                graph.graph[f"{section}.{key}"] = value
    for key, value in (("plans", data["plans"]), ("events", data["events"]), ("extra", scenario.extra)):
        if value:
            graph.graph[key] = json.dumps(value) if text_lists else value
    graph.graph["treaties"] = " ".join(t.id for t in scenario.treaties)
    for state in data["states"]:
        attrs = {key: value for key, value in state.items() if key != "id" and isinstance(value, _SCALAR)}
        attrs["x"], attrs["y"] = (float(v) for v in state["position"])
        graph.add_node(state["id"], **attrs)
    for treaty in data["treaties"]:
        attrs = _edge_attributes(treaty)
        if suffix == ".gexf":  # GEXF's own edge type is a direction; networkx fills it from "type"
            attrs["treaty_type"] = attrs.pop("type")
        guarantee = treaty["type"] == "guarantee"
        for n, (a, b) in enumerate(_pairs(treaty.get("guarantors", []), treaty["members"])):
            key = treaty["id"] if n == 0 else f"{treaty['id']}.{n}"
            graph.add_edge(a, b, key=key, **attrs, **({"guarantor": a} if guarantee else {}))
    return graph


def _edge_attributes(treaty: dict[str, Any]) -> dict[str, Any]:
    """The attributes every tie of a treaty carries (its file dict flattened)."""
    attrs: dict[str, Any] = {"treaty": treaty["id"]}
    for key, value in treaty.items():
        if key in _EXTRA_SECTIONS:
            for name, item in value.items():
                if name in _LISTS:
                    if item or name == "veto":
                        attrs[name] = " ".join(item)
                elif name == "unprovoked_only":
                    if item:
                        attrs[name] = True
                elif name == "rule":
                    attrs[name] = item
                elif isinstance(item, _SCALAR):
                    attrs[f"{key}.{name}"] = item
        elif key not in ("id", "guarantors", "members") and isinstance(value, _SCALAR):
            attrs[key] = value
    return attrs


def _pairs(guarantors: list[str], members: list[str]) -> list[tuple[str, str]]:
    """Edges that let the treaty be rebuilt with its parties in order."""
    if guarantors:
        return [(g, m) for g in guarantors for m in members]
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]


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
            if over_cap(text):  # without the indentation
                text = "".join(nx.generate_graphml(graph, prettyprint=False)) + "\n"
        elif suffix == ".gexf":
            text = _gexf_text(graph)
        else:
            data = json_graph.node_link_data(graph, edges="edges")
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
            if over_cap(text):
                text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False) + "\n"
    except (nx.NetworkXError, TypeError, ValueError) as error:
        raise ScenarioFileError(str(path), [f"cannot write as {suffix[1:]}: {error}"]) from error
    refuse_unreadable(path, text, "save it as .sandbox, which holds a larger world (written compactly)")
    atomic_write(path, text)


def _gexf_text(graph: nx.MultiDiGraph) -> str:
    """GEXF 1.2 of the graph: undirected (guarantees carry ``guarantor``), states
    drawn with viz:position, viz:color and viz:size, the graph attributes as a
    JSON object in ``<meta><description>``. Attributes holding values of several
    types (an extra that is 2 on one state and "two" on another) travel there
    too, under ``mixed``: GEXF declares one type per attribute."""
    nodes = [(str(node), _gexf_node_attributes(attrs)) for node, attrs in graph.nodes(data=True)]
    edges = [(str(a), str(b), str(key), attrs) for a, b, key, attrs in graph.edges(keys=True, data=True)]
    node_types, node_mixed = _attribute_types(nodes)
    edge_types, edge_mixed = _attribute_types([(key, attrs) for _, _, key, attrs in edges])
    graph_attrs = dict(graph.graph)
    mixed = {scope: found for scope, found in (("nodes", node_mixed), ("edges", edge_mixed)) if found}
    if mixed:
        graph_attrs["mixed"] = mixed

    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.2"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "Collective Security Sandbox"
    # ASCII JSON: no character that XML 1.0 cannot hold
    description = json.dumps({_GRAPH_KEY: graph_attrs}, allow_nan=False)
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = description
    graph_element = ET.SubElement(
        root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "undirected", "mode": "static"}
    )
    for scope, types in (("node", node_types), ("edge", edge_types)):
        declared = ET.SubElement(
            graph_element, f"{{{GEXF_NS}}}attributes", {"class": scope, "mode": "static"}
        )
        for key, kind in types.items():
            ET.SubElement(declared, f"{{{GEXF_NS}}}attribute", {"id": key, "title": key, "type": kind})
    nodes_element = ET.SubElement(graph_element, f"{{{GEXF_NS}}}nodes")
    for node, (attrs, viz) in nodes:
        element = ET.SubElement(nodes_element, f"{{{GEXF_NS}}}node", {"id": node, "label": attrs["name"]})
        _attvalues(element, attrs, node_types, node_mixed.get(node, {}))
        for name, values in viz.items():
            ET.SubElement(element, f"{{{VIZ_NS}}}{name}", values)
    edges_element = ET.SubElement(graph_element, f"{{{GEXF_NS}}}edges")
    for a, b, key, attrs in edges:
        element = ET.SubElement(edges_element, f"{{{GEXF_NS}}}edge", {"id": key, "source": a, "target": b})
        _attvalues(element, attrs, edge_types, edge_mixed.get(key, {}))
    ET.indent(root)
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _gexf_node_attributes(attrs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """A node's attributes for GEXF, with its position, colour and size as viz elements.
    The colour is also an attribute where its text is not the #rrggbb that viz gives back."""
    attrs = dict(attrs)
    x, y, color = attrs.pop("x"), attrs.pop("y"), attrs.pop("color", None)
    rgb = _rgb(color or DEFAULT_COLOR)
    if color is not None and _hex(*rgb) != color.lower():
        attrs["color"] = color
    viz = {
        "size": {"value": repr(radius_for_power(float(attrs["power"])))},
        "position": {"x": repr(x), "y": repr(-y), "z": "0.0"},  # Gephi's y axis points up, the canvas's down
        "color": {"r": str(rgb[0]), "g": str(rgb[1]), "b": str(rgb[2]), "a": repr(rgb[3] / 255)},
    }
    return attrs, viz


def _rgb(color: str) -> tuple[int, int, int, int]:
    """Red, green, blue and alpha (0-255) of ``#rgb``, ``#rrggbb`` or ``#rrggbbaa``."""
    digits = color[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
    return (*channels[:3], channels[3] if len(channels) == 4 else 255)  # type: ignore[return-value]


def _hex(r: int, g: int, b: int, a: int = 255) -> str:
    return f"#{r:02x}{g:02x}{b:02x}" + (f"{a:02x}" if a != 255 else "")


def _attribute_types(
    elements: list[tuple[str, Any]],
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The GEXF type of each attribute, and the values of attributes of mixed
    types by element id. A node's element is (id, (attrs, viz)), an edge's (id, attrs)."""
    found: dict[str, set[type]] = {}
    for _, item in elements:
        attrs = item[0] if isinstance(item, tuple) else item
        for key, value in attrs.items():
            found.setdefault(key, set()).add(type(value))
    numeric = {int, float}
    types = {}
    for key, kinds in found.items():
        if len(kinds) == 1:
            types[key] = _GEXF_TYPES[next(iter(kinds))]
        elif kinds == numeric and key in (*_NODE_NUMBERS, "commitment", "mediation"):
            types[key] = "double"  # a known number: 14 and 14.2 are the same kind of value
    mixed: dict[str, dict[str, Any]] = {}
    for element_id, item in elements:
        attrs = item[0] if isinstance(item, tuple) else item
        for key, value in attrs.items():
            if key not in types:
                mixed.setdefault(element_id, {})[key] = value
    return types, mixed


def _attvalues(
    element: ET.Element, attrs: dict[str, Any], types: dict[str, str], mixed: dict[str, Any]
) -> None:
    values = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
    for key, value in attrs.items():
        if key in mixed:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else value
        text = repr(float(value)) if types[key] == "double" else str(text)
        ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": text})


# -- reading -------------------------------------------------------------------


def read_graph(
    path: str | os.PathLike[str], power_from: str | None = None, notes: list[str] | None = None
) -> Scenario:
    """A scenario from a GraphML, GEXF or node-link JSON file (by extension).
    ``power_from`` (``degree`` or a node attribute) gives the power of nodes
    without one; what was changed to fit the graph into a scenario (ids mapped)
    is appended to ``notes``. Any bad input raises ScenarioFileError naming the
    node or treaty at fault."""
    source = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in GRAPH_SUFFIXES:
        raise ScenarioFileError(source, [f"unknown graph format {suffix!r}; use {', '.join(GRAPH_SUFFIXES)}"])
    raw = read_file(path)
    return graph_to_scenario(_parse(raw, suffix, source), source, power_from, notes)


def _parse(raw: bytes, suffix: str, source: str) -> nx.Graph:
    if suffix == ".json":
        data = parse_json(raw, source)
        if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
            raise ScenarioFileError(source, ['not a node-link graph: needs a "nodes" list'])
        repeated = _repeated_node_ids(data["nodes"])
        if repeated:  # networkx would merge them into one node, silently
            raise ScenarioFileError(source, capped(repeated))
        try:
            return json_graph.node_link_graph(data, edges="links" if "links" in data else "edges")
        except Exception as error:  # networkx raises many kinds on malformed data
            raise ScenarioFileError(source, [f"not a node-link graph: {_describe(error)}"]) from None
    try:
        if suffix == ".graphml":
            with warnings.catch_warnings():  # a key without a type is read as text, which _number handles
                warnings.simplefilter("ignore", UserWarning)
                return nx.parse_graphml(raw, edge_key_type=str, force_multigraph=True)
        return _read_gexf(raw)
    except ScenarioFileError as error:
        raise ScenarioFileError(source, error.problems) from None
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
    """A GEXF file of any version read by networkx as GEXF 1.2, plus what networkx
    leaves out: the graph attributes of our ``<meta><description>``, the order of
    each edge's ends (edge attribute ``_from``, the source), the direction of each
    edge of a mixed graph (``_directed``, ``_undirected``; networkx refuses those)
    and a treaty type in the edge's ``type`` slot or GEXF 1.3's ``kind``
    (``_slot_type``)."""
    root = ET.fromstring(raw)
    namespace, _, name = root.tag[1:].rpartition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if name != "gexf":
        raise ScenarioFileError("", [f"invalid GEXF: the root element is <{name}>, not <gexf>"])
    version = _GEXF_NAMESPACE.match(namespace)
    if namespace and version is None:
        raise ScenarioFileError(
            "", [f"invalid GEXF: unknown namespace {namespace!r}; GEXF 1.1, 1.2 and 1.3 are read"]
        )
    _as_gexf_1_2(root, namespace)
    graph_attrs: dict[str, Any] = {}
    for element in root.iter(f"{{{GEXF_NS}}}description"):
        if (element.text or "").lstrip().startswith("{"):
            with contextlib.suppress(ValueError):
                found = json.loads(element.text)
                if isinstance(found, dict) and isinstance(found.get(_GRAPH_KEY), dict):
                    graph_attrs = found[_GRAPH_KEY]
    marks = _edge_marks(root)
    graph = nx.read_gexf(io.BytesIO(ET.tostring(root)), version="1.2draft")
    for _, _, attrs in graph.edges(data=True):
        attrs.update(marks.get(str(attrs.get("id")), {}))
    mixed = graph_attrs.pop("mixed", None)
    if isinstance(mixed, dict):  # see _gexf_text
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


def _as_gexf_1_2(root: ET.Element, namespace: str) -> None:
    """Rewrite, in place, a GEXF tree of any version (or none) as GEXF 1.2, the
    newest networkx reads: namespaces, 1.3's ``hex`` colours, types it lacks."""
    viz_namespaces = {f"{namespace}/viz", "http://gexf.net/1.3/viz", "http://www.gexf.net/1.3/viz"}
    for element in root.iter():
        ns, _, tag = element.tag[1:].rpartition("}") if element.tag.startswith("{") else ("", "", element.tag)
        if ns == namespace:
            element.tag = f"{{{GEXF_NS}}}{tag}"
        elif ns in viz_namespaces or re.match(r"^https?://(?:www\.)?gexf\.net/1\.[0-3](?:draft)?/viz$", ns):
            element.tag = f"{{{VIZ_NS}}}{tag}"
        if tag == "color" and element.get("hex") and element.get("r") is None:
            with contextlib.suppress(ValueError, IndexError):
                r, g, b, _ = _rgb("#" + element.attrib.pop("hex").lstrip("#"))
                element.attrib.update(r=str(r), g=str(g), b=str(b))
        if tag == "attribute" and element.get("type") not in _NETWORKX_GEXF_TYPES:
            element.set("type", "string")  # GEXF 1.3's listinteger, date, biginteger...: kept as text
    root.set("version", "1.2")


def _edge_marks(root: ET.Element) -> dict[str, dict[str, Any]]:
    """What networkx does not keep of each edge, by edge id (given ids to edges
    without one, and unique ones to repeats, so that the marks find their edge);
    the XML type slots and ``kind`` are removed once read."""
    graph_element = root.find(f"{{{GEXF_NS}}}graph")
    if graph_element is None:
        return {}
    directed = graph_element.get("defaultedgetype", "undirected") == "directed"
    marks: dict[str, dict[str, Any]] = {}
    for n, edge in enumerate(graph_element.iter(f"{{{GEXF_NS}}}edge")):
        edge_id = edge.get("id")
        if edge_id is None or edge_id in marks:
            edge_id = f"{edge_id if edge_id is not None else 'e'}~{n}"
            edge.set("id", edge_id)
        mark: dict[str, Any] = {"_from": edge.get("source", ""), "_order": n}
        slot = edge.attrib.pop("type", None)
        if slot in _DIRECTIONS:
            if slot == "directed" and not directed:
                mark["_directed"] = "1"
            elif slot == "undirected" and directed:
                mark["_undirected"] = "1"
            elif slot == "mutual":
                edge.set("type", slot)  # networkx adds it both ways in a directed graph
        elif slot:
            mark["_slot_type"] = slot
        if edge.get("kind"):
            mark.setdefault("_slot_type", edge.attrib.pop("kind"))
        marks[edge_id] = mark
    return marks


def _describe(error: Exception) -> str:
    return str(error) or type(error).__name__


def graph_to_scenario(
    graph: nx.Graph, source: str = "<graph>", power_from: str | None = None, notes: list[str] | None = None
) -> Scenario:
    """Build a scenario from a networkx graph with SPEC's attributes (see the
    module docstring); raises ScenarioFileError listing the problems found."""
    ours = "treaties" in graph.graph  # written by this module: names are kept exactly
    problems: list[str] = []
    ids = _state_ids(graph, notes)
    degrees = dict(graph.degree()) if power_from == POWER_FROM_DEGREE else {}
    states = [
        _state(ids[node], attrs, ours, problems, power_from, degrees.get(node, 0))
        for node, attrs in graph.nodes(data=True)
    ]
    missing = [ids[node] for node, attrs in graph.nodes(data=True) if not _has_power(attrs, power_from)]
    if missing:
        given = f"attribute {power_from!r}" if power_from not in (None, POWER_FROM_DEGREE) else "power"
        problems.insert(
            0,
            f"power: {len(missing)} of {graph.number_of_nodes()} nodes have no {given} (the first: "
            f"{missing[0]!r}); give each node a power (its military capability), or import with "
            "--power-from degree, or --power-from ATTRIBUTE to take it from another attribute",
        )
    treaties = _treaties(graph, ids, {s["id"]: s["name"] for s in states}, problems)
    if not any("x" in attrs or "y" in attrs or "viz" in attrs for _, attrs in graph.nodes(data=True)):
        # a plain graph: without a layout every state would sit at (0, 0)
        positions = allies_layout(
            [s["id"] for s in states], [[*t["guarantors"], *t["members"]] for t in treaties]
        )
        for state in states:
            state["position"] = list(positions[state["id"]])
    if problems:
        raise (MissingPowerError if missing else ScenarioFileError)(source, capped(problems))
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
        named = [_name_place(p, states, treaties) for p in error.problems]
        raise ScenarioFileError(source, capped(named)) from None


def _state_ids(graph: nx.Graph, notes: list[str] | None) -> dict[Any, str]:
    """Each node's state id: its id without surrounding whitespace, or, for an id
    that is no state id (Gephi's ``0.0``), one made of its letters and digits;
    the mapping goes to ``notes`` once."""
    wanted = {node: str(node).strip() for node in graph.nodes}
    taken = {state_id for state_id in wanted.values() if ID_PATTERN.match(state_id)}
    ids: dict[Any, str] = {}
    used: set[str] = set()
    mapped = []
    for node, state_id in wanted.items():
        if not ID_PATTERN.match(state_id) or state_id in used:
            base = _NOT_AN_ID.sub("_", state_id).strip("_") or "node"
            candidate, n = base, 2
            while candidate in taken or candidate in used:
                candidate, n = f"{base}-{n}", n + 1
            mapped.append(f"{str(node)!r} -> {candidate!r}")
            state_id = candidate
        used.add(state_id)
        ids[node] = state_id
    if mapped and notes is not None:
        shown = ", ".join(mapped[:SHOWN_MAPPINGS]) + (
            f" ... ({len(mapped)} in all)" if len(mapped) > SHOWN_MAPPINGS else ""
        )
        notes.append(f"node ids that are not state ids (letters, digits, '_', '-') were mapped: {shown}")
    return ids


def _name_place(problem: str, states: list[dict], treaties: list[dict]) -> str:
    """Say "node 'GER'" or "treaty 'dual'" where the file-format check says states[0]."""

    def named(match: re.Match) -> str:
        items, kind = (states, "node") if match.group(1) == "states" else (treaties, "edge of treaty")
        return f"{kind} {items[int(match.group(2))].get('id')!r}"

    return re.sub(r"^(states|treaties)\[(\d+)\]", named, problem)


def _has_power(attrs: dict[str, Any], power_from: str | None) -> bool:
    if power_from == POWER_FROM_DEGREE:
        return True
    return (power_from or "power") in attrs or "power" in attrs


def _clean_text(value: Any, ours: bool) -> str:
    """A name as text: from another tool, without surrounding whitespace and
    with its line breaks (yEd keeps the XML's) as spaces."""
    text = str(value)
    return text if ours else _LINE_BREAK.sub(" ", text).strip()


def _state(
    state_id: str, attrs: dict[str, Any], ours: bool, problems: list[str], power_from: str | None, degree: int
) -> dict[str, Any]:
    place = f"node {state_id!r}"
    name = attrs.get("name", attrs.get("label", state_id))
    state: dict[str, Any] = {"id": state_id, "name": _clean_text(name, ours)}
    if "power" not in attrs and power_from == POWER_FROM_DEGREE:
        state["power"] = float(degree)
    elif "power" not in attrs and power_from in attrs:
        state["power"] = _number(attrs[power_from], f"{place}: {power_from}", problems)
    for key in _NODE_NUMBERS:
        if key in attrs:
            state[key] = _number(attrs[key], f"{place}: {key}", problems)
    if "mobilization" in attrs:
        value = _number(attrs["mobilization"], f"{place}: mobilization", problems)
        state["mobilization"] = int(value) if isinstance(value, float) and value.is_integer() else value
    viz = attrs.get("viz") if isinstance(attrs.get("viz"), dict) else {}
    position = viz.get("position") or {}
    x = attrs.get("x", position.get("x", 0.0))
    y = attrs["y"] if "y" in attrs else -position.get("y", 0.0)  # Gephi's y axis points up
    state["position"] = [_number(x, f"{place}: x", problems), _number(y, f"{place}: y", problems)]
    color = attrs.get("color")
    if color is None and isinstance(viz.get("color"), dict):
        rgb = viz["color"]
        alpha = rgb.get("a", 1.0)
        alpha = 255 if not isinstance(alpha, int | float) or not math.isfinite(alpha) else round(alpha * 255)
        found = _hex(*(min(255, max(0, int(rgb.get(c, 0)))) for c in "rgb"), min(255, max(0, alpha)))
        color = None if found == DEFAULT_COLOR else found  # the fill of a state without a colour
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


def _ids(value: Any, ids: dict[str, str] | None = None) -> list[str]:
    parts = [str(v) for v in value] if isinstance(value, list) else re.split(r"[\s,]+", str(value))
    return [ids.get(part, part) if ids else part for part in parts if part]


def _ordered_edges(graph: nx.Graph) -> list[tuple[Any, Any, dict[str, Any]]]:
    """The edges, each treaty's in the order it was written (by the ordinal in
    the edge key), treaties in the graph's ``treaties`` order where given, and
    each edge's ends in the order the file gave them; other edges in the file's order where known."""
    if graph.is_multigraph():
        edges = list(graph.edges(keys=True, data=True))
    else:
        edges = [(a, b, attrs.get("id"), attrs) for a, b, attrs in graph.edges(data=True)]
    order = {treaty_id: n for n, treaty_id in enumerate(_ids(graph.graph.get("treaties", "")))}

    def rank(edge: tuple) -> tuple[int, int, int]:
        treaty_id, key = edge[3].get("treaty"), str(edge[3].get("networkx_key", edge[2]))
        ordinal = key.rpartition(".")[2] if treaty_id is not None and key.startswith(f"{treaty_id}.") else "0"
        # then the file's order, where known (GEXF): networkx gives a multigraph's edges node by node
        return (
            order.get(treaty_id, len(order)),
            int(ordinal) if ordinal.isdigit() else 0,
            edge[3].get("_order", 0),
        )

    return [
        (b, a, attrs) if str(attrs.get("_from")) == str(b) and str(a) != str(b) else (a, b, attrs)
        for a, b, _, attrs in sorted(edges, key=rank)
    ]


def _treaty_type(attrs: dict[str, Any]) -> Any:
    """The treaty type, whichever attribute the writer put it in."""
    kind = attrs.get("type", attrs.get("treaty_type", attrs.get("_slot_type", "defense")))
    return kind.strip() if isinstance(kind, str) else kind


def _treaties(
    graph: nx.Graph, ids: dict[Any, str], names: dict[str, str], problems: list[str]
) -> list[dict[str, Any]]:
    """The treaties the edges make; a plain edge's treaty without a name is named by its two states."""
    treaties: dict[str, dict[str, Any]] = {}
    taken = set(ids.values())
    by_text = {str(node): state_id for node, state_id in ids.items()}
    unmatched: Counter[tuple[str, str, Any]] = Counter()  # plain directed ties waiting for their reverse
    for raw_a, raw_b, attrs in _ordered_edges(graph):
        a, b = ids[raw_a], ids[raw_b]
        kind = _treaty_type(attrs)
        directed = (graph.is_directed() and "_undirected" not in attrs) or "_directed" in attrs
        if kind == "guarantee":
            guarantor = attrs.get("guarantor")
            if guarantor is not None:
                guarantor = by_text.get(str(guarantor).strip(), str(guarantor).strip())
                if guarantor == b:
                    a, b = b, a
                elif guarantor != a:
                    problems.append(
                        f"edge {a!r}-{b!r}: guarantor: must be one of its ends, got {attrs['guarantor']!r}"
                    )
                    continue
            elif not directed:
                problems.append(
                    f"edge {a!r}-{b!r}: a guarantee in an undirected graph needs a guarantor attribute "
                    "(the id of the guaranteeing end)"
                )
                continue
        treaty_id = attrs.get("treaty")
        if treaty_id is None:  # a plain edge, as a graph tool writes it: a treaty of its own
            if directed and kind != "guarantee":
                if unmatched[b, a, kind]:  # B->A after A->B: one tie drawn both ways
                    unmatched[b, a, kind] -= 1
                    continue
                unmatched[a, b, kind] += 1
            treaty_id = f"{a}-{b}"
            n = 2
            while treaty_id in taken:
                treaty_id, n = f"{a}-{b}-{n}", n + 1
        treaty_id = str(treaty_id).strip()
        taken.add(treaty_id)
        treaty = treaties.get(treaty_id)
        if treaty is None:
            treaty = treaties[treaty_id] = _treaty(treaty_id, kind, attrs, by_text, problems)
            if "treaty" not in attrs and "name" not in attrs:
                treaty["name"] = f"{names[a]} - {names[b]}"
        if treaty["type"] == "guarantee":
            for role, state in (("guarantors", a), ("members", b)):
                if state not in treaty[role]:
                    treaty[role].append(state)
        else:
            treaty["members"].extend(s for s in (a, b) if s not in treaty["members"])
    return list(treaties.values())


def _treaty(
    treaty_id: str, kind: Any, attrs: dict[str, Any], ids: dict[str, str], problems: list[str]
) -> dict[str, Any]:
    place = f"edge of treaty {treaty_id!r}"
    treaty: dict[str, Any] = {"id": treaty_id, "name": str(attrs.get("name", treaty_id)), "type": kind}
    treaty["guarantors"], treaty["members"] = [], []
    for key in ("commitment", "mediation"):
        if key in attrs:
            treaty[key] = _number(attrs[key], f"{place}: {key}", problems)
    conditions: dict[str, Any] = {}
    if "unprovoked_only" in attrs:
        flag = attrs["unprovoked_only"]
        conditions["unprovoked_only"] = flag.strip().lower() == "true" if isinstance(flag, str) else flag
    if attrs.get("against"):
        conditions["against"] = _ids(attrs["against"], ids)
    if conditions:
        treaty["conditions"] = conditions
    if "rule" in attrs or attrs.get("veto") or "response" in attrs:
        treaty["decision"] = {
            "rule": attrs.get("rule", "unanimity"),
            "veto": _ids(attrs.get("veto") or [], ids),
        }
        if "response" in attrs:  # as files written before decision.KEY carried it have it
            treaty["decision"]["response"] = attrs["response"]
    for key, value in attrs.items():
        section, dot, name = str(key).partition(".")
        if key in _EDGE_KNOWN or key in _EDGE_NOISE or key in _EDGE_MARKS or not isinstance(value, _SCALAR):
            continue
        if dot and section in _EXTRA_SECTIONS and name:
            treaty.setdefault(section, {})[name] = value
        else:
            treaty[key] = value
    return treaty
