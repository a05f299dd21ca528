"""The plain records that pass between stages: config → intake → collate → render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.utils import formataddr
from pathlib import Path
from typing import Callable

from pipeline.vocabulary import LABELS
from enum import Enum


# --- where a value came from, and what went wrong ------------------------------------


@dataclass(frozen=True)
class Source:
    """The place in an input a value was read from: file, and sheet and cell when known."""

    file: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.cell:
            where += f" {self.cell}"
        return where


class Severity(str, Enum):
    """How much a problem matters: an error costs a return; a warning is only reported."""

    ERROR = "error"
    WARNING = "warning"


WHO = "\x00partnership\x00"
"""Stands for the partnership in a problem's advice until collate knows its name."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, said so an officer can act on it.

    ``advice`` names the partnership as ``WHO`` where intake could not yet know its name;
    :meth:`addressed` puts the name in.
    """

    severity: Severity
    source: Source
    message: str
    advice: str = ""

    def addressed(self, name: str) -> Problem:
        """This problem with ``name`` in its advice wherever the partnership is meant."""
        if WHO not in self.advice and WHO not in self.message:
            return self
        return Problem(self.severity, self.source, self.message.replace(WHO, name), self.advice.replace(WHO, name))

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}"
        return f"{text} — {self.advice}" if self.advice else text


# --- rich text ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of character formats."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    NUMBER = "number"
    TABLE = "table"


@dataclass(frozen=True)
class Table:
    """A table an officer wrote (a Markdown pipe table): a row of column headers over rows of
    cells, each cell runs of text; every row as wide as the header."""

    head: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    align: tuple[str, ...] = ()
    """Each column's alignment: "left", "right", "center" or "" (the default)."""


class NumberFormat(str, Enum):
    """How a numbered list counts, named as CSS names list-style-type."""

    DECIMAL = "decimal"
    LOWER_ALPHA = "lower-alpha"
    UPPER_ALPHA = "upper-alpha"
    LOWER_ROMAN = "lower-roman"
    UPPER_ROMAN = "upper-roman"


class Delimiter(str, Enum):
    """What stands around a list number as the officer typed it: ``1.``, ``1)`` or ``(1)``."""

    PERIOD = "period"
    PAREN = "paren"
    PARENS = "parens"

    def around(self, number: str) -> str:
        """``number`` with this delimiter: ``a`` becomes ``a.``, ``a)`` or ``(a)``."""
        return {"period": f"{number}.", "paren": f"{number})", "parens": f"({number})"}[self.value]


@dataclass(frozen=True)
class Block:
    """A paragraph or list item: runs of text, with a list kind and nesting level.

    ``start`` is the first number of a numbered list and is set only on a list's first
    item; ``level`` is 0 for a paragraph or a top-level item. A numbered item's
    ``delimiter`` is its list's, as the list's first item was typed.
    """

    kind: BlockKind
    runs: tuple[Run, ...]
    level: int = 0
    number_format: NumberFormat | None = None
    start: int | None = None
    delimiter: Delimiter | None = None
    unnumbered: bool = False
    """A paragraph of a numbered report that the author left without a number."""
    table: Table | None = None
    """A table block's table (its ``runs`` are empty)."""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


# --- values read from a return --------------------------------------------------------


@dataclass(frozen=True)
class CompletionDate:
    """A date of completion, which officers often give to the month only."""

    year: int
    month: int
    day: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)

    def __str__(self) -> str:
        month = dt.date(self.year, self.month, 1).strftime("%B")
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"


@dataclass(frozen=True)
class Contact:
    """Contact details as written, with the phone numbers and email addresses in them."""

    text: str
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Value:
    """A header value read from a return, with the cell it came from."""

    value: str | CompletionDate | Contact
    source: Source

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Answer:
    """A return's answer to one of the round's questions."""

    blocks: tuple[Block, ...]
    source: Source


@dataclass
class Return:
    """What one partnership sent back: header values and answers, each with its source.

    ``mandatory_fields`` names what a return must carry; ``missing`` is computed from it.
    """

    mandatory_fields = tuple(label.key for label in LABELS)

    file: str
    sheet: str
    values: dict[str, Value] = field(default_factory=dict)
    answers: tuple[Answer | None, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    """The label text as the return wrote it (``Chair`` for ``Chairman``), by field key."""
    modified: float = 0.0
    """The file's modification time, which breaks ties between duplicate returns."""
    form_partnership: str = ""
    """The partnership id papers wrote into the form it sent out, if the marker survived."""
    form_round: str = ""
    """The round (meeting date) of the form it sent out, if the marker survived."""

    @property
    def name(self) -> str:
        value = self.values.get("partnership")
        return str(value) if value else ""

    @property
    def completed(self) -> CompletionDate | None:
        value = self.values.get("completed")
        return value.value if value and isinstance(value.value, CompletionDate) else None

    def missing(self) -> list[str]:
        return [key for key in self.mandatory_fields if key not in self.values]


# --- configuration --------------------------------------------------------------------


class Kind(str, Enum):
    THEMATIC = "thematic"
    DISTRICT = "district"


@dataclass(frozen=True)
class Partnership:
    """A partnership the round expects a return from, as the registry lists it."""

    id: str
    name: str
    kind: Kind
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    contact: str = ""
    """Who to chase for the return: a name, and an email address or phone number."""

    @property
    def list_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Section:
    """A headed section of the covering report; its paragraphs are numbered."""

    heading: str
    blocks: tuple[Block, ...]
    lists_partnerships: bool = False
    """The registry's list of partnerships follows this section's paragraphs."""


@dataclass(frozen=True)
class Officer:
    """The officer named at the foot of the covering report."""

    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    order: tuple[str, ...] = ("name", "email", "phone", "role")
    """The order the contact block lists them in: as the officer wrote them."""

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(getattr(self, key) for key in self.order if getattr(self, key))


@dataclass(frozen=True)
class Paper:
    """The paper's own facts, from the officer's configuration."""

    committee: str
    meeting_date: dt.date
    title: str
    questions: tuple[str, ...]
    sections: tuple[Section, ...] = ()
    closing: tuple[Block, ...] = ()
    contact: Officer | None = None
    agenda_item: str = ""
    last_update: str = ""
    district_heading: str = "All district LSPs"
    deadline: dt.date | None = None
    """When returns are due back."""
    return_to: str = ""
    """Where partnerships send their returns: an email address, usually."""
    previous_meeting: dt.date | None = None
    """The last round's meeting: a return completed before it belongs to an earlier round."""
    file_name: str = ""
    """The papers' file name without its suffix, where it is not the meeting date and title
    (two papers of one meeting that would share one are told apart by their items)."""
    numbered: bool = True
    """Whether the report's paragraphs are numbered (1, 2, 3 … through the paper)."""
    with_returns: bool = True
    """A paper with returns (the partnership update report), or a paper of prose only."""

    @property
    def round_id(self) -> str:
        """The round a form belongs to: the meeting it reports to."""
        return self.meeting_date.isoformat()


@dataclass(frozen=True)
class Recipient:
    """Someone on the paper's distribution list."""

    name: str
    email: str
    role: str = ""
    exempt: bool = False
    """On a meeting's list: entitled to exempt papers (a member, say), so sent the private pack too."""

    @property
    def address(self) -> str:
        return formataddr((self.name, self.email)) if self.name else self.email


@dataclass(frozen=True)
class Smtp:
    """The mail server papers sends through. The password is never kept in a file."""

    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    username: str = ""
    cafile: str = ""
    """Certificates to trust besides the system's, for a server with its own CA."""
    timeout: int = 120
    """Seconds one message's whole conversation with the server may take, however it trickles."""


@dataclass(frozen=True)
class Mail:
    """How the papers are sent: from whom, to whom, with what, through which server."""

    sender: str = ""
    recipients: tuple[Recipient, ...] = ()
    per_recipient: bool = True
    attach_docx: bool = False
    smtp: Smtp | None = None
    problems: tuple[Problem, ...] = ()
    """Entries of the distribution list that cannot be used, each named."""


# --- what collate hands the renderers -------------------------------------------------


class Status(str, Enum):
    RECEIVED = "received"
    MISSING = "missing"
    PROBLEM = "problem"
    """Received and read, but with errors."""
    UNREADABLE = "unreadable"
    """Received, but the file could not be read as a return."""
    LAST_ROUND = "last round's"
    """Only a return of an earlier round is in the folder: this round's is still to come."""


@dataclass(frozen=True)
class Entry:
    """One registry partnership in the round, with its return if one was usable."""

    partnership: Partnership
    status: Status
    ret: Return | None = None
    file: str = ""
    """The file the return came in, if one came."""
    reason: str = ""
    """Why the file could not be read, for an unreadable return."""

    @property
    def outstanding(self) -> bool:
        """Whether a usable return is still to come (none came, or only an unreadable one)."""
        return self.status in (Status.MISSING, Status.UNREADABLE, Status.LAST_ROUND)


@dataclass(frozen=True)
class Round:
    """Everything a renderer needs, and nothing else."""

    paper: Paper
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


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
