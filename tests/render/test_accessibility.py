"""What an accessibility officer checks in each published paper, checked on the sample round."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from pipeline.round.config import load_config
from support import INPUTS, libreoffice_convert, needs_libreoffice

STEM = "2011-03-17-partnership-update-report"
CONFIG = load_config(INPUTS)
SECTIONS = [s.heading for s in CONFIG.paper.sections]
PARTNERSHIPS = [p.name for p in CONFIG.registry]


@pytest.fixture(scope="module")
def outputs(sample_build):
    result, output = sample_build
    assert result.returncode == 0
    return {suffix: output / f"{STEM}.{suffix}" for suffix in ("docx", "pdf", "html")}


# --- PDF ---------------------------------------------------------------------------


def _struct(reader):
    """The structure tree as (depth, role, element) in reading order."""
    out = []

    def walk(node, depth):
        kids = node.get_object().get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            kid = kid.get_object()
            if hasattr(kid, "get") and kid.get("/S") is not None:
                out.append((depth, str(kid["/S"]), kid))
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], 0)
    return out


def test_pdf_claims_pdf_ua_with_title_language_author_subject(outputs):
    reader = PdfReader(outputs["pdf"])
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 — a pypdf BooleanObject
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert reader.metadata.title == "Partnership update report"
    assert reader.metadata.author == "Claire Moore"
    assert reader.metadata.subject == "Strategy and Partnerships Scrutiny Committee, 17 March 2011"
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part[^0-9]{1,3}1", xmp)


def test_pdf_bookmarks_for_every_section_and_partnership(outputs):
    reader = PdfReader(outputs["pdf"])
    titles = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(reader.outline)
    assert titles == ["Partnership update report", *SECTIONS, "Partnership returns", *PARTNERSHIPS]


def test_pdf_structure_headings_tables_lists_links(outputs):
    reader = PdfReader(outputs["pdf"])
    tree = _struct(reader)
    roles = [role for _, role, _ in tree]
    assert roles.count("/H1") == 1
    assert roles.count("/H2") == len(SECTIONS) + 1
    assert roles.count("/H3") == len(PARTNERSHIPS)
    # One table per partnership however many pages it spans (tests/pdf/test_structure.py
    # reads the tree closer); each value cell names its label, each answer its question.
    assert roles.count("/Table") == len(PARTNERSHIPS)
    cells = [el["/A"] for _, role, el in tree if role == "/TD"]
    values = [a for a in cells if "/ColSpan" not in a]
    answers = [a for a in cells if a.get("/ColSpan") == 2]
    assert len(values) == 6 * len(PARTNERSHIPS) and all(len(a["/Headers"]) == 1 for a in values)
    assert len(answers) == 4 * len(PARTNERSHIPS) and all(len(a["/Headers"]) == 1 for a in answers)
    # Lists are lists; a sub-list follows its parent item inside the parent list, as
    # ISO 32000 places nested lists (HTML nests them inside the item instead).
    nested = [
        (d, tree[i - 1]) for i, (d, role, _) in enumerate(tree)
        if role == "/L" and any(r == "/LI" and dd == d for dd, r, _ in tree[max(0, i - 12):i])
    ]
    assert nested and roles.count("/LI") > 100
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    uris = {a["/A"]["/URI"] for a in links if a.get("/Subtype") == "/Link"}
    assert "mailto:sarah.breton@oxfordshire.gov.uk" in uris and "mailto:Claire.moore@oxfordshire.gov.uk" in uris


# --- Word --------------------------------------------------------------------------


def test_word_headings_in_order_for_the_navigation_pane(outputs):
    document = Document(outputs["docx"])
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Partnership update report")
    assert [t for s, t in headings if s == "Heading 1"] == [*SECTIONS, "Partnership returns"]
    assert [t for s, t in headings if s == "Heading 2"] == PARTNERSHIPS
    levels = [0 if s == "Title" else int(s.split()[-1]) for s, _ in headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"


def test_word_tables_have_repeating_header_rows(outputs):
    document = Document(outputs["docx"])
    assert len(document.tables) == len(PARTNERSHIPS)
    for table, name in zip(document.tables, PARTNERSHIPS):
        first = table.rows[0]
        assert first._tr.trPr is not None and first._tr.trPr.find(qn("w:tblHeader")) is not None
        assert first.cells[0].text == "Partnership" and first.cells[1].text
        headers = [r for r in table.rows if r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None]
        assert len(headers) == 1


def test_word_has_no_empty_paragraphs_and_no_images_without_alt_text(outputs):
    document = Document(outputs["docx"])
    body = document.element.body
    empty = [p for p in body.iter(qn("w:p")) if not "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()]
    assert empty == []
    for drawing in body.iter(qn("wp:docPr")):
        assert drawing.get("descr"), "an image has no alternative text"


def test_word_properties_language_and_hyperlinks(outputs):
    document = Document(outputs["docx"])
    core = document.core_properties
    assert core.title == "Partnership update report"
    assert core.subject == "Strategy and Partnerships Scrutiny Committee, 17 March 2011"
    assert core.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert {"mailto:sarah.breton@oxfordshire.gov.uk", "mailto:Claire.moore@oxfordshire.gov.uk"} <= targets
    links = list(document.element.body.iter(qn("w:hyperlink")))
    assert len(links) >= 13  # every partnership's contact email, and the officer's


# --- HTML --------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_and_semantic(outputs):
    text = outputs["html"].read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    tags = page.tags
    assert tags[0] == ("html", {"lang": "en-GB"})
    assert [t for t, _ in tags if t in ("h1", "h2", "h3")].count("h1") == 1
    assert not [t for t, a in tags if t in ("link", "script", "img", "iframe")]
    assert "url(" not in text
    # The stylesheet is inlined as written (escaped quotes would void its declarations).
    stylesheet = (INPUTS.parent / "templates" / "report.css").read_text(encoding="utf-8")
    assert stylesheet in text and "&#34;" not in text.split("</style>")[0]
    row_headers = [a for t, a in tags if t == "th"]
    assert row_headers and all(a.get("scope") == "row" for a in row_headers)
    ids = {a["id"] for a in row_headers if "id" in a}
    cells = [a for t, a in tags if t == "td"]
    answers = [a for a in cells if a.get("colspan") == "2"]
    assert len(answers) == 4 * len(PARTNERSHIPS)
    assert all(a["headers"] in ids for a in cells), "a cell is not tied to its header"
    assert {"href": "mailto:sarah.breton@oxfordshire.gov.uk"} in [a for t, a in tags if t == "a"]


# --- a real client -----------------------------------------------------------------


@needs_libreoffice
def test_libreoffice_opens_the_word_paper_and_paginates_it_like_the_pdf(outputs, tmp_path):
    (converted,) = libreoffice_convert([outputs["docx"]], "pdf", tmp_path / "lo", tmp_path / "profile")
    theirs, ours = len(PdfReader(converted).pages), len(PdfReader(outputs["pdf"]).pages)
    assert abs(theirs - ours) <= 0.2 * ours, (theirs, ours)
