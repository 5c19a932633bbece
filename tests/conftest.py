"""Test set-up shared by the core and app suites."""

import os

# Qt must find no display: every GUI test runs offscreen, as on CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
