"""The charts dock: fed with setData, a replay cursor, and PNG/SVG/CSV exports."""

import csv
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPalette

from sandbox.app.run.charts import EXPORT_WIDTH, SERIES_COLORS, ChartsDock, CountAxis, PlainLogAxis
from sandbox.app.style import theme
from sandbox.core.examples import list_examples, load_example
from sandbox.core.overview import first_chart
from sandbox.core.scenario import Scenario, State, Treaty
from sandbox.core.sim import Simulation

SERIES = {
    "tick": np.arange(5, dtype=float),
    "stability": np.array([1.0, 0.9, 0.7, 0.6, 0.65]),
    "exposed_states": np.array([0.0, 1, 2, 2, 1]),
    "strength_aggressor": np.array([18.8, 18.0, 17.1, 16.5, 16.0]),
    "strength_defender": np.array([11.9, 22.0, 21.3, 20.7, 20.1]),
    "power_balance": np.array([0.61, 0.45, 0.445, 0.44, 0.443]),
    "belligerents": np.array([2.0, 3, 5, 5, 5]),
    "cohesion": np.ones(5),
}


@pytest.fixture
def charts(qtbot):
    dock = ChartsDock()
    qtbot.addWidget(dock)
    dock.resize(900, 500)
    return dock


def world() -> Scenario:
    states = [
        State("BIG", "Bigland", 50.0, gdp=400.0),
        State("MID", "Midland", 20.0, gdp=100.0),
        State("SMA", "Smallia", 2.0, gdp=10.0),
    ]
    return Scenario(states, [Treaty("pact", "The Pact", members=["BIG", "MID", "SMA"])])


def report() -> dict:
    return {
        "states": {
            "BIG": {"status": "belligerent", "side": "aggressor"},
            "MID": {"status": "belligerent", "side": "defender"},
            "SMA": {"status": "defeated", "side": "defender"},
        },
        "burden": {
            "BIG": {"cost_of_gdp": 0.25, "gdp_share": 1.0, "cost_share": 1.0, "burden_ratio": 1.0},
            "MID": {"cost_of_gdp": 0.055, "gdp_share": 0.9, "cost_share": 0.6, "burden_ratio": 0.6 / 0.9},
            "SMA": {"cost_of_gdp": 0.4, "gdp_share": 0.1, "cost_share": 0.4, "burden_ratio": 4.0},
        },
        "peace_burden": {
            "pact": {
                "contributions": {"BIG": 20.0, "MID": 0.0, "SMA": 0.0},
                "nash_total": 20.0,
                "optimal_total": 51.0,
                "spearman": 0.87,
                "observed_spearman": 0.5,
            }
        },
    }


def test_time_charts_draw_the_recorder_series(charts):
    charts.set_series(SERIES)
    for key, values in SERIES.items():
        if key == "tick":
            continue
        x, y = charts.curve(key).getData()
        np.testing.assert_array_equal(x, SERIES["tick"])
        np.testing.assert_array_equal(y, values)


def test_feeding_keeps_the_same_curves(charts):
    curve = charts.curve("stability")
    charts.set_series({k: v[:2] for k, v in SERIES.items()})
    charts.set_series(SERIES)
    assert charts.curve("stability") is curve
    assert len(curve.getData()[0]) == 5
    charts.clear()
    assert curve.getData()[0] is None or len(curve.getData()[0]) == 0


def test_charts_off_screen_redraw_when_shown(charts):
    charts.set_series(SERIES)
    strength = charts.time_charts[1]
    x, _ = strength.curves["strength_defender"].getData()
    assert x is None or len(x) == 0  # fed, not yet drawn: it is not the tab on screen
    charts.tabs.setCurrentWidget(strength)
    np.testing.assert_array_equal(
        strength.curves["strength_defender"].getData()[1], SERIES["strength_defender"]
    )


def _pixels_of(image: QImage, color: str, tolerance: int = 40) -> int:
    """How many pixels of ``image`` are near ``color``."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    bgr = pixels[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, :3].astype(int)
    target = QColor(color)
    wanted = np.array([target.blue(), target.green(), target.red()])
    return int((np.abs(bgr - wanted).sum(axis=2) < tolerance).sum())


def test_a_run_of_one_tick_shows_its_point(charts, qtbot):
    charts.show()
    qtbot.waitExposed(charts)
    charts.set_series({key: values[:1] for key, values in SERIES.items()})
    chart = charts.time_charts[0]
    plot_area = chart.plots[0].vb.sceneBoundingRect().toRect()  # not the legend, which has a sample line
    assert _pixels_of(chart.layout_widget.grab(plot_area).toImage(), SERIES_COLORS["stability"]) >= 40
    assert chart.curves["stability"].opts["symbol"] == "o"
    charts.set_series(SERIES)  # a line again: no markers on it
    assert chart.curves["stability"].opts["symbol"] is None


@pytest.mark.parametrize(("top", "height"), [(7, 60), (7, 300), (1, 60), (40, 90), (12_000, 200)])
def test_count_axes_label_whole_numbers_well_apart(qapp, top, height):
    axis = CountAxis("left")
    axis.setStyle(tickFont=QFont("Sans", 12))
    [(step, values)] = axis.tickValues(-0.1, top * 1.08, height)
    label_height = QFontMetrics(QFont("Sans", 12)).height()
    assert values and all(float(v).is_integer() for v in values)
    assert 0.0 in values and step >= 1
    if len(values) > 1:
        assert step * height / (top * 1.08 + 0.1) >= 1.5 * label_height  # a clear gap between labels
    assert axis.tickStrings(values, 1, step) == [f"{int(v):,}" for v in values]


def test_the_count_panels_of_the_window_size_keep_labels_apart(charts):
    charts.resize(1000, 340)  # the dock's height in a 1600x1000 window
    charts.show()
    charts.set_series(SERIES | {"exposed_states": np.array([0.0, 3, 7, 7, 6])})
    plot = charts.time_charts[0].plots[1]
    axis = plot.getAxis("left")
    assert isinstance(axis, CountAxis)
    low, high = plot.vb.viewRange()[1]
    size = axis.geometry().height()
    [(step, values)] = axis.tickValues(low, high, size)
    gap = step * size / (high - low)
    assert (
        all(float(v).is_integer() for v in values)
        and gap >= 1.5 * QFontMetrics(axis.style["tickFont"]).height()
    )


def test_a_dropped_cursor_rests_on_the_tick_it_chose(charts):
    # the drag reached 2.1 and chose tick 2, the replay set every cursor to 2; the release's
    # last move then puts the dragged cursor back at 2.1: dropped, it rests on 2, chosen once
    chart = charts.time_charts[0]
    chosen = []
    chart.tick_dragged.connect(chosen.append)
    cursor = chart.cursors[0]
    cursor.setValue(2.1)
    cursor.sigDragged.emit(cursor)
    charts.set_cursor(2)
    cursor.setValue(2.1)
    cursor.sigDragged.emit(cursor)
    cursor.sigPositionChangeFinished.emit(cursor)
    assert chosen == [2] and [c.value() for c in chart.cursors] == [2] * len(chart.cursors)


def test_replay_cursor_follows_the_tick(charts):
    charts.set_series(SERIES)
    charts.set_cursor(3)
    for chart in charts.time_charts:
        assert all(cursor.isVisible() and cursor.value() == 3 for cursor in chart.cursors)
    charts.set_cursor(None)
    assert not any(cursor.isVisible() for chart in charts.time_charts for cursor in chart.cursors)


def test_png_export_is_a_readable_image(charts, tmp_path):
    charts.set_series(SERIES)
    path = tmp_path / "stability.png"
    charts.time_charts[0].export(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert image.width() == EXPORT_WIDTH and image.height() > 100


def test_svg_export_is_a_vector_drawing_of_the_curves(charts, tmp_path):
    charts.set_series(SERIES)
    path = tmp_path / "strength.svg"
    charts.time_charts[1].export(str(path))
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    drawn = [el for el in root.iter() if el.tag.endswith(("path", "polyline"))]
    assert len(drawn) > 5  # axes, grid and both curves, not a blank page
    assert "Strength" in path.read_text()


def test_csv_export_holds_the_plotted_numbers(charts, tmp_path):
    charts.set_series(SERIES)
    path = tmp_path / "strength.csv"
    charts.time_charts[1].export(str(path))
    rows = list(csv.reader(path.read_text().splitlines()))
    assert rows[0] == ["tick", "strength_aggressor", "strength_defender", "power_balance"]
    assert len(rows) == 6
    assert [float(v) for v in rows[2]] == [1, 18.0, 22.0, 0.45]


def test_export_refuses_an_unknown_extension(charts, tmp_path):
    with pytest.raises(ValueError, match="cannot export"):
        charts.time_charts[0].export(str(tmp_path / "chart.bmpx"))


def test_war_burden_plots_each_side_in_its_colour(charts, tmp_path):
    charts.set_report(report(), world())
    x, y = charts.war_burden.scatters["aggressor"].getData()
    assert list(x) == [1.0] and list(y) == [1.0]
    x, y = charts.war_burden.scatters["defender"].getData()
    assert list(x) == [0.9, 0.1] and list(y) == [0.6, 0.4]
    charts.war_burden.export(str(tmp_path / "war.csv"))
    rows = list(csv.DictReader((tmp_path / "war.csv").read_text().splitlines()))
    assert [(r["state"], r["side"], float(r["cost_share"]), float(r["cost_of_gdp"])) for r in rows] == [
        ("BIG", "aggressor", 1.0, 0.25),
        ("MID", "defender", 0.6, 0.055),
        ("SMA", "defender", 0.4, 0.4),
    ]
    # each name carries what the war cost it, as a share of its own GDP
    labels = sorted(label.textItem.toPlainText() for label in charts.war_burden._labels)
    assert [label.rsplit(" ", 1)[1] for label in labels] == ["×0.25", "×0.055", "×0.4"]


def test_peace_burden_marks_free_riders_and_names_rho(charts, tmp_path):
    charts.set_report(report(), world())
    chart = charts.peace_burden
    assert chart.treaty_choice.currentText() == "The Pact"
    x, y = chart.contributors.getData()
    # BIG pays 20 of a GDP of 400: 5 % (x is drawn on a log axis: log10(400))
    np.testing.assert_allclose(x, [np.log10(400.0)])
    np.testing.assert_allclose(y, [5.0])
    x, y = chart.free_riders.getData()
    np.testing.assert_allclose(x, np.log10([100.0, 10.0]))
    np.testing.assert_allclose(y, [0.0, 0.0])
    # on screen the toolbar says it (the plot's title stays short); an exported picture's title does
    assert chart.rho_label.text() == "ρ +0.87 predicted, +0.50 observed"
    assert chart.plot.titleLabel.text == "Burden in peace"
    with chart.export_layout():
        assert "The Pact (ρ +0.87 predicted, +0.50 observed)" in chart.plot.titleLabel.text
    assert chart.plot.titleLabel.text == "Burden in peace"
    chart.export(str(tmp_path / "peace.csv"))
    rows = list(csv.DictReader((tmp_path / "peace.csv").read_text().splitlines()))
    assert [(r["state"], r["free_rider"]) for r in rows] == [
        ("BIG", "False"),
        ("MID", "True"),
        ("SMA", "True"),
    ]
    assert float(rows[0]["contribution_share"]) == pytest.approx(0.05)


def test_every_chart_says_what_it_measures_with_its_source(charts):
    for index, chart in enumerate(charts.charts):
        sentence = chart.about_label.text()
        assert sentence == chart.about == charts.tabs.tabToolTip(index)
        assert re.search(r"Source: .*\d{4}", sentence), chart.title  # a cited work and its year
        assert chart.about_label.isVisibleTo(chart) and chart.about_label.wordWrap()


def test_peace_burden_with_undefined_rho_says_so(charts):
    data = report()
    data["peace_burden"]["pact"]["spearman"] = None
    charts.set_report(data, world())
    assert "undefined" in charts.peace_burden.rho_label.text()
    assert "undefined" in charts.peace_burden.export_title


def test_log_axis_labels_plain_numbers_at_1_2_5():
    axis = PlainLogAxis("bottom")
    assert axis.logTickStrings([0.0, np.log10(2), np.log10(3), 1.0, np.log10(5000)], 1, 1) == [
        "1",
        "2",
        "",
        "10",
        "5,000",
    ]


def test_a_short_count_axis_still_labels_more_than_zero(qapp):
    axis = CountAxis("left")
    axis.setStyle(tickFont=QFont("Sans", 12))
    height = 3 * QFontMetrics(QFont("Sans", 12)).height()  # room for two labels, apart
    [(_, values)] = axis.tickValues(0, 7.5, height)
    assert values[0] == 0 and len(values) >= 2


@pytest.fixture
def app_palette(qapp):
    """Set the application's palette in a test (its change events delivered); the one before
    comes back afterwards."""
    before = QPalette(qapp.palette())

    def set_palette(palette: QPalette) -> None:
        qapp.setPalette(palette)
        qapp.processEvents()  # Qt posts the change to each widget

    yield set_palette
    set_palette(before)


def _chart_colors(chart) -> dict:
    axis = chart.plots[0].getAxis("left") if hasattr(chart, "plots") else chart.plot.getAxis("left")
    return {
        "background": chart.layout_widget.backgroundBrush().color(),
        "axis text": axis.textPen().color(),
        "axis label": QColor(axis.labelStyle["color"]),  # written into the label's CSS
    }


def test_charts_follow_the_palette_as_it_changes(charts, app_palette):
    charts.set_series(SERIES)
    charts.set_report(report(), world())
    dark = theme.dark_palette()
    app_palette(dark)
    base, text = dark.color(QPalette.ColorRole.Base), dark.color(QPalette.ColorRole.Text)
    for chart in charts.charts:
        assert _chart_colors(chart) == {"background": base, "axis text": text, "axis label": text}, (
            chart.title
        )
    stability = charts.time_charts[0]
    assert stability.legend.items[0][1].opts["color"] == text
    assert charts.curve("belligerents").opts["pen"].color() == text  # the grey-black series turns light
    assert all(label.color == text for label in charts.war_burden._labels)
    charts.set_cursor(2)
    assert stability.cursors[0].pen.color() == text
    light = theme.light_palette()
    app_palette(light)
    light_text = light.color(QPalette.ColorRole.Text)
    assert _chart_colors(stability) == {
        "background": light.color(QPalette.ColorRole.Base),
        "axis text": light_text,
        "axis label": light_text,
    }


def test_a_dark_chart_exports_its_own_background(charts, app_palette, tmp_path):
    app_palette(theme.dark_palette())
    charts.set_series(SERIES)
    path = tmp_path / "stability.svg"
    charts.time_charts[0].export(str(path))
    background = theme.dark_palette().color(QPalette.ColorRole.Base).name()
    assert background in path.read_text().lower()  # light text on a light page would vanish


def test_names_of_close_points_do_not_cover_each_other(charts, qtbot):
    charts.resize(960, 360)
    charts.show()
    charts.tabs.setCurrentWidget(charts.war_burden)
    qtbot.waitExposed(charts)
    close = report()
    close["burden"]["MID"] = {"gdp_share": 0.30, "cost_share": 0.40, "burden_ratio": 4 / 3}
    close["burden"]["SMA"] = {"gdp_share": 0.31, "cost_share": 0.41, "burden_ratio": 41 / 31}
    charts.set_report(close, world())
    labels = {label.textItem.toPlainText(): label.sceneBoundingRect() for label in charts.war_burden._labels}
    assert set(labels) == {"Bigland ×0.25", "Midland", "Smallia"}
    assert not labels["Midland"].intersects(labels["Smallia"])
    plot_area = charts.war_burden.plot.vb.sceneBoundingRect()
    assert all(plot_area.contains(rect) for rect in labels.values())  # none cut off by the edge


def test_the_baseline_is_drawn_before_tick_0(charts):
    # the report's baseline (before the first attack) at x = -1, labelled "before"
    charts.set_series({**SERIES, "before": {"stability": 0.8, "exposed_states": 1}})
    x, y = charts.curve("stability").getData()
    assert x.tolist() == [-1, *SERIES["tick"].tolist()] and y[0] == 0.8
    assert charts.curve("exposed_states").getData()[1][0] == 1
    axis = charts.time_charts[0].plots[-1].getAxis("bottom")
    assert axis.tickStrings([-1.0, 0.0, 1.0], 1.0, 1.0) == ["before", "0", "1"]
    # the exported table keeps the ticks only
    assert charts.time_charts[0].table()[1][0][0] == 0


@pytest.mark.parametrize("size", [(656, 360), (900, 700)])  # the dock at 1280 x 720, and a tall one
def test_every_sentence_is_shown_whole_beside_or_under_its_plot(charts, qtbot, size):
    # never left to a tooltip: at the small dock of a 1280 x 720 screen the sentence goes beside the
    # plot, in a tall dock under it; either way all its wrapped lines fit and it covers no plot
    charts.resize(*size)
    charts.show()
    qtbot.waitExposed(charts)
    for chart in charts.charts:
        charts.tabs.setCurrentWidget(chart)
        label = chart.about_label

        def laid_out(label=label, plot=chart.layout_widget) -> bool:
            whole = label.isVisible() and label.height() >= label.heightForWidth(label.width())
            under = label.geometry().top() > plot.geometry().bottom()
            beside = label.geometry().left() > plot.geometry().right()
            return whole and (under if size[1] == 700 else beside)

        qtbot.waitUntil(laid_out)


def test_a_name_at_the_plot_edge_slides_inside_it(charts, qtbot):
    # a name longer than half the plot, at a point in the middle, fits at no corner of its point: it
    # slides along the edge into the plot
    charts.resize(656, 360)
    charts.show()
    charts.tabs.setCurrentWidget(charts.war_burden)
    qtbot.waitExposed(charts)
    edge = report()
    edge["burden"]["BIG"] = {"gdp_share": 0.5, "cost_share": 0.5, "burden_ratio": 1.0, "cost_of_gdp": 12.0}
    scenario = world()
    scenario.state("BIG").name = "The United Kingdom of Great Britain"
    charts.set_report(edge, scenario)
    chart = charts.war_burden
    qtbot.waitUntil(lambda: chart.about_label.geometry().left() > chart.layout_widget.geometry().right())
    plot_area = chart.plot.vb.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)  # rounding at the edge
    for label in charts.war_burden._labels:
        assert plot_area.contains(label.sceneBoundingRect()), label.textItem.toPlainText()


@pytest.mark.parametrize("name", [example.name for example in list_examples()])
def test_every_example_opens_on_a_chart_that_moves(qtbot, name):
    # the chart an example opens on (meta.first_chart, else stability) tells its story: its first
    # series changes over the run, "before" included (a time chart), or across the members (the
    # burden in peace of free riders and NATO-Baltic, whose runs are peace and deterrence)
    scenario = load_example(name)
    simulation = Simulation(scenario).run()
    dock = ChartsDock()
    qtbot.addWidget(dock)
    dock.set_series({**simulation.recorder.series, "before": simulation.baseline})
    dock.set_report(simulation.report(), scenario)
    dock.show_chart(first_chart(scenario))
    chart = dock.tabs.currentWidget()
    if chart in dock.time_charts:
        chart.draw()
        _, values = chart.curves[chart.panels[0].series[0].key].getData()
    else:
        values = np.concatenate([np.asarray(s.getData()[1], dtype=float) for s in chart.scatters.values()])
    assert len(values) > 1 and np.ptp(values) > 0, (name, chart.title, values)


def test_crowded_names_are_left_out_never_overlapping_and_every_point_names_itself(qtbot):
    # July 1914's nine fighters in the war-burden chart of a 1280 x 720 screen's dock (656 x 360): the
    # names shown never cover one another or leave the plot; those with no free corner are left out,
    # and every point, shown or not, names its state with what the war cost it on hover
    scenario = load_example("july-1914")
    simulation = Simulation(scenario).run()
    dock = ChartsDock()
    qtbot.addWidget(dock)
    dock.resize(656, 360)
    dock.show()
    dock.tabs.setCurrentWidget(dock.war_burden)
    qtbot.waitExposed(dock)
    dock.set_report(simulation.report(), scenario)
    chart = dock.war_burden
    qtbot.waitUntil(lambda: chart.about_label.geometry().left() > chart.layout_widget.geometry().right())
    shown = [label.sceneBoundingRect() for label in chart._labels if label.isVisible()]
    assert 2 <= len(shown) < len(chart._labels)  # crowded: some names are left out
    assert not any(a.intersects(b) for n, a in enumerate(shown) for b in shown[n + 1 :])
    plot_area = chart.plot.vb.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
    assert all(plot_area.contains(rect) for rect in shown)
    tips = sorted(str(p.data()) for s in chart.scatters.values() for p in s.scatter.points())
    assert tips == sorted(label.textItem.toPlainText() for label in chart._labels)
    assert "Germany ×10" in tips
