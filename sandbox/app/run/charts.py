"""The charts dock: a run's metrics over ticks and who carries the burden.

Every chart is built once; a run feeds it with ``setData`` from the engine's
recorder (STYLE.md: rebuilding plots every frame leaks and stutters). Each chart
exports PNG, SVG and CSV; the CSV is written from the chart's own data, not
scraped from the picture.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (registers ImageExporter)
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sandbox.app.run.exports import png_bytes, write
from sandbox.app.style.plots import LABEL_SIZE, TICK_FONT_POINTS, TITLE_POINTS, PlotColors, style_plot
from sandbox.app.style.vocabulary import OKABE_ITO, SIDE_COLORS
from sandbox.core.overview import CHARTS
from sandbox.core.scenario import Scenario

# Sides as the canvas colours them; the other series colour-blind safe (Okabe-Ito).
SERIES_COLORS = {
    "stability": OKABE_ITO["bluish-green"],
    "vulnerable_states": OKABE_ITO["orange"],
    "exposed_states": OKABE_ITO["vermillion"],
    "strength_aggressor": SIDE_COLORS["aggressor"],
    "strength_defender": SIDE_COLORS["defender"],
    "power_balance": "#6a3d9a",
    "belligerents": None,  # the palette's text colour: black on white, white on dark
    "cohesion": OKABE_ITO["reddish-purple"],
}
REFERENCE_COLOR = "#9a9a9a"  # mid grey: faint on white and on dark alike
LEGEND_ALPHA = 210  # a legend's box lets a curve behind it show through a little

LINE_WIDTH = 3
TREATY_CHARACTERS = 12  # the peace-burden chart's treaty choice: its least width in characters
LEGEND_COLUMNS = 2  # a time chart's legend: entries per row...
LEGEND_ROW_HEIGHT = 30  # ...and the height of a row
CURSOR_GRIP = 5  # pixels: the cursor's width under the pointer
HOVER_COLOR = OKABE_ITO["orange"]  # the cursor under the pointer, on light and dark alike
POINT_SIZE = 12  # pixels: a lone point reads as a point, not a speck
SCATTER_SIZE = 16  # pixels: a state's dot in the burden charts
EXPORT_FORMATS = (
    ("PNG image…", ".png", "PNG image (*.png)"),
    ("SVG drawing…", ".svg", "SVG drawing (*.svg)"),
    ("CSV data…", ".csv", "CSV data (*.csv)"),
)
EXPORT_SIZE = (1200, 700)  # logical pixels: every exported chart is laid out at this size...
EXPORT_WIDTH = 2400  # ...and drawn this many pixels wide (twice over: sharp in print)
ABOUT_POINTS = 11  # the sentence under a chart, read at arm's length (always shown, wrapped)...
MIN_PLOT_HEIGHT = 300  # ...beside the plot when under it the plot would keep less than this
SIDE_SHARES = (0.34, 0.4, 0.46, 0.52)  # shares of a chart's width the sentence may take beside the plot
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for a widget's size
MIN_TICKS_SHOWN = 10  # a short run still gets a tick axis of whole numbers
MAX_POINT_LABELS = 40  # more name labels than this turn a scatter into a smear
# where a name sits against its point, in order of preference (TextItem anchors: above right first)
LABEL_CORNERS = ((0.0, 1.0), (0.0, 0.0), (1.0, 1.0), (1.0, 0.0))


class ChartColors(PlotColors):
    """:class:`PlotColors`, with the colour of each recorder series."""

    def series(self, key: str) -> QColor:
        """The colour of the recorder series ``key``."""
        return QColor(SERIES_COLORS.get(key) or self.text)


@dataclass(frozen=True)
class Series:
    """One curve: the recorder key it draws and its name in the legend."""

    key: str
    name: str


@dataclass(frozen=True)
class Panel:
    """One plot of a time chart; panels of a chart share the tick axis."""

    y_label: str
    series: tuple[Series, ...]
    y_range: tuple[float, float] | None = None  # fixed; None: from 0 to the data's top
    reference: float | None = None  # a dotted horizontal line, e.g. an even balance
    counts: bool = False  # whole numbers (states): the y axis is labelled in whole numbers only


class TickAxis(pg.AxisItem):
    """The tick axis: the point drawn at -1 is the world before the first attack ("before")."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        levels = super().tickValues(minVal, maxVal, size)
        if levels and min(minVal, maxVal) <= BEFORE:
            spacing, values = levels[0]
            levels[0] = (spacing, sorted({BEFORE, *(v for v in values if v >= 0)}))
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = super().tickStrings(values, scale, spacing)
        return ["before" if abs(v - BEFORE) < 1e-9 else s for v, s in zip(values, strings, strict=True)]


BEFORE = -1  # where a time chart draws the report's baseline


class CountAxis(pg.AxisItem):
    """An axis of whole numbers: labels at 1, 2, 5, 10, 20, ... apart, as many as fit with
    a clear line between two labels (a short panel shows only its ends)."""

    LABEL_PITCH = 1.5  # label heights from one label to the next: half a line clear between them

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        low, high = (minVal, maxVal) if minVal <= maxVal else (maxVal, minVal)
        font = self.style.get("tickFont") or self.font()
        pitch = QFontMetrics(font).height() * self.LABEL_PITCH
        step = _whole_step((high - low) * pitch / max(size, 1.0))
        first = np.ceil(low / step - 1e-9) * step
        values = np.arange(first, high + 1e-9, step)
        return [(float(step), [float(v) for v in values])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{round(value * scale):,}" for value in values]


def _whole_step(raw: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``raw``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= raw:
                return factor * magnitude
        magnitude *= 10


class PlainLogAxis(pg.AxisItem):
    """A log axis labelled 1, 2, 5, 10, 20, 50, ... in plain numbers, not 10^n."""

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = []
        for value in values:
            number = 10.0**value
            mantissa = round(number / 10.0 ** np.floor(value + 1e-9))
            if mantissa not in (1, 2, 5):
                strings.append("")  # label every tick and they run into each other
            elif number >= 1:
                strings.append(f"{number:,.0f}")
            else:
                strings.append(f"{number:.2g}")
        return strings


def _color_legend(legend: pg.LegendItem, colors: ChartColors, boxed: bool) -> None:
    """Label text in the palette's colour; a ``boxed`` legend (inside a plot) on its background."""
    legend.setLabelTextColor(colors.text)
    for _sample, label in legend.items:
        label.setText(label.text)  # a label keeps its old colour until drawn again
    if boxed:
        box = QColor(colors.background)
        box.setAlpha(LEGEND_ALPHA)
        legend.setBrush(pg.mkBrush(box))
        legend.setPen(pg.mkPen(REFERENCE_COLOR))


def layout_png(layout_widget: pg.GraphicsLayoutWidget, width: int = EXPORT_WIDTH) -> bytes:
    """A pyqtgraph layout as drawn now, as a PNG ``width`` pixels wide (fonts scale with it)."""
    exporter = pg.exporters.ImageExporter(layout_widget.ci)
    exporter.parameters()["width"] = width
    return png_bytes(exporter.export(toBytes=True))


def layout_svg(layout_widget: pg.GraphicsLayoutWidget, title: str, background: QColor) -> bytes:
    """A pyqtgraph layout as drawn now, as an SVG drawing. Rendered with Qt's QSvgGenerator:
    pyqtgraph 0.14.0's SVGExporter fails on the closed paths Qt 6 writes (pyqtgraph issue #3495)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    source = layout_widget.ci.sceneBoundingRect()
    target = QRectF(0, 0, source.width(), source.height())
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(target.size().toSize())
    generator.setViewBox(target)
    generator.setTitle(title)
    painter = QPainter(generator)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(target, background)
    layout_widget.scene().render(painter, target, source)
    painter.end()
    buffer.close()
    return bytes(data.data())


class Chart(QWidget):
    """A chart page: a pyqtgraph layout, with room above it for a chart's own controls.

    Subclasses draw into :attr:`layout_widget` and describe their data with
    :meth:`table`, which is what the CSV export writes.
    """

    def __init__(self, title: str, about: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.about = (
            about  # what the chart measures, in one sentence a teacher can read aloud, with its source
        )
        self.colors = ChartColors.of(self.palette())
        self._styled: list[tuple[pg.PlotItem, str, str]] = []  # (plot, x label, y label)
        self._titles: dict[pg.PlotItem, str] = {}
        self.text_scale = 1.0  # presenter mode's large type: titles, axis labels and tick numbers
        self.screen_only: list[QGraphicsItem] = []  # controls, left out of exported pictures
        self.layout_widget = pg.GraphicsLayoutWidget(self)
        self.layout_widget.setBackground(self.colors.background)
        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addLayout(self.toolbar)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)  # the plot, then the sentence
        self.body.setSpacing(0)
        box.addLayout(self.body, 1)
        self.body.addWidget(self.layout_widget, 1)
        self.about_label = QLabel(about, self)
        self.about_label.setWordWrap(True)
        self.about_label.setContentsMargins(8, 2, 8, 4)
        self.about_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        font = self.about_label.font()
        font.setPointSize(max(font.pointSize(), ABOUT_POINTS))
        self.about_label.setFont(font)
        self.body.addWidget(self.about_label)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The sentence, whole and wrapped, under the plot; beside it when under it would leave the
        plot less than MIN_PLOT_HEIGHT (the small dock of a 1280 x 720 screen)."""
        super().resizeEvent(event)
        width = max(self.width(), 1)
        under = self.height() - self.about_label.heightForWidth(width) >= MIN_PLOT_HEIGHT
        if under:
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
            self.about_label.setMinimumWidth(0)
            self.about_label.setMaximumWidth(QWIDGETSIZE_MAX)
        else:
            # the narrowest column that holds the whole sentence in the plot's height
            room = self.height() - self.toolbar.sizeHint().height()
            side = next(
                (
                    int(width * share)
                    for share in SIDE_SHARES
                    if self.about_label.heightForWidth(int(width * share)) <= room
                ),
                int(width * SIDE_SHARES[-1]),
            )
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
            self.about_label.setFixedWidth(side)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """The chart's data as a header and rows (what the CSV holds)."""
        raise NotImplementedError

    def style_plot(self, plot: pg.PlotItem, x_label: str, y_label: str) -> None:
        """Axes and labels of ``plot`` in the palette's colours, now and after a palette change."""
        self._styled.append((plot, x_label, y_label))
        style_plot(plot, x_label, y_label, self.colors.text, self.text_scale)

    def set_title(self, plot: pg.PlotItem, text: str) -> None:
        """The title above ``plot``, in the palette's text colour."""
        self._titles[plot] = text
        plot.setTitle(text, size=f"{TITLE_POINTS * self.text_scale:g}pt", color=self.colors.text)

    def set_text_scale(self, scale: float) -> None:
        """Titles, axis labels and tick numbers at ``scale`` times their size (exports keep theirs)."""
        if scale != self.text_scale:
            self.text_scale = scale
            self.restyle()

    def changeEvent(self, event: QEvent) -> None:
        # the app's palette changes with the theme and with presenter mode: the chart follows it
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            colors = ChartColors.of(self.palette())
            if colors != self.colors:
                self.colors = colors
                self.restyle()
        super().changeEvent(event)

    def restyle(self) -> None:
        """Repaint everything coloured from the palette in :attr:`colors` (subclasses add theirs)."""
        self.layout_widget.setBackground(self.colors.background)
        for plot, x_label, y_label in self._styled:
            style_plot(plot, x_label, y_label, self.colors.text, self.text_scale)
        for plot, text in self._titles.items():
            self.set_title(plot, text)

    def csv_text(self) -> str:
        header, rows = self.table()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()

    def export_csv(self, path: str) -> None:
        write(path, self.csv_text())

    @contextmanager
    def export_layout(self) -> Iterator[None]:
        """Lay the chart out at EXPORT_SIZE and bring it up to date for an export, whether or not
        it was ever on screen (a hidden tab has never been laid out), without what only the screen
        needs (:attr:`screen_only`: the replay cursor); it goes back as it was afterwards."""
        self.draw()
        scale = self.text_scale
        self.set_text_scale(1.0)  # a handout's type is the same in any mode
        layout = self.layout_widget.ci
        before = layout.geometry()
        shown = [item for item in self.screen_only if item.isVisible()]
        for item in shown:
            item.setVisible(False)
        layout.setGeometry(QRectF(0, 0, *EXPORT_SIZE))
        layout.layout.activate()  # the plots take their places now, not at the next event loop
        try:
            yield
        finally:
            layout.setGeometry(before)
            for item in shown:
                item.setVisible(True)
            self.set_text_scale(scale)

    def png_bytes(self) -> bytes:
        """The chart laid out at EXPORT_SIZE as a PNG EXPORT_WIDTH pixels wide (fonts scale with it)."""
        with self.export_layout():
            return layout_png(self.layout_widget)

    def export_png(self, path: str) -> None:
        """The PNG of :meth:`png_bytes`, written atomically."""
        write(path, self.png_bytes())

    def export_svg(self, path: str) -> None:
        """An SVG drawing of the chart laid out at EXPORT_SIZE, written atomically."""
        with self.export_layout():
            write(path, layout_svg(self.layout_widget, self.title, self.colors.background))

    def export(self, path: str) -> None:
        """Export by the file's extension: .png, .svg or .csv."""
        exporters: dict[str, Callable[[str], None]] = {
            ".png": self.export_png,
            ".svg": self.export_svg,
            ".csv": self.export_csv,
        }
        suffix = path[path.rfind(".") :].lower() if "." in path else ""
        if suffix not in exporters:
            raise ValueError(f"{path}: cannot export a chart as {suffix or 'a file without extension'}")
        exporters[suffix](path)

    def draw(self) -> None:
        """Bring the picture up to the last data given (charts off screen wait until shown)."""

    def ask_and_export(self, suffix: str, name_filter: str) -> None:
        """Ask for a file name, then export (a failure is shown, not raised)."""
        stem = self.title.lower().replace(" ", "-")
        path, _ = QFileDialog.getSaveFileName(self, f"Export {self.title}", stem + suffix, name_filter)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            self.export(path)
        except OSError as error:
            QMessageBox.warning(self, "Export failed", f"{path}: {error.strerror or error}")


class TimeChart(Chart):
    """Metrics over ticks, one panel above the other, with a replay cursor.

    Dragging the cursor emits :attr:`tick_dragged` with the whole tick under it, once per tick.
    """

    tick_dragged = Signal(int)

    def __init__(
        self, title: str, about: str, panels: tuple[Panel, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(title, about, parent)
        self.panels = panels
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.cursors: list[pg.InfiniteLine] = []
        self._ticks = np.zeros(0)
        self._columns: dict[str, np.ndarray] = {}
        self._pending: Mapping[str, np.ndarray] | None = None  # series given while off screen
        self._dragged_tick: int | None = None
        plots: list[pg.PlotItem] = []
        for row, panel in enumerate(panels):
            last = row == len(panels) - 1
            axes = {"left": CountAxis("left")} if panel.counts else {}
            if last:
                axes["bottom"] = TickAxis("bottom")
            plot = self.layout_widget.addPlot(row=row, col=0, axisItems=axes or None)
            self.style_plot(plot, "Tick" if last else "", panel.y_label)
            if row == 0:
                self.set_title(plot, title)
            if not last:
                plot.getAxis("bottom").setStyle(showValues=False)
            if plots:
                plot.setXLink(plots[0])
            plot.setYRange(*(panel.y_range or (0.0, 1.0)), padding=0.15)  # room for the end labels (0, 1)
            plot.setXRange(0, MIN_TICKS_SHOWN, padding=0.02)
            plot.enableAutoRange(enable=False)  # ranges follow the run in set_series, from 0 up
            if panel.reference is not None:
                plot.addItem(
                    pg.InfiniteLine(
                        panel.reference,
                        angle=0,
                        pen=pg.mkPen(REFERENCE_COLOR, width=2, style=Qt.PenStyle.DotLine),
                    )
                )
            if panel.y_range == (0.0, 1.0):
                plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])  # fits a short panel
            for series in panel.series:
                color = self.colors.series(series.key)
                self.curves[series.key] = plot.plot(
                    [],
                    [],
                    pen=pg.mkPen(color, width=LINE_WIDTH),
                    symbol=None,  # see draw(): a marker only where a line cannot show
                    symbolSize=POINT_SIZE,
                    symbolBrush=pg.mkBrush(color),
                    symbolPen=pg.mkPen(color),
                )
            # the first panel holds the chart's main measure: it gets the larger share of the height
            self.layout_widget.ci.layout.setRowStretchFactor(row, 3 if row == 0 else 2)
            cursor = pg.InfiniteLine(angle=90, movable=True, pen=self._cursor_pen())
            cursor.setHoverPen(pg.mkPen(HOVER_COLOR, width=CURSOR_GRIP))  # says "drag me"
            cursor.setCursor(Qt.CursorShape.SizeHorCursor)
            cursor.sigDragged.connect(self._on_cursor_dragged)
            cursor.sigPositionChangeFinished.connect(self._on_cursor_released)
            cursor.setVisible(False)
            plot.addItem(cursor, ignoreBounds=True)
            self.cursors.append(cursor)
            self.screen_only.append(cursor)
            plots.append(plot)
        self.plots = plots
        # one legend row under the panels: a legend inside a plot hides the latest ticks
        self.legend = pg.LegendItem(labelTextSize=LABEL_SIZE, labelTextColor=self.colors.text)
        # two to a row: three kept the plot wider than a small dock (the sentence beside it covered it)
        columns = min(len(self.curves), LEGEND_COLUMNS)
        self.legend.setColumnCount(columns)
        for panel in panels:
            for series in panel.series:
                self.legend.addItem(self.curves[series.key], series.name)
        self.legend.layout.setContentsMargins(0, 0, 0, 0)
        self.legend.setMaximumHeight(LEGEND_ROW_HEIGHT * -(-len(self.curves) // columns))
        self.layout_widget.addItem(self.legend, row=len(panels), col=0)
        self.layout_widget.ci.layout.setRowStretchFactor(len(panels), 0)
        self.layout_widget.ci.layout.setVerticalSpacing(2)

    def restyle(self) -> None:
        super().restyle()
        _color_legend(self.legend, self.colors, boxed=False)
        for cursor in self.cursors:
            cursor.setPen(self._cursor_pen())
        for key, curve in self.curves.items():
            color = self.colors.series(key)
            curve.setPen(pg.mkPen(color, width=LINE_WIDTH))
            curve.setSymbolBrush(pg.mkBrush(color))
            curve.setSymbolPen(pg.mkPen(color))

    def _cursor_pen(self) -> QPen:
        return pg.mkPen(self.colors.text, width=2, style=Qt.PenStyle.DashLine)

    def _on_cursor_dragged(self, cursor: pg.InfiniteLine) -> None:
        tick = round(cursor.value())
        if tick != self._dragged_tick:
            self._dragged_tick = tick
            self.tick_dragged.emit(tick)

    def _on_cursor_released(self, cursor: pg.InfiniteLine) -> None:
        """A dropped cursor rests on the whole tick the replay shows, not between ticks (the drag's
        last move, which can come after the replay has set every cursor to that tick, left it there)."""
        cursor.setValue(round(cursor.value()))

    def set_series(self, series: Mapping[str, np.ndarray], draw: bool = True) -> None:
        """Take the recorder's per-tick arrays (keys this chart knows); redraw now,
        or with ``draw=False`` when next shown or asked for its data."""
        self._pending = series
        if draw:
            self.draw()

    def showEvent(self, event: QShowEvent) -> None:
        self.draw()
        super().showEvent(event)

    def draw(self) -> None:
        if self._pending is None:
            return
        series, self._pending = self._pending, None
        ticks = np.asarray(series.get("tick", np.zeros(0)))
        self._ticks = ticks
        self._columns = {}
        # the world before the first attack, drawn at BEFORE, so a chart shows how it changed
        before: Mapping[str, float] = series.get("before") or {}  # type: ignore[assignment]
        for key, curve in self.curves.items():
            values = np.asarray(series.get(key, np.zeros(0)), dtype=float)
            self._columns[key] = values
            if key in before and len(ticks):
                curve.setData(np.r_[BEFORE, ticks], np.r_[before[key], values])
            else:
                curve.setData(ticks, values)
            # a run of one tick (a deterred attack) has no line to draw: mark its point instead
            curve.setSymbol("o" if len(ticks) == 1 and key not in before else None)
        for cursor in self.cursors:
            cursor.setBounds((0, float(ticks.max()) if len(ticks) else 0.0))  # drags stay on the run
        # axes from 0 (a count or a strength read against zero), widened as the run grows
        self.plots[0].setXRange(
            BEFORE - 0.5 if before else 0,
            max(float(ticks.max()) if len(ticks) else 0.0, MIN_TICKS_SHOWN),
            padding=0.02,
        )
        for plot, panel in zip(self.plots, self.panels, strict=True):
            if panel.y_range is None:
                tops = [self._columns[s.key].max() for s in panel.series if len(self._columns[s.key])]
                plot.setYRange(0, max([1.0, *tops]), padding=0.15)  # room for the end labels

    def set_cursor(self, tick: float | None) -> None:
        """Show the replay cursor at ``tick``; None hides it."""
        self._dragged_tick = tick if tick is None else round(tick)
        for cursor in self.cursors:
            cursor.setVisible(tick is not None)
            if tick is not None:
                cursor.setValue(tick)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        self.draw()
        keys = list(self.curves)
        rows = [
            [_plain(tick), *(_plain(self._columns[key][i]) for key in keys)]
            for i, tick in enumerate(self._ticks)
        ]
        return ["tick", *keys], rows


def _plain(value: Any) -> Any:
    """A numpy scalar as a Python number; whole floats as ints (tidy CSV)."""
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _outline(scatter: pg.PlotDataItem, colors: ChartColors) -> None:
    """A dot ringed in the background colour (overlapping dots stay apart); an "x" in its own colour."""
    symbol, brush = scatter.opts["symbol"], scatter.opts["symbolBrush"]
    ring = brush.color() if symbol == "x" else colors.background
    scatter.setSymbolPen(pg.mkPen(ring, width=1.5))


class ScatterChart(Chart):
    """A scatter with a y = x (or other) reference and per-point name labels."""

    def __init__(
        self,
        title: str,
        about: str,
        x_label: str,
        y_label: str,
        legend_offset: tuple[int, int] | None,
        parent: QWidget | None = None,
        log_x: bool = False,
    ) -> None:
        """``legend_offset``: where the legend sits inside the plot; None: in a row below it (a
        narrow dock leaves no corner of the plot free of names)."""
        super().__init__(title, about, parent)
        axes = {"bottom": PlainLogAxis("bottom")} if log_x else None
        self.plot = self.layout_widget.addPlot(axisItems=axes)
        self.plot.setLogMode(x=log_x, y=False)
        self.style_plot(self.plot, x_label, y_label)
        self.set_title(self.plot, title)
        self.boxed = legend_offset is not None
        if self.boxed:
            self.legend = self.plot.addLegend(offset=legend_offset, labelTextSize=LABEL_SIZE)
        else:
            self.legend = pg.LegendItem(labelTextSize=LABEL_SIZE, labelTextColor=self.colors.text)
            self.legend.setColumnCount(2)
            self.legend.layout.setContentsMargins(0, 0, 0, 0)
            self.layout_widget.addItem(self.legend, row=1, col=0)
            self.layout_widget.ci.layout.setRowStretchFactor(1, 0)
        self._labels: list[pg.TextItem] = []
        self._points: list[tuple[float, float]] = []  # where each label's point is (a label may slide)
        self.plot.vb.sigResized.connect(self._place_labels)  # a name's room in data units changes
        self.plot.vb.sigRangeChanged.connect(self._place_labels)
        self.scatters: dict[str, pg.PlotDataItem] = {}

    def add_scatter(self, key: str, name: str, symbol: str, color: str) -> pg.PlotDataItem:
        """Points without a line, in the legend as ``name``, kept in :attr:`scatters` under ``key``
        (a PlotDataItem, not a bare ScatterPlotItem, so a log axis applies to it)."""
        self.scatters[key] = self.plot.plot(
            [], [], pen=None, symbol=symbol, symbolSize=SCATTER_SIZE, symbolBrush=pg.mkBrush(color), name=name
        )
        # each point names its state on hover (set_points gives the names), crowded names included
        self.scatters[key].scatter.opts.update(hoverable=True, tip="{data}".format)
        _outline(self.scatters[key], self.colors)
        self.add_to_legend(self.scatters[key], name)
        return self.scatters[key]

    def add_to_legend(self, item: pg.PlotDataItem, name: str) -> None:
        """A legend row for ``item`` (a legend inside the plot lists its named items by itself)."""
        if not self.boxed:
            self.legend.addItem(item, name)
        _color_legend(self.legend, self.colors, boxed=self.boxed)

    def restyle(self) -> None:
        super().restyle()
        _color_legend(self.legend, self.colors, boxed=self.boxed)
        for scatter in self.scatters.values():
            _outline(scatter, self.colors)
        for label in self._labels:
            label.setColor(self.colors.text)

    def _set_labels(self, points: list[tuple[float, float, str]]) -> None:
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = []
        if len(points) > MAX_POINT_LABELS:
            return
        font = QFont()
        font.setPointSize(TICK_FONT_POINTS)
        self._points = [(x, y) for x, y, _ in points]
        for x, y, text in points:
            label = pg.TextItem(text, color=self.colors.text, anchor=(0, 1))
            label.setFont(font)
            label.setPos(x, y)
            self.plot.addItem(label, ignoreBounds=True)
            self._labels.append(label)
        self._place_labels()

    def _place_labels(self, *_: object) -> None:
        """Put each name at the corner of its point where the least of it is hidden by the names
        placed before it (left to right) or the other dots, above and to the right when it fits; never
        cut off by the plot's edge, and left out when every corner would cover a name placed before."""
        width_per_pixel, height_per_pixel = self.plot.vb.viewPixelSize()
        view = self.plot.vb.viewRect()
        dot_w, dot_h = SCATTER_SIZE * width_per_pixel, SCATTER_SIZE * height_per_pixel
        dots = [QRectF(x - dot_w / 2, y - dot_h / 2, dot_w, dot_h) for x, y in self._points]
        placed: list[QRectF] = []
        order = sorted(range(len(self._labels)), key=lambda n: self._points[n])
        for own, label, (x, y) in ((n, self._labels[n], self._points[n]) for n in order):
            obstacles = placed + dots[:own] + dots[own + 1 :]  # the dots are in the way too, not its own
            size = label.boundingRect()  # in pixels: a label keeps its size as the view zooms
            w, h = size.width() * width_per_pixel, size.height() * height_per_pixel
            places = [QRectF(x - ax * w, y - (1 - ay) * h, w, h) for ax, ay in LABEL_CORNERS]
            # a name that no corner keeps whole slides along the edge into the plot (never cut off)
            shifts = [
                (
                    _into(r.left(), r.right(), view.left(), view.right()),
                    _into(r.top(), r.bottom(), view.top(), view.bottom()),
                )
                for r in places
            ]
            places = [r.translated(dx, dy) for r, (dx, dy) in zip(places, shifts, strict=True)]
            hidden = [sum(_area(rect.intersected(other)) for other in obstacles) for rect in places]
            corner = hidden.index(min(hidden))  # the first clear corner, else the least hidden
            label.setAnchor(LABEL_CORNERS[corner])
            label.setPos(x + shifts[corner][0], y + shifts[corner][1])
            # a name that would cover another is left out (its point says it on hover): a small dock
            # has no room for every name of a crowded corner
            crowded = any(places[corner].intersects(other) for other in placed)
            label.setVisible(not crowded)
            if not crowded:
                placed.append(places[corner])


def _into(low: float, high: float, start: float, end: float) -> float:
    """How far to move [low, high] to lie in [start, end] (to its start when it is wider)."""
    if high - low > end - start or low < start:
        return start - low
    return min(0.0, end - high)


def _area(rect: QRectF) -> float:
    return rect.width() * rect.height() if rect.isValid() else 0.0


class WarBurdenChart(ScatterChart):
    """Each fighting state's share of its side's GDP against its share of the side's cost."""

    SIDES = ("aggressor", "defender")

    def __init__(self, parent: QWidget | None = None) -> None:
        # names crowd every corner of a small plot (the small fighters bottom left, the large near
        # the diagonal): the legend goes in a row below it
        super().__init__(
            "Burden in war",
            WAR_BURDEN_ABOUT,
            "Share of side's GDP",
            "Share of side's cost",
            None,
            parent,
        )
        self.diagonal = self.plot.plot(
            [0, 1],
            [0, 1],
            name="Fair share (cost = GDP)",
            pen=pg.mkPen(REFERENCE_COLOR, width=2, style=Qt.PenStyle.DashLine),
        )
        self.add_to_legend(self.diagonal, "Fair share (cost = GDP)")
        for side in self.SIDES:
            self.add_scatter(side, f"{side.capitalize()} side", "o", SIDE_COLORS[side])
        # room for the right-most name, and for names below the points near 0
        self.plot.setRange(xRange=(0, 1.12), yRange=(-0.08, 1), padding=0.05)
        self._rows: list[list[Any]] = []

    def set_report(self, report: Mapping[str, Any] | None, scenario: Scenario | None = None) -> None:
        """Plot ``report["burden"]``, sides from ``report["states"]``; None clears."""
        burden = (report or {}).get("burden") or {}
        states = (report or {}).get("states") or {}
        self._rows = []
        by_side: dict[str, tuple[list[float], list[float], list[str]]] = {
            side: ([], [], []) for side in self.SIDES
        }
        labels = []
        for state_id, entry in burden.items():
            side = (states.get(state_id) or {}).get("side")
            gdp_share, cost_share = float(entry["gdp_share"]), float(entry["cost_share"])
            of_gdp = entry.get("cost_of_gdp")
            self._rows.append(
                [state_id, side or "", gdp_share, cost_share, entry.get("burden_ratio"), of_gdp]
            )
            name = _state_name(scenario, state_id)
            text = name if of_gdp is None else f"{name} ×{of_gdp:.2g}"
            if side in by_side:
                by_side[side][0].append(gdp_share)
                by_side[side][1].append(cost_share)
                by_side[side][2].append(text)
            labels.append((gdp_share, cost_share, text))
        for side, (xs, ys, names) in by_side.items():
            self.scatters[side].setData(xs, ys, data=names)
        self._set_labels(labels)

    def set_replay(self, tick: int | None, last_tick: int | None) -> None:
        """Say in the title when a past ``tick`` is replayed: the engine keeps each state's cost
        only as it stands now, so the points stay those of ``last_tick``. None: live."""
        if tick is None or last_tick is None:
            self.set_title(self.plot, self.title)
        else:
            self.set_title(self.plot, f"{self.title} at tick {last_tick}, the latest (past costs not kept)")

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return ["state", "side", "gdp_share", "cost_share", "burden_ratio", "cost_of_gdp"], self._rows


class PeaceBurdenChart(ScatterChart):
    """Per defence pact: each member's GDP against its contribution share x/y."""

    def __init__(self, parent: QWidget | None = None) -> None:
        # small members pay little (bottom left), large ones much (top right): legend top left
        super().__init__(
            "Burden in peace",
            PEACE_BURDEN_ABOUT,
            "GDP (log scale)",
            "Contribution, % of own GDP",
            (10, 10),
            parent,
            log_x=True,
        )
        self.treaty_choice = QComboBox(self)
        self.treaty_choice.setToolTip("The defence pact whose equilibrium contributions are shown")
        # as wide as the dock allows, not as its longest treaty name: the toolbar set the dock's width
        self.treaty_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.treaty_choice.setMinimumContentsLength(TREATY_CHARACTERS)
        self.treaty_choice.currentIndexChanged.connect(self._show_current)
        self.toolbar.setContentsMargins(6, 4, 6, 0)
        self.toolbar.addWidget(QLabel("Treaty:", self))
        self.toolbar.addWidget(self.treaty_choice)
        # the correlations in the chart's own row: a narrow dock cuts a long title short
        self.rho_label = QLabel(self)
        self.rho_label.setToolTip(
            "Spearman rank correlation of GDP with the share of GDP spent on the common defence: "
            "predicted by the equilibrium, observed in the members' actual forces (power / GDP). "
            "Olson & Zeckhauser found +0.49 for NATO in 1964."
        )
        self.rho_label.setWordWrap(True)  # two lines in a narrow dock rather than a wider dock
        self.toolbar.addWidget(self.rho_label, 1)
        self.toolbar.addStretch(1)
        self.contributors = self.add_scatter("contributors", "Contributes", "o", OKABE_ITO["blue"])
        self.free_riders = self.add_scatter(
            "free_riders", "Free rider (pays nothing)", "x", OKABE_ITO["vermillion"]
        )
        self._treaties: dict[str, dict[str, Any]] = {}
        self._scenario: Scenario | None = None
        self.export_title = self.title  # the title of an exported picture, the treaty and ρ in it

    def set_report(self, report: Mapping[str, Any] | None, scenario: Scenario | None = None) -> None:
        """Take ``report["peace_burden"]``; GDPs come from ``scenario``. Keeps the chosen treaty."""
        self._scenario = scenario
        self._treaties = dict((report or {}).get("peace_burden") or {})
        chosen = self.treaty_choice.currentData()
        self.treaty_choice.blockSignals(True)
        self.treaty_choice.clear()
        for treaty_id in self._treaties:
            name = (
                scenario.treaty(treaty_id).name if scenario and scenario.has_treaty(treaty_id) else treaty_id
            )
            self.treaty_choice.addItem(name, treaty_id)
        index = self.treaty_choice.findData(chosen)
        self.treaty_choice.setCurrentIndex(index if index >= 0 else (0 if self._treaties else -1))
        self.treaty_choice.blockSignals(False)
        self._show_current()

    def _members(self) -> list[tuple[str, float, float]]:
        """(state id, GDP, contribution) of the chosen treaty's members."""
        entry = self._treaties.get(self.treaty_choice.currentData()) or {}
        members = []
        for state_id, contribution in (entry.get("contributions") or {}).items():
            if self._scenario is not None and self._scenario.has_state(state_id):
                members.append((state_id, self._scenario.state(state_id).economy, float(contribution)))
        return members

    def _show_current(self) -> None:
        treaty_id = self.treaty_choice.currentData()
        entry = self._treaties.get(treaty_id) or {}
        members = [(s, gdp, x) for s, gdp, x in self._members() if gdp > 0]  # a log axis has no room for 0
        paying = [(gdp, 100 * x / gdp, _state_name(self._scenario, s)) for s, gdp, x in members if x > 0]
        riding = [(gdp, 0.0, _state_name(self._scenario, s)) for s, gdp, x in members if x <= 0]
        for scatter, points in ((self.contributors, paying), (self.free_riders, riding)):
            scatter.setData([p[0] for p in points], [p[1] for p in points], data=[p[2] for p in points])
        # labels sit in view coordinates, where a log axis holds log10(GDP)
        self._set_labels(
            [(float(np.log10(gdp)), 100 * x / gdp, _state_name(self._scenario, s)) for s, gdp, x in members]
        )
        if members:
            # room on the right for the last name label, above for the top one
            logs = [float(np.log10(gdp)) for _, gdp, _ in members]
            top = max(100 * x / gdp for _, gdp, x in members)
            self.plot.setRange(
                xRange=(min(logs) - 0.15, max(logs) + 0.45),
                yRange=(-0.08 * (top or 1.0), 1.2 * (top or 1.0)),
                padding=0.02,
            )
        name = self.treaty_choice.currentText() or "no defence pact"
        rho, observed = _signed(entry.get("spearman")), _signed(entry.get("observed_spearman"))
        self.rho_label.setText(f"ρ {rho} predicted, {observed} observed")
        # on screen the toolbar names the treaty and ρ (a plot is never narrower than its title: the whole
        # title pushed the plot's right side out of a small dock); an exported picture has no toolbar
        self.export_title = f"Burden in peace: {name} (ρ {rho} predicted, {observed} observed)"

    @contextmanager
    def export_layout(self) -> Iterator[None]:
        """As every chart's, with the whole title (the treaty and ρ) that the toolbar gives on screen."""
        self.set_title(self.plot, self.export_title)
        try:
            with super().export_layout():
                yield
        finally:
            self.set_title(self.plot, self.title)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        rows = []
        for treaty_id, entry in self._treaties.items():
            for state_id, contribution in (entry.get("contributions") or {}).items():
                gdp = (
                    self._scenario.state(state_id).economy
                    if self._scenario and self._scenario.has_state(state_id)
                    else None
                )
                share = contribution / gdp if gdp else None
                rows.append(
                    [treaty_id, state_id, gdp, contribution, share, contribution <= 0, entry.get("spearman")]
                )
        return [
            "treaty",
            "state",
            "gdp",
            "contribution",
            "contribution_share",
            "free_rider",
            "spearman",
        ], rows


def _signed(value: float | None) -> str:
    return "undefined" if value is None else f"{value:+.2f}"


def _state_name(scenario: Scenario | None, state_id: str) -> str:
    return (
        scenario.state(state_id).name if scenario is not None and scenario.has_state(state_id) else state_id
    )


STABILITY_ABOUT = (
    "Stability is 1 in a secure peace: (1 - the share of the world's power at war) x (1 - the share of "
    "states exposed, that is, states some outsider would not be deterred from attacking). "
    "Source: MODEL.md, after Huth & Russett's extended deterrence (1984)."
)
STRENGTH_ABOUT = (
    "Each camp's fighting strength, worn down by Lanchester's square law (the larger camp loses less "
    "each tick), and the aggressor camp's share of the two: above the dotted line at 0.5 the aggressor "
    "is the stronger. Source: Lanchester (1916); strength starts at power (COW CINC x 100 in the "
    "historical examples)."
)
BELLIGERENTS_ABOUT = (
    "How many states are at war, and cohesion: the share of the treaty obligations so far that were "
    "honoured rather than broken (historically about 3 in 4). Source: Leeds, Long & Mitchell (2000)."
)
WAR_BURDEN_ABOUT = (
    "Each state that fought: across, its share of its camp's GDP; up, its share of the camp's cost. "
    "Above the dashed line it carries more than its economic weight. The figure after each name is "
    "what the war cost it, in multiples of its own GDP (a state is exhausted at the setting "
    "exhaustion, 50 by default). Source: Olson & Zeckhauser (1966), applied to a war."
)
PEACE_BURDEN_ABOUT = (
    "Each member of a defence treaty: across, its GDP; up, the share of its GDP it would pay for the "
    "common defence in the Nash equilibrium, so the large pay and the small ride free; ρ, the rank "
    "correlation of size with that share, predicted and observed (NATO in 1964: +0.49). "
    "Source: Olson & Zeckhauser (1966); Sandler (1977)."
)

TIME_CHARTS: tuple[tuple[str, str, tuple[Panel, ...]], ...] = (
    (
        "Stability",
        STABILITY_ABOUT,
        (
            Panel("Stability", (Series("stability", "Stability"),), y_range=(0.0, 1.0)),
            Panel(
                "States",
                (Series("exposed_states", "Exposed states"),),
                counts=True,
            ),
        ),
    ),
    (
        "Strength",
        STRENGTH_ABOUT,
        (
            Panel(
                "Strength",
                (
                    Series("strength_aggressor", "Aggressor side"),
                    Series("strength_defender", "Defender side"),
                ),
            ),
            Panel(
                "Balance",
                (Series("power_balance", "Aggressor share"),),
                y_range=(0.0, 1.0),
                reference=0.5,
            ),
        ),
    ),
    (
        "Belligerents",
        BELLIGERENTS_ABOUT,
        (
            Panel("At war", (Series("belligerents", "States at war"),), counts=True),
            Panel("Cohesion", (Series("cohesion", "Cohesion"),), y_range=(0.0, 1.0)),
        ),
    ),
)


class ChartsDock(QDockWidget):
    """The run's charts as tabs. Feed it with :meth:`set_series`,
    :meth:`set_cursor` and :meth:`set_report`; :meth:`clear` empties it.
    :attr:`tick_chosen` carries the tick a cursor was dragged to."""

    tick_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Charts", parent)
        self.setObjectName("ChartsDock")
        self.tabs = QTabWidget(self)
        font = self.tabs.font()
        font.setPointSize(max(font.pointSize(), 12))
        self.tabs.setFont(font)
        self.time_charts = [
            TimeChart(title, about, panels, self.tabs) for title, about, panels in TIME_CHARTS
        ]
        self.war_burden = WarBurdenChart(self.tabs)
        self.peace_burden = PeaceBurdenChart(self.tabs)
        self.charts: list[Chart] = [*self.time_charts, self.war_burden, self.peace_burden]
        self.by_key = dict(zip(CHARTS, self.charts, strict=True))  # overview.first_chart's names
        for chart in self.time_charts:
            chart.tick_dragged.connect(self.tick_chosen)
        for chart in self.charts:
            self.tabs.setTabToolTip(self.tabs.addTab(chart, chart.title), chart.about)
        self.export_button = QToolButton(self.tabs)
        self.export_button.setText("Export")
        self.export_button.setToolTip("Save the chart shown as PNG, SVG or CSV")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for label, suffix, name_filter in EXPORT_FORMATS:
            action = QAction(label, menu)
            action.triggered.connect(
                lambda _=False, s=suffix, f=name_filter: self.tabs.currentWidget().ask_and_export(s, f)
            )
            menu.addAction(action)
        self.export_button.setMenu(menu)
        self.tabs.setCornerWidget(self.export_button, Qt.Corner.TopRightCorner)  # costs no row of the chart
        self.tabs.currentChanged.connect(lambda index: self.charts[index].draw())
        self.tabs.setMinimumHeight(340)  # below this the axis labels collide
        self.setWidget(self.tabs)

    def show_chart(self, key: str) -> None:
        """Bring the chart named ``key`` (one of overview.CHARTS) to the front."""
        self.tabs.setCurrentWidget(self.by_key[key])

    def curve(self, key: str) -> pg.PlotDataItem:
        """The curve drawing the recorder series ``key``, up to date."""
        for chart in self.time_charts:
            if key in chart.curves:
                chart.draw()
                return chart.curves[key]
        raise KeyError(key)

    def set_series(self, series: Mapping[str, np.ndarray]) -> None:
        """Feed every time chart; only the one on screen redraws now (a run plays 30 ticks a second)."""
        for chart in self.time_charts:
            chart.set_series(series, draw=chart is self.tabs.currentWidget())

    def set_cursor(self, tick: float | None) -> None:
        for chart in self.time_charts:
            chart.set_cursor(tick)

    def set_replay(self, tick: int | None, last_tick: int | None) -> None:
        """Replaying ``tick`` of a run that reached ``last_tick`` (None: live)."""
        self.war_burden.set_replay(tick, last_tick)

    def set_report(self, report: Mapping[str, Any] | None, scenario: Scenario | None) -> None:
        self.war_burden.set_report(report, scenario)
        self.peace_burden.set_report(report, scenario)

    def set_text_scale(self, scale: float) -> None:
        """Every chart's type at ``scale`` times its size (presenter mode's large type)."""
        for chart in self.charts:
            chart.set_text_scale(scale)

    def clear(self) -> None:
        self.set_series({})
        self.set_cursor(None)
        self.set_replay(None, None)
        self.war_burden.set_report(None)
