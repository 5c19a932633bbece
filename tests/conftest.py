"""Test set-up shared by the core and app suites."""

import json
import os
import tempfile
from pathlib import Path

from hypothesis import settings

# Qt must find no display: every GUI test runs offscreen, as on CI, on one screen of 1920x1200
# (windows never open larger than their screen: Qt's default offscreen screen is 800x800).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    _screen = Path(tempfile.gettempdir()) / f"sandbox-test-screen-{os.getpid()}.json"
    _screen.write_text(
        json.dumps({"screens": [{"name": "Test", "x": 0, "y": 0, "width": 1920, "height": 1200,
                                 "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}]})
    )  # fmt: skip
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"

# No example database (it would be a folder at the top of the project) and no
# deadline (2 shared cores make timings noisy). On CI the examples are drawn from
# a fixed seed, so a run is reproducible; locally they vary and keep exploring.
settings.register_profile("sandbox", deadline=None, database=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("sandbox")
