"""What a partnership's return holds: header values and answers, each with the cell it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.records.problems import Source
from pipeline.records.rich_text import Block
from pipeline.vocabulary import LABELS


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
