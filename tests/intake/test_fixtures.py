"""Real files whose producer's quirks are the point: LibreOffice's save, Excel's encryption."""

from __future__ import annotations

from pathlib import Path

from pipeline.intake import read_return
from support import INPUTS, QUESTIONS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_return_saved_by_libreoffice_reads_as_the_original(tmp_path):
    original, original_problems = read_return(INPUTS / "OSP.xlsx", QUESTIONS)
    resaved, problems = read_return(FIXTURES / "saved-by-libreoffice.xlsx", QUESTIONS)
    assert problems == original_problems == []
    assert {k: str(v) for k, v in resaved.values.items()} == {k: str(v) for k, v in original.values.items()}
    assert [a.blocks for a in resaved.answers] == [a.blocks for a in original.answers]


def test_an_encrypted_workbook_is_named_password_protected():
    ret, (problem,) = read_return(FIXTURES / "password-protected.xlsx", QUESTIONS)
    assert ret is None
    assert problem.message == "password-protected"
    assert problem.addressed("Vale Partnership").advice.startswith("ask Vale Partnership to remove the password")
