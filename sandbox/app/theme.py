"""Colours, fonts and palettes shared by every view of the app.

The canvas, the treaty list and the live helper's log and charts take their
colours from here, so a treaty type or a tie status looks the same everywhere,
in the light and in the dark palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QStyleFactory

# One hue per treaty type; offense is red as the brief and the textbooks have it.
TREATY_COLORS: dict[str, str] = {
    "defense": "#2f6fd0",
    "guarantee": "#8a4fc7",
    "offense": "#d62f2f",
    "neutrality": "#8c8c8c",
    "non-aggression": "#8c8c8c",
    "entente": "#1f9e8a",
    "collective-security": "#e08a00",
}

# Pen style per treaty type in the editing view.
TREATY_LINE_STYLES: dict[str, Qt.PenStyle] = {
    "defense": Qt.PenStyle.SolidLine,
    "guarantee": Qt.PenStyle.SolidLine,
    "offense": Qt.PenStyle.SolidLine,
    "neutrality": Qt.PenStyle.DotLine,
    "non-aggression": Qt.PenStyle.DotLine,
    "entente": Qt.PenStyle.DashLine,
    "collective-security": Qt.PenStyle.SolidLine,
}

# Colours of the run view: a state's side, and a tie's status (engine TieView.status).
SIDE_COLORS: dict[str | None, str] = {
    "aggressor": "#d1343a",
    "defender": "#2a7de1",
    None: "#9aa0a6",
}
TIE_STATUS_COLORS: dict[str, str] = {
    "idle": "#9aa0a6",
    "obliged": "#f0a202",
    "mobilizing": "#f0a202",
    "honoured": "#1e9e4a",
    "reneged": "#c2185b",
    "not-obliged": "#9aa0a6",
    "violation": "#e53935",
    "vetoed": "#7e57c2",
}
STATE_STATUS_COLORS: dict[str, str] = {
    "belligerent": "#d1343a",  # replaced by the side colour when the state has a side
    "defeated": "#5f3b3b",
    "mobilizing": "#f0a202",
    "reneged": "#c2185b",
    "not-obliged": "#b0b5ba",
    "neutral": "#cfd8dc",
    "uninvolved": "#e3e6e8",
}

WARNING_COLOR = "#ff6d00"  # vulnerable-state ring and deterrence callouts
SELECTION_COLOR = "#ffb300"

BASE_FONT_POINTS = 11  # readable on a 1080p projector
STATE_LABEL_POINTS = 15
TREATY_LABEL_POINTS = 13


@dataclass(frozen=True)
class CanvasColors:
    """The canvas colours of one palette."""

    background: QColor
    grid: QColor
    text: QColor
    state_fill: QColor
    state_outline: QColor
    callout_fill: QColor


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the (given or application) palette has a dark window colour."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def canvas_colors(dark: bool) -> CanvasColors:
    if dark:
        return CanvasColors(
            QColor("#1e2227"),
            QColor("#2a2f36"),
            QColor("#eef1f4"),
            QColor("#5c6b7a"),
            QColor("#e6e9ec"),
            QColor(38, 44, 52, 235),
        )
    return CanvasColors(
        QColor("#f7f8fa"),
        QColor("#e6e9ee"),
        QColor("#15191e"),
        QColor("#9fb3c8"),
        QColor("#2b3138"),
        QColor(255, 255, 255, 240),
    )


def dark_palette() -> QPalette:
    """A dark Fusion palette with enough contrast for a projector."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2f35"),
        (roles.WindowText, "#eef1f4"),
        (roles.Base, "#1f2328"),
        (roles.AlternateBase, "#2b3036"),
        (roles.ToolTipBase, "#3a4048"),
        (roles.ToolTipText, "#ffffff"),
        (roles.PlaceholderText, "#9aa3ad"),
        (roles.Text, "#eef1f4"),
        (roles.Button, "#353a41"),
        (roles.ButtonText, "#eef1f4"),
        (roles.BrightText, "#ff5252"),
        (roles.Link, "#6ab0ff"),
        (roles.Highlight, "#3d7fd9"),
        (roles.HighlightedText, "#ffffff"),
    ):
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.ButtonText, roles.WindowText):
        p.setColor(disabled, role, QColor("#7d858f"))
    return p


def light_palette() -> QPalette:
    """Fusion's standard light palette."""
    return QStyleFactory.create("Fusion").standardPalette()


def system_prefers_dark() -> bool:
    """What the platform asks for (QStyleHints.colorScheme); light when it does not say."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app, dark: bool | None = None) -> bool:
    """Give ``app`` the Fusion style, the palette (system choice when ``dark`` is None)
    and the base font; returns whether the dark palette is in use."""
    dark = system_prefers_dark() if dark is None else dark
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())
    font = QFont(app.font())
    if font.pointSizeF() < BASE_FONT_POINTS:
        font.setPointSizeF(BASE_FONT_POINTS)
    app.setFont(font)
    return dark
