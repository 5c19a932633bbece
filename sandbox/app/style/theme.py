"""Palettes, fonts and the canvas colours of each theme, shared by every view of the app.

The theme says how things are shown in the light, dark and projector palettes (window and canvas
colours, the projector's saturated fills, type sizes). What a status, side, tie status or treaty
type is called, and its colour, is the display vocabulary's (:mod:`sandbox.app.style.vocabulary`),
the same in every theme.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QStyleFactory

from sandbox.core.scenario import DEFAULT_COLOR

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

WARNING_COLOR = "#ff6d00"  # vulnerable-state ring and deterrence callouts
SELECTION_COLOR = "#ffb300"

BASE_FONT_POINTS = 11  # readable on a 1080p projector
STATE_LABEL_POINTS = 15


@dataclass(frozen=True)
class CanvasColors:
    """The canvas colours of one palette; ``vivid`` asks for state fills saturated further (a
    projector washes colours out)."""

    background: QColor
    grid: QColor
    text: QColor
    state_fill: QColor
    state_outline: QColor
    callout_fill: QColor
    vivid: bool = False

    def fill(self, colour: str | QColor) -> QColor:
        """A state's fill as this palette shows it."""
        colour = QColor(colour)
        if self.vivid:
            h, s, v, a = colour.getHsv()
            colour = QColor.fromHsv(h, min(255, int(s * 1.3) + 20) if s > 40 else s, v, a)
        return colour


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the (given or application) palette has a dark window colour."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def canvas_colors(dark: bool, projector: bool = False) -> CanvasColors:
    """The canvas colours of the dark or light palette, or of presenter mode's projector
    (high contrast: dark navy ink on warm off-white, no black, saturated state colours)."""
    if projector:
        return CanvasColors(
            QColor("#fbf8ef"),
            QColor("#e7e1d2"),
            QColor("#0f2345"),
            QColor("#3d7cc9"),
            QColor("#0f2345"),
            QColor(255, 253, 247, 245),
            vivid=True,
        )
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
        QColor(DEFAULT_COLOR),
        QColor("#2b3138"),
        QColor(255, 255, 255, 240),
    )


def palette_theme(palette: QPalette | None = None) -> str:
    """The name of the theme whose palette this is (or the application's): light, dark or projector."""
    palette = palette or QGuiApplication.palette()
    if palette.color(QPalette.ColorRole.Window).name() == PROJECTOR_COLORS["window"]:
        return "projector"
    return "dark" if is_dark(palette) else "light"


def palette_canvas_colors(palette: QPalette | None = None) -> CanvasColors:
    """The canvas colours that go with a palette (projector colours with the projector's)."""
    name = palette_theme(palette)
    return canvas_colors(name == "dark", projector=name == "projector")


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


# Projected light washes out pure black and pale tints: ink-navy text on warm off-white, and
# saturated accents.
PROJECTOR_COLORS = {
    "window": "#f6f3ea",
    "base": "#fffdf7",
    "alternate": "#ece7da",
    "text": "#14213d",
    "button": "#e6e0d0",
    "highlight": "#1d4ed8",
    "highlighted_text": "#fffdf7",
    "link": "#1d4ed8",
    "disabled": "#6b7280",
    "tooltip": "#fff6d5",
}


def projector_palette() -> QPalette:
    """The light, high-contrast palette of presenter mode."""
    c = PROJECTOR_COLORS
    roles = QPalette.ColorRole
    palette = QPalette()
    for role, colour in (
        (roles.Window, c["window"]),
        (roles.WindowText, c["text"]),
        (roles.Base, c["base"]),
        (roles.AlternateBase, c["alternate"]),
        (roles.Text, c["text"]),
        (roles.Button, c["button"]),
        (roles.ButtonText, c["text"]),
        (roles.BrightText, "#b91c1c"),
        (roles.Highlight, c["highlight"]),
        (roles.HighlightedText, c["highlighted_text"]),
        (roles.Link, c["link"]),
        (roles.ToolTipBase, c["tooltip"]),
        (roles.ToolTipText, c["text"]),
        (roles.PlaceholderText, c["disabled"]),
    ):
        palette.setColor(role, QColor(colour))
    for role in (roles.Text, roles.ButtonText, roles.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["disabled"]))
    return palette


def system_prefers_dark() -> bool:
    """What the platform asks for (QStyleHints.colorScheme); light when it does not say."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


THEMES = ("light", "dark", "projector")  # what View > Theme and --theme offer
THEME_KEY = "view/theme"  # QSettings: the theme last chosen (none: follow the system)


def theme_palette(name: str) -> QPalette:
    """The palette of a theme in THEMES."""
    return {"light": light_palette, "dark": dark_palette, "projector": projector_palette}[name]()


def apply_theme(app, name: str | None = None) -> str:
    """Give ``app`` the Fusion style, the palette of theme ``name`` (the system's light or dark
    choice when None) and the base font; returns the theme's name."""
    name = name if name in THEMES else "dark" if system_prefers_dark() else "light"
    app.setStyle("Fusion")
    app.setPalette(theme_palette(name))
    font = QFont(app.font())
    if font.pointSizeF() < BASE_FONT_POINTS:
        font.setPointSizeF(BASE_FONT_POINTS)
    app.setFont(font)
    return name


GRAPHIC_CONTRAST = 3.0  # WCAG 2.1 SC 1.4.11: a graphical object against what is beside it


def relative_luminance(colour: QColor) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour (0 black .. 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2.1's contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def edge_on(colour: QColor, background: QColor, ratio: float = GRAPHIC_CONTRAST) -> QColor:
    """A shade of ``colour`` that stands out from ``background`` by ``ratio``: darker on a light
    background, lighter on a dark one (the outline of a mark whose own hue is too faint there)."""
    shade = QColor(colour)
    dark_background = relative_luminance(background) < 0.18
    for _ in range(40):
        if contrast_ratio(shade, background) >= ratio:
            return shade
        shade = shade.lighter(115) if dark_background else shade.darker(115)
        if dark_background and shade.value() == 255:  # as light as the hue goes: towards white
            shade = QColor.fromRgbF(*(c + (1 - c) * 0.25 for c in shade.getRgbF()[:3]))
    return QColor("white" if dark_background else "black")
