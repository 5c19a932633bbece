"""The inspector dock (edit the selected state, treaty, or the scenario itself)
and the treaty list dock.

Every field change is pushed as an undo command; a value the model refuses is
reported under the form and the form shows the model's value again. The forms
reload from the model's signals, so undo and redo show up here at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from PySide6.QtCore import QPointF, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sandbox.app.document.document import connect_view
from sandbox.app.editing.commands import (
    SetEventsCommand,
    SetPlansCommand,
    UpdateMetaCommand,
    UpdateSettingsCommand,
    UpdateStateCommand,
    UpdateTreatyCommand,
)
from sandbox.app.panels.field_help import label, tooltip
from sandbox.app.style import theme, vocabulary
from sandbox.app.style.vocabulary import TREATY_TYPE_NAMES
from sandbox.core.rules import SETTING_RULES, STATE_RULES, TREATY_RULES, WHOLE, Rule
from sandbox.core.scenario import (
    CONDITIONS_TAKEN,
    DECISION_RULES,
    DEFAULT_COLOR,
    MODES,
    RESPONSES,
    SETTING_RANGES,
    TREATY_TYPES,
    Plan,
    ScenarioEditError,
    ScriptedEvent,
    misplaced_conditions,
)
from sandbox.core.text import counted

BIG = 1e6  # spin box bound for power, GDP and positions (the model only asks for >= 0 / finite)


@cache
def treaty_icon(treaty_type: str, size: int = 22) -> QIcon:
    """A small line sample in the treaty type's colour and line style (drawn once per type)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(vocabulary.TREATY_COLORS[treaty_type])
    if treaty_type == "collective-security":
        fill = QColor(colour)
        fill.setAlpha(90)
        painter.setBrush(fill)
        painter.setPen(QPen(colour, 2))
        painter.drawEllipse(3, 5, size - 6, size - 10)
    else:
        painter.setPen(QPen(colour, 3, theme.TREATY_LINE_STYLES[treaty_type]))
        painter.drawLine(2, size - 4, size - 4, 4)
        if treaty_type == "guarantee":
            painter.setBrush(colour)
            painter.drawPolygon(
                QPolygonF([QPointF(size - 2, 2), QPointF(size - 11, 5), QPointF(size - 5, 11)])
            )
    painter.end()
    return QIcon(pixmap)


def add_rows(form: QFormLayout, owner: str, rows) -> None:
    """Rows of (field name, widget or layout) with their labels in words and, on the label and
    every widget of the row, a tooltip saying what the field does and its default (field_help)."""
    for key, field in rows:
        tip = tooltip(owner, key)
        parts = (
            [field]
            if isinstance(field, QWidget)
            else [field.itemAt(i).widget() for i in range(field.count())]
        )
        for widget in parts:
            widget.setToolTip(tip)
        form.addRow(label(owner, key), field)
        form.labelForField(field).setToolTip(tip)


def _spin(lo: float, hi: float, decimals: int = 2, step: float = 0.1) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setKeyboardTracking(False)  # one command per finished value, not per keystroke
    box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return box


def _state_combo() -> QComboBox:
    """A state picker that does not widen the dock to the longest name."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


NO_YEAR = -5001  # the year box's lowest value stands for "no year" and shows "—"
DEFAULT_YEAR = 1900  # what ticking "set" gives a scenario that had no year


def _int_spin(lo: int, hi: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setKeyboardTracking(False)
    return box


def _ruled(rule: Rule, step: float = 0.05, decimals: int = 2) -> QAbstractSpinBox:
    """A spin box for one field of the field rules: its range (capped at BIG) and its help as tooltip."""
    if rule.kind == WHOLE:
        box: QAbstractSpinBox = _int_spin(int(max(rule.lo, -BIG)), int(min(rule.hi, BIG)))
    else:
        # the box shows `decimals` places: its ends are the first and last values it can show in range
        scale = 10**decimals
        lo, hi = math.ceil(max(rule.lo, -BIG) * scale) / scale, math.floor(min(rule.hi, BIG) * scale) / scale
        box = _spin(lo, hi, decimals, step)
    box.setToolTip(rule.tooltip())
    return box


class CheckList(QListWidget):
    """States as a list of check boxes; ``checked()`` keeps the order given to ``load``."""

    toggled = Signal()

    def __init__(self):
        super().__init__()
        # Fusion draws an unchecked box in a shade close to a dark palette's base: outline it
        self.setStyleSheet(
            "QListView::indicator { width: 15px; height: 15px;"
            " border: 1px solid #8a929b; border-radius: 3px }"
            "QListView::indicator:checked { background: #3d7fd9; image: none; border-color: #3d7fd9; }"
        )
        self.setMinimumHeight(110)
        self.setMaximumHeight(170)
        self._order: list[str] = []
        self.itemChanged.connect(lambda _item: self.toggled.emit())

    def load(self, states: list[tuple[str, str]], checked: list[str]) -> None:
        with QSignalBlocker(self):
            self.clear()
            self._order = list(checked)
            for state_id, name in states:
                item = QListWidgetItem(f"{name} ({state_id})")
                item.setData(Qt.ItemDataRole.UserRole, state_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if state_id in checked else Qt.CheckState.Unchecked)
                self.addItem(item)

    def checked(self) -> list[str]:
        """Checked ids: those checked before keep their order, new ones follow in list order."""
        now = [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]
        return [s for s in self._order if s in now] + [s for s in now if s not in self._order]

    def set_checked(self, state_id: str, checked: bool) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == state_id:
                self.item(i).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class _Page(QWidget):
    """A form that pushes commands through ``window.document`` and reports refused values."""

    def __init__(self, inspector: Inspector):
        super().__init__()
        self.inspector = inspector
        self.loading = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

    @property
    def scenario(self):
        return self.inspector.document.scenario

    def _top_aligned(self) -> None:
        """The form at the top, at its natural row heights."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addStretch(1)

    def push(self, make_command: Callable[[], object]) -> None:
        """Push a command built by ``make_command``; a refused value shows the reason and reloads."""
        if self.loading:
            return
        try:
            command = make_command()
            command.check()
            self.inspector.document.undo_stack.push(command)
            self.inspector.show_error("")
        except ScenarioEditError as error:
            self.inspector.show_error(str(error))
            self.inspector.reload()


class StatePage(_Page):
    def __init__(self, inspector: Inspector):
        super().__init__(inspector)
        self.state_id: str | None = None
        self.id_field = QLineEdit(readOnly=True)
        self.name = QLineEdit()
        self.power = _ruled(STATE_RULES["power"], 0.5)
        self.gdp_same = QCheckBox("same as power")
        self.gdp = _ruled(STATE_RULES["gdp"], 1.0)
        self.reliability = _ruled(STATE_RULES["reliability"])
        self.mobilization = _ruled(STATE_RULES["mobilization"])
        self.breaks_default = QCheckBox("the setting")
        self.break_fraction = _ruled(STATE_RULES["break_fraction"])
        self.autonomy = _ruled(STATE_RULES["autonomy"])
        self.revisionism = _ruled(STATE_RULES["revisionism"])
        self.colour = QPushButton()
        self.clear_colour = QPushButton("Default")
        self.x, self.y = _spin(-BIG, BIG, 1, 10.0), _spin(-BIG, BIG, 1, 10.0)
        gdp_row, colour_row, breaks_row = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        gdp_row.addWidget(self.gdp, 1)
        gdp_row.addWidget(self.gdp_same)
        breaks_row.addWidget(self.break_fraction, 1)
        breaks_row.addWidget(self.breaks_default)
        colour_row.addWidget(self.colour, 1)
        colour_row.addWidget(self.clear_colour)
        add_rows(
            self.form,
            "state",
            (
                ("id", self.id_field),
                ("name", self.name),
                ("power", self.power),
                ("gdp", gdp_row),
                ("reliability", self.reliability),
                ("mobilization", self.mobilization),
                ("break_fraction", breaks_row),
                ("autonomy", self.autonomy),
                ("revisionism", self.revisionism),
                ("color", colour_row),
                ("x", self.x),
                ("y", self.y),
            ),
        )
        self._top_aligned()
        self.name.editingFinished.connect(lambda: self._set(name=self.name.text().strip() or self.state_id))
        self.power.valueChanged.connect(lambda v: self._set(power=v))
        self.gdp.valueChanged.connect(lambda v: self._set(gdp=v))
        self.gdp_same.toggled.connect(lambda same: self._set(gdp=None if same else self.gdp.value()))
        self.reliability.valueChanged.connect(lambda v: self._set(reliability=v))
        self.mobilization.valueChanged.connect(lambda v: self._set(mobilization=v))
        self.break_fraction.valueChanged.connect(lambda v: self._set(break_fraction=v))
        self.breaks_default.toggled.connect(
            lambda same: self._set(break_fraction=None if same else self.break_fraction.value())
        )
        self.autonomy.valueChanged.connect(lambda v: self._set(autonomy=v))
        self.revisionism.valueChanged.connect(lambda v: self._set(revisionism=v))
        self.x.valueChanged.connect(lambda v: self._set(position=(v, self.y.value())))
        self.y.valueChanged.connect(lambda v: self._set(position=(self.x.value(), v)))
        self.colour.clicked.connect(self._pick_colour)
        self.clear_colour.clicked.connect(lambda: self._set(color=None))

    def _set(self, **values) -> None:
        state_id = self.state_id
        if state_id is not None:
            self.push(lambda: UpdateStateCommand(self.scenario, state_id, **values))

    def _pick_colour(self) -> None:
        state = self.scenario.state(self.state_id)
        colour = self.inspector.ask_colour(QColor(state.color or DEFAULT_COLOR))
        if colour is not None:
            self._set(color=colour)

    def load(self, state_id: str) -> None:
        self.state_id = state_id
        state = self.scenario.state(state_id)
        self.loading = True
        try:
            self.id_field.setText(state.id)
            self.name.setText(state.name)
            self.power.setValue(state.power)
            self.gdp_same.setChecked(state.gdp is None)
            self.gdp.setEnabled(state.gdp is not None)
            self.gdp.setValue(state.economy)
            self.reliability.setValue(state.reliability)
            self.mobilization.setValue(state.mobilization)
            self.breaks_default.setChecked(state.break_fraction is None)
            self.break_fraction.setEnabled(state.break_fraction is not None)
            self.break_fraction.setValue(state.breaks_at(self.scenario.settings))
            self.autonomy.setValue(state.autonomy)
            self.revisionism.setValue(state.revisionism)
            swatch = QColor(state.color or theme.palette_canvas_colors().state_fill)
            self.colour.setText(f"{swatch.name()}  (choose...)" if state.color else "default  (choose...)")
            ink = "#000000" if swatch.lightness() > 140 else "#ffffff"
            self.colour.setStyleSheet(
                f"QPushButton {{ background: {swatch.name()}; color: {ink}; padding: 5px }}"
            )
            self.x.setValue(state.position[0])
            self.y.setValue(state.position[1])
        finally:
            self.loading = False


class TreatyPage(_Page):
    def __init__(self, inspector: Inspector):
        super().__init__(inspector)
        self.treaty_id: str | None = None
        self.id_field = QLineEdit(readOnly=True)
        self.name = QLineEdit()
        self.type = QComboBox()
        for kind in TREATY_TYPES:
            self.type.addItem(treaty_icon(kind), TREATY_TYPE_NAMES[kind], kind)
        self.members, self.guarantors, self.against, self.veto = (
            CheckList(),
            CheckList(),
            CheckList(),
            CheckList(),
        )
        self.commitment = _ruled(TREATY_RULES["commitment"])
        self.mediation = _ruled(TREATY_RULES["mediation"])
        self.unprovoked = QCheckBox()  # the row's label says it
        self.rule = QComboBox()
        self.rule.addItems(DECISION_RULES)
        self.response = QComboBox()
        self.response.addItems(RESPONSES)
        add_rows(
            self.form,
            "treaty",
            (
                ("id", self.id_field),
                ("name", self.name),
                ("type", self.type),
                ("members", self.members),
                ("guarantors", self.guarantors),
                ("commitment", self.commitment),
                ("mediation", self.mediation),
                ("against", self.against),
                ("unprovoked_only", self.unprovoked),
                ("rule", self.rule),
                ("veto", self.veto),
                ("response", self.response),
            ),
        )
        self._top_aligned()
        self.name.editingFinished.connect(lambda: self._set(name=self.name.text().strip() or self.treaty_id))
        self.type.activated.connect(lambda _i: self._set_type(self.type.currentData()))
        self.members.toggled.connect(lambda: self._set(members=self.members.checked()))
        self.guarantors.toggled.connect(lambda: self._set(guarantors=self.guarantors.checked()))
        self.commitment.valueChanged.connect(lambda v: self._set(commitment=v))
        self.mediation.valueChanged.connect(lambda v: self._set(mediation=v))
        self.against.toggled.connect(lambda: self._set_conditions(against=self.against.checked()))
        self.unprovoked.toggled.connect(lambda on: self._set_conditions(unprovoked_only=on))
        self.rule.activated.connect(lambda _i: self._set_decision(rule=self.rule.currentText()))
        self.veto.toggled.connect(lambda: self._set_decision(veto=self.veto.checked()))
        self.response.activated.connect(lambda _i: self._set_decision(response=self.response.currentText()))

    def _set(self, **values) -> None:
        treaty_id = self.treaty_id
        if treaty_id is not None:
            self.push(lambda: UpdateTreatyCommand(self.scenario, treaty_id, **values))

    def _set_type(self, kind: str) -> None:
        # guarantors belong to guarantees only: changing type moves them to or from the members;
        # conditions the new type does not take are dropped in the same undo step
        treaty = self.scenario.treaty(self.treaty_id)
        values: dict = {"type": kind}
        if misplaced_conditions(kind, treaty.conditions):
            taken = CONDITIONS_TAKEN[kind]
            values["conditions"] = replace(
                treaty.conditions,
                against=treaty.conditions.against if "against" in taken else [],
                unprovoked_only=treaty.conditions.unprovoked_only and "unprovoked_only" in taken,
            )
        if kind == "guarantee" and not treaty.guarantors and treaty.members:
            values.update(guarantors=treaty.members[:1], members=treaty.members[1:])
        elif kind != "guarantee" and treaty.guarantors:
            values.update(guarantors=[], members=[*treaty.guarantors, *treaty.members])
        self._set(**values)

    def _set_conditions(self, **values) -> None:
        self._set(conditions=replace(self.scenario.treaty(self.treaty_id).conditions, **values))

    def _set_decision(self, **values) -> None:
        self._set(decision=replace(self.scenario.treaty(self.treaty_id).decision, **values))

    def load(self, treaty_id: str) -> None:
        self.treaty_id = treaty_id
        treaty = self.scenario.treaty(treaty_id)
        states = [(s.id, s.name) for s in self.scenario.states]
        self.loading = True
        try:
            self.id_field.setText(treaty.id)
            self.name.setText(treaty.name)
            self.type.setCurrentIndex(TREATY_TYPES.index(treaty.type))
            self.members.load(states, treaty.members)
            self.guarantors.load(states, treaty.guarantors)
            self.guarantors.setEnabled(treaty.type == "guarantee")
            self.commitment.setValue(treaty.commitment)
            self.mediation.setValue(treaty.mediation)
            self.against.load(states, treaty.conditions.against)
            self.unprovoked.setChecked(treaty.conditions.unprovoked_only)
            self.rule.setCurrentText(treaty.decision.rule)
            self.veto.load(states, treaty.decision.veto)
            self.veto.setEnabled(treaty.decision.rule == "veto")
            self.response.setCurrentText(treaty.decision.response)
            self.response.setEnabled(treaty.type == "collective-security")
            # only the conditions MODEL.md's table gives this type can be set
            taken = CONDITIONS_TAKEN[treaty.type]
            self.against.setEnabled("against" in taken or bool(treaty.conditions.against))
            self.unprovoked.setEnabled("unprovoked_only" in taken or treaty.conditions.unprovoked_only)
        finally:
            self.loading = False


class ScenarioPage(_Page):
    """Meta, settings, scripted events and war plans: shown when nothing is selected."""

    def __init__(self, inspector: Inspector):
        super().__init__(inspector)
        layout = QVBoxLayout(self)
        self.title = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(90)
        self.year = _int_spin(NO_YEAR, 5000)
        self.year.setSpecialValueText("—")  # shown at NO_YEAR: the scenario has no year
        self.year_set = QCheckBox("set")
        meta = QGroupBox("Scenario")
        meta.setLayout(self.form)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year, 1)
        year_row.addWidget(self.year_set)
        add_rows(
            self.form, "meta", (("title", self.title), ("description", self.description), ("year", year_row))
        )
        self.start_date = QLineEdit(placeholderText="YYYY-MM-DD (dates in the narration)")
        add_rows(self.form, "meta", (("start_date", self.start_date),))
        self.start_date.editingFinished.connect(
            lambda: self._meta(start_date=self.start_date.text().strip() or None)
        )
        self.form.addRow(QLabel("Facilitator notes: see the Notes dock."))
        layout.addWidget(meta)
        self.title.editingFinished.connect(lambda: self._meta(title=self.title.text()))
        self._description_timer = QTimer(self, singleShot=True, interval=600)
        self.description.textChanged.connect(self._description_timer.start)
        self._description_timer.timeout.connect(
            lambda: self._meta(description=self.description.toPlainText())
        )
        self.year.valueChanged.connect(
            lambda v: self._meta(year=v if self.year_set.isChecked() and v != NO_YEAR else None)
        )
        self.year_set.toggled.connect(lambda on: self._meta(year=self._year_to_set() if on else None))

        settings = QGroupBox("Simulation settings")
        form = QFormLayout(settings)
        self.seed = _int_spin(0, 2**31 - 1)
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        self.deterrence = QCheckBox("aggressors weigh the expected defence first")
        add_rows(
            form, "settings", (("seed", self.seed), ("mode", self.mode), ("deterrence", self.deterrence))
        )
        self.seed.valueChanged.connect(lambda v: self._settings(seed=v))
        self.mode.activated.connect(lambda _i: self._settings(mode=self.mode.currentText()))
        self.deterrence.toggled.connect(lambda on: self._settings(deterrence=on))
        self.ranges: dict[str, QAbstractSpinBox] = {}
        for key in SETTING_RANGES:
            box = _ruled(SETTING_RULES[key], decimals=3 if SETTING_RANGES[key][1] <= 1 else 2)
            box.valueChanged.connect(lambda v, key=key: self._settings(**{key: v}))
            self.ranges[key] = box
            add_rows(form, "settings", ((key, box),))
        layout.addWidget(settings)

        events = QGroupBox("Scripted attacks")
        events_layout = QVBoxLayout(events)
        self.events = QListWidget()
        self.events.setMaximumHeight(140)
        self.event_tick = _int_spin(0, 100_000)
        self.event_aggressor, self.event_target = _state_combo(), _state_combo()
        self.add_event = QPushButton("Add")
        self.remove_event = QPushButton("Remove")
        event_form = QFormLayout()
        add_rows(
            event_form,
            "event",
            (("tick", self.event_tick), ("aggressor", self.event_aggressor), ("target", self.event_target)),
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_event)
        buttons.addWidget(self.remove_event)
        events_layout.addWidget(self.events)
        events_layout.addLayout(event_form)
        events_layout.addLayout(buttons)
        layout.addWidget(events)
        self.add_event.clicked.connect(self._add_event)
        self.remove_event.clicked.connect(self._remove_event)

        plans = QGroupBox("War plans")
        plans_layout = QVBoxLayout(plans)
        self.plans = QListWidget()
        self.plans.setMaximumHeight(110)
        self.plan_state, self.plan_enemy = _state_combo(), _state_combo()
        self.plan_also = CheckList()  # a plan may open several fronts at once
        plan_row = QFormLayout()
        add_rows(
            plan_row,
            "plan",
            (("state", self.plan_state), ("enemy", self.plan_enemy), ("also", self.plan_also)),
        )
        plan_buttons = QHBoxLayout()
        self.add_plan, self.remove_plan = QPushButton("Add"), QPushButton("Remove")
        plan_buttons.addWidget(self.add_plan)
        plan_buttons.addWidget(self.remove_plan)
        plans_layout.addWidget(self.plans)
        plans_layout.addLayout(plan_row)
        plans_layout.addLayout(plan_buttons)
        layout.addWidget(plans)
        layout.addStretch(1)
        self.add_plan.clicked.connect(self._add_plan)
        self.remove_plan.clicked.connect(self._remove_plan)

    def _year_to_set(self) -> int:
        """The year a scenario gets when "set" is ticked: the one shown, or DEFAULT_YEAR for "—"."""
        return DEFAULT_YEAR if self.year.value() == NO_YEAR else self.year.value()

    def _meta(self, **values) -> None:
        if any(getattr(self.scenario.meta, k) != v for k, v in values.items()):
            self.push(lambda: UpdateMetaCommand(self.scenario, **values))

    def _settings(self, **values) -> None:
        if any(getattr(self.scenario.settings, k) != v for k, v in values.items()):
            self.push(lambda: UpdateSettingsCommand(self.scenario, **values))

    def add_event_for(self, tick: int, aggressor: str, target: str) -> None:
        """Append a scripted attack (one undo step)."""
        events = [*self.scenario.events, ScriptedEvent(tick, aggressor, target)]
        self.push(lambda: SetEventsCommand(self.scenario, events))

    def _add_event(self) -> None:
        self.add_event_for(
            self.event_tick.value(), self.event_aggressor.currentData(), self.event_target.currentData()
        )

    def _remove_event(self) -> None:
        row = self.events.currentRow()
        if row >= 0:
            events = [e for i, e in enumerate(self.scenario.events) if i != row]
            self.push(lambda: SetEventsCommand(self.scenario, events))

    def _add_plan(self) -> None:
        also = self.plan_also.checked()
        plans = [
            *self.scenario.plans,
            Plan(self.plan_state.currentData(), self.plan_enemy.currentData(), also),
        ]
        self.push(lambda: SetPlansCommand(self.scenario, plans))

    def _remove_plan(self) -> None:
        row = self.plans.currentRow()
        if row >= 0:
            plans = [p for i, p in enumerate(self.scenario.plans) if i != row]
            self.push(lambda: SetPlansCommand(self.scenario, plans))

    def load(self) -> None:
        scenario = self.scenario
        name = {s.id: s.name for s in scenario.states}
        self.loading = True
        try:
            meta, settings = scenario.meta, scenario.settings
            self.title.setText(meta.title)
            if self.description.toPlainText() != meta.description:
                with QSignalBlocker(self.description):
                    self.description.setPlainText(meta.description)
            self.year_set.setChecked(meta.year is not None)
            self.year.setEnabled(meta.year is not None)
            self.year.setValue(meta.year if meta.year is not None else NO_YEAR)
            self.start_date.setText(meta.start_date or "")
            self.seed.setValue(settings.seed)
            self.mode.setCurrentText(settings.mode)
            self.deterrence.setChecked(settings.deterrence)
            for key, box in self.ranges.items():
                box.setValue(getattr(settings, key))
            self.events.clear()
            treaty_name = {t.id: t.name or t.id for t in scenario.treaties}
            for e in scenario.events:
                if e.type == "threat":
                    self.events.addItem(
                        f"tick {e.tick}: a threat of {e.size:g} to {treaty_name.get(e.treaty)}"
                    )
                else:
                    self.events.addItem(
                        f"tick {e.tick}: {name.get(e.aggressor)} attacks {name.get(e.target)}"
                    )
            self.plans.clear()
            for p in scenario.plans:
                also = ", ".join(name.get(s, s) for s in p.also_attack) or "nobody else"
                self.plans.addItem(
                    f"{name.get(p.state)} at war with {name.get(p.on_war_with)}: also attacks {also}"
                )
            for combo in (
                self.event_aggressor,
                self.event_target,
                self.plan_state,
                self.plan_enemy,
            ):
                current = combo.currentData()
                combo.clear()
                for state in scenario.states:
                    combo.addItem(state.name, state.id)
                combo.setCurrentIndex(max(0, combo.findData(current)))
            self.plan_also.load([(s.id, s.name) for s in scenario.states], self.plan_also.checked())
        finally:
            self.loading = False


class Inspector(QWidget):
    """Shows the page for the canvas selection: a state, a treaty, several, or the scenario."""

    def __init__(self, document, canvas, parent=None):
        super().__init__(parent)
        self.document, self.canvas = document, canvas
        self.state_page = StatePage(self)
        self.treaty_page = TreatyPage(self)
        self.scenario_page = ScenarioPage(self)
        self.many = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.pages = QStackedWidget()
        for page in (self.scenario_page, self.state_page, self.treaty_page, self.many):
            self.pages.addWidget(page)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.pages)
        self.setMinimumWidth(380)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet(f"color: {vocabulary.SIDE_COLORS['aggressor']}; font-weight: bold;")
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.heading = QLabel(wordWrap=True)  # a long title wraps instead of being cut at the dock's edge
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = self.heading.font()
        font.setPointSizeF(theme.BASE_FONT_POINTS + 3)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        self._reload_timer = QTimer(self, singleShot=True, interval=0)  # one reload per burst of signals
        self._reload_timer.timeout.connect(self.reload)
        document.selection.changed.connect(self.reload)
        connect_view(document.signals.changed, self._reload_timer.start)
        document.scenario_replaced.connect(self.reload)
        self.reload()

    def ask_colour(self, initial: QColor) -> str | None:
        """The colour picker (tests replace this); None when cancelled."""
        colour = QColorDialog.getColor(initial, self, "State colour")
        return colour.name() if colour.isValid() else None

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _show_page(self, page: QWidget) -> None:
        # only the shown page counts for the size: a short form gets no scroll bar from a long one
        for i in range(self.pages.count()):
            shown = self.pages.widget(i) is page
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            self.pages.widget(i).setSizePolicy(policy, policy)
        self.pages.setCurrentWidget(page)
        self.pages.adjustSize()

    def _set_heading(self, text: str) -> None:
        self.heading.setText(text)
        self.heading.setToolTip(text)  # the whole name, however the dock wraps it

    def reload(self) -> None:
        """Show the page for the current selection, filled from the model."""
        states, treaties = self.document.selection.states, self.document.selection.treaties
        scenario = self.document.scenario
        if len(states) + len(treaties) > 1:
            self._set_heading("Selection")
            self.many.setText(
                f"{counted(len(states), 'state')} and {counted(len(treaties), 'treaty')} selected"
            )
            self._show_page(self.many)
        elif states:
            (state_id,) = states
            self._set_heading(f"State: {scenario.state(state_id).name}")
            self.state_page.load(state_id)
            self._show_page(self.state_page)
        elif treaties:
            (treaty_id,) = treaties
            self._set_heading(f"Treaty: {scenario.treaty(treaty_id).name}")
            self.treaty_page.load(treaty_id)
            self._show_page(self.treaty_page)
        else:
            self._set_heading(f"Scenario: {scenario.meta.title}")
            self.scenario_page.load()
            self._show_page(self.scenario_page)


class TreatyList(QListWidget):
    """Every treaty with its type icon; selecting one selects it on the canvas."""

    def __init__(self, document, canvas, parent=None):
        super().__init__(parent)
        self.document, self.canvas = document, canvas
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.refresh)
        self._syncing = False
        self.itemSelectionChanged.connect(self._select_on_canvas)
        document.selection.changed.connect(self._follow_selection)
        # treaty signals only: moving states (every drag) leaves the list alone
        for signal in (
            document.signals.treaty_added,
            document.signals.treaty_removed,
            document.signals.treaty_changed,
        ):
            connect_view(signal, self._schedule_refresh)
        document.scenario_replaced.connect(self.refresh)
        self.refresh()

    def _schedule_refresh(self, *_treaty_and_detail) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        self._syncing = True
        try:
            self.clear()
            for treaty in self.document.scenario.treaties:
                item = QListWidgetItem(treaty_icon(treaty.type), treaty.name)
                item.setData(Qt.ItemDataRole.UserRole, treaty.id)
                item.setToolTip(f"{TREATY_TYPE_NAMES[treaty.type]}: {', '.join(treaty.parties())}")
                self.addItem(item)
        finally:
            self._syncing = False
        self._follow_selection()

    def _select_on_canvas(self) -> None:
        if not self._syncing:
            ids = [item.data(Qt.ItemDataRole.UserRole) for item in self.selectedItems()]
            self.canvas.select([], ids)

    def _follow_selection(self) -> None:
        self._syncing = True
        try:
            for i in range(self.count()):
                item = self.item(i)
                item.setSelected(item.data(Qt.ItemDataRole.UserRole) in self.document.selection.treaties)
        finally:
            self._syncing = False
