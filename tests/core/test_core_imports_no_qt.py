"""sandbox.core never imports Qt: every core module imports in a fresh interpreter without PySide6."""

import pkgutil
import subprocess
import sys

import sandbox.core


def test_core_modules_import_without_qt():
    modules = [f"sandbox.core.{m.name}" for m in pkgutil.iter_modules(sandbox.core.__path__)]
    assert "sandbox.core.sim" in modules and "sandbox.core.metrics" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
