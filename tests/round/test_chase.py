"""Chasing the returns still to come: drafts, a real SMTP server on loopback, the chase log."""

from __future__ import annotations

import email
import email.policy
import io
import re

import pytest
from openpyxl import load_workbook

from pipeline.vocabulary import MARKER_SHEET
from support import Mailbox, run_cli

KEEP = ("Vale Partnership.xlsx", "LEP.xlsx", "OSP.xlsx")
TODAY = "2011-02-25"


@pytest.fixture
def mid_round(round_dir, tmp_path):
    """The sample round with three returns back and one damaged, and an output folder."""
    for path in round_dir.glob("*.xlsx"):
        if path.name not in KEEP:
            path.unlink()
    (round_dir / "Cherwell LSP.xlsx").write_bytes(b"this is not a workbook")
    return round_dir, tmp_path / "out"


def chase(inputs, output, *extra):
    return run_cli("chase", "--inputs", str(inputs), "--output", str(output), "--today", TODAY, *extra)


def _read(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_drafts_remind_each_partnership_still_to_send_with_its_form(mid_round):
    inputs, output = mid_round
    result = chase(inputs, output)
    assert result.returncode == 0, result.stderr
    drafts = sorted((output / "outbox" / "chase").glob("*.eml"))
    assert len(drafts) == 9  # 12 expected, 3 in
    cherwell = _read(output / "outbox" / "chase" / "chase-cherwell-local-strategic-partnership.eml")
    assert cherwell["To"] == "Caroline French <caroline.french@cherwell-dc.gov.uk>"
    assert cherwell["Subject"].startswith("Please resend: Cherwell Local Strategic Partnership return")
    body = cherwell.get_body(("plain",)).get_content()
    assert "could not read the file you sent (Cherwell LSP.xlsx)" in body
    assert "by 1 March 2011" in body and "to partnerships@oxfordshire.gov.uk" in body
    (form,) = list(cherwell.iter_attachments())
    assert form.get_filename() == "cherwell-local-strategic-partnership.xlsx"
    book = load_workbook(io.BytesIO(form.get_content()))
    assert book[MARKER_SHEET]["B3"].value == "cherwell"  # the form is this partnership's
    vale = [d for d in drafts if "vale" in d.name]
    assert not vale  # its return is in
    spip = _read(output / "outbox" / "chase" / "chase-spatial-planning-and-infrastructure-partnership.eml")
    assert spip["Subject"].startswith("Reminder: Spatial Planning and Infrastructure Partnership return")
    assert "We have not yet received" in spip.get_body(("plain",)).get_content()
    # The reminder says what the attached form says about which cells to fill in, word for word.
    guide = [c.value for row in book["How to fill in"].iter_rows() for c in row if c.value]
    fill_in = next(line for line in guide if "cells" in str(line))
    assert fill_in in body and "shaded cells" not in body


def test_a_draft_is_not_a_reminder_until_the_officer_says_it_went(mid_round):
    inputs, output = mid_round
    chase(inputs, output)
    log = (output / "outbox" / "chase.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 9 and all('"state": "drafted"' in line for line in log)
    again = chase(inputs, output)  # drafts again: none of them went
    assert "already reminded" not in again.stdout and again.stdout.count("Wrote ") == 9
    sent = chase(inputs, output, "--sent")
    assert sent.stdout.count("Recorded as reminded: ") == 9
    after = chase(inputs, output)
    assert "9 already reminded today" in after.stdout and "Wrote" not in after.stdout
    forced = chase(inputs, output, "--again")
    assert forced.stdout.count("Wrote ") == 9


def test_the_check_report_says_who_was_drafted_and_who_reminded_and_when(mid_round):
    inputs, output = mid_round
    chase(inputs, output)
    check = ("check", "--inputs", str(inputs), "--output", str(output), "--today", "2011-02-26")
    drafted = run_cli(*check).stdout
    assert re.search(r"Spatial Planning and Infrastructure Partnership — no return yet: chase .*; "
                     r"reminder drafted 25 February 2011, not sent yet", drafted)
    assert "reminded 25" not in drafted
    chase(inputs, output, "--sent")
    result = run_cli(*check)
    assert re.search(r"Spatial Planning and Infrastructure Partnership — no return yet: chase .*; reminded 25 February 2011$",
                     result.stdout, re.M)
    assert "Vale Partnership — " not in result.stdout.split("Still to come:", 1)[1]


def test_reminders_sent_through_a_real_smtp_server_once(mid_round, smtp):  # noqa: F811
    inputs, output = mid_round
    mailbox = Mailbox(refuse={"kate.hill@ocva.org.uk"})
    port = smtp(mailbox)
    paper = inputs / "paper.toml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace(
            "[mail]\n", f'[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n\n[mail]\n', 1
        ),
        encoding="utf-8",
    )
    result = chase(inputs, output, "--smtp")
    assert result.returncode == 1  # one address refused
    assert "8 reminded, 0 already reminded today, 1 not reminded." in result.stdout
    assert "Not reminded: Kate Hill <kate.hill@ocva.org.uk>" in result.stdout
    sent_to = sorted(rcpt for rcpts, _ in mailbox.messages for rcpt in rcpts)
    assert len(sent_to) == 8 and "caroline.french@cherwell-dc.gov.uk" in sent_to
    rcpts, message = next(m for m in mailbox.messages if m[0] == ["caroline.french@cherwell-dc.gov.uk"])
    (form,) = list(message.iter_attachments())
    assert load_workbook(io.BytesIO(form.get_content()))[MARKER_SHEET]["B3"].value == "cherwell"
    # A second run sends only to the one refused before.
    mailbox.refuse.clear()
    rerun = chase(inputs, output, "--smtp")
    assert "1 reminded, 8 already reminded today, 0 not reminded." in rerun.stdout
    assert len(mailbox.messages) == 9


def test_a_partnership_without_an_email_is_named(mid_round):
    inputs, output = mid_round
    registry = inputs / "partnerships.toml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            'contact = "Ian Walker, ian.walker@oxfordshire.gov.uk"', 'contact = "Ian Walker, 01865 815588"'
        ),
        encoding="utf-8",
    )
    result = chase(inputs, output)
    assert result.returncode == 1
    assert "Spatial Planning and Infrastructure Partnership cannot be reminded: its contact has no email address" in result.stderr
    assert result.stdout.count("Wrote ") == 8


def test_nobody_to_chase_when_every_return_is_in(round_dir, tmp_path):
    result = run_cli("chase", "--inputs", str(round_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 0 and "Nobody to chase" in result.stdout
