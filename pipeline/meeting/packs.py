"""A meeting's packs: the agenda pack (or a supplement) and its private pack, written with the meeting's page and open data.

The agenda pack is the front sheet (the agenda, each item's pack page printed beside it)
then every public item's PDFs in agenda order; the private pack, the same for the exempt
items, only in the private folder; a supplement, its own front sheet of what changed and
the papers it adds or replaces. The front sheet is laid out last, once the papers' page
counts give the pack page numbers it prints (and again if the numbers change its own
length). Then the pack's furniture (the front sheet has none of its own): its page
numbers, a hundred pages to a part whatever the pack's length, and each running head and
note once, drawn over every page that has it. All are parts kept between builds, so a
rebuild lays out again only what changed: a correction that adds a page to a paper lays
out that paper and the front sheet, and renumbers the pages after it from parts already
kept. The packs and the page are made together, and recorded (the private pack's record
in the private folder): when neither the agenda nor any item's PDF changed, they are
current and not made again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipeline import parts, pdf
from pipeline.filenames import PRIVATE, write_atomic
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress, Workers
from pipeline.meeting import page
from pipeline.meeting.edition import Edition
from pipeline.meeting.items import ItemPdfs, appendix_title, heading, row
from pipeline.meeting.redaction import redacted_copies
from pipeline.meeting.supplements import Change, PackPlan, What
from pipeline.meeting.versions import Record
from pipeline.parts import Part
from pipeline.records.meeting import Item, Meeting
from pipeline.render import agenda, html
from pipeline.vocabulary import long_date


@dataclass
class Making:
    """What a build of the packs and page writes, and where: the pack and private pack of
    the edition it makes (None when it makes none), the page, its open data and the copies
    the page links to."""

    listed: list[Item]
    links: page.Links
    page: Path
    data: Path | None
    pack: Path | None = None
    private: Path | None = None
    carried: list[Item] = field(default_factory=list)
    """The items whose papers its packs hold."""
    redacted: list[Path] = field(default_factory=list)
    """The redacted copies of withdrawn packs it publishes with them."""

    def beside(self, output: Path) -> list[Path]:
        """The public files, recorded together in the output folder's cache."""
        return ([p for p in (self.pack, self.page) if p] + self.redacted + [output / n for n in self.links.copies]
                + ([self.data] if self.data else []))


def write_packs(meeting: Meeting, papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, output: Path, cache: Cache,
                templates: Path, workers: Workers, when: dt.datetime, plan: PackPlan,
                progress: Progress | None = None, ahead: pdf.ReadAhead | None = None) -> tuple[Making, bool]:
    """The packs of the edition ``plan`` makes (the agenda's, or a supplement's), the
    meeting's web page and open data, and the supplied papers the page links to, written
    unless current: what they are, and whether they were written now. ``papers`` is each
    item with the files papers built for it; ``ahead``, those of the packs' PDFs read ahead."""
    making = _making(meeting, papers, pdfs, output, plan)
    key = cache.render_key(meeting, plan, {n: [(t, hashlib.sha256(d).hexdigest()) for t, d in found]
                                           for n, found in pdfs.items()},
                           # the page and open data give the size and checksum of every file published
                           [(p.name, hashlib.sha256(p.read_bytes()).hexdigest())
                            for item, built in papers if not item.exempt for p in built if p.suffix in page.FORMATS])
    if _current(cache, key, making, meeting, output):
        for title, data in making.links.copies.values():
            cache.still_wanted(data, title)
        return making, False
    if progress:
        progress("Assembling the agenda pack" if not plan.record.versions else "Assembling the supplement")
    notes = _front_rows(making.listed, plan)
    copies, links = page.copied(making.links, cache)
    files = {output / name: data for name, data in copies.items()}
    made_of = _packs(meeting, making, pdfs, plan, notes, templates, when, workers, cache, files, ahead)
    files.update(redacted_copies(meeting, plan, output, cache, templates, workers, when))
    # The page and open data last: they give each file's size and pages.
    content = page.reader(output, files, plan, cache)
    packs = page.pack_links(meeting, plan, making.pack.name if making.pack else "", content)
    published = page.published_files(meeting, making.listed, links, content, plan)
    minutes = page.minutes_link(plan, meeting, content)
    files[making.page] = page.agenda_page(meeting, making.listed, published, packs, templates, notes,
                                          minutes).encode("utf-8")
    if making.data:
        files[making.data] = page.open_data(meeting, making.listed, published, packs, making.page.name,
                                            making.data.name, plan, minutes).encode("utf-8")
    for path, data in files.items():
        write_atomic(path, data)
    _record(cache, key, making, meeting, output, files, made_of)
    return making, True


def _making(meeting: Meeting, papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, output: Path,
            plan: PackPlan) -> Making:
    """What this build's packs and page are, and where they go."""
    stem = meeting.stem
    listed = [item for item, _ in papers]
    making = Making(listed, page.linked(papers, pdfs, stem), output / f"{stem}-agenda.html",
                    output / f"{stem}-meeting.json" if meeting.web else None, carried=plan.carried(listed))
    if plan.edition is not None:
        name, private = plan.edition.pack_names(stem)
        making.pack = output / name
        making.private = output / PRIVATE / private if any(item.exempt for item in making.carried) else None
        making.redacted = [output / copy.name for copy in plan.redacting]
    return making


def _current(cache: Cache, key: str, making: Making, meeting: Meeting, output: Path) -> bool:
    # The private pack's record is kept in the private folder, the public ones' in the public.
    return cache.outputs_current(key, making.beside(output), f"{meeting.stem}-meeting") and (
        not making.private or cache.outputs_current(key, [making.private], f"{meeting.stem}-private"))


def _record(cache: Cache, key: str, making: Making, meeting: Meeting, output: Path, files: dict[Path, bytes],
            made_of: dict[Path, Made]) -> None:
    made = made_of.get(making.pack) if making.pack else None
    cache.record(key, output, {path.name: files[path] for path in making.beside(output)}, f"{meeting.stem}-meeting",
                 made.parts if made else (), made.front_pages if made else 0)
    if making.private:
        made = made_of[making.private]
        cache.record(key, making.private.parent, {making.private.name: files[making.private]}, f"{meeting.stem}-private",
                     made.parts, made.front_pages)


@dataclass(frozen=True)
class Made:
    """How a pack was made: the keys of the parts it was made of, and its front sheet's length."""

    parts: tuple[str, ...]
    front_pages: int


@dataclass(frozen=True)
class Sheet:
    """What every pack of one edition shares: its front sheet (``front``, given the rows),
    its notes by item, the running head of a supplied paper's pages, its title, its numbering."""

    front: Callable[..., str]
    notes: dict[str, str]
    head: str
    title: str
    edition: Edition
    templates: Path
    when: dt.datetime


def _packs(meeting: Meeting, making: Making, pdfs: ItemPdfs, plan: PackPlan, notes: dict[str, str], templates: Path,
           when: dt.datetime, workers: Workers, cache: Cache, files: dict[Path, bytes],
           ahead: pdf.ReadAhead | None = None) -> dict[Path, Made]:
    """The pack and private pack added to ``files``: how each was made."""
    if making.pack is None:
        return {}
    edition = plan.edition
    intro = "" if edition.is_agenda else (
        f"This supplement to the agenda published on {plan.record.versions[0].published_long} "
        "adds, replaces or withdraws the items below; the agenda pack's page numbers are unchanged.")
    if not edition.is_agenda and plan.date(meeting) == meeting.date:  # tabled: said so, each change with its reason
        intro = f"Tabled at the meeting on {long_date(meeting.date)}. {intro}"
    title = f"{edition.heading} – {meeting.committee}, {long_date(meeting.date)}"
    sheet = Sheet(partial(agenda.agenda_html, meeting, templates=templates, heading=edition.heading, intro=intro,
                          published=long_date(plan.date(meeting))),
                  notes, f"{meeting.committee} – {long_date(meeting.date)}", title, edition, templates, when)
    shown_rows = [item for item in making.listed if not plan.record.versions or item.number in notes]
    made_of = {}
    files[making.pack], made_of[making.pack] = _pack(
        sheet, shown_rows, [item for item in making.carried if not item.exempt], pdfs, workers,
        (cache, making.pack.parent, f"{meeting.stem}-meeting"), ahead=ahead)
    if making.private:
        private = dataclasses.replace(sheet, title=f"Exempt items, not for publication – {title}")
        files[making.private], made_of[making.private] = _pack(
            private, [i for i in shown_rows if i.exempt], [item for item in making.carried if item.exempt], pdfs,
            workers, (cache, making.private.parent, f"{meeting.stem}-private"), restricted=True, ahead=ahead)
    return made_of


def _pack(sheet: Sheet, listed: list[Item], included: list[Item], pdfs: ItemPdfs, workers: Workers,
          kept: tuple[Cache, Path, str], restricted: bool = False,
          ahead: pdf.ReadAhead | None = None) -> tuple[bytes, Made]:
    """A pack: a front sheet listing ``listed`` items, then ``included`` items' PDFs, its
    pages numbered as its edition numbers them ("Pack page N", or "Supplement 1, page N" with
    page labels S1-N); with ``restricted`` (a private pack), every page marked as not for
    publication, with the paragraph of Schedule 12A its item is exempt under. Its front
    sheet and page furniture are laid-out parts kept in ``kept`` (the cache, the folder the
    pack goes to, and the name its record is kept under), as a paper's are: a rebuild lays
    out again only those that changed. The pack, and how it was made."""
    cache, folder, stem = kept

    def lay_out(laying: list[Part]) -> tuple[list, list[str]]:
        keyed = {cache.render_key(part): (part, folder) for part in laying}
        laid, _ = parts.lay_out_kept(keyed, cache, sheet.templates, workers)
        return [laid[key] for key in keyed], list(keyed)

    inside = {item.number for item in included}
    contents = [(item, pdfs[item.number] if item.number in inside else []) for item in listed]
    guess = cache.front_pages(folder, stem)  # as long as last time: laid out once more if not

    def numbered() -> tuple[bytes, Made]:
        return _numbered(sheet, contents, guess, lay_out, restricted,
                         [[cache.pages(data, folder) for _, data in found] for _, found in contents], ahead)

    try:
        return numbered()
    except pdf.CountsDiffer:
        # A kept page count was wrong (the cache damaged, or tampered with): every PDF is
        # counted again, the counts kept in place of the wrong ones, and the pack made anew.
        cache.recount()
        return numbered()


def _numbered(sheet: Sheet, contents: list[tuple[Item, list[tuple[str, bytes]]]], front_pages: int,
              lay_out: Callable[[list[Part]], tuple[list[parts.LaidOut], list[str]]], restricted: bool,
              pages: list[list[int]], ahead: pdf.ReadAhead | None = None) -> tuple[bytes, Made]:
    """The pack of ``contents``, each item's PDFs taken to have ``pages`` (and read ahead in
    ``ahead``, some of them), its front sheet first tried at ``front_pages`` long; parts
    laid out (or kept) by ``lay_out``."""
    counts = [sum(each) for each in pages]
    tried: list[str] = []
    for _ in range(4):  # the numbers can change the front sheet's length; settle them
        first_pages, number = {}, front_pages + 1
        for (item, found), count in zip(contents, counts):
            if found:
                first_pages[item.number] = number
            number += count
        rows = [dataclasses.replace(
                    row(item, f"https://pack.invalid/#pack-page-{first_pages[item.number]}" if item.number in first_pages
                        else "", f"page {first_pages.get(item.number, '')}", sheet.notes.get(item.number, "")),
                    appendices=_appendix_rows(item, found, counts_of, first_pages.get(item.number)))
                for (item, found), counts_of in zip(contents, pages)]
        # The front sheet alone until its length settles, then the furniture (a page for every
        # page of the pack) once: laid out again for each try, it cost a large pack most of
        # its rebuild. The front sheet has no furniture of its own: its title block names the
        # meeting, and its only page number is the pack's (no "Page 1 of 1" beside "Pack page 1").
        settled = front_pages
        (sheet_laid,), sheet_keys = lay_out([Part(sheet.front(rows, stylesheets=html.PDF_STYLESHEETS), sheet.title,
                                                  sheet.title, sheet.when)])
        tried += sheet_keys  # every try kept: the next build tries the same ones first
        if sheet_laid.pages == front_pages:
            break
        front_pages = sheet_laid.pages
    notes = _not_for_publication(settled, contents, counts) if restricted else [""] * (number - 1)
    marks = list(zip(_running_heads(sheet.head, settled, contents, pages), notes))
    distinct = list(dict.fromkeys(mark for mark in marks if any(mark)))  # in the order they first appear
    laid, stamp_keys = lay_out(parts.furniture(
        html.pack_furniture_html(sheet.edition.page_label, number - 1, distinct, sheet.templates), sheet.when))
    numbered = len(laid) - len(distinct)
    stamps = pdf.Stamps([done.data for done in laid[:numbered]], [done.data for done in laid[numbered:]],
                        tuple(distinct.index(mark) if any(mark) else -1 for mark in marks))
    front = pdf.join([sheet_laid.data], [])
    # An appendix's bookmark goes under its item's paper, where the paper is in the pack.
    sources = [pdf.TitledPdf(data, appendix_title(item, name), level=2, pages=count)
               if index and found[0][0] == heading(item) else pdf.TitledPdf(data, name, pages=count)
               for (item, found), counted in zip(contents, pages)
               for index, ((name, data), count) in enumerate(zip(found, counted))]
    packed = pdf.assemble(pdf.TitledPdf(front, sheet.edition.heading, pages=settled), sources, stamps,
                          title=sheet.title, label=sheet.edition.label_prefix, ahead=ahead)
    return packed, Made((*tried, *stamp_keys), settled)


def _appendix_rows(item: Item, found: list[tuple[str, bytes]], counts: list[int], first: int | None) -> tuple:
    """An item's appendices as its front sheet row lists them, each with its pack page."""
    rows, at = [], first
    for (title, _), count in zip(found, counts):
        if title != heading(item) and at is not None:
            rows.append((appendix_title(item, title), f"https://pack.invalid/#pack-page-{at}", f"page {at}"))
        at = at + count if at is not None else None
    return tuple(rows)


def _running_heads(head: str, front_pages: int, contents: list[tuple[Item, list]],
                   pages: list[list[int]]) -> list[str]:
    """Each page's running head in the pack: the meeting's on a supplied paper's pages, which
    have none of their own; none on the front sheet, and none on a paper papers built (it
    has its own)."""
    heads = [""] * front_pages
    for (item, found), counts in zip(contents, pages):
        for index, ((title, _), count) in enumerate(zip(found, counts)):
            built = index == 0 and item.kind is not None and item.kind.built is not None and title == heading(item)
            heads += ["" if built else head] * count
    return heads


def _not_for_publication(front_pages: int, contents: list[tuple[Item, list]], counts: list[int]) -> list[str]:
    """Each page's note in the private pack: the front sheet's names every item's paragraph,
    each paper's page its own item's."""
    def note(paragraphs: list[int]) -> str:
        listed = ", ".join(str(p) for p in sorted(set(paragraphs)))
        return f"NOT FOR PUBLICATION (Sch 12A para{'s' if len(set(paragraphs)) > 1 else ''} {listed})"

    notes = [note([item.exempt for item, _ in contents])] * front_pages
    for (item, _), count in zip(contents, counts):
        notes += [note([item.exempt])] * count
    return notes


def _front_rows(listed: list[Item], plan: PackPlan) -> dict[str, str]:
    """The front sheet's notes, by item number: in a supplement each change's; in the agenda,
    any item withdrawn before it was published."""
    if not plan.record.versions:
        return {item.number: f"Withdrawn: {item.withdrawn}" for item in listed if item.withdrawn}
    changes = plan.pending.changes if plan.pending else ()
    return {change.number: _front_note(change, plan.record) for change in changes}


def _front_note(change: Change, record: Record) -> str:
    """What a supplement's front sheet says under a changed item's title."""
    then = f": {change.note}" if change.note else "."
    if change.what is What.LATE:
        return f"Late item. Reason for urgency: {change.note or 'not given'}"
    if change.what is What.CORRECTED:
        return f"Corrected paper, replacing the one in {_published_in(record, change.number)}{then}"
    if change.what is What.WITHDRAWN:
        return f"Withdrawn{then}"
    if change.what is What.PUBLIC:
        return f"No longer exempt: its paper is published in this supplement{then}"
    return ("Now exempt: its paper is not for publication. The published packs that held it are replaced by redacted "
            "copies, its pages withheld and no page number moved.")


def _published_in(record: Record, number: str) -> str:
    """The published pack that holds an item's paper as it stands, as a reader names it."""
    pack = record.items[number].pack if number in record.items else ""
    version = next((v for v in record.versions if v.pack == pack), None)
    if version is None:
        return "the published papers"
    return f"{version.edition.pack_called} ({version.published_long})"
