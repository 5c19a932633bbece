"""The floor plan of pyproject.toml's [tool.importlinter]: the core never imports Qt, pyqtgraph, the
app or the CLI; the CLI never imports Qt or the app; the room server never imports Qt, the app or the
CLI; the app's rooms import one way; no cycles."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = [
    c["name"]
    for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
]


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts on the ``sandbox`` package found in ``tree``."""
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, cache_dir=None))"
    )
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_project_keeps_every_contract():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in done.stdout


def test_each_contract_catches_the_import_it_forbids(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "sandbox", tree / "sandbox", ignore=shutil.ignore_patterns("__pycache__"))

    def add(path: str, line: str) -> None:
        target = tree / "sandbox" / path
        target.write_text((target.read_text() if target.exists() else "") + f"\n{line}\n")

    add("core/text.py", "import PySide6.QtCore")  # the core reaching for Qt
    add("cli/commands.py", "import pyqtgraph")  # the CLI drawing
    add("room/protocol.py", "import PySide6.QtCore")  # the room server reaching for Qt
    add("app/document/document.py", "from sandbox.app.canvas import canvas")  # a room importing upwards
    add("core/cycle_a.py", "from sandbox.core import cycle_b")  # two modules importing each other
    add("core/cycle_b.py", "from sandbox.core import cycle_a")
    done = lint(tree)
    assert done.returncode == 1, done.stdout + done.stderr
    for name in CONTRACTS:
        assert f"{name} BROKEN" in done.stdout, done.stdout
