"""The agenda in meeting.toml read (pipeline/meeting/config.py): items in order, every mistake named, the rest built."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from pipeline.meeting.config import load_meeting
from pipeline.meeting.kinds import KINDS
from pipeline.settings import MAX_TEXT, ConfigError
from support import PAPERS, ROOT, cli_env, pdf_pages, run_cli


def test_the_agenda_is_read_in_order(meeting_dir):
    meeting = load_meeting(meeting_dir)
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert meeting.items[-1].kind is KINDS[".docx"] and meeting.items[4].appendices
    assert [i.kind for i in meeting.items][:4] == [None, None, KINDS["paper.toml"], KINDS[".md"]]
    assert meeting.problems == ()


def test_mistakes_in_the_agenda_are_named_and_the_rest_built(meeting_dir, warm_output):
    path = meeting_dir / "meeting.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[item]]\nnumber = "9"\ntitle = "A paper not yet in"\npaper = "papers/not-here.md"\n'
        + '\n[[item]]\nnumber = "7"\ntitle = "Twice numbered"\n'
        + '\n[[item]]\nnumber = "10"\ntitle = "Outside"\npaper = "../../etc/passwd"\n',
        encoding="utf-8",
    )
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output))
    assert result.returncode == 1
    assert "meeting.toml item 9: its paper 'papers/not-here.md' is not there" in result.stdout
    assert "meeting.toml item 7: has the number 7, which another item has" in result.stdout
    assert "meeting.toml item 10: its paper '../../etc/passwd' is not a .md, .docx or .pdf file" in result.stdout
    # The rest built: the pack made again, listing the new items, every other paper in it.
    (pack,) = warm_output.glob("*-pack.pdf")
    assert f"Wrote {pack}\n" in result.stdout
    text = " ".join(" ".join(pdf_pages(pack)).split())
    assert "A paper not yet in" in text and "Partnership update report" in text
    assert len(pdf_pages(pack)) >= len(pdf_pages(warm_output / f"{PAPERS['004']}.pdf")) + 20


def test_a_round_folder_without_a_meeting_still_builds_its_one_paper(round_dir, tmp_path):
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "2011-03-17-partnership-update-report-check.txt", "2011-03-17-partnership-update-report.docx",
        "2011-03-17-partnership-update-report.html", "2011-03-17-partnership-update-report.pdf", "publish",
    ]
    assert sorted(p.name for p in (tmp_path / "out" / "publish").iterdir()) == [
        "2011-03-17-partnership-update-report.docx", "2011-03-17-partnership-update-report.html",
        "2011-03-17-partnership-update-report.pdf",
    ]


def test_a_time_or_venue_that_is_not_text_is_named_and_the_agenda_read(meeting_dir):
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('time = "10:00"', "time = [10, 0]"), encoding="utf-8")
    meeting = load_meeting(meeting_dir)
    assert meeting.time == "" and len(meeting.items) == 8
    assert [p.message for p in meeting.problems] == ["'time' is not a line of text"]


def test_a_meeting_file_far_too_large_is_refused_unread(meeting_dir):
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * MAX_TEXT, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_meeting(meeting_dir)
    assert "far larger than a paper or its settings can be" in raised.value.problem.message


def test_the_council_and_the_clerk_are_read_and_an_unknown_clerk_setting_refused(meeting_dir):
    meeting = load_meeting(meeting_dir)
    assert meeting.council == "Oxfordshire County Council"
    assert meeting.clerk.lines == ("Committee clerk", "Democratic Services", "committee-clerk@example.org")
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('role = "Democratic Services"', 'title = "Clerk"'),
                    encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        load_meeting(meeting_dir)
    assert "unknown setting title in [clerk]" in raised.value.problem.message
    assert "name, role, email, phone" in raised.value.problem.advice


def test_publishing_settings_that_are_wrong_are_named_and_the_agenda_still_read(tmp_path):
    (tmp_path / "meeting.toml").write_text(
        'committee = "Cabinet"\ndate = 2011-03-17\npublished = "9 March"\nclear_days = 40\nweb = "javascript:alert(1)"\n'
        'attach_up_to_mb = "ten"\n'
        '[[item]]\nnumber = "1"\ntitle = "Late"\nlate = ["a", "list"]\nwithdrawn = "Not \\u001b[31mred\\u001b[0m now"\n',
        encoding="utf-8")
    meeting = load_meeting(tmp_path)
    said = "\n".join(str(p) for p in meeting.problems)
    for expected in ("'published' is not a date", "clear_days = 40 is not a number of days", "'web' is not a web address",
                     "'attach_up_to_mb' is not a number", "meeting.toml item 1: 'late' is not a line of text"):
        assert expected in said, said
    (item,) = meeting.items
    assert item.late == "" and "\x1b" not in item.withdrawn and item.withdrawn.startswith("Not ")
    assert (meeting.published, meeting.clear_days, meeting.web, meeting.attach_up_to_mb) == (None, 5, "", 10)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (apt-get install make)")
def test_a_typo_in_an_item_is_said_once_leads_the_report_and_fails_through_make_too(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "papers" / "budget.md").write_text('+++\ntitle = "Budget"\n+++\nText.\n', encoding="utf-8")
    (inputs / "meeting.toml").write_text(
        'committee = "Cabinet"\ndate = 2011-03-17\n[[item]]\nnumber = "4"\ntitle = "Budget"\npaper = "papers/budget.md"\n'
        '[[item]]\nnumber = "5"\ntitle = "Roads"\npapr = "papers/roads.md"\n', encoding="utf-8")
    output = tmp_path / "out"
    direct = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert direct.returncode == 1
    lines = direct.stdout.splitlines()
    said = [n for n, line in enumerate(lines) if "papr — did you mean paper?" in line]
    assert len(said) == 1 and said[0] < 5, lines[:8]  # once, and at the head of the report
    assert "meeting.toml item 5: has unknown setting papr — did you mean paper?" in lines[said[0]]
    report = (output / "2011-03-17-cabinet-check.txt").read_text(encoding="utf-8")
    assert "papr — did you mean paper?" in report
    through_make = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "papers", f"INPUTS={inputs}", f"OUTPUT={output}"],
        capture_output=True, text=True, timeout=600, env=cli_env(), stdin=subprocess.DEVNULL)
    assert through_make.returncode != 0 and "Error 1" in through_make.stderr
    assert "Up to date:" not in through_make.stdout  # counted in a line, not listed
    assert "file(s) already up to date (make papers VERBOSE=1 lists them)" in through_make.stdout
