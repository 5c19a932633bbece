"""The event log's dots are seen in every theme: WCAG 2.1's 3:1 for graphical objects."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from sandbox.app.run.event_log import ICON_SIZE, EventDelegate, EventLogDock
from sandbox.app.style import theme
from sandbox.app.style.vocabulary import EVENT_KIND_COLORS


def test_the_contrast_ratio_is_wcags():
    # WCAG 2.1: black on white is 21:1, a colour on itself 1:1, and #767676 on white is 4.54:1
    white, black = QColor("white"), QColor("black")
    assert theme.contrast_ratio(black, white) == pytest.approx(21.0)
    assert theme.contrast_ratio(white, white) == pytest.approx(1.0)
    assert theme.contrast_ratio(QColor("#767676"), white) == pytest.approx(4.54, abs=0.01)
    # declined's soft violet is too faint on white to be seen alone: why the dot has an edge
    assert theme.contrast_ratio(QColor(EVENT_KIND_COLORS["declined"]), white) < theme.GRAPHIC_CONTRAST


def row_option(palette, selected: bool, alternate: bool) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.palette = palette
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    if alternate:
        option.features |= QStyleOptionViewItem.ViewItemFeature.Alternate
    return option


@pytest.mark.parametrize("name", theme.THEMES)
def test_every_dot_of_the_log_stands_out_from_its_row_in_every_theme(name):
    palette = theme.theme_palette(name)
    delegate = EventDelegate.__new__(EventDelegate)  # dot_edge reads no view
    for kind, colour in EVENT_KIND_COLORS.items():
        dot = QColor(colour) if colour else palette.text().color()
        for selected in (False, True):
            for alternate in (False, True):
                option = row_option(palette, selected, alternate)
                background = EventDelegate.row_background(option)
                edge = delegate.dot_edge(option, dot)
                ratio = theme.contrast_ratio(edge, background)
                assert ratio >= theme.GRAPHIC_CONTRAST, (name, kind, selected, alternate, ratio)
                assert edge.hue() == dot.hue() or dot.saturation() < 30 or edge.saturation() < 30, kind


def test_the_declined_dot_is_drawn_with_its_edge_on_white(qapp, qtbot):
    # one declined event in the light theme: the darkest pixel of its dot reaches 3:1 on the white row
    old = qapp.palette()
    qapp.setPalette(theme.light_palette())
    try:
        log = EventLogDock()
        qtbot.addWidget(log)
        log.resize(500, 300)
        log.append([SimpleNamespace(tick=3, kind="declined", text="Italy declines to join France.")])
        log.show()
        qtbot.waitExposed(log)
        qtbot.waitUntil(lambda: log.view.visualRect(log.model.index(0, 0)).height() > 0)
        image = log.view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        row = log.view.visualRect(log.model.index(0, 0))
        background = image.pixelColor(QPoint(row.right() - 2, row.top() + 2))
        darkest = min(
            (
                image.pixelColor(QPoint(x, y))
                for x in range(row.left(), row.left() + 80)
                for y in range(row.top(), row.top() + ICON_SIZE + 12)
                if image.pixelColor(QPoint(x, y)).saturation() > 40  # the dot, not the black tick number
            ),
            key=theme.relative_luminance,
        )
        assert theme.contrast_ratio(darkest, background) >= theme.GRAPHIC_CONTRAST, darkest.name()
    finally:
        qapp.setPalette(old)
