"""The canvas: it follows the model, its tools push commands, and the live-view seam restyles it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsLineItem
from settling import wait_laid_out

from sandbox.app.canvas import legend
from sandbox.app.canvas.canvas_items import HULL_NAME_SPOTS
from sandbox.app.editing.commands import RemoveStateCommand, UpdateTreatyCommand
from sandbox.app.style import theme, vocabulary
from sandbox.core.overview import overview
from sandbox.core.scenario import MIN_RADIUS, radius_for_power


def _centre(canvas, state_id) -> QPointF:
    return canvas.state_items[state_id].pos()


def test_scene_follows_the_model_through_undo_and_redo(main_window):
    canvas, stack = main_window.canvas, main_window.document.undo_stack
    scenario = main_window.document.scenario
    ties_before = {t: set(ties) for t, ties in canvas.ties.items()}
    stack.push(RemoveStateCommand(scenario, "UK"))
    assert "UK" not in canvas.state_items and "london" not in canvas.ties
    assert ("FRA", "UK") not in canvas.ties["entente"]
    stack.undo()
    assert {t: set(ties) for t, ties in canvas.ties.items()} == ties_before
    assert _centre(canvas, "UK") == QPointF(180, 40)
    assert set(canvas.hulls) == {"triple", "league"}  # collective security and a 3-member defence pact


def test_disc_area_follows_power_with_a_clickable_minimum(main_window):
    items = main_window.canvas.state_items
    assert items["SRB"].radius == MIN_RADIUS
    assert items["GER"].radius == radius_for_power(14.2)
    ratio = (items["GER"].radius / items["RUS"].radius) ** 2
    assert abs(ratio - 14.2 / 12.0) < 1e-9


def test_add_state_tool_adds_one_undoable_state_where_clicked(main_window):
    canvas, stack = main_window.canvas, main_window.document.undo_stack
    canvas.set_tool("add-state")
    new_id = canvas.tool.add_at(QPointF(900, 500))
    state = main_window.document.scenario.state(new_id)
    assert state.position == (900, 500)
    assert canvas.selected_states == {new_id}
    assert _centre(canvas, new_id) == QPointF(900, 500)
    stack.undo()
    assert not main_window.document.scenario.has_state(new_id)
    canvas.tool.press(_centre(canvas, "GER"), Qt.KeyboardModifier.NoModifier)  # on a state: nothing added
    assert stack.index() == 0


def test_link_tool_adds_a_treaty_of_the_picked_type_guarantor_first(main_window):
    canvas = main_window.canvas
    main_window.set_treaty_type("guarantee")
    assert canvas.tool.name == "link"
    canvas.tool.begin_link("GER")
    treaty_id = canvas.tool.finish_link("SRB")
    treaty = main_window.document.scenario.treaty(treaty_id)
    assert (treaty.type, treaty.guarantors, treaty.members) == ("guarantee", ["GER"], ["SRB"])
    assert canvas.ties[treaty_id][("GER", "SRB")].arrow
    main_window.set_treaty_type("offense")
    canvas.tool.begin_link("GER")
    assert canvas.tool.finish_link("GER") is None  # no self-links
    canvas.tool.begin_link("GER")
    offense = canvas.tool.finish_link("ITA")
    tie = canvas.ties[offense][("GER", "ITA")]
    assert canvas.selected_treaties == {offense}
    assert tie.pen().color() == QColor(theme.SELECTION_COLOR)
    canvas.select([], [])
    assert tie.pen().color() == QColor(vocabulary.TREATY_COLORS["offense"])
    assert main_window.document.undo_stack.count() == 2


def test_select_tool_drag_is_one_command_on_release(main_window):
    canvas, stack = main_window.canvas, main_window.document.undo_stack
    tool = canvas.tools["select"]
    canvas.select(["GER", "AUH"], [])
    tool.press(_centre(canvas, "GER"), Qt.KeyboardModifier.NoModifier)
    for step in range(1, 11):
        tool.move(QPointF(420 + 10 * step, 180 + 5 * step))
    assert main_window.document.scenario.state("GER").position == (420, 180)  # the model waits for release
    assert stack.count() == 0
    tool.release(QPointF(520, 230))
    assert stack.count() == 1
    assert main_window.document.scenario.state("GER").position == (520, 230)
    assert main_window.document.scenario.state("AUH").position == (620, 350)
    stack.undo()
    assert main_window.document.scenario.state("AUH").position == (520, 300)
    assert _centre(canvas, "AUH") == QPointF(520, 300)


def test_select_tool_click_selects_and_rubber_band_selects_an_area(main_window):
    canvas = main_window.canvas
    tool = canvas.tools["select"]
    assert tool.select_at(_centre(canvas, "FRA"))
    assert canvas.selected_states == {"FRA"}
    tool.select_at(_centre(canvas, "RUS"), extend=True)
    assert canvas.selected_states == {"FRA", "RUS"}
    tool.select_at(QPointF(2000, 2000))
    assert canvas.selected_states == set()
    tool.select_in_rect(QRectF(150, 0, 300, 250))
    assert canvas.selected_states == {"UK", "FRA", "BEL", "GER"}
    london_mid = next(  # a point of the tie clear of both discs and every name
        p
        for f in (0.5, 0.4, 0.6, 0.3, 0.7)
        if canvas.state_at(p := _centre(canvas, "UK") * (1 - f) + _centre(canvas, "BEL") * f) is None
    )
    assert not tool.select_at(london_mid)  # a treaty, not a state: no drag
    assert canvas.selected_treaties == {"london"}
    assert main_window.inspector.pages.currentWidget() is main_window.inspector.treaty_page


@pytest.mark.parametrize(
    ("tool", "start", "color", "width"),
    [
        ("link", "begin_link", vocabulary.TREATY_COLORS["defense"], 3),
        ("attack", "choose_aggressor", vocabulary.SIDE_COLORS["aggressor"], 4),
    ],
)
def test_link_and_attack_tools_drag_a_dashed_line_from_the_state(main_window, tool, start, color, width):
    canvas = main_window.canvas
    canvas.set_tool(tool)
    before = set(canvas.scene().items())
    getattr(canvas.tool, start)("GER")
    (line,) = [i for i in canvas.scene().items() if i not in before and isinstance(i, QGraphicsLineItem)]
    x, y = main_window.document.scenario.state("GER").position
    canvas.tool.move(QPointF(x + 50, y - 30))
    assert (line.line().x1(), line.line().y1(), line.line().x2(), line.line().y2()) == (x, y, x + 50, y - 30)
    pen = line.pen()
    assert pen.style() == Qt.PenStyle.DashLine and pen.widthF() == width
    assert pen.color() == QColor(color)
    canvas.tool.deactivate()
    assert line not in canvas.scene().items()


def test_attack_tool_emits_hover_and_request(main_window, qtbot):
    canvas = main_window.canvas
    canvas.set_tool("attack")
    hovered, requested = [], []
    canvas.attack_hovered.connect(lambda a, t: hovered.append((a, t)))
    canvas.attack_requested.connect(lambda a, t: requested.append((a, t)))
    canvas.tool.choose_aggressor("AUH")
    canvas.tool.hover("SRB")
    canvas.tool.hover("SRB")
    canvas.tool.hover(None)
    assert hovered == [("AUH", "SRB"), ("AUH", None)]
    assert canvas.tool.choose_target("SRB")
    assert requested == [("AUH", "SRB")]
    assert canvas.tool.aggressor is None
    canvas.tool.choose_aggressor("AUH")
    assert not canvas.tool.choose_target(None)  # a click on nothing cancels
    assert requested == [("AUH", "SRB")]


def test_tool_change_is_signalled_with_a_status_hint(main_window, qtbot):
    with qtbot.waitSignal(main_window.tool_changed) as blocker:
        main_window.tool_actions["link"].trigger()
    assert blocker.args == ["link"]
    assert main_window.hint.text() == main_window.canvas.tools["link"].hint


def test_delete_copy_paste_through_the_window(main_window):
    canvas, scenario = main_window.canvas, main_window.document.scenario
    canvas.select(["GER", "AUH"], [])
    main_window.copy_selection()
    main_window.paste()
    assert len(scenario.states) == 10
    assert canvas.selected_states and not canvas.selected_states & {"GER", "AUH"}
    main_window.delete_selection()
    assert len(scenario.states) == 8
    canvas.select([], ["entente"])
    main_window.delete_action.trigger()
    assert not scenario.has_treaty("entente")


class _Snapshot(SimpleNamespace):
    pass


def _snapshot(states, ties):
    views = {s: SimpleNamespace(status=st, side=side, why=f"{s} because") for s, (st, side) in states.items()}
    return _Snapshot(
        states=views, ties=[SimpleNamespace(treaty=t, a=a, b=b, status=s) for t, a, b, s in ties]
    )


def test_apply_run_view_colours_by_status_and_none_restores_the_editing_view(main_window):
    canvas = main_window.canvas
    edit_fill = canvas.state_items["GER"].brush().color()
    edit_pen = canvas.ties["dual"][("GER", "AUH")].pen()
    snapshot = _snapshot(
        {
            "AUH": ("belligerent", "aggressor"),
            "SRB": ("belligerent", "defender"),
            "RUS": ("mobilizing", "defender"),
            "ITA": ("reneged", None),
        },
        [
            ("slav", "RUS", "SRB", "mobilizing"),
            ("dual", "AUH", "GER", "honoured"),
            ("triple", "GER", "ITA", "reneged"),
            ("london", "UK", "BEL", "violation"),
        ],
    )
    canvas.apply_run_view(snapshot)
    assert canvas.state_items["AUH"].brush().color() == QColor(vocabulary.SIDE_COLORS["aggressor"])
    assert canvas.state_items["SRB"].brush().color() == QColor(vocabulary.SIDE_COLORS["defender"])
    assert canvas.state_items["ITA"].brush().color() == QColor(vocabulary.STATE_STATUS_COLORS["reneged"])
    assert canvas.state_items["ITA"].pen().style() == Qt.PenStyle.DashLine  # reneged: a broken ring
    assert canvas.state_items["AUH"].pen().style() == Qt.PenStyle.SolidLine
    honoured = canvas.ties["dual"][("GER", "AUH")]  # the snapshot named the pair the other way round
    assert honoured.pen().color() == QColor(vocabulary.TIE_STATUS_COLORS["honoured"])
    assert honoured.pen().widthF() > edit_pen.widthF()
    assert canvas.ties["triple"][("GER", "ITA")].isVisible()  # hull treaties show ties that matter
    assert canvas.ties["london"][("UK", "BEL")].marker
    assert canvas.mobilizing_timer.isActive()
    offset = canvas.ties["slav"][("RUS", "SRB")].pen().dashOffset()
    canvas._animate_mobilizing()
    assert canvas.ties["slav"][("RUS", "SRB")].pen().dashOffset() != offset
    canvas.apply_run_view(None)
    assert canvas.state_items["GER"].brush().color() == edit_fill
    assert canvas.ties["dual"][("GER", "AUH")].pen() == edit_pen
    assert not canvas.ties["triple"][("GER", "ITA")].isVisible()
    assert not canvas.mobilizing_timer.isActive()


def test_overview_rings_its_states_and_shows_its_caption_and_explanation(main_window):
    canvas = main_window.canvas
    scenario = canvas.scenario
    exposure = overview(scenario)
    canvas.set_overview(exposure)
    for state_id, item in canvas.state_items.items():
        assert item.ring.isVisible() == (state_id in exposure.ringed)
    assert canvas.verdict.isVisible() and canvas.verdict.text() == exposure.caption
    assert canvas.verdict.toolTip() == exposure.explanation
    marks = lambda: {key for _label, kind, key in canvas.legend.entries if kind == "mark"}  # noqa: E731
    assert "exposure" in marks() and "jackson-nei" not in marks()
    jackson_nei = overview(scenario, jackson_nei=True)
    canvas.set_overview(jackson_nei)
    ringed = next(iter(jackson_nei.ringed))
    item = canvas.state_items[ringed]
    assert item.ring.isVisible() and item.ring.pen().style() == Qt.PenStyle.DotLine
    assert canvas.verdict.text().startswith("Jackson & Nei") and "jackson-nei" in marks()
    canvas.set_overview(None)
    assert not canvas.verdict.isVisible() and not item.ring.isVisible()
    assert not marks() & {"exposure", "jackson-nei"}


def test_highlight_preview_and_tooltips(main_window):
    canvas = main_window.canvas
    canvas.highlight(["RUS"], "slav")
    assert canvas.state_items["RUS"].pen().widthF() > canvas.state_items["GER"].pen().widthF()
    assert canvas.ties["slav"][("RUS", "SRB")].pen().color() == QColor(theme.SELECTION_COLOR)
    canvas.highlight([], None)
    assert canvas.state_items["RUS"].pen().widthF() == canvas.state_items["GER"].pen().widthF()
    canvas.show_attack_preview(
        "SRB", ["Attack: Austria-Hungary 6.0", "Expected defence: 12.5", "Deterred"], True
    )
    assert canvas.callout.isVisible() and "Expected defence: 12.5" in canvas.callout.text.toPlainText()
    callout = canvas.mapFromScene(canvas.callout.pos()).x()
    disc = canvas.mapFromScene(canvas.state_items["SRB"].sceneBoundingRect()).boundingRect()
    assert callout > disc.right() or callout + canvas.callout.boundingRect().width() < disc.left()  # beside
    canvas.show_attack_preview(None, [], False)
    assert not canvas.callout.isVisible()
    canvas.set_state_tooltips({"GER": "Germany honoured the Dual Alliance"})
    assert canvas.state_items["GER"].toolTip() == "Germany honoured the Dual Alliance"
    assert canvas.state_items["FRA"].toolTip() == ""


def test_treaty_change_redraws_it_a_third_member_makes_a_hull(main_window):
    canvas, scenario = main_window.canvas, main_window.document.scenario
    main_window.document.undo_stack.push(UpdateTreatyCommand(scenario, "dual", members=["GER", "AUH", "SRB"]))
    assert "dual" in canvas.hulls and canvas.ties["dual"] == {}  # a hull stands for its ties
    assert canvas.hulls["dual"].label.text() == "Dual Alliance"
    main_window.document.undo_stack.undo()
    assert "dual" not in canvas.hulls and set(canvas.ties["dual"]) == {("GER", "AUH")}


def test_zoom_and_fit(main_window):
    canvas = main_window.canvas
    canvas.resetTransform()
    main_window.zoom_in_action.trigger()
    assert abs(canvas.transform().m11() - 1.25) < 1e-9
    main_window.zoom_out_action.trigger()
    main_window.zoom_out_action.trigger()
    assert abs(canvas.transform().m11() - 0.8) < 1e-9
    canvas.fit_all()
    visible = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    for item in canvas.state_items.values():
        assert visible.contains(item.sceneBoundingRect())


def test_a_tap_of_space_on_the_canvas_still_plays_and_pauses(main_window, qtbot):
    controller = main_window.live.controller
    main_window.canvas.setFocus()
    qtbot.keyClick(main_window.canvas, Qt.Key.Key_Space)
    assert controller.playing
    qtbot.keyClick(main_window.canvas, Qt.Key.Key_Space)
    assert not controller.playing


def test_space_drag_pans_without_playing(main_window, qtbot):
    canvas, controller = main_window.canvas, main_window.live.controller
    canvas.zoom_by(3.0)
    before = canvas.mapToScene(canvas.viewport().rect().center())
    canvas.setFocus()
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    centre = canvas.viewport().rect().center()
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(canvas.viewport(), centre + QPoint(60, 0))
    qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=centre + QPoint(60, 0))
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    after = canvas.mapToScene(canvas.viewport().rect().center())
    assert after.x() < before.x() and not controller.playing
    assert main_window.document.undo_stack.count() == 0  # panning moved no state


def test_fifty_thousand_void_calls_do_not_abort(qapp):
    # PySide6 6.12 on Python < 3.12 dropped a reference to None on each void call and aborted
    item = QGraphicsEllipseItem(0, 0, 10, 10)
    for i in range(50_000):
        item.setPos(i % 100, 0)
        item.setToolTip("x")
    assert item.pos().x() == 99.0


def test_dark_palette_recolours_the_canvas(main_window, qtbot, qapp):
    canvas = main_window.canvas
    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    light_background = canvas.colors.background
    outline = canvas.state_items["SRB"].pen().color()
    try:
        main_window.set_theme("dark")
        assert theme.is_dark() and main_window.theme_actions["dark"].isChecked()
        qtbot.waitUntil(lambda: canvas.colors.background != light_background)  # palettes propagate later
        assert canvas.state_items["SRB"].pen().color() != outline
    finally:  # later tests get the application as it was
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setFont(font)
    qtbot.waitUntil(lambda: canvas.colors.background == light_background)


def test_removing_a_highlighted_state_then_clearing_the_highlight(main_window):
    canvas = main_window.canvas
    canvas.highlight(["SRB"], "slav")
    main_window.document.undo_stack.push(RemoveStateCommand(main_window.document.scenario, "SRB"))
    canvas.highlight([], None)
    assert canvas.highlighted_states == set() and canvas.highlighted_treaty is None


def test_an_empty_world_says_how_to_start(main_window, qtbot, monkeypatch):
    assert main_window.canvas.empty_hint.isHidden()
    main_window.new_scenario()
    qtbot.waitUntil(main_window.canvas.empty_hint.isVisible)
    main_window.canvas.tools["add-state"].add_at(QPointF(0, 0))
    qtbot.waitUntil(main_window.canvas.empty_hint.isHidden)


def test_hover_tells_about_states_and_treaties(main_window):
    canvas = main_window.canvas
    assert canvas.tooltip_at(_centre(canvas, "ITA")).startswith(
        "Italy (ITA)\npower 4, GDP 4, reliability 0.3"
    )
    london = _centre(canvas, "UK") * 0.35 + _centre(canvas, "BEL") * 0.65
    assert canvas.tooltip_at(london) == "Treaty of London\nGuarantee, commitment 1: United Kingdom, Belgium"
    canvas.set_state_tooltips({"ITA": "Italy stayed out: the Triple Alliance was defensive"})
    assert canvas.tooltip_at(_centre(canvas, "ITA")) == "Italy stayed out: the Triple Alliance was defensive"
    assert canvas.tooltip_at(QPointF(3000, 3000)) == ""


def test_run_ties_inside_a_hull_get_items_without_redrawing_the_hull(main_window, monkeypatch):
    # a world-wide organisation used to redraw its hull once per new tie: minutes for 2,000 members
    from sandbox.app.canvas.canvas_items import HullItem

    canvas = main_window.canvas
    redraws = []
    monkeypatch.setattr(HullItem, "set_members", lambda self, *args: redraws.append(self.treaty_id))
    snapshot = _snapshot(
        {"FRA": ("belligerent", "defender")},
        [
            ("league", "FRA", "UK", "obliged"),
            ("league", "ITA", "FRA", "reneged"),
            ("league", "BEL", "FRA", "vetoed"),
        ],
    )
    canvas.apply_run_view(snapshot)
    assert set(canvas.ties["league"]) == {("FRA", "UK"), ("FRA", "ITA"), ("BEL", "FRA")}  # pairs in id order
    assert all(tie.isVisible() and not tie.line.isNull() for tie in canvas.ties["league"].values())
    assert redraws == []


def test_large_pacts_are_hulls_not_cliques(main_window):
    from sandbox.app.canvas.canvas import drawn_as_hull
    from sandbox.core.scenario import Treaty

    five = ["GER", "AUH", "ITA", "FRA", "RUS"]
    assert drawn_as_hull(Treaty("n", "N", "non-aggression", members=five))
    assert not drawn_as_hull(Treaty("n", "N", "non-aggression", members=five[:4]))
    assert drawn_as_hull(Treaty("d", "D", "defense", members=five[:3]))
    assert not drawn_as_hull(Treaty("g", "G", "guarantee", members=five, guarantors=["UK"]))


def test_a_real_run_is_coloured_from_its_arrays_as_its_state_views_say(main_window):
    from sandbox.app.canvas.canvas import run_looks
    from sandbox.core.sim import Simulation

    canvas, scenario = main_window.canvas, main_window.document.scenario
    simulation = Simulation(scenario, deterrence=False)  # Austria-Hungary crushes Serbia in two ticks
    simulation.run()
    for tick in range(simulation.tick):
        snapshot = simulation.snapshot(tick)
        by_view = {state_id: (v.status, v.side) for state_id, v in snapshot.states.items()}
        assert run_looks(snapshot) == by_view
    assert by_view["SRB"] == ("defeated", "defender") and by_view["GER"] == ("not-obliged", None)
    canvas.apply_run_view(snapshot)
    assert canvas._state_views == by_view
    # no tooltip was set: hovering builds the state's "why" then
    canvas.set_state_tooltips({})
    assert canvas.tooltip_at(_centre(canvas, "SRB")) == snapshot.states["SRB"].why
    canvas.apply_run_view(None)
    assert canvas.tooltip_at(_centre(canvas, "SRB")).startswith("Serbia (SRB)\npower")


def _luminance(colour: QColor) -> float:
    """WCAG relative luminance."""
    channels = [c / 255 for c in (colour.red(), colour.green(), colour.blue())]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _hue_distance(a: str, b: str) -> int:
    d = abs(QColor(a).hsvHue() - QColor(b).hsvHue())
    return min(d, 360 - d)


def test_run_colours_tell_reneged_from_aggressor_and_neutral_from_uninvolved():
    status, side = vocabulary.STATE_STATUS_COLORS, vocabulary.SIDE_COLORS
    assert _hue_distance(status["reneged"], side["aggressor"]) >= 60  # magenta-red was 19 degrees off
    assert (
        _hue_distance(vocabulary.TIE_STATUS_COLORS["reneged"], vocabulary.TIE_STATUS_COLORS["violation"])
        >= 60
    )
    assert QColor(status["neutral"]).hsvSaturation() > 150 > QColor(status["uninvolved"]).hsvSaturation()
    assert set(side.values()) - {side[None]} <= set(vocabulary.OKABE_ITO.values())


def test_presenter_mode_gives_the_canvas_projector_colours(main_window, qtbot):
    canvas, presenter = main_window.canvas, main_window.workshop.presenter
    before = canvas.colors
    presenter.set_active(True)
    qtbot.waitUntil(lambda: canvas.colors == theme.canvas_colors(False, projector=True))  # palettes propagate
    colours = canvas.colors
    assert canvas.state_items["GER"].label.brush().color() == colours.text != before.text
    assert colours.background.lightness() > 230 and colours.text.blue() > colours.text.red()  # navy ink
    light, dark = _luminance(colours.background), _luminance(colours.text)
    assert (light + 0.05) / (dark + 0.05) >= 12  # WCAG AAA asks 7
    france = canvas.state_items["FRA"].brush().color()  # FRA has its own colour: shown more saturated
    assert france.hsvSaturation() > QColor("#3050c0").hsvSaturation()
    presenter.set_active(False)
    qtbot.waitUntil(lambda: canvas.colors == before)
    assert canvas.state_items["FRA"].brush().color() == QColor("#3050c0")


def _on_screen(canvas, item) -> QRectF:
    """Where a state or hull is drawn with its name, in viewport pixels."""
    rect = item.sceneBoundingRect().united(item.mapRectToScene(item.childrenBoundingRect()))
    return QRectF(canvas.mapFromScene(rect).boundingRect())


def test_hull_names_read_like_state_names_at_fit_zoom(main_window):
    canvas = main_window.canvas
    canvas.fit_all()
    hull, state = canvas.hulls["league"].name_label, canvas.state_items["GER"].name_label
    assert hull.text.font().bold() and not hull.text.font().italic()
    assert hull.text.font().pointSizeF() == state.text.font().pointSizeF()
    assert hull.back.brush().color().alpha() > 0  # a halo behind the name
    shown = hull.text.font().pointSizeF() * canvas.transform().m11() * hull.text.scale()
    assert shown >= 12
    canvas.zoom_by(10 / (theme.STATE_LABEL_POINTS * canvas.transform().m11()))  # out to 10 pt names...
    # ...which grow to stay readable
    assert hull.text.scale() > 1 and state.text.scale() == hull.text.scale()
    assert state.text.font().pointSizeF() * canvas.transform().m11() * state.text.scale() >= 12
    assert hull.text.mapRectToScene(hull.text.boundingRect()).center().x() == pytest.approx(hull.anchor.x())


@pytest.mark.parametrize("name", ["july-1914", "gulf-1990", "nato-baltic"])
def test_fitting_keeps_every_name_in_view_and_clear_of_the_verdict(make_window, qtbot, name):
    from sandbox.core.examples import load_example

    window = make_window(load_example(name))
    window.resize(1600, 1000)
    canvas = window.canvas
    qtbot.waitUntil(canvas.verdict.isVisible)
    canvas.fit_all()
    view = QRectF(canvas.viewport().rect())
    verdict = QRectF(canvas.verdict.geometry().translated(-canvas.viewport().pos()))
    for state_id, item in canvas.state_items.items():
        assert view.contains(_on_screen(canvas, item)), state_id
        assert not verdict.intersects(QRectF(canvas.mapFromScene(item.sceneBoundingRect()).boundingRect()))
        assert not verdict.intersects(
            QRectF(canvas.mapFromScene(item.label.sceneBoundingRect()).boundingRect())
        )
    window.live.controller.run_ticks(3)  # the legend appears over a fitted view: both overlays stay clear
    assert canvas.legend.isVisible()
    assert not canvas._covers_a_state(canvas.legend) and not canvas._covers_a_state(canvas.verdict)


def test_in_presenter_mode_the_fitted_world_stays_clear_of_caption_and_legend(main_window, qtbot):
    canvas = main_window.canvas
    qtbot.waitUntil(canvas.verdict.isVisible)
    main_window.workshop.presenter.set_active(True)
    main_window.showNormal()  # the test screen is small: a projector's size instead of full screen
    main_window.resize(1920, 1080)
    wait_laid_out(qtbot, main_window)  # presenter mode arranges its docks and fits the world after the switch
    canvas.fit_all()
    main_window.live.controller.run_ticks(3)
    assert canvas.legend.isVisible()
    assert not canvas._covers_a_state(canvas.legend) and not canvas._covers_a_state(canvas.verdict)
    main_window.workshop.presenter.set_active(False)


def test_a_view_too_small_for_the_legend_goes_without(main_window):
    canvas = main_window.canvas
    main_window.live.controller.run_ticks(1)
    assert canvas.legend.isVisible()
    canvas.legend.resize(canvas.viewport().width(), canvas.viewport().height())  # as large as the view
    canvas.place_overlays()
    assert not canvas.legend.isVisible()
    canvas.legend.resize(canvas.legend.sizeHint())
    canvas.place_overlays()
    assert canvas.legend.isVisible()


def test_the_legend_shows_in_the_run_view_clear_of_states_and_grows_with_presenter_type(main_window, qtbot):
    canvas, live = main_window.canvas, main_window.live
    assert canvas.legend.isVisible() and [title for title, _ in canvas.legend.columns] == [
        "States",
        "Treaties",
    ]
    live.controller.run_ticks(2)
    assert [title for title, _ in canvas.legend.columns] == ["States", "Ties"]
    assert canvas.legend.isVisible() and not canvas._covers_a_state(canvas.legend)
    corner = canvas.legend.geometry()
    area = canvas.viewport().geometry()
    assert corner.right() < area.right() and corner.top() - area.top() < 20  # pinned top right
    for item in canvas.state_items.values():
        shown = canvas.mapFromScene(item.sceneBoundingRect()).boundingRect()
        assert not corner.translated(-area.topLeft()).intersects(shown)
    points = canvas.legend.font().pointSizeF()
    main_window.workshop.presenter.set_active(True)  # the compact form: a little larger, split columns
    qtbot.waitUntil(lambda: canvas.legend.font().pointSizeF() > points and canvas.legend.compact)
    assert canvas.legend.font().pointSizeF() <= theme.BASE_FONT_POINTS * legend.COMPACT_MAX_SCALE + 0.01
    assert all(len(entries) <= legend.MAX_ROWS for _title, entries in canvas.legend._laid_out())
    main_window.workshop.presenter.set_active(False)
    qtbot.waitUntil(lambda: canvas.legend.font().pointSizeF() == points and not canvas.legend.compact)
    live.controller.reset()  # the editing legend again
    assert [title for title, _ in canvas.legend.columns] == ["States", "Treaties"]


def test_one_selection_is_shared_by_the_canvas_inspector_treaty_list_and_window(main_window):
    selection = main_window.document.selection
    assert main_window.canvas.selection is selection
    selection.set(["GER"], [])  # set from outside the canvas: every view follows
    assert main_window.canvas.selected_states == {"GER"}
    assert main_window.inspector.pages.currentWidget() is main_window.inspector.state_page
    assert main_window.delete_action.isEnabled() and main_window.copy_action.isEnabled()
    main_window.treaty_list.item(0).setSelected(True)  # chosen in the treaty list
    treaty_id = main_window.treaty_list.item(0).data(Qt.ItemDataRole.UserRole)
    assert selection.treaties == {treaty_id} and not selection.states
    assert main_window.inspector.pages.currentWidget() is main_window.inspector.treaty_page
    main_window.document.scenario.remove_treaty(treaty_id)  # gone from the model: gone from the selection
    assert not selection and not main_window.delete_action.isEnabled()


def test_a_treaty_name_crowded_above_and_below_its_area_is_still_shown(make_window, qtbot):
    # A, B and C share a defence pact (an area); D sits just above the area's top point and E just
    # below its bottom one, so the name fits neither above nor below (the spots it once had): it goes
    # beside the area or, lifted on a leader line, clear of every disc and name
    from sandbox.core.scenario import Scenario, State, Treaty

    states = [
        State("A", "Aland", 3.0, position=(0, 0)),
        State("B", "Brill", 3.0, position=(240, 0)),
        State("C", "Corvin", 3.0, position=(120, 110)),
        State("D", "Dorn", 40.0, position=(120, -95)),
        State("E", "Essa", 40.0, position=(120, 215)),
    ]
    scenario = Scenario(states, [Treaty("pact", "Northern Defence Pact", "defense", ["A", "B", "C"])])
    window = make_window(scenario)
    canvas = window.canvas
    qtbot.waitUntil(lambda: not canvas._label_timer.isActive())
    hull = canvas.hulls["pact"]
    assert hull.label.isVisible()
    name = hull.name_rect(hull.name_spot)
    assert hull.name_spot >= 2  # neither centred above nor centred below
    for item in canvas.state_items.values():
        disc = item.sceneBoundingRect()
        assert not name.intersects(disc.adjusted(4, 4, -4, -4)), item.state_id
        assert not name.intersects(item.label_rect(item.label_spot)), item.state_id
    lifted = HULL_NAME_SPOTS[hull.name_spot][2] > 0
    assert hull.leader.isVisible() == lifted  # a lifted name is tied to its area by a line
