"""Publishing a meeting's agenda and minutes: the meeting built, then the version it made ready (the agenda, a supplement, the minutes) recorded, its files kept as published.

``make publish`` builds the meeting, then records what the publication folder now holds
that no version has published yet: version 1 (the agenda) first, then each supplement. The
record says what was published and when, with every file's digest (versions.py). Before it
records, it checks the notice the agenda gives: the front sheet's date of publication must
be the day it is published, and fewer clear days than the law requires are named, day by
day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pipeline.filenames import LAST_ROUNDS, MEETING_FILE, TEMPLATES, write_atomic
from pipeline.machinery.workers import Progress
from pipeline.meeting.build import MeetingBuild, build_meeting
from pipeline.meeting.clear_days import Notice, notice
from pipeline.meeting.config import load_meeting
from pipeline.meeting.minutes import CONFIRMING, MinutesBuild, build_minutes
from pipeline.meeting.supplements import PackPlan, What
from pipeline.meeting.versions import (
    MinutesVersion,
    PublishedFile,
    PublishedItem,
    Result,
    Version,
    digest,
    load_record,
    write_version,
)
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
        return _in_error("the meeting's inputs have", errors)
    if plan.edition is None:
        return "", ""
    return _dates(meeting, plan, today)


def _in_error(whose: str, errors: list) -> tuple[str, str]:
    """The refusal of what is in error (``whose``: "the meeting's inputs have"), naming the first error."""
    return (f"{whose} {len(errors)} error{'s' if len(errors) > 1 else ''} (above), the first: {errors[0].source}: "
            f"{errors[0].message}", "mend them, so that what is published is what you meant")


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


@dataclass(frozen=True)
class PublishedMinutes:
    """What publishing the minutes did: the minutes built, the meeting built again (its page
    listing them), the version recorded (None if nothing was new), and why not, if not."""

    minutes: MinutesBuild | None = None
    built: MeetingBuild | None = None
    version: MinutesVersion | None = None
    refusal: NotPublished | None = None
    refused: str = ""
    advice: str = ""
    last: MinutesVersion | None = None
    confirmed: tuple[str, ...] = ()
    """What became of the earlier minutes an item of this meeting confirmed, a line each."""


def publish_minutes(inputs: Path, output: Path, now: dt.datetime, templates: Path = TEMPLATES,
                    progress: Progress | None = None) -> PublishedMinutes:
    """Build the draft minutes of the meeting in ``inputs`` as of ``now`` and record them as a
    version of the meeting's minutes, with every file's digest; the meeting's page and open
    data then list them, and the publication folder holds them."""
    meeting = load_meeting(inputs)
    if meeting is None:
        return PublishedMinutes(refusal=NotPublished.NO_MEETING)
    today = now.date()
    if today < meeting.date:
        return PublishedMinutes(refusal=NotPublished.REFUSED, refused=f"the meeting is on {long_date(meeting.date)}, "
                                "and its minutes are published after it", advice="check the date given with --today")
    made = build_minutes(inputs, output, today, templates, progress)
    refused, advice = _record_refusal(made)
    if refused:  # said before the meeting is built: the record is what the clerk is writing
        return PublishedMinutes(made, None, None, NotPublished.REFUSED, refused, advice)
    built = build_meeting(inputs, output, meeting, now, templates, progress)
    if built.publication is None:
        return PublishedMinutes(made, built, refusal=NotPublished.RECORD_UNUSABLE)
    record = built.plan.record
    last = record.minutes[-1] if record.minutes else None
    refused, advice = _minutes_refusal(built, last)
    if refused:
        return PublishedMinutes(made, built, None, NotPublished.REFUSED, refused, advice, last)
    version, sources = _minutes_version(made, len(record.minutes) + 1, now)
    if last is not None and {(f.name, f.sha256) for f in last.files} == {(f.name, f.sha256) for f in version.files}:
        return PublishedMinutes(made, built, last=last)
    write_version(record, version, sources)
    # The page and open data list them now: the meeting built again, then what is public of
    # it put where it is published.
    built = build_meeting(inputs, output, meeting, now, templates, progress)
    publication = built.publication
    confirmed, kept = _confirm(inputs, output, meeting, made, now, templates)
    for path in [*(record.copy(version, f) for f in version.files if not f.private), built.making.page,
                 *([built.making.data] if built.making.data else []), *kept]:
        write_atomic(publication.folder / path.name, path.read_bytes())
        publication.files.append(publication.folder / path.name)
    return PublishedMinutes(made, built, version, last=last, confirmed=tuple(confirmed))


def _minutes_version(made: MinutesBuild, number: int, now: dt.datetime,
                     confirmed_at: dt.date | None = None) -> tuple[MinutesVersion, dict[str, Path]]:
    """The minutes ``made`` as version ``number`` of their meeting's minutes, published
    ``now`` (the draft, or confirmed at the meeting on ``confirmed_at``); and its files by name."""
    sources = {path.name: (path, private) for path, private in made.files}
    files = tuple(PublishedFile(name, digest(path.read_bytes()), path.stat().st_size, private=private)
                  for name, (path, private) in sorted(sources.items()))
    results = tuple(Result(o.number, o.decision, "" if o.exempt else o.resolved_text)
                    for o in made.proceedings.outcomes if o.decision)
    return MinutesVersion(number, "confirmed" if confirmed_at else "draft", now.date().isoformat(),
                          now.isoformat(timespec="seconds"), files, results,
                          confirmed_at.isoformat() if confirmed_at else ""), \
        {name: path for name, (path, _) in sources.items()}


def _confirm(inputs: Path, output: Path, meeting: Meeting, made: MinutesBuild, now: dt.datetime,
             templates: Path) -> tuple[list[str], list[Path]]:
    """The minutes of each earlier meeting an item of this one agreed (``minutes_of``),
    published again as confirmed at this meeting: built from that meeting's record, kept by
    the new round beside its returns, and recorded as the next version of its minutes. What
    was done (or why not), a line each; and the public files to publish."""
    said, public = [], []
    for outcome in made.proceedings.outcomes:
        if outcome.minutes_of is None or outcome.decision not in CONFIRMING:
            continue
        day = long_date(outcome.minutes_of)
        earlier = dataclasses.replace(meeting, date=outcome.minutes_of)
        record, unusable = load_record(output, earlier)
        kept = inputs / LAST_ROUNDS / outcome.minutes_of.isoformat()
        if unusable or not record.minutes:
            said.append(f"the minutes of {day} are not confirmed here: " + (
                str(unusable) if unusable else "papers has not published them"))
            continue
        if record.minutes[-1].status == "confirmed":
            continue
        if not (kept / MEETING_FILE).is_file():
            said.append(f"the minutes of {day} are not confirmed here: their record ({kept / MEETING_FILE}) is not "
                        "kept, as make new-round keeps it")
            continue
        confirmed = build_minutes(kept, output, None, templates, confirmed_at=meeting.date)
        version, sources = _minutes_version(confirmed, len(record.minutes) + 1, now, confirmed_at=meeting.date)
        write_version(record, version, sources)
        public += [record.copy(version, f) for f in version.files if not f.private]
        said.append(f"the minutes of {day} are recorded as confirmed at this meeting (version {version.number})")
    return said, public


def _record_refusal(made: MinutesBuild) -> tuple[str, str]:
    """Why the minutes ``made`` cannot be published, and what to do ("" if they can): the
    record in error, or an item without its decision (a mistake is never published)."""
    errors = [p for p in made.problems if p.severity is Severity.ERROR]
    if errors:
        return _in_error("the record in meeting.toml has", errors)
    undecided = made.proceedings.undecided
    if undecided:
        many = len(undecided) > 1
        return (f"item{'s' if many else ''} {', '.join(undecided)} {'have' if many else 'has'} no decision recorded",
                'add decision = "noted" (or what the committee did) to each in meeting.toml')
    return "", ""


def _minutes_refusal(built: MeetingBuild, last: MinutesVersion | None) -> tuple[str, str]:
    """Why the meeting ``built`` cannot publish its minutes now, and what to do ("" if it
    can): an agenda change not yet published (publishing the minutes would publish it
    too), or minutes already confirmed (never replaced)."""
    if built.plan.pending is not None:
        return ("the agenda has changed since it was last published, and the meeting's page would publish the change "
                "with the minutes", "undo the change in meeting.toml, or publish it first (before the meeting)")
    if last is not None and last.status == "confirmed":
        return ("the minutes were confirmed as a correct record, and confirmed minutes are not replaced",
                "a correction is minuted at the next meeting")
    return "", ""
