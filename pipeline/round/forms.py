"""The return form: one workbook per partnership, laid out with the labels intake reads."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import Iterable, Mapping

from pipeline import lazy
from pipeline.filenames import slug, write_atomic
from pipeline.records.rich_text import Run
from pipeline.records.round import Round
from pipeline.records.settings import Paper, Partnership
from pipeline.round.read import read_round
from pipeline.vocabulary import FILL_IN, FORM_VERSION, LABELS, MARKER_KEYS, MARKER_SHEET, long_date

SHEET = "Return"
GUIDANCE_SHEET = "How to fill in"
LABEL_COLOUR, BORDER_COLOUR = "DDE4EE", "808080"
ANSWER_CHARS_PER_LINE = 95  # what fits across the merged answer cell at the widths below
LINE_HEIGHT = 15.0  # points per line of 11 pt text
BLANK_ANSWER_LINES = 10  # room to type in a blank form before the row needs to grow
FONT = "Arial"


def _rich(runs: Iterable[Run]):
    """``runs`` as a cell's value: plain text, or openpyxl's rich text where a run is formatted."""
    cell = lazy.openpyxl().cell
    parts: list = []
    for run in runs:
        if run.bold or run.italic or run.underline:
            font = cell.text.InlineFont(b=run.bold or None, i=run.italic or None, u="single" if run.underline else None)
            parts.append(cell.rich_text.TextBlock(font, run.text))
        else:
            parts.append(run.text)
    if all(isinstance(p, str) for p in parts):
        return "".join(parts)
    return cell.rich_text.CellRichText(parts)


def _answer_height(runs: list[Run]) -> float:
    text = "".join(r.text for r in runs)
    lines = sum(max(1, math.ceil(len(line) / ANSWER_CHARS_PER_LINE)) for line in text.split("\n")) if text else 0
    return min(409.0, max(BLANK_ANSWER_LINES, lines + 1) * LINE_HEIGHT)  # Excel's tallest row is 409 pt


def _guidance(paper: Paper) -> list[str]:
    lines = [
        f"{paper.title}: how to fill in this return",
        "",
        f"This return is for the {paper.committee} on {long_date(paper.meeting_date)}.",
    ]
    if paper.deadline:
        lines.append(f"Please send it back by {long_date(paper.deadline)}.")
    if paper.return_to:
        lines.append(f"Send the completed workbook, as an Excel file (.xlsx), to {paper.return_to}.")
    lines += [
        "",
        FILL_IN,
        "Date of completion: the date you finished the return, e.g. 25/02/2011.",
        "",
        "Writing an answer:",
        "• Press Alt+Enter (Option+Enter on a Mac) to start a new line within the answer cell.",
        "• Start each point with • or - and a space.",
        "• For a sub-point, start the line with ○ instead, or indent it with four spaces.",
        "• For numbered points, start the lines with 1. 2. 3. (or a) b) c)).",
        "• A line without a bullet is shown as a paragraph.",
        "• Bold, italic and underline are kept in the committee paper.",
        "",
        "Please do not password-protect the workbook or save it in another format.",
    ]
    return lines


def write_form(
    target: Path | io.BytesIO,
    paper: Paper,
    partnership: Partnership | None = None,
    values: Mapping[str, str] | None = None,
    answers: list[list[Run]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Write a return form, filled in with ``values`` and ``answers`` if given.

    With ``partnership``, the form carries a hidden marker naming it and the round, and its
    name is filled in. ``labels`` overrides the label text by field key, as a partnership's
    edited form might.
    """
    values = dict(values or {})
    labels = labels or {}
    if partnership is not None:
        values.setdefault("partnership", partnership.name)
    openpyxl = lazy.openpyxl()
    Alignment, Font, Protection = openpyxl.styles.Alignment, openpyxl.styles.Font, openpyxl.styles.Protection
    label_fill = openpyxl.styles.PatternFill("solid", fgColor=LABEL_COLOUR)
    thin = openpyxl.styles.Side(style="thin", color=BORDER_COLOUR)
    box = openpyxl.styles.Border(left=thin, right=thin, top=thin, bottom=thin)
    locked, unlocked = Protection(locked=True), Protection(locked=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    title = sheet.cell(1, 1, f"{paper.title}: return to the {paper.committee}, {long_date(paper.meeting_date)}")
    title.font = Font(name=FONT, bold=True, size=14)
    due = []
    if paper.deadline:
        due.append(f"Please return by {long_date(paper.deadline)}")
    if paper.return_to:
        due.append(f"to {paper.return_to}")
    if due:
        sheet.cell(2, 1, " ".join(due) + ".").font = Font(name=FONT, bold=True)
    tip = sheet.cell(
        3, 1,
        "New line: Alt+Enter. Start a point with • or -, a sub-point with ○. See the 'How to fill in' sheet.",
    )
    tip.font = Font(name=FONT, italic=True, color="404040")

    row = 5
    for label in LABELS:
        cell = sheet.cell(row, 1, labels.get(label.key, label.text))
        cell.font = Font(name=FONT, bold=True)
        cell.fill = label_fill
        cell.border = box
        cell.protection = locked
        value = sheet.cell(row, 2, values.get(label.key))
        value.font = Font(name=FONT)
        value.border = box
        value.alignment = Alignment(wrap_text=True, vertical="top")
        value.protection = unlocked
        if label.key == "completed":
            value.number_format = "dd/mm/yyyy"
            check = openpyxl.worksheet.datavalidation.DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",  # 1 January 2000
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Date of completion",
                error="Please type a date, for example 25/02/2011.",
            )
            sheet.add_data_validation(check)
            check.add(value.coordinate)
        row += 1

    row += 1
    for index, question in enumerate(paper.questions):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = sheet.cell(row, 1, question)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = label_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.protection = locked
        sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=2)
        runs = answers[index] if answers and index < len(answers) else []
        answer = sheet.cell(row + 1, 1, _rich(runs) if runs else None)
        answer.font = Font(name=FONT)
        answer.alignment = Alignment(wrap_text=True, vertical="top")
        answer.protection = unlocked
        for column in (1, 2):  # a merged range shows the borders of every cell in it
            sheet.cell(row, column).border = box
            sheet.cell(row + 1, column).border = box
        sheet.row_dimensions[row + 1].height = _answer_height(runs)
        row += 3

    # Protected without a password, so labels stay put and nobody can be locked out;
    # rows may still be resized, so a long answer can be given room.
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    sheet.protection.formatCells = False
    sheet.print_area = f"A1:B{row}"

    guidance = book.create_sheet(GUIDANCE_SHEET)
    guidance.column_dimensions["A"].width = 100
    for number, line in enumerate(_guidance(paper), start=1):
        cell = guidance.cell(number, 1, line or None)
        cell.font = Font(name=FONT, bold=number == 1, size=14 if number == 1 else 11)

    if partnership is not None:
        marker = book.create_sheet(MARKER_SHEET)
        marker.sheet_state = "veryHidden"
        facts = {"form": "papers return form", "version": FORM_VERSION, "partnership": partnership.id, "round": paper.round_id}
        for number, key in enumerate(MARKER_KEYS, start=1):
            marker.cell(number, 1, key)
            marker.cell(number, 2, str(facts[key]))

    book.active = 0
    # Fixed document times, so the same form is the same file on every run.
    stamp = dt.datetime.combine(paper.meeting_date, dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "papers"
    book.properties.lastModifiedBy = "papers"
    book.properties.title = f"{paper.title}: return"
    _text_stays_text(book)
    book.save(target)


def _text_stays_text(book) -> None:
    """Make every cell that would be a formula plain text again.

    openpyxl writes any text starting with "=" as a formula. A form holds text only, some of
    it from last round's return (=HYPERLINK(…), =WEBSERVICE(…), a DDE string typed as a
    contact), and none of it may run when the form is opened.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def write_forms(round_: Round, output: Path) -> list[Path]:
    """A form per registry partnership, filled in from its newest return where there is one."""
    written = []
    prefilled = ("contact_officer", "contact_details", "chair", "cabinet_member")
    for entry in round_.entries:
        values = {}
        if entry.ret is not None:
            values = {key: str(entry.ret.values[key]) for key in prefilled if key in entry.ret.values}
        buffer = io.BytesIO()
        write_form(buffer, round_.paper, entry.partnership, values=values)
        path = output / f"{slug(entry.partnership.name)}.xlsx"
        write_atomic(path, buffer.getvalue())
        written.append(path)
    return written


def write_round_forms(inputs: Path, output: Path) -> tuple[Round, list[Path]]:
    """The round in ``inputs``, and a form written into ``output`` for each of its partnerships."""
    round_ = read_round(inputs)
    return round_, write_forms(round_, output)
