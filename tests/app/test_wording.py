"""Text users see is in their words: British spelling throughout, counts that read right ("1 tick",
"2 ticks"), no file-format codes. Every string the main window shows is read: widget texts,
tooltips, status tips, menu and tool bar actions, the legend, the inspector's labels."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QWidget

from sandbox.app.canvas import legend
from sandbox.app.panels.field_help import LABELS, label, tooltip
from sandbox.core.text import counted

# American spellings the app must not show (British: defence, offence, colour, honour, -ise...)
AMERICAN = re.compile(
    r"\b(defense|offense|color|colors|behavior|honor|honors|honored|"
    r"mobiliz\w*|organiz\w*|authoriz\w*|recogniz\w*|center|centered|favor\w*|gray|neighbor\w*)\b",
    re.IGNORECASE,
)
ONE_PLURAL = re.compile(
    r"(?<![\d.,])\b1 (ticks|states|treaties|runs|wars|events|days|weeks|members|attacks)\b"
)
CODES = re.compile(r"\b(aggressor-victory|aggressor-defeated|not-obliged|non_aggression)\b")


def shown_texts(window) -> list[str]:
    texts = [window.windowTitle()]
    for action in window.findChildren(QAction):
        texts += [action.text(), action.toolTip(), action.statusTip()]
    for widget in window.findChildren(QWidget):
        texts += [widget.toolTip(), widget.statusTip(), widget.windowTitle()]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
    texts += [entry[0] for column, entries in window.canvas.legend.columns for entry in entries]
    return [text for text in texts if text]


def american(text: str) -> list[str]:
    return AMERICAN.findall(text)


@pytest.mark.parametrize("run", [False, True], ids=["editing", "after a run"])
def test_the_window_speaks_british_and_counts_right(main_window, run):
    if run:
        main_window.live.controller.run_ticks(1000)
    main_window.canvas.select(["GER", "FRA"], ["dual"])  # the inspector's "2 states and 1 treaty"
    texts = shown_texts(main_window)
    assert len(texts) > 100
    assert [t for t in texts if american(t)] == []
    assert [t for t in texts if ONE_PLURAL.search(t)] == []
    assert [t for t in texts if CODES.search(t)] == []
    assert "2 states and 1 treaty selected" in texts


def test_the_legend_and_the_field_help_speak_british():
    tables = (legend.STATE_ENTRIES, legend.TIE_ENTRIES, legend.TREATY_ENTRIES, legend.AREA_ENTRIES)
    labels = [entry[0] for table in (*tables, legend.MARK_ENTRIES) for entry in table]
    help_texts = [text for owner, key in LABELS for text in (label(owner, key), tooltip(owner, key))]
    assert [t for t in labels + help_texts if american(t)] == []
    assert "mobilising" in labels and "honoured" in labels and "defence pact" in labels


def test_counts_read_right():
    assert counted(1, "tick") == "1 tick" and counted(2, "tick") == "2 ticks"
    assert counted(1, "treaty") == "1 treaty" and counted(3, "treaty") == "3 treaties"
    assert counted(0, "run") == "0 runs" and counted(12000, "run") == "12,000 runs"
    assert counted(1, "week", "weeks") == "1 week"
