"""The PDF's structure tree read back, and the PDF held to an independent PDF/UA-1 validator.

page-validation (a PDF/UA-1 validator that passes the veraPDF corpus) judges the sample
round, a round of hostile text, and a round of 120 returns; the tree itself is read
back with pikepdf: one /Table per partnership however many pages it spans, every cell
tied to its header, the running header, footer and repeated table heads as artifacts.
"""

from __future__ import annotations

import dataclasses
import io
from collections import Counter

import page as page_validation
import pikepdf
import pytest
import weasyprint

from pipeline.filenames import TEMPLATES
from pipeline.records.round import Round
from pipeline.render.html import PDF_STYLESHEETS, Furniture, render_html, render_parts
from pipeline.render.view import build_view
from pipeline.round.read import read_round
from support import INPUTS, WHEN, hostile_round, render_pdf

STEM = "2011-03-17-partnership-update-report"


def _pdf(round_: Round) -> bytes:
    """The paper's PDF as the build makes it: laid out in parts, put together, its page
    furniture drawn over it."""
    view = build_view(round_)
    return render_pdf(render_parts(view, TEMPLATES), TEMPLATES, title=view.title, subject="s", when=WHEN,
                      with_furniture=Furniture(view.committee, view.meeting_date))


def _failures(data: bytes) -> Counter:
    report = page_validation.validate_pdf_bytes(data, profile="ua1")
    return Counter(f.rule_id for f in report.failures)


@pytest.fixture(scope="module")
def sample_pdf(sample_build) -> bytes:
    result, output = sample_build
    assert result.returncode == 0, result.stderr
    return (output / f"{STEM}.pdf").read_bytes()


def _large_round(copies: int = 10) -> Round:
    """The sample's twelve returns ``copies`` times, each copy a partnership of its own."""
    sample = read_round(INPUTS)
    entries = []
    for copy in range(copies):
        for entry in sample.entries:
            p = entry.partnership
            partnership = dataclasses.replace(p, id=f"{p.id}-{copy}", name=f"{p.name} {copy}")
            entries.append(dataclasses.replace(entry, partnership=partnership))
    return dataclasses.replace(sample, entries=tuple(entries))


# --- the independent validator --------------------------------------------------------


def test_sample_round_passes_pdf_ua_1(sample_pdf):
    assert _failures(sample_pdf) == Counter()


def test_hostile_round_passes_pdf_ua_1():
    assert _failures(_pdf(hostile_round())) == Counter()


@pytest.fixture(scope="module")
def large_pdf() -> bytes:
    """A round of 120 returns laid out once, for the tests that only read it."""
    return _pdf(_large_round(10))


def test_round_of_120_returns_passes_pdf_ua_1(large_pdf):
    assert len(pikepdf.open(io.BytesIO(large_pdf)).pages) > 100
    assert _failures(large_pdf) == Counter()


def test_a_round_laid_out_in_parts_reads_as_one_paper(large_pdf):
    # 120 returns are 31 parts: the report, then the returns four at a time. Put together,
    # the returns are one section under one heading, each return one section with one table,
    # the bookmarks nest as the headings do, and nothing of the joining is left behind.
    tree = _Tree(large_pdf)
    (document,) = [e for e in tree.elements if e.S == "/Document"]
    main = [e for e in _element_kids(document) if e.S == "/Part"]
    assert len(main) == 1
    returns = _element_kids(main[0])[-1]
    kids = _element_kids(returns)
    assert kids[0].S == "/H2" and [k.S for k in kids[1:]] == ["/Sect"] * 120
    assert sum(1 for e in tree.elements if e.S == "/Table") == 120
    assert not any("/PapersId" in e or "/PapersKey" in e for e in tree.elements)
    with tree.pdf.open_outline() as outline:
        (paper,) = outline.root
        assert paper.children[-1].title == "Partnership returns"
        assert len(paper.children[-1].children) == 120
    ids = [bytes(e.ID) for e in tree.elements if "/ID" in e]
    assert len(ids) == len(set(ids)) == 120 * 10  # each return's header cells, none shared


def _element_kids(element) -> list:
    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def test_the_validator_catches_what_the_repair_mends():
    # The control: WeasyPrint's own tree, unrepaired, fails the rule the repair is for.
    # When this fails, WeasyPrint ties answers to questions itself (WeasyPrint #2902,
    # #1836) and pipeline/pdf/structure.py (with render.layout.marking_elements) can go.
    view = build_view(hostile_round())
    html = render_html(view, TEMPLATES, stylesheets=PDF_STYLESHEETS)
    data = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/").write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    assert "PDFUA1-TABLE-HEADERS-SCOPE-001" in _failures(data)
    tree = _Tree(data)
    assert tree.roles.count("/Table") > len(view.entries)  # a table per page


# --- the tree read back --------------------------------------------------------------


class _Tree:
    """A PDF's structure elements in reading order, with what each one's page is."""

    def __init__(self, data: bytes):
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.page_of = {p.objgen: i + 1 for i, p in enumerate(self.pdf.pages)}
        self.elements: list[pikepdf.Dictionary] = []
        self._walk(self.pdf.Root.StructTreeRoot)
        self.roles = [str(e.S) for e in self.elements]
        self.by_id = {bytes(e.ID): e for e in self.elements if "/ID" in e}

    def _walk(self, node) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                self.elements.append(kid)
                self._walk(kid)

    def descendants(self, element) -> list[pikepdf.Dictionary]:
        out, stack = [], [element]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    out.append(kid)
                    stack.append(kid)
        return out

    def pages(self, element) -> set[int]:
        return {self.page_of[e.Pg.objgen] for e in [element, *self.descendants(element)] if "/Pg" in e}


@pytest.fixture(scope="module")
def sample_tree(sample_pdf) -> _Tree:
    return _Tree(sample_pdf)


def test_one_table_per_partnership_however_many_pages(sample_tree):
    tables = [e for e in sample_tree.elements if e.S == "/Table"]
    assert len(tables) == 12
    assert any(len(sample_tree.pages(t)) > 1 for t in tables), "no table runs onto a second page"
    for table in tables:
        heads = [e for e in sample_tree.descendants(table) if e.S == "/THead"]
        assert len(heads) == 1, "a repeated table head is in the tree more than once"


def test_every_cell_is_tied_to_its_header(sample_tree):
    cells = [e for e in sample_tree.elements if e.S == "/TD"]
    assert len(cells) == 12 * (6 + 4)  # six labels' values and four answers each
    for cell in cells:
        headers = [sample_tree.by_id[bytes(h)] for h in cell.A.Headers]
        assert [h.S for h in headers] == ["/TH"]
    # An answer's header is its question: the header cell of the row above it.
    answers = [c for c in cells if c.A.get("/ColSpan") == 2]
    assert len(answers) == 12 * 4
    for answer in answers:
        row = answer.P
        siblings = list(row.P.K)
        question_row = siblings[[s.objgen for s in siblings].index(row.objgen) - 1]
        (question,) = list(question_row.K)
        assert cell_header(answer, sample_tree) == question.objgen


def cell_header(cell, tree):
    (header,) = [tree.by_id[bytes(h)] for h in cell.A.Headers]
    return header.objgen


def test_ids_are_listed_in_the_id_tree(sample_tree):
    names = sample_tree.pdf.Root.StructTreeRoot.IDTree.Names
    listed = {bytes(names[i]) for i in range(0, len(names), 2)}
    assert listed == set(sample_tree.by_id)


def test_page_furniture_and_repeated_heads_are_artifacts(sample_tree):
    pdf = sample_tree.pdf
    tables = [e for e in sample_tree.elements if e.S == "/Table"]
    continued = set().union(*(sorted(sample_tree.pages(t))[1:] for t in tables))
    assert continued
    parent_tree = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
    in_tree = {e.objgen for e in sample_tree.elements}
    for number, page_ in enumerate(pdf.pages, start=1):
        artifacts = tagged = 0
        for operands, operator in pikepdf.parse_content_stream(page_):
            if str(operator) == "BDC" and operands[0] == "/Artifact":
                artifacts += 1
            elif str(operator) == "BDC" and "/MCID" in operands[1]:
                tagged += 1
                parent = parent_tree[int(page_.StructParents)][int(operands[1].MCID)]
                assert parent.objgen in in_tree, f"page {number}: tagged content outside the tree"
        # The running header and "Page N of M" (drawn together); on a continued table, its
        # head twice more.
        assert artifacts >= (3 if number in continued else 1), number
        assert tagged
