"""Messages handed to the mail server: each conversation bounded, a recipient refused never stopping the others, every delivery logged the moment the server takes it.

smtplib and ssl are loaded (pipeline/lazy.py) only when something is sent.
"""

from __future__ import annotations

import email.generator
import io
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

from pipeline import lazy
from pipeline.mail.compose import Outgoing
from pipeline.mail.logs import DeliveryLog
from pipeline.records.settings import Recipient, Smtp

TIMEOUT = 30  # seconds to wait for the mail server


class Unsendable(Exception):
    """A message this server cannot take at all (its reason is the message)."""


@dataclass
class Outcome:
    """What a send did, person by person."""

    sent: list[Recipient] = field(default_factory=list)
    skipped: list[Recipient] = field(default_factory=list)
    """Already sent this paper, according to the sent log."""
    failed: list[tuple[Recipient, str]] = field(default_factory=list)
    uncertain: list[Recipient] = field(default_factory=list)
    """Interrupted last time after the message went to the server: it may have arrived."""


class _Deadline:
    """Bounds one conversation with the server, however slowly it trickles its replies.

    The socket's own timeout bounds each wait; a server that sends a line every few seconds
    never trips it. When the deadline passes, the socket is shut, and the blocked read fails.
    """

    def __init__(self, seconds: int):
        self.seconds = seconds
        self.connection = None  # the smtplib.SMTP connection, once made
        self.expired = False
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True

    def _expire(self) -> None:
        self.expired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()


def _connect(smtp: Smtp, username: str, password: str, deadline: _Deadline):
    """A connection to the server (an smtplib.SMTP), secured and logged in as ``smtp`` says."""
    smtplib, ssl = lazy.smtp()
    context = ssl.create_default_context()
    if smtp.cafile:
        context.load_verify_locations(cafile=smtp.cafile)
    timeout = min(TIMEOUT, smtp.timeout)
    if smtp.security == "ssl":
        connection = smtplib.SMTP_SSL(timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(timeout=timeout)
    deadline.connection = connection  # watched from before the greeting
    # smtplib keeps the host for STARTTLS's certificate check only when given to the
    # constructor, which would also connect before the deadline could watch it.
    connection._host = smtp.host
    connection.connect(smtp.host, smtp.port)
    if smtp.security != "ssl":
        connection.ehlo()
        if smtp.security == "starttls":
            connection.starttls(context=context)
            connection.ehlo()
    if username:
        connection.login(username, password)
    return connection


def _reason(error: Exception, deadline: _Deadline | None = None) -> str:
    smtplib, ssl = lazy.smtp()
    if deadline is not None and deadline.expired:
        return f"the mail server took longer than {deadline.seconds} seconds (timeout in [mail.smtp])"
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        return f"the server answered {error.smtp_code} {text}".strip()
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(error, ssl.SSLError):
        return f"the secure connection failed ({error.reason or error})"
    if isinstance(error, OSError):
        return f"could not reach the mail server ({error.strerror or error})"
    return str(error) or type(error).__name__


def _hand_over(connection, message: EmailMessage, to: list[str], before_data) -> dict:
    """Give ``message`` to the server for ``to``; the addresses it refused, as smtplib gives them.

    smtplib's sendmail, step by step, so that ``before_data(accepted)`` is called between the
    server accepting the recipients and the message's text going out: from then on the
    message may arrive, whatever happens to the connection.
    """
    smtplib, _ = lazy.smtp()
    buffer = io.BytesIO()
    email.generator.BytesGenerator(buffer).flatten(message, linesep="\r\n")
    flat = buffer.getvalue()
    connection.ehlo_or_helo_if_needed()
    options = [f"SIZE={len(flat)}"] if connection.does_esmtp and connection.has_extn("size") else []
    sender = parseaddr(message["From"])[1]
    if not all(address.isascii() for address in [sender, *to]):
        if not (connection.does_esmtp and connection.has_extn("smtputf8")):
            raise Unsendable("the mail server takes no address with letters beyond ASCII (it offers no SMTPUTF8): "
                             "ask for an address without them, or for a server that takes them")
        options += ["SMTPUTF8", "BODY=8BITMIME"]
    code, reply = connection.mail(sender, options)
    if code != 250:
        connection.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for address in to:
        code, reply = connection.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, reply)
    if len(refused) == len(to):
        connection.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    before_data([a for a in to if a not in refused])
    code, reply = connection.data(flat)
    if code != 250:
        connection.rset()
        raise smtplib.SMTPDataError(code, reply)
    return refused


def deliver(
    outgoing: list[Outgoing],
    smtp: Smtp,
    username: str,
    password: str,
    log: DeliveryLog,
    digest: str,
    resend: bool = False,
) -> Outcome:
    """Send each message; a failure for one recipient never stops the others.

    Each message's conversation is bounded by ``smtp.timeout``. A message is recorded as
    being sent just before its text goes to the server, and as sent the moment the server
    accepts it; one interrupted in between is not sent again without ``resend`` (it may
    have arrived), but reported as in doubt.
    """
    smtplib, _ = lazy.smtp()
    outcome = Outcome()
    connection = None
    fatal = ""  # a failure no retry will mend (a refused login): the rest fail with it
    try:
        for item in outgoing:
            files = [p.get_filename() for p in item.message.iter_attachments()]
            key = item.key or digest
            pending = [r for r in item.recipients if resend or not log.has(r.email, key)]
            outcome.skipped += [r for r in item.recipients if r not in pending]
            doubtful = [r for r in pending if not resend and log.in_doubt(r.email, key)]
            outcome.uncertain += doubtful
            pending = [r for r in pending if r not in doubtful]
            if not pending:
                continue
            if fatal:
                outcome.failed += [(r, fatal) for r in pending]
                continue
            by_address = {r.email: r for r in pending}
            with _Deadline(smtp.timeout) as deadline:
                try:
                    if connection is None:
                        connection = _connect(smtp, username, password, deadline)
                    deadline.connection = connection
                    refused = _hand_over(
                        connection, item.message, list(by_address),
                        lambda accepted: [log.attempt(by_address[a], key) for a in accepted],
                    )
                except smtplib.SMTPAuthenticationError as error:
                    fatal = f"the server refused the login ({_reason(error)})"
                    outcome.failed += [(r, fatal) for r in pending]
                except Unsendable as error:  # this message alone: the connection is as it was
                    outcome.failed += [(r, str(error)) for r in pending]
                except smtplib.SMTPRecipientsRefused as error:
                    for r in pending:
                        code, text = error.recipients.get(r.email, (0, b""))
                        outcome.failed.append((r, f"the server refused the address ({code} {text.decode('utf-8', 'replace')})"))
                except (smtplib.SMTPException, OSError) as error:
                    outcome.failed += [(r, _reason(error, deadline)) for r in pending]
                    if connection is not None:
                        try:
                            connection.close()
                        except OSError:
                            pass
                    connection = None  # the next message tries a fresh connection
                else:
                    for r in pending:
                        if r.email in refused:
                            code, text = refused[r.email]
                            outcome.failed.append((r, f"the server refused the address ({code} {text.decode('utf-8', 'replace')})"))
                        else:
                            log.record(r, key, files)
                            outcome.sent.append(r)
    finally:
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()
    return outcome
