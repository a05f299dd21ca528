"""The return sheet read by its labels: header values and answers, each with its cell."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.intake.workbook import Opened
from pipeline.model import Run
from pipeline.text import clean
from pipeline.vocabulary import MARKER_KEYS, MARKER_SHEET, label_key, question_index

# A return form is a few dozen rows; read no further, whatever the sheet declares.
MAX_ROWS = 1_000
MAX_COLS = 40


@dataclass(frozen=True)
class CellText:
    """A non-empty cell's content, lifted out of openpyxl."""

    row: int
    col: int
    segments: tuple[Run, ...]
    raw: object
    indent: int
    dropped: int
    """How many unprintable characters were removed from the text."""
    unusable: str = ""
    """Why the cell has a value papers cannot show: a formula never calculated, an error."""

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class Layout:
    """Where the labels, values and answers are on the return sheet."""

    sheet: str
    values: dict[str, tuple[CellText, CellText | None]]
    """Field key → (label cell, value cell or None)."""
    answers: dict[int, tuple[CellText, list[CellText]]]
    """Question index → (question cell, answer cells in reading order)."""


def _underlined(value: object) -> bool:
    return value not in (None, False, "none")


ERROR_VALUES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


def _unusable(cell, message: str) -> CellText:
    return CellText(cell.row, cell.column, (), None, 0, 0, message)


def _cell_text(cell, formula: str | None) -> CellText | None:
    value = cell.value
    if value is None:
        if formula:
            return _unusable(cell, "holds a formula that was never calculated, so it has no value to show")
        return None
    if cell.data_type == "e" or (isinstance(value, str) and value.strip() in ERROR_VALUES):
        return _unusable(cell, f"shows the Excel error {str(value).strip()}")
    font = cell.font
    base = (bool(font and font.b), bool(font and font.i), bool(font and _underlined(font.u)))
    pieces: list[tuple[str, bool, bool, bool]] = []
    if isinstance(value, CellRichText):
        for part in value:
            if isinstance(part, TextBlock):
                f = part.font
                pieces.append(
                    (
                        part.text,
                        base[0] if f.b is None else bool(f.b),
                        base[1] if f.i is None else bool(f.i),
                        base[2] if f.u is None else _underlined(f.u),
                    )
                )
            else:
                pieces.append((str(part), *base))
    else:
        pieces.append((value if isinstance(value, str) else _plain(value), *base))
    segments, dropped = [], 0
    for text, bold, italic, underline in pieces:
        text, lost = clean(text)
        dropped += lost
        if text:
            segments.append(Run(text, bold, italic, underline))
    if not "".join(s.text for s in segments).strip():
        return None
    indent = int(cell.alignment.indent or 0) * 4 if cell.alignment else 0
    return CellText(cell.row, cell.column, tuple(segments), value, indent, dropped)


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _formulas(sheet: Worksheet | None) -> dict[tuple[int, int], str]:
    if sheet is None:
        return {}
    return {
        (cell.row, cell.column): str(cell.value)
        for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS, min_col=1, max_col=MAX_COLS)
        for cell in row
        if cell.data_type == "f"
    }


def _grid(sheet: Worksheet, formulas: dict[tuple[int, int], str]) -> list[list[CellText]]:
    rows = []
    max_row = min(sheet.max_row or 0, MAX_ROWS)
    max_col = min(sheet.max_column or 0, MAX_COLS)
    if max_row == 0 or max_col == 0:
        return rows
    for row in sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col):
        cells = [c for c in (_cell_text(cell, formulas.get((cell.row, cell.column))) for cell in row) if c is not None]
        if cells:
            rows.append(cells)
    return rows


def read_marker(book: Opened) -> dict[str, str]:
    """What the hidden marker sheet of a form papers wrote says, or nothing if it is gone."""
    if MARKER_SHEET not in book.values.sheetnames:
        return {}
    sheet = book.values[MARKER_SHEET]
    if not isinstance(sheet, Worksheet):
        return {}
    facts = {}
    for key_cell, value_cell in sheet.iter_rows(min_row=1, max_row=len(MARKER_KEYS) + 5, max_col=2):
        if isinstance(key_cell.value, str) and key_cell.value in MARKER_KEYS and value_cell.value is not None:
            facts[key_cell.value] = str(value_cell.value).strip()
    return facts if facts.get("form") == "papers return form" else {}


def find_return_sheet(book: Opened) -> tuple[str, list[list[CellText]]] | None:
    """The first sheet carrying the Partnership label, with its non-empty cells by row."""
    for sheet in book.values.worksheets:
        if not isinstance(sheet, Worksheet) or sheet.title == MARKER_SHEET:
            continue  # a chart sheet, or the form's marker
        formulas_sheet = book.formulas[sheet.title] if book.formulas is not None else None
        grid = _grid(sheet, _formulas(formulas_sheet))
        if any(label_key(c.text) == "partnership" for row in grid for c in row):
            return sheet.title, grid
    return None


def read_layout(sheet: str, grid: list[list[CellText]], questions: tuple[str, ...]) -> Layout:
    """Labels and their values, questions and their answers, found on the sheet by text."""
    values: dict[str, tuple[CellText, CellText | None]] = {}
    answers: dict[int, tuple[CellText, list[CellText]]] = {}
    current: list[CellText] | None = None  # the answer being collected
    for row in grid:
        consumed = False
        for i, cell in enumerate(row):
            key = label_key(cell.text)
            if key and key not in values:
                right = row[i + 1] if i + 1 < len(row) else None
                # A label's value is never itself a label or question.
                if right is not None and (label_key(right.text) or question_index(right.text, questions) is not None):
                    right = None
                values[key] = (cell, right)
                current = None
                consumed = True
                break
            index = question_index(cell.text, questions)
            if index is not None and index not in answers:
                current = list(row[i + 1:])
                answers[index] = (cell, current)
                consumed = True
                break
        if not consumed and current is not None:
            current.extend(row)
    return Layout(sheet, values, answers)
