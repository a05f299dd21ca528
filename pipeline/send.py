"""Sending the papers: drafts by default, SMTP when configured, never twice by accident."""

from __future__ import annotations

import copy
import datetime as dt
import email.generator
import hashlib
import io
import mimetypes
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import Enum
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.filenames import append_json_line, read_json_lines, slug, write_atomic
from pipeline.model import Mail, Paper, Problem, Recipient, Round, Smtp
from pipeline.render.view import paper_stem
from pipeline.vocabulary import long_date

SUBJECT_TEMPLATE = "mail_subject.txt"
BODY_TEMPLATE = "mail_body.txt"
LARGE_ATTACHMENTS = 10 * 1024 * 1024  # what many mail servers refuse beyond
TIMEOUT = 30  # seconds to wait for the mail server


@dataclass(frozen=True)
class Outgoing:
    """One message, and the people it is for."""

    recipients: tuple[Recipient, ...]
    message: EmailMessage
    draft_name: str
    key: str = ""
    """What the log knows this message by, if not by the paper it carries."""


@dataclass
class Outcome:
    """What a send did, person by person."""

    sent: list[Recipient] = field(default_factory=list)
    skipped: list[Recipient] = field(default_factory=list)
    """Already sent this paper, according to the sent log."""
    failed: list[tuple[Recipient, str]] = field(default_factory=list)
    uncertain: list[Recipient] = field(default_factory=list)
    """Interrupted last time after the message went to the server: it may have arrived."""


class NotSent(str, Enum):
    """Why nothing can be sent (the CLI words it, naming the command to run)."""

    MISSING = "missing"  # the papers to attach are not in the output folder
    STALE = "stale"  # the papers are older than their returns or settings
    NO_SENDER = "no sender"  # paper.toml names no sender
    NO_RECIPIENTS = "no recipients"  # paper.toml has no usable recipient


@dataclass
class SendPlan:
    """What a send would do: the messages, with what attached; or why nothing can be sent."""

    attachments: list[Path]
    refusal: NotSent | None = None
    missing: list[str] = field(default_factory=list)
    """The attachments not there (when refused as missing)."""
    outstanding: list[str] = field(default_factory=list)
    """The partnerships whose returns the papers go without."""
    problems: list[Problem] = field(default_factory=list)
    """Recipients who cannot be sent to (a malformed address)."""
    outgoing: list[Outgoing] = field(default_factory=list)
    digest: str = ""
    size: int = 0
    """The attachments' size, in bytes."""

    @property
    def large(self) -> bool:
        """Whether the attachments come to more than many mail servers take."""
        return self.size > LARGE_ATTACHMENTS


def plan(round_: Round, current: bool, mail: Mail, output: Path, templates: Path, anyway: bool = False) -> SendPlan:
    """What sending the round's paper from ``output`` would do: ``current`` says whether the
    papers there are what a build would write now (stale ones are refused unless ``anyway``)."""
    stem = paper_stem(round_.paper)
    attachments = [output / f"{stem}.pdf"] + ([output / f"{stem}.docx"] if mail.attach_docx else [])
    found = SendPlan(attachments, outstanding=[e.partnership.name for e in round_.entries if e.outstanding],
                     problems=list(mail.problems))
    found.missing = [p.name for p in attachments if not p.is_file()]
    if found.missing:
        found.refusal = NotSent.MISSING
    elif not current and not anyway:
        found.refusal = NotSent.STALE
    elif not mail.sender:
        found.refusal = NotSent.NO_SENDER
    elif not mail.recipients:
        found.refusal = NotSent.NO_RECIPIENTS
    else:
        found.size = sum(p.stat().st_size for p in attachments)
        found.outgoing = compose(round_.paper, mail, attachments, templates)
        found.digest = paper_digest(attachments)
    return found


def paper_digest(attachments: list[Path]) -> str:
    """What makes a paper 'the same paper': its attachments' bytes."""
    digest = hashlib.sha256()
    for path in attachments:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


class SentLog:
    """output/outbox/sent.log: a JSON line for every delivery, so no one gets a paper twice."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: set[tuple[str, str]] = set()
        self.attempts: set[tuple[str, str]] = set()
        for entry in read_json_lines(path):
            try:
                pair = (entry["to"].casefold(), entry["paper"])
            except (KeyError, TypeError, AttributeError):
                continue  # not a delivery papers wrote
            (self.attempts if entry.get("state") == "sending" else self.entries).add(pair)

    def has(self, email: str, digest: str) -> bool:
        return (email.casefold(), digest) in self.entries

    def in_doubt(self, email: str, digest: str) -> bool:
        """Whether a send to ``email`` was begun and never recorded as done (interrupted)."""
        pair = (email.casefold(), digest)
        return pair in self.attempts and pair not in self.entries

    def _append(self, entry: dict) -> None:
        entry["at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        append_json_line(self.path, entry)

    def attempt(self, recipient: Recipient, digest: str) -> None:
        """Record that a message is about to be handed to the server."""
        self._append({"to": recipient.email, "paper": digest, "state": "sending"})
        self.attempts.add((recipient.email.casefold(), digest))

    def record(self, recipient: Recipient, digest: str, files: list[str]) -> None:
        """Record that the server accepted the message."""
        self._append({"to": recipient.email, "name": recipient.name, "paper": digest, "files": files})
        self.entries.add((recipient.email.casefold(), digest))


def environment(templates: Path) -> Environment:
    """The mail templates' environment: plain text, so nothing is escaped."""
    return Environment(loader=FileSystemLoader(templates), undefined=StrictUndefined, autoescape=False)


def sender_name(mail: Mail) -> str:
    """How the messages are signed: the sender's name, or address."""
    return parseaddr(mail.sender)[0] or mail.sender


# The types of what papers attaches, whatever the machine's own list says (not every
# one knows .xlsx and .docx).
_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def message(mail: Mail, to: str, subject: str, body: str, attachments: list[tuple[str, bytes]]) -> EmailMessage:
    """A message from the configured sender, dated now, its Message-ID on the sender's domain."""
    domain = parseaddr(mail.sender)[1].rpartition("@")[2] or "papers.invalid"
    built = EmailMessage()
    built["From"] = mail.sender
    built["To"] = to
    built["Subject"] = " ".join(subject.split())
    built["Date"] = formatdate(localtime=True)
    built["Message-ID"] = make_msgid(domain=domain)
    built.set_content(body)
    for name, data in attachments:
        kind = _TYPES.get(Path(name).suffix.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        built.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return built


def compose(paper: Paper, mail: Mail, attachments: list[Path], templates: Path) -> list[Outgoing]:
    """The messages to send: one per recipient, or one to the whole list."""
    env = environment(templates)
    files = [(path.name, path.read_bytes()) for path in attachments]  # read once, for every message
    facts = {
        "committee": paper.committee,
        "meeting_date": long_date(paper.meeting_date),
        "title": paper.title,
        "agenda_item": paper.agenda_item,
        "sender_name": sender_name(mail),
        "attachments": [p.name for p in attachments],
    }
    groups = [(r,) for r in mail.recipients] if mail.per_recipient else [mail.recipients]
    outgoing, names = [], set()
    for group in groups:
        if not group:
            continue
        greeting = group[0].name if len(group) == 1 else ""
        built = message(
            mail,
            ", ".join(r.address for r in group),
            env.get_template(SUBJECT_TEMPLATE).render(facts, recipient_name=greeting),
            env.get_template(BODY_TEMPLATE).render(facts, recipient_name=greeting),
            files,
        )
        name = slug(group[0].name or group[0].email) if len(group) == 1 else "distribution-list"
        while name in names:
            name += "-2"
        names.add(name)
        outgoing.append(Outgoing(tuple(group), built, name))
    return outgoing


def write_drafts(outgoing: list[Outgoing], outbox: Path) -> list[Path]:
    """Each message as an .eml file that Outlook and Thunderbird open as a draft to send."""
    written = []
    for item in outgoing:
        draft = copy.deepcopy(item.message)
        draft["X-Unsent"] = "1"  # Outlook opens the file ready to send rather than as received
        path = outbox / f"{item.draft_name}.eml"
        write_atomic(path, bytes(draft))
        written.append(path)
    return written


class _Deadline:
    """Bounds one conversation with the server, however slowly it trickles its replies.

    The socket's own timeout bounds each wait; a server that sends a line every few seconds
    never trips it. When the deadline passes, the socket is shut, and the blocked read fails.
    """

    def __init__(self, seconds: int):
        self.seconds = seconds
        self.connection: smtplib.SMTP | None = None
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


def _connect(smtp: Smtp, username: str, password: str, deadline: _Deadline) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.cafile:
        context.load_verify_locations(cafile=smtp.cafile)
    timeout = min(TIMEOUT, smtp.timeout)
    if smtp.security == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(timeout=timeout, context=context)
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


def _hand_over(connection: smtplib.SMTP, message: EmailMessage, to: list[str], before_data) -> dict:
    """Give ``message`` to the server for ``to``; the addresses it refused, as smtplib gives them.

    smtplib's sendmail, step by step, so that ``before_data(accepted)`` is called between the
    server accepting the recipients and the message's text going out: from then on the
    message may arrive, whatever happens to the connection.
    """
    buffer = io.BytesIO()
    email.generator.BytesGenerator(buffer).flatten(message, linesep="\r\n")
    flat = buffer.getvalue()
    connection.ehlo_or_helo_if_needed()
    options = [f"SIZE={len(flat)}"] if connection.does_esmtp and connection.has_extn("size") else []
    sender = parseaddr(message["From"])[1]
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
    log: SentLog,
    digest: str,
    resend: bool = False,
) -> Outcome:
    """Send each message; a failure for one recipient never stops the others.

    Each message's conversation is bounded by ``smtp.timeout``. A message is recorded as
    being sent just before its text goes to the server, and as sent the moment the server
    accepts it; one interrupted in between is not sent again without ``resend`` (it may
    have arrived), but reported as in doubt.
    """
    outcome = Outcome()
    connection: smtplib.SMTP | None = None
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
