"""The inputs folder watched (pipeline/machinery/watch.py, `papers watch`): a build now, and again after each change has settled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from pipeline.machinery import watch
from support import ROOT, cli_env, needs_ctrl_c, running_in


def test_a_change_is_built_once_it_has_settled(tmp_path):
    (tmp_path / "report.md").write_text("First words.", encoding="utf-8")
    builds, looks = [], []

    def build():
        builds.append((tmp_path / "report.md").read_text(encoding="utf-8"))

    def sleep(seconds):  # an officer at work between the looks
        looks.append(seconds)
        if len(looks) == 2:
            (tmp_path / "report.md").write_text("Half-copied", encoding="utf-8")
        elif len(looks) == 3:
            (tmp_path / "report.md").write_text("Second words, whole.", encoding="utf-8")

    watch.watch(tmp_path, build, builds=2, sleep=sleep)
    # Built at the start, then once: not for the half-copied file, which changed again at the next look.
    assert builds == ["First words.", "Second words, whole."]
    assert looks == [watch.POLL] * 4


def test_a_workbook_open_in_excel_is_not_a_change(tmp_path):
    (tmp_path / "Vale.xlsx").write_bytes(b"a return")
    before = watch.look(tmp_path)
    (tmp_path / "~$Vale.xlsx").write_bytes(b"Excel's lock file")
    (tmp_path / ".~lock.Vale.xlsx#").write_bytes(b"LibreOffice's")
    assert watch.look(tmp_path) == before
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "new.md").write_text("A paper", encoding="utf-8")
    assert watch.look(tmp_path) != before


def _until_built(process: subprocess.Popen) -> list[str]:
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Built in"):
            return lines
    raise AssertionError("papers watch ended before building: " + "".join(lines) + process.stderr.read())


@needs_ctrl_c
def test_papers_watch_builds_again_on_a_change_and_stops_cleanly_on_ctrl_c(round_dir, tmp_path):
    output = tmp_path / "output"
    # Its own process group, as a terminal's foreground job is: Ctrl-C reaches every process in it.
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", "--inputs", str(round_dir), "--output", str(output)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(), stdin=subprocess.DEVNULL,
        start_new_session=True)
    try:
        first = _until_built(process)
        (paper,) = output.glob("*.pdf")
        before = paper.read_bytes()
        assert any(line.startswith("Wrote ") for line in first)
        assert f"Watching {round_dir} for changes (Ctrl-C to stop)." in first[-1]
        report = round_dir / "report.md"
        report.write_text(report.read_text(encoding="utf-8").replace("partnership", "partnerships", 1), encoding="utf-8")
        second = _until_built(process)
        assert f"Wrote {paper}\n" in second and paper.read_bytes() != before
        # A setting made wrong is explained, and watching goes on.
        (round_dir / "paper.toml").write_text("title = [", encoding="utf-8")
        third = _until_built(process)
        assert third[-1].startswith("Built in")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        rest, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert rest.strip().endswith("Stopped watching.")
    assert "paper.toml" in errors and "Traceback" not in errors
    assert running_in(process.pid) == [], "no worker is left running"

