"""How a settings file says its papers are sent: the [mail] table (sender, server) and the [[recipient]] list, each entry checked."""

from __future__ import annotations

import re
from typing import Any

from pipeline.filenames import shown
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.settings import Mail, Recipient, Smtp
from pipeline.settings import check_keys, fail, unknown_keys
from pipeline.text import clean

MAIL_DEFAULTS: dict[str, Any] = {
    "from": "",  # "Claire Moore <claire.moore@oxfordshire.gov.uk>"; the contact's address if empty
    "per_recipient": True,  # one message per recipient; false: one message to the whole list
    "attach_docx": False,  # attach the Word paper as well as the PDF
    "smtp": {},
}
SMTP_DEFAULTS: dict[str, Any] = {
    "host": "",
    "port": 587,
    "security": "starttls",  # "starttls", "ssl" or "none"
    "username": "",  # or the environment variable PAPERS_SMTP_USERNAME
    "cafile": "",  # extra certificates to trust, for a server with the council's own CA
    "timeout": 120,  # seconds one message's whole conversation with the server may take
}
RECIPIENT_KEYS = ("name", "email", "role")
_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


_LINE_BREAK = re.compile(r"[\r\n\x00-\x1f\x7f\u0085\u2028\u2029]")


def is_address(text: str) -> bool:
    """Whether ``text`` is a plain email address (name@example.gov.uk)."""
    return bool(_ADDRESS.match(text))


def read_mail(settings: dict, file_name: str, default_sender: str, recipient_keys=RECIPIENT_KEYS) -> Mail:
    """How to send, from the [mail] and [[recipient]] entries of ``settings`` (read from the
    file named ``file_name``); each recipient's ``exempt`` (entitled to exempt papers) where
    ``recipient_keys`` allows it."""
    mail = settings.get("mail", {})
    if not isinstance(mail, dict):
        raise fail(file_name, "'mail' must be a table", "write it as a [mail] section")
    check_keys(file_name, mail, MAIL_DEFAULTS, " in [mail]")
    mail = {**MAIL_DEFAULTS, **mail}
    smtp_settings = mail["smtp"]
    check_keys(file_name, smtp_settings, SMTP_DEFAULTS, " in [mail.smtp]")
    smtp_settings = {**SMTP_DEFAULTS, **smtp_settings}
    smtp = None
    if smtp_settings["host"]:
        security = str(smtp_settings["security"]).lower()
        if security not in ("starttls", "ssl", "none"):
            raise fail(file_name, f"security '{security}' in [mail.smtp] is not known", 'use "starttls", "ssl" or "none"')
        if not isinstance(smtp_settings["port"], int) or isinstance(smtp_settings["port"], bool):
            raise fail(file_name, "'port' in [mail.smtp] must be a number", "write it without quotes, as port = 587")
        timeout = smtp_settings["timeout"]
        if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= 3600:
            raise fail(file_name, "'timeout' in [mail.smtp] must be a number of seconds from 1 to 3600",
                        "write it without quotes, as timeout = 120")
        smtp = Smtp(
            host=str(smtp_settings["host"]).strip(),
            port=smtp_settings["port"],
            security=security,
            username=str(smtp_settings["username"]).strip(),
            cafile=str(smtp_settings["cafile"]).strip(),
            timeout=timeout,
        )

    entries = settings.get("recipient", [])
    if not isinstance(entries, list):
        raise fail(file_name, "'recipient' must be a list", "write each recipient as a [[recipient]] section")
    recipients, problems = [], []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(Severity.ERROR, Source(file_name), f"recipient {number} is not a [[recipient]] section",
                                    "write it as [[recipient]] with name = … and email = …; the others are sent as usual"))
            continue
        unknown = unknown_keys(entry, recipient_keys)
        if unknown:  # a typo costs that recipient alone, named
            problems.append(Problem(Severity.ERROR, Source(file_name), f"recipient {number} has {unknown[0]}",
                                    f"{unknown[1]}; they are sent nothing until then, the others as usual"))
            continue
        raw_name = str(entry.get("name", ""))
        name = clean(raw_name)[0].strip()
        email = str(entry.get("email", "")).strip()
        who = f"recipient {number}" + (f" ({' '.join(name.split())})" if name else "")
        if _LINE_BREAK.search(raw_name) or _LINE_BREAK.search(email):
            # A line break in a header would let the name write headers of its own.
            problems.append(Problem(Severity.ERROR, Source(file_name), f"{who}: the name or address has a line break in it",
                                    "put the name and address each on one line; the others are sent as usual"))
            continue
        if not is_address(email):
            problems.append(
                Problem(
                    Severity.ERROR,
                    Source(file_name),
                    f"{who}: '{email}' is not an email address" if email else f"{who} has no email address",
                    f"correct the address in {file_name}; the others are sent as usual",
                )
            )
            continue
        exempt = entry.get("exempt", False)
        if not isinstance(exempt, bool):
            problems.append(Problem(Severity.ERROR, Source(file_name), f"{who}: exempt = {shown(repr(exempt))[:40]} is not true or false",
                                    "write exempt = true for someone entitled to exempt papers; they are not sent anything until then"))
            continue
        recipients.append(Recipient(name, email, clean(str(entry.get("role", "")))[0].strip(), exempt))

    if _LINE_BREAK.search(str(mail["from"])):
        raise fail(file_name, "'from' in [mail] has a line break in it", 'write it on one line, as from = "Name <address>"')
    sender = str(mail["from"]).strip() or default_sender
    return Mail(
        sender=sender,
        recipients=tuple(recipients),
        per_recipient=bool(mail["per_recipient"]),
        attach_docx=bool(mail["attach_docx"]),
        smtp=smtp,
        problems=tuple(problems),
    )
