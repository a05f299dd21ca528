"""A cell of a return sheet as intake reads it, whichever reader lifted it from the file."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records.rich_text import Run

# A return form is a few dozen rows; read no further, whatever the sheet declares.
MAX_ROWS = 1_000
MAX_COLS = 40

MAX_TEXT = 32_767
"""The most characters Excel lets a cell hold: more can only come from a file made otherwise."""

ERROR_VALUES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


def column_letter(col: int) -> str:
    """Excel's name for a column: 1 → A, 27 → AA."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class CellText:
    """A non-empty cell's content, lifted out of the workbook reader."""

    row: int
    col: int
    segments: tuple[Run, ...]
    raw: object
    indent: int
    dropped: int
    """How many unprintable characters were removed from the text."""
    unusable: str = ""
    """Why the cell has a value papers cannot show: a formula never calculated, an error."""
    cut: int = 0
    """How many characters past Excel's limit for a cell (MAX_TEXT) were left out."""

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


def within_limit(segments: tuple[Run, ...]) -> tuple[tuple[Run, ...], int]:
    """``segments`` cut to the MAX_TEXT characters a cell can hold, and how many were cut:
    a longer text can only come from a file made by hand, and would cost the layout time
    out of all proportion to any answer."""
    total = sum(len(s.text) for s in segments)
    if total <= MAX_TEXT:
        return segments, 0
    kept, room = [], MAX_TEXT
    for segment in segments:
        if room <= 0:
            break
        kept.append(Run(segment.text[:room], segment.bold, segment.italic, segment.underline)
                    if len(segment.text) > room else segment)
        room -= len(segment.text)
    return tuple(kept), total - MAX_TEXT


def unusable_cell(row: int, col: int, message: str) -> CellText:
    return CellText(row, col, (), None, 0, 0, message)


def error_cell(row: int, col: int, value: str) -> CellText | None:
    """The cell as unusable if ``value`` is an Excel error such as #REF!, else None."""
    if value.strip() in ERROR_VALUES:
        return unusable_cell(row, col, f"shows the Excel error {value.strip()}")
    return None
