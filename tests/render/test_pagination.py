"""Pages a clerk publishes untouched: read back page by page from the PDF, and from the Word
paper as LibreOffice lays it out.

On every page that continues a partnership's table, the partnership is named (the
repeated head row); a label block (Partnership … OCC Cabinet Member) is never split;
a question never ends a page without the start of its answer; no row is left empty.
"""

from __future__ import annotations

import re

import pytest

from pipeline.round.read import read_round
from support import INPUTS, libreoffice_convert, needs_libreoffice, pdf_pages

STEM = "2011-03-17-partnership-update-report"
HEAD = "Strategy and Partnerships Scrutiny Committee – 17 March 2011"
ROUND = read_round(INPUTS)
QUESTIONS = ROUND.paper.questions
FIRST_LABEL, LAST_LABELS = "Date of completion", ("OCC Cabinet Member", "OCC Member")


def _lines(text: str) -> list[str]:
    """A page's lines without the running header, the footer and drawn list markers."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"Page \d+ of \d+", "", line.replace(HEAD, "")).strip()
        if line and not re.fullmatch(r"[•◦▪]", line):
            out.append(line)
    return out


def _returns_pages(pages: list[str]) -> list[tuple[int, list[str]]]:
    """(page number, lines) of the pages after the one the partnership returns start on."""
    start = next(i for i, text in enumerate(pages) if "Partnership returns" in text)
    return [(i + 1, _lines(text)) for i, text in enumerate(pages) if i > start]


def _check(pages: list[str]) -> None:
    returns = _returns_pages(pages)
    assert returns
    for number, lines in returns:
        # The page names whose return it shows, in its first lines: the partnership's
        # heading, or its table's head row repeated.
        assert any(line.startswith("Partnership ") for line in lines[:3]), (number, lines[:3])
        text = " ".join(" ".join(lines).split())  # a label may wrap in its cell
        firsts = text.count(FIRST_LABEL)
        lasts = sum(text.count(label) for label in LAST_LABELS)
        assert firsts == lasts, f"page {number}: a label block is split"
        # No question is the last thing on a page.
        flat = " ".join(lines)
        for question in QUESTIONS:
            if question in flat:
                assert not flat.rstrip().endswith(question), f"page {number} ends on a question"


@pytest.fixture(scope="module")
def outputs(sample_build):
    result, output = sample_build
    assert result.returncode == 0
    return output


def test_pdf_pages(outputs):
    pages = pdf_pages(outputs / f"{STEM}.pdf")
    _check(pages)
    # The pages that continue a table (no heading of a new partnership on them) exist,
    # so the check above has seen the repeated head at work.
    names = [e.partnership.name for e in ROUND.entries]
    continued = [n for n, lines in _returns_pages(pages) if not any(line in names for line in lines[:2])]
    assert continued


@needs_libreoffice
def test_word_pages_in_libreoffice(outputs, tmp_path):
    (pdf,) = libreoffice_convert([outputs / f"{STEM}.docx"], "pdf", tmp_path / "lo", tmp_path / "profile")
    pages = pdf_pages(pdf)
    _check(pages)
    for number, lines in _returns_pages(pages):
        # Every answer row on the page holds text: a row split leaves no empty row behind.
        for i, line in enumerate(lines):
            if line == "Answer" or line.startswith("Answer "):
                rest = line[len("Answer"):].strip() or (lines[i + 1] if i + 1 < len(lines) else "")
                assert rest and not rest.startswith("Question "), f"page {number}: an empty answer row"
        # A "Question N" row has its answer row below it on the same page.
        flat = " ".join(lines)
        last_question = max((flat.rfind(f"Question {n}") for n in range(1, 5)), default=-1)
        if last_question >= 0:
            assert "Answer" in flat[last_question:], f"page {number}: a question without its answer"
