"""The return sheet found by its labels: header values and answers, each with its cell."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.intake.cells import CellText
from pipeline.vocabulary import label_key, question_index


@dataclass
class Layout:
    """Where the labels, values and answers are on the return sheet."""

    sheet: str
    values: dict[str, tuple[CellText, CellText | None]]
    """Field key → (label cell, value cell or None)."""
    answers: dict[int, tuple[CellText, list[CellText]]]
    """Question index → (question cell, answer cells in reading order)."""


def _is_return(grid: list[list[CellText]]) -> bool:
    return any(label_key(c.text) == "partnership" for row in grid for c in row)


def find_return_sheet(book) -> tuple[str, list[list[CellText]], list[str]] | None:
    """The return sheet: the first visible sheet carrying the Partnership label.

    Also names the hidden sheets that carry one (an old copy of the return, often), which
    are not read. If only a hidden sheet carries the label, it is the return.
    """
    found, hidden = None, []
    for title, visible, grid in book.sheets():
        if not _is_return(grid):
            continue
        if visible and found is None:
            found = (title, grid)
        elif not visible:
            hidden.append((title, grid))
    if found is None and hidden:
        found, hidden = hidden[0], hidden[1:]
    if found is None:
        return None
    return found[0], found[1], [title for title, _ in hidden]


def read_layout(sheet: str, grid: list[list[CellText]], questions: tuple[str, ...]) -> Layout:
    """Labels and their values, questions and their answers, found on the sheet by text."""
    values: dict[str, tuple[CellText, CellText | None]] = {}
    answers: dict[int, tuple[CellText, list[CellText]]] = {}
    current: list[CellText] | None = None  # the answer being collected
    for row in grid:
        consumed = False
        i = 0
        # A row may hold several label/value pairs (a header laid out in columns of pairs).
        while i < len(row):
            cell = row[i]
            key = label_key(cell.text)
            if key and key not in values:
                right = row[i + 1] if i + 1 < len(row) else None
                # A label's value is never itself a label or question.
                if right is not None and (label_key(right.text) or question_index(right.text, questions) is not None):
                    right = None
                values[key] = (cell, right)
                current = None
                consumed = True
                i += 2 if right is not None else 1
                continue
            index = question_index(cell.text, questions)
            if index is not None and index not in answers:
                current = list(row[i + 1:])
                answers[index] = (cell, current)
                consumed = True
                break
            i += 1
        if not consumed and current is not None:
            current.extend(row)
    return Layout(sheet, values, answers)
