"""sandbox.core never imports Qt: every core module imports in a fresh interpreter without PySide6."""

import pkgutil

from builders import qt_modules_imported_by

import sandbox.core


def test_core_modules_import_without_qt():
    modules = [f"sandbox.core.{m.name}" for m in pkgutil.iter_modules(sandbox.core.__path__)]
    assert "sandbox.core.sim" in modules and "sandbox.core.metrics" in modules
    assert qt_modules_imported_by(modules) == []
