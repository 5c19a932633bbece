"""The room package stands apart from the app: it imports without Qt, and its page uses the app's colours."""

import re
from importlib import resources

from builders import qt_modules_imported_by

from sandbox.app.style import theme, vocabulary


def test_the_room_imports_without_qt():
    assert (
        qt_modules_imported_by(["sandbox.room.server", "sandbox.core.room_compare", "sandbox.cli.commands"])
        == []
    )


def test_the_page_uses_the_apps_colours():
    css = resources.files("sandbox.room").joinpath("page.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", css))
    assert colours["honour"] == vocabulary.TIE_STATUS_COLORS["honoured"]
    assert colours["renege"] == vocabulary.STATE_STATUS_COLORS["reneged"]
    assert colours["reneged-ring"] == vocabulary.RENEGED_OUTLINE
    assert colours["aggressor"] == vocabulary.SIDE_COLORS["aggressor"]
    assert colours["defender"] == vocabulary.SIDE_COLORS["defender"]
    assert colours["mobilizing"] == vocabulary.STATE_STATUS_COLORS["mobilizing"]
    assert colours["uninvolved"] == vocabulary.STATE_STATUS_COLORS["uninvolved"]
    assert colours["defeated"] == vocabulary.STATE_STATUS_COLORS["defeated"]
    assert colours["warning"] == theme.WARNING_COLOR
    light = theme.canvas_colors(dark=False)
    assert (colours["paper"], colours["panel"], colours["ink"]) == (
        light.background.name(),
        light.grid.name(),
        light.text.name(),
    )
