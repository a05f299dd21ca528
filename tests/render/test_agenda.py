"""The agenda as HTML (pipeline/render/agenda.py): the meeting's facts, a row an item, exempt items marked, text escaped."""

from __future__ import annotations

import datetime as dt

from pipeline.filenames import TEMPLATES
from pipeline.records.meeting import AgendaRow, Meeting, PackLink
from pipeline.render.agenda import agenda_html

MEETING = Meeting("Scrutiny <Committee>", dt.date(2011, 3, 17), "10.00 am", "County Hall, Oxford")


def test_the_page_lists_each_item_with_its_link():
    rows = [AgendaRow("1", "Apologies"), AgendaRow("2", "Budget & <plans>", "decision", None, "budget.html", "Item 2 paper")]
    packs = (PackLink("Agenda pack", "pack.pdf", "9 March 2011"),
             PackLink("Supplement 1", "supplement-1.pdf", "11 March 2011", ("Item 2A, Flood grant: added as a late item",)))
    page = agenda_html(MEETING, rows, TEMPLATES, page_heading="Paper", packs=packs)
    assert "Scrutiny &lt;Committee&gt;" in page and "17 March 2011" in page and "County Hall, Oxford" in page
    assert "Budget &amp; &lt;plans&gt;" in page and '<a href="budget.html">Item 2 paper</a>' in page
    assert '<a href="pack.pdf">Agenda pack</a>, published 9 March 2011' in page
    assert '<a href="supplement-1.pdf">Supplement 1</a>, published 11 March 2011' in page
    assert "<li>Item 2A, Flood grant: added as a late item</li>" in page
    assert "<style>" in page  # the web page carries its stylesheet: it stands alone


def test_an_exempt_item_is_marked_not_for_publication():
    page = agenda_html(MEETING, [AgendaRow("9", "Contract award", "decision", 3)], TEMPLATES)
    assert "Exempt: paragraph 3 of Schedule 12A to the Local Government Act 1972. Not for publication." in page


def test_the_front_sheet_links_the_stylesheet_it_is_laid_out_with():
    page = agenda_html(MEETING, [AgendaRow("1", "Apologies")], TEMPLATES, stylesheets=("report.css",))
    assert 'href="report.css"' in page and "<style>" not in page
