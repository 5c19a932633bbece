"""Render the app icon from resources/icons/security-sandbox.svg.

Writes resources/icons/security-sandbox-SIZE.png for every size in SIZES (the
hicolor theme and the window icon use them) and the platform icons the
PyInstaller spec embeds: packaging/pyinstaller/security-sandbox.ico (Windows)
and security-sandbox.icns (macOS). Run it after editing the SVG and commit the
results:

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "security-sandbox.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# The platform icons: a 256 px .ico is what Windows shows largest; .icns takes 512 px.
PLATFORM_ICONS = {"security-sandbox.ico": 256, "security-sandbox.icns": 512}


def png_path(size: int) -> Path:
    """Where the PNG of this size lives (the install script and tests use it too)."""
    return SVG.parent / f"security-sandbox-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon as a square ARGB image, antialiased, transparent outside the mark."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs one
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"{SVG}: not a valid SVG", file=sys.stderr)
        return 2
    targets = [(png_path(size), size) for size in SIZES]
    targets += [(ROOT / "packaging" / "pyinstaller" / name, size) for name, size in PLATFORM_ICONS.items()]
    for path, size in targets:
        if not render(renderer, size).save(str(path)):
            print(f"{path}: could not write", file=sys.stderr)
            return 2
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
