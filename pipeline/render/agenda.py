"""The meeting's agenda as HTML (the pack's front sheet, the meeting's web page), and the
pack's page stamps."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.meeting import Meeting
from pipeline.vocabulary import long_date

TEMPLATE = "agenda.html.j2"


def _environment(templates: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )


def agenda_html(meeting: Meeting, rows: list[dict], templates: Path, *, stylesheets: tuple[str, ...] = (),
                page_heading: str = "Page", pack_href: str = "") -> str:
    """The agenda page. Each row: number, title, purpose, exempt, href, link_text."""
    context = {
        "committee": meeting.committee,
        "date": long_date(meeting.date),
        "time": meeting.time,
        "venue": meeting.venue,
        "items": rows,
        "page_heading": page_heading,
        "pack_href": pack_href,
        "stylesheet_hrefs": stylesheets,
        "stylesheet": Markup("" if stylesheets else (templates / "report.css").read_text(encoding="utf-8")),
    }
    return _environment(templates).get_template(TEMPLATE).render(context)
