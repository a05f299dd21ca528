"""A supplied Word file checked before LibreOffice opens it (pipeline/meeting/docx_safety.py)."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from pipeline.meeting.docx_safety import check_docx


def _docx(field: str = "", hyperlink: bool = False) -> bytes:
    document = Document()
    paragraph = document.add_paragraph("Before the field. ")
    if field:
        run = paragraph.add_run()
        run._r.append(run._r.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText", {}))
        run._r[-1].text = field
    if hyperlink:
        document.part.relate_to("https://www.oxfordshire.gov.uk/", "http://schemas.openxmlformats.org/officeDocument/"
                                "2006/relationships/hyperlink", is_external=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def test_a_plain_word_file_is_converted_as_it_came():
    data = _docx(hyperlink=True)
    checked = check_docx(data)
    assert checked.refused == "" and checked.removed == [] and checked.data == data  # hyperlinks stay


def test_fields_that_fetch_or_run_are_made_harmless_and_named():
    for field in (' INCLUDEPICTURE "http://127.0.0.1:9/logo.png" \\d ', ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" '):
        checked = check_docx(_docx(field))
        keyword = field.split()[0]
        assert checked.removed == [f"a field that fetches a file ({keyword})"]
        document = _part(checked.data, "word/document.xml")
        assert keyword.encode() not in document and b"QUOTE" in document


def test_a_word_file_without_a_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    checked = check_docx(out.getvalue())
    assert checked.refused == "is not a Word document (.docx): it has no document inside" and checked.advice
