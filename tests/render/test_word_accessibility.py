"""The Word paper held to the rules Word's Accessibility Checker applies to a paper like ours.

``violations`` reads a .docx and lists what the checker would flag: no title, no
language, headings out of order, a table without a repeating header row, merged cells,
blank paragraphs for spacing, text under 9 pt, hyperlinks that say nothing, an image
without alternative text. A control document breaks every rule, so each check is seen
to fail.
"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from pipeline.filenames import TEMPLATES
from pipeline.render.view import build_view
from pipeline.render.word import render_docx
from support import WHEN, hostile_round

STEM = "2011-03-17-partnership-update-report"
SMALLEST_HALF_POINTS = 18  # 9 pt
UNCLEAR_LINKS = {"click here", "here", "link", "more", "read more", "this link", "this"}


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _sizes(element) -> list[int]:
    return [int(sz.get(qn("w:val"))) for sz in element.iter(qn("w:sz"))]


def violations(data: bytes) -> list[str]:
    """What Word's Accessibility Checker would flag in the document ``data``."""
    document = Document(io.BytesIO(data))
    body = document.element.body
    found = []
    if not (document.core_properties.title or "").strip():
        found.append("no title in the document properties")
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang")) if defaults is not None else None
    if lang is None or not lang.get(qn("w:val")):
        found.append("no document language")

    levels = []
    for p in document.paragraphs:
        name = p.style.name
        if name == "Title":
            levels.append(0)
        elif re.fullmatch(r"Heading \d", name):
            levels.append(int(name.split()[-1]))
    if not levels or any(b > a + 1 for a, b in zip(levels, levels[1:])):
        found.append(f"headings skip a level: {levels[:20]}")

    for number, table in enumerate(document.tables, start=1):
        first = table.rows[0]._tr
        if first.trPr is None or first.trPr.find(qn("w:tblHeader")) is None:
            found.append(f"table {number} has no header row marked to repeat")
        for tag in ("w:gridSpan", "w:vMerge", "w:hMerge"):
            if table._tbl.find(".//" + qn(tag)) is not None:
                found.append(f"table {number} has merged cells ({tag})")

    for p in body.iter(qn("w:p")):
        if not _text(p).strip():
            cell = p.getparent()
            # An empty cell holds one empty paragraph (Word requires it); any other empty
            # paragraph is spacing.
            if not (cell.tag == qn("w:tc") and len(cell.findall(qn("w:p"))) == 1):
                found.append("a blank paragraph used for spacing")
                break

    parts = [document.styles.element, body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    small = [size for part in parts for size in _sizes(part) if size < SMALLEST_HALF_POINTS]
    if small:
        found.append(f"text below 9 pt: {sorted(set(small))} half-points")

    for link in body.iter(qn("w:hyperlink")):
        text = _text(link).strip()
        if not text or text.lower() in UNCLEAR_LINKS:
            found.append(f"hyperlink text says nothing: {text!r}")
    for picture in body.iter(qn("wp:docPr")):
        if not (picture.get("descr") or "").strip():
            found.append("an image has no alternative text")
    return found


def test_sample_word_paper_passes(sample_build):
    result, output = sample_build
    assert result.returncode == 0
    assert violations((output / f"{STEM}.docx").read_bytes()) == []


def test_hostile_round_word_paper_passes():
    assert violations(render_docx(build_view(hostile_round()), TEMPLATES, WHEN)) == []


def _broken() -> bytes:
    """A document that breaks every rule above once."""
    document = Document()
    document.core_properties.title = ""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for lang in defaults.findall(qn("w:lang")):
        defaults.remove(lang)
    document.add_heading("Title", level=1)
    document.add_heading("Too deep", level=3)
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1))
    document.add_paragraph("tiny").runs[0].font.size = Pt(7)
    p = document.add_paragraph()
    p._p.append(parse_xml(f'<w:hyperlink {nsdecls("w")}><w:r><w:t>click here</w:t></w:r></w:hyperlink>'))
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/'
        'drawingml/2006/wordprocessingDrawing"><wp:docPr id="1" name="Picture 1"/></wp:inline></w:drawing></w:r>'
    ))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "rule",
    ["no title", "no document language", "headings skip", "no header row", "merged cells",
     "blank paragraph", "below 9 pt", "hyperlink text", "no alternative text"],
)
def test_each_rule_catches_a_document_that_breaks_it(rule):
    assert any(rule in v for v in violations(_broken())), violations(_broken())
