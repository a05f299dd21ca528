"""The Word paper read back: literal text, Word's list styles, lists numbered from their start."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.oxml.ns import qn

from pipeline.filenames import TEMPLATES
from pipeline.render.view import build_view
from pipeline.render.word import render_docx
from support import HOSTILE, WHEN, make_round


def read(data: bytes):
    return Document(io.BytesIO(data))


def texts(document) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))]


def test_hostile_text_comes_out_literally():
    answers = [f"• {HOSTILE}", "plain", "", "• x"]
    document = read(render_docx(build_view(make_round(answers)), TEMPLATES, WHEN))
    body = texts(document)
    assert body.count(HOSTILE) == 2  # the name in the table, and the answer item
    assert "Update {{ title }}" in body
    assert "Scrutiny & Audit <Committee>" in document.sections[0].header.paragraphs[0].text


def test_missing_return_and_unanswered_question_are_said():
    body = texts(read(render_docx(build_view(make_round(["• a", "", "• c", "• d"])), TEMPLATES, WHEN)))
    assert "No return received" in body and "No answer given" in body


def test_each_numbered_list_starts_again_in_its_own_format():
    answers = ["1. one\n2. two", "• intro\n    a) alpha\n    b) beta", "3. three\n4. four", "• none"]
    document = read(render_docx(build_view(make_round(answers)), TEMPLATES, WHEN))
    numbering = document.part.numbering_part.element
    numbered = [
        p for p in document.element.body.iter(qn("w:p"))
        if p.pPr is not None and p.pPr.numPr is not None and p.pPr.pStyle.val.startswith("ListNumber")
    ]
    assert len(numbered) == 6
    num_ids = [p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3] != num_ids[4] == num_ids[5]

    def start_and_format(num_id):
        num = numbering.num_having_numId(num_id)
        start = int(num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")))
        abstract_id = num.abstractNumId.val
        abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract_id))
        return start, abstract.find(qn("w:lvl")).find(qn("w:numFmt")).get(qn("w:val"))

    assert start_and_format(num_ids[0]) == (1, "decimal")
    assert start_and_format(num_ids[2]) == (1, "lowerLetter")
    assert start_and_format(num_ids[4]) == (3, "decimal")


def test_document_properties_language_and_fixed_zip_dates():
    data = render_docx(build_view(make_round(["a", "b", "c", "d"])), TEMPLATES, WHEN)
    document = read(data)
    assert document.core_properties.title == "Update {{ title }}"
    assert document.core_properties.created == WHEN.replace(tzinfo=dt.timezone.utc)
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2011, 3, 17, 0, 0, 0)}
