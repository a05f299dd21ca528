"""The meeting's agenda as HTML: the pack's front sheet, and the meeting's web page."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from pipeline.records.meeting import AgendaRow, Meeting, PackLink
from pipeline.render.html import environment
from pipeline.vocabulary import long_date

TEMPLATE = "agenda.html.j2"


def agenda_html(meeting: Meeting, rows: list[AgendaRow], templates: Path, *, stylesheets: tuple[str, ...] = (),
                page_heading: str = "Page", packs: tuple[PackLink, ...] = (), heading: str = "Agenda",
                intro: str = "", published: str = "") -> str:
    """The agenda page: the meeting's facts, then a row for each item; on the web, the packs
    published (``packs``) and what each changed."""
    context = {
        "heading": heading,
        "intro": intro,
        "published": published,
        "packs": packs,
        "council": meeting.council,
        "clerk": ", ".join(meeting.clerk.lines) if meeting.clerk else "",
        "committee": meeting.committee,
        "date": long_date(meeting.date),
        "time": meeting.time,
        "venue": meeting.venue,
        "items": rows,
        "page_heading": page_heading,
        "stylesheet_hrefs": stylesheets,
        "stylesheet": Markup("" if stylesheets else (templates / "report.css").read_text(encoding="utf-8")),
    }
    return environment(templates, trailing_newline=False).get_template(TEMPLATE).render(context)
