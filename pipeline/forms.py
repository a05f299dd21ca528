"""The return form: one workbook per partnership, laid out with the labels intake reads."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from pipeline.model import Run
from pipeline.model import Paper
from pipeline.vocabulary import LABELS

SHEET = "Return"
LABEL_FILL = PatternFill("solid", fgColor="DDE4EE")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
ANSWER_CHARS_PER_LINE = 95  # what fits across the merged answer cell at the widths below
LINE_HEIGHT = 15.0  # points per line of 11 pt text


def _rich(segments: Iterable[Run]) -> CellRichText | str:
    parts: list[str | TextBlock] = []
    for seg in segments:
        if seg.bold or seg.italic or seg.underline:
            font = InlineFont(b=seg.bold or None, i=seg.italic or None, u="single" if seg.underline else None)
            parts.append(TextBlock(font, seg.text))
        else:
            parts.append(seg.text)
    if all(isinstance(p, str) for p in parts):
        return "".join(parts)  # type: ignore[arg-type]
    return CellRichText(parts)


def _answer_height(segments: list[Run]) -> float:
    text = "".join(s.text for s in segments)
    lines = sum(max(1, math.ceil(len(line) / ANSWER_CHARS_PER_LINE)) for line in text.split("\n"))
    return min(409.0, max(4, lines + 1) * LINE_HEIGHT)  # Excel's tallest row is 409 pt


def write_form(
    path: Path,
    paper: Paper,
    values: Mapping[str, str] | None = None,
    answers: list[list[Run]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Write a return form to ``path``, filled in with ``values`` and ``answers`` if given.

    ``labels`` overrides the label text by field key, as a partnership's edited form might.
    """
    values = values or {}
    labels = labels or {}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    title = sheet.cell(1, 1, f"{paper.title}: return to the {paper.committee}, {paper.meeting_date:%-d %B %Y}")
    title.font = Font(bold=True, size=14)
    tip = sheet.cell(
        2, 1,
        "Type each point on a new line (Alt+Enter). Start a point with • or -, and a sub-point with ○.",
    )
    tip.font = Font(italic=True, color="404040")

    row = 4
    for label in LABELS:
        cell = sheet.cell(row, 1, labels.get(label.key, label.text))
        cell.font = Font(bold=True)
        cell.fill = LABEL_FILL
        cell.border = BOX
        value = sheet.cell(row, 2, values.get(label.key))
        value.border = BOX
        value.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1

    row += 1
    for index, question in enumerate(paper.questions):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = sheet.cell(row, 1, question)
        cell.font = Font(bold=True)
        cell.fill = LABEL_FILL
        cell.alignment = Alignment(wrap_text=True)
        sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=2)
        segments = answers[index] if answers and index < len(answers) else []
        answer = sheet.cell(row + 1, 1, _rich(segments) if segments else None)
        answer.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row + 1].height = _answer_height(segments)
        row += 3

    # Fixed document times, so the same form is the same file on every run.
    stamp = dt.datetime.combine(paper.meeting_date, dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "papers"
    book.properties.lastModifiedBy = "papers"
    book.save(path)
