"""Every return read: .xls and .ods written by LibreOffice, headers laid out in pairs,
hidden old copies, and files that only look like returns."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment

from pipeline.intake import read_return
from pipeline.records.problems import Severity
from pipeline.records.round import Status
from pipeline.round.read import read_round
from support import INPUTS, QUESTIONS, libreoffice_convert, make_workbook, needs_libreoffice

SAMPLE = INPUTS / "Vale Partnership.xlsx"


def _texts(ret):
    values = {key: str(value) for key, value in ret.values.items()}
    answers = [[b.text for b in answer.blocks] for answer in ret.answers]
    return values, answers


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The sample's Vale return saved by LibreOffice as .ods and as Excel 97–2003 .xls."""
    folder = tmp_path_factory.mktemp("formats")
    source = folder / "vale.xlsx"
    shutil.copy(SAMPLE, source)
    (ods,) = libreoffice_convert([source], "ods", folder / "ods", folder / "profile")
    (xls,) = libreoffice_convert([source], "xls:MS Excel 97", folder / "xls", folder / "profile")
    return {"ods": ods, "xls": xls}


@needs_libreoffice
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_xls_and_ods_are_read_as_the_xlsx_is(converted, kind):
    original, problems = read_return(SAMPLE, QUESTIONS)
    assert problems == []
    ret, problems = read_return(converted[kind], QUESTIONS)
    assert ret is not None
    assert _texts(ret) == _texts(original)
    # The formatting cannot be read from these formats: the check says so, once.
    (warning,) = problems
    assert warning.severity is Severity.WARNING and "bold, italic and underline" in warning.message
    assert f".{kind}" in warning.message


@needs_libreoffice
def test_an_ods_return_counts_as_received(converted, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    (inputs / SAMPLE.name).unlink()
    shutil.copy(converted["ods"], inputs / "Vale Partnership.ods")
    round_ = read_round(inputs)
    (vale,) = [e for e in round_.entries if e.partnership.id == "vale"]
    assert vale.status is Status.RECEIVED and vale.file == "Vale Partnership.ods"
    assert all(e.status is Status.RECEIVED for e in round_.entries)


def test_label_value_pairs_side_by_side_with_and_without_colons(tmp_path):
    path = make_workbook(tmp_path / "pairs.xlsx", [
        ["Partnership return"],
        ["Partnership:", "Vale Partnership", "Date of completion", dt.datetime(2011, 2, 20)],
        ["Contact officer", "Emma Morris", "Contact details:", "01491 823612", "Chairman", "John Robertson"],
        ["OCC Cabinet Member:", "Cllr Judith Heathcoat"],
        *[[q, f"• answer {i}"] for i, q in enumerate(QUESTIONS)],
    ])
    ret, problems = read_return(path, QUESTIONS)
    assert problems == []
    values, answers = _texts(ret)
    assert values == {
        "partnership": "Vale Partnership",
        "completed": "20 February 2011",
        "contact_officer": "Emma Morris",
        "contact_details": "01491 823612",
        "chair": "John Robertson",
        "cabinet_member": "Cllr Judith Heathcoat",
    }
    assert answers == [[f"answer {i}"] for i in range(4)]


def _full(sheet, name: str, answer: str) -> None:
    sheet.append(["Partnership", name])
    sheet.append(["Date of completion", dt.datetime(2011, 2, 20)])
    for label in ("Contact officer", "Contact details", "Chairman", "OCC Cabinet Member"):
        sheet.append([label, f"{label} value"])
    for question in QUESTIONS:
        sheet.append([question, answer])


def test_a_hidden_old_copy_before_the_visible_return_is_not_published(tmp_path):
    book = Workbook()
    old = book.active
    old.title = "Last year"
    _full(old, "Vale Partnership", "• last year's answer")
    old.sheet_state = "hidden"
    _full(book.create_sheet("Return"), "Vale Partnership", "• this year's answer")
    book.save(tmp_path / "vale.xlsx")
    ret, problems = read_return(tmp_path / "vale.xlsx", QUESTIONS)
    assert ret.sheet == "Return"
    assert [b.text for b in ret.answers[0].blocks] == ["this year's answer"]
    (warning,) = problems
    assert warning.severity is Severity.WARNING and "hidden sheet 'Last year'" in warning.message


@pytest.mark.parametrize("indent", ["NaN", "inf", "1e308", "-3"])
def test_an_impossible_indent_in_a_cell_style_costs_only_that_return(tmp_path, indent):
    book = Workbook()
    _full(book.active, "Vale Partnership", "• an answer")
    book.active["B7"].alignment = Alignment(indent=2)
    book.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b'indent="2"', f'indent="{indent}"'.encode())
    assert f'indent="{indent}"'.encode() in parts["xl/styles.xml"]
    with zipfile.ZipFile(tmp_path / "odd.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    ret, problems = read_return(tmp_path / "odd.xlsx", QUESTIONS)
    if indent == "NaN":  # openpyxl reads it; papers ignores the indent
        assert ret is not None and [b.text for b in ret.answers[0].blocks] == ["an answer"]
    else:  # openpyxl refuses the file: it is named, with advice, and nothing else is lost
        assert ret is None and "not a readable Excel workbook" in problems[0].message


def test_a_csv_is_named_and_its_partnership_shown_as_received_unreadable(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    (inputs / "Cherwell LSP.xlsx").unlink()
    (inputs / "cherwell_LSP_return_final.csv").write_text("Partnership,Cherwell LSP\n", encoding="utf-8")
    round_ = read_round(inputs)
    (cherwell,) = [e for e in round_.entries if e.partnership.id == "cherwell"]
    assert cherwell.status is Status.UNREADABLE and cherwell.outstanding
    assert cherwell.file == "cherwell_LSP_return_final.csv" and "CSV" in cherwell.reason
    (problem,) = [p for p in round_.problems if p.source.file == cherwell.file]
    assert problem.severity is Severity.ERROR
    # Advice names the partnership, not the file.
    assert problem.advice == "ask Cherwell Local Strategic Partnership to send the return form as an Excel workbook (.xlsx)"


def test_a_lock_file_beside_its_workbook_is_a_warning(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    # Excel drops a long name's first two letters: ~$le Partnership.xlsx for Vale Partnership.xlsx.
    (inputs / "~$le Partnership.xlsx").write_bytes(b"\x0bEmma Morris")
    round_ = read_round(inputs)
    (warning,) = [p for p in round_.problems if "lock file" in p.message]
    assert warning.source.file == "Vale Partnership.xlsx" and "open in Excel with unsaved changes" in warning.message
    assert all(e.status is Status.RECEIVED for e in round_.entries)
