"""The one plot styler: every chart of the app (the charts dock, What-If, Experiments) takes its
background, ink, axes, titles and legends from its window's palette, and follows it when the
theme or presenter mode changes it, so the light, dark and projector themes reach them all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget

TITLE_POINTS, LABEL_POINTS, TICK_FONT_POINTS = 14, 13, 12  # at scale 1: presenter mode scales them
TITLE_SIZE = f"{TITLE_POINTS}pt"
LABEL_SIZE = f"{LABEL_POINTS}pt"


@dataclass(frozen=True)
class PlotColors:
    """What a plot paints that follows the window's palette (light, dark or the projector's)."""

    background: QColor
    text: QColor

    @classmethod
    def of(cls, palette: QPalette) -> PlotColors:
        return cls(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text))


def style_plot(plot: pg.PlotItem, x_label: str, y_label: str, text: QColor, scale: float = 1.0) -> None:
    """Axes, labels and grid in the text colour ``text`` (the grid is a faint version of it), the
    type ``scale`` times its size (presenter mode's large type)."""
    font = QFont()
    font.setPointSizeF(TICK_FONT_POINTS * scale)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
        axis.setStyle(tickFont=font, tickTextOffset=6)
        axis.enableAutoSIPrefix(False)  # "x0.001" beside a label confuses a workshop audience
    # an axis label writes its style as CSS: the colour must be a name, not a QColor
    size = f"{LABEL_POINTS * scale:g}pt"
    plot.setLabel("bottom", x_label, color=text.name(), **{"font-size": size})
    plot.setLabel("left", y_label, color=text.name(), **{"font-size": size})
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setMenuEnabled(False)  # our own Export button replaces pyqtgraph's menu


class PlotStyler(QObject):
    """Styles the plots of ``layout`` from ``window``'s palette, now and after each palette change."""

    def __init__(self, window: QWidget, layout: pg.GraphicsLayoutWidget) -> None:
        super().__init__(window)
        self.window, self.layout = window, layout
        self.colors = PlotColors.of(window.palette())
        self._plots: dict[pg.PlotItem, tuple[str, str, str]] = {}  # plot: (title, x label, y label)
        self._legends: list[pg.LegendItem] = []
        layout.setBackground(self.colors.background)
        window.installEventFilter(self)

    def add(self, plot: pg.PlotItem, title: str, x_label: str, y_label: str = "") -> None:
        self._plots[plot] = (title, x_label, y_label)
        self._style(plot)

    def set_title(self, plot: pg.PlotItem, title: str) -> None:
        _, x_label, y_label = self._plots[plot]
        self._plots[plot] = (title, x_label, y_label)
        plot.setTitle(title, size=TITLE_SIZE, color=self.colors.text)

    def set_x_label(self, plot: pg.PlotItem, x_label: str) -> None:
        title, _, y_label = self._plots[plot]
        self._plots[plot] = (title, x_label, y_label)
        self._style(plot)

    def legend(self, plot: pg.PlotItem, **options) -> pg.LegendItem:
        """``plot``'s legend (made once), its names in the palette's ink."""
        legend = plot.legend or plot.addLegend(labelTextColor=self.colors.text, **options)
        if legend not in self._legends:
            self._legends.append(legend)
        return legend

    def _style(self, plot: pg.PlotItem) -> None:
        title, x_label, y_label = self._plots[plot]
        style_plot(plot, x_label, y_label, self.colors.text)
        plot.setTitle(title, size=TITLE_SIZE, color=self.colors.text)

    def restyle(self) -> None:
        self.layout.setBackground(self.colors.background)
        for plot in self._plots:
            self._style(plot)
        for legend in self._legends:
            legend.setLabelTextColor(self.colors.text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            colors = PlotColors.of(self.window.palette())
            if colors != self.colors:
                self.colors = colors
                self.restyle()
        return False
