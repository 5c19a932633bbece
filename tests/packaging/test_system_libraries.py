"""A fresh machine: the README's first command installs every system library the Qt wheel's xcb
plugin needs, and a Qt that cannot start says so in one sentence and exits 1 (no abort)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sandbox.app.shell.startup import XCB_LIBRARY_PACKAGES, failure_sentence, xcb_plugin

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_packages() -> set[str]:
    """The packages the README's first command installs with apt-get."""
    first_block = README.read_text(encoding="utf-8").split("```")[1]
    command = re.search(r"apt-get install -y ([^;]+);", first_block)
    assert command, "the README's first command installs nothing with apt-get"
    return set(command.group(1).split())


def installed_with(named: set[str]) -> set[str]:
    """What ``apt-get install NAMED`` leaves on any Debian system: the named packages, the essential
    ones and Python 3 (a fresh system has them), and everything those depend on."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Pre-Depends}, ${Depends}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    depends, todo = {}, []
    for line in out.splitlines():
        name, essential, deps = line.split("\t")
        depends[name] = [re.split(r"[ :(]", d.strip())[0] for d in re.split(r"[,|]", deps) if d.strip()]
        if essential == "yes" or name in named or name == "python3":
            todo.append(name)
    base: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in base:
            base.add(name)
            todo.extend(depends.get(name, []))
    return base


def package_of(library: str) -> str:
    """The Debian package that installed ``library`` (a path as ldd shows it; usr-merged or not)."""
    real = os.path.realpath(library)
    for candidate in (library, real, real.removeprefix("/usr"), "/usr" + real):
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":")[0]
    raise AssertionError(f"dpkg -S knows no package for {library}")


def test_the_readme_names_every_package_the_xcb_plugin_needs():
    assert shutil.which("ldd") and shutil.which("dpkg"), "this test runs on Debian or Ubuntu (as CI does)"
    plugin = xcb_plugin()
    assert plugin.is_file(), plugin
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    assert "not found" not in out, f"the test machine lacks libraries the README installs:\n{out}"
    named = readme_packages()
    installed = installed_with(named)
    wheel = str(plugin.parents[2])  # the Qt libraries the wheel itself ships
    needed = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) => (/\S+)", line)
        if match and not match.group(2).startswith(wheel):
            needed[match.group(1)] = package_of(match.group(2))
    assert len(needed) > 20  # ldd really listed the plugin's libraries
    unnamed = {so: pkg for so, pkg in needed.items() if pkg not in installed}
    assert not unnamed, f"the README's first command does not install {unnamed}"
    # the launch-failure sentence names the same package as dpkg for every library it knows
    for soname, package in XCB_LIBRARY_PACKAGES.items():
        if soname in needed:
            assert needed[soname] == package, soname
    assert set(XCB_LIBRARY_PACKAGES.values()) <= named


def test_no_display_is_one_sentence_and_exit_1():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"  # the plugin that needs a display, with none to open
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.app.shell.main"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("security-sandbox")]
    assert lines == [result.stderr.strip()], result.stderr  # one sentence, none of Qt's own lines
    assert "no display is set" in lines[0]


def test_an_unknown_platform_plugin_is_one_sentence_and_exit_1():
    env = {**os.environ, "QT_QPA_PLATFORM": "no-such-platform"}
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.app.shell.main"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no-such-platform platform plugin" in result.stderr


def test_a_missing_library_names_its_package():
    sentence = failure_sentence(
        ["could not connect to display"], ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    )
    assert "libxcb-icccm.so.4" in sentence
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in sentence
