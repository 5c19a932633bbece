"""The inspector, treaty list and notes: each change is one undo command, refused values are reported."""

from __future__ import annotations

from PySide6.QtCore import Qt
from settling import wait_queue_handled

from sandbox.app.editing.commands import RemoveTreatyCommand
from sandbox.core.scenario import SETTING_RANGES


def test_state_fields_push_undoable_commands(main_window, monkeypatch, qtbot):
    inspector, stack = main_window.inspector, main_window.document.undo_stack
    main_window.canvas.select(["GER"], [])
    page = inspector.state_page
    assert inspector.pages.currentWidget() is page and page.id_field.isReadOnly()
    page.power.setValue(20.0)
    page.reliability.setValue(0.5)
    page.name.setText("Prussia")
    page.name.editingFinished.emit()
    monkeypatch.setattr(inspector, "ask_colour", lambda initial: "#123456")
    page.colour.click()
    state = main_window.document.scenario.state("GER")
    assert (state.power, state.reliability, state.name, state.color) == (20.0, 0.5, "Prussia", "#123456")
    assert stack.count() == 4
    assert main_window.canvas.state_items["GER"].label.text() == "Prussia"
    while stack.canUndo():
        stack.undo()
    assert main_window.document.scenario.state("GER").power == 14.2
    qtbot.waitUntil(lambda: page.power.value() == 14.2)  # the form reloads from the model after undo
    assert page.reliability.maximum() == 1.0 and page.reliability.minimum() == 0.0


def test_gdp_follows_power_until_set(main_window):
    main_window.canvas.select(["AUH"], [])
    page = main_window.inspector.state_page
    assert page.gdp_same.isChecked() and not page.gdp.isEnabled()
    page.gdp_same.setChecked(False)
    page.gdp.setValue(80.0)
    assert main_window.document.scenario.state("AUH").gdp == 80.0
    page.gdp_same.setChecked(True)
    assert main_window.document.scenario.state("AUH").gdp is None


def test_a_refused_treaty_edit_is_reported_and_leaves_the_stack_alone(main_window):
    main_window.canvas.select([], ["dual"])
    page = main_window.inspector.treaty_page
    page.members.set_checked("AUH", False)  # a defence pact of one
    assert main_window.document.scenario.treaty("dual").members == ["GER", "AUH"]
    assert main_window.document.undo_stack.count() == 0
    assert "at least 2" in main_window.inspector.error.text() and not main_window.inspector.error.isHidden()
    assert page.members.checked() == ["GER", "AUH"]  # reloaded from the model
    page.members.set_checked("SRB", True)
    assert main_window.document.scenario.treaty("dual").members == ["GER", "AUH", "SRB"]
    assert main_window.inspector.error.isHidden()


def test_treaty_conditions_decision_and_type(main_window):
    scenario = main_window.document.scenario
    main_window.canvas.select([], ["dual"])
    page = main_window.inspector.treaty_page
    # a defence pact takes both conditions (MODEL.md's table) ...
    assert page.against.isEnabled() and page.unprovoked.isEnabled() and not page.response.isEnabled()
    page.against.set_checked("FRA", True)
    page.unprovoked.setChecked(True)
    dual = scenario.treaty("dual")
    assert dual.conditions.against == ["FRA"] and dual.conditions.unprovoked_only
    # made an offensive pact, it keeps `against` and drops the unprovoked clause it cannot take
    page.type.setCurrentIndex(page.type.findData("offense"))
    page.type.activated.emit(page.type.currentIndex())
    assert (
        dual.type == "offense" and dual.conditions.against == ["FRA"] and not dual.conditions.unprovoked_only
    )
    main_window.document.undo_stack.undo()
    assert dual.type == "defense" and dual.conditions.unprovoked_only
    # ... a collective-security treaty none, but a decision rule and a response
    main_window.canvas.select([], ["league"])
    assert not page.against.isEnabled() and not page.unprovoked.isEnabled() and page.response.isEnabled()
    page.rule.setCurrentText("veto")
    page.rule.activated.emit(page.rule.currentIndex())
    page.veto.set_checked("UK", True)
    page.response.setCurrentText("sanctions")
    page.response.activated.emit(page.response.currentIndex())
    page.commitment.setValue(0.5)
    league = scenario.treaty("league")
    assert (league.decision.rule, league.decision.veto, league.commitment) == ("veto", ["UK"], 0.5)
    assert league.decision.response == "sanctions"
    page.type.setCurrentIndex(page.type.findData("guarantee"))
    page.type.activated.emit(page.type.currentIndex())
    assert (league.type, league.guarantors, league.members) == ("guarantee", ["FRA"], ["UK", "ITA", "BEL"])


def test_state_break_fraction_and_autonomy(main_window):
    scenario = main_window.document.scenario
    main_window.canvas.select(["GER"], [])
    page = main_window.inspector.state_page
    # no per-state value: the box shows the setting's 0.5 and is disabled
    assert page.breaks_default.isChecked() and not page.break_fraction.isEnabled()
    assert page.break_fraction.value() == scenario.settings.break_fraction
    page.breaks_default.setChecked(False)
    page.break_fraction.setValue(0.3)
    page.autonomy.setValue(0.25)
    ger = scenario.state("GER")
    assert (ger.break_fraction, ger.autonomy) == (0.3, 0.25)
    main_window.document.undo_stack.undo()
    main_window.document.undo_stack.undo()
    main_window.document.undo_stack.undo()
    assert (ger.break_fraction, ger.autonomy) == (None, 0.0)


def test_revisionism_is_edited_in_its_box_and_undone(main_window):
    # Germany has no revisionism in the small 1914: the box shows the rule's default, 0
    main_window.canvas.select(["GER"], [])
    page = main_window.inspector.state_page
    ger = main_window.document.scenario.state("GER")
    assert page.revisionism.value() == ger.revisionism == 0.0
    page.revisionism.setValue(0.6)
    assert ger.revisionism == 0.6
    # the box stops at the rule's ends: 1.5 is shown and kept as 1
    page.revisionism.setValue(1.5)
    assert (page.revisionism.value(), ger.revisionism) == (1.0, 1.0)
    main_window.document.undo_stack.undo()
    main_window.document.undo_stack.undo()
    assert ger.revisionism == 0.0
    # another state selected, then Germany again: the box loads Germany's value
    ger.revisionism = 0.4
    main_window.canvas.select(["FRA"], [])
    main_window.canvas.select(["GER"], [])
    assert page.revisionism.value() == 0.4
    # its label and tooltip: the word, the meaning in open play and the default
    form = page.form
    assert form.labelForField(page.revisionism).text() == "Revisionism"
    assert "open play" in page.revisionism.toolTip() and "default 0" in page.revisionism.toolTip()


def _settled(window, qtbot) -> None:
    """Wait for the inspector's deferred reload (one per burst of model signals)."""
    qtbot.waitUntil(lambda: not window.inspector._reload_timer.isActive())


def test_scenario_page_when_nothing_is_selected(main_window, qtbot):
    main_window.canvas.select([], [])
    page = main_window.inspector.scenario_page
    scenario = main_window.document.scenario
    assert main_window.inspector.pages.currentWidget() is page
    page.ranges["attrition"].setValue(0.2)
    page.mode.setCurrentText("stochastic")
    page.mode.activated.emit(page.mode.currentIndex())
    page.deterrence.setChecked(False)
    assert (scenario.settings.attrition, scenario.settings.mode, scenario.settings.deterrence) == (
        0.2,
        "stochastic",
        False,
    )
    lo, hi = SETTING_RANGES["honor_threshold"]
    assert (page.ranges["honor_threshold"].minimum(), page.ranges["honor_threshold"].maximum()) == (lo, hi)
    page.add_event_for(3, "GER", "BEL")
    _settled(main_window, qtbot)
    assert scenario.events[-1].tick == 3 and page.events.count() == 2
    page.add_event_for(3, "GER", "GER")  # refused: a state cannot attack itself
    assert len(scenario.events) == 2 and "itself" in main_window.inspector.error.text()
    page.events.setCurrentRow(0)
    page.remove_event.click()
    _settled(main_window, qtbot)
    assert [e.target for e in scenario.events] == ["BEL"]
    page.plan_state.setCurrentIndex(page.plan_state.findData("GER"))
    page.plan_enemy.setCurrentIndex(page.plan_enemy.findData("FRA"))
    page.plan_also.set_checked("BEL", True)
    page.plan_also.set_checked("UK", True)
    page.add_plan.click()
    assert [(p.state, p.on_war_with, p.also_attack) for p in scenario.plans] == [
        ("GER", "FRA", ["UK", "BEL"])  # in the list's order
    ]
    _settled(main_window, qtbot)
    assert "also attacks United Kingdom, Belgium" in page.plans.item(0).text()


def test_treaty_list_and_canvas_select_together(main_window):
    treaties = main_window.treaty_list
    assert treaties.count() == 7
    treaties.item(1).setSelected(True)
    assert main_window.canvas.selected_treaties == {"franco-russian"}
    main_window.canvas.select([], ["league"])
    assert [i.data(Qt.ItemDataRole.UserRole) for i in treaties.selectedItems()] == ["league"]
    main_window.document.undo_stack.push(RemoveTreatyCommand(main_window.document.scenario, "dual"))
    treaties.refresh()
    assert treaties.count() == 6


def test_notes_render_markdown_and_edits_are_undoable(main_window, qtbot):
    notes = main_window.notes
    assert "small" in notes.browser.toPlainText() and "*" not in notes.browser.toPlainText()
    notes.edit_button.setChecked(True)
    notes.editor.setPlainText("# New\n\n**bold** words")
    notes.edit_button.setChecked(False)
    assert main_window.document.scenario.meta.notes == "# New\n\n**bold** words"
    assert "bold words" in notes.browser.toPlainText()
    main_window.document.undo_stack.undo()
    assert "small" in notes.browser.toPlainText()


def test_moving_states_does_not_rebuild_the_treaty_list(main_window, qtbot, monkeypatch):
    from sandbox.app.editing.commands import MoveStatesCommand

    refreshes = []
    monkeypatch.setattr(main_window.treaty_list, "refresh", lambda: refreshes.append(1))
    scenario = main_window.document.scenario
    main_window.document.undo_stack.push(MoveStatesCommand(scenario, {"GER": (0.0, 0.0)}))
    wait_queue_handled(qtbot)  # a refresh would have been queued by the move
    assert refreshes == []
    main_window.document.undo_stack.push(RemoveTreatyCommand(scenario, "dual"))
    qtbot.waitUntil(lambda: refreshes == [1])


def test_a_scenario_without_a_year_shows_a_dash_and_ticking_set_gives_one(main_window, qtbot):
    page = main_window.inspector.scenario_page
    scenario = main_window.document.scenario
    assert scenario.meta.year is None  # the small world has none
    assert page.year.text() == "\u2014" and not page.year_set.isChecked()
    page.year_set.setChecked(True)
    _settled(main_window, qtbot)
    assert scenario.meta.year == 1900 and page.year.text() == "1900"
    page.year.setValue(1914)
    assert scenario.meta.year == 1914
    page.year_set.setChecked(False)
    _settled(main_window, qtbot)
    assert scenario.meta.year is None and page.year.text() == "\u2014"


def test_a_long_heading_wraps_in_the_dock_and_tells_it_whole_on_hover(make_window, world, qtbot):
    from dataclasses import replace

    world.meta = replace(world.meta, title="NATO and the Baltic: deterrence by denial or by punishment")
    window = make_window(world)
    heading = window.inspector.heading
    assert heading.toolTip() == "Scenario: NATO and the Baltic: deterrence by denial or by punishment"
    qtbot.waitUntil(lambda: heading.height() > heading.fontMetrics().height() * 1.5)  # two lines or more
    assert heading.width() <= window.inspector.width()


def test_the_inspectors_boxes_take_their_ranges_and_help_from_the_field_rules(main_window):
    from sandbox.core.rules import SETTING_RULES, STATE_RULES, TREATY_RULES

    inspector = main_window.inspector
    boxes = [
        (inspector.state_page.reliability, STATE_RULES["reliability"]),
        (inspector.state_page.mobilization, STATE_RULES["mobilization"]),
        (inspector.state_page.autonomy, STATE_RULES["autonomy"]),
        (inspector.state_page.revisionism, STATE_RULES["revisionism"]),
        (inspector.treaty_page.commitment, TREATY_RULES["commitment"]),
        *((inspector.scenario_page.ranges[key], SETTING_RULES[key]) for key in SETTING_RANGES),
    ]
    for box, rule in boxes:
        shown = 10 ** -(box.decimals() if hasattr(box, "decimals") else 0)  # the box's last place
        assert rule.lo <= box.minimum() < rule.lo + shown, rule.name
        assert min(rule.hi, 1e6) - shown < box.maximum() <= rule.hi, rule.name
        assert box.toolTip().startswith(rule.help), rule.name
    # the mobilisation box stops where the file format does: 20,000 can no longer be typed in
    assert inspector.state_page.mobilization.maximum() == 10_000
    assert "default 0.8" in inspector.state_page.reliability.toolTip()


def test_every_field_has_a_worded_label_and_a_tooltip_with_its_meaning_and_default(main_window):
    from PySide6.QtWidgets import QFormLayout, QLabel

    from sandbox.core.rules import SETTING_RULES
    from sandbox.core.scenario import Treaty

    inspector = main_window.inspector
    rows = 0
    for page in (inspector.state_page, inspector.treaty_page, inspector.scenario_page):
        for form in page.findChildren(QFormLayout):
            for row in range(form.rowCount()):
                label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if field_item is None or label_item is None:  # a spanning note ("see the Notes dock")
                    continue
                rows += 1
                text = label_item.widget().text()
                assert "_" not in text and text.strip() and text[0].isalpha(), text
                assert "Defense" not in text and "ize" not in text, text  # British: "Defence", "-ise"
                assert isinstance(label_item.widget(), QLabel) and label_item.widget().toolTip(), text
                field = field_item.widget() or field_item.layout().itemAt(0).widget()
                assert field.toolTip() == label_item.widget().toolTip(), text
    assert rows >= 11 + 12 + 3 + 1 + len(SETTING_RANGES) + 3 + 3 + 3
    # a field with a rule says its rule's help, range and default; the others their meaning and
    # the default of the model's dataclass
    page = inspector.scenario_page
    assert page.ranges["attrition"].toolTip() == SETTING_RULES["attrition"].tooltip()
    assert page.deterrence.toolTip() == SETTING_RULES["deterrence"].tooltip()
    assert "the same as power" in inspector.state_page.gdp.toolTip()
    assert inspector.treaty_page.type.toolTip().endswith("Default: defence pact.")
    assert inspector.treaty_page.rule.toolTip().endswith(f"Default: {Treaty('t', 't').decision.rule}.")
    assert inspector.treaty_page.members.toolTip().endswith("Default: none.")
    settings_form = page.findChildren(QFormLayout)[1]
    assert settings_form.labelForField(page.ranges["defense_advantage"]).text() == "Defence advantage"
