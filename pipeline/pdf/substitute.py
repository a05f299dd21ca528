"""A supplied PDF's Helvetica or Arial it does not carry, embedded as Liberation Sans, the font made to their metrics.

PDF/UA-1 asks that every font be embedded, and an old office export often names Helvetica
or Arial without carrying it, leaving a reader's computer to draw it with whatever it has.
Liberation Sans was drawn to Arial's metrics, which are Helvetica's: each character keeps
its width, so no line moves, and embedding it claims nothing the page did not already
show. Only simple fonts in WinAnsiEncoding are embedded (the characters a code stands for
are then known); any other font it does not carry is left as it is, and named.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from pipeline import lazy
from pipeline.pdf import _pikepdf as pk

STYLES = {
    "Helvetica": "Regular", "Helvetica-Bold": "Bold", "Helvetica-Oblique": "Italic", "Helvetica-BoldOblique": "BoldItalic",
    "Arial": "Regular", "ArialMT": "Regular", "Arial,Bold": "Bold", "Arial-BoldMT": "Bold", "Arial,Italic": "Italic",
    "Arial-ItalicMT": "Italic", "Arial,BoldItalic": "BoldItalic", "Arial-BoldItalicMT": "BoldItalic",
}
"""The fonts Liberation Sans stands in for, and which of its styles."""

WIN_ANSI = bytes(range(32, 256)).decode("cp1252", errors="replace")
"""What each code from 32 to 255 stands for in WinAnsiEncoding (U+FFFD for the five unused)."""


def embed(font: pk.Dictionary, pdf: pk.Pdf, fonts: Path, made: dict[str, pk.Dictionary]) -> bool:
    """``font`` (a simple font the file does not carry) given Liberation Sans from ``fonts``
    in its place, if it is one Liberation Sans stands in for, in WinAnsiEncoding: whether it
    was. ``made`` keeps each style's descriptor, embedded once a file."""
    style = STYLES.get(str(font.get("/BaseFont", ""))[1:])
    if style is None or font.get("/Subtype") not in ("/Type1", "/TrueType") or font.get("/Encoding") != "/WinAnsiEncoding":
        return False
    path = fonts / f"LiberationSans-{style}.ttf"
    if not path.is_file():
        return False
    if style not in made:
        made[style] = _descriptor(pdf, path)
    descriptor = made[style]
    ttf = lazy.font_tools().TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
    cmap, metrics, scale = ttf.getBestCmap(), ttf["hmtx"].metrics, 1000 / ttf["head"].unitsPerEm
    font.Subtype = pk.Name.TrueType
    font.BaseFont = descriptor.FontName
    font.FirstChar, font.LastChar = 32, 255
    font.Widths = pk.Array(round(metrics[cmap[ord(ch)]][0] * scale) if ord(ch) in cmap else 0 for ch in WIN_ANSI)
    font.FontDescriptor = descriptor
    return True


def _descriptor(pdf: pk.Pdf, path: Path) -> pk.Dictionary:
    """A descriptor of Liberation Sans's ``path``, subset to WinAnsiEncoding's characters
    and embedded, tagged from its bytes."""
    subset = lazy.font_subset()
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM", "DSIG"]
    ttf = lazy.font_tools().TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in WIN_ANSI if ch != "\ufffd"])
    subsetter.subset(ttf)
    out = io.BytesIO()
    ttf.save(out)
    program = out.getvalue()
    tag = "".join(chr(ord("A") + b % 26) for b in hashlib.sha256(program).digest()[:6])
    name = pk.Name(f"/{tag}+{ttf['name'].getDebugName(6) or path.stem}")
    head, hhea, post, os2 = ttf["head"], ttf["hhea"], ttf["post"], ttf["OS/2"]
    scale = 1000 / head.unitsPerEm
    return pdf.make_indirect(pk.Dictionary(
        Type=pk.Name.FontDescriptor, FontName=name, Flags=32 + (64 if post.italicAngle else 0),
        FontBBox=pk.Array(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        ItalicAngle=float(post.italicAngle), Ascent=round(hhea.ascent * scale), Descent=round(hhea.descent * scale),
        CapHeight=round(getattr(os2, "sCapHeight", hhea.ascent) * scale), StemV=80,
        FontFile2=pdf.make_stream(program, Length1=len(program)),
    ))
