"""The room package stands apart from the app: it imports without Qt, and its page uses the app's colours."""

import re
import subprocess
import sys
from importlib import resources

from sandbox.app.style import theme


def test_the_room_imports_without_qt():
    code = (
        "import sys, sandbox.room.server, sandbox.core.room_compare, sandbox.cli.commands\n"
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in qt)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_page_uses_the_apps_colours():
    css = resources.files("sandbox.room").joinpath("page.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", css))
    assert colours["honour"] == theme.TIE_STATUS_COLORS["honoured"]
    assert colours["renege"] == theme.STATE_STATUS_COLORS["reneged"]
    assert colours["reneged-ring"] == theme.RENEGED_OUTLINE
    assert colours["aggressor"] == theme.SIDE_COLORS["aggressor"]
    assert colours["defender"] == theme.SIDE_COLORS["defender"]
    assert colours["mobilizing"] == theme.STATE_STATUS_COLORS["mobilizing"]
    assert colours["warning"] == theme.WARNING_COLOR
    light = theme.canvas_colors(dark=False)
    assert (colours["paper"], colours["panel"], colours["ink"]) == (
        light.background.name(),
        light.grid.name(),
        light.text.name(),
    )
