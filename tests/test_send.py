"""Sending the papers through a real SMTP server on loopback (aiosmtpd), and as drafts."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import socket
import ssl
from pathlib import Path

import pytest
import trustme
from aiosmtpd.smtp import AuthResult
from support import INPUTS, Mailbox, cli_env

STEM = "2011-03-17-partnership-update-report"


@pytest.fixture
def paper_round(round_dir, sample_build, tmp_path):
    """Inputs whose mail settings a test writes, and an output folder holding the built paper."""
    _, built = sample_build
    output = tmp_path / "out"
    # The papers and the record of what built them, so send knows they are current; and the
    # meeting they were built for (the report is its item 3, and shows so).
    shutil.copytree(built, output)
    shutil.copy(INPUTS / "meeting.toml", round_dir)
    base = (round_dir / "paper.toml").read_text(encoding="utf-8").split("# How `make send`", 1)[0]

    def configure(mail: str, recipients: list[tuple[str, str]]) -> tuple[Path, Path]:
        people = "".join(f'\n[[recipient]]\nname = "{n}"\nemail = "{e}"\n' for n, e in recipients)
        (round_dir / "paper.toml").write_text(base + "\n" + mail + "\n" + people, encoding="utf-8")
        return round_dir, output

    return configure


PEOPLE = [("Cllr Ann Able", "ann@example.org"), ("Cllr Ben Best", "ben@example.org"), ("Clerk", "clerk@example.org")]


def send(inputs: Path, output: Path, *extra: str, env: dict | None = None):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "pipeline", "send", "--inputs", str(inputs), "--output", str(output), *extra],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        env=cli_env(**(env or {})),
    )


def _pdf_attachment(message) -> bytes:
    (part,) = [p for p in message.iter_attachments() if p.get_filename().endswith(".pdf")]
    return part.get_content()


def _smtp(port: int, security: str = "none", extra: str = "") -> str:
    return f'[mail]\nfrom = "Claire Moore <claire@example.org>"\n[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n{extra}'


def test_drafts_without_smtp(paper_round):
    inputs, output = paper_round('[mail]\nfrom = "Claire Moore <claire@example.org>"', PEOPLE)
    result = send(inputs, output)
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
    result = send(inputs, output, "--dry-run")
    assert result.returncode == 0
    assert result.stdout.count("would write a draft: ") == 3
    assert not (output / "outbox").exists()


def test_sends_each_recipient_the_pdf_once(paper_round, smtp):
    mailbox = Mailbox()
    inputs, output = paper_round(_smtp(smtp(mailbox)), PEOPLE)
    result = send(inputs, output, "--smtp")
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

    again = send(inputs, output, "--smtp")
    assert again.returncode == 0 and len(mailbox.messages) == 3
    assert again.stdout.count("Already sent to") == 3
    resent = send(inputs, output, "--smtp", "--resend")
    assert resent.returncode == 0 and len(mailbox.messages) == 6


def test_one_message_to_the_whole_list(paper_round, smtp):
    mailbox = Mailbox()
    inputs, output = paper_round(_smtp(smtp(mailbox)).replace("[mail.smtp]", "per_recipient = false\n[mail.smtp]"), PEOPLE)
    assert send(inputs, output, "--smtp").returncode == 0
    ((rcpts, message),) = mailbox.messages
    assert rcpts == [e for _, e in PEOPLE]
    assert "Dear colleagues," in message.get_body(("plain",)).get_content()


def test_starttls_with_a_self_signed_certificate_and_a_login(paper_round, smtp, tmp_path):
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    cafile = tmp_path / "council-ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        # handled=False: aiosmtpd then answers 535 itself (its default assumes we did).
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    mailbox = Mailbox()
    port = smtp(mailbox, tls_context=server_context, require_starttls=True,
                authenticator=authenticator, auth_required=True)
    config = _smtp(port, "starttls", f'username = "claire"\ncafile = "{cafile.as_posix()}"\n')
    inputs, output = paper_round(config, PEOPLE[:1])

    refused = send(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": "wrong"})
    assert refused.returncode == 1 and "refused the login" in refused.stdout and not mailbox.messages
    result = send(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": "s3cret"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert logins[-1] == (b"claire", b"s3cret") and len(mailbox.messages) == 1

    untrusted = _smtp(port, "starttls", 'username = "claire"\n')
    inputs, output = paper_round(untrusted, PEOPLE[1:2])
    failed = send(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": "s3cret"})
    assert failed.returncode == 1 and "secure connection failed" in failed.stdout


def test_a_refused_recipient_does_not_stop_the_others(paper_round, smtp):
    mailbox = Mailbox(refuse={"ben@example.org"})
    inputs, output = paper_round(_smtp(smtp(mailbox)), PEOPLE)
    result = send(inputs, output, "--smtp")
    assert result.returncode == 1
    assert [r for r, _ in mailbox.messages] == [["ann@example.org"], ["clerk@example.org"]]
    assert "Not sent to 1:\n  Cllr Ben Best <ben@example.org>: the server refused the address (550" in result.stdout
    assert not [line for line in (output / "outbox" / "sent.log").read_text().splitlines()
                if "ben@" in line and '"files"' in line]


def test_a_dropped_connection_then_a_rerun_sends_only_the_rest(paper_round, smtp):
    people = PEOPLE + [("Dee", "dee@example.org"), ("Eve", "eve@example.org")]
    mailbox = Mailbox(drop_at=3)
    inputs, output = paper_round(_smtp(smtp(mailbox)), people)
    first = send(inputs, output, "--smtp")
    assert first.returncode == 1
    assert [r for r, _ in mailbox.messages] == [["ann@example.org"], ["ben@example.org"]]
    assert "Not sent to 3:" in first.stdout and "closed the connection" in first.stdout

    mailbox.down, mailbox.drop_at = False, None
    second = send(inputs, output, "--smtp")
    assert second.returncode == 0, second.stdout
    # The clerk's message went to the server before it dropped: it may have arrived, so it
    # is not sent again unasked; the two never tried are sent.
    assert [r for r, _ in mailbox.messages[2:]] == [["dee@example.org"], ["eve@example.org"]]
    assert "May already have been sent to Clerk <clerk@example.org>" in second.stdout
    assert second.stdout.count("Already sent to") == 2


def test_a_malformed_address_is_named_and_the_rest_are_sent(paper_round, smtp):
    mailbox = Mailbox()
    people = [PEOPLE[0], ("Cllr Typo", "typo@example"), PEOPLE[2]]
    inputs, output = paper_round(_smtp(smtp(mailbox)), people)
    result = send(inputs, output, "--smtp")
    assert result.returncode == 1
    assert "recipient 2 (Cllr Typo): 'typo@example' is not an email address" in result.stdout + result.stderr
    assert len(mailbox.messages) == 2


def test_large_attachments_are_warned_about(paper_round):
    inputs, output = paper_round('[mail]\nfrom = "C <c@example.org>"\nattach_docx = true', PEOPLE[:1])
    (output / f"{STEM}.docx").write_bytes(b"\0" * (10 * 1024 * 1024 + 1))
    result = send(inputs, output, "--dry-run", "--anyway")
    assert re.search(r"the attachments come to 10\.\d MB", result.stderr)
    assert f"Attachments: {STEM}.pdf, {STEM}.docx" in result.stdout


def test_no_password_and_no_terminal_is_a_clear_error(paper_round, smtp):
    inputs, output = paper_round(_smtp(smtp(Mailbox()), extra='username = "claire"\n'), PEOPLE[:1])
    result = send(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": ""})
    assert result.returncode == 2 and "PAPERS_SMTP_PASSWORD" in result.stderr


def test_nothing_to_send_before_the_papers_are_built(paper_round, tmp_path):
    inputs, _ = paper_round('[mail]\nfrom = "C <c@example.org>"', PEOPLE)
    result = send(inputs, tmp_path / "empty")
    assert result.returncode == 2 and "Run `python -m pipeline papers` first" in result.stderr
    via_make = send(inputs, tmp_path / "empty", env={"PAPERS_VIA_MAKE": "1"})
    assert "Run `make papers` first" in via_make.stderr


def test_a_server_that_trickles_its_greeting_is_given_up_on_in_time(paper_round):
    # A server that sends a "220-" continuation line every half second and never finishes
    # its greeting: each read succeeds, so only a bound on the whole conversation ends it.
    import threading

    stop = threading.Event()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def trickle():
        server.settimeout(10)
        try:
            client, _ = server.accept()
        except OSError:
            return
        with client:
            while not stop.wait(0.5):
                try:
                    client.sendall(b"220-still here\r\n")
                except OSError:
                    return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        inputs, output = paper_round(_smtp(port, extra="timeout = 3\n"), PEOPLE[:1])
        result = send(inputs, output, "--smtp")
    finally:
        stop.set()
        server.close()
        thread.join(timeout=5)
    assert result.returncode == 1
    assert "the mail server took longer than 3 seconds" in result.stdout
    assert "Traceback" not in result.stderr
