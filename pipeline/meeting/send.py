"""Sending the published agenda and each supplement to the committee's distribution list, each version once.

Each recipient in meeting.toml's distribution list is sent every published version they
have not had, a message each (the agenda pack, then each supplement), through the same
sent log and guarantees as the paper's own send (pipeline/mail/): drafts by default, SMTP
when configured, never twice. The private pack of a version goes only to a recipient whose own
entry says ``exempt = true``, and only ever as a copy kept when it was published; a pack
larger than the limit goes as a link to its published copy instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from pipeline.filenames import MEETING_FILE, TEMPLATES, slug
from pipeline.mail.compose import Outgoing, environment, message, sender_name
from pipeline.mail.dispatch import Dispatched, Login, Way, dispatch
from pipeline.mail.logs import SentLog
from pipeline.meeting.config import load_meeting
from pipeline.meeting.minutes import build_minutes
from pipeline.meeting.versions import PublishedFile, Record, Version, load_record
from pipeline.meeting.withdrawn import withdrawals
from pipeline.records.meeting import Meeting
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.settings import Recipient
from pipeline.settings import check_output
from pipeline.vocabulary import long_date

SUBJECT_TEMPLATE = "agenda_mail_subject.txt"
BODY_TEMPLATE = "agenda_mail_body.txt"
MINUTES_SUBJECT, MINUTES_BODY = "minutes_mail_subject.txt", "minutes_mail_body.txt"
CHAIR = "chair"
"""The role (in meeting.toml's [[recipient]] list) of whoever checks the draft minutes before they are published."""
SENT_LOG = Path("outbox") / "sent.log"
"""The sent log, shared with the paper's own send, in the output folder."""
DRAFTS = Path("outbox") / "agenda"
"""Where the agenda's messages are written as drafts, in the output folder."""


@dataclass
class AgendaPlan:
    """The messages sending the published versions would send, and who cannot be sent them."""

    outgoing: list[Outgoing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def plan(meeting: Meeting, record: Record, templates: Path, now: dt.datetime) -> AgendaPlan:
    """One message per recipient per published version: the version's pack attached (or
    linked, when larger than the limit), the private pack too for those entitled."""
    found = AgendaPlan()
    entitled = _entitled(meeting.mail.recipients, found.problems)
    out = withdrawals(meeting, record)
    withdrawn = out.withdrawn
    env = environment(templates)
    for packs in _published(record, {name for name in out.standing.values()}):
        for recipient in meeting.mail.recipients:
            allowed = entitled[recipient.email.casefold()]
            if packs.version.pack in withdrawn and not allowed:
                found.problems.append(_held_back(recipient, packs.version, withdrawn[packs.version.pack],
                                                 out.standing.get(packs.version.pack)))
                continue
            carrying = _carrying(meeting, packs, recipient, allowed, found.problems)
            if carrying is not None:
                found.outgoing.append(_message(meeting, record, packs, recipient, carrying, env, now))
    return found


@dataclass(frozen=True)
class _Packs:
    """A published version's packs as the messages carry them: each read once, however many it goes to."""

    version: Version
    public: PublishedFile | None
    private: PublishedFile | None
    public_data: bytes
    private_data: bytes
    copies: tuple[tuple[PublishedFile, bytes], ...] = ()
    """The redacted copies of earlier packs it published that still stand in for them."""


@dataclass(frozen=True)
class _Carrying:
    """What one message of a version carries: its attachments, or a link to the pack, and
    whether the private pack is among them."""

    attached: list[tuple[str, bytes]]
    links: list[str]
    private: bool


def _published(record: Record, standing: set[str]) -> list[_Packs]:
    """Each published version's public and private packs, and those of its redacted copies
    that are ``standing`` (in for a withdrawn pack), read from the copies kept."""
    found = []
    for version in record.versions:
        public = next((f for f in version.files if f.name == version.pack and not f.private), None)
        private = next((f for f in version.files if f.private), None)
        copies = tuple((f, record.copy(version, f).read_bytes()) for f in version.files
                       if f.name in standing and not f.private)
        found.append(_Packs(version, public, private, record.copy(version, public).read_bytes() if public else b"",
                            record.copy(version, private).read_bytes() if private else b"", copies))
    return found


def _held_back(recipient: Recipient, version: Version, items: list[str], standing: str | None) -> Problem:
    """Why someone not entitled to exempt papers is not sent a version holding an item exempt
    since, and what they are sent instead (its redacted copy, ``standing``, once published)."""
    return Problem(
        Severity.WARNING, Source(MEETING_FILE, None, recipient.email),
        f"is not sent {version.name} ({version.pack}): it holds item{'s' if len(items) > 1 else ''} "
        f"{', '.join(items)}, exempt since it was published",
        f"nothing to do: they are sent its redacted copy, {standing}, in its place" if standing else
        "publish the supplement that makes it exempt: it carries a redacted copy of the pack, which they are sent")


def _carrying(meeting: Meeting, packs: _Packs, recipient: Recipient, entitled: bool,
              problems: list[Problem]) -> _Carrying | None:
    """What a version's message to ``recipient`` carries: the pack attached, or linked when
    it is larger than the limit, and the private pack too when ``entitled``; None (and the
    problem said) when a pack too large has no web address to link to."""
    version, public = packs.version, packs.public
    allowed = packs.private is not None and entitled
    published = ([(public, packs.public_data)] if public else []) + list(packs.copies)
    size = sum(file.size for file, _ in published) + (packs.private.size if allowed else 0)
    attached, links = [], []
    if not _too_large(meeting, size):
        attached = [(file.name, data) for file, data in published]
    elif published:
        if not meeting.web:
            problems.append(Problem(
                Severity.ERROR, Source(MEETING_FILE, None, recipient.email),
                f"{version.name} ({size / 1_048_576:.1f} MB) is larger than attach_up_to_mb, and there "
                "is no web address to link to instead", 'set web = "https://…/" (the meeting page\'s address); '
                "nothing of this version is sent to them until then"))
            return None
        links = [f"{meeting.web}{file.name}" for file, _ in published]
    return _Carrying(attached, links, allowed)


def _too_large(meeting: Meeting, size: int) -> bool:
    """Whether a message of ``size`` bytes of attachments is larger than meeting.toml lets one be."""
    return size > int(meeting.attach_up_to_mb * 1024 * 1024)


def _message(meeting: Meeting, record: Record, packs: _Packs, recipient: Recipient, carrying: _Carrying, env,
             now: dt.datetime) -> Outgoing:
    """A version's message to ``recipient``, in the agenda mail's templates, known to the sent
    log by the version, whether it carries the private pack, and the pack's digest."""
    version, mail = packs.version, meeting.mail
    facts = {
        "version_name": version.name,
        "number": version.number,
        "committee": meeting.committee,
        "meeting_date": long_date(meeting.date),
        "time": meeting.time,
        "venue": meeting.venue,
        "published": version.published_long,
        "changes": version.changes,
        "attachments": [name for name, _ in carrying.attached],
        "private": packs.private.name if carrying.private else "",
        "links": carrying.links,
        "redacted": [file.name for file, _ in packs.copies],
        "sender_name": sender_name(mail),
        "recipient_name": recipient.name,
    }
    attached = carrying.attached + ([(packs.private.name, packs.private_data)] if carrying.private else [])
    built = message(mail, recipient.address, env.get_template(SUBJECT_TEMPLATE).render(facts),
                    env.get_template(BODY_TEMPLATE).render(facts), attached, now)
    key = f"{record.folder.name}-v{version.number}-{'exempt' if carrying.private else 'public'}-" + \
          (packs.public.sha256[:16] if packs.public else "")
    return Outgoing((recipient,), built, f"{slug(recipient.name or recipient.email)}-v{version.number}", key)


def _entitled(recipients: tuple[Recipient, ...], problems: list[Problem]) -> dict[str, bool]:
    """Whether each address is entitled to exempt papers: only if every entry for it says so."""
    entitled: dict[str, bool] = {}
    for recipient in recipients:
        key = recipient.email.casefold()
        if key in entitled and entitled[key] != recipient.exempt:
            problems.append(Problem(
                Severity.WARNING, Source(MEETING_FILE, None, recipient.email),
                "is listed twice, once entitled to exempt papers and once not: they are not sent the exempt papers",
                "list them once, with exempt = true if they are entitled"))
            entitled[key] = False
        else:
            entitled.setdefault(key, recipient.exempt)
    return entitled


class NotSent(str, Enum):
    """Why the agenda cannot be sent (the command line words it, naming the command to run)."""

    NO_MEETING = "no meeting"  # the inputs folder has no meeting.toml
    RECORD_UNUSABLE = "record unusable"  # the publication record cannot be read
    NOT_PUBLISHED = "not published"  # nothing is published yet
    NO_SENDER = "no sender"  # meeting.toml names no sender
    MAIL_UNUSABLE = "mail unusable"  # meeting.toml's [mail] cannot be read (``list_problems`` says why)
    NO_RECIPIENTS = "no recipients"  # meeting.toml has no usable recipient
    NO_SERVER = "no server"  # to send through SMTP, and meeting.toml names no server


@dataclass
class AgendaSend:
    """What sending the published versions did: why nothing could be sent, or the entries
    of the list that cannot be used, the messages still to send and how they left."""

    refusal: NotSent | None = None
    unusable: Problem | None = None
    """Why the publication record cannot be used (``RECORD_UNUSABLE``)."""
    list_problems: tuple[Problem, ...] = ()
    """Entries of meeting.toml's list that cannot be used, each named."""
    plan: AgendaPlan = field(default_factory=AgendaPlan)
    todo: list[Outgoing] = field(default_factory=list)
    """The messages someone has not had yet (all of them, to resend)."""
    last: Version | None = None
    """The last version published."""
    dispatched: Dispatched | None = None


def send(inputs: Path, output: Path, now: dt.datetime, way: Way, *, resend: bool = False, dry_run: bool = False,
         login: Login | None = None, templates: Path = TEMPLATES, minutes: bool = False) -> AgendaSend:
    """Each published version of the meeting in ``inputs`` sent ``way`` to meeting.toml's
    list, or with ``dry_run`` only said: each version to each recipient once, unless ``resend``;
    the messages, and the log's entries, dated ``now``. With ``minutes``, the minutes
    (minutes_plan): the draft, built now, to the chair; then each version published."""
    check_output(output)
    meeting = load_meeting(inputs)
    if meeting is None:
        return AgendaSend(NotSent.NO_MEETING)
    record, unusable = load_record(output, meeting)
    if unusable is not None:
        return AgendaSend(NotSent.RECORD_UNUSABLE, unusable)
    if not minutes and not record.versions:
        return AgendaSend(NotSent.NOT_PUBLISHED)
    mail = meeting.mail
    if mail is None or not mail.sender:
        unusable = mail is not None and any(p.severity is Severity.ERROR for p in mail.problems) and not mail.recipients
        return AgendaSend(NotSent.MAIL_UNUSABLE if unusable else NotSent.NO_SENDER,
                          list_problems=mail.problems if mail else ())
    if not mail.recipients:
        return AgendaSend(NotSent.NO_RECIPIENTS, list_problems=mail.problems)
    if minutes:
        # Until they are published, the draft, as the record in meeting.toml now makes it: never a stale one.
        drafts = (None, None) if record.minutes else build_minutes(inputs, output, None, templates).pdfs
        found = AgendaSend(list_problems=mail.problems, plan=minutes_plan(meeting, record, drafts, templates, now))
    else:
        found = AgendaSend(list_problems=mail.problems, plan=plan(meeting, record, templates, now),
                           last=record.versions[-1])
    log = SentLog(output / SENT_LOG, now)
    found.todo = [item for item in found.plan.outgoing
                  if resend or not all(log.has(r.email, item.key) for r in item.recipients)]
    if found.todo and way is Way.SMTP and not dry_run and mail.smtp is None:
        found.refusal = NotSent.NO_SERVER
    elif found.todo:
        found.dispatched = dispatch(found.todo, way, drafts=output / DRAFTS, log=log, resend=resend, dry_run=dry_run,
                                    smtp=mail.smtp, login=login)
    return found


def minutes_plan(meeting: Meeting, record: Record, drafts: tuple[Path | None, Path | None], templates: Path,
                 now: dt.datetime) -> AgendaPlan:
    """Before the minutes are published, the draft (``drafts``: the public minutes and the
    private ones) to each recipient whose role is Chair; once published, each version to
    everyone on the list, the private minutes only to those entitled to exempt papers."""
    found = AgendaPlan()
    entitled = _entitled(meeting.mail.recipients, found.problems)
    env = environment(templates)
    facts = {"committee": meeting.committee, "meeting_date": long_date(meeting.date),
             "sender_name": sender_name(meeting.mail)}
    if record.minutes:
        for version in record.minutes:
            public = next((f for f in version.files if not f.private and f.name.endswith(".pdf")), None)
            private = next((f for f in version.files if f.private and f.name.endswith(".pdf")), None)
            if public is None:
                continue
            for recipient in meeting.mail.recipients:
                allowed = private is not None and entitled[recipient.email.casefold()]
                # Larger than a message may carry: the public minutes linked where they are
                # published; the private minutes, never on the web, are attached still.
                linked = _too_large(meeting, public.size + (private.size if allowed else 0)) and bool(meeting.web)
                attached = [] if linked else [(public.name, record.copy(version, public).read_bytes())]
                secret = (private.name, record.copy(version, private).read_bytes()) if allowed else None
                key = f"{record.folder.name}-m{version.number}-{'exempt' if allowed else 'public'}-{public.sha256[:16]}"
                found.outgoing.append(_minutes_message(meeting, recipient, attached, secret, key, env, now, {
                    **facts, "draft": False, "title": version.title, "published": version.published_long,
                    "links": [f"{meeting.web}{public.name}"] if linked else []}, f"m{version.number}"))
        return found
    chairs = [r for r in meeting.mail.recipients if r.role.strip().casefold() == CHAIR]
    if not chairs:
        found.problems.append(Problem(
            Severity.ERROR, Source(MEETING_FILE), "nobody on the list has role = \"Chair\", to check the draft minutes",
            'add the chair as a [[recipient]] with role = "Chair" (and exempt = true, to check the exempt items\' '
            "minutes); or publish the minutes, which go to everyone"))
    public, private = drafts
    if public is None:
        return found
    data = public.read_bytes()
    for chair in chairs:
        allowed = private is not None and entitled[chair.email.casefold()]
        key = f"{record.folder.name}-minutes-draft-{'exempt' if allowed else 'public'}-" + \
              hashlib.sha256(data).hexdigest()[:16]
        found.outgoing.append(_minutes_message(meeting, chair, [(public.name, data)],
                                               (private.name, private.read_bytes()) if allowed else None, key, env,
                                               now, {**facts, "draft": True}, "minutes-draft"))
    return found


def _minutes_message(meeting: Meeting, recipient: Recipient, attached: list[tuple[str, bytes]],
                     private: tuple[str, bytes] | None, key: str, env, now: dt.datetime, facts: dict,
                     what: str) -> Outgoing:
    """A message of the minutes to ``recipient`` carrying ``attached`` and, for one entitled,
    the ``private`` minutes; known to the sent log by ``key``."""
    facts = {"links": [], **facts, "recipient_name": recipient.name, "attachments": [name for name, _ in attached],
             "private": private[0] if private else ""}
    built = message(meeting.mail, recipient.address, env.get_template(MINUTES_SUBJECT).render(facts),
                    env.get_template(MINUTES_BODY).render(facts), attached + ([private] if private else []), now)
    return Outgoing((recipient,), built, f"{slug(recipient.name or recipient.email)}-{what}", key)
