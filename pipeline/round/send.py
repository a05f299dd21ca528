"""Sending the paper to paper.toml's distribution list: what a send would do, or why it cannot; the messages composed, then said, drafted or sent."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from pipeline.build import as_in_meeting
from pipeline.filenames import TEMPLATES, slug
from pipeline.mail.compose import Outgoing, environment, message, sender_name
from pipeline.mail.dispatch import Dispatched, Login, Way, dispatch
from pipeline.mail.logs import SentLog
from pipeline.records.meeting import Meeting
from pipeline.records.problems import Problem
from pipeline.records.round import Round
from pipeline.records.settings import Mail, Paper
from pipeline.render.view import paper_stem
from pipeline.round.build import papers_current
from pipeline.round.config import load_mail
from pipeline.settings import check_output
from pipeline.vocabulary import long_date

SUBJECT_TEMPLATE = "mail_subject.txt"
BODY_TEMPLATE = "mail_body.txt"
LARGE_ATTACHMENTS = 10 * 1024 * 1024  # what many mail servers refuse beyond
OUTBOX = Path("outbox")
"""Where the drafts and the sent log are, in the output folder."""
SENT_LOG = OUTBOX / "sent.log"


class NotSent(str, Enum):
    """Why nothing can be sent (the CLI words it, naming the command to run)."""

    MISSING = "missing"  # the papers to attach are not in the output folder
    STALE = "stale"  # the papers are older than their returns or settings
    NO_SENDER = "no sender"  # paper.toml names no sender
    NO_RECIPIENTS = "no recipients"  # paper.toml has no usable recipient
    NO_SERVER = "no server"  # to send through SMTP, and paper.toml names no server


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
    dispatched: Dispatched | None = None
    """How the messages left (or, on a dry run, would)."""

    @property
    def large(self) -> bool:
        """Whether the attachments come to more than many mail servers take."""
        return self.size > LARGE_ATTACHMENTS


def plan(round_: Round, current: bool, mail: Mail, output: Path, templates: Path, now: dt.datetime,
         anyway: bool = False) -> SendPlan:
    """What sending the round's paper from ``output`` would do, its messages dated ``now``:
    ``current`` says whether the papers there are what a build would write now (stale ones
    are refused unless ``anyway``)."""
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
        found.outgoing = compose(round_.paper, mail, attachments, templates, now)
        found.digest = paper_digest(attachments)
    return found


def paper_digest(attachments: list[Path]) -> str:
    """What makes a paper 'the same paper': its attachments' bytes."""
    digest = hashlib.sha256()
    for path in attachments:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def compose(paper: Paper, mail: Mail, attachments: list[Path], templates: Path, now: dt.datetime) -> list[Outgoing]:
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
            files, now,
        )
        name = slug(group[0].name or group[0].email) if len(group) == 1 else "distribution-list"
        while name in names:
            name += "-2"
        names.add(name)
        outgoing.append(Outgoing(tuple(group), built, name))
    return outgoing


def send(inputs: Path, output: Path, meeting: Meeting | None, now: dt.datetime, way: Way, *, resend: bool = False,
         anyway: bool = False, dry_run: bool = False, login: Login | None = None,
         templates: Path = TEMPLATES) -> SendPlan:
    """The round's paper in ``output`` (shown as ``meeting`` lists it, where it does) sent
    ``way`` to paper.toml's distribution list, or with ``dry_run`` only said: each recipient
    once, unless ``resend``; papers older than their returns refused unless ``anyway``. The
    messages, and the log's entries, are dated ``now``."""
    check_output(output)
    round_, current = papers_current(inputs, output, templates, shown=lambda r: as_in_meeting(r, meeting))
    mail = load_mail(inputs, round_.paper)
    sending = plan(round_, current, mail, output, templates, now, anyway)
    if sending.refusal is None and way is Way.SMTP and not dry_run and mail.smtp is None:
        sending.refusal = NotSent.NO_SERVER
    if sending.refusal is None:
        sending.dispatched = dispatch(sending.outgoing, way, drafts=output / OUTBOX, log=SentLog(output / SENT_LOG, now),
                                      key=sending.digest, resend=resend, dry_run=dry_run, smtp=mail.smtp, login=login)
    return sending
