"""Publishing a meeting's agenda: the meeting built, then the version it made ready (the agenda, or a supplement) recorded, its files kept as published.

``make publish`` builds the meeting, then records what the publication folder now holds
that no version has published yet: version 1 (the agenda) first, then each supplement. The
record says what was published and when, with every file's digest (versions.py). Before it
records, it checks the notice the agenda gives: the front sheet's date of publication must
be the day it is published, and fewer clear days than the law requires are named, day by
day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pipeline.filenames import TEMPLATES
from pipeline.machinery.workers import Progress
from pipeline.meeting.build import MeetingBuild, build_meeting
from pipeline.meeting.clear_days import Notice, notice
from pipeline.meeting.config import load_meeting
from pipeline.meeting.supplements import PackPlan, What
from pipeline.meeting.versions import PublishedFile, PublishedItem, Version, digest, write_version
from pipeline.publication import stage
from pipeline.records.meeting import Meeting
from pipeline.records.problems import Severity
from pipeline.settings import EARLIEST_YEAR, LATEST_YEAR
from pipeline.vocabulary import long_date


class NotPublished(str, Enum):
    """Why nothing was built or recorded (the command line words it)."""

    NO_MEETING = "no meeting"  # the inputs folder has no meeting.toml
    RECORD_UNUSABLE = "record unusable"  # the publication record cannot be used: nothing is published over it
    REFUSED = "refused"  # the version is not fit to publish today (``Published.refused`` says why)


@dataclass(frozen=True)
class Published:
    """What publishing did: the meeting built, the version recorded (None if there was
    nothing new), the notice it gives, and why it was not recorded, if it was not."""

    built: MeetingBuild | None = None
    version: Version | None = None
    notice: Notice | None = None
    refusal: NotPublished | None = None
    refused: str = ""
    """Why the version was refused (``REFUSED``)."""
    advice: str = ""
    """What to do about a refusal."""
    last: Version | None = None
    """The last version published before, if any."""


def publish(inputs: Path, output: Path, now: dt.datetime, templates: Path = TEMPLATES,
            progress: Progress | None = None) -> Published:
    """Build the meeting in ``inputs`` as of ``now``, then record the version the build made
    ready, dated ``now``, and make the publication folder hold it."""
    meeting = load_meeting(inputs)
    if meeting is None:
        return Published(refusal=NotPublished.NO_MEETING)
    built = build_meeting(inputs, output, meeting, now, templates, progress)
    if built.publication is None:
        return Published(built, refusal=NotPublished.RECORD_UNUSABLE)
    plan = built.plan
    last = plan.record.versions[-1] if plan.record.versions else None
    given = notice(now.date(), meeting.date, meeting.clear_days)
    refused, advice = _refusal(meeting, built, now.date())
    if refused:
        return Published(built, None, given, NotPublished.REFUSED, refused, advice, last)
    if last is not None and plan.pending is None:
        return Published(built, last=last)
    built.publication = stage(output, built.public_files, now, built.private_names)
    version = _version(meeting, built, now)
    write_version(plan.record, version, {path.name: path for path in [*built.publication.files, *_private(built)]})
    return Published(built, version, given, last=last)


def _refusal(meeting: Meeting, built: MeetingBuild, today: dt.date) -> tuple[str, str]:
    """Why what ``built`` made ready cannot be published ``today``, and what to do: a late
    item without its reason for urgency, the meeting's inputs in error (a mistake is never
    published as a decision), or a front sheet dated another day ("" if none)."""
    plan, pending = built.plan, built.plan.pending
    unexplained = [c.number for c in pending.changes if c.what is What.LATE and not c.note] if pending else []
    if unexplained:
        return (f"late item{'s' if len(unexplained) > 1 else ''} {', '.join(unexplained)} "
                f"give{'' if len(unexplained) > 1 else 's'} no reason for urgency, which the supplement must state",
                'add late = "…" (why it cannot wait for the next meeting) to each in meeting.toml')
    errors = [p for p in built.problems + built.private_problems if p.severity is Severity.ERROR and p not in plan.notices]
    if errors:
        return (f"the meeting's inputs have {len(errors)} error{'s' if len(errors) > 1 else ''} (above), the first: "
                f"{errors[0].source}: {errors[0].message}", "mend them, so that what is published is what you meant")
    if plan.edition is None:
        return "", ""
    return _dates(meeting, plan, today)


def _dates(meeting: Meeting, plan: PackPlan, today: dt.date) -> tuple[str, str]:
    """Why the law's dates refuse publishing ``plan``'s version ``today``: nothing after the
    meeting, no agenda on its day (it gives no notice), no version before the last, and a
    supplement on the day (tabled) only with a reason for each change; and a front sheet
    dated another day. With advice that works for the day given."""
    meeting_day, edition = long_date(meeting.date), plan.edition
    if not EARLIEST_YEAR <= today.year <= LATEST_YEAR:
        return (f"{today.isoformat()} is not a day a meeting's papers are published on",
                "check the date given with --today (YYYY-MM-DD), or leave it out to publish today")
    if today > meeting.date:
        return (f"the meeting was on {meeting_day}, and nothing is published for a meeting after its day",
                "what happened at it is recorded in its minutes; check the date given with --today, if you gave one")
    if edition.is_agenda and today == meeting.date:
        return (f"the agenda would be published on the day of the meeting ({meeting_day}), which gives no notice of it",
                "publish it at least the clear days before, or move the meeting")
    last = plan.record.versions[-1] if plan.record.versions else None
    if last is not None and today < dt.date.fromisoformat(last.published):
        return (f"{edition.name} would be published before {last.edition.called} ({last.published_long})",
                "check the date given with --today: a version is published after the one before it")
    if today == meeting.date:
        bare = [c.number for c in plan.pending.changes if not c.note]
        if bare:
            return (f"{edition.name}, tabled on the day of the meeting, gives no reason for item"
                    f"{'s' if len(bare) > 1 else ''} {', '.join(bare)}",
                    'say why each could not wait: late = "…", correction = "…" or withdrawn = "…" in meeting.toml')
    printed = plan.date(meeting)
    if printed != today:
        return (f"the front sheet's date of publication is {printed:%-d %B %Y}, and today is {today:%-d %B %Y}",
                f"set published = {today.isoformat()} in meeting.toml (the day you publish)")
    return "", ""


def _private(built: MeetingBuild) -> list[Path]:
    """The private pack this build made, if it made one (kept, never published)."""
    private = built.making.private
    return [private] if private is not None and private.is_file() else []


def _version(meeting: Meeting, built: MeetingBuild, now: dt.datetime) -> Version:
    """The version the publication folder holds, as the record keeps it: each file not
    published before, with its digest, and the private pack."""
    plan = built.plan
    already = {(f.name, f.sha256) for v in plan.record.versions for f in v.files}
    files = []
    for path in sorted(built.publication.files, key=lambda p: p.name):
        found = digest(path.read_bytes())
        if (path.name, found) not in already:
            files.append(PublishedFile(path.name, found, path.stat().st_size))
    for private in _private(built):
        files.append(PublishedFile(private.name, digest(private.read_bytes()), private.stat().st_size, private=True))
    edition = plan.edition
    pack, private_name = edition.pack_names(meeting.stem)
    return Version(edition.number, edition.name, now.date().isoformat(), now.isoformat(timespec="seconds"), pack,
                   tuple(files), _items(meeting, plan, pack, private_name),
                   tuple(c.line() for c in plan.pending.changes) if plan.pending else ())


def _items(meeting: Meeting, plan: PackPlan, pack: str, private: str) -> tuple[PublishedItem, ...]:
    """Every item as this version leaves it: the ones it carries in its packs, the rest as before."""
    before = plan.record.items
    carried = {item.number for item in plan.carried(list(meeting.items))}
    items = []
    for item in meeting.items:
        found = plan.digests.get(item.number, "")
        if item.number in carried or item.number not in before:
            where = (private if item.exempt else pack) if found and not item.withdrawn else ""
        else:
            where = before[item.number].pack
        items.append(PublishedItem(item.number, item.title, found, item.exempt, where, item.withdrawn))
    listed = {item.number for item in meeting.items}
    for number, gone in before.items():  # published, then taken off the agenda: withdrawn
        if number not in listed:
            items.append(PublishedItem(gone.number, gone.title, gone.digest, gone.exempt, gone.pack, gone.withdrawn or "withdrawn"))
    return tuple(items)
