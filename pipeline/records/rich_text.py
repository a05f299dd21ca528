"""Text as the paper shows it: runs of formatted text, paragraphs and list items, and tables."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of character formats."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    target: str = ""
    """The id of what it refers to elsewhere in the paper (a partnership's return): a link
    on the web page; plain text in the PDF and Word, laid out in parts that cannot link."""


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
