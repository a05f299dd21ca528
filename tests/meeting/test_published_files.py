"""Every file a meeting publishes, from files as councils receive them (pipeline/meeting/page.py, pdf.alone).

Each PDF beside the pack is held to PDF/UA-1, one without tags named and flagged, and the
page true to each file.

One meeting is built once for the module: a Word paper without a title (converted by
LibreOffice), an appendix exported by LibreOffice's plain "Tagged PDF" (whose role map
maps standard types to themselves), a house-style paper with an appendix without tags and
one on US Letter in a Helvetica it does not carry.
"""

from __future__ import annotations

import re

import page as page_validation
import pikepdf
import pytest
from docx import Document

from pipeline import pdf
from support import (
    AXE,
    CHROMIUM,
    axe_violations,
    helvetica_pdf,
    html_text,
    libreoffice_convert,
    needs_libreoffice,
    reflow_overflow,
    run_cli,
    untagged_pdf,
)

STEM = "2011-03-17-cabinet"
PAGE = f"{STEM}-agenda.html"
MEETING = """council = "Example County Council"
committee = "Cabinet"
date = 2011-03-17
published = 2011-03-09
web = "https://www.example.org/cabinet/"

[clerk]
name = "Committee clerk"
email = "clerk@example.org"

[[item]]
number = "1"
title = "Apologies"

[[item]]
number = "2"
title = "Quince Road"
purpose = "decision"
paper = "supplied/quince.docx"
appendices = ["supplied/valuation.pdf"]

[[item]]
number = "3"
title = "Library hours"
purpose = "information"
paper = "papers/library.md"
appendices = ["supplied/scan.pdf", "supplied/letter.pdf"]
"""


def _word(path, heading: str, words: str):
    document = Document()
    document.core_properties.title = ""  # as most are sent: no title of its own
    document.add_heading(heading, level=1)
    document.add_paragraph(words)
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Plot", "Value"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Quince Road", "£1"
    document.save(path)
    return path


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    root = tmp_path_factory.mktemp("published-files")
    inputs, output = root / "inputs", root / "output"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "supplied").mkdir()
    (inputs / "meeting.toml").write_text(MEETING, encoding="utf-8")
    (inputs / "papers" / "library.md").write_text('+++\ntitle = "Library hours"\n+++\nThe libraries open at nine.\n',
                                                  encoding="utf-8")
    _word(inputs / "supplied" / "quince.docx", "Quince Road", "The sale of the plot.")
    exported = libreoffice_convert([_word(root / "valuation.docx", "Valuation", "The plot is valued at £1.")],
                                   'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
                                   root / "exported", root / "profile")
    (inputs / "supplied" / "valuation.pdf").write_bytes(exported[0].read_bytes())
    (inputs / "supplied" / "scan.pdf").write_bytes(untagged_pdf("A scanned notice."))
    (inputs / "supplied" / "letter.pdf").write_bytes(helvetica_pdf("A letter on US Letter paper."))
    result = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    return output, result


UNTAGGED = {f"{STEM}-item-3-appendix-1.pdf", f"{STEM}-item-3-appendix-2.pdf"}


@needs_libreoffice
def test_every_pdf_published_with_tags_passes_pdf_ua_1(meeting):
    output, _ = meeting
    published = sorted((output / "publish").glob("*.pdf"))
    assert {p.name for p in published} >= {f"{STEM}-item-2-quince-road.pdf", f"{STEM}-item-2-appendix-1.pdf", *UNTAGGED}
    for path in published:
        if path.name in UNTAGGED or path.name == f"{STEM}-pack.pdf":
            continue  # said, never claimed: below
        report = page_validation.validate_pdf_bytes(path.read_bytes(), profile="ua1")
        assert [f.rule_id for f in report.failures] == [], path.name
    # The Word paper's conversion and the LibreOffice export are titled as the page lists them.
    for name, title in ((f"{STEM}-item-2-quince-road.pdf", "Item 2: Quince Road"),
                        (f"{STEM}-item-2-appendix-1.pdf", "Item 2, appendix 1: Valuation")):
        with pikepdf.open(output / "publish" / name) as opened:
            assert str(opened.docinfo["/Title"]) == title and bool(opened.Root.ViewerPreferences.DisplayDocTitle)
    # The control: as LibreOffice exported it, the appendix fails (its role map's cycle, its title).
    raw = (output.parent / "inputs" / "supplied" / "valuation.pdf").read_bytes()
    failing = {f.rule_id for f in page_validation.validate_pdf_bytes(raw, profile="ua1").failures}
    assert {"PDFUA1-STRUCT-TREE-ROLE-MAP-CYCLE-001", "PDFUA1-METADATA-TITLE-001"} <= failing


@needs_libreoffice
def test_a_file_without_tags_is_named_in_the_check_and_flagged_on_the_page_and_its_fonts_embedded(meeting):
    output, result = meeting
    check = (output / f"{STEM}-check.txt").read_text(encoding="utf-8")
    assert "Item 3, appendix 1: Scan: is a PDF without tags" in check
    assert ("Item 3, appendix 2: Letter: did not carry the fonts it uses (Helvetica): embedded for it as Liberation "
            "Sans, drawn to their metrics, so no line moves") in check
    for path in UNTAGGED:  # published as received: nothing is claimed for them
        assert b"pdfuaid" not in (output / "publish" / path).read_bytes()
    page = html_text((output / "publish" / PAGE).read_text(encoding="utf-8"))
    flagged = re.findall(r"(Appendix \d: \w+) \(PDF\) PDF, [\d.]+ (?:bytes|KB|MB), \d+ pages? This file may not be "
                         r"suitable for users of assistive technology\. Request an accessible format\.", page)
    assert flagged == ["Appendix 1: Scan", "Appendix 2: Letter"]
    assert page.count("may not be suitable") == 2  # the tagged files are not flagged
    assert ("If you use assistive technology (such as a screen reader) and need a version of any of these documents "
            "in a more accessible format, please email clerk@example.org.") in page


@needs_libreoffice
def test_the_page_lists_each_file_with_its_true_format_size_and_pages(meeting):
    output, _ = meeting
    text = (output / "publish" / PAGE).read_text(encoding="utf-8")
    listed = re.findall(r'<a class="attachment-title" href="([^"]+)">[^<]*'
                        r'<span class="visually-hidden"> \((\w+)\)</span></a>\s*<span class="metadata">'
                        r'(?:<abbr[^>]*>)?(\w+)(?:</abbr>)?, ([\d.]+) (bytes|KB|MB)'
                        r'(?:, (\d+) pages?)?</span>', text)
    files = {p.name for p in (output / "publish").iterdir()} - {PAGE, f"{STEM}-meeting.json"}
    assert {href for href, *_ in listed} == files
    for href, announced, shown, size, unit, pages in listed:
        data = (output / "publish" / href).read_bytes()
        kind = {".pdf": "PDF", ".html": "HTML", ".docx": "Word"}[href[href.rindex("."):]]
        assert announced == shown == kind, href
        scale = {"bytes": 1, "KB": 1024, "MB": 1024 * 1024}[unit]
        assert abs(float(size) * scale - len(data)) <= scale / 2 + (0.05 * scale if unit == "MB" else 0), href
        assert int(pages or 0) == (pdf.page_count(data) if kind == "PDF" else 0), href
    # The web page first, then the PDF, then Word: item 3's paper, which papers built.
    library = [href for href, *_ in listed if href.startswith(f"{STEM[:10]}-library-hours")]
    assert [h[h.rindex("."):] for h in library] == [".html", ".pdf", ".docx"]


@needs_libreoffice
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_the_page_reflows_at_400_percent(meeting, tmp_path):
    assert reflow_overflow(meeting[0] / "publish" / PAGE, tmp_path) <= 0


@needs_libreoffice
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (make test installs it with npm)")
def test_the_page_passes_axe_wcag_2_2_aa(meeting, tmp_path):
    assert axe_violations(meeting[0] / "publish" / PAGE, tmp_path) == []
