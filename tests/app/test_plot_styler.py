"""Every chart window takes its colours from the palette: What-If and Experiments follow the
dark and projector themes as the charts dock does (they used to force a white background)."""

from __future__ import annotations

import pytest
from builders import pact_world
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from sandbox.app.style import theme
from sandbox.app.workshop.compare_view import CompareWindow
from sandbox.app.workshop.experiments import ExperimentsDialog


@pytest.fixture
def themed(qapp):
    palette = qapp.palette()
    yield lambda name: QApplication.setPalette(theme.theme_palette(name))
    QApplication.setPalette(palette)


@pytest.mark.parametrize(
    "make", [lambda: CompareWindow(pact_world(), ("A", "B")), lambda: ExperimentsDialog(pact_world())]
)
@pytest.mark.parametrize("name", ["dark", "projector", "light"])
def test_what_if_and_experiments_follow_the_theme(qtbot, themed, make, name):
    window = make()
    qtbot.addWidget(window)
    themed(name)
    palette = theme.theme_palette(name)
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    qtbot.waitUntil(lambda: window.styler.colors.background == base, timeout=60_000)
    assert window.charts.backgroundBrush().color() == base
    for plot in window.styler._plots:
        assert plot.getAxis("left").textPen().color() == text
        assert plot.titleLabel.opts.get("color") in (text, text.name())
