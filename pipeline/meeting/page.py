"""The meeting's web page and open data: the agenda, each public item linked to its paper and appendices, and every pack published with what it changed.

A paper papers built is linked as its own web page; a supplied paper, and every appendix,
as its PDF, copied beside the page. An exempt item is listed by its title and paragraph
alone. With ``web`` set, the same links are given as OParl open data beside the page.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.filenames import slug
from pipeline.machinery.cache import Cache
from pipeline.meeting.items import ItemPdfs, appendix_title, heading, row
from pipeline.meeting.supplements import PackPlan
from pipeline.records.meeting import Attachment, Item, Meeting, MinutesLink, PackLink
from pipeline.render import agenda
from pipeline.render.opendata import meeting_json
from pipeline.vocabulary import long_date

FORMATS = {".html": "HTML", ".pdf": "PDF", ".docx": "Word"}
"""What the page calls each kind of file it links, in the order it lists a paper's: the web
page first, as GDS asks."""

@dataclass(frozen=True)
class Content:
    """The published files: a file's bytes by its name (None if there is none), and a PDF's
    length, counted once and kept (cache.pages)."""

    read: Callable[[str], "bytes | None"]
    pages: Callable[[bytes], int]

    def __call__(self, name: str) -> bytes | None:
        return self.read(name)


def _web_first(names) -> tuple[str, ...]:
    """File ``names`` in the order the page lists a paper's formats: web page, PDF, Word."""
    return tuple(sorted(names, key=lambda name: list(FORMATS).index(Path(name).suffix)))


def attachment(title: str, name: str, content: Content, plan: PackPlan, meeting: Meeting,
               tagged: bool = True) -> Attachment:
    """The published file ``name`` as the page and open data list it: its format, size and
    pages read from its bytes, dated the day those bytes were first published (or will be)."""
    data = content(name) or b""
    kind = FORMATS[Path(name).suffix]
    sha256 = hashlib.sha256(data).hexdigest()
    first = plan.record.first_published(name, sha256) or plan.date(meeting).isoformat()
    return Attachment(title, name, kind, len(data), content.pages(data) if kind == "PDF" else 0, tagged, first,
                      hashlib.sha512(data).hexdigest())


@dataclass(frozen=True)
class Links:
    """What the meeting's page links each public item to: by item number its paper's files,
    and by item number and appendix title (``"\\x1f"`` between) each appendix's, each with
    the title the page lists it by, web page first; the supplied PDFs to copy beside the
    page, by name, each with its title (made ready by :func:`copied` only when the page is
    written: an up-to-date build never loads the PDF library); and which have no tags."""

    files: dict[str, tuple[str, tuple[str, ...]]]
    copies: dict[str, tuple[str, bytes]]
    untagged: frozenset[str] = frozenset()

    @property
    def links(self) -> dict[str, str]:
        """Each paper's and appendix's first file: its web page, or its PDF."""
        return {key: names[0] for key, (_, names) in self.files.items()}

    def attachments(self, key: str, content: Content, plan: PackPlan, meeting: Meeting) -> tuple[Attachment, ...]:
        """The files of paper or appendix ``key``, as the page lists them."""
        title, names = self.files.get(key, ("", ()))
        return tuple(attachment(title, name, content, plan, meeting, name not in self.untagged) for name in names)

    def of(self, item: Item, content: Content, plan: PackPlan, meeting: Meeting) -> tuple[Attachment, ...]:
        """Every file published of ``item``: its paper's, then each appendix's."""
        keys = [item.number] + [key for key in self.files if key.startswith(f"{item.number}\x1f")]
        return tuple(found for key in keys for found in self.attachments(key, content, plan, meeting))


def linked(papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, stem: str) -> Links:
    """Each public item's files to link to: those papers built (web page, PDF and Word), else
    its PDF (a supplied PDF, or a Word paper's conversion), and each of its appendices' PDFs,
    each supplied one to be copied beside the papers (:func:`copied`)."""
    files: dict[str, tuple[str, tuple[str, ...]]] = {}
    copies: dict[str, tuple[str, bytes]] = {}

    def copy(name: str, title: str, data: bytes) -> str:
        copies[name] = (title, data)
        return name

    for item, built in papers:
        if item.exempt:
            continue
        if built:
            names = _web_first(p.name for p in built if p.suffix in FORMATS)
            files[item.number] = (item.title, names)
        elif item.paper is not None and pdfs[item.number] and pdfs[item.number][0][0] == heading(item):
            name = copy(f"{stem}-item-{slug(item.number)}-{slug(item.title)}.pdf", heading(item), pdfs[item.number][0][1])
            files[item.number] = (item.title, (name,))
        for title, data in pdfs[item.number]:
            if title != heading(item):  # an appendix: "Item 5, appendix 1: …"
                number = title.split(":", 1)[0].rsplit(" ", 1)[-1]
                name = copy(f"{stem}-item-{slug(item.number)}-appendix-{number}.pdf", title, data)
                files[f"{item.number}\x1f{title}"] = (appendix_title(item, title), (name,))
    return Links(files, copies)


def copied(links: Links, cache: Cache) -> tuple[dict[str, bytes], Links]:
    """The supplied PDFs copied beside the page as the pack gives them (pdf.alone: their
    title and language set, their structure trees kept; made once for the same file, and
    kept in ``cache``), by name; and ``links`` knowing which have no tags."""
    found = {name: cache.alone(data, title) for name, (title, data) in links.copies.items()}
    untagged = frozenset(name for name, (_, tagged) in found.items() if not tagged)
    return {name: made for name, (made, _) in found.items()}, dataclasses.replace(links, untagged=untagged)


def reader(output: Path, made: dict[Path, bytes], plan: PackPlan, cache: Cache) -> Content:
    """A published file's bytes by name: from what this build ``made``, else the output
    folder, else the copy kept when it was published; a PDF's pages, as ``cache`` keeps them."""
    def content(file: str) -> bytes | None:
        found = made.get(output / file)
        if found is None and (output / file).is_file():
            found = (output / file).read_bytes()
        return found if found is not None else plan.record.published_copy(file)
    return Content(content, lambda data: cache.pages(data, output))


def pack_links(meeting: Meeting, plan: PackPlan, making: str, content: Content) -> tuple[PackLink, ...]:
    """The packs the meeting's page lists: each published version's, and the redacted
    copies it published, then those this build makes (``making``, its pack's file name; ""
    for none): each out of publication said so, and why; each in it with its file's facts."""
    out = plan.withdrawals

    def link(title: str, name: str, date: str, changes: tuple[str, ...] = (), withdrawn: str = "") -> PackLink:
        return PackLink(title, name, date, changes, withdrawn,
                        None if withdrawn else attachment(title, name, content, plan, meeting))

    links = []
    for version in plan.record.versions:
        links.append(link(version.edition.pack_title, version.pack, version.published_long, version.changes,
                          out.why(version.pack)))
        links += [link(copy.title, copy.name, version.published_long, withdrawn=out.why(copy.name))
                  for published, _, copy in out.copies if published is version]
    if making:
        pending, date = plan.pending, long_date(plan.date(meeting))
        links.append(link(plan.edition.pack_title, making, date, tuple(c.line() for c in pending.changes) if pending else ()))
        links += [link(copy.title, copy.name, date) for copy in plan.redacting]
    return tuple(links)


def minutes_link(plan: PackPlan, meeting: Meeting, content: Content) -> MinutesLink | None:
    """The minutes the page lists: the latest version published, every public format of it
    (web page first); None before any is published."""
    if not plan.record.minutes:
        return None
    version = plan.record.minutes[-1]
    names = _web_first(f.name for f in version.files if not f.private)
    return MinutesLink(version.title, version.published_long,
                       tuple(attachment(version.title, name, content, plan, meeting) for name in names),
                       tuple((r.number, r.result, r.resolution) for r in version.results))


Published = dict[str, tuple[Attachment, ...]]
"""Every file published of each public item, by its number: its paper's, then each appendix's."""


def published_files(meeting: Meeting, listed: list[Item], links: Links, content: Content, plan: PackPlan) -> Published:
    """Every file published of each public item on the agenda (none of one exempt or withdrawn)."""
    return {item.number: links.of(item, content, plan, meeting) for item in listed
            if not item.exempt and not item.withdrawn}


def agenda_page(meeting: Meeting, listed: list[Item], files: Published, packs: tuple[PackLink, ...], templates: Path,
                notes: dict[str, str], minutes: MinutesLink | None = None) -> str:
    """The meeting's web page: the agenda, each public item with its paper and appendices in
    every format published (as GOV.UK lists attachments), and the packs published with what
    each changed."""
    rows = [dataclasses.replace(row(item, note=notes.get(item.number) or (f"Withdrawn: {item.withdrawn}" if item.withdrawn
                                                                         else "")), files=files.get(item.number, ()))
            for item in listed]
    return agenda.meeting_page(meeting, rows, templates, packs, minutes)


def open_data(meeting: Meeting, listed: list[Item], files: Published, packs: tuple[PackLink, ...], page: str, name: str,
              plan: PackPlan, minutes: MinutesLink | None = None) -> str:
    """The meeting as OParl JSON (``name``, beside the page ``page``): every file published
    of each public item, and each pack in publication, with its address, size, date and
    checksum."""
    live = tuple(link for link in packs if not link.withdrawn)
    statuses = {change.number: change.what.value for change in plan.pending.changes} if plan.pending else {}
    return meeting_json(meeting, listed, files, live, page, name, statuses, minutes)
