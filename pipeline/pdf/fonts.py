"""The fonts of a PDF put together from others: font subsets merged, and each named by its own tag.

Each part of a paper embeds its own subsets of the paper's fonts (WeasyPrint subsets a
font for the glyphs one document uses), so a paper of 120 parts would carry 120 copies of
Liberation Sans, each with a few dozen glyphs, all under one name — which ISO 32000-1
(9.6.4) forbids: different subsets in one file must be named differently.

WeasyPrint subsets with the font's glyph numbers kept (HarfBuzz's RETAIN_GIDS), so the
subsets of one font are pieces of the same whole, and a page's text, which names glyphs
by number, reads the same from any of them holding its glyphs. :func:`merge_subsets` puts
the pieces together — glyph outlines and advances, widths, the text each glyph stands for
— into one subset per font that every part's text uses. :func:`name_subsets` then tags
each subset from its own bytes. Only subsets made with the glyph numbers kept can be merged
(LibreOffice renumbers its subsets' glyphs), so the pack, whose supplied papers come from
elsewhere, names subsets without merging them.

Used by merge.py as it puts a PDF together.
"""

from __future__ import annotations

import hashlib
import io
import re

from pipeline import lazy
from pipeline.pdf import _pikepdf as pk

_SUBSET = re.compile(r"/[A-Z]{6}\+(.+)")
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def every_font(pdf: pk.Pdf) -> list[pk.Dictionary]:
    """Every font the pages' resources name (form XObjects' included), each once, in page
    order; read as untrusted (a supplied PDF's resources may be anything)."""
    seen: set[tuple[int, int]] = set()
    found: list[pk.Dictionary] = []

    def first_visit(obj) -> bool:
        if not obj.is_indirect:
            return True
        if obj.objgen in seen:
            return False
        seen.add(obj.objgen)
        return True

    def visit(resources) -> None:
        if not isinstance(resources, pk.Dictionary) or not first_visit(resources):
            return
        named, xobjects = resources.get("/Font"), resources.get("/XObject")
        for font in named.values() if isinstance(named, pk.Dictionary) else []:
            if isinstance(font, pk.Dictionary) and "/BaseFont" in font and first_visit(font):
                found.append(font)
        for xobject in xobjects.values() if isinstance(xobjects, pk.Dictionary) else []:
            if isinstance(xobject, pk.Stream) and xobject.get("/Subtype") == pk.Name.Form and first_visit(xobject):
                visit(xobject.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return found


def font_program(holder: pk.Dictionary):
    """The font program ``holder`` (a simple font, or a composite's descendant) carries, or None."""
    descriptor = holder.get("/FontDescriptor")
    if not isinstance(descriptor, pk.Dictionary):
        return None
    return next((descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), None)


_UNMAPPED = re.compile(rb"<([0-9A-Fa-f]+)>(\s*)<>")
WORD_JOINER = b"2060"
"""What a glyph that stands for no text of its own is mapped to: U+2060, invisible, ignored
by search (Unicode's default-ignorable), and never a break."""


def map_every_glyph(pdf: pk.Pdf) -> None:
    """Each glyph a font's ToUnicode map leaves empty (``<025f> <>``) mapped to U+2060.

    A work-around for WeasyPrint#2841 (open): where shaping makes one character two glyphs
    (Devanagari's ि drawn before its consonant, Arabic's ligatures), WeasyPrint gives the
    text to one glyph and maps the other to nothing, which PDF/UA-1 refuses (every glyph
    must map to Unicode) and text extraction reads as a control character.
    tests/pdf/test_fonts.py says when WeasyPrint no longer writes them, and this can go."""
    for font in every_font(pdf):
        cmap = font.get("/ToUnicode")
        if isinstance(cmap, pk.Stream):
            data = cmap.read_bytes()
            mended = _UNMAPPED.sub(rb"<\1>\2<" + WORD_JOINER + rb">", data)
            if mended != data:
                cmap.write(mended)


def name_subsets(pdf: pk.Pdf) -> None:
    """Every embedded font subset tagged from its bytes; composite subsets with the same bytes
    (the page furniture's, mostly) embedded once."""
    kept: dict[bytes, pk.Dictionary] = {}  # a descendant font, by its program, widths and text
    for font in every_font(pdf):
        composite = font.get("/Subtype") == pk.Name.Type0
        holder = font.DescendantFonts[0] if composite else font  # the dictionary with the descriptor
        program = font_program(holder)
        match = _SUBSET.fullmatch(str(font.BaseFont))
        if program is None or match is None:
            continue  # not a subset, or not embedded: nothing to name
        digest = hashlib.sha256(b"".join(
            [program.read_raw_bytes(), repr(holder.get("/W")).encode(), repr(font.get("/Widths")).encode(),
             repr(font.get("/Encoding")).encode(), font.ToUnicode.read_raw_bytes() if "/ToUnicode" in font else b""]
        )).digest()
        if composite and digest in kept:
            font.DescendantFonts = pk.Array([kept[digest]])
            font.BaseFont = kept[digest].BaseFont
            continue
        font.BaseFont = pk.Name(f"/{''.join(chr(ord('A') + b % 26) for b in digest[:6])}+{match.group(1)}")
        holder.BaseFont = font.BaseFont
        holder.FontDescriptor.FontName = font.BaseFont
        if composite:
            kept[digest] = holder


def merge_subsets(pdf: pk.Pdf) -> None:
    """The composite TrueType subsets of each font (made with glyph numbers kept) merged
    into one, which every font dictionary of that font then uses."""
    groups: dict[tuple, list[tuple[pk.Dictionary, pk.Dictionary]]] = {}
    sizes: dict[tuple[int, int], int] = {}  # each subset's number of glyphs
    for font in every_font(pdf):
        match = _SUBSET.fullmatch(str(font.BaseFont))
        if font.get("/Subtype") != pk.Name.Type0 or match is None:
            continue
        descendant = font.DescendantFonts[0]
        if descendant.get("/Subtype") != pk.Name.CIDFontType2 or "/FontFile2" not in descendant.get("/FontDescriptor", {}):
            continue
        try:
            # Read lazily: only the head and the glyph count, here.
            ttf = lazy.font_tools().TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()), lazy=True)
            head = ttf["head"]
            sizes[descendant.objgen] = ttf["maxp"].numGlyphs
        except Exception:  # noqa: BLE001 - a font fontTools cannot read is left as it is
            continue
        # Pieces of one font: the same name, design and version.
        key = (match.group(1), head.unitsPerEm, head.created, head.fontRevision)
        groups.setdefault(key, []).append((font, descendant))
    for members in groups.values():
        pieces = list({d.objgen: d for _, d in members}.values())
        if len(pieces) > 1:
            # The first of the longest is the base; the others' glyphs go into it, one at a time.
            base = max(pieces, key=lambda d: sizes[d.objgen])
            _merge(pdf, [font for font, _ in members], base, [d for d in pieces if d is not base])


def _merge(pdf: pk.Pdf, fonts: list[pk.Dictionary], base_descendant: pk.Dictionary, others: list[pk.Dictionary]) -> None:
    # recalcTimestamp off: the font keeps its own date, so equal inputs give equal bytes.
    # recalcBBoxes off: WeasyPrint's subsets keep the whole font's bounding box and maxima
    # (head, maxp), which hold for any glyphs merged from its other pieces; recalculating
    # them decompiled and compiled again every glyph, half the time of the merge.
    base = lazy.font_tools().TTFont(io.BytesIO(base_descendant.FontDescriptor.FontFile2.read_bytes()),
                                    recalcTimestamp=False, recalcBBoxes=False)
    order, glyf, metrics = base.getGlyphOrder(), base["glyf"], base["hmtx"].metrics
    widths = _widths(base_descendant.get("/W", pk.Array()))
    for descendant in others:
        widths.update(_widths(descendant.get("/W", pk.Array())))
        ttf = lazy.font_tools().TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()))
        other, other_metrics = ttf["glyf"], ttf["hmtx"].metrics
        for index, name in enumerate(ttf.getGlyphOrder()[:len(order)]):
            glyph = other.glyphs[name]
            if _outlined(glyph) and not _outlined(glyf.glyphs[order[index]]):
                # Copied as bytes: a composite glyph names its parts by number, the same here.
                glyf.glyphs[order[index]] = lazy.font_tools().tables._g_l_y_f.Glyph(glyph.data) if hasattr(glyph, "data") else glyph
            if other_metrics[name][0] and not metrics[order[index]][0]:
                metrics[order[index]] = other_metrics[name]
    text: dict[bytes, bytes] = {}
    for font in fonts:
        if "/ToUnicode" in font:
            text.update(_pairs(font.ToUnicode.read_bytes()))
    out = io.BytesIO()
    base.save(out)
    data = out.getvalue()
    head = base["head"]
    scale = 1000 / head.unitsPerEm
    descriptor = pk.Dictionary(base_descendant.FontDescriptor)
    descriptor.FontBBox = pk.Array([round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)])
    descriptor.FontFile2 = pdf.make_stream(data, Length1=len(data))
    descendant = pk.Dictionary(base_descendant)
    descendant.FontDescriptor = pdf.make_indirect(descriptor)
    descendant.W = _width_array(widths)
    descendant = pdf.make_indirect(descendant)
    to_unicode = pdf.make_stream(_cmap(text)) if text else None
    for font in fonts:
        font.DescendantFonts = pk.Array([descendant])
        if to_unicode is not None:
            font.ToUnicode = to_unicode


def _outlined(glyph) -> bool:
    return bool(glyph.data) if hasattr(glyph, "data") else glyph.numberOfContours != 0


def _widths(array) -> dict[int, float]:
    """A /W array as each glyph's width: ``c [w1 w2 …]`` or ``c_first c_last w``."""
    out: dict[int, float] = {}
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if i + 1 < len(items) and isinstance(items[i + 1], pk.Array):
            for offset, width in enumerate(items[i + 1]):
                out[first + offset] = float(width)
            i += 2
        elif i + 2 < len(items):
            for cid in range(first, int(items[i + 1]) + 1):
                out[cid] = float(items[i + 2])
            i += 3
        else:
            break
    return out


def _width_array(widths: dict[int, float]) -> pk.Array:
    """Widths as a /W array, a run of consecutive glyphs to an entry."""
    out = pk.Array()
    run: list = []
    start = previous = None
    for cid in sorted(widths):
        if previous is not None and cid != previous + 1:
            out.append(start)
            out.append(pk.Array(run))
            run = []
            start = None
        if start is None:
            start = cid
        width = widths[cid]
        run.append(int(width) if width == int(width) else width)
        previous = cid
    if run:
        out.append(start)
        out.append(pk.Array(run))
    return out


def _pairs(cmap: bytes) -> dict[bytes, bytes]:
    """The glyph-to-text pairs of a ToUnicode CMap's ``bfchar`` sections (as WeasyPrint writes)."""
    out: dict[bytes, bytes] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for source, target in _PAIR.findall(section):
            out[source.lower()] = target.lower()
    return out


def _cmap(pairs: dict[bytes, bytes]) -> bytes:
    """A ToUnicode CMap mapping each glyph (two bytes, Identity-H) to its text."""
    items = sorted(pairs.items(), key=lambda pair: int(pair[0], 16))
    chunks = [items[i:i + 100] for i in range(0, len(items), 100)]  # at most 100 to a section
    body = b"".join(
        b"%d beginbfchar\n" % len(chunk) + b"".join(b"<%s> <%s>\n" % pair for pair in chunk) + b"endbfchar\n"
        for chunk in chunks
    )
    return (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
            b"<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
            b"/CMapType 2 def\n1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n" + body
            + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
