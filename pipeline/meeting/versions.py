"""What has been published of a meeting: each version of its agenda (v1 the agenda, then each supplement) and of its minutes, their files and digests.

``make publish`` records a version: ``output/versions/<meeting>/record.json`` says what
was published and when, with every file's SHA-256, and ``vN/`` beside it keeps a copy of
each file as it was published (the private packs in ``output/private/versions/``). Neither
is ever rewritten: a later version adds a folder and a line to the record. The minutes are
kept the same way, as versions of their own (``mN/``: the draft, then the confirmed). The record is
read as untrusted input (it lives in the output folder): one that is malformed, names a
file outside its folder, or no longer matches the copies kept is refused, with advice, and
nothing is published or supplemented over it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.filenames import PRIVATE, shown, write_atomic
from pipeline.meeting.edition import Edition
from pipeline.records.meeting import Meeting
from pipeline.records.problems import Problem, Severity, Source
from pipeline.vocabulary import long_date

VERSIONS = "versions"
RECORD = "record.json"
FORMAT = 1
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")
"""A published file's name as papers writes it: no folder, nothing hidden."""


@dataclass(frozen=True)
class PublishedFile:
    """One file of a version, as published."""

    name: str
    sha256: str
    size: int
    private: bool = False
    """A private pack, sent only to those entitled, never in the publication folder."""


@dataclass(frozen=True)
class PublishedItem:
    """An agenda item as a version left it."""

    number: str
    title: str
    digest: str
    """SHA-256 of the item's PDFs, in order: a paper corrected changes it."""
    exempt: int | None = None
    pack: str = ""
    """The pack its paper is in, as it stands (the agenda pack, or the supplement that last
    replaced it; "" for an item without a paper)."""
    withdrawn: str = ""
    """Why it was withdrawn, once a version withdrew it."""


@dataclass(frozen=True)
class Version:
    """One published version of the agenda."""

    number: int
    name: str
    """"Agenda" for version 1, then "Supplement 1", "Supplement 2" …"""
    published: str
    """The date of publication its front sheet prints (ISO)."""
    recorded: str
    """When ``make publish`` recorded it (ISO date and time)."""
    pack: str
    files: tuple[PublishedFile, ...]
    items: tuple[PublishedItem, ...]
    """Every item of the agenda as this version left it."""
    changes: tuple[str, ...] = ()
    """What this version changed, a line each (none for the agenda)."""

    @property
    def edition(self) -> Edition:
        """What it is, by its number: the agenda, or a supplement."""
        return Edition(self.number)

    @property
    def published_long(self) -> str:
        """Its date of publication as the papers print it: 9 March 2011."""
        return long_date(dt.date.fromisoformat(self.published))


@dataclass(frozen=True)
class Result:
    """What the published minutes say the committee did with an item (OParl's ``result``
    and ``resolutionText``; an exempt item's resolution is not published)."""

    number: str
    result: str
    resolution: str = ""


@dataclass(frozen=True)
class MinutesVersion:
    """One published version of the meeting's minutes: the draft, then the confirmed."""

    number: int
    status: str
    """"draft", or "confirmed" once the next meeting has agreed them."""
    published: str
    recorded: str
    files: tuple[PublishedFile, ...]
    results: tuple[Result, ...] = ()
    confirmed_at: str = ""
    """The date of the meeting that confirmed them (ISO), once one has."""

    @property
    def title(self) -> str:
        """What the meeting's page calls them: "Minutes (draft)", or "Minutes (confirmed at the
        meeting of 22 September 2011)"."""
        if self.confirmed_at:
            return f"Minutes (confirmed at the meeting of {long_date(dt.date.fromisoformat(self.confirmed_at))})"
        return "Minutes (draft)"

    @property
    def published_long(self) -> str:
        return long_date(dt.date.fromisoformat(self.published))


MINUTES_STATUSES = ("draft", "confirmed")


@dataclass
class Record:
    """A meeting's publication record: its versions, oldest first, and its minutes'."""

    folder: Path
    versions: list[Version] = field(default_factory=list)
    minutes: list[MinutesVersion] = field(default_factory=list)

    @property
    def items(self) -> dict[str, PublishedItem]:
        """Each item as the latest version left it, by number."""
        return {item.number: item for item in self.versions[-1].items} if self.versions else {}

    def published_copy(self, name: str) -> bytes | None:
        """The public file ``name`` as the latest version that published it kept it, if one did."""
        for version in [*reversed(self.minutes), *reversed(self.versions)]:
            for file in version.files:
                if file.name == name and not file.private:
                    return self.copy(version, file).read_bytes()
        return None

    def first_published(self, name: str, sha256: str) -> str | None:
        """The day (ISO) the file ``name`` with these bytes was first published, if it was."""
        return next((version.published for version in [*self.versions, *self.minutes] for file in version.files
                     if file.name == name and file.sha256 == sha256), None)

    @property
    def private_folder(self) -> Path:
        """Where the private packs' copies are kept: the private folder's record folder."""
        return self.folder.parent.parent / PRIVATE / VERSIONS / self.folder.name

    def copy(self, version: Version | MinutesVersion, file: PublishedFile) -> Path:
        """Where the copy of ``file``, as ``version`` published it, is kept."""
        return (self.private_folder if file.private else self.folder) / _place(version) / file.name

    def write(self) -> bytes:
        """The record as written in record.json."""
        return (json.dumps({"format": FORMAT, "versions": [asdict(v) for v in self.versions],
                            **({"minutes": [asdict(m) for m in self.minutes]} if self.minutes else {})},
                           indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _place(version: Version | MinutesVersion) -> str:
    """The folder a version's copies are kept in: ``vN`` (the agenda's), ``mN`` (the minutes')."""
    return f"{'m' if isinstance(version, MinutesVersion) else 'v'}{version.number}"


def record_folder(output: Path, meeting: Meeting) -> Path:
    """The folder of ``meeting``'s record in ``output``."""
    return output / VERSIONS / meeting.stem


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_record(output: Path, meeting: Meeting) -> tuple[Record, Problem | None]:
    """The publication record of ``meeting`` in ``output`` (empty if nothing is published), or
    an empty one and the problem that makes it unusable. A publish stopped part way is
    finished (its record was written) or undone (it was not) first."""
    folder = record_folder(output, meeting)
    record = Record(folder)
    path = folder / RECORD
    try:
        for place in (output / VERSIONS, folder, output / PRIVATE / VERSIONS, record.private_folder):
            if place.is_symlink() or (place.exists() and not place.is_dir()):
                raise ValueError(f"{shown(str(place.relative_to(output)))} is a link or not a folder, which papers never "
                                 "writes through")
        if not (path.exists() or path.is_symlink()):
            _undo_unrecorded(record)
            _refuse_lost(record)
            return record, None
        if path.is_symlink() or not stat.S_ISREG(path.lstat().st_mode):
            raise ValueError("it is not a file of papers' own (a link, a folder or a pipe)")
        raw = json.loads(path.read_bytes())
        if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("versions"), list):
            raise ValueError("it is not a publication record papers wrote")
        record.versions = [_version(entry) for entry in raw["versions"]]
        minutes = raw.get("minutes", [])
        if not isinstance(minutes, list):
            raise ValueError("its minutes are not a list")
        record.minutes = [_minutes(entry) for entry in minutes]
        if not record.versions and not record.minutes:
            raise ValueError("it lists no version, and a record papers writes always holds one: it has lost them")
        for kept in (record.versions, record.minutes):
            if [v.number for v in kept] != list(range(1, len(kept) + 1)):
                raise ValueError("its versions are not numbered 1, 2, 3 …")
        _finish_recorded(record)
        _undo_unrecorded(record)
        _refuse_lost(record)
        for version in [*record.versions, *record.minutes]:
            for file in version.files:
                kept = record.copy(version, file)
                if not kept.is_file() or kept.is_symlink() or digest(kept.read_bytes()) != file.sha256:
                    raise ValueError(f"the copy of {shown(file.name)} kept for version {version.number} is missing or was changed")
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        return Record(folder), Problem(
            Severity.ERROR, Source(shown(str(path))), f"cannot be used ({shown(reason)[:200]})",
            "restore output/versions/ from your backup: papers neither publishes nor supplements the meeting "
            "until its record is right, so that nothing published is written over")
    return record, None


def _files(entry: dict) -> tuple[PublishedFile, ...]:
    """A version's files as its entry in the record lists them, each name and digest checked."""
    files = tuple(PublishedFile(**f) for f in entry["files"])
    for file in files:
        if not isinstance(file.name, str) or not SAFE_NAME.fullmatch(file.name):
            raise ValueError(f"it names a file papers would not write ({shown(str(file.name))[:60]})")
        if not (isinstance(file.sha256, str) and re.fullmatch(r"[0-9a-f]{64}", file.sha256)):
            raise ValueError(f"the digest of {shown(file.name)} is not a SHA-256")
    return files


def _version(entry) -> Version:
    if not isinstance(entry, dict):
        raise ValueError("a version is not a table")
    files = _files(entry)
    items = tuple(PublishedItem(**i) for i in entry["items"])
    version = Version(int(entry["number"]), str(entry["name"]), str(entry["published"]), str(entry["recorded"]),
                      str(entry["pack"]), files, items, tuple(str(c) for c in entry.get("changes", ())))
    for pack in (version.pack, *(item.pack for item in items)):
        if pack and not (isinstance(pack, str) and SAFE_NAME.fullmatch(pack)):
            raise ValueError(f"it names a pack papers would not write ({shown(str(pack))[:60]})")
    dt.date.fromisoformat(version.published)
    return version


def _minutes(entry) -> MinutesVersion:
    if not isinstance(entry, dict):
        raise ValueError("a version of the minutes is not a table")
    files = _files(entry)
    version = MinutesVersion(int(entry["number"]), str(entry["status"]), str(entry["published"]),
                             str(entry["recorded"]), files, tuple(Result(**r) for r in entry.get("results", ())),
                             str(entry.get("confirmed_at", "")))
    if version.status not in MINUTES_STATUSES:
        raise ValueError(f"a version of the minutes is neither {' nor '.join(MINUTES_STATUSES)}")
    dt.date.fromisoformat(version.published)
    if version.confirmed_at:
        dt.date.fromisoformat(version.confirmed_at)
    return version


def _staged(root: Path, place: str) -> Path:
    """Where a version's copies are written before its record is: renamed to ``place`` (``vN``, ``mN``) after."""
    return root / f".{place}.part"


def _finish_recorded(record: Record) -> None:
    """A version recorded but not yet moved from where its copies were written (a publish
    stopped between the two): moved now, as it would have been."""
    for last in (record.versions[-1:] + record.minutes[-1:]):
        for root in (record.folder, record.private_folder):
            staged = _staged(root, _place(last))
            if staged.is_dir() and not staged.is_symlink() and not (root / _place(last)).exists():
                os.replace(staged, root / _place(last))


def _undo_unrecorded(record: Record) -> None:
    """The copies of a version written and never recorded (a publish stopped before its
    record was written): never published, so taken away, as if it had not begun."""
    for place in (f"v{len(record.versions) + 1}", f"m{len(record.minutes) + 1}"):
        for root in (record.folder, record.private_folder):
            staged = _staged(root, place)
            if staged.is_dir() and not staged.is_symlink():
                shutil.rmtree(staged)


def _refuse_lost(record: Record) -> None:
    """Refuse a record that has lost a version: copies kept for a version it does not list."""
    for root in (record.folder, record.private_folder):
        for letter, kept in (("v", len(record.versions)), ("m", len(record.minutes))):
            for place in sorted(root.glob(f"{letter}*")) if root.is_dir() else []:
                number = place.name[1:]
                if number.isdigit() and int(number) > kept:
                    what = "version" if letter == "v" else "version of the minutes"
                    raise ValueError(f"copies are kept for {what} {number}, which it does not list: it has lost it")


def write_version(record: Record, version: Version | MinutesVersion, sources: dict[str, Path]) -> None:
    """Keep a copy of each of ``version``'s files (from ``sources``, by name), then add it to
    the record (an agenda's version, or the minutes'). The copies are written beside their
    place (``.vN.part``), the record is written, then they are moved into place: stopped at
    any moment, the next command finds the record as it was before (and takes the copies
    away) or after (and moves them in)."""
    staged = [_staged(record.folder, _place(version)), _staged(record.private_folder, _place(version))]
    for file in version.files:
        data = sources[file.name].read_bytes()
        if digest(data) != file.sha256:
            raise RuntimeError(f"{file.name} changed while it was being published")
        write_atomic(staged[file.private] / file.name, data)
    (record.minutes if isinstance(version, MinutesVersion) else record.versions).append(version)
    try:
        write_atomic(record.folder / RECORD, record.write())
    except BaseException:
        (record.minutes if isinstance(version, MinutesVersion) else record.versions).pop()
        raise
    _finish_recorded(record)
