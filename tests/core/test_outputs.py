"""Outputs write where they point: through symlinks, into FIFOs and /dev/stdout, never over an input."""

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from sandbox.cli import commands as cli
from sandbox.core.io import fileformat

MINI = Path(__file__).parent / "fixtures" / "mini-v1.sandbox"


def run_cli(*argv) -> int:
    return cli.main([str(a) for a in argv])


def test_a_symlinked_output_replaces_its_target_and_stays_a_link(tmp_path):
    target = tmp_path / "reports" / "report.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    assert run_cli("run", MINI, "--report", link) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text("utf-8"))["outcome"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]  # no temp file left


def test_a_fifo_is_written_in_place_for_its_reader(tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text("utf-8")), daemon=True)
    reader.start()
    try:
        assert run_cli("run", MINI, "--report", fifo) == 0
    finally:
        reader.join(timeout=60)
    assert json.loads(received[0])["outcome"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_stdout_path_is_written_in_place():
    # the pipe behind /proc/self/fd/1 (what /dev/stdout links to) gets the example. Not /dev/stdout
    # itself: a write that replaced instead, run as root, would put a regular file in /dev.
    done = subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "examples", "jackson-nei", "--out", "/proc/self/fd/1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "collective-security-sandbox"


def test_devices_are_written_in_place_and_regular_files_replaced(tmp_path):
    # decided from stat alone: nothing here writes to a device
    assert fileformat.written_in_place(Path("/dev/null"))
    assert fileformat.written_in_place(Path("/dev/stdout"))
    assert not fileformat.written_in_place(tmp_path / "new.json")
    (tmp_path / "old.json").write_text("{}")
    assert not fileformat.written_in_place(tmp_path / "old.json")


def test_an_output_that_is_an_input_is_refused(tmp_path, capsys):
    scenario = tmp_path / "mine.sandbox"
    scenario.write_bytes(MINI.read_bytes())
    alias = tmp_path / "alias.sandbox"
    alias.symlink_to(scenario)
    for argv in (["convert", scenario, alias], ["run", scenario, "--report", scenario]):
        assert run_cli(*argv) == 2
        err = capsys.readouterr().err
        assert err == f"{argv[-1]}: is the input file {scenario}; give the output another name\n"
    assert scenario.read_bytes() == MINI.read_bytes()


def test_a_dangling_link_into_a_missing_folder_is_named(tmp_path, capsys):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "gone" / "out.json")
    assert run_cli("run", MINI, "--report", link) == 2
    err = capsys.readouterr().err
    gone = tmp_path / "gone"
    assert err == f"{link}: it links to {gone / 'out.json'}, whose folder '{gone}' does not exist\n"
    # a dangling link whose target's folder exists: the target is created, the link kept
    gone.mkdir()
    assert run_cli("run", MINI, "--report", link) == 0
    assert link.is_symlink() and json.loads(link.read_text("utf-8"))["outcome"]


def test_temp_files_of_an_interrupted_write_are_removed(tmp_path):
    # a writer killed between its temp file and the rename leaves .NAME.PID.XXXX.tmp behind
    writer = subprocess.Popen([sys.executable, "-c", "pass"])
    writer.wait()
    stale = tmp_path / f".out.json.{writer.pid}.k2j4h1.tmp"
    stale.write_text("half a report")
    live = tmp_path / f".out.json.{os.getpid()}.a8b7c6.tmp"  # a write under way in a running process
    live.write_text("")
    other = tmp_path / f".other.json.{writer.pid}.zzzz.tmp"
    other.write_text("")
    fileformat.atomic_write(tmp_path / "out.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, "out.json"])
