"""The PyInstaller bundle: its macOS document type, what it leaves out, and a frozen smoke run."""

from __future__ import annotations

import importlib.util
import json
import os
import plistlib
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path

import pytest

from sandbox.core.io.fileformat import save_scenario
from sandbox.core.scenario import Meta, Scenario, ScriptedEvent, State, Treaty

ROOT = Path(__file__).resolve().parents[2]
PYINSTALLER = ROOT / "packaging" / "pyinstaller"
SPEC = PYINSTALLER / "security-sandbox.spec"


def load_bundle_info():
    spec = importlib.util.spec_from_file_location("bundle_info", PYINSTALLER / "bundle_info.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def offscreen_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}


def write_world(path: Path) -> Path:
    """A small scenario with a scripted attack, so a few ticks draw a war."""
    world = Scenario(
        [
            State("RED", "Redland", 20.0, position=(100.0, 100.0)),  # strong enough not to be deterred
            State("BLU", "Blueland", 6.0, position=(400.0, 120.0)),
            State("GRN", "Greenland", 5.0, position=(250.0, 380.0)),
        ],
        [Treaty("pact", "Blue-Green Pact", "defense", ["BLU", "GRN"])],
        events=[ScriptedEvent(0, "RED", "BLU")],
        meta=Meta(title="Three states"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    save_scenario(world, path)
    return path


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_macos_document_type_declares_sandbox_files():
    info = load_bundle_info()
    plist = plistlib.loads(plistlib.dumps(info.INFO_PLIST))  # serialisable as an Info.plist
    (document,) = plist["CFBundleDocumentTypes"]
    (exported,) = plist["UTExportedTypeDeclarations"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]]
    assert document["CFBundleTypeRole"] == "Editor"
    tags = exported["UTTypeTagSpecification"]
    assert tags["public.filename-extension"] == ["sandbox"]
    linux_type = ET.parse(ROOT / "packaging" / "linux" / "security-sandbox.xml").getroot()[0].get("type")
    assert tags["public.mime-type"] == [linux_type]
    assert plist["CFBundleShortVersionString"] == version("collective-security-sandbox")


def test_platform_icons_are_real_icon_files():
    assert (PYINSTALLER / "security-sandbox.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (PYINSTALLER / "security-sandbox.icns").read_bytes()[:4] == b"icns"


def test_the_app_needs_none_of_the_modules_the_bundle_leaves_out(tmp_path):
    # Run the app as the bundle would (open a file, tick the live view, screenshot) and
    # list what it imported: an excluded module here would crash the frozen app.
    world, out = write_world(tmp_path / "world.sandbox"), tmp_path / "shot.png"
    probe = (
        "import json, sys\n"
        "from sandbox.app.shell.main import main\n"
        f"code = main([{str(world)!r}, '--screenshot', {str(out)!r}, '--ticks', '3'])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=offscreen_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    code, modules = json.loads(done.stdout.splitlines()[-1])
    assert code == 0 and out.stat().st_size > 0, done.stderr
    excluded = load_bundle_info().EXCLUDES
    needed = [m for m in modules if any(m == x or m.startswith(x + ".") for x in excluded)]
    assert needed == []


@pytest.mark.slow
def test_frozen_bundle_takes_a_screenshot_and_installs_its_desktop_entry(tmp_path):
    from sandbox.app.shell.main import SCREENSHOT_SIZE

    if sys.platform.startswith("linux"):
        assert shutil.which("objdump"), "PyInstaller needs objdump on Linux: apt-get install binutils"
    dist, work = tmp_path / "dist", tmp_path / "build"
    started = time.monotonic()
    built = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )  # fmt: skip
    build_seconds = time.monotonic() - started
    assert built.returncode == 0, built.stderr[-4000:]
    bundle = dist / "security-sandbox"
    program = bundle / ("security-sandbox.exe" if sys.platform == "win32" else "security-sandbox")
    assert program.is_file()
    # PyInstaller links each Qt library from _internal/ to PySide6/Qt/lib: count files once.
    size_mib = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    print(f"bundle: {size_mib:.0f} MiB, built in {build_seconds:.0f} s")
    # Unused Qt modules stay out (their libraries would add tens of MiB).
    qt_files = {p.name for p in bundle.rglob("*")}
    assert not any(name.startswith(("libQt6Qml", "libQt6Quick", "QtQml", "QtQuick")) for name in qt_files)
    assert not (bundle / "_internal" / "dask").exists()
    resources = bundle / "_internal" / "sandbox" / "resources"
    assert (resources / "icons" / "security-sandbox.svg").is_file()
    examples = sorted(p.name for p in (ROOT / "resources" / "scenarios").glob("*.sandbox"))
    assert sorted(p.name for p in (resources / "scenarios").glob("*.sandbox")) == examples

    # A scenario from a path with a space, as a file manager would pass it.
    scenario = write_world(tmp_path / "my worlds" / "three states.sandbox")
    shot = tmp_path / "frozen.png"
    run = subprocess.run(
        [str(program), str(scenario), "--screenshot", str(shot), "--ticks", "3"],
        capture_output=True, text=True, timeout=120, env=offscreen_env(), cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert png_size(shot.read_bytes()) == SCREENSHOT_SIZE
    assert shot.stat().st_size > 20_000  # a drawn window, not a blank one

    # Bad input from the frozen app: the problems on stderr, exit 2, no traceback.
    bad = tmp_path / "bad.sandbox"
    bad.write_text('{"format": "collective-security-sandbox", "version": 1, "states": [{"id": "A"}]}')
    refused = subprocess.run(
        [str(program), str(bad), "--screenshot", str(tmp_path / "no.png")],
        capture_output=True, text=True, timeout=120, env=offscreen_env(),
    )  # fmt: skip
    assert refused.returncode == 2
    assert f"{bad}: states[0]" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "no.png").exists()

    if sys.platform.startswith("linux"):
        # The bundle carries the desktop integration, pointed at its own executable.
        data = tmp_path / "data"
        installed = subprocess.run(
            ["bash", str(bundle / "linux" / "install.sh")],
            capture_output=True, text=True, timeout=60,
            env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_DATA_HOME": str(data),
                 "XDG_CONFIG_HOME": str(tmp_path / "config")},
        )  # fmt: skip
        assert installed.returncode == 0, installed.stderr
        entry = (data / "applications" / "security-sandbox.desktop").read_text()
        assert f'Exec="{program.resolve()}" %f' in entry
        assert (data / "icons" / "hicolor" / "256x256" / "apps" / "security-sandbox.png").is_file()
