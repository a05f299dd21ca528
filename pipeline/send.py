"""Sending the papers: drafts by default, SMTP when configured, never twice by accident."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import mimetypes
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.filenames import slug, write_atomic
from pipeline.model import Mail, Paper, Recipient, Smtp
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
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.entries.add((entry["to"].casefold(), entry["paper"]))
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a line half-written when the machine stopped: not a delivery

    def has(self, email: str, digest: str) -> bool:
        return (email.casefold(), digest) in self.entries

    def record(self, recipient: Recipient, digest: str, files: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"to": recipient.email, "name": recipient.name, "paper": digest, "files": files,
             "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")},
            ensure_ascii=False,
        )
        with self.path.open("a", encoding="utf-8") as log:
            log.write(line + "\n")
            log.flush()
            os.fsync(log.fileno())  # a delivery is recorded before the next is attempted
        self.entries.add((recipient.email.casefold(), digest))


def environment(templates: Path) -> Environment:
    """The mail templates' environment: plain text, so nothing is escaped."""
    return Environment(loader=FileSystemLoader(templates), undefined=StrictUndefined, autoescape=False)


def compose(paper: Paper, mail: Mail, attachments: list[Path], templates: Path) -> list[Outgoing]:
    """The messages to send: one per recipient, or one to the whole list."""
    env = environment(templates)
    sender_name = parseaddr(mail.sender)[0] or mail.sender
    domain = parseaddr(mail.sender)[1].rpartition("@")[2] or "papers.invalid"
    facts = {
        "committee": paper.committee,
        "meeting_date": long_date(paper.meeting_date),
        "title": paper.title,
        "agenda_item": paper.agenda_item,
        "sender_name": sender_name,
        "attachments": [p.name for p in attachments],
    }
    groups = [(r,) for r in mail.recipients] if mail.per_recipient else [mail.recipients]
    outgoing, names = [], set()
    for group in groups:
        if not group:
            continue
        greeting = group[0].name if len(group) == 1 else ""
        message = EmailMessage()
        message["From"] = mail.sender
        message["To"] = ", ".join(r.address for r in group)
        subject = env.get_template(SUBJECT_TEMPLATE).render(facts, recipient_name=greeting)
        message["Subject"] = " ".join(subject.split())
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=domain)
        message.set_content(env.get_template(BODY_TEMPLATE).render(facts, recipient_name=greeting))
        for path in attachments:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            maintype, subtype = kind.split("/", 1)
            message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
        name = slug(group[0].name or group[0].email) if len(group) == 1 else "distribution-list"
        while name in names:
            name += "-2"
        names.add(name)
        outgoing.append(Outgoing(tuple(group), message, name))
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


def _connect(smtp: Smtp, username: str, password: str) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.cafile:
        context.load_verify_locations(cafile=smtp.cafile)
    if smtp.security == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT, context=context)
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        connection.ehlo()
        if smtp.security == "starttls":
            connection.starttls(context=context)
            connection.ehlo()
    if username:
        connection.login(username, password)
    return connection


def _reason(error: Exception) -> str:
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


def deliver(
    outgoing: list[Outgoing],
    smtp: Smtp,
    username: str,
    password: str,
    log: SentLog,
    digest: str,
    resend: bool = False,
) -> Outcome:
    """Send each message; a failure for one recipient never stops the others."""
    outcome = Outcome()
    connection: smtplib.SMTP | None = None
    files = []
    fatal = ""  # a failure no retry will mend (a refused login): the rest fail with it
    try:
        for item in outgoing:
            files = [p.get_filename() for p in item.message.iter_attachments()]
            key = item.key or digest
            pending = [r for r in item.recipients if resend or not log.has(r.email, key)]
            outcome.skipped += [r for r in item.recipients if r not in pending]
            if not pending:
                continue
            if fatal:
                outcome.failed += [(r, fatal) for r in pending]
                continue
            try:
                if connection is None:
                    connection = _connect(smtp, username, password)
                refused = connection.send_message(item.message, to_addrs=[r.email for r in pending])
            except smtplib.SMTPAuthenticationError as error:
                fatal = f"the server refused the login ({_reason(error)})"
                outcome.failed += [(r, fatal) for r in pending]
            except smtplib.SMTPRecipientsRefused as error:
                for r in pending:
                    code, text = error.recipients.get(r.email, (0, b""))
                    outcome.failed.append((r, f"the server refused the address ({code} {text.decode('utf-8', 'replace')})"))
            except (smtplib.SMTPException, OSError) as error:
                outcome.failed += [(r, _reason(error)) for r in pending]
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
