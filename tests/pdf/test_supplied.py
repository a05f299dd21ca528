"""A supplied PDF made fit for a public pack (pipeline/pdf/supplied.py): active content of every kind
stripped and named, links and tags kept, what cannot go in refused with its reason."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import page as page_validation
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from pipeline import pdf
from pipeline.pdf import supplied as pdf_supplied
from support import active_content, helvetica_pdf


def _base() -> pikepdf.Pdf:
    """Two blank A4 pages."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595.275591, 841.889764))
    document.add_blank_page(page_size=(595.275591, 841.889764))
    return document


def _saved(document: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    document.save(out, **options)
    return out.getvalue()


def _javascript(code: str = "app.alert('hi')") -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def _link(action: Dictionary) -> Dictionary:
    return Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 100, 20], A=action)


def _hostile(kind: str) -> bytes:
    document = _base()
    page = document.pages[0].obj
    if kind == "open action":
        document.Root.OpenAction = document.make_indirect(_javascript())
    elif kind == "document actions":
        document.Root.AA = Dictionary(WC=_javascript())
    elif kind == "page actions":
        page.AA = Dictionary(O=_javascript())
    elif kind == "named javascript":
        tree = pikepdf.NameTree.new(document)
        tree["run"] = document.make_indirect(_javascript())
        document.Root.Names = Dictionary(JavaScript=tree.obj)
    elif kind == "launch":
        page.Annots = Array([_link(Dictionary(S=Name.Launch, F=String("C:\\Windows\\System32\\calc.exe")))])
    elif kind == "chained":
        safe = Dictionary(S=Name.URI, URI=String("https://example.org/"), Next=_javascript())
        page.Annots = Array([_link(safe)])
    elif kind == "submit form":
        field = document.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=String("send"), Rect=[0, 0, 50, 20],
            A=Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("http://127.0.0.1:9/collect")))))
        page.Annots = Array([field])
        document.Root.AcroForm = Dictionary(Fields=Array([field]))
    elif kind == "embedded file":
        spec = document.make_indirect(Dictionary(
            Type=Name.Filespec, F=String("setup.exe"),
            EF=Dictionary(F=document.make_stream(b"MZ\x90\x00 not really a program", Type=Name.EmbeddedFile))))
        tree = pikepdf.NameTree.new(document)
        tree["setup.exe"] = spec
        document.Root.Names = Dictionary(EmbeddedFiles=tree.obj)
        page.Annots = Array([Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 20, 20], FS=spec)])
    return _saved(document)


@pytest.mark.parametrize("kind, named", [
    ("open action", "an action run on opening"),
    ("document actions", "actions run on opening, closing, saving or printing"),
    ("page actions", "actions run when a page is shown"),
    ("named javascript", "JavaScript"),
    ("launch", "an action that starts a program"),
    ("chained", "JavaScript"),
    ("submit form", "a form that can be filled in or submitted"),
    ("embedded file", "embedded files"),
])
def test_active_content_is_stripped_and_named(kind, named):
    data = _hostile(kind)
    assert active_content(data), "the control: the file does carry it"
    found = pdf.prepare(data)
    assert found.why == "" and named in found.removed, found.removed
    assert active_content(found.data) == set()
    assert pdf.page_count(found.data) == 2


def test_a_submit_action_on_a_link_and_an_attachment_on_a_page_are_named():
    document = _base()
    document.pages[0].obj.Annots = Array([_link(Dictionary(S=Name.SubmitForm, F=String("http://127.0.0.1:9/")))])
    assert "an action that sends a form's data away" in pdf.prepare(_saved(document)).removed
    assert "an embedded file" in pdf.prepare(_hostile("embedded file")).removed


def test_links_within_the_paper_and_to_the_web_stay():
    document = _base()
    target = document.pages[1].obj
    document.pages[0].obj.Annots = Array([
        _link(Dictionary(S=Name.GoTo, D=Array([target, Name.Fit]))),
        _link(Dictionary(S=Name.URI, URI=String("https://www.oxfordshire.gov.uk/"))),
    ])
    data = _saved(document)
    found = pdf.prepare(data)
    assert found.removed == () and found.data == data  # nothing to strip: the file as it came


@pytest.mark.parametrize("make, why", [
    (lambda: _saved(_base(), encryption=pikepdf.Encryption(owner="o", user="secret", R=6)), "needs a password to open"),
    (lambda: _saved(_base(), encryption=pikepdf.Encryption(owner="o", user="", R=6)),
     "is protected against changes or copying"),
    (lambda: _saved(pikepdf.new()), "has no pages"),
    (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40, "is not a readable PDF"),
])
def test_what_cannot_go_in_is_refused_with_advice(make, why):
    found = pdf.prepare(make())
    assert found.why.startswith(why) and found.advice and found.data == b""


def test_a_structure_tree_without_a_parent_tree_goes_in_untagged():
    document = _base()
    document.Root.StructTreeRoot = document.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
    document.Root.MarkInfo = Dictionary(Marked=True)
    found = pdf.prepare(_saved(document))
    assert found.why == "" and not found.tagged
    assert "a damaged structure tree (the file goes in without tags)" in found.mended


def test_a_null_among_the_annotations_is_dropped():
    document = _base()
    document.pages[0].obj.Annots = Array([None, _link(Dictionary(S=Name.URI, URI=String("https://example.org/")))])
    found = pdf.prepare(_saved(document))
    with pikepdf.open(io.BytesIO(found.data)) as cleaned:
        assert len(cleaned.pages[0].obj.Annots) == 1
    assert "damaged annotations" in found.mended


def test_an_appendix_of_thousands_of_pages_is_refused_unread():
    document = _base()
    for _ in range(pdf_supplied.MAX_PAGES):
        document.pages.append(document.pages[0])
    found = pdf.prepare(_saved(document))
    assert found.why == f"has {pdf_supplied.MAX_PAGES + 2:,} pages, more than an appendix can have (2,000)"
    assert "pages the committee needs" in found.advice


def _tagged(mutate) -> bytes:
    """A one-page tagged PDF (a paragraph in a document), changed by ``mutate``."""
    document = _base()
    page = document.pages[0].obj
    paragraph = document.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, K=0, Pg=page))
    top = document.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([paragraph])))
    parents = document.make_indirect(Dictionary(Nums=Array([0, Array([paragraph])])))
    root = document.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=top, ParentTree=parents))
    paragraph.P, top.P = top, root
    document.Root.StructTreeRoot, document.Root.MarkInfo = root, Dictionary(Marked=True)
    page.StructParents = 0
    mutate(document)
    return _saved(document)


@pytest.mark.parametrize("mutate, mended", [
    (lambda d: setattr(d.Root.StructTreeRoot, "K", Array([5, String("x"), None])),
     "a damaged structure tree (what was not an element at its top left out)"),
    (lambda d: setattr(d.pages[0].obj, "StructParents", String("a")), "damaged links from its pages to its structure tree"),
    (lambda d: setattr(d.pages[0].obj, "Annots", Array([Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 1, 1], StructParent=String("x"))])),
     "damaged links from its pages to its structure tree"),
    (lambda d: setattr(d.Root, "StructTreeRoot", 5), "a damaged structure tree (the file goes in without tags)"),
])
def test_a_damaged_tree_is_mended_and_the_pack_still_made(mutate, mended):
    found = pdf.prepare(_tagged(mutate))
    assert found.why == "" and mended in found.mended
    front, stamps = _saved(_base()), _saved(_base())
    pack = pdf.assemble(pdf.TitledPdf(front, "Agenda"), [pdf.TitledPdf(found.data, "Item 1")], pdf.Stamps([stamps]), title="t")
    assert pdf.page_count(pack) == 4


def test_a_page_of_another_size_is_fitted_to_a4_with_its_links():
    document = pikepdf.new()
    document.add_blank_page(page_size=(612, 792))  # US Letter
    document.add_blank_page(page_size=(841.889764, 595.275591))  # A4, landscape: left as it is
    document.pages[0].obj.Annots = Array([_link(Dictionary(S=Name.URI, URI=String("https://example.org/")))])
    found = pdf.prepare(_saved(document))
    assert found.fitted == ("1 page of 216 × 279 mm",)
    with pikepdf.open(io.BytesIO(found.data)) as fitted:
        assert [round(float(v)) for v in fitted.pages[0].mediabox] == [0, 0, 595, 842]
        assert [round(float(v)) for v in fitted.pages[1].mediabox] == [0, 0, 842, 595]
        x0, y0, x1, y1 = (float(v) for v in fitted.pages[0].obj.Annots[0].Rect)
        scale = 595.275591 / 612
        assert abs((x1 - x0) - 100 * scale) < 0.01 and 0 <= x0 and y1 <= 842  # moved and scaled with the page


def _with_ids(document: pikepdf.Pdf) -> None:
    """The paragraph given an ID its /IDTree does not list, and the tree a name for an element not in it."""
    paragraph = document.Root.StructTreeRoot.K.K[0]
    paragraph.ID = String("finding-1")
    stray = document.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P))
    document.Root.StructTreeRoot.IDTree = document.make_indirect(Dictionary(Names=Array([String("gone"), stray])))


def test_every_id_is_listed_in_the_id_tree_where_the_pack_reads_it():
    found = pdf.prepare(_tagged(_with_ids))
    assert found.why == "" and found.mended == ()  # a technicality, not damage an officer need hear of
    with pikepdf.open(io.BytesIO(found.data)) as prepared:
        tree = prepared.Root.StructTreeRoot
        assert [(k, v.objgen) for k, v in pikepdf.NameTree(tree.IDTree).items()] == \
            [("finding-1", tree.K.K[0].objgen)]
    # The same file twice in a pack: the second's ID is taken, so it is prefixed, its own kept unique.
    front, stamps = _saved(_base()), _saved(_base())
    pack = pdf.assemble(pdf.TitledPdf(front, "Agenda"), [pdf.TitledPdf(found.data, "Item 1"),
                                                       pdf.TitledPdf(found.data, "Item 2")], pdf.Stamps([stamps]), title="t")
    with pikepdf.open(io.BytesIO(pack)) as packed:
        listed = {k.encode(): v for k, v in pikepdf.NameTree(packed.Root.StructTreeRoot.IDTree).items()}
        assert len(listed) == 2 and b"finding-1" in listed
        assert sorted(bytes(v.ID) for v in listed.values()) == sorted(listed)


def test_a_file_whose_ids_are_listed_already_is_not_rewritten():
    def listed(document):
        paragraph = document.Root.StructTreeRoot.K.K[0]
        paragraph.ID = String("finding-1")
        document.Root.StructTreeRoot.IDTree = document.make_indirect(Dictionary(Names=Array([String("finding-1"), paragraph])))

    data = _tagged(listed)
    assert pdf.prepare(data).data == data


def _words(data: bytes, tmp_path, name: str) -> list[tuple[str, float, float]]:
    """Each word poppler reads from ``data``, with where it starts and ends on the line."""
    (tmp_path / f"{name}.pdf").write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [(w, float(x0), float(x1)) for x0, x1, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is missing (apt-get install poppler-utils)")
def test_a_helvetica_the_file_does_not_carry_is_embedded_as_liberation_sans_and_no_word_moves(tmp_path):
    typed = "A letter on US Letter paper, £5 – “quoted”, café."
    data = helvetica_pdf(typed, 595.275591, 841.889764)  # A4: nothing is fitted, only the font
    found = pdf.prepare(data)
    assert found.embedded == ("Helvetica",) and found.unembedded == ()
    with pikepdf.open(io.BytesIO(found.data)) as opened:
        (font,) = opened.pages[0].Resources.Font.values()
        assert "/FontFile2" in font.FontDescriptor and str(font.BaseFont).endswith("+LiberationSans")
    before, after = _words(data, tmp_path, "before"), _words(found.data, tmp_path, "after")
    assert [w for w, *_ in after] == typed.split()
    assert all(abs(a - b) < 0.5 for old, new in zip(before, after) for a, b in zip(old[1:], new[1:])), (before, after)
    rules = {f.rule_id for f in page_validation.validate_pdf_bytes(found.data, profile="ua1").failures}
    assert not {rule for rule in rules if "FONT" in rule}  # untagged still, and said so: but its font is carried
    # A font Liberation Sans does not stand in for is left as it is, and named.
    times = data.replace(b"/Helvetica", b"/Times-Roman")
    assert pdf.prepare(times).unembedded == ("Times-Roman",) and pdf.prepare(times).embedded == ()
