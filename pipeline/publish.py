"""Publishing a meeting's agenda: the version a build made (the agenda, or a supplement) recorded, its files kept as published.

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
from pathlib import Path

from pipeline.assemble import MeetingBuild
from pipeline.clear_days import Notice, notice
from pipeline.filenames import PRIVATE
from pipeline.model import Meeting
from pipeline.packs import pack_names
from pipeline.supplements import What
from pipeline.versions import PublishedFile, PublishedItem, Version, digest, version_name, write_version


@dataclass(frozen=True)
class Published:
    """What publishing did: the version recorded (None if there was nothing new), the notice
    it gives, and why it was not recorded, if it was not."""

    version: Version | None
    notice: Notice | None = None
    refused: str = ""
    last: Version | None = None
    """The last version published before, if any."""
    advice: str = ""
    """What to do about a refusal, where it is not to set the date of publication."""


def publish(meeting: Meeting, built: MeetingBuild, output: Path, now: dt.datetime) -> Published:
    """Record the version ``built`` made ready in the publication folder, dated ``now``."""
    edition = built.edition
    record = edition.record
    last = record.versions[-1] if record.versions else None
    if last is not None and edition.pending is None:
        return Published(None, last=last)
    today = now.date()
    given = notice(today, meeting.date, meeting.clear_days)
    unexplained = [c.number for c in edition.pending.changes if c.what is What.LATE and not c.note] if edition.pending else []
    if unexplained:
        return Published(None, given, f"late item{'s' if len(unexplained) > 1 else ''} {', '.join(unexplained)} "
                         f"give{'' if len(unexplained) > 1 else 's'} no reason for urgency, which the supplement must state", last, advice=
                         'add late = "…" (why it cannot wait for the next meeting) to each in meeting.toml')
    printed = edition.date(meeting)
    if printed != today:
        return Published(None, given, f"the front sheet's date of publication is {printed:%-d %B %Y}, "
                         f"and today is {today:%-d %B %Y}", last)
    sources = {path.name: path for path in built.publication.files}
    already = {(f.name, f.sha256) for v in record.versions for f in v.files}
    files = []
    for name, path in sorted(sources.items()):
        found = digest(path.read_bytes())
        if (name, found) not in already:
            files.append(PublishedFile(name, found, path.stat().st_size))
    number = len(record.versions) + 1
    pack, private_name = pack_names(meeting, number)
    private = output / PRIVATE / private_name
    if private in built.written and private.is_file():
        files.append(PublishedFile(private.name, digest(private.read_bytes()), private.stat().st_size, private=True))
        sources[private.name] = private
    version = Version(number, version_name(number), today.isoformat(),
                      now.isoformat(timespec="seconds"), pack, tuple(files), _items(meeting, edition, pack, private.name),
                      tuple(c.line() for c in edition.pending.changes) if edition.pending else ())
    write_version(record, version, sources)
    return Published(version, given, last=last)


def _items(meeting: Meeting, edition, pack: str, private: str) -> tuple[PublishedItem, ...]:
    """Every item as this version leaves it: the ones it carries in its packs, the rest as before."""
    before = edition.record.items
    carried = edition.pending.carried if edition.pending else {item.number for item in meeting.items}
    items = []
    for item in meeting.items:
        found = edition.digests.get(item.number, "")
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
