"""The command line: what it prints, what it writes, and the exit status it ends with."""

from __future__ import annotations

import re

from pipeline.cli import cli
from support import docx_text, run_cli

STEM = "2011-03-17-partnership-update-report"


def test_check_lists_every_partnership_and_exits_0(round_dir):
    result = run_cli("check", "--inputs", str(round_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("received  ") == 12
    assert "Vale Partnership" in result.stdout and "Vale Partnership.xlsx" in result.stdout


def test_a_missing_return_still_builds_and_exits_1(round_dir, tmp_path):
    (round_dir / "Vale Partnership.xlsx").unlink()
    output = tmp_path / "out"
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(output))
    assert result.returncode == 1, result.stderr
    assert re.search(r"MISSING +Vale Partnership", result.stdout)
    assert "Still to come:\n  Vale Partnership — no return yet: chase Emma Morris, emma.morris@southoxon.gov.uk" in result.stdout
    text = docx_text(output / f"{STEM}.docx")
    assert "Vale Partnership Partnership Vale Partnership Return No return received" in text
    assert (output / f"{STEM}.pdf").stat().st_size > 0


def test_a_bad_file_is_named_and_the_rest_are_built(round_dir, tmp_path):
    (round_dir / "Cherwell LSP.xlsx").write_bytes(b"not a workbook at all")
    (round_dir / "~$Vale Partnership.xlsx").write_bytes(b"lock file")
    (round_dir / "notes.txt").write_text("call Emma")
    output = tmp_path / "out"
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(output))
    assert result.returncode == 1
    assert "Cherwell LSP.xlsx: not a readable Excel workbook" in result.stdout
    # Advice names the partnership the file was taken to be from, not the file.
    assert "ask Cherwell Local Strategic Partnership to open it in Excel and save it again" in result.stdout
    assert re.search(r"received — UNREADABLE +Cherwell Local Strategic Partnership", result.stdout)
    assert "Vale Partnership.xlsx: may be open in Excel with unsaved changes" in result.stdout
    assert "notes.txt" not in result.stdout
    assert "11 of 12 returns received" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    check = (output / f"{STEM}-check.txt").read_text(encoding="utf-8")
    assert "Cherwell LSP.xlsx" in check


def test_broken_configuration_exits_2_and_writes_nothing(round_dir, tmp_path):
    (round_dir / "paper.toml").write_text('committee = "C"\nmeeting_date = 2011-03-17\ncolour = "blue"\n')
    output = tmp_path / "out"
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(output))
    assert result.returncode == 2
    assert "paper.toml: unknown setting colour" in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists() or not any(output.iterdir())


def test_help_names_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0 and "papers" in result.stdout and "check" in result.stdout


def test_every_command_has_help_with_an_example():
    for name in cli.commands:
        result = run_cli(name, "--help")
        assert result.returncode == 0, result.stderr
        assert "Example" in result.stdout and f"papers {name}" in result.stdout, name


def test_a_command_that_cannot_go_on_says_what_it_could_not_do(round_dir):
    (round_dir / "paper.toml").write_text("committee = [unclosed\n", encoding="utf-8")
    result = run_cli("check", "--inputs", str(round_dir))
    assert result.returncode == 2 and result.stderr.startswith("Cannot check the returns: paper.toml")
    assert "Traceback" not in result.stderr
