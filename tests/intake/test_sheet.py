"""Reading a return by its labels, from workbooks the tests write with openpyxl."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from pipeline.intake import read_return
from pipeline.records.problems import Severity
from pipeline.records.returns import CompletionDate, Contact
from pipeline.records.rich_text import BlockKind, Run
from support import HEADER, QUESTIONS, full_return, make_workbook


def test_each_header_field_with_its_cell(tmp_path):
    ret, problems = read_return(full_return(tmp_path / "Vale.xlsx"), QUESTIONS)
    assert problems == []
    assert ret.name == "Vale Partnership"
    assert ret.values["partnership"].source.cell == "B1"
    assert ret.values["completed"].value == CompletionDate(2011, 2)
    assert ret.values["contact_officer"].value == "Emma Morris"
    contact = ret.values["contact_details"].value
    assert isinstance(contact, Contact) and contact.emails == ("emma.morris@southoxon.gov.uk",)
    assert ret.values["chair"].value == "John Robertson"
    assert ret.values["cabinet_member"].source.cell == "B6"
    assert ret.values["cabinet_member"].source.sheet == "Return"
    assert [a.blocks[0].text for a in ret.answers] == ["Answer 1", "Answer 2", "Answer 3", "Answer 4"]
    assert ret.answers[0].source.cell == "A9"


def test_labels_anywhere_any_case_colons_synonyms_and_a_title_row(tmp_path):
    rows = [
        ["", "Partnership update return — please complete"],
        [],
        ["", "PARTNERSHIP NAME:", "", "Vale Partnership"],
        ["", "date completed", dt.datetime(2011, 2, 25)],
        ["", "Lead officer:", "Emma Morris"],
        ["", "Contact", "emma.morris@southoxon.gov.uk"],
        ["", "Chair", "John Robertson"],
        ["", "OCC Member", "Cllr Judith Heathcoat"],
    ]
    for question in QUESTIONS:
        rows += [["", question.upper()], ["", "• yes"]]
    ret, problems = read_return(make_workbook(tmp_path / "odd.xlsx", rows), QUESTIONS)
    assert problems == []
    assert ret.values["partnership"].source.cell == "D3"  # nearest non-empty cell to the right
    assert ret.completed == CompletionDate(2011, 2, 25)  # a real Excel date cell
    assert ret.labels["chair"] == "Chair"
    assert ret.labels["cabinet_member"] == "OCC Member"


def test_return_sheet_found_after_a_guidance_sheet(tmp_path):
    book = Workbook()
    book.active.title = "Guidance"
    book.active["A1"] = "How to fill in this form"
    sheet = book.create_sheet("Q4 2011")
    for row in HEADER:
        sheet.append(row)
    for question in QUESTIONS:
        sheet.append([question])
        sheet.append(["plain answer"])
    book.save(tmp_path / "guided.xlsx")
    ret, problems = read_return(tmp_path / "guided.xlsx", QUESTIONS)
    assert ret.sheet == "Q4 2011" and problems == []


def test_question_recognised_when_its_aside_changed(tmp_path):
    rows = [list(r) for r in HEADER]
    asides = [q.replace("September 2010", "March 2011") for q in QUESTIONS]
    for question in asides:
        rows += [[question], ["• answered"]]
    ret, problems = read_return(make_workbook(tmp_path / "r.xlsx", rows), QUESTIONS)
    assert problems == [] and all(a.blocks for a in ret.answers)


def test_answer_beside_the_question_and_one_item_per_row(tmp_path):
    rows = [list(r) for r in HEADER]
    rows.append([QUESTIONS[0], "• first"])
    rows.append(["", "• second"])
    rows.append(["", "    ○ nested"])
    for question in QUESTIONS[1:]:
        rows += [[question], ["text"]]
    ret, _ = read_return(make_workbook(tmp_path / "r.xlsx", rows), QUESTIONS)
    assert [(b.text, b.level) for b in ret.answers[0].blocks] == [("first", 0), ("second", 0), ("nested", 1)]


def test_rich_text_runs_keep_their_formats(tmp_path):
    path = full_return(tmp_path / "rich.xlsx")
    book = load_workbook(path, rich_text=True)
    book.active["A9"] = CellRichText(
        ["• ", TextBlock(InlineFont(b=True), "Bold"), " then ", TextBlock(InlineFont(i=True), "italic"),
         " and ", TextBlock(InlineFont(u="single"), "underlined")]
    )
    book.save(path)
    ret, _ = read_return(path, QUESTIONS)
    (block,) = ret.answers[0].blocks
    assert block.kind is BlockKind.BULLET
    assert block.runs == (
        Run("Bold", bold=True), Run(" then "), Run("italic", italic=True), Run(" and "),
        Run("underlined", underline=True),
    )


def test_a_missing_field_names_the_label_and_the_blank_value_names_its_cell(tmp_path):
    header = [r for r in HEADER if r[0] != "Chairman"]
    header[2] = ["Contact officer", None]
    ret, problems = read_return(full_return(tmp_path / "Gaps.xlsx", header=header), QUESTIONS)
    messages = {(p.source.cell, p.message) for p in problems}
    assert (None, "no 'Chairman' label on the return sheet") in messages
    assert ("A3", "'Contact officer' is blank") in messages
    assert all(p.severity is Severity.ERROR and p.source.file == "Gaps.xlsx" for p in problems)
    assert set(ret.missing()) == {"chair", "contact_officer"}


def test_an_unreadable_date_is_a_warning_naming_its_cell(tmp_path):
    header = [list(r) for r in HEADER]
    header[1] = ["Date of completion", "end of Feb"]
    ret, problems = read_return(full_return(tmp_path / "d.xlsx", header=header), QUESTIONS)
    (problem,) = problems
    assert problem.severity is Severity.WARNING and problem.source.cell == "B2"
    assert str(ret.values["completed"]) == "end of Feb"


def test_control_characters_dropped_with_a_warning(tmp_path):
    path = full_return(tmp_path / "ctl.xlsx", answers={0: "• bell_x0007_ rings"})
    ret, problems = read_return(path, QUESTIONS)
    assert ret.answers[0].blocks[0].text == "bell rings"
    assert [(p.severity, p.source.cell) for p in problems] == [(Severity.WARNING, "A9")]


def test_an_unanswered_question_is_a_warning(tmp_path):
    rows = [list(r) for r in HEADER] + [[q] for q in QUESTIONS]
    ret, problems = read_return(make_workbook(tmp_path / "empty.xlsx", rows), QUESTIONS)
    assert len(problems) == 4 and {p.severity for p in problems} == {Severity.WARNING}
    assert all(a.blocks == () for a in ret.answers)


@pytest.mark.parametrize("missing", [0, 3])
def test_a_missing_question_is_an_error(tmp_path, missing):
    rows = [list(r) for r in HEADER]
    for index, question in enumerate(QUESTIONS):
        if index != missing:
            rows += [[question], ["x"]]
    ret, problems = read_return(make_workbook(tmp_path / "q.xlsx", rows), QUESTIONS)
    assert [p.message.split(" (")[0] for p in problems] == [f"question {missing + 1}"]
    assert ret.answers[missing] is None
