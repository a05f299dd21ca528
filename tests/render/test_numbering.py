"""One numbering: every number format an officer types reads the same in Word, PDF and HTML;
every bullet is drawn in a font the document has."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pipeline.filenames import TEMPLATES
from pipeline.intake.answers import parse_text
from pipeline.records.rich_text import Delimiter
from pipeline.render.html import PDF_STYLESHEETS, render_html
from pipeline.render.view import build_view
from pipeline.render.word import render_docx
from support import WHEN, libreoffice_convert, make_round, needs_libreoffice, render_pdf

# What an officer types for the first two items, and what every output must show.
TYPED = {
    "1.": ("1.", "2."),
    "1)": ("1)", "2)"),
    "(1)": ("(1)", "(2)"),
    "a)": ("a)", "b)"),
    "a.": ("a.", "b."),
    "(a)": ("(a)", "(b)"),
    "i)": ("i)", "ii)"),
    "A.": ("A.", "B."),
    "(iv)": ("(iv)", "(v)"),
}


def _answer(first: str) -> str:
    second = {"1": "2", "a": "b", "i": "ii", "A": "B", "iv": "v"}[re.sub(r"[().]", "", first)]
    return f"{first} Alpha item\n{first.replace(re.sub(r'[().]', '', first), second)} Beta item"


def test_intake_keeps_the_delimiter():
    assert parse_text("a) one\nb) two")[1].delimiter is Delimiter.PAREN
    assert parse_text("(a) one\n(b) two")[0].delimiter is Delimiter.PARENS
    assert parse_text("1. one\n2. two")[0].delimiter is Delimiter.PERIOD
    assert parse_text("(a. not a list")[0].delimiter is None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A round whose four answers and more are each a list in one of the typed formats."""
    # Lists in one answer are parted by a paragraph: each starts afresh.
    answers = ["\nText between.\n".join(_answer(typed) for typed in list(TYPED)[i::4]) for i in range(4)]
    view = build_view(make_round(answers, name="Numbering Partnership"))
    folder = tmp_path_factory.mktemp("numbering")
    docx = folder / "paper.docx"
    docx.write_bytes(render_docx(view, TEMPLATES, WHEN))
    html = render_html(view, TEMPLATES)
    pdf = render_pdf(render_html(view, TEMPLATES, stylesheets=PDF_STYLESHEETS), TEMPLATES, "t", "s", WHEN)
    return {"docx": docx, "html": html, "pdf": pdf, "folder": folder}


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


_LABEL = re.compile(r"(?m)(?:^|(?<=\s))(\(?(?:[0-9]{1,3}|[a-zA-Z]{1,4})[.)])(?=[ \t]*(?:Alpha item|Beta item|$))")


def _labels(text: str) -> list[str]:
    """The list labels in the text, in order (WeasyPrint's are drawn after each page's text)."""
    return _LABEL.findall(text)


def _expected() -> list[str]:
    order = [typed for i in range(4) for typed in list(TYPED)[i::4]]
    return [label for typed in order for label in TYPED[typed]]


def test_pdf_shows_the_numbers_as_typed(rendered):
    assert _labels(_pdf_text(rendered["pdf"])) == _expected()


def test_html_marks_each_list_with_its_delimiter(rendered):
    html = rendered["html"]
    lists = re.findall(r'<ol type="(\w)"[^>]*class="level-0 (\w+)"', html)
    assert len(lists) == len(TYPED)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    for kind, delimiter in lists:
        if delimiter != "period":
            assert f'ol.{delimiter}[type="{kind}"]' in css, (kind, delimiter)


def test_word_lists_carry_the_delimiter(rendered):
    document = Document(rendered["docx"])
    numbering = document.part.numbering_part.element
    texts = []
    for p in document.element.body.iter(qn("w:p")):
        num_pr = p.pPr.numPr if p.pPr is not None else None
        if num_pr is None or num_pr.numId is None or p.pPr.pStyle is None or not p.pPr.pStyle.val.startswith("ListNumber"):
            continue
        abstract_id = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
        abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract_id))
        texts.append(abstract.find(qn("w:lvl")).find(qn("w:lvlText")).get(qn("w:val")))
    order = [typed for i in range(4) for typed in list(TYPED)[i::4]]
    wanted = [re.sub(r"[0-9a-zA-Z]+", "%1", typed) for typed in order for _ in range(2)]
    assert texts == wanted


@needs_libreoffice
def test_word_paper_shows_the_numbers_as_typed_in_libreoffice(rendered):
    folder = rendered["folder"]
    (pdf,) = libreoffice_convert([rendered["docx"]], "pdf", folder / "lo", folder / "profile")
    assert _labels(_pdf_text(pdf.read_bytes())) == _expected()


def test_bullets_are_glyphs_of_the_documents_own_font(rendered):
    font = TTFont(TEMPLATES / "fonts" / "LiberationSans-Regular.ttf")  # Arial's metric twin
    cmap = font.getBestCmap()
    document = Document(rendered["docx"])
    numbering = document.part.numbering_part.element
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        num_id = document.styles[name].element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
        abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract_id))
        level = abstract.find(qn("w:lvl"))
        glyph = level.find(qn("w:lvlText")).get(qn("w:val"))
        fonts = level.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == "Arial" and fonts.get(qn("w:hAnsi")) == "Arial", name
        assert len(glyph) == 1 and ord(glyph) in cmap, (name, glyph)
    # The PDF embeds no font but the paper's own: a bullet drawn from a fallback font
    # would add one.
    reader = PdfReader(io.BytesIO(rendered["pdf"]))
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages for f in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("Paper-Sans") for name in fonts), fonts
