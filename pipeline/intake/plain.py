"""Workbooks read for their values only: Excel 97–2003 (.xls) and OpenDocument (.ods).

python-calamine reads both (a maintained binding to the Rust calamine reader; xlrd reads
only .xls, odfpy only .ods and slowly). It gives values, not formatting, so bold, italic
and underline typed in such a return are lost; the reader says so in the check. Its
objects stay in this module: what leaves is the same grid of CellText the .xlsx reader
makes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from pipeline import lazy
from pipeline.intake.cells import MAX_COLS, MAX_ROWS, CellText, error_cell, within_limit
from pipeline.records.rich_text import Run
from pipeline.text import clean
from pipeline.vocabulary import MARKER_KEYS, MARKER_SHEET


def errors() -> tuple[type[Exception], ...]:
    """What reading a damaged .xls or .ods raises."""
    return (lazy.calamine().CalamineError, ValueError, OSError, TypeError)


@dataclass
class PlainBook:
    """A workbook's sheets as grids of text, in order, and whether each is visible."""

    sheets_found: list[tuple[str, bool, list[list[CellText]]]] = field(default_factory=list)
    marker: dict[str, str] = field(default_factory=dict)
    formatting = False
    """Whether bold, italic and underline could be read (they cannot, from these formats)."""

    def sheets(self):
        yield from self.sheets_found

    def marker_facts(self) -> dict[str, str]:
        return self.marker

    def close(self) -> None:
        pass


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value)


def _grid(rows, start: tuple[int, int]) -> list[list[CellText]]:
    """The non-empty cells by row; ``start`` is where calamine's rows begin (0-based)."""
    grid = []
    for r, row in enumerate(rows, start=start[0] + 1):
        if r > MAX_ROWS:
            break
        cells = []
        for c, value in enumerate(row[: max(0, MAX_COLS - start[1])], start=start[1] + 1):
            if value is None or value == "":
                continue
            text = value if isinstance(value, str) else _text(value)
            if isinstance(value, str) and value.strip().startswith("#") and error_cell(r, c, value) is not None:
                cells.append(error_cell(r, c, value))
                continue
            text, dropped = clean(text)
            if not text.strip():
                continue
            raw = value.date() if isinstance(value, dt.datetime) and value.time() == dt.time(0) else value
            kept, cut = within_limit((Run(text),))
            cells.append(CellText(r, c, kept, raw, 0, dropped, cut=cut))
        if cells:
            grid.append(cells)
    return grid


def open_plain(data: bytes) -> PlainBook:
    """The workbook in ``data`` (.xls or .ods); raises one of :func:`errors` if it cannot be read."""
    book = lazy.calamine().CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        out = PlainBook()
        for meta in book.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue  # a chart or macro sheet
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.iter_rows()
            if meta.name == MARKER_SHEET:
                for row in rows:
                    if len(row) >= 2 and isinstance(row[0], str) and row[0] in MARKER_KEYS and row[1] not in (None, ""):
                        out.marker[row[0]] = _text(row[1]).strip()
                if out.marker.get("form") != "papers return form":
                    out.marker = {}
                continue
            visible = str(meta.visible).rsplit(".", 1)[-1] == "Visible"
            out.sheets_found.append((meta.name, visible, _grid(rows, sheet.start or (0, 0))))
        return out
    finally:
        book.close()
