"""What the officer's settings say: the partnerships expected, the paper's own facts, and how it is sent."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import formataddr
from enum import Enum

from pipeline.records.problems import Problem
from pipeline.records.rich_text import Block


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
    compare_last_round: bool = True
    """Whether each return is set against last round's (round/compare.py)."""
    with_returns: bool = True
    """A paper with returns (the partnership update report), or a paper of prose only."""

    @property
    def round_id(self) -> str:
        """The round a form belongs to: the meeting it reports to."""
        return self.meeting_date.isoformat()


_SPECIALS = re.compile(r'[][\\()<>@,:;".]')
"""What a display name is quoted for, in an address header (RFC 5322's specials)."""


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
        """The name and address as a message's header gives them: ``Name <address>``."""
        if not self.name:
            return self.email
        if self.email.isascii():
            return formataddr((self.name, self.email))
        # formataddr cannot write an address beyond ASCII (zoë@…, RFC 6532): written as it is.
        quoted = '"' + self.name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{quoted if _SPECIALS.search(self.name) else self.name} <{self.email}>"


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
