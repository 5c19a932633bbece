"""The first-run welcome page (the example library, one line each) and the guided tour.

:class:`WelcomePage` lists the bundled examples with their titles and one-line descriptions
(``meta.description`` of each file, through :mod:`sandbox.core.examples`) and emits
:attr:`WelcomePage.example_chosen` or :attr:`WelcomePage.tour_requested`. :class:`GuidedTour`
steps a callout through the main window's parts (canvas, tools, run controls, log, charts) with
Back, Next and Close. ``WELCOME_SHOWN_KEY`` in QSettings records that the page was shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sandbox.core.examples import DEFAULT_EXAMPLE, list_examples, load_example
from sandbox.core.io.fileformat import ScenarioFileError

WELCOME_SHOWN_KEY = "workshop/welcome_shown"
CALLOUT_WIDTH = 380
SPOTLIGHT_COLOR = "#f59e0b"


@dataclass(frozen=True)
class ExampleLine:
    name: str
    title: str
    description: str


def example_lines() -> list[ExampleLine]:
    """Every bundled example with its one-line description (its first line; a file that does not
    load says so instead, so one broken example never hides the others)."""
    lines = []
    for example in list_examples():
        try:
            description = load_example(example.name).meta.description.strip().splitlines()
        except ScenarioFileError as error:
            description = [f"(cannot be opened: {error.problems[0] if error.problems else error})"]
        lines.append(ExampleLine(example.name, example.title, description[0] if description else ""))
    return lines


class WelcomePage(QDialog):
    """The example library as a first-run welcome: double-click or Open loads an example."""

    example_chosen = Signal(str)  # the example's name
    tour_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to the Collective Security Sandbox")
        self.setMinimumSize(760, 520)
        heading = QLabel("<h2>Welcome to the Collective Security Sandbox</h2>")
        intro = QLabel(
            "Draw states and treaties, trigger an attack, and watch obligations cascade. "
            "Start from one of these worlds:"
        )
        intro.setWordWrap(True)
        self.examples = QListWidget()
        self.examples.setWordWrap(True)
        self.examples.setTextElideMode(Qt.TextElideMode.ElideNone)  # a description is read whole
        self.examples.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the lines when the width changes
        self.examples.setAlternatingRowColors(True)
        for line in example_lines():
            item = QListWidgetItem(f"{line.title}\n{line.description}" if line.description else line.title)
            item.setData(Qt.ItemDataRole.UserRole, line.name)
            item.setToolTip(line.description)
            self.examples.addItem(item)
            if line.name == DEFAULT_EXAMPLE:
                self.examples.setCurrentItem(item)
        if self.examples.currentItem() is not None:
            self.examples.scrollToItem(self.examples.currentItem())
        self.examples.itemActivated.connect(lambda _item: self.open_selected())

        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("Open Example", QDialogButtonBox.ButtonRole.AcceptRole)
        self.tour_button = buttons.addButton("Take the Tour", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.open_button.clicked.connect(self.open_selected)
        self.tour_button.clicked.connect(self._request_tour)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.examples, 1)
        layout.addWidget(buttons)

    def selected_example(self) -> str | None:
        item = self.examples.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def open_selected(self) -> None:
        name = self.selected_example()
        if name is not None:
            self.accept()
            self.example_chosen.emit(name)

    def _request_tour(self) -> None:
        self.accept()
        self.tour_requested.emit()


@dataclass(frozen=True)
class TourStep:
    title: str
    text: str
    target: Callable[[], QWidget | None]  # the widget the callout points at (None: the window centre)


def default_steps(window: QMainWindow) -> list[TourStep]:
    """The tour of the main window: canvas, tools, run controls, event log, charts."""
    live = getattr(window, "live", None)

    def tool_bar() -> QWidget | None:
        bars = [b for b in window.findChildren(QToolBar) if b is not window.run_toolbar and b.isVisible()]
        return bars[0] if bars else None

    return [
        TourStep(
            "The world",
            "Each disc is a state, its area its power. Lines are treaties: solid defence pacts, "
            "arrows for guarantees, dashed ententes, hulls for collective security.",
            lambda: window.canvas,
        ),
        TourStep(
            "Tools",
            "Select and move, add states, draw treaties of any type, and the attack tool: "
            "hover a target to see whether the attack would be deterred.",
            tool_bar,
        ),
        TourStep(
            "Run controls",
            "Play, step and reset the run; drag the replay slider to any past tick. "
            "Space, Right, Left and Home do the same from the keyboard.",
            lambda: window.run_toolbar,
        ),
        TourStep(
            "Event log",
            "Every decision in plain English: who honoured, who reneged, and why. "
            "Click a line to highlight the states and the treaty on the canvas.",
            lambda: getattr(live, "event_log", None),
        ),
        TourStep(
            "Charts",
            "Stability, the balance of strength, the number of states at war, and who carries the burden.",
            lambda: getattr(live, "charts", None),
        ),
    ]


class GuidedTour(QObject):
    """A callout stepping through ``steps`` over ``window``; :meth:`start` shows the first one."""

    finished = Signal()

    def __init__(self, window: QMainWindow, steps: list[TourStep] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.steps = steps if steps is not None else default_steps(window)
        self.index = -1
        self.spotlight = QFrame(window)
        self.spotlight.setObjectName("TourSpotlight")
        self.spotlight.setStyleSheet(
            f"#TourSpotlight {{ border: 4px solid {SPOTLIGHT_COLOR}; border-radius: 8px; background: none; }}"
        )
        self.spotlight.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.spotlight.hide()
        self.callout = QFrame(window)
        self.callout.setObjectName("TourCallout")
        self.callout.setFrameShape(QFrame.Shape.StyledPanel)
        self.callout.setAutoFillBackground(True)
        self.callout.setStyleSheet(
            f"#TourCallout {{ background-color: palette(base); border: 3px solid {SPOTLIGHT_COLOR};"
            " border-radius: 10px; }"
        )
        self.callout.setFixedWidth(CALLOUT_WIDTH)
        self.title = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.counter = QLabel()
        self.back_button = QPushButton("Back")
        self.next_button = QPushButton("Next")
        self.close_button = QPushButton("Close")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self.callout)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.callout.hide()
        window.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.index >= 0

    def start(self) -> None:
        self.show_step(0)

    def next(self) -> None:
        if self.index + 1 < len(self.steps):
            self.show_step(self.index + 1)
        else:
            self.close()

    def back(self) -> None:
        if self.index > 0:
            self.show_step(self.index - 1)

    def close(self) -> None:
        was_active = self.active
        self.index = -1
        self.callout.hide()
        self.spotlight.hide()
        if was_active:
            self.finished.emit()

    def show_step(self, index: int) -> None:
        self.index = index
        step = self.steps[index]
        self.title.setText(f"<h3>{step.title}</h3>")
        self.text.setText(step.text)
        self.counter.setText(f"{index + 1} of {len(self.steps)}")
        self.back_button.setEnabled(index > 0)
        self.next_button.setText("Finish" if index == len(self.steps) - 1 else "Next")
        target = step.target()
        if isinstance(target, QDockWidget):  # it may be a tab behind another
            target.show()
            target.raise_()
        self._place()
        self.callout.show()
        self.callout.raise_()
        self.next_button.setFocus()

    def target_rect(self) -> QRect | None:
        """The current step's target in window coordinates (None: no visible target)."""
        target = self.steps[self.index].target()
        if target is None or not target.isVisible():
            return None
        return QRect(target.mapTo(self.window, QPoint(0, 0)), target.size())

    def _place(self) -> None:
        # a word-wrapped label needs its height for the fixed width, which adjustSize does not ask
        height = max(self.callout.layout().heightForWidth(CALLOUT_WIDTH), self.callout.sizeHint().height())
        self.callout.resize(CALLOUT_WIDTH, height)
        area = self.window.rect()
        rect = self.target_rect()
        size = self.callout.size()
        if rect is None:
            self.spotlight.hide()
            self.callout.move(area.center() - QPoint(size.width() // 2, size.height() // 2))
            return
        self.spotlight.setGeometry(rect.adjusted(-2, -2, 2, 2).intersected(area))
        self.spotlight.show()
        self.spotlight.raise_()
        # Beside the target where there is room, else inside it near its top-left corner.
        if rect.right() + 16 + size.width() <= area.right():
            pos = QPoint(rect.right() + 16, rect.top())
        elif rect.left() - 16 - size.width() >= area.left():
            pos = QPoint(rect.left() - 16 - size.width(), rect.top())
        elif rect.bottom() + 16 + size.height() <= area.bottom():
            pos = QPoint(rect.left(), rect.bottom() + 16)
        else:
            pos = QPoint(rect.left() + 24, rect.top() + 24)
        pos.setX(min(max(pos.x(), area.left() + 8), area.right() - size.width() - 8))
        pos.setY(min(max(pos.y(), area.top() + 8), area.bottom() - size.height() - 8))
        self.callout.move(pos)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self.active:
            self._place()
        return False
