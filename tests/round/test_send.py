"""Sending the papers through a real SMTP server on loopback (aiosmtpd), and as drafts."""

from __future__ import annotations

import email
import email.policy
import re

from support import PEOPLE, Mailbox, send_paper, smtp_settings

STEM = "2011-03-17-partnership-update-report"


def _pdf_attachment(message) -> bytes:
    (part,) = [p for p in message.iter_attachments() if p.get_filename().endswith(".pdf")]
    return part.get_content()


def test_drafts_without_smtp(paper_round):
    inputs, output = paper_round('[mail]\nfrom = "Claire Moore <claire@example.org>"', PEOPLE)
    result = send_paper(inputs, output)
    assert result.returncode == 0, result.stderr
    drafts = sorted((output / "outbox").glob("*.eml"))
    assert [d.name for d in drafts] == ["clerk.eml", "cllr-ann-able.eml", "cllr-ben-best.eml"]
    message = email.message_from_bytes(drafts[1].read_bytes(), policy=email.policy.default)
    assert message["To"] == "Cllr Ann Able <ann@example.org>" and message["X-Unsent"] == "1"
    assert message["Subject"] == "Agenda item 3: Partnership update report – Strategy and Partnerships Scrutiny Committee, 17 March 2011"
    assert "Dear Cllr Ann Able," in message.get_body(("plain",)).get_content()
    assert _pdf_attachment(message) == (output / f"{STEM}.pdf").read_bytes()
    assert not (output / "outbox" / "sent.log").exists()


def test_dry_run_does_nothing(paper_round):
    inputs, output = paper_round('[mail]\nfrom = "C <c@example.org>"', PEOPLE)
    result = send_paper(inputs, output, "--dry-run")
    assert result.returncode == 0
    assert result.stdout.count("would write a draft: ") == 3
    assert not (output / "outbox").exists()


def test_sends_each_recipient_the_pdf_once(paper_round, smtp):
    mailbox = Mailbox()
    inputs, output = paper_round(smtp_settings(smtp(mailbox)), PEOPLE)
    result = send_paper(inputs, output, "--smtp")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [rcpts for rcpts, _ in mailbox.messages] == [["ann@example.org"], ["ben@example.org"], ["clerk@example.org"]]
    pdf = (output / f"{STEM}.pdf").read_bytes()
    for _, message in mailbox.messages:
        assert message["Subject"].startswith("Agenda item 3: Partnership update report")
        assert _pdf_attachment(message) == pdf
    lines = (output / "outbox" / "sent.log").read_text().splitlines()
    # Each delivery: "sending" just before the message goes, then the server's acceptance.
    assert sum('"state": "sending"' in line for line in lines) == 3
    assert sum('"files"' in line for line in lines) == 3

    again = send_paper(inputs, output, "--smtp")
    assert again.returncode == 0 and len(mailbox.messages) == 3
    assert again.stdout.count("Already sent to") == 3
    resent = send_paper(inputs, output, "--smtp", "--resend")
    assert resent.returncode == 0 and len(mailbox.messages) == 6


def test_one_message_to_the_whole_list(paper_round, smtp):
    mailbox = Mailbox()
    inputs, output = paper_round(smtp_settings(smtp(mailbox)).replace("[mail.smtp]", "per_recipient = false\n[mail.smtp]"), PEOPLE)
    assert send_paper(inputs, output, "--smtp").returncode == 0
    ((rcpts, message),) = mailbox.messages
    assert rcpts == [e for _, e in PEOPLE]
    assert "Dear colleagues," in message.get_body(("plain",)).get_content()


def test_a_malformed_address_is_named_and_the_rest_are_sent(paper_round, smtp):
    mailbox = Mailbox()
    people = [PEOPLE[0], ("Cllr Typo", "typo@example"), PEOPLE[2]]
    inputs, output = paper_round(smtp_settings(smtp(mailbox)), people)
    result = send_paper(inputs, output, "--smtp")
    assert result.returncode == 1
    assert "recipient 2 (Cllr Typo): 'typo@example' is not an email address" in result.stdout + result.stderr
    assert len(mailbox.messages) == 2


def test_large_attachments_are_warned_about(paper_round):
    inputs, output = paper_round('[mail]\nfrom = "C <c@example.org>"\nattach_docx = true', PEOPLE[:1])
    (output / f"{STEM}.docx").write_bytes(b"\0" * (10 * 1024 * 1024 + 1))
    result = send_paper(inputs, output, "--dry-run", "--anyway")
    assert re.search(r"the attachments come to 10\.\d MB", result.stderr)
    assert f"Attachments: {STEM}.pdf, {STEM}.docx" in result.stdout


def test_no_password_and_no_terminal_is_a_clear_error(paper_round, smtp):
    inputs, output = paper_round(smtp_settings(smtp(Mailbox()), extra='username = "claire"\n'), PEOPLE[:1])
    result = send_paper(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": ""})
    assert result.returncode == 2 and "PAPERS_SMTP_PASSWORD" in result.stderr


def test_nothing_to_send_before_the_papers_are_built(paper_round, tmp_path):
    inputs, _ = paper_round('[mail]\nfrom = "C <c@example.org>"', PEOPLE)
    result = send_paper(inputs, tmp_path / "empty")
    assert result.returncode == 2 and "Run `python -m pipeline papers` first" in result.stderr
    via_make = send_paper(inputs, tmp_path / "empty", env={"PAPERS_VIA_MAKE": "1"})
    assert "Run `make papers` first" in via_make.stderr
