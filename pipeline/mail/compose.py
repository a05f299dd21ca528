"""A message as papers writes it: from the configured sender, dated, its Message-ID on the sender's domain, its words from templates officers edit; and a draft of it.

Every message papers sends — the paper, a reminder, the agenda — is made here and is one
:class:`Outgoing`: who it is for, the message, the name of its draft, and what the log
knows it by.
"""

from __future__ import annotations

import copy
import datetime as dt
import email.policy
import mimetypes
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path

from pipeline import lazy
from pipeline.filenames import write_atomic
from pipeline.records.settings import Mail, Recipient


@dataclass(frozen=True)
class Outgoing:
    """One message, and the people it is for."""

    recipients: tuple[Recipient, ...]
    message: EmailMessage
    draft_name: str
    key: str = ""
    """What the log knows this message by, if not by the paper it carries."""


def environment(templates: Path):
    """The mail templates' Jinja2 environment: plain text, so nothing is escaped."""
    jinja2 = lazy.jinja2()
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
                              autoescape=False)


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


def message(mail: Mail, to: str, subject: str, body: str, attachments: list[tuple[str, bytes]],
            now: dt.datetime) -> EmailMessage:
    """A message from the configured sender, dated ``now`` (the command's time), its Message-ID on the sender's domain."""
    domain = parseaddr(mail.sender)[1].rpartition("@")[2] or "papers.invalid"
    # An address with letters beyond ASCII (zoë@…) is written as it is, in UTF-8 (RFC 6532),
    # as a server that takes it (SMTPUTF8) needs it: the default would garble it.
    wide = not all(address.isascii() for _, address in getaddresses([mail.sender, to]))
    built = EmailMessage(policy=email.policy.SMTPUTF8 if wide else email.policy.default)
    built["From"] = mail.sender
    built["To"] = to
    built["Subject"] = " ".join(subject.split())
    built["Date"] = formatdate(now.timestamp(), localtime=True)
    built["Message-ID"] = make_msgid(domain=domain)
    built.set_content(body)
    for name, data in attachments:
        kind = _TYPES.get(Path(name).suffix.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        built.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return built


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
