"""A round as an officer runs it, through make: forms out, three returns back (one as .ods),
check, chase, papers, send — no make error line, no stale attachment, every answer typed."""

from __future__ import annotations

import email
import email.policy
import os
import pty
import re
import shutil
import subprocess
import sys

import pytest

from sample_round.sample import read_sample
from support import INPUTS, ROOT, answer_items, cli_env, docx_text, libreoffice_convert, needs_libreoffice, run_cli

BACK = ("Vale Partnership.xlsx", "LEP.xlsx", "OSP.xlsx")


def make(target: str, inputs, output, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), target, f"INPUTS={inputs}", f"OUTPUT={output}", *args],
        capture_output=True, text=True, timeout=600, env=cli_env(), stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def round_three_back(tmp_path):
    """Inputs with the settings and three returns, Vale's saved by LibreOffice as .ods."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in INPUTS.iterdir():
        # The round's own files: its settings, report and registry (not the meeting's).
        if path.suffix in (".toml", ".md") and path.name != "meeting.toml":
            shutil.copy(path, inputs / path.name)
    for name in BACK[1:]:
        shutil.copy(INPUTS / name, inputs / name)
    (ods,) = libreoffice_convert([INPUTS / BACK[0]], "ods", tmp_path / "ods", tmp_path / "profile")
    shutil.copy(ods, inputs / "Vale Partnership.ods")
    return inputs, tmp_path / "output"


@needs_libreoffice
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (apt-get install make)")
def test_a_round_through_make(round_three_back):
    inputs, output = round_three_back
    for target in ("forms", "check", "chase", "papers", "send"):
        result = make(target, inputs, output)
        assert result.returncode == 0, (target, result.stdout, result.stderr)
        assert "make: ***" not in result.stdout + result.stderr, target
        assert "Traceback" not in result.stderr, target
    # The forms went out, nine reminders were drafted, the papers and the drafts written.
    assert len(list((output / "forms").glob("*.xlsx"))) == 12
    assert len(list((output / "outbox" / "chase").glob("*.eml"))) == 9
    stem = "2011-03-17-partnership-update-report"
    # Every answer of the three returns is in the paper, the .ods one's included.
    paper = docx_text(output / f"{stem}.docx")
    sample = {s.file: s for s in read_sample()}
    for name in BACK:
        for item in answer_items(sample[name]):
            assert item in paper, (name, item)
    # send warned of the returns still to come, and attached the current PDF.
    sent = make("send", inputs, output)
    assert "go without a return from 9 partnership(s)" in sent.stderr
    draft = email.message_from_bytes((output / "outbox" / "committee-members.eml").read_bytes(), policy=email.policy.default)
    (pdf,) = list(draft.iter_attachments())
    assert pdf.get_content() == (output / f"{stem}.pdf").read_bytes()

    # A return changes: send refuses the old papers and says how to rebuild them.
    shutil.copy(INPUTS / "WOSP.xlsx", inputs / "WOSP.xlsx")
    stale = make("send", inputs, output)
    assert stale.returncode != 0
    assert "older than their returns or settings" in stale.stderr and "Run `make papers`" in stale.stderr
    assert make("papers", inputs, output).returncode == 0
    assert make("send", inputs, output).returncode == 0

    # STRICT=1 makes a round with returns missing fail, for scripts.
    strict = make("check", inputs, output, "STRICT=1")
    assert strict.returncode != 0


def test_version_and_every_command_has_an_example():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("papers, version ")
    top = " ".join(run_cli("--help").stdout.split())
    assert "Word, PDF and a web page (HTML)" in top and "check report" in top
    for command in ("papers", "check", "forms", "chase", "send"):
        help_ = run_cli(command, "--help")
        assert help_.returncode == 0 and "Example" in help_.stdout, command


def test_progress_on_a_terminal_and_quiet_otherwise(sample_build, round_dir, tmp_path):
    quiet, _ = sample_build  # its output read through pipes
    assert "Read 12 of 12 returns" not in quiet.stdout + quiet.stderr and "Laid out" not in quiet.stderr
    # The same build with its standard error on a terminal (a pseudo-terminal here).
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "papers", "--inputs", str(round_dir), "--output", str(tmp_path / "out")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL, env=cli_env(),
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=300) == 0
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert "Read 12 of 12 returns" in text and re.search(r"Laid out (\d+) of \1 parts", text)


def test_without_make_the_readme_path_works(tmp_path):
    # The README's way without make: the console script in .venv, as the Makefile installs it.
    papers = ROOT / ".venv" / "bin" / "papers"
    assert papers.is_file(), "the README's .venv/bin/papers is not there"
    result = subprocess.run(
        [str(papers), "check", "--inputs", str(INPUTS), "--output", str(tmp_path)],
        capture_output=True, text=True, timeout=120, env=cli_env(), stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0 and "12 of 12 returns received" in result.stdout
