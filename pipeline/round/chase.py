"""Chasing returns: a reminder to each partnership whose return is still to come, with its form.

A reminder goes to the contact the registry names for the partnership, with the form
prefilled for it attached, the deadline and where to send the return; its words come
from templates/chase_subject.txt and chase_body.txt, which officers edit. Reminders are
written as drafts or sent exactly as the papers are (pipeline/mail/), and recorded in
the chase log, so that a second run on the same day reminds nobody twice. A draft is
recorded as drafted, not as a reminder, until it is sent (or the officer says it went).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from pipeline.filenames import TEMPLATES, append_json_line, read_json_lines, slug
from pipeline.intake.contacts import parse_contact
from pipeline.machinery.workers import Progress
from pipeline.mail.compose import Outgoing, environment, message, sender_name
from pipeline.mail.dispatch import Dispatched, Login, Way, dispatch
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.round import Round, Status
from pipeline.records.settings import Mail, Recipient
from pipeline.render.summary import summary_lines
from pipeline.round.config import load_mail
from pipeline.round.forms import write_form
from pipeline.round.read import read_round
from pipeline.settings import check_output
from pipeline.vocabulary import FILL_IN, WRITING, long_date

CHASE_LOG = Path("outbox") / "chase.log"
"""The chase log, in the output folder."""
DRAFTS = Path("outbox") / "chase"
"""Where reminders are written as drafts, in the output folder."""
DRAFTED = "drafted"
"""A chase log entry's state when the reminder was only written as a draft."""
SUBJECT_TEMPLATE = "chase_subject.txt"
BODY_TEMPLATE = "chase_body.txt"


class ChaseLog:
    """output/outbox/chase.log: a JSON line for every reminder written or sent."""

    def __init__(self, path: Path):
        self.path = path
        self.lines = [e for e in read_json_lines(path)
                      if all(isinstance(e.get(k), str) for k in ("round", "partnership", "on"))]

    def last_chased(self, round_id: str, drafted: bool = False) -> dict[str, dt.date]:
        """When each partnership (by id) was last reminded in this round: sent, or (with
        ``drafted``) written as a draft, which is not a reminder until it is sent."""
        last: dict[str, dt.date] = {}
        for entry in self.lines:
            if entry["round"] != round_id or (entry.get("state") == DRAFTED) != drafted:
                continue
            try:
                on = dt.date.fromisoformat(entry["on"])
            except ValueError:
                continue
            last[entry["partnership"]] = max(on, last.get(entry["partnership"], on))
        return last

    # What pipeline.send.deliver asks of a log: has this one been sent, and record it.

    def drafts_awaiting(self, round_id: str) -> dict[str, dt.date]:
        """When each partnership (by id) was drafted a reminder not sent since, in this round."""
        sent = self.last_chased(round_id)
        return {pid: on for pid, on in self.last_chased(round_id, drafted=True).items() if on > sent.get(pid, dt.date.min)}

    def has(self, email: str, key: str) -> bool:
        """Whether the reminder ``key`` was sent (a draft is not)."""
        return any(_key(e["round"], e["partnership"], e["on"]) == key and e.get("state") != DRAFTED for e in self.lines)

    def was_drafted(self, key: str) -> bool:
        """Whether the reminder ``key`` (a partnership's, of a day) was written as a draft."""
        return any(_key(e["round"], e["partnership"], e["on"]) == key and e.get("state") == DRAFTED for e in self.lines)

    def drafted(self, recipient: Recipient, key: str, files: list[str]) -> None:
        """Record that the reminder ``key`` was written as a draft for the officer to send."""
        round_id, partnership, on = key.split("\x1f")
        entry = {"round": round_id, "partnership": partnership, "on": on, "to": recipient.email, "files": files,
                 "state": DRAFTED}
        append_json_line(self.path, entry)
        self.lines.append(entry)

    def in_doubt(self, email: str, key: str) -> bool:
        return False  # a reminder sent twice does no harm worth asking about

    def attempt(self, recipient: Recipient, key: str) -> None:
        pass

    def record(self, recipient: Recipient, key: str, files: list[str]) -> None:
        round_id, partnership, on = key.split("\x1f")
        entry = {"round": round_id, "partnership": partnership, "on": on, "to": recipient.email, "files": files}
        append_json_line(self.path, entry)  # recorded before the next reminder is attempted
        self.lines.append(entry)


def _key(round_id: str, partnership: str, on: str) -> str:
    return "\x1f".join((round_id, partnership, on))


def reminders(round_: Round, mail: Mail, templates: Path, now: dt.datetime) -> tuple[list[Outgoing], list[Problem]]:
    """A reminder for every partnership whose return is missing or unreadable, and a
    problem for each one that cannot be reminded (no email address in the registry)."""
    paper, today = round_.paper, now.date()
    env = environment(templates)
    out: list[Outgoing] = []
    problems: list[Problem] = []
    for entry in round_.entries:
        if not entry.outstanding:
            continue
        partnership = entry.partnership
        emails = parse_contact(partnership.contact).emails
        if not emails:
            problems.append(
                Problem(
                    Severity.WARNING,
                    Source("partnerships.toml"),
                    f"{partnership.name} cannot be reminded: its contact has no email address",
                    f"add one to its contact in partnerships.toml (now: '{partnership.contact or 'none'}')",
                )
            )
            continue
        name = partnership.contact.split(",")[0].split(emails[0])[0].strip(" <>")
        recipient = Recipient(name, emails[0])
        days = (paper.deadline - today).days if paper.deadline else None
        facts = {
            "partnership": partnership.name,
            "contact_name": name,
            "committee": paper.committee,
            "meeting_date": long_date(paper.meeting_date),
            "title": paper.title,
            "deadline": long_date(paper.deadline) if paper.deadline else "",
            "days_left": days,
            "return_to": paper.return_to,
            "unreadable": entry.status is Status.UNREADABLE,
            "file": entry.file,
            "reason": entry.reason,
            "sender_name": sender_name(mail),
            "fill_in": FILL_IN,
            "writing": WRITING,
        }
        form = io.BytesIO()
        write_form(form, paper, partnership)
        reminder = message(
            mail, recipient.address,
            env.get_template(SUBJECT_TEMPLATE).render(facts), env.get_template(BODY_TEMPLATE).render(facts),
            [(f"{slug(partnership.name)}.xlsx", form.getvalue())], now,
        )
        key = _key(paper.round_id, partnership.id, today.isoformat())
        out.append(Outgoing((recipient,), reminder, f"chase-{slug(partnership.name)}", key))
    return out, problems


@dataclass
class ChasePlan:
    """Who a chase reminds: a reminder for every partnership still to send, those of them
    due (not reminded today, or ``again``), and the partnerships that cannot be reminded."""

    reminders: list[Outgoing] = field(default_factory=list)
    due: list[Outgoing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def done_today(self) -> int:
        """How many were reminded today already, and are not reminded again."""
        return len(self.reminders) - len(self.due)


def plan(round_: Round, mail: Mail, templates: Path, now: dt.datetime, log: ChaseLog, again: bool = False) -> ChasePlan:
    """The chase to make on ``now``'s day: every reminder, those due, and who cannot be reminded."""
    outgoing, problems = reminders(round_, mail, templates, now)
    due = [item for item in outgoing if again or not log.has(item.recipients[0].email, item.key)]
    return ChasePlan(outgoing, due, problems)


class NotChased(str, Enum):
    """Why nobody can be reminded (the command line words it)."""

    NO_SENDER = "no sender"  # paper.toml names no sender
    NO_SERVER = "no server"  # to send through SMTP, and paper.toml names no server


@dataclass
class Chased:
    """What a chase did: the plan (or why there is none), and how its reminders left, or
    which drafts were recorded as sent."""

    plan: ChasePlan | None = None
    refusal: NotChased | None = None
    dispatched: Dispatched | None = None
    recorded: list[Outgoing] | None = None
    """With ``sent``: the reminders whose drafts of today were recorded as sent."""


def chase(inputs: Path, output: Path, now: dt.datetime, way: Way, *, again: bool = False, sent: bool = False,
          dry_run: bool = False, login: Login | None = None, templates: Path = TEMPLATES) -> Chased:
    """Remind, as of ``now``, every partnership whose return is still to come: said with
    ``dry_run``, else (with ``sent``) today's drafts recorded as sent, else the reminders
    due written as drafts or sent ``way``."""
    check_output(output)
    round_ = read_round(inputs)
    mail = load_mail(inputs, round_.paper)
    if not mail.sender:
        return Chased(refusal=NotChased.NO_SENDER)
    log = ChaseLog(output / CHASE_LOG)
    chasing = plan(round_, mail, templates, now, log, again)
    done = Chased(chasing)
    if not chasing.reminders:
        return done
    if dry_run:
        done.dispatched = dispatch(chasing.reminders, way, drafts=output / DRAFTS, log=log, resend=again, dry_run=True)
    elif sent:  # the officer sent today's drafts by hand: they are reminders now
        done.recorded = [item for item in chasing.due if log.was_drafted(item.key)]
        for item in done.recorded:
            log.record(item.recipients[0], item.key, [])
    elif way is Way.SMTP and mail.smtp is None:
        done.refusal = NotChased.NO_SERVER
    else:
        done.dispatched = dispatch(chasing.due, way, drafts=output / DRAFTS, log=log, resend=again, smtp=mail.smtp,
                                   login=login)
        for item, path in done.dispatched.drafts:
            log.drafted(item.recipients[0], item.key, [path.name])
    return done


def track(inputs: Path, output: Path, today: dt.date, progress: Progress | None = None) -> tuple[Round, list[str]]:
    """The round in ``inputs`` as ``make check`` tells it on ``today``: each partnership's
    status, the days left, and who was reminded when (from the chase log in ``output``)."""
    round_ = read_round(inputs, progress=progress)
    log = ChaseLog(output / CHASE_LOG)
    round_id = round_.paper.round_id
    return round_, summary_lines(round_, today, log.last_chased(round_id), log.drafts_awaiting(round_id))
