"""HTML laid out as PDF by WeasyPrint: one part of a paper, or its page furniture, fetching nothing but the templates folder.

WeasyPrint (a third of a second to load) is loaded, and set up for papers, the first time
something is laid out (:func:`engine`); a worker process loads it as it starts.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import os
import re
import weakref
from pathlib import Path
from urllib.parse import unquote, urlparse

from pipeline import lazy, pdf


def _cached_page_references(written) -> tuple[bytes, ...]:
    """pydyf's PDF.page_references, built once per page count instead of on every call."""
    kids = written.pages["Kids"]
    cached = written.__dict__.get("_papers_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        written.__dict__["_papers_page_references"] = cached
    return cached[1]


def _speed_up_pydyf(pydyf) -> None:
    """Replace pydyf 0.13's page_references with a cached one giving the same references.

    WeasyPrint's tagger reads ``pdf.page_references[n]`` for every structure element, and
    pydyf rebuilds the tuple of all pages each time: quadratic in pages, 3 s of a 152-page
    paper's 11 and far worse at 600 pages. Installed only over the exact code this was
    measured on; any other pydyf is left alone.
    """
    current = pydyf.PDF.__dict__.get("page_references")
    if isinstance(current, property) and current.fget.__qualname__ == "PDF.page_references":
        pydyf.PDF.page_references = property(_cached_page_references)


_DERIVED = re.compile(r"\s*([A-Za-z_][\w ]*?)\s*(\*+|\[\d*\])\s*")
"""A C type that is a pointer to, or an array of, a named one: "PangoRectangle *", "hb_codepoint_t[57]"."""


class _DerivedTypes(dict):
    """cffi's C types by the strings that name them (``FFI._parsed_types``), where a pointer
    to, or an array of, a named type is made from that type without parsing its string.

    cffi parses each new string with pycparser, 5–12 ms here; WeasyPrint 70 names an array
    by its length (``ffi.new(f"hb_codepoint_t[{n}]", …)``, two or three times as it embeds
    each font), so each part laid out parsed a few new strings: 3% of laying out the sample
    round; and a worker's first part, parsing its pointer types, took 0.1 s longer. The
    backend gives the same type object either way (cffi keeps one of each); only the
    parsing is saved. docs/upstream/weasyprint-array-types.md is the report."""

    def __init__(self, ffi, parsed: dict) -> None:
        super().__init__(parsed)
        self._ffi = ffi

    def __missing__(self, cdecl):
        derived = _DERIVED.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if derived is None:
            raise KeyError(cdecl)  # parsed by cffi, as before
        name, suffix = derived.groups()
        backend, ctype = self._ffi._backend, self._named(name)
        if suffix.startswith("*"):
            for _ in suffix:
                ctype = backend.new_pointer_type(ctype)
        else:
            ctype = backend.new_array_type(backend.new_pointer_type(ctype), int(suffix[1:-1]) if suffix != "[]" else None)
        self[cdecl] = found = (ctype, False)  # not a function type
        return found

    def _named(self, name: str):
        """The type ``name`` names: a typedef of WeasyPrint's declarations made from what
        cffi read of them (parsing even a name took 20 ms), anything else as cffi parses it."""
        declared = self._ffi._parser._declarations.get(f"typedef {name}")
        if declared is not None and not getattr(declared[0], "is_raw_function", True):
            with self._ffi._lock:  # as cffi's own callers hold it
                return self._ffi._get_cached_btype(declared[0])
        return self._ffi._typeof(name)


def _speed_up_cffi(ffi) -> None:
    """WeasyPrint's ``ffi`` given :class:`_DerivedTypes` for the types it has parsed, if it
    keeps them as cffi 1.15–2.1 does (a plain dict); any other cffi is left alone."""
    if type(getattr(ffi, "_parsed_types", None)) is dict and hasattr(getattr(ffi, "_backend", None), "new_array_type"):
        ffi._parsed_types = _DerivedTypes(ffi, ffi._parsed_types)


@functools.cache
def engine():
    """WeasyPrint and pydyf, loaded (lazy.weasyprint) and set up for papers once in this
    process: pydyf's page references and cffi's array types sped up, and the fonts this
    process makes looked after as it forks and ends (:func:`_disown_fonts`,
    :func:`_forget_fonts`). Raises lazy.SystemLibraryMissing where Pango is missing."""
    weasyprint, pydyf = lazy.weasyprint()
    _speed_up_pydyf(pydyf)
    _speed_up_cffi(weasyprint.text.ffi.ffi)
    os.register_at_fork(after_in_child=_disown_fonts)
    atexit.register(_forget_fonts)
    return weasyprint, pydyf


def _allowed(url: str, root: Path) -> None:
    """Refuse ``url`` unless it is a file inside the templates folder ``root``: content from
    returns can hold URLs, and none of them may reach the disk or network."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise ValueError(f"papers fetches only its own templates, not {url}")
    path = Path(unquote(parsed.path)).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ValueError(f"papers fetches only its own templates, not {url}")


def template_fetcher(root: Path):
    """A WeasyPrint URL fetcher that fetches files inside the templates folder ``root`` and
    refuses everything else."""
    weasyprint, _ = engine()
    root = root.resolve()

    class TemplateFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            _allowed(url, root)
            return super().fetch(url, headers)

    return TemplateFetcher(allowed_protocols={"file"})


@contextlib.contextmanager
def marking_elements():
    """While open, WeasyPrint's structure elements carry the HTML element they stand for
    (pdf.MARKS): the first half of the repair of WeasyPrint's structure tree, whose second
    half, and whose reasons, are in pipeline/pdf/structure.py."""
    key, html_id, headers = pdf.MARKS
    weasyprint, pydyf = engine()
    tags = weasyprint.pdf.tags
    original = tags._build_box_tree

    def build(box, *args):
        for element in original(box, *args):
            # The innermost call has named it (html and body pass their children through).
            if key not in element:
                source = box._box if isinstance(box, weasyprint.layout.absolute.AbsolutePlaceholder) else box
                html = source.element
                if html is not None:
                    element[key] = id(html)
                    if html.get("id"):
                        element[html_id] = pydyf.String(html.get("id"))
                    if html.get("headers") and source.element_tag == "td":
                        element[headers] = pydyf.String(html.get("headers"))
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


@contextlib.contextmanager
def _source_date(when: dt.datetime):
    """SOURCE_DATE_EPOCH set to ``when`` unless already set, for the duration.

    fontTools stamps each embedded font subset with the time it was made unless this
    variable is set; with it, equal inputs give byte-identical PDFs.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.replace(tzinfo=dt.timezone.utc).timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


# Text between tags, and within it a run of 40 visible characters (an entity counts as one)
# that the text goes on after.
_TEXT = re.compile(r">([^<]+)<")
_LONG_RUN = re.compile(r"((?:&[#\w]+;|[^\s&<]){40})(?=[^\s<])")


def breakable(html: str) -> str:
    """``html`` with a zero-width space after every 40 characters of an unbroken word, and
    a text of more than LONG_TEXT characters in pieces of its own.

    WeasyPrint wraps a word longer than its line (overflow-wrap), but the time it takes
    grows with the square of the word's length: a pasted 200,000-letter string took over
    four minutes. And it encodes the rest of a text afresh for every line it breaks, so a
    text's time grows with the square of its length too (a line of 400,000 letters took
    20 s, of a million two minutes): a text that long is laid out as spans of PIECE
    characters, each encoded on its own. Words and paragraphs of ordinary length are
    untouched.
    """
    head, body = html.split("<body", 1) if "<body" in html else ("", html)
    body = _TEXT.sub(lambda m: ">" + _pieces(_LONG_RUN.sub("\\1\u200b", m.group(1))) + "<", body)
    return head + ("<body" if head else "") + body


LONG_TEXT, PIECE = 20_000, 10_000
"""A text longer than LONG_TEXT characters (papers' own longest is under 8,000) is laid out
in spans of about PIECE."""


def _pieces(text: str) -> str:
    if len(text) <= LONG_TEXT:
        return text
    pieces, start = [], 0
    while len(text) - start > PIECE:
        # Cut after a space or a zero-width space, never inside an entity (&amp;).
        cut = max(text.rfind(" ", start, start + PIECE), text.rfind("\u200b", start, start + PIECE))
        if cut <= start:
            break
        pieces.append(text[start:cut + 1])
        start = cut + 1
    pieces.append(text[start:])
    return pieces[0] + "".join(f"<span>{piece}</span>" for piece in pieces[1:])


FONTS = "fonts.css"
"""The @font-face rules of the PDF's fonts, in ``templates``: given to every layout by
:func:`lay_out`, not linked by the HTML."""


def _fonts_stamp(root: Path) -> tuple:
    """What the fonts are made of, as names, sizes and times: a change loads them again."""
    files = [root / FONTS, *sorted((root / "fonts").glob("*"))]
    return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file())


@functools.lru_cache(maxsize=1)
def _fonts(root: Path, stamp: tuple):
    """The fetcher, the fonts' stylesheet and the font configuration every layout in this
    process shares: loading the four font files for each part took ten milliseconds a
    part. (The fonts' rules hold only @font-face, so the user origin WeasyPrint gives a
    stylesheet passed this way changes nothing; report.css stays linked, an author sheet.)"""
    weasyprint, _ = engine()
    fetcher = template_fetcher(root)
    font_config = weasyprint.text.fonts.FontConfiguration()
    _MADE_HERE.add(font_config)
    fonts = weasyprint.CSS(filename=str(root / FONTS), url_fetcher=fetcher, font_config=font_config)
    # Registered here, in the process that loads them: a forked worker starts with no
    # finalizers of its parent's.
    _, multiprocessing = lazy.processes()
    multiprocessing.util.Finalize(None, _forget_fonts, exitpriority=100)
    return fetcher, [fonts], font_config


_MADE_HERE: weakref.WeakSet = weakref.WeakSet()
"""The font configurations this process made, whose folders are its to delete."""


def _disown_fonts() -> None:
    """In a process just forked: its parent's font configurations, copied into it, are used
    but never deleted here. WeasyPrint's FontConfiguration deletes its folder of fonts when
    it is freed; a worker that freed its copy (on laying out with other templates, say)
    would delete the folder under its parent, whose fonts not yet read (the italic, often)
    would then come out empty: text that vanishes from the PDF (tests/render/test_layout.py)."""
    for font_config in list(_MADE_HERE):
        font_config._folder = None  # what FontConfiguration.__del__ deletes (WeasyPrint 70)
    _MADE_HERE.clear()



def _forget_fonts() -> None:
    """Free the shared font configuration, and with it the temporary folder WeasyPrint keeps
    the fonts in. Run as the process ends: at exit, and (as a worker process ends by
    ``os._exit``, which runs no exit handlers) by multiprocessing's finalizers."""
    _fonts.cache_clear()
    gc.collect()



def lay_out(html: str, templates: Path, title: str, subject: str, when: dt.datetime, tagged: bool = True) -> bytes:
    """``html`` (linking report.css in ``templates``; the fonts are given) laid out as an A4
    PDF, fonts embedded:
    one part of a paper, tagged, its structure tree repaired (``pdf.join`` puts the parts
    together), or untagged (page furniture, to draw over other pages)."""
    weasyprint, _ = engine()
    root = templates.resolve()
    fetcher, fonts, font_config = _fonts(root, _fonts_stamp(root))
    document = weasyprint.HTML(string=breakable(html), base_url=root.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=fonts,
        font_config=font_config,
        # Honours the HTML a list carries: <ol start="4"> counts from 4.
        presentational_hints=True,
    )
    document.metadata.title = title
    document.metadata.description = subject
    # A fixed identifier derived from the content, so equal inputs give equal bytes.
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    # Written uncompressed: WeasyPrint (pydyf) compresses at zlib's slowest level, 5% of a
    # page's time; a part is only ever read back by papers, and qpdf compresses its streams
    # (at zlib's usual level) as the repair, or the join of the furniture, saves them.
    if not tagged:
        with _source_date(when):
            return document.write_pdf(pdf_identifier=identifier, uncompressed_pdf=True)
    with _source_date(when), marking_elements():
        data = document.write_pdf(pdf_identifier=identifier, pdf_variant="pdf/ua-1", pdf_tags=True,
                                  uncompressed_pdf=True)
    # The laid-out pages (a tangle of boxes referring to each other, so only the cycle
    # collector frees them) go before the repair reads the PDF back: the peak is then the
    # larger of the two, not their sum.
    del document
    gc.collect()
    return pdf.repair(data, keep_joins=True)
