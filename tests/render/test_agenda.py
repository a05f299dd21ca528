"""The agenda as HTML (pipeline/render/agenda.py): the front sheet's row an item, the page's files as GOV.UK lists attachments, exempt items marked, text escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.filenames import TEMPLATES
from pipeline.records.meeting import AgendaRow, Attachment, Meeting, PackLink
from pipeline.records.settings import Officer
from pipeline.render.agenda import agenda_html, meeting_page
from support import html_text

MEETING = Meeting("Scrutiny <Committee>", dt.date(2011, 3, 17), "10.00 am", "County Hall, Oxford")


def test_the_page_lists_each_item_with_its_files_as_attachments():
    paper = (Attachment("Budget & <plans>", "budget.html", "HTML", 70_000),
             Attachment("Budget & <plans>", "budget.pdf", "PDF", 2_500_000, 12),
             Attachment("Appendix 1: Valuation", "valuation.pdf", "PDF", 900, 1, tagged=False))
    rows = [AgendaRow("1", "Apologies"), AgendaRow("2", "Budget & <plans>", "decision", files=paper)]
    packs = (PackLink("Agenda pack", "pack.pdf", "9 March 2011", file=Attachment("Agenda pack", "pack.pdf", "PDF", 4096, 30)),
             PackLink("Supplement 1", "supplement-1.pdf", "11 March 2011", ("Item 2A, Flood grant: added as a late item",),
                      file=Attachment("Supplement 1", "supplement-1.pdf", "PDF", 2048, 1)))
    page = meeting_page(MEETING, rows, TEMPLATES, packs)
    assert "Scrutiny &lt;Committee&gt;" in page and "17 March 2011" in page and "County Hall, Oxford" in page
    text = html_text(page)
    assert ("Budget &amp; &lt;plans&gt;" in page and '<a class="attachment-title" href="budget.html">Budget &amp; &lt;plans&gt;'
            '<span class="visually-hidden"> (HTML)</span></a>' in page)
    assert "Budget & <plans> (HTML) HTML, 68 KB" in text and "Budget & <plans> (PDF) PDF, 2.4 MB, 12 pages" in text
    assert "Appendix 1: Valuation (PDF) PDF, 900 bytes, 1 page This file may not be suitable for users of " \
           "assistive technology. Request an accessible format." in text
    assert "Agenda pack (PDF) PDF, 4 KB, 30 pages Published 9 March 2011" in text
    assert "Supplement 1 (PDF) PDF, 2 KB, 1 page Published 11 March 2011 Item 2A, Flood grant: added as a late item" in text
    assert "<style>" in page  # the web page carries its stylesheet: it stands alone


def test_the_page_says_whom_to_ask_for_another_format():
    page = meeting_page(dataclasses.replace(MEETING, clerk=Officer("Committee clerk", email="clerk@example.org")),
                        [AgendaRow("1", "Apologies")], TEMPLATES)
    assert 'please email <a href="mailto:clerk@example.org">clerk@example.org</a>.' in page
    assert "contact the council's committee services" in meeting_page(MEETING, [AgendaRow("1", "Apologies")], TEMPLATES)


def test_an_exempt_item_is_marked_not_for_publication():
    for page in (agenda_html(MEETING, [AgendaRow("9", "Contract award", "decision", 3)], TEMPLATES),
                 meeting_page(MEETING, [AgendaRow("9", "Contract award", "decision", 3)], TEMPLATES)):
        assert "Exempt: paragraph 3 of Schedule 12A to the Local Government Act 1972. Not for publication." in page


def test_the_front_sheet_links_the_stylesheet_it_is_laid_out_with():
    page = agenda_html(MEETING, [AgendaRow("1", "Apologies")], TEMPLATES, stylesheets=("report.css",))
    assert 'href="report.css"' in page and "<style>" not in page
