"""Each agenda item's PDFs as a pack takes them (pipeline/meeting/items.py): the supplied ones read ahead
while the papers are laid out, but not while LibreOffice still converts one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document

from pipeline import pdf
from pipeline.filenames import TEMPLATES
from pipeline.machinery.cache import Cache
from pipeline.meeting.convert import Conversion
from pipeline.meeting.items import read_ahead
from pipeline.meeting.kinds import Supplied, kind_of
from pipeline.records.meeting import Item
from pipeline.render.layout import lay_out
from support import needs_libreoffice

WHEN = dt.datetime(2011, 3, 17, 12)


def _supplied_pdf(path: Path) -> Path:
    path.write_bytes(lay_out("<html lang='en-GB'><head><title>Plan</title></head><body><h1>Plan</h1></body></html>",
                             TEMPLATES, "Plan", "", WHEN))
    return path


def test_the_supplied_pdfs_are_read_ahead_for_the_pack(tmp_path):
    paper, appendix = _supplied_pdf(tmp_path / "plan.pdf"), _supplied_pdf(tmp_path / "map.pdf")
    item = Item("4", "Plan", paper=paper, kind=kind_of(paper), appendices=(appendix,), appendix_titles=("Map",))
    supplied = {paper: Supplied(paper), appendix: Supplied(appendix)}
    with pdf.ReadAhead() as ahead:
        read_ahead([(item, tmp_path / "out")], supplied, Cache(tmp_path / "out", TEMPLATES), ahead)
        assert len(ahead) == 1  # the two files' bytes are the same: read once


@needs_libreoffice
def test_nothing_is_read_ahead_while_libreoffice_converts_a_paper(tmp_path):
    # LibreOffice takes its memory meanwhile: the PDFs wait for the pack to read them.
    document = Document()
    document.add_paragraph("Minutes of the last meeting.")
    document.save(tmp_path / "minutes.docx")
    appendix = _supplied_pdf(tmp_path / "map.pdf")
    word = Item("2", "Minutes", paper=tmp_path / "minutes.docx", kind=kind_of(tmp_path / "minutes.docx"))
    plan = Item("4", "Plan", appendices=(appendix,), appendix_titles=("Map",))
    converting = Conversion(tmp_path / "minutes.docx", tmp_path / "kept", WHEN)
    supplied = {word.paper: converting, appendix: Supplied(appendix)}
    cache = Cache(tmp_path / "out", TEMPLATES)
    with pdf.ReadAhead() as ahead:
        assert not converting.ready()
        read_ahead([(word, tmp_path / "out"), (plan, tmp_path / "out")], supplied, cache, ahead)
        assert len(ahead) == 0
        assert isinstance(converting.result(), bytes) and converting.ready()
        read_ahead([(word, tmp_path / "out"), (plan, tmp_path / "out")], supplied, cache, ahead)
        assert len(ahead) == 2
