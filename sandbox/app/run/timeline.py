"""The replay timeline: a slider over the ticks a run has done so far.

The slider's value is a tick label as in the event log and the report (the
first tick is 0). Moving it by hand emits :attr:`Timeline.tick_chosen`; the
live view then shows that tick everywhere. Setting it from code emits nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QWidget


class SteadyLabel(QLabel):
    """A label as wide as the widest of the texts it may show, in its current font (presenter
    mode's large type included): a new text never moves the widgets beside it."""

    def __init__(self, texts: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = max(self.fontMetrics().horizontalAdvance(text) for text in [self.text(), *self.texts])
        return QSize(width + margins.left() + margins.right() + 8, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class Timeline(QWidget):
    """A slider from tick 0 to the run's last tick, with a "t / n" label (and, first, what
    :meth:`lead_with` gives it)."""

    tick_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setMinimumWidth(100)  # grows into the room left; at 1280 the run bar is full
        self.slider.setPageStep(5)
        self.slider.setTracking(True)
        self.slider.setToolTip("Replay: drag to any past tick of the run (Left/Right while paused)")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the window's Left/Right shortcuts scrub it
        self.slider.valueChanged.connect(self._moved)
        self.label = SteadyLabel(["000 / 000"], self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.box = QHBoxLayout(self)
        self.box.setContentsMargins(6, 0, 6, 0)
        self.box.addWidget(QLabel("Replay", self))
        self.box.addWidget(self.slider, 1)
        self.box.addWidget(self.label)
        self.last_tick: int | None = None
        self.set_run(None)

    def lead_with(self, widget: QWidget) -> None:
        """Put ``widget`` (the run bar's tick and result) first, at its own width: a longer text
        takes room from the slider, and no gap is left beside a short one."""
        self.box.insertWidget(0, widget)
        self.box.insertSpacing(1, 6)

    def sizeHint(self) -> QSize:
        # the tool bar lays widgets out at their size hints and moves what does not fit into its
        # overflow menu: the slider asks for its minimum and expands into the room left over
        return self.minimumSizeHint()

    @property
    def viewed_tick(self) -> int | None:
        return None if self.last_tick is None else self.slider.value()

    def set_run(self, last_tick: int | None, viewed: int | None = None) -> None:
        """Span ticks 0..``last_tick`` (None: nothing to replay) and show ``viewed``
        (default the last tick)."""
        self.last_tick = last_tick
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(last_tick or 0, 0))
        if last_tick is not None:
            self.slider.setValue(last_tick if viewed is None else viewed)
        self.slider.blockSignals(False)
        self.slider.setEnabled(last_tick is not None and last_tick > 0)
        self._update_label()

    def _moved(self, value: int) -> None:
        self._update_label()
        self.tick_chosen.emit(value)

    def _update_label(self) -> None:
        if self.last_tick is None:
            self.label.setText("–")
        else:
            self.label.setText(f"{self.slider.value()} / {self.last_tick}")
