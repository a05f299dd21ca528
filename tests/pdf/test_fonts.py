"""The fonts of a PDF put together (pipeline/pdf/fonts.py): each font's subsets merged into one, the pixels and the text unchanged."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
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
                 for html in Furniture("paper", "Committee", "17 March 2011").pages_html(
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
