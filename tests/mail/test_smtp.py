"""Messages handed to a real mail server on loopback (aiosmtpd) (pipeline/mail/smtp.py): TLS and a login, a
refused address, a dropped connection, a server that trickles — each costs the one message, never the rest."""

from __future__ import annotations

import socket
import ssl
import threading

import trustme
from aiosmtpd.smtp import AuthResult

from support import PEOPLE, Mailbox, send_paper, smtp_settings


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
    config = smtp_settings(port, "starttls", f'username = "claire"\ncafile = "{cafile.as_posix()}"\n')
    inputs, output = paper_round(config, PEOPLE[:1])

    refused = send_paper(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": "wrong"})
    assert refused.returncode == 1 and "refused the login" in refused.stdout and not mailbox.messages
    result = send_paper(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": "s3cret"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert logins[-1] == (b"claire", b"s3cret") and len(mailbox.messages) == 1

    untrusted = smtp_settings(port, "starttls", 'username = "claire"\n')
    inputs, output = paper_round(untrusted, PEOPLE[1:2])
    failed = send_paper(inputs, output, "--smtp", env={"PAPERS_SMTP_PASSWORD": "s3cret"})
    assert failed.returncode == 1 and "secure connection failed" in failed.stdout


def test_a_refused_recipient_does_not_stop_the_others(paper_round, smtp):
    mailbox = Mailbox(refuse={"ben@example.org"})
    inputs, output = paper_round(smtp_settings(smtp(mailbox)), PEOPLE)
    result = send_paper(inputs, output, "--smtp")
    assert result.returncode == 1
    assert [r for r, _ in mailbox.messages] == [["ann@example.org"], ["clerk@example.org"]]
    assert "Not sent to 1:\n  Cllr Ben Best <ben@example.org>: the server refused the address (550" in result.stdout
    assert not [line for line in (output / "outbox" / "sent.log").read_text().splitlines()
                if "ben@" in line and '"files"' in line]


def test_a_dropped_connection_then_a_rerun_sends_only_the_rest(paper_round, smtp):
    people = PEOPLE + [("Dee", "dee@example.org"), ("Eve", "eve@example.org")]
    mailbox = Mailbox(drop_at=3)
    inputs, output = paper_round(smtp_settings(smtp(mailbox)), people)
    first = send_paper(inputs, output, "--smtp")
    assert first.returncode == 1
    assert [r for r, _ in mailbox.messages] == [["ann@example.org"], ["ben@example.org"]]
    assert "Not sent to 3:" in first.stdout and "closed the connection" in first.stdout

    mailbox.down, mailbox.drop_at = False, None
    second = send_paper(inputs, output, "--smtp")
    assert second.returncode == 0, second.stdout
    # The clerk's message went to the server before it dropped: it may have arrived, so it
    # is not sent again unasked; the two never tried are sent.
    assert [r for r, _ in mailbox.messages[2:]] == [["dee@example.org"], ["eve@example.org"]]
    assert "May already have been sent to Clerk <clerk@example.org>" in second.stdout
    assert second.stdout.count("Already sent to") == 2


def test_a_server_that_trickles_its_greeting_is_given_up_on_in_time(paper_round):
    # A server that sends a "220-" continuation line every half second and never finishes
    # its greeting: each read succeeds, so only a bound on the whole conversation ends it.
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
        inputs, output = paper_round(smtp_settings(port, extra="timeout = 3\n"), PEOPLE[:1])
        result = send_paper(inputs, output, "--smtp")
    finally:
        stop.set()
        server.close()
        thread.join(timeout=5)
    assert result.returncode == 1
    assert "the mail server took longer than 3 seconds" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_address_beyond_ascii_is_sent_where_the_server_takes_it_and_named_where_not(paper_round, smtp):
    people = [("Zoë Ōkubo", "zoë@example.org"), PEOPLE[0]]
    taking = Mailbox()
    inputs, output = paper_round(smtp_settings(smtp(taking, enable_SMTPUTF8=True)), people)
    result = send_paper(inputs, output, "--smtp")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert [rcpts for rcpts, _ in taking.messages] == [["zoë@example.org"], ["ann@example.org"]]
    assert taking.messages[0][1]["To"].addresses[0].addr_spec == "zoë@example.org"
    assert "2 sent, 0 already sent, 0 not sent." in result.stdout

    refusing = Mailbox()  # a server that offers no SMTPUTF8: Zoë named, the others sent
    inputs, output = paper_round(smtp_settings(smtp(refusing, enable_SMTPUTF8=False)), people)
    result = send_paper(inputs, output, "--smtp", "--resend")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert [rcpts for rcpts, _ in refusing.messages] == [["ann@example.org"]]
    assert "Zoë Ōkubo <zoë@example.org>: the mail server takes no address with letters beyond ASCII" in result.stdout
    assert "1 sent, 0 already sent, 1 not sent." in result.stdout

    drafts = send_paper(inputs, output)  # as drafts: written as they are, in UTF-8
    assert drafts.returncode == 0, drafts.stdout + drafts.stderr
    assert any("To: Zoë Ōkubo <zoë@example.org>".encode() in draft.read_bytes()
               for draft in (output / "outbox").glob("*.eml"))
