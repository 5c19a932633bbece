"""Fixtures for app tests (the live helper's tests use them too).

- ``world``: a fresh small July-1914-like Scenario (8 states, 7 treaties of every drawing kind);
  ``new_world()`` builds another one.
- ``make_window(scenario=None, path=None)``: a shown MainWindow with settings and recovery files
  under tmp_path; every dialog method fails the test unless the test replaces it
  (``monkeypatch.setattr(window, "ask_save_changes", lambda: "discard")``); unsaved changes are
  discarded on close.
- ``main_window``: ``make_window(world)``.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from sandbox.core.scenario import Meta, Scenario, ScriptedEvent, Settings, State, Treaty

# Qt's standard folders go to a test location: nothing of a developer's own is touched
QStandardPaths.setTestModeEnabled(True)

DIALOGS = ("ask_open_path", "ask_save_path", "ask_restore", "show_file_error", "show_save_error")


def small_world() -> Scenario:
    states = [
        State("GER", "Germany", 14.2, gdp=237.0, reliability=0.9, position=(420, 180)),
        State("AUH", "Austria-Hungary", 6.0, position=(520, 300)),
        State("FRA", "France", 7.0, position=(200, 220), color="#3050c0"),
        State("RUS", "Russia", 12.0, mobilization=3, position=(750, 160)),
        State("UK", "United Kingdom", 11.0, position=(180, 40)),
        State("BEL", "Belgium", 1.0, position=(300, 150)),
        State("SRB", "Serbia", 0.5, position=(600, 420)),
        State("ITA", "Italy", 4.0, reliability=0.3, position=(380, 420)),
    ]
    treaties = [
        Treaty("dual", "Dual Alliance", "defense", ["GER", "AUH"]),
        Treaty("franco-russian", "Franco-Russian Alliance", "defense", ["FRA", "RUS"]),
        Treaty("entente", "Triple Entente", "entente", ["FRA", "RUS", "UK"]),
        Treaty("london", "Treaty of London", "guarantee", ["BEL"], ["UK"]),
        Treaty("slav", "Russia-Serbia", "entente", ["RUS", "SRB"]),
        Treaty("triple", "Triple Alliance", "defense", ["GER", "AUH", "ITA"]),
        Treaty("league", "League", "collective-security", ["FRA", "UK", "ITA", "BEL"]),
    ]
    return Scenario(
        states,
        treaties,
        events=[ScriptedEvent(0, "AUH", "SRB")],
        settings=Settings(seed=1914),
        meta=Meta(title="Small 1914", notes="# Notes\n\nA *small* world."),
    )


@pytest.fixture
def world() -> Scenario:
    return small_world()


@pytest.fixture(scope="session")
def new_world():
    """The function building a fresh ``world`` (for hypothesis tests, which want no function fixtures)."""
    return small_world


@pytest.fixture
def make_window(qtbot, tmp_path):
    from sandbox.app.shell.main_window import MainWindow

    def make(scenario: Scenario | None = None, path: str | None = None, settings: QSettings | None = None):
        fixed_size = settings is None  # a given QSettings may hold a saved geometry to restore
        settings = settings or QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(scenario, path, settings=settings, recovery_dir=tmp_path / "recovery")
        for name in DIALOGS:
            setattr(window, name, _unexpected(name))
        window.ask_save_changes = lambda: "discard"
        qtbot.addWidget(window)
        if fixed_size:
            window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def main_window(make_window, world):
    return make_window(world)


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"unexpected dialog {name}{args}")

    return fail


def pytest_collection_modifyitems(items):
    # the offscreen platform says this whenever a dock window is shown; it is not a problem of ours
    for item in items:
        if "tests/app" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
