"""Known traps of real workbooks: formulas, errors, 1904 dates, bombs and giant sheets."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from pipeline.intake import read_return
from pipeline.intake.workbook import MAX_PART_BYTES
from pipeline.records.problems import Severity
from pipeline.records.returns import CompletionDate
from support import HEADER, QUESTIONS, full_return


def rewrite(path: Path, member: str, change) -> Path:
    """Rewrite one part of a workbook's zip with ``change(text) -> text``."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts[member] = change(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_formula_without_a_saved_value_is_named_not_printed(tmp_path):
    # openpyxl, like many programs, saves formulas without calculating them.
    header = [list(r) for r in HEADER]
    header[4] = ["Chairman", '=CONCATENATE("Cllr ", "Wood")']
    path = full_return(tmp_path / "Formula.xlsx", header=header)
    ret, problems = read_return(path, QUESTIONS)
    (problem,) = problems
    assert problem.severity is Severity.ERROR and problem.source.cell == "B5"
    assert "formula" in problem.message and "CONCATENATE" not in str(problem)
    assert "chair" not in ret.values


def test_excel_error_value_is_reported(tmp_path):
    path = full_return(tmp_path / "Err.xlsx")
    rewrite(path, "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(r'<c r="B3"[^>]*>.*?</c>', '<c r="B3" t="e"><v>#REF!</v></c>', xml))
    ret, problems = read_return(path, QUESTIONS)
    assert [(p.source.cell, p.message) for p in problems] == [("B3", "shows the Excel error #REF!")]


def test_dates_in_a_1904_workbook(tmp_path):
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    for row in HEADER:
        sheet.append(row)
    sheet["B2"] = dt.datetime(2011, 2, 25)
    for question in QUESTIONS:
        sheet.append([question])
        sheet.append(["x"])
    book.save(tmp_path / "mac.xlsx")
    ret, _ = read_return(tmp_path / "mac.xlsx", QUESTIONS)
    assert ret.completed == CompletionDate(2011, 2, 25)


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def _with_bomb(xml: str) -> str:
    return BOMB + (xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml)


def test_entity_expansion_bomb_in_a_sheet_is_refused(tmp_path):
    path = rewrite(full_return(tmp_path / "Bomb.xlsx"), "xl/worksheets/sheet1.xml", _with_bomb)
    ret, problems = read_return(path, QUESTIONS)
    assert ret is None and problems[0].message == "contains unsafe XML (entity declarations) and was not opened"


def test_entity_expansion_bomb_in_the_workbook_part_is_not_expanded(tmp_path):
    # openpyxl parses workbook.xml with lxml and resolve_entities=False: declared, never expanded.
    path = rewrite(full_return(tmp_path / "Bomb.xlsx"), "xl/workbook.xml", _with_bomb)
    ret, problems = read_return(path, QUESTIONS)
    assert ret is not None and ret.name == "Vale Partnership" and problems == []


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = full_return(tmp_path / "Zip.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (101 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024  # small on disk, huge inside
    ret, problems = read_return(path, QUESTIONS)
    assert ret is None and "zip bomb" in problems[0].message


def test_giant_sheet_is_refused(tmp_path):
    path = full_return(tmp_path / "Giant.xlsx")
    padding = " " * (MAX_PART_BYTES + 1)
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("<sheetData>", "<sheetData>" + padding, 1))
    ret, problems = read_return(path, QUESTIONS)
    assert ret is None and "part far larger than a return form" in problems[0].message


def test_declared_dimension_of_the_whole_grid_is_harmless(tmp_path):
    path = full_return(tmp_path / "Dim.xlsx")
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml))
    with zipfile.ZipFile(path) as archive:
        assert 'ref="A1:XFD1048576"' in archive.read("xl/worksheets/sheet1.xml").decode()
    ret, problems = read_return(path, QUESTIONS)
    assert problems == [] and ret.name == "Vale Partnership"


def test_cells_far_out_are_ignored_not_read_forever(tmp_path):
    path = full_return(tmp_path / "Far.xlsx")
    rewrite(path, "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row></sheetData>'))
    ret, problems = read_return(path, QUESTIONS)
    assert problems == [] and ret.answers[3].blocks[0].text == "Answer 4"


def test_a_cell_longer_than_excel_allows_is_cut_there_and_named(tmp_path):
    # Excel holds at most 32,767 characters in a cell; a file made by hand can hold more,
    # which would cost the layout time out of all proportion. Made by openpyxl, then its
    # text lengthened, as only a hand-made file could.
    path = rewrite(full_return(tmp_path / "Vale.xlsx", answers={0: "PLACEHOLDER"}), "xl/worksheets/sheet1.xml",
                   lambda text: text.replace("PLACEHOLDER", "x" * 100_000))
    ret, problems = read_return(path, QUESTIONS)
    assert sum(len(b.text) for b in ret.answers[0].blocks) == 32_767
    (cut,) = [p for p in problems if "more than a cell can" in p.message]
    assert cut.source.cell == "A9" and "67,233 characters" in cut.message
