"""Supplied Word papers converted to tagged PDF by LibreOffice (pipeline/convert.py)."""

from __future__ import annotations

import datetime as dt

from docx import Document
from support import needs_libreoffice

from pipeline import pdf
from pipeline.convert import INSTALL, Conversion, word_to_pdf
from pipeline.model import Problem

WHEN = dt.datetime(2011, 3, 17, 12)


def _word(path):
    document = Document()
    document.add_heading("Comprehensive Area Assessment", level=1)
    document.add_paragraph("The assessment found the council performing well.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Area", "Score"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Housing", "3"
    document.save(path)
    return path


@needs_libreoffice
def test_a_word_paper_becomes_a_tagged_steady_pdf(tmp_path):
    source = _word(tmp_path / "caa.docx")
    first = word_to_pdf(source, tmp_path / "one", WHEN)
    second = word_to_pdf(source, tmp_path / "two", WHEN)  # converted again, not from the first's cache
    assert isinstance(first, bytes) and pdf.inspect(first) == ("", True)
    assert first == second  # LibreOffice's time stamp and random identifier steadied away
    assert list((tmp_path / "one").glob("*.pdf")), "kept for the next build"


def test_without_libreoffice_the_problem_names_its_install_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine where LibreOffice is not installed
    found = Conversion(_word(tmp_path / "caa.docx"), tmp_path / "kept", WHEN).result()
    assert isinstance(found, Problem) and found.source.file == "caa.docx"
    assert "LibreOffice is not installed" in found.message and INSTALL in found.advice


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    found = Conversion(tmp_path / "gone.docx", tmp_path / "kept", WHEN).result()
    assert isinstance(found, Problem) and found.source.file == "gone.docx" and "could not be read" in found.message
