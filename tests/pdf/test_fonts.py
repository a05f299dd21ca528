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
from fontTools.ttLib import TTFont
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


def test_a_merged_font_keeps_bounds_and_maxima_that_hold_for_every_glyph_merged():
    # The merge does not recalculate the font's bounding box and maxima (head, maxp): each
    # of WeasyPrint's subsets keeps the whole font's, which hold for every glyph merged from
    # another piece. Recalculated here, they must lie inside what the merged font says.
    parts = [lay_out(f"<html lang='en-GB'><body><p>{text}</p><p><b>{text}</b></p></body></html>", TEMPLATES, "t", "s", WHEN)
             for text in ("Quince Road", "Wxyz 0123456789 £€ – ©")]
    with pikepdf.open(io.BytesIO(pdf.join(parts, []))) as joined:
        programs = {obj.FontFile2.read_bytes() for obj in joined.objects
                    if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj}
    assert len(programs) == 2  # regular and bold, each one subset
    for program in programs:
        merged = TTFont(io.BytesIO(program))
        said = (merged["head"].xMin, merged["head"].yMin, merged["head"].xMax, merged["head"].yMax)
        maxima = {name: getattr(merged["maxp"], name) for name in ("maxPoints", "maxContours", "maxCompositePoints",
                                                                  "maxCompositeContours", "maxComponentElements")}
        recalculated = TTFont(io.BytesIO(program))  # recalcBBoxes on, as fontTools saves by default
        out = io.BytesIO()
        recalculated.save(out)
        tight = TTFont(io.BytesIO(out.getvalue()))
        assert said[0] <= tight["head"].xMin and said[1] <= tight["head"].yMin
        assert said[2] >= tight["head"].xMax and said[3] >= tight["head"].yMax
        assert all(maxima[name] >= getattr(tight["maxp"], name) for name in maxima), maxima
        outlined = [name for name in merged.getGlyphOrder() if merged["glyf"][name].numberOfContours]
        assert len(outlined) > 20  # glyphs from both parts
