"""Single PDFs (pipeline/pdf/files.py): whether one can go into a pack, its page count, its dates steadied."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf

from pipeline import pdf

WHEN = dt.datetime(2011, 3, 17, 12)


def _pdf(pages: int = 1, tagged: bool = False, created: str = "D:20261201093000Z", **save) -> bytes:
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page()
    if tagged:
        document.Root.StructTreeRoot = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    document.docinfo["/CreationDate"] = created
    out = io.BytesIO()
    document.save(out, **save)
    return out.getvalue()


def test_a_pdf_is_read_for_the_pack():
    assert pdf.inspect(_pdf()) == ("", False)
    assert pdf.inspect(_pdf(tagged=True)) == ("", True)
    assert pdf.page_count(_pdf(pages=3)) == 3


def test_what_cannot_go_in_is_named():
    assert pdf.inspect(_pdf(pages=0))[0] == "has no pages"
    assert pdf.inspect(b"%PDF-1.7 not really")[0].startswith("is not a readable PDF")
    assert pdf.page_count(b"not a PDF at all") == 0


def test_an_encrypted_pdf_is_named():
    locked = _pdf(encryption=pikepdf.Encryption(owner="owner", user="", R=6))
    assert pdf.inspect(locked)[0] == "is encrypted"


def test_steadying_fixes_the_date_and_the_identifier():
    # LibreOffice stamps each export with the time (and a random identifier): two exports
    # of one file, steadied, are the same bytes.
    first, second = _pdf(), _pdf(created="D:20261202101500Z")
    assert first != second
    steady = pdf.steady(first, WHEN)
    assert steady == pdf.steady(second, WHEN)
    with pikepdf.open(io.BytesIO(steady)) as done:
        assert str(done.docinfo["/CreationDate"]) == "D:20110317120000Z"
