"""Tagged PDFs put together (pipeline/pdf/merge.py): a paper from its parts, a pack from its papers,
each keeping tags, bookmarks, links and page numbers."""

from __future__ import annotations

import datetime as dt
import io

import page as page_validation
import pikepdf
import pytest
from docx import Document

from pipeline import pdf
from pipeline.filenames import TEMPLATES
from pipeline.render.layout import lay_out
from support import libreoffice_convert, needs_libreoffice

WHEN = dt.datetime(2011, 3, 17, 12)
STYLE = '<link rel="stylesheet" href="report.css">'


def _laid(body: str, tagged: bool = True) -> bytes:
    return lay_out(f"<html lang='en-GB'><head><title>t</title>{STYLE}</head><body>{body}</body></html>",
                   TEMPLATES, "t", "s", WHEN, tagged)


@pytest.fixture(scope="module")
def pack():
    front = _laid('<h1>Agenda</h1><p><a href="https://pack.invalid/#pack-page-2">page 2</a></p>')
    paper = _laid('<h1>Budget</h1><table><tr><th id="h" scope="row">Partnership</th><td headers="h">Vale</td></tr></table>')
    other = _laid('<h1>Risks</h1><table><tr><th id="h" scope="row">Partnership</th><td headers="h">Cherwell</td></tr></table>')
    untagged = _laid("<p>A scanned appendix</p>", tagged=False)
    stamps = [_laid("".join(f'<p style="page-break-after: always">Pack page {n}</p>' for n in range(1, 5)), tagged=False)]
    data = pdf.assemble(pdf.TitledPdf(front, "Agenda"), [
        pdf.TitledPdf(paper, "Item 1: Budget"), pdf.TitledPdf(other, "Item 2: Risks"),
        pdf.TitledPdf(untagged, "Item 2, appendix 1: scan")], pdf.Stamps(stamps), title="Agenda pack")
    return pikepdf.open(io.BytesIO(data))


def test_a_pack_has_each_source_under_a_section_titled_with_its_item(pack):
    sections = [k for k in pack.Root.StructTreeRoot.K[0].K]
    assert [str(s.T) for s in sections] == ["Agenda", "Item 1: Budget", "Item 2: Risks"]  # the untagged scan has no tree
    assert len(pack.pages) == 4


def test_a_pack_bookmarks_each_item_over_its_papers_own(pack):
    with pack.open_outline() as outline:
        titles = [(item.title, [child.title for child in item.children]) for item in outline.root]
    assert titles == [("Agenda", ["Agenda"]), ("Item 1: Budget", ["Budget"]), ("Item 2: Risks", ["Risks"]),
                      ("Item 2, appendix 1: scan", [])]


def test_a_packs_header_ids_stay_unique_and_its_cells_follow_them(pack):
    ids = [bytes(k) for k in pack.Root.StructTreeRoot.IDTree.Names[::2]]
    assert len(ids) == len(set(ids)) == 2  # both papers' "h", each prefixed
    cells = [obj for obj in pack.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TD"]
    headers = [bytes(h) for cell in cells for h in cell.A.Headers]
    assert sorted(headers) == sorted(ids)


def test_a_packs_pages_are_numbered_linked_and_stamped(pack):
    assert pack.Root.PageLabels.Nums[1].S == pikepdf.Name.D
    (link,) = [a for a in pack.pages[0].get("/Annots", []) if "/A" in a]
    assert link.A.S == pikepdf.Name.GoTo and link.A.D[0].objgen == pack.pages[1].obj.objgen
    for page in pack.pages:
        drawing = b"".join(s.read_bytes() for s in page.obj.Contents) if isinstance(page.obj.Contents, pikepdf.Array) \
            else page.obj.Contents.read_bytes()
        assert b"/Artifact <</Type /Pagination>> BDC /PackPage" in drawing


def test_a_paper_joins_the_elements_its_parts_continue():
    parts = [_laid('<main id="main"><h1>Report</h1><p>One.</p></main>'),
             _laid('<main id="main"><h2>Returns</h2><p>Two.</p></main>')]
    with pikepdf.open(io.BytesIO(pdf.join(parts, []))) as joined:
        document = joined.Root.StructTreeRoot.K[0]
        mains = [k for k in document.K if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        assert len(mains) == 1, "the two parts' <main> are one element"
        assert "/PapersId" not in mains[0]  # the join's marks are forgotten
        with joined.open_outline() as outline:
            assert [(i.title, [c.title for c in i.children]) for i in outline.root] == [("Report", ["Returns"])]


@needs_libreoffice
def test_a_pack_of_libreoffice_tagged_exports_passes_pdf_ua_1(tmp_path):
    """LibreOffice's plain "Tagged PDF" export (headings, a table over pages) maps each
    standard type to itself; in a pack that would read as a role-map cycle."""

    document = Document()
    document.core_properties.title = "Budget"
    document.add_heading("Budget 2011/12", 1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Partner", "Amount", "Share")):
        cell.text = text
    for n in range(1, 60):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = f"Partner {n}", f"£{n},000", f"{n}%"
    document.add_heading("Next steps", 2)
    document.add_paragraph("A review in the autumn.")
    document.save(tmp_path / "budget.docx")
    tagged = '{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    (exported,) = libreoffice_convert([tmp_path / "budget.docx"], f"pdf:writer_pdf_Export:{tagged}", tmp_path / "pdf",
                                      tmp_path / "profile")
    with pikepdf.open(exported) as source:
        assert source.Root.StructTreeRoot.RoleMap.H1 == pikepdf.Name.H1  # the export as it comes
    packed = pdf.assemble(pdf.TitledPdf(_laid("<h1>Agenda</h1>"), "Agenda"),
                          [pdf.TitledPdf(pdf.prepare(exported.read_bytes()).data, "Item 1: Budget")], pdf.Stamps([]), title="Pack")
    report = page_validation.validate_pdf_bytes(packed, profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})
    with pikepdf.open(io.BytesIO(packed)) as merged:
        assert "/H1" not in merged.Root.StructTreeRoot.get("/RoleMap", {})


def _outlined(make) -> bytes:
    """A two-page PDF with the bookmarks ``make(document, pages)`` gives it, as the first and last of its outline."""
    document = pikepdf.new()
    for _ in range(2):
        document.add_blank_page(page_size=(595, 842))
    first, last = make(document, [p.obj for p in document.pages])
    document.Root.Outlines = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines, First=first, Last=last))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _bookmark(document, title: str, **entries):
    return document.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(title), **entries))


def test_a_sources_bookmarks_going_elsewhere_are_left_out_and_a_loop_ends():
    def make(document, pages):
        one = _bookmark(document, "One", Dest=pikepdf.Array([pages[0], pikepdf.Name.Fit]))
        named = _bookmark(document, "Named", Dest=pikepdf.String("somewhere"))
        two = _bookmark(document, "Two", Dest=pikepdf.Array([pages[1], pikepdf.Name.XYZ, 0, 800, 0]))
        one.Next, named.Next, two.Next = named, two, one  # the last leads back to the first
        return one, two

    front = _laid("<h1>Agenda</h1>")
    stamps = [_laid("".join(f'<p style="page-break-after: always">{n}</p>' for n in range(1, 4)), tagged=False)]
    data = pdf.assemble(pdf.TitledPdf(front, "Agenda"), [pdf.TitledPdf(_outlined(make), "Item 1: Scan")], pdf.Stamps(stamps), title="t")
    with pikepdf.open(io.BytesIO(data)) as pack, pack.open_outline() as outline:
        items = [(i.title, [(c.title, c.destination[0].objgen) for c in i.children]) for i in outline.root]
        assert items == [("Agenda", [("Agenda", pack.pages[0].obj.objgen)]),
                         ("Item 1: Scan", [("One", pack.pages[1].obj.objgen), ("Two", pack.pages[2].obj.objgen)])]
        assert pack.Root.Outlines.Count == 5


def test_a_pack_from_sources_read_ahead_is_the_same_bytes_and_takes_them():
    # Read while the build waits on its workers, the sources are only parsed sooner: the
    # pack is the same; one the pack uses is let go of as it is copied, and what cannot be
    # read is left for the pack to open (and fail on) itself.
    front = _laid("<h1>Agenda</h1>")
    sources = [pdf.TitledPdf(_laid(f"<h1>Paper {n}</h1><p>Text.</p>"), f"Item {n}: Paper") for n in (1, 2)]
    stamps = pdf.Stamps([_laid("".join(f'<p style="page-break-after: always">{n}</p>' for n in range(1, 4)),
                               tagged=False)])
    plain = pdf.assemble(pdf.TitledPdf(front, "Agenda"), sources, stamps, title="t")
    with pdf.ReadAhead() as ahead:
        for source in sources:
            ahead.read(source.data)
        ahead.read(b"%PDF-1.7 not a PDF at all")
        unused = _laid("<p>Withdrawn</p>")
        ahead.read(unused)
        assert len(ahead) == 3
        assert pdf.assemble(pdf.TitledPdf(front, "Agenda"), sources, stamps, title="t", ahead=ahead) == plain
        assert len(ahead) == 1  # the one the pack did not take, let go of as the handle closes
    assert len(ahead) == 0
