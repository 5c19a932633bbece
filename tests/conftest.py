"""Test set-up shared by the core and app suites."""

import os

from hypothesis import settings

# Qt must find no display: every GUI test runs offscreen, as on CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No example database (it would be a folder at the top of the project) and no
# deadline (2 shared cores make timings noisy). On CI the examples are drawn from
# a fixed seed, so a run is reproducible; locally they vary and keep exploring.
settings.register_profile("sandbox", deadline=None, database=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("sandbox")
