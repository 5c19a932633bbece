"""The wheel that `pip install .` builds holds every module of the source tree.

The README's first command installs the project from a wheel, not in editable mode, so a
package missing from `[tool.setuptools] packages` is missing from every real install while
the editable test venv still finds it (sandbox.core.sim was, and the app could not run).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_scenario_of_the_source_tree(tmp_path):
    # A copy, so that a build/ folder left in the checkout by an earlier build cannot fill the gap.
    source = tmp_path / "source"
    for name in ("sandbox", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "sandbox").rglob("*.py")}
    assert modules - shipped == set()
    scenarios = {
        "sandbox/resources/" + p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources" / "scenarios").glob("*.sandbox")
    }
    assert scenarios and scenarios - shipped == set()
    # the room's participant page is served from the package
    page = {f"sandbox/room/page.{ext}" for ext in ("html", "js", "css")}
    assert page - shipped == set()
