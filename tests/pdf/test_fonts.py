"""The fonts of a PDF put together (pipeline/pdf/fonts.py): each font's subsets merged into one, the pixels and the text unchanged, every glyph mapped to text."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import page as page_validation
import pikepdf
import pytest
import weasyprint
from pypdf import PdfReader

from pipeline import pdf
from pipeline.filenames import TEMPLATES
from pipeline.render.html import Furniture, render_parts
from pipeline.render.layout import lay_out
from pipeline.render.view import build_view
from support import HOSTILE, make_round

WHEN = dt.datetime(2011, 3, 17, 12)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler is not installed (apt-get install poppler-utils)")
def test_merging_the_parts_font_subsets_changes_no_pixel_and_no_word(tmp_path):
    # Each part embeds its own subsets of the fonts; put together they become one subset a
    # font. Every page, drawn, must be the same to the pixel, and its text the same.
    view = build_view(make_round([f"• {HOSTILE}\n◦ Ŵales, café — “quoted”", "1. one\n2. two", "x", "y"]))
    parts = [lay_out(html, TEMPLATES, "t", "s", WHEN) for html in render_parts(view, TEMPLATES)]
    furniture = [lay_out(html, TEMPLATES, "", "", WHEN, tagged=False)
                 for html in Furniture("Committee", "17 March 2011").pages_html(
                     sum(len(PdfReader(io.BytesIO(p)).pages) for p in parts), TEMPLATES)]
    merged, separate = pdf.join(parts, furniture), pdf.join(parts, furniture, merge_fonts=False)
    assert len(merged) < len(separate)
    drawn = {}
    for name, data in (("merged", merged), ("separate", separate)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
        text = subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, check=True).stdout
        drawn[name] = ([p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.png"))], text)
    assert drawn["merged"] == drawn["separate"]
    assert len(drawn["merged"][0]) == len(PdfReader(io.BytesIO(merged)).pages)


NEEDS_DEVANAGARI = pytest.mark.skipif(
    not subprocess.run(["fc-list", ":family=Noto Sans Devanagari", "family"], capture_output=True, text=True,
                       check=False).stdout.strip() if shutil.which("fc-list") else True,
    reason="no Devanagari font is installed (sudo apt-get install fonts-noto-core)")


def _empty_entries(data: bytes) -> list[bytes]:
    """The ToUnicode entries of ``data`` that map a glyph to no text at all."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as opened:
        for page in opened.pages:
            for font in page.Resources.get("/Font", {}).values():
                if "/ToUnicode" in font:
                    found += re.findall(rb"<[0-9a-fA-F]+>\s*<>", font.ToUnicode.read_bytes())
    return found


@NEEDS_DEVANAGARI
def test_weasyprint_still_maps_a_reordered_glyph_to_no_text():
    # WeasyPrint#2841: when this fails, WeasyPrint maps every glyph, and fonts.map_every_glyph can go.
    data = weasyprint.HTML(string="<p lang='hi' style='font-family: \"Noto Sans Devanagari\"'>हिन्दी</p>").write_pdf()
    assert _empty_entries(data)


@NEEDS_DEVANAGARI
def test_every_glyph_of_a_joined_paper_maps_to_text_and_the_words_read_back():
    data = lay_out("<html lang='hi'><body><p style='font-family: \"Noto Sans Devanagari\"'>हिन्दी</p></body></html>",
                   TEMPLATES, "t", "s", WHEN)
    joined = pdf.join([data], [])
    assert _empty_entries(data) and not _empty_entries(joined)
    report = page_validation.validate_pdf_bytes(joined, profile="ua1")
    assert "PDFUA1-FONT-UNICODE-MAPPING-001" not in {f.rule_id for f in report.failures}
    text = PdfReader(io.BytesIO(joined)).pages[0].extract_text()
    assert text.replace("\u2060", "").strip() == "हिन्दी"  # the word joiner is default-ignorable: search skips it
