"""The meeting's web page and open data: the agenda, each public item linked to its paper and appendices, and every pack published with what it changed.

A paper papers built is linked as its own web page; a supplied paper, and every appendix,
as its PDF, copied beside the page. An exempt item is listed by its title and paragraph
alone. With ``web`` set, the same links are given as OParl open data beside the page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from pipeline.filenames import slug
from pipeline.meeting.items import ItemPdfs, appendix_title, heading, row
from pipeline.meeting.supplements import PackPlan
from pipeline.records.meeting import Item, Meeting, PackLink
from pipeline.render import agenda
from pipeline.render.opendata import meeting_json
from pipeline.vocabulary import long_date


@dataclass(frozen=True)
class Links:
    """What the meeting's page links each public item to: by item number its paper's page
    (its web page, or its PDF), and by item number and appendix title (``"\\x1f"``
    between) each appendix's PDF; and the PDFs to copy beside the page, by name."""

    links: dict[str, str]
    copies: dict[str, bytes]


def linked(papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, stem: str) -> Links:
    """Each public item's page to link to: its web page where papers built it, else its PDF
    (a supplied PDF, or a Word paper's conversion), to be copied beside the papers, and each
    of its appendices' PDFs."""
    links: dict[str, str] = {}
    copies: dict[str, bytes] = {}
    for item, built in papers:
        if item.exempt:
            continue
        if built:
            links[item.number] = next(p.name for p in built if p.suffix == ".html")
        elif item.paper is not None and pdfs[item.number] and pdfs[item.number][0][0] == heading(item):
            name = f"{stem}-item-{slug(item.number)}-{slug(item.title)}.pdf"
            copies[name] = pdfs[item.number][0][1]
            links[item.number] = name
        for title, data in pdfs[item.number]:
            if title != heading(item):  # an appendix: "Item 5, appendix 1: …"
                number = title.split(":", 1)[0].rsplit(" ", 1)[-1]
                name = f"{stem}-item-{slug(item.number)}-appendix-{number}.pdf"
                copies[name] = data
                links[f"{item.number}\x1f{title}"] = name
    return Links(links, copies)


def pack_links(meeting: Meeting, plan: PackPlan, making: str) -> tuple[PackLink, ...]:
    """The packs the meeting's page lists: each published version's, and the redacted
    copies it published, then those this build makes (``making``, its pack's file name; ""
    for none): each out of publication said so, and why."""
    out = plan.withdrawals
    links = []
    for version in plan.record.versions:
        links.append(PackLink(version.edition.pack_title, version.pack, version.published_long, version.changes,
                              out.why(version.pack)))
        links += [PackLink(copy.title, copy.name, version.published_long, withdrawn=out.why(copy.name))
                  for published, _, copy in out.copies if published is version]
    if making:
        pending, date = plan.pending, long_date(plan.date(meeting))
        links.append(PackLink(plan.edition.pack_title, making, date,
                              tuple(c.line() for c in pending.changes) if pending else ()))
        links += [PackLink(copy.title, copy.name, date) for copy in plan.redacting]
    return tuple(links)


def agenda_page(meeting: Meeting, listed: list[Item], links: Links, packs: tuple[PackLink, ...], templates: Path,
                notes: dict[str, str]) -> str:
    """The meeting's web page: the agenda, each public item linking to its paper, and the
    packs published with what each changed."""
    rows = []
    for item in listed:
        href = "" if item.exempt or item.withdrawn else links.links.get(item.number, "")
        kind = "PDF" if href.endswith(".pdf") else "web page"
        note = notes.get(item.number) or (f"Withdrawn: {item.withdrawn}" if item.withdrawn else "")
        appendices = tuple((appendix_title(item, key.split("\x1f", 1)[1]), name, "PDF")
                           for key, name in links.links.items() if key.startswith(f"{item.number}\x1f"))
        rows.append(dataclasses.replace(row(item, href, f"Item {item.number} paper ({kind})", note), appendices=appendices))
    return agenda.agenda_html(meeting, rows, templates, page_heading="Paper", packs=packs)


def open_data(meeting: Meeting, listed: list[Item], links: Links, packs: tuple[PackLink, ...], page: str, name: str,
              plan: PackPlan, output: Path, made: dict[Path, bytes]) -> str:
    """The meeting as OParl JSON (``name``, beside the page ``page``), each file's size and
    checksum from what this build ``made``, else the output folder, else the copy kept when
    it was published."""
    def content(file: str) -> bytes | None:
        found = made.get(output / file)
        if found is None and (output / file).is_file():
            found = (output / file).read_bytes()
        return found if found is not None else plan.record.published_copy(file)

    live = tuple(link for link in packs if not link.withdrawn)
    statuses = {change.number: change.what.value for change in plan.pending.changes} if plan.pending else {}
    return meeting_json(meeting, listed, links.links, live, page, name, content, statuses)
