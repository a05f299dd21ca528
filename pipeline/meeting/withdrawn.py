"""The published packs that hold an item made exempt since, and the redacted copies that stand in for them.

A pack once published is never rewritten. When an item whose paper it holds is made exempt,
the pack is withdrawn from publication, and the next version publishes a redacted copy of
it in its place: the same pack, that item's pages replaced one for one (pdf/redact.py), so
that no page number moves. A redacted copy is itself a published pack: it is withdrawn in
turn when another item it holds is made exempt (the next version then publishes a copy
withholding both, made from the pack as first published), and it is superseded when an
item it withholds is public again (by the pack as published, or by a copy withholding
only those still exempt). What each copy withholds is
read from the record alone: the items of its pack that the version publishing it left
exempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.meeting.edition import Edition
from pipeline.meeting.versions import PublishedFile, Record, Version
from pipeline.records.meeting import Meeting


@dataclass(frozen=True)
class Copy:
    """A redacted copy of a published pack: the version whose pack it redacts, its file's
    name, the items whose pages it withholds, and the version it is published with."""

    of: Version
    name: str
    withheld: tuple[str, ...]
    edition: Edition

    @property
    def title(self) -> str:
        """As the meeting's page lists it: "Agenda pack, redacted with Supplement 1"."""
        return f"{self.of.edition.pack_title}, redacted with {self.edition.name}"


@dataclass(frozen=True)
class Withdrawals:
    """Which published packs and copies are withdrawn (each with the items now exempt it
    holds), which copies are superseded, and which stand in for their pack."""

    withdrawn: dict[str, list[str]]
    superseded: frozenset[str]
    standing: dict[str, str]
    """Each withdrawn pack's current redacted copy's name, by the pack's, where one is published."""
    copies: tuple[tuple[Version, PublishedFile, Copy], ...]
    """Every redacted copy published: the version publishing it, its file, what it is."""

    def why(self, name: str) -> str:
        """Why the pack or copy ``name`` is out of publication ("" if it is not)."""
        items = self.withdrawn.get(name)
        if items:
            return f"item{'s' if len(items) > 1 else ''} {', '.join(items)} now exempt"
        if name in self.superseded:
            return "superseded: the pack as published, or a later copy, stands"
        return ""


def held(record: Record) -> dict[str, tuple[str, ...]]:
    """Each published pack, by name, with the items whose papers it holds (as the version
    whose pack it is left them: public, their paper in it)."""
    return {version.pack: tuple(item.number for item in version.items if item.pack == version.pack and not item.exempt)
            for version in record.versions}


def published_copies(record: Record) -> tuple[tuple[Version, PublishedFile, Copy], ...]:
    """Every redacted copy the record holds, oldest first, with what it withholds."""
    holding = held(record)
    found = []
    for version in record.versions:
        exempt = {item.number for item in version.items if item.exempt}
        for earlier in record.versions[:version.number - 1]:
            name = version.edition.redacted_name(earlier.pack)
            file = next((f for f in version.files if f.name == name and not f.private), None)
            if file is not None and earlier.pack in holding:
                withheld = tuple(n for n in holding[earlier.pack] if n in exempt)
                found.append((version, file, Copy(earlier, name, withheld, version.edition)))
    return tuple(found)


def withdrawals(meeting: Meeting, record: Record) -> Withdrawals:
    """What of the record is out of publication now, as ``meeting`` stands."""
    now_exempt = {item.number for item in meeting.items if item.exempt}
    holding = held(record)
    copies = published_copies(record)
    withdrawn: dict[str, list[str]] = {}
    for pack, numbers in holding.items():
        found = [n for n in numbers if n in now_exempt]
        if found:
            withdrawn[pack] = found
    for _, _, copy in copies:
        found = [n for n in holding[copy.of.pack] if n in now_exempt and n not in copy.withheld]
        if found:
            withdrawn[copy.name] = found
    standing, superseded = {}, set()
    for _, _, copy in reversed(copies):  # the latest first
        if copy.name in withdrawn:
            continue
        # A copy stands for its pack while it withholds exactly the pack's items exempt now:
        # one withholding an item public again is superseded (the next version makes another).
        if set(copy.withheld) == set(withdrawn.get(copy.of.pack, ())) and copy.of.pack not in standing:
            standing[copy.of.pack] = copy.name
        else:
            superseded.add(copy.name)
    return Withdrawals(withdrawn, frozenset(superseded), standing, copies)


def to_make(meeting: Meeting, record: Record, found: Withdrawals, edition: Edition | None) -> tuple[Copy, ...]:
    """The redacted copies ``edition`` is to publish: one of each withdrawn pack that no
    published copy stands in for, withholding every item of it now exempt."""
    if edition is None:
        return ()
    exempt = {item.number for item in meeting.items if item.exempt}
    holding = held(record)
    return tuple(Copy(version, edition.redacted_name(version.pack), tuple(n for n in holding[version.pack] if n in exempt),
                      edition)
                 for version in record.versions
                 if version.pack in found.withdrawn and version.pack not in found.standing
                 and any(file.name == version.pack and not file.private for file in version.files))
