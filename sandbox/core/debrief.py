"""The debrief pack: one folder holding everything a workshop needs after a run.

:func:`write_debrief` writes, into ``folder`` (created if missing; files of the same names are
replaced atomically, nothing else in the folder is touched):

- ``scenario.sandbox``: the scenario as run;
- ``report.json``: the run report (SPEC.md), as the caller rendered it;
- ``series.csv``: the per-tick metrics, one row per tick, a ``tick`` column first;
- ``event-log.md``: the narrated event log as Markdown, as the caller rendered it;
- one ``NAME.png`` per image passed in (the app passes the canvas and every chart);
- ``index.md`` and ``index.html`` (the handout: opens in a browser with the pictures inline):
  the outcome, who fought on each side, who honoured and who reneged, the key numbers, the
  example's questions for the room and every picture (:func:`handout`).
"""

from __future__ import annotations

import csv
import html
import io
import pathlib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from sandbox.core.io.fileformat import atomic_write, dumps_scenario
from sandbox.core.room_compare import room_lines
from sandbox.core.scenario import Scenario
from sandbox.core.text import counted

SCENARIO_FILE = "scenario.sandbox"
REPORT_FILE = "report.json"
SERIES_FILE = "series.csv"
EVENT_LOG_FILE = "event-log.md"
INDEX_MD, INDEX_HTML = "index.md", "index.html"

# A run's result in the words of the room (the report's codes stay in report.json).
RESULT_WORDS = {
    "aggressor-victory": "the aggressor won",
    "aggressor-defeated": "the aggressor was defeated",
    "stalemate": "a stalemate",
    "deterred": "the attack was deterred",
    "ceasefire": "a ceasefire",
    "peace": "peace: no war broke out",
}


def result_words(code: str) -> str:
    """A result code as words (an unknown code with its dashes as spaces)."""
    return RESULT_WORDS.get(code, code.replace("-", " "))


def ticks_words(n: int) -> str:
    """``1 tick``, ``2 ticks``."""
    return counted(n, "tick")


def questions_for_the_room(notes: str) -> list[str]:
    """The numbered or bulleted items under the notes' "Questions" heading, one string each."""
    match = re.search(r"^#+ [^\n]*question[^\n]*\n(.*?)(?=^#|\Z)", notes, re.I | re.M | re.S)
    if not match:
        return []
    items: list[str] = []
    for line in match.group(1).splitlines():
        start = re.match(r"\s*(?:\d+[.)]|[-*])\s+(.*)", line)
        if start:
            items.append(start.group(1).strip())
        elif line.strip() and items:
            items[-1] += " " + line.strip()
    return items


Sections = list[tuple[str, list[str], bool]]  # (heading, lines, numbered)
Pictures = list[tuple[str, str]]  # (file, caption)


def handout(scenario: Scenario, report: Mapping[str, Any]) -> Sections:
    """The handout's sections before its pictures; ``index.md`` and ``index.html`` are both
    written from them."""
    names = {state.id: state.name for state in scenario.states}
    states = report.get("states", {})
    outcome = report.get("outcome", {})
    wars = outcome.get("wars", [])
    end = outcome.get("ended_tick")
    if outcome.get("result"):
        said = result_words(outcome["result"]).capitalize()
        lines = [said + (f" at tick {end}." if end is not None else ".")]
    else:
        tick = len(report.get("metrics", {}).get("tick", []))
        lines = [f"The run was stopped after {ticks_words(tick)}, before it ended."]
    if len(wars) > 1:
        lines.append(f"{len(wars)} wars in all: " + "; ".join(result_words(w["result"]) for w in wars) + ".")
    sections = [("Outcome", lines, False)]

    def named(ids: list[str]) -> str:
        return ", ".join(names.get(i, i) for i in ids) or "nobody"

    sides: dict[str, list[str]] = {}
    for state_id, view in states.items():
        if view.get("side"):
            sides.setdefault(view["side"], []).append(state_id)
    fought = [f"{side.capitalize()} side: {named(ids)}" for side, ids in sorted(sides.items())]
    sections.append(("Who fought", fought or ["Nobody fought."], False))
    honoured = [i for i, v in states.items() if (v.get("reason") or {}).get("treaty") and v.get("side")]
    reneged = [i for i, v in states.items() if v.get("status") == "reneged"]
    sections.append(
        ("Who honoured, who reneged", [f"Honoured: {named(honoured)}", f"Reneged: {named(reneged)}"], False)
    )
    numbers = [f"Ticks run: {ticks_words(int(end) + 1 if end is not None else 0)}"]
    numbers.append(f"States at war: {sum(1 for v in states.values() if v.get('side'))} of {len(states)}")
    for attack in report.get("attacks", []):
        verdict = "deterred" if attack.get("deterred") else "not deterred"
        numbers.append(
            f"Tick {attack['tick']}: {names.get(attack['aggressor'], attack['aggressor'])} attacks "
            f"{names.get(attack['target'], attack['target'])}, strength "
            f"{attack['attacker_strength']:.1f} against an expected defence of "
            f"{attack['expected_defense']:.1f} ({verdict})"
        )
    costs = sorted(((v.get("cost", 0.0), i) for i, v in states.items() if v.get("cost")), reverse=True)
    if costs:
        numbers.append(
            "Highest cost of war: " + ", ".join(f"{names.get(i, i)} {c:.1f}" for c, i in costs[:3])
        )
    sections.append(("Key numbers", numbers, False))
    if report.get("room"):
        sections.append(("The room and the model", room_lines(report["room"], names), False))
    questions = questions_for_the_room(scenario.meta.notes)
    if questions:
        sections.append(("Questions for the room", questions, True))
    return sections


def index_markdown(title: str, sections: Sections, pictures: Pictures) -> str:
    out = [f"# {title}: debrief", ""]
    for heading, lines, numbered in sections:
        out += [f"## {heading}", ""]
        out += [f"{n}. {line}" if numbered else f"- {line}" for n, line in enumerate(lines, 1)] + [""]
    out += ["## Pictures", ""]
    for file, caption in pictures:
        out += [f"![{caption}]({file})", ""]
    return "\n".join(out)


def index_html(title: str, sections: Sections, pictures: Pictures) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}: debrief</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "img{max-width:100%;border:1px solid #ccc}figure{margin:1em 0}</style>",
        f"</head><body><h1>{e(title)}: debrief</h1>",
    ]
    for heading, lines, numbered in sections:
        tag = "ol" if numbered else "ul"
        items = "".join(f"<li>{e(line)}</li>" for line in lines)
        out.append(f"<h2>{e(heading)}</h2><{tag}>{items}</{tag}>")
    out.append("<h2>Pictures</h2>")
    for file, caption in pictures:
        out.append(
            f'<figure><img src="{e(file)}" alt="{e(caption)}"><figcaption>{e(caption)}</figcaption></figure>'
        )
    out.append("</body></html>\n")
    return "\n".join(out)


def series_csv(series: Mapping[str, np.ndarray]) -> str:
    """The per-tick series as CSV text: ``tick`` first, then the other series in their order
    (the recorder's); ``run --series`` writes the same."""
    names = ["tick", *(name for name in series if name != "tick")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(zip(*(np.asarray(series[name]).tolist() for name in names), strict=True))
    return out.getvalue()


def write_debrief(
    folder: str | pathlib.Path,
    scenario: Scenario,
    *,
    report_json: str,
    series: Mapping[str, np.ndarray],
    event_log_markdown: str,
    images: Mapping[str, bytes] | None = None,
    report: Mapping[str, Any] | None = None,
    captions: Mapping[str, str] | None = None,
) -> list[pathlib.Path]:
    """Write the pack into ``folder``; ``images`` maps a file stem to PNG bytes, ``captions`` a
    stem to its caption in the handout. With ``report`` (the run report as a dict) the index is
    written too. Returns the paths written, in the order of the module docstring."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str | bytes] = {
        SCENARIO_FILE: dumps_scenario(scenario),
        REPORT_FILE: report_json,
        SERIES_FILE: series_csv(series),
        EVENT_LOG_FILE: event_log_markdown,
        **{f"{stem}.png": png for stem, png in (images or {}).items()},
    }
    if report is not None:
        pictures = [(f"{stem}.png", (captions or {}).get(stem, stem)) for stem in images or {}]
        sections = handout(scenario, report)
        title = scenario.meta.title or "Untitled scenario"
        files[INDEX_MD] = index_markdown(title, sections, pictures)
        files[INDEX_HTML] = index_html(title, sections, pictures)
    for name, data in files.items():
        atomic_write(folder / name, data)
    return [folder / name for name in files]
