"""The meeting's agenda as HTML (the pack's front sheet, the meeting's web page), and the
pack's page stamps."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.meeting import Meeting
from pipeline.vocabulary import long_date

TEMPLATE = "agenda.html.j2"
STAMP_CSS = """@page { size: A4; margin: 22mm 22mm 20mm 22mm;
  @bottom-right { content: "Pack page " counter(page); font: 9pt "Paper Sans", Arial, sans-serif; } }
div + div { break-before: page; }"""


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


def stamps_html(pages: int) -> str:
    """An HTML page of ``pages`` empty pages, each numbered "Pack page N" in its margin."""
    body = "".join("<div></div>" for _ in range(pages))
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>stamps</title>'
        '<link rel="stylesheet" href="fonts.css">'
        f"<style>{STAMP_CSS}</style></head><body class=\"stamps\">{body}</body></html>"
    )
