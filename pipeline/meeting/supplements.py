"""A supplementary agenda: what changed on the agenda since its last published version.

Once the agenda is published, its pack never changes. A late item, a corrected paper or a
withdrawn item is published in a supplement instead: its own front sheet (each change,
each late item with the reason for urgency the clerk gives in meeting.toml, as s.100B(4)(b)
of the Local Government Act 1972 requires) and its own pack of the papers it adds or
replaces, numbered "Supplement 1, page N" so that no page can be taken for the agenda
pack's. An item made exempt after it was published is named, and its paper goes in the
supplement's private pack: a published pack that holds its paper is taken out of the
publication folder, and the supplement publishes a redacted copy in its place
(withdrawn.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum

from pipeline.filenames import MEETING_FILE
from pipeline.meeting.clear_days import latest_publication
from pipeline.meeting.edition import Edition
from pipeline.meeting.versions import Record
from pipeline.meeting.withdrawn import Copy, Withdrawals, to_make, withdrawals
from pipeline.records.meeting import Item, Meeting
from pipeline.records.problems import Problem, Severity, Source


class What(str, Enum):
    """What a change does to the agenda."""

    LATE = "late item"
    CORRECTED = "corrected paper"
    WITHDRAWN = "withdrawn"
    EXEMPT = "now exempt"
    PUBLIC = "now public"  # exempt when it was published, and public now


@dataclass(frozen=True)
class Change:
    """One change to the published agenda."""

    what: What
    number: str
    title: str
    note: str = ""
    """The reason for urgency, what was corrected, or why it was withdrawn."""
    exempt: int | None = None

    def line(self) -> str:
        """The change in a line, as the meeting's page and the record list it."""
        said = {What.LATE: "added as a late item", What.CORRECTED: "paper corrected", What.WITHDRAWN: "withdrawn",
                What.EXEMPT: "now exempt (not for publication)", What.PUBLIC: "no longer exempt: its paper is published"}[self.what]
        return f"Item {self.number}, {self.title}: {said}" + (f" – {self.note}" if self.note else "")


@dataclass(frozen=True)
class Pending:
    """The supplement a build makes: the version it is to be published as, and its changes."""

    edition: Edition
    changes: tuple[Change, ...]

    @property
    def carried(self) -> set[str]:
        """The items whose papers the supplement carries: the late ones, the corrected, those
        public again, and those now exempt (in its private pack)."""
        return {c.number for c in self.changes if c.what is not What.WITHDRAWN}


def item_digest(pdfs: list[tuple[str, bytes]]) -> str:
    """One digest of an item's PDFs and their titles, in order."""
    total = hashlib.sha256()
    for title, data in pdfs:
        total.update(hashlib.sha256(title.encode("utf-8")).digest() + hashlib.sha256(data).digest())
    return total.hexdigest()


def pending(meeting: Meeting, digests: dict[str, str], record: Record) -> tuple[Pending | None, list[Problem]]:
    """What a supplement to the last published version would say (None when nothing changed),
    and the problems with it (a late item without its reason, say). ``digests`` is each
    item's item_digest by number."""
    if not record.versions:
        return None, []
    published = record.items
    changes: list[Change] = []
    problems: list[Problem] = []
    listed = {item.number for item in meeting.items}
    last = record.versions[-1]
    moved = _renumbered(meeting, digests, published)
    problems += [_problem(item, f"has the paper and title item {was} was published with: a published agenda is not "
                                "renumbered, so it is not published", f"give it back its number ({was}); to replace "
                                "the item, keep it listed with withdrawn = \"…\" and add the new one as a late item")
                 for item, was in moved]
    for item in meeting.items:
        before = published.get(item.number)
        if item.number in {item.number for item, _ in moved}:
            continue
        if item.withdrawn:
            if before is not None and not before.withdrawn:
                changes.append(Change(What.WITHDRAWN, item.number, item.title, item.withdrawn))
            continue
        if before is None:
            if not item.late:
                problems.append(_problem(item, f"is new since the agenda was published on {last.published_long}, "
                                               "and gives no reason for urgency",
                                         'add late = "…" (why it cannot wait for the next meeting); the supplement '
                                         "that adds it must say so (s.100B(4)(b) of the Local Government Act 1972)"))
            changes.append(Change(What.LATE, item.number, item.title, item.late, item.exempt))
        elif item.exempt and not before.exempt:
            changes.append(Change(What.EXEMPT, item.number, item.title, f"paragraph {item.exempt} of Schedule 12A", item.exempt))
        elif before.exempt and not item.exempt:
            changes.append(Change(What.PUBLIC, item.number, item.title, item.correction))
        elif digests.get(item.number, "") != before.digest or item.title != before.title:
            changes.append(Change(What.CORRECTED, item.number, item.title, item.correction, item.exempt))
    renumbered_from = {was for _, was in moved}
    for number, before in published.items():
        if number not in listed and not before.withdrawn and number not in renumbered_from:
            # A typo in its settings, or its number reused, drops it as surely as a withdrawal
            # would: only withdrawn = "…" withdraws it.
            problems.append(Problem(Severity.ERROR, Source(MEETING_FILE, None, f"item {number}"),
                                    f"({before.title}) was published, and is no longer on the agenda: it is not "
                                    "published as withdrawn", "mend its settings (the problems above name what is "
                                    'wrong), or keep it listed with withdrawn = "…" (why) to withdraw it; its pages '
                                    "stay in the published pack"))
    return (Pending(Edition.after(len(record.versions)), tuple(changes)) if changes else None), problems


def _renumbered(meeting: Meeting, digests: dict[str, str], published: dict) -> list[tuple[Item, str]]:
    """The items listed under another number than the one they were published with (their
    title and papers' digest those of another published item's), with that number."""
    by_content = {(item.title, item.digest): item.number for item in published.values() if item.digest}
    found = []
    for item in meeting.items:
        was = by_content.get((item.title, digests.get(item.number, "")))
        if was is not None and was != item.number and not item.withdrawn:
            found.append((item, was))
    return found


def _problem(item: Item, message: str, advice: str) -> Problem:
    return Problem(Severity.ERROR, Source(MEETING_FILE, None, f"item {item.number}"), message, advice)


@dataclass(frozen=True)
class PackPlan:
    """What this build's packs are: the agenda (nothing published yet), or a supplement to
    the versions ``record`` holds (``pending``; None when nothing changed, and then no pack
    is made)."""

    published: dt.date | None
    """The date of publication its front sheet prints; None for the agenda's default, the
    last day that leaves the statutory clear days (counted only when the pack is made)."""
    record: Record
    pending: Pending | None = None
    withdrawals: Withdrawals = field(default_factory=lambda: Withdrawals({}, frozenset(), {}, ()))
    """The published packs and redacted copies out of publication, and those standing in."""
    redacting: tuple[Copy, ...] = ()
    """The redacted copies of withdrawn packs this build's version is to publish."""
    digests: dict[str, str] = field(default_factory=dict)
    """Each item's PDFs' digest (:func:`item_digest`), by number."""
    notices: tuple[Problem, ...] = ()
    """The errors that tell the clerk to take a pack holding an item now exempt off the
    website: what publishing the next version resolves, not a reason to refuse it."""

    @property
    def withdrawn(self) -> dict[str, list[str]]:
        """Each published pack (or redacted copy) taken out of publication, with the items now exempt it holds."""
        return self.withdrawals.withdrawn

    @property
    def edition(self) -> Edition | None:
        """The version the packs are to be published as; None when there is nothing to publish."""
        if not self.record.versions:
            return Edition(1)
        return self.pending.edition if self.pending else None

    def carried(self, items: list[Item]) -> list[Item]:
        """Those of ``items`` whose papers the packs hold: every item not withdrawn in the
        agenda, the late and corrected ones in a supplement."""
        if not self.record.versions:
            return [item for item in items if not item.withdrawn]
        return [item for item in items if self.pending and item.number in self.pending.carried]

    def date(self, meeting: Meeting) -> dt.date:
        """The date of publication the front sheet prints."""
        return self.published or latest_publication(meeting.date, meeting.clear_days)


def plan_packs(meeting: Meeting, digests: dict[str, str], record: Record, today: dt.date,
               problems: list[Problem]) -> PackPlan:
    """What this build's packs are, as of ``today``: the agenda, or (once it is published) a
    supplement with what changed since, each published pack that holds an item now exempt
    named in ``problems``. ``digests`` is each item's :func:`item_digest` by number."""
    pending_, found = pending(meeting, digests, record)
    problems.extend(found)
    found = withdrawals(meeting, record)
    notices = []
    for name, numbers in found.withdrawn.items():
        # An error until a published version has said the item is exempt; a reminder after.
        told = all(record.items[n].exempt for n in numbers if n in record.items)
        notices.append(Problem(
            Severity.WARNING if told else Severity.ERROR, Source(MEETING_FILE),
            f"item{'s' if len(numbers) > 1 else ''} {', '.join(numbers)} now exempt, but {name} was published with "
            "the paper in it: it is taken out of the publication folder",
            "take it off the website now; the meeting's page lists it as withdrawn, its pages stay in "
            "output/versions/ as published, and publishing the next version puts a redacted copy in its place"))
    problems += notices
    if not record.versions:
        published = meeting.published  # None: counted from the meeting's date when the pack is made
    else:
        last = dt.date.fromisoformat(record.versions[-1].published)
        published = meeting.published if meeting.published and meeting.published > last else today
    edition = Edition(1) if not record.versions else pending_.edition if pending_ else None
    return PackPlan(published, record, pending_, found, to_make(meeting, record, found, edition), digests,
                    tuple(notices))
