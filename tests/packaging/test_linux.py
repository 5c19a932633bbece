"""The Linux desktop integration: desktop entry, MIME type, per-user install and uninstall."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install {package} (.ci/run does)"
    return path


def read_desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def validate_desktop_entry(path: Path) -> None:
    done = subprocess.run(
        [tool("desktop-file-validate", "desktop-file-utils"), str(path)], capture_output=True, text=True
    )
    # Hints (e.g. two main categories, as the brief asks) are advice; errors and warnings are not.
    problems = [line for line in done.stdout.splitlines() if ": error:" in line or ": warning:" in line]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr


def test_desktop_entry_is_valid_and_opens_sandbox_files():
    path = LINUX / "security-sandbox.desktop"
    validate_desktop_entry(path)
    entry = read_desktop_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[-1] == "%f"
    assert entry["Icon"] == "security-sandbox"
    assert entry["MimeType"] == "application/x-security-sandbox;"
    assert {"Education", "Science"} <= set(entry["Categories"].split(";"))
    assert entry["Terminal"] == "false"


def test_mime_type_is_valid_xml_with_glob_and_comment():
    path = LINUX / "security-sandbox.xml"
    done = subprocess.run(
        [tool("xmllint", "libxml2-utils"), "--noout", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    root = ET.parse(path).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime_type,) = root.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == "application/x-security-sandbox"
    assert [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")] == ["*.sandbox"]
    assert mime_type.findtext(f"{MIME_NS}comment").strip()


@pytest.fixture
def home(tmp_path: Path) -> dict[str, Path]:
    """An empty home with its own XDG folders and a stand-in for the installed program."""
    places = {name: tmp_path / name for name in ("home", "data", "config")}
    for path in places.values():
        path.mkdir()
    program = tmp_path / "bin dir" / "security-sandbox"  # a space, as in many real paths
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    places["program"] = program
    return places


def run_script(name: str, home: dict[str, Path], *args: str, path: str = "") -> subprocess.CompletedProcess:
    env = {
        "PATH": path or os.environ["PATH"],
        "HOME": str(home["home"]),
        "XDG_DATA_HOME": str(home["data"]),
        "XDG_CONFIG_HOME": str(home["config"]),
    }
    return subprocess.run(
        ["bash", str(LINUX / name), *args], env=env, capture_output=True, text=True, cwd=home["home"]
    )


def tree(*roots: Path) -> dict[str, bytes]:
    """Every file under the roots with its bytes, keyed by path (folders end in /)."""
    found = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            found[str(path) + ("/" if path.is_dir() else "")] = b"" if path.is_dir() else path.read_bytes()
    return found


def our_files(data: Path) -> list[Path]:
    icons = data / "icons" / "hicolor"
    return [
        data / "applications" / "security-sandbox.desktop",
        data / "mime" / "packages" / "security-sandbox.xml",
        icons / "scalable" / "apps" / "security-sandbox.svg",
        *(icons / f"{size}x{size}" / "apps" / "security-sandbox.png" for size in ICON_SIZES),
    ]


def test_install_twice_then_uninstall_twice_leaves_the_home_as_it_was(home):
    before = tree(home["home"], home["data"], home["config"])
    first = run_script("install.sh", home, "--exec", str(home["program"]))
    assert first.returncode == 0, first.stderr
    installed = tree(home["home"], home["data"], home["config"])
    second = run_script("install.sh", home, "--exec", str(home["program"]))
    assert second.returncode == 0, second.stderr
    assert tree(home["home"], home["data"], home["config"]) == installed

    data = home["data"]
    for path in our_files(data):
        assert path.is_file(), path
    desktop = data / "applications" / "security-sandbox.desktop"
    validate_desktop_entry(desktop)
    assert read_desktop_entry(desktop)["Exec"] == f'"{home["program"]}" %f'
    # The PNGs are the committed renders, byte for byte.
    icons = LINUX.parents[1] / "resources" / "icons"
    assert (data / "icons/hicolor/48x48/apps/security-sandbox.png").read_bytes() == (
        icons / "security-sandbox-48.png"
    ).read_bytes()
    tool("update-mime-database", "shared-mime-info")
    assert "application/x-security-sandbox:*.sandbox" in (data / "mime" / "globs2").read_text()
    if shutil.which("xdg-mime"):
        assert (
            "application/x-security-sandbox=security-sandbox.desktop"
            in (home["config"] / "mimeapps.list").read_text()
        )

    for _ in range(2):
        gone = run_script("uninstall.sh", home)
        assert gone.returncode == 0, gone.stderr
        assert tree(home["home"], home["data"], home["config"]) == before


def test_uninstall_leaves_other_applications_alone(home):
    data, config = home["data"], home["config"]
    other_entry = data / "applications" / "other.desktop"
    other_entry.parent.mkdir(parents=True)
    other_entry.write_text(
        "[Desktop Entry]\nType=Application\nName=Other\nExec=other %f\nMimeType=text/x-other;\n"
    )
    other_mime = data / "mime" / "packages" / "other.xml"
    other_mime.parent.mkdir(parents=True)
    other_mime.write_text(
        '<?xml version="1.0"?>\n<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">'
        '<mime-type type="text/x-other"><comment>Other</comment><glob pattern="*.other"/></mime-type>'
        "</mime-info>\n"
    )
    (config / "mimeapps.list").write_text("[Default Applications]\ntext/x-other=other.desktop\n")

    assert run_script("install.sh", home, "--exec", str(home["program"])).returncode == 0
    done = run_script("uninstall.sh", home)
    assert done.returncode == 0, done.stderr

    assert not any(path.exists() for path in our_files(data))
    assert other_entry.is_file() and other_mime.is_file()
    mimeapps = (config / "mimeapps.list").read_text()
    assert "text/x-other=other.desktop" in mimeapps and "security-sandbox" not in mimeapps
    globs = (data / "mime" / "globs2").read_text()
    assert "text/x-other:*.other" in globs and "sandbox" not in globs


def test_install_without_exec_points_the_entry_at_the_program_on_path(home):
    done = run_script("install.sh", home, path=f"{home['program'].parent}{os.pathsep}{os.environ['PATH']}")
    assert done.returncode == 0, done.stderr
    entry = read_desktop_entry(home["data"] / "applications" / "security-sandbox.desktop")
    assert entry["Exec"] == f'"{home["program"]}" %f'  # absolute: the session's PATH may differ


def test_install_refuses_a_missing_program_and_writes_nothing(home):
    before = tree(home["home"], home["data"], home["config"])
    done = run_script("install.sh", home, "--exec", str(home["program"].parent / "absent"))
    assert done.returncode == 2
    assert "not an executable program" in done.stderr and "absent" in done.stderr
    assert tree(home["home"], home["data"], home["config"]) == before


def test_uninstall_without_install_changes_nothing(home):
    # Another application's entry, MIME package and the caches generated from them.
    (home["data"] / "applications").mkdir()
    (home["data"] / "applications" / "other.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=O\n"
    )
    packages = home["data"] / "mime" / "packages"
    packages.mkdir(parents=True)
    (packages / "other.xml").write_text(
        '<?xml version="1.0"?>\n<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">'
        '<mime-type type="text/x-other"><glob pattern="*.other"/></mime-type></mime-info>\n'
    )
    subprocess.run([tool("update-mime-database", "shared-mime-info"), str(packages.parent)], check=True)
    (home["config"] / "mimeapps.list").write_text("[Default Applications]\ntext/x-other=other.desktop\n")
    before = tree(home["home"], home["data"], home["config"])
    done = run_script("uninstall.sh", home)
    assert done.returncode == 0, done.stderr
    after = tree(home["home"], home["data"], home["config"])
    # update-desktop-database may add its cache for the other entry; nothing else changes.
    after.pop(str(home["data"] / "applications" / "mimeinfo.cache"), None)
    assert after == before
