"""What has been published of a meeting: each version of its agenda (v1 the agenda, then each supplement), its files and their digests.

``make publish`` records a version: ``output/versions/<meeting>/record.json`` says what
was published and when, with every file's SHA-256, and ``vN/`` beside it keeps a copy of
each file as it was published (the private packs in ``output/private/versions/``). Neither
is ever rewritten: a later version adds a folder and a line to the record. The record is
read as untrusted input (it lives in the output folder): one that is malformed, names a
file outside its folder, or no longer matches the copies kept is refused, with advice, and
nothing is published or supplemented over it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
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


@dataclass
class Record:
    """A meeting's publication record: its versions, oldest first."""

    folder: Path
    versions: list[Version] = field(default_factory=list)

    @property
    def items(self) -> dict[str, PublishedItem]:
        """Each item as the latest version left it, by number."""
        return {item.number: item for item in self.versions[-1].items} if self.versions else {}

    def published_copy(self, name: str) -> bytes | None:
        """The public file ``name`` as the latest version that published it kept it, if one did."""
        for version in reversed(self.versions):
            for file in version.files:
                if file.name == name and not file.private:
                    return self.copy(version, file).read_bytes()
        return None

    def copy(self, version: Version, file: PublishedFile) -> Path:
        """Where the copy of ``file``, as ``version`` published it, is kept."""
        root = self.folder.parent.parent / PRIVATE / VERSIONS / self.folder.name if file.private else self.folder
        return root / f"v{version.number}" / file.name


def record_folder(output: Path, meeting: Meeting) -> Path:
    """The folder of ``meeting``'s record in ``output``."""
    return output / VERSIONS / meeting.stem


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_record(output: Path, meeting: Meeting) -> tuple[Record, Problem | None]:
    """The publication record of ``meeting`` in ``output`` (empty if nothing is published), or
    an empty one and the problem that makes it unusable."""
    folder = record_folder(output, meeting)
    record = Record(folder)
    path = folder / RECORD
    if not path.exists():
        return record, None
    try:
        raw = json.loads(path.read_bytes())
        if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("versions"), list):
            raise ValueError("it is not a publication record papers wrote")
        record.versions = [_version(entry) for entry in raw["versions"]]
        if [v.number for v in record.versions] != list(range(1, len(record.versions) + 1)):
            raise ValueError("its versions are not numbered 1, 2, 3 …")
        for version in record.versions:
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


def _version(entry) -> Version:
    if not isinstance(entry, dict):
        raise ValueError("a version is not a table")
    files = tuple(PublishedFile(**f) for f in entry["files"])
    items = tuple(PublishedItem(**i) for i in entry["items"])
    for file in files:
        if not isinstance(file.name, str) or not SAFE_NAME.fullmatch(file.name):
            raise ValueError(f"it names a file papers would not write ({shown(str(file.name))[:60]})")
        if not (isinstance(file.sha256, str) and re.fullmatch(r"[0-9a-f]{64}", file.sha256)):
            raise ValueError(f"the digest of {shown(file.name)} is not a SHA-256")
    version = Version(int(entry["number"]), str(entry["name"]), str(entry["published"]), str(entry["recorded"]),
                      str(entry["pack"]), files, items, tuple(str(c) for c in entry.get("changes", ())))
    dt.date.fromisoformat(version.published)
    return version


def write_version(record: Record, version: Version, sources: dict[str, Path]) -> None:
    """Keep a copy of each of ``version``'s files (from ``sources``, by name), then add it to
    the record: a version whose copies are not all kept is not recorded."""
    for file in version.files:
        data = sources[file.name].read_bytes()
        if digest(data) != file.sha256:
            raise RuntimeError(f"{file.name} changed while it was being published")
        write_atomic(record.copy(version, file), data)
    versions = [asdict(v) for v in [*record.versions, version]]
    write_atomic(record.folder / RECORD, (json.dumps({"format": FORMAT, "versions": versions}, indent=1,
                                                     ensure_ascii=False) + "\n").encode("utf-8"))
    record.versions.append(version)
