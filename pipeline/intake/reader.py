"""Reading one returned workbook into a Return and the problems found in it."""

from __future__ import annotations

from pathlib import Path

from pipeline.filenames import shown
from pipeline.intake.answers import parse_answer
from pipeline.intake.cells import CellText
from pipeline.intake.contacts import parse_contact
from pipeline.intake.dates import parse_date
from pipeline.intake.sheet import find_return_sheet, read_layout
from pipeline.intake.workbook import Refusal, open_workbook
from pipeline.records.problems import WHO, Problem, Severity, Source
from pipeline.records.returns import Answer, Return, Value
from pipeline.vocabulary import LABEL_BY_KEY


def read_return(path: Path, questions: tuple[str, ...]) -> tuple[Return | None, list[Problem]]:
    """The return in the workbook at ``path``, and every problem found reading it."""
    name = shown(path.name)
    # Advice names the partnership as WHO: collate, which knows whose return this is,
    # puts in the name.
    who = WHO
    book = open_workbook(path)
    if isinstance(book, Refusal):
        return None, [Problem(Severity.ERROR, Source(name), book.message, book.advice)]
    try:
        found = find_return_sheet(book)
        marker = book.marker_facts()
    finally:
        book.close()
    if found is None:
        return None, [
            Problem(
                Severity.ERROR,
                Source(name),
                "no return sheet: no sheet has a 'Partnership' label",
                f"check this is {who}'s return; if it is, ask {who} to send it on the return form",
            )
        ]
    sheet, grid, hidden = found
    layout = read_layout(sheet, grid, questions)
    problems: list[Problem] = []
    for title in hidden:
        problems.append(
            Problem(
                Severity.WARNING,
                Source(name, title),
                f"a hidden sheet '{title}' also looks like a return; it was not read",
                f"the visible sheet '{sheet}' is the return; if the hidden one is the right one, "
                f"ask {who} to unhide it and delete the other",
            )
        )
    if not book.formatting:
        problems.append(
            Problem(
                Severity.WARNING,
                Source(name),
                f"bold, italic and underline cannot be read from a {path.suffix.lower() or 'file'} like this; "
                "its text is in the papers, plain",
                f"nothing to do, unless the formatting matters: then ask {who} to save it as .xlsx",
            )
        )

    def source(cell: CellText | None) -> Source:
        return Source(name, sheet, cell.ref if cell else None)

    value_cells = {id(value) for _, value in layout.values.values() if value is not None}
    for row in grid:
        for cell in row:
            if cell.unusable:
                required = id(cell) in value_cells
                problems.append(
                    Problem(
                        Severity.ERROR if required else Severity.WARNING,
                        source(cell),
                        cell.unusable,
                        f"ask {who} to type the value in {cell.ref} instead, or open the file in Excel and save it again",
                    )
                )
            if cell.cut:
                problems.append(
                    Problem(
                        Severity.WARNING,
                        source(cell),
                        f"holds {cell.cut:,} characters more than a cell can (Excel's limit is 32,767): they are left out",
                        f"ask {who} to shorten the answer, or to send the rest as an appendix",
                    )
                )
            if cell.dropped:
                problems.append(
                    Problem(
                        Severity.WARNING,
                        source(cell),
                        f"{cell.dropped} unprintable character(s) dropped",
                        "nothing to do unless the text now reads wrongly",
                    )
                )

    ret = Return(
        file=name,
        sheet=sheet,
        modified=path.stat().st_mtime,
        form_partnership=marker.get("partnership", ""),
        form_round=marker.get("round", ""),
    )
    for key in Return.mandatory_fields:
        label = LABEL_BY_KEY[key]
        if key not in layout.values:
            problems.append(
                Problem(
                    Severity.ERROR,
                    Source(name, sheet),
                    f"no '{label.text}' label on the return sheet",
                    f"ask {who} to add '{label.text}' with {label.hint} beside it",
                )
            )
            continue
        label_cell, value_cell = layout.values[key]
        ret.labels[key] = label_cell.text.strip().rstrip(":").strip()
        if value_cell is not None and value_cell.unusable:
            continue  # reported above, naming its cell
        if value_cell is None:
            problems.append(
                Problem(
                    Severity.ERROR,
                    source(label_cell),
                    f"'{label.text}' is blank",
                    f"ask {who} to fill in {label.hint} beside the label",
                )
            )
            continue
        text = " ".join(value_cell.text.split())
        value: object = text
        if key == "completed":
            value = parse_date(value_cell.raw if not isinstance(value_cell.raw, str) else text)
            if value is None:
                problems.append(
                    Problem(
                        Severity.WARNING,
                        source(value_cell),
                        f"date of completion '{text}' is not a date papers can read",
                        "it is shown as written; a date such as 25/02/2011 sorts duplicate returns correctly",
                    )
                )
                value = text
        elif key == "contact_details":
            value = parse_contact(text)
        ret.values[key] = Value(value, source(value_cell))

    answers: list[Answer | None] = []
    for index, question in enumerate(questions):
        if index not in layout.answers:
            problems.append(
                Problem(
                    Severity.ERROR,
                    Source(name, sheet),
                    f"question {index + 1} ('{question}') is not on the return sheet",
                    f"ask {who} to use this round's return form",
                )
            )
            answers.append(None)
            continue
        question_cell, cells = layout.answers[index]
        blocks = parse_answer((c.segments, c.indent) for c in cells)
        if not blocks:
            problems.append(
                Problem(
                    Severity.WARNING,
                    source(question_cell),
                    f"question {index + 1} has no answer",
                    f"the paper says 'No answer given'; ask {who} if that is intended",
                )
            )
        where = cells[0] if cells else question_cell
        answers.append(Answer(blocks, source(where)))
    ret.answers = tuple(answers)
    return ret, problems
