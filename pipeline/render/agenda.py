"""The meeting's agenda as HTML: the pack's front sheet (agenda.html.j2), and the web page (meeting.html.j2)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from pipeline.records.meeting import AgendaRow, Meeting, MinutesLink, PackLink
from pipeline.render.html import environment
from pipeline.vocabulary import long_date

TEMPLATE = "agenda.html.j2"
PAGE_TEMPLATE = "meeting.html.j2"


def agenda_html(meeting: Meeting, rows: list[AgendaRow], templates: Path, *, stylesheets: tuple[str, ...] = (),
                heading: str = "Agenda", intro: str = "", published: str = "") -> str:
    """The front sheet: the meeting's facts, then a row for each item with its page in the pack."""
    return _render(TEMPLATE, meeting, rows, templates, stylesheets=stylesheets, heading=heading, intro=intro,
                   published=published)


def meeting_page(meeting: Meeting, rows: list[AgendaRow], templates: Path, packs: tuple[PackLink, ...] = (),
                 minutes: MinutesLink | None = None) -> str:
    """The meeting's web page: its facts, each item with its files listed as GOV.UK lists
    attachments (title, format, size, pages), the packs (``packs``) with what each changed,
    the minutes once published, and whom to ask for another format."""
    return _render(PAGE_TEMPLATE, meeting, rows, templates, packs=packs, minutes=minutes, heading="Agenda and papers",
                   clerk_email=meeting.clerk.email if meeting.clerk else "")


def _render(template: str, meeting: Meeting, rows: list[AgendaRow], templates: Path, *,
            stylesheets: tuple[str, ...] = (), **extra) -> str:
    context = {
        "council": meeting.council,
        "clerk": ", ".join(meeting.clerk.lines) if meeting.clerk else "",
        "committee": meeting.committee,
        "date": long_date(meeting.date),
        "time": meeting.time,
        "venue": meeting.venue,
        "items": rows,
        "stylesheet_hrefs": stylesheets,
        "stylesheet": Markup("" if stylesheets else (templates / "report.css").read_text(encoding="utf-8")),
        **extra,
    }
    return environment(templates, trailing_newline=False).get_template(template).render(context)
