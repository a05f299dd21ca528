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
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from pipeline.filenames import MEETING_FILE, TEMPLATES, slug
from pipeline.mail.compose import Outgoing, environment, message, sender_name
from pipeline.mail.dispatch import Dispatched, Login, Way, dispatch
from pipeline.mail.logs import SentLog
from pipeline.meeting.config import load_meeting
from pipeline.meeting.supplements import withdrawn_packs
from pipeline.meeting.versions import Record, Version, load_record
from pipeline.records.meeting import Meeting
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.settings import Recipient
from pipeline.vocabulary import long_date

SUBJECT_TEMPLATE = "agenda_mail_subject.txt"
BODY_TEMPLATE = "agenda_mail_body.txt"
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
    mail = meeting.mail
    entitled = _entitled(mail.recipients, found.problems)
    env = environment(templates)
    limit = int(meeting.attach_up_to_mb * 1024 * 1024)
    withdrawn = withdrawn_packs(meeting, record)
    for version in record.versions:
        public = next((f for f in version.files if f.name == version.pack and not f.private), None)
        private = next((f for f in version.files if f.private), None)
        # Each pack read once, however many it goes to.
        public_data = record.copy(version, public).read_bytes() if public else b""
        private_data = record.copy(version, private).read_bytes() if private else b""
        for recipient in mail.recipients:
            allowed = private is not None and entitled[recipient.email.casefold()]
            if version.pack in withdrawn and not entitled[recipient.email.casefold()]:
                # It holds the paper of an item exempt since: only those entitled may have it now.
                found.problems.append(Problem(
                    Severity.WARNING, Source(MEETING_FILE, None, recipient.email),
                    f"is not sent {version.name} ({version.pack}): it holds item{'s' if len(withdrawn[version.pack]) > 1 else ''} "
                    f"{', '.join(withdrawn[version.pack])}, exempt since it was published",
                    "nothing to do: the later versions they are sent say what changed"))
                continue
            size = (public.size if public else 0) + (private.size if allowed else 0)
            link = ""
            attached = []
            if public is not None and size <= limit:
                attached.append((public.name, public_data))
            elif public is not None:
                if not meeting.web:
                    found.problems.append(Problem(
                        Severity.ERROR, Source(MEETING_FILE, None, recipient.email),
                        f"{version.name} ({public.size / 1_048_576:.1f} MB) is larger than attach_up_to_mb, and there "
                        "is no web address to link to instead", 'set web = "https://…/" (the meeting page\'s address); '
                        "nothing of this version is sent to them until then"))
                    continue
                link = f"{meeting.web}{public.name}"
            facts = {
                "version_name": version.name,
                "number": version.number,
                "committee": meeting.committee,
                "meeting_date": long_date(meeting.date),
                "time": meeting.time,
                "venue": meeting.venue,
                "published": version.published_long,
                "changes": version.changes,
                "attachments": [name for name, _ in attached],
                "private": private.name if allowed else "",
                "link": link,
                "sender_name": sender_name(mail),
                "recipient_name": recipient.name,
            }
            if allowed:
                attached.append((private.name, private_data))
            built = message(mail, recipient.address, env.get_template(SUBJECT_TEMPLATE).render(facts),
                            env.get_template(BODY_TEMPLATE).render(facts), attached, now)
            key = f"{record.folder.name}-v{version.number}-{'exempt' if allowed else 'public'}-" + \
                  (public.sha256[:16] if public else "")
            found.outgoing.append(Outgoing((recipient,), built, f"{slug(recipient.name or recipient.email)}-v{version.number}", key))
    return found


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
         login: Login | None = None, templates: Path = TEMPLATES) -> AgendaSend:
    """Each published version of the meeting in ``inputs`` sent ``way`` to meeting.toml's
    list, or with ``dry_run`` only said: each version to each recipient once, unless ``resend``;
    the messages, and the log's entries, dated ``now``."""
    meeting = load_meeting(inputs)
    if meeting is None:
        return AgendaSend(NotSent.NO_MEETING)
    record, unusable = load_record(output, meeting)
    if unusable is not None:
        return AgendaSend(NotSent.RECORD_UNUSABLE, unusable)
    if not record.versions:
        return AgendaSend(NotSent.NOT_PUBLISHED)
    mail = meeting.mail
    if mail is None or not mail.sender:
        return AgendaSend(NotSent.NO_SENDER)
    if not mail.recipients:
        return AgendaSend(NotSent.NO_RECIPIENTS, list_problems=mail.problems)
    found = AgendaSend(list_problems=mail.problems, plan=plan(meeting, record, templates, now), last=record.versions[-1])
    log = SentLog(output / SENT_LOG, now)
    found.todo = [item for item in found.plan.outgoing
                  if resend or not all(log.has(r.email, item.key) for r in item.recipients)]
    if found.todo and way is Way.SMTP and not dry_run and mail.smtp is None:
        found.refusal = NotSent.NO_SERVER
    elif found.todo:
        found.dispatched = dispatch(found.todo, way, drafts=output / DRAFTS, log=log, resend=resend, dry_run=dry_run,
                                    smtp=mail.smtp, login=login)
    return found
