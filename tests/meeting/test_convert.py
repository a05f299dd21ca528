"""Supplied Word papers converted to tagged PDF by LibreOffice (pipeline/meeting/convert.py), as untrusted files."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import threading
import time
import zipfile

import pikepdf
import pytest
from docx import Document
from PIL import Image

from pipeline import pdf
from pipeline.meeting import convert
from pipeline.meeting.convert import INSTALL, Conversion, word_to_pdf
from pipeline.meeting.docx_safety import MAX_PART, check_docx
from pipeline.records.problems import Problem
from support import cores, libreoffice_convert, needs_libreoffice, running_in

WHEN = dt.datetime(2011, 3, 17, 12)


def _word(path):
    document = Document()
    document.add_heading("Comprehensive Area Assessment", level=1)
    document.add_paragraph("The assessment found the council performing well.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Area", "Score"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Housing", "3"
    document.save(path)
    return path


@needs_libreoffice
def test_a_word_paper_becomes_a_tagged_steady_pdf(tmp_path):
    source = _word(tmp_path / "caa.docx")
    first = word_to_pdf(source, tmp_path / "one", WHEN)
    second = word_to_pdf(source, tmp_path / "two", WHEN)  # converted again, not from the first's cache
    assert isinstance(first, bytes) and pdf.inspect(first) == ("", True)
    assert first == second  # LibreOffice's time stamp and random identifier steadied away
    assert list((tmp_path / "one").glob("*.pdf")), "kept for the next build"


def test_without_libreoffice_the_problem_names_its_install_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine where LibreOffice is not installed
    found = Conversion(_word(tmp_path / "caa.docx"), tmp_path / "kept", WHEN).result()
    assert isinstance(found, Problem) and found.source.file == "caa.docx"
    assert "LibreOffice is not installed" in found.message and INSTALL in found.advice


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    found = Conversion(tmp_path / "gone.docx", tmp_path / "kept", WHEN).result()
    assert isinstance(found, Problem) and found.source.file == "gone.docx" and "could not be read" in found.message


# --- a supplied Word file is untrusted -----------------------------------------------


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        _Counting.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(_PNG)

    def log_message(self, *args):
        pass


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


_PNG = _png()


_LINKED = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:p>Our logo: <draw:frame draw:name="logo" svg:width="1cm" svg:height="1cm" text:anchor-type="as-char">
<draw:image xlink:href="{target}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
</office:text></office:body></office:document>"""


def _linked_picture(path, target: str):
    """A Word file whose picture is linked, not embedded, made by LibreOffice itself: a
    document linking the picture, saved as .docx (LibreOffice writes the link as Word's
    "Link to File" does, an external relationship)."""
    source = path.with_suffix(".fodt")
    source.write_text(_LINKED.format(target=target), encoding="utf-8")
    (made,) = libreoffice_convert([source], "docx", path.parent / "made", path.parent / "profile-made")
    made.replace(path)
    with zipfile.ZipFile(path) as archive:
        assert b'TargetMode="External"' in archive.read("word/_rels/document.xml.rels")
    return path


@pytest.fixture
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Counting.requests.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@needs_libreoffice
def test_a_linked_picture_is_not_fetched_and_is_named(tmp_path, server, monkeypatch):
    source = _linked_picture(tmp_path / "linked.docx", f"{server}/logo.png")
    _Counting.requests.clear()  # making it may have fetched it too
    # The control: LibreOffice on its own fetches the picture from the server.
    libreoffice_convert([source], "pdf", tmp_path / "control", tmp_path / "profile")
    assert _Counting.requests == ["/logo.png"]
    _Counting.requests.clear()
    conversion = Conversion(source, tmp_path / "kept", WHEN)
    found = conversion.result()
    assert isinstance(found, bytes) and pdf.page_count(found) == 1
    assert _Counting.requests == []
    (problem,) = conversion.problems
    assert problem.source.file == "linked.docx" and f"a linked picture ({server}/logo.png)" in problem.message
    assert "Link to File" in problem.advice
    # The next build neither converts nor checks it again (the file is known by its bytes),
    # and still names what was taken out.
    checks = []
    monkeypatch.setattr(convert, "check_docx", lambda data: checks.append(data) or check_docx(data))
    again = Conversion(source, tmp_path / "kept", WHEN)
    assert again.process is None and again.result() == found and again.problems == conversion.problems
    assert checks == []
    # A record of the check tampered with (it names a file outside its folder) is not trusted.
    (noted,) = (tmp_path / "kept").glob("*.json")
    noted.write_text(json.dumps({"refused": "", "advice": "", "removed": [], "kept": "../../secret.pdf"}), encoding="utf-8")
    assert Conversion(source, tmp_path / "kept", WHEN).result() == found and len(checks) == 1


@needs_libreoffice
def test_a_picture_linked_from_a_file_outside_is_not_embedded(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(_PNG)
    source = _linked_picture(tmp_path / "linked.docx", secret.as_uri())
    found = Conversion(source, tmp_path / "kept", WHEN).result()
    with pikepdf.open(io.BytesIO(found)) as converted:
        images = [k for page in converted.pages for k in page.get_images()]
    assert images == []


@pytest.mark.parametrize("content, refused", [
    (b"<html><body><img src='http://127.0.0.1:9/x.png'></body></html>", "is not a Word document (.docx)"),
    (bytes(range(256)) * 256, "is not a Word document (.docx)"),
])
def test_a_file_that_is_not_a_word_document_is_refused(tmp_path, content, refused):
    path = tmp_path / "paper.docx"
    path.write_bytes(content)
    found = Conversion(path, tmp_path / "kept", WHEN).result()
    assert isinstance(found, Problem) and found.message.startswith(refused) and found.advice


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("word/document.xml", "w", force_zip64=True) as document:
            chunk = b"\0" * (1 << 20)
            for _ in range(MAX_PART // len(chunk) + 16):  # 80 MB unpacked (a part may be 64), 80 kB packed
                document.write(chunk)
    assert path.stat().st_size < 500_000
    found = Conversion(path, tmp_path / "kept", WHEN).result()
    assert isinstance(found, Problem) and "possibly a zip bomb" in found.message


@needs_libreoffice
def test_a_conversion_over_its_time_is_stopped_whole_and_named(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "TIMEOUT", 0.5)  # a paper takes seconds: half of one is too short
    conversion = Conversion(_word(tmp_path / "slow.docx"), tmp_path / "kept", WHEN)
    conversion.started.wait(30)
    group = conversion.process.pid
    found = conversion.result()
    assert isinstance(found, Problem) and found.message == "took longer than 0.5 s to convert: LibreOffice was stopped"
    assert running_in(group) == [], "nothing of LibreOffice's is left running"


@needs_libreoffice
def test_a_conversion_over_its_memory_is_stopped_and_named(tmp_path, monkeypatch):
    # A paper needs about 220 MB of LibreOffice's; bounded at 200 MB, it runs out, as a
    # hostile file would at the real bound. (LibreOffice then aborts, or says only that it
    # could not load the file: the message names the limit either way.)
    monkeypatch.setattr(convert, "MEMORY", 200 * 1024 * 1024)
    conversion = Conversion(_word(tmp_path / "large.docx"), tmp_path / "kept", WHEN)
    conversion.started.wait(30)
    group = conversion.process.pid
    found = conversion.result()
    assert isinstance(found, Problem) and "needed more memory than a paper may (200 MB)" in found.message
    assert running_in(group) == []


@needs_libreoffice
def test_only_so_many_conversions_run_at_once(tmp_path):
    # Each LibreOffice takes about 200 MB, and the workers use the cores too: one at a time
    # for every two cores, the rest waiting their turn.
    conversions = [Conversion(_word(tmp_path / f"paper-{n}.docx"), tmp_path / "kept", WHEN) for n in range(3)]
    most = 0
    while not all(c.started.is_set() and c.process is not None and c.process.poll() is not None for c in conversions):
        most = max(most, sum(1 for c in conversions if c.process is not None and c.process.poll() is None))
        time.sleep(0.02)
    assert most == max(1, cores() // 2)
    assert all(isinstance(c.result(), bytes) for c in conversions)


def test_a_libreoffice_that_cannot_be_started_is_named(tmp_path, monkeypatch):
    broken = tmp_path / "bin" / "soffice"
    broken.parent.mkdir()
    broken.write_text("#!/nowhere/at/all\n")  # found on the PATH, but its interpreter is not there
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(broken.parent))
    monkeypatch.setattr(convert, "_offline", lambda: ())
    found = Conversion(_word(tmp_path / "caa.docx"), tmp_path / "kept", WHEN).result()
    assert isinstance(found, Problem) and "LibreOffice could not be started" in found.message and INSTALL in found.advice
