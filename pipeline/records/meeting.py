"""A meeting as papers knows it: its facts, its agenda items and the kinds of paper on them, and what its pages list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.filenames import slug
from pipeline.records.problems import Problem
from pipeline.records.settings import Mail, Officer


@dataclass(frozen=True)
class SuppliedPdf:
    """A supplied PDF as a pack takes it (pdf.prepare): its bytes with any active content
    stripped, or why it cannot go in."""

    data: bytes
    why: str = ""
    """Why it cannot go into a pack ("" if it can)."""
    advice: str = ""
    """What the officer can do about it, when it cannot."""
    tagged: bool = False
    removed: tuple[str, ...] = ()
    """The active content taken out of it, as an officer reads it: "JavaScript", "embedded files" …"""
    mended: tuple[str, ...] = ()
    """The damage mended so that the pack can take it: "damaged annotations" …"""
    fitted: tuple[str, ...] = ()
    """The sizes of its pages that were not A4, each fitted to A4: "2 pages of 216 × 279 mm"."""
    embedded: tuple[str, ...] = ()
    """The fonts it named without carrying that were embedded for it, as Liberation Sans ("Helvetica")."""
    unembedded: tuple[str, ...] = ()
    """The fonts it uses but does not carry ("Helvetica"): a reader's computer draws them with its own."""


@dataclass(frozen=True)
class AgendaRow:
    """One item as an agenda lists it, on the pack's front sheet and on the meeting's web page."""

    number: str
    title: str
    purpose: str = ""
    exempt: int | None = None
    """The paragraph of Schedule 12A that makes the item exempt; None for a public item."""
    href: str = ""
    """Where the item's link goes: its pack page, or its paper beside the web page; "" for none."""
    link_text: str = ""
    note: str = ""
    """What the agenda says under its title: why a late item is urgent, that it was withdrawn …"""
    appendices: tuple[tuple[str, str, str], ...] = ()
    """Its appendices as the agenda lists them under it: each title, link and link text."""
    files: tuple[Attachment, ...] = ()
    """On the meeting's page: its paper and appendices, each format published, web page first."""


@dataclass(frozen=True)
class Attachment:
    """One published file as the meeting's page lists it, as GOV.UK lists an attachment:
    its title (the link's text), file, format, size and pages, and whether it is tagged."""

    title: str
    href: str
    format: str
    """"HTML", "PDF" or "Word", as the page announces it."""
    size: int
    """In bytes."""
    pages: int = 0
    """A PDF's pages; 0 for a web page or Word file."""
    tagged: bool = True
    """False for a supplied PDF without tags: it may not suit assistive technology."""
    published: str = ""
    """The day these bytes were first published (ISO), or will be."""
    sha512: str = ""

    @property
    def size_text(self) -> str:
        """Its size as GOV.UK gives one: "812 bytes", "66 KB", "1.2 MB"."""
        if self.size < 1024:
            return f"{self.size} bytes"
        if self.size < 1024 * 1024:
            return f"{round(self.size / 1024)} KB"
        return f"{self.size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class PackLink:
    """A published pack as the meeting's page lists it: the agenda pack or a supplement."""

    name: str
    href: str
    published: str
    """Its date of publication, as the page prints it."""
    changes: tuple[str, ...] = ()
    withdrawn: str = ""
    """Why it was taken out of publication, if it was (it holds an item now exempt)."""
    file: Attachment | None = None
    """The file as the page lists it (none once withdrawn)."""


@dataclass(frozen=True)
class MinutesLink:
    """The meeting's published minutes as its page lists them: what they are, when they were
    published, every format; and what they record of each item, for the open data."""

    title: str
    """"Minutes (draft)", or "Minutes (confirmed at the meeting of …)"."""
    published: str
    files: tuple[Attachment, ...]
    results: tuple[tuple[str, str, str], ...] = ()
    """Each item's number, the decision (OParl's ``result``) and the resolution (``resolutionText``;
    "" for an exempt item's)."""


# --- a meeting: its agenda, and the kinds of paper on it ---------------------------------


@dataclass(frozen=True)
class PaperKind:
    """A kind of paper an agenda item can have (the table of them is kinds.KINDS): its name,
    and its handler, one of the two."""

    name: str
    # Not in the repr: a meeting's repr is part of its pack's cache key, and a function's
    # repr holds its address, which changes from run to run.
    built: Callable | None = field(default=None, repr=False)
    """Papers builds it: called with the file, a kinds.Reading and the folder the paper goes
    to, it gives the paper read as a Round (None if it cannot be) and the problems found
    reading it."""
    supplied: Callable | None = field(default=None, repr=False)
    """Someone supplied it: called with the file, the folder to keep conversions in and the
    date to stamp, it gives the file on its way to being a PDF (``result()`` waits for it)."""


@dataclass(frozen=True)
class Item:
    """One item of the agenda."""

    number: str
    title: str
    purpose: str = ""
    paper: Path | None = None
    kind: PaperKind | None = None
    appendices: tuple[Path, ...] = ()
    exempt: int | None = None
    """The paragraph of Schedule 12A that makes the item exempt; None for a public item."""
    late: str = ""
    """Why a late item is urgent, as the supplement that adds it states (s.100B(4)(b))."""
    withdrawn: str = ""
    """Why the item was withdrawn after the agenda was published; "" if it was not."""
    correction: str = ""
    """What was corrected in a paper replaced after the agenda was published."""
    appendix_titles: tuple[str, ...] = ()
    """Each appendix's title, in turn (given in meeting.toml, or made from its file's name)."""


@dataclass(frozen=True)
class Meeting:
    """A committee meeting: its facts, and its agenda in order."""

    committee: str
    date: dt.date
    time: str = ""
    venue: str = ""
    items: tuple[Item, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    council: str = ""
    """The council whose committee it is, as the front sheet names it."""
    clerk: Officer | None = None
    """Who to ask about the agenda: the front sheet and the meeting's page give the contact."""
    published: dt.date | None = None
    """The date of publication the front sheet of the version being built prints; None: the
    last day that leaves the statutory clear days (the agenda), or today (a supplement)."""
    clear_days: int = 5
    """The clear days the agenda is published before the meeting (3 in Wales)."""
    web: str = ""
    """The meeting page's web address: the open data's links, and the link a pack too large to
    attach is sent as."""
    attach_up_to_mb: float = 10
    """The largest message a pack is attached to; a larger pack is sent as a link to ``web``."""
    mail: Mail | None = None
    """How the agenda is sent, and to whom (meeting.toml's [mail] and [[recipient]] list)."""

    @property
    def stem(self) -> str:
        """The start of the meeting's own files' names (its pack, page, check report and
        record): its date and committee."""
        return f"{self.date.isoformat()}-{slug(self.committee)}"
