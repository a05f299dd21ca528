"""HTML laid out as PDF (pipeline/render/layout.py): nothing fetched but the templates, hostile text printed literally."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import re
import shutil
import subprocess
import sys
import threading

import pytest
import weasyprint
from PIL import Image
from pypdf import PdfReader

from pipeline.filenames import TEMPLATES
from pipeline.machinery.workers import Workers
from pipeline.render import layout
from pipeline.render.html import PDF_STYLESHEETS, Furniture, render_html
from pipeline.render.layout import LONG_TEXT, PIECE, breakable
from pipeline.render.view import build_view
from support import HOSTILE, ROOT, make_round, needs_workers, render_pdf

WHEN = dt.datetime(2011, 3, 17, 12)


def _bait(tmp_path) -> str:
    picture = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    note = tmp_path / "secret.txt"
    note.write_text("the secret")
    return (
        '<html><body><p>Report</p>'
        f'<img src="{picture.as_uri()}" alt="">'
        f'<a rel="attachment" href="{note.as_uri()}">notes</a>'
        '</body></html>'
    )


def _embedded(pdf: bytes) -> tuple[int, int]:
    """Images drawn, and files attached (document-level or as link annotations)."""
    reader = PdfReader(io.BytesIO(pdf))
    images = sum(len(page.images) for page in reader.pages)
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    attached = sum(1 for a in annotations if a.get("/Subtype") == "/FileAttachment")
    return images, attached + len(reader.attachments)


def test_unrestricted_weasyprint_would_embed_local_files(tmp_path):
    # The control: without papers' fetcher, both files end up inside the PDF.
    pdf = weasyprint.HTML(string=_bait(tmp_path), base_url=str(tmp_path)).write_pdf()
    assert _embedded(pdf) == (1, 1)


def test_papers_fetches_no_file_outside_the_templates(tmp_path):
    pdf = render_pdf(_bait(tmp_path), TEMPLATES, "t", "s", WHEN)
    assert _embedded(pdf) == (0, 0)


def test_papers_still_fetches_its_own_stylesheet_and_fonts():
    html = render_html(build_view(make_round(["a", "b", "c", "d"])), TEMPLATES, stylesheets=PDF_STYLESHEETS)
    furniture = Furniture("Scrutiny Committee", "17 March 2011")
    reader = PdfReader(io.BytesIO(render_pdf(html, TEMPLATES, "t", "s", WHEN, with_furniture=furniture)))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "Paper-Sans" in fonts  # the @font-face files were fetched
    # The stylesheet's @page rules applied, to the page furniture drawn over each page.
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Scrutiny Committee – 17 March 2011" in reader.pages[-1].extract_text()


def test_hostile_text_prints_literally():
    html = render_html(build_view(make_round([f"• {HOSTILE}", "x", "y", "z"])), TEMPLATES, stylesheets=PDF_STYLESHEETS)
    reader = PdfReader(io.BytesIO(render_pdf(html, TEMPLATES, "t", "s", WHEN)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert HOSTILE in text


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 — the http.server interface
        _Counting.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_no_request_leaves_for_the_network():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/tracker.png"
        html = f'<html><body><p>x</p><img src="{url}" alt=""></body></html>'
        _Counting.requests.clear()
        weasyprint.HTML(string=html).write_pdf()
        assert _Counting.requests == ["/tracker.png"]  # the control: WeasyPrint alone fetches it
        _Counting.requests.clear()
        render_pdf(html, TEMPLATES, "t", "s", WHEN)
        assert _Counting.requests == []
    finally:
        server.shutdown()
        server.server_close()


def test_a_very_long_text_is_laid_out_in_pieces_and_ordinary_text_is_untouched():
    ordinary = "<html><body><p>" + "A sentence of a long paragraph. " * 600 + "</p></body></html>"
    assert len(ordinary) > 15_000 and breakable(ordinary) == ordinary
    long = "<html><body><p>" + "Cost &amp; benefit; " * 5_000 + "</p></body></html>"
    pieces = re.findall(r"<span>([^<]*)</span>", breakable(long))
    assert len(pieces) > 5 and all(len(p) <= PIECE for p in pieces)
    assert all(re.fullmatch(r"(?:[^&]|&amp;)*", p) for p in pieces), "never cut inside an entity"
    assert re.sub(r"</?span>", "", breakable(long)) == long and len(long) > LONG_TEXT


def test_pydyfs_page_references_still_builds_a_new_tuple_on_every_read():
    # The work-around in render/layout.py (_speed_up_pydyf, installed as the engine loads) stands while pydyf's own
    # PDF.page_references builds the tuple of every page again on each read (WeasyPrint's
    # tagger reads it for every structure element: quadratic in pages; docs/upstream/
    # pydyf-page-references.md is the report). When this fails, pydyf has changed: measure
    # a long paper's layout without the work-around, and remove it if it no longer pays.
    script = """
import pydyf
written = pydyf.PDF()
for _ in range(3):
    written.add_page(pydyf.Dictionary({"Type": "/Page"}))
first, second = written.page_references, written.page_references
print(first is second, first == second)
from pipeline.render import layout
layout.engine()
print(written.page_references == first, written.page_references is written.page_references)
"""
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    # pydyf's own: equal tuples, built anew; the work-around's: the same references, built once.
    assert found.stdout.split() == ["False", "True", "True", "True"], found.stdout + found.stderr


def test_weasyprint_still_names_its_arrays_by_their_length():
    # The work-around in render/layout.py (_DerivedTypes) pays because WeasyPrint names each
    # array it hands HarfBuzz by its length, a C type string cffi parses anew for each length
    # (docs/upstream/weasyprint-array-types.md is the report). When this fails, WeasyPrint
    # has changed: measure laying out the sample round without the work-around.
    import inspect

    import weasyprint.pdf.fonts

    assert "ffi.new(f'hb_codepoint_t[{" in inspect.getsource(weasyprint.pdf.fonts)


@pytest.mark.parametrize("cdecl", ["hb_codepoint_t[7]", "hb_tag_t[100]", "char[4]", "char[]", "PangoRectangle *",
                                   "FcChar8 **", "unsigned int *", "PangoLogAttr[]"])
def test_the_c_types_made_without_parsing_are_the_ones_cffi_parses(cdecl):
    weasyprint, _ = layout.engine()
    ffi = weasyprint.text.ffi.ffi
    assert type(ffi._parsed_types).__name__ == "_DerivedTypes", "the work-around is no longer installed"
    made = ffi.typeof(cdecl)
    with ffi._lock:
        parsed = ffi._get_cached_btype(ffi._parser.parse_type(cdecl))
    assert made is parsed


def _page(body: str) -> str:
    return f'<html><head><link rel="stylesheet" href="report.css"></head><body>{body}</body></html>'


def _lay_out_elsewhere(templates, _) -> int:
    return len(layout.lay_out(_page("<p>Elsewhere</p>"), templates, "t", "s", WHEN))


@needs_workers
def test_a_worker_leaves_the_fonts_of_the_process_it_was_forked_from(tmp_path):
    # This process loads the fonts (its folder of them made); workers forked from it lay out
    # with other templates, freeing their copies of its font configuration; the italic,
    # first read here afterwards, must still be there (it came out empty, and the words in
    # it vanished from the PDF, when a worker's copy deleted the folder).
    other = tmp_path / "templates"
    shutil.copytree(TEMPLATES, other)
    layout.lay_out(_page("<p>Plain</p>"), TEMPLATES, "t", "s", WHEN)
    with Workers() as workers:
        workers.map(functools.partial(_lay_out_elsewhere, other), [1, 2, 3, 4], helping=False)
    data = layout.lay_out(_page("<p>Plain <em>Leaning</em> words</p>"), TEMPLATES, "t", "s", WHEN)
    assert PdfReader(io.BytesIO(data)).pages[0].extract_text() == "Plain Leaning words"
