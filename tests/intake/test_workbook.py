"""Files that are not readable returns each become one clear problem, never a traceback."""

from __future__ import annotations

import zipfile

import pytest

from pipeline.intake import find_returns, read_return
from pipeline.intake.workbook import OLE_SIGNATURE
from pipeline.records.problems import Severity
from support import QUESTIONS, make_workbook


def only_problem(path):
    ret, problems = read_return(path, QUESTIONS)
    assert ret is None
    (problem,) = problems
    assert problem.severity is Severity.ERROR and problem.source.file == path.name
    return problem


def test_corrupt_file(tmp_path):
    path = tmp_path / "Cherwell.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    problem = only_problem(path)
    assert "damaged" in problem.message and "ask Cherwell" in problem.addressed("Cherwell").advice


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "Vale.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "not a readable Excel workbook" in only_problem(path).message


def test_password_protected_workbook(tmp_path):
    # Excel saves an encrypted workbook as an OLE container holding an EncryptionInfo stream.
    path = tmp_path / "Cherwell.xlsx"
    path.write_bytes(OLE_SIGNATURE + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    problem = only_problem(path)
    assert problem.message == "password-protected"
    assert problem.addressed("Cherwell").advice.startswith("ask Cherwell to remove the password")


def test_old_xls_workbook(tmp_path):
    path = tmp_path / "West.xls"
    path.write_bytes(OLE_SIGNATURE + b"\0" * 1024)
    problem = only_problem(path)
    assert ".xls" in problem.message
    assert "save it again as an Excel Workbook (.xlsx)" in problem.advice


def test_ods_is_refused_with_advice(tmp_path):
    path = tmp_path / "South.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument" in only_problem(path).message


def test_workbook_without_a_return_sheet(tmp_path):
    path = make_workbook(tmp_path / "budget.xlsx", [["Item", "Cost"], ["Tea", 3]])
    assert "no return sheet" in only_problem(path).message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "not a readable Excel workbook" in only_problem(path).message


def test_lock_hidden_and_other_files_are_not_returns(tmp_path):
    for name in ("~$Vale.xlsx", ".hidden.xlsx", "notes.txt", "paper.toml", "minutes.pdf", "Vale.xlsx", "Old.xls"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "folder.xlsx").mkdir()
    assert [p.name for p in find_returns(tmp_path)] == ["Old.xls", "Vale.xlsx"]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_inputs_are_never_modified(tmp_path, suffix):
    path = make_workbook(tmp_path / f"r{suffix}", [["Partnership", "Vale Partnership"]])
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_return(path, QUESTIONS)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
