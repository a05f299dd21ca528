"""A meeting's packs and page: each item's PDFs collected and made fit, the agenda pack, the private pack, the web page.

Each supplied PDF is made fit for a public pack (pdf.prepare: its active content taken
out, its damage mended, or refused), each step named in the check. The agenda pack is the front sheet (the agenda, each item's pack page printed beside it)
then every public item's PDFs in agenda order; the private pack, the same for the exempt
items, only in the private folder. The front sheet is laid out last, once the papers'
page counts give the pack page numbers it prints (and again if the numbers change its own
length), then the pack's page numbers (it has no furniture of its own); both are parts
kept between builds, so a rebuild lays out again only what changed. The packs and the
page are made together, and recorded (the private pack's record in the private folder):
when neither the agenda nor any item's PDF changed, they are current and not made again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipeline import lazy, parts
from pipeline.cache import Cache
from pipeline.clear_days import latest_publication
from pipeline.filenames import PRIVATE, shown, slug, write_atomic
from pipeline.model import AgendaRow, Item, Meeting, PackLink, Problem, Severity, Source
from pipeline.parts import Part
from pipeline.render.opendata import meeting_json
from pipeline.supplements import Change, Pending, What
from pipeline.versions import Record
from pipeline.vocabulary import long_date
from pipeline.workers import Progress, Workers

ItemPdfs = dict[str, list[tuple[str, bytes]]]
"""Each item's PDFs by its number: its paper's and its appendices', each with its bookmark title."""


def heading(item: Item) -> str:
    """The bookmark and section title of an item's paper: "Item 3: Partnership update report"."""
    return f"Item {item.number}: {item.title}"


def row(item: Item, href: str = "", link_text: str = "", note: str = "") -> AgendaRow:
    """``item`` as an agenda lists it, linking to ``href``."""
    return AgendaRow(item.number, item.title, item.purpose, item.exempt, href, link_text, note)


def item_pdfs(item: Item, built: Path | None, supplied: dict, cache: Cache, folder: Path,
              problems: list[Problem]) -> list[tuple[str, bytes]]:
    """The item's paper (the PDF papers ``built``, or the file supplied) and its appendices,
    as PDFs, each with its bookmark title. A supplied one is made safe for the pack (kept
    in ``folder``'s cache): what was stripped from it is named in ``problems``, and one that
    cannot go in is named and left out, and one without tags named."""
    out = []
    if built is not None:  # papers made it, and its manifest vouches for the bytes
        out.append((heading(item), built.read_bytes()))
    files = [(heading(item), item.paper)] if built is None and item.kind and item.kind.supplied else []
    files += [(f"Item {item.number}, appendix {n}: {title}", a)
              for n, (a, title) in enumerate(zip(item.appendices, item.appendix_titles), start=1)]
    for title, path in files:
        data = supplied[path].result()
        problems.extend(supplied[path].problems)  # what was taken out of it on the way
        if isinstance(data, Problem):
            problems.append(data)
            continue
        found = cache.prepared(data, folder)
        if found.why:
            problems.append(Problem(Severity.ERROR, Source(shown(path.name)), f"{found.why}, so it is left out of the pack",
                                    found.advice))
            continue
        if found.removed:
            problems.append(Problem(
                Severity.WARNING, Source(shown(path.name)),
                f"held content that could act when the pack is opened, which was taken out: {', '.join(found.removed)}",
                "nothing to do for the pack; if the paper needs it, ask its author for a version without it"))
        if found.mended:
            problems.append(Problem(
                Severity.WARNING, Source(shown(path.name)), f"was damaged, and was mended for the pack: {', '.join(found.mended)}",
                "check its pages in the pack; if they are wrong, ask its author to save it again as PDF"))
        if found.fitted:
            problems.append(Problem(
                Severity.WARNING, Source(shown(path.name)),
                f"has pages of another size than A4 ({', '.join(found.fitted)}): fitted to A4 in the pack",
                "nothing to do; for full-size pages, ask its author to set the paper size to A4"))
        if not found.tagged:
            problems.append(Problem(
                Severity.WARNING, Source(title), "is a PDF without tags: the pack includes it, but a screen "
                "reader cannot follow it, so the pack is not accessible",
                "ask its author for the Word file or a tagged PDF (in Word: Save As PDF, Options, "
                "'Document structure tags for accessibility')"))
        out.append((title, found.data))
    return out



@dataclass(frozen=True)
class Edition:
    """What this build's packs are: the agenda (nothing published yet), or a supplement to
    the versions ``record`` holds (``pending``, None when nothing changed)."""

    published: dt.date | None
    """The date of publication its front sheet prints; None for the agenda's default, the
    last day that leaves the statutory clear days (counted only when the pack is made)."""
    record: Record
    pending: Pending | None = None
    withdrawn: dict[str, list[str]] = field(default_factory=dict)
    """Each published pack taken out of publication, with the items now exempt it holds."""
    digests: dict[str, str] = field(default_factory=dict)
    """Each item's PDFs' digest (supplements.item_digest), by number."""

    def date(self, meeting: Meeting) -> dt.date:
        """The date of publication the front sheet prints."""
        return self.published or latest_publication(meeting.date, meeting.clear_days)


def write_packs(meeting: Meeting, papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, output: Path, cache: Cache,
                templates: Path, workers: Workers, when, edition: Edition,
                progress: Progress | None = None) -> tuple[list[Path], bool]:
    """The agenda pack and private pack (or, once the agenda is published, the supplement
    and its private pack), the meeting's web page and open data, and the supplied papers
    the page links to, written unless current: the files, and whether they were written
    now. ``papers`` is each item with the files papers built for it."""
    stem = meeting_stem(meeting)
    listed = [item for item, _ in papers]
    supplement = edition.pending
    if not edition.record.versions:
        carried, supplement_number, intro = [item for item in listed if not item.withdrawn], 0, ""
    elif supplement is not None:
        carried = [item for item in listed if item.number in supplement.carried]
        supplement_number = supplement.version - 1
        intro = (f"This supplement to the agenda published on {edition.record.versions[0].published_long} "
                 "adds, replaces or withdraws the items below; the agenda pack's page numbers are unchanged.")
    else:  # published, and nothing changed since: no pack to make
        carried, supplement_number, intro = [], None, ""
    heading = "Agenda" if not supplement_number else f"Supplementary agenda {supplement_number}"
    name, private_name = pack_names(meeting, supplement_number + 1) if supplement_number is not None else ("", "")
    public = [item for item in carried if not item.exempt]
    exempt = [item for item in carried if item.exempt]
    pack = output / name if name else None
    private = output / PRIVATE / private_name if name and exempt else None
    page, data = output / f"{stem}-agenda.html", output / f"{stem}-meeting.json"
    links, copies = _linked(papers, pdfs, stem)
    shown_beside = [p for p in (pack, page) if p] + [output / n for n in copies] + ([data] if meeting.web else [])
    targets = shown_beside + ([private] if private else [])
    key = cache.render_key(meeting, edition, {n: [(t, hashlib.sha256(d).hexdigest()) for t, d in found] for n, found in pdfs.items()})
    # The private pack's record is kept in the private folder, the public ones' in the public.
    if cache.outputs_current(key, shown_beside, f"{stem}-meeting") and \
            (not private or cache.outputs_current(key, [private], f"{stem}-private")):
        return targets, False
    if progress:
        progress("Assembling the agenda pack" if not edition.record.versions else "Assembling the supplement")
    rows = _front_rows(listed, edition)
    shown_rows = [item for item in listed if not edition.record.versions or item.number in rows]
    title = f"{heading} – {meeting.committee}, {long_date(meeting.date)}" if name else ""
    head = f"{meeting.committee} – {long_date(meeting.date)}"
    front = partial(lazy.agenda().agenda_html, meeting, templates=templates, heading=heading, intro=intro,
                    published=long_date(edition.date(meeting)))
    packs = _pack_links(meeting, edition, name)
    files = {page: _agenda_page(meeting, listed, links, packs, templates, rows).encode("utf-8"),
             **{output / n: d for n, d in copies.items()}}
    made_of: dict[Path, tuple[str, ...]] = {}
    if pack:
        files[pack], made_of[pack] = _pack(front, head, shown_rows, public, pdfs, rows, templates, when, title, workers,
                                           (cache, output), supplement_number)
    if private:
        files[private], made_of[private] = _pack(
            front, head, [i for i in shown_rows if i.exempt], exempt, pdfs, rows, templates, when,
            f"Exempt items, not for publication – {title}", workers, (cache, private.parent), supplement_number,
            restricted=True)
    if meeting.web:
        def content(name: str) -> bytes | None:
            found = files.get(output / name)
            if found is None and (output / name).is_file():
                found = (output / name).read_bytes()
            return found if found is not None else edition.record.published_copy(name)

        live = tuple(link for link in packs if not link.withdrawn)
        files[data] = meeting_json(meeting, listed, links, live, page.name, data.name, content).encode("utf-8")
    for path, made in files.items():
        write_atomic(path, made)
    cache.record(key, output, {path.name: files[path] for path in shown_beside}, f"{stem}-meeting",
                 made_of.get(pack, ()) if pack else ())
    if private:
        cache.record(key, private.parent, {private.name: files[private]}, f"{stem}-private", made_of[private])
    return targets, True


def pack_names(meeting: Meeting, version: int) -> tuple[str, str]:
    """The file names of version ``version``'s pack and private pack: the agenda pack's for
    version 1, then each supplement's."""
    stem = meeting_stem(meeting)
    kind = "pack" if version == 1 else f"supplement-{version - 1}"
    return f"{stem}-{kind}.pdf", f"{stem}-private-{kind}.pdf"


def meeting_stem(meeting: Meeting) -> str:
    """The start of the meeting's own files' names: its date and committee."""
    return f"{meeting.date.isoformat()}-{slug(meeting.committee)}"


def _front_rows(listed: list[Item], edition: Edition) -> dict[str, str]:
    """The front sheet's notes, by item number: in a supplement each change's; in the agenda,
    any item withdrawn before it was published."""
    if not edition.record.versions:
        return {item.number: f"Withdrawn: {item.withdrawn}" for item in listed if item.withdrawn}
    changes = edition.pending.changes if edition.pending else ()
    return {change.number: _front_note(change, edition.record) for change in changes}


def _front_note(change: Change, record: Record) -> str:
    """What a supplement's front sheet says under a changed item's title."""
    then = f": {change.note}" if change.note else "."
    if change.what is What.LATE:
        return f"Late item. Reason for urgency: {change.note or 'not given'}"
    if change.what is What.CORRECTED:
        return f"Corrected paper, replacing the one in {_published_in(record, change.number)}{then}"
    if change.what is What.WITHDRAWN:
        return f"Withdrawn{then}"
    return f"Now exempt: its paper is not for publication, and is taken out of the published packs. {change.note}"


def _published_in(record: Record, number: str) -> str:
    """The published pack that holds an item's paper as it stands, as a reader names it."""
    pack = record.items[number].pack if number in record.items else ""
    version = next((v for v in record.versions if v.pack == pack), None)
    if version is None:
        return "the published papers"
    return f"the agenda pack ({version.published_long})" if version.number == 1 else f"{version.name} ({version.published_long})"


def _pack_links(meeting: Meeting, edition: Edition, pending_name: str) -> tuple[PackLink, ...]:
    """The packs the meeting's page lists: each published version's, then this build's."""
    links = []
    for version in edition.record.versions:
        why = edition.withdrawn.get(version.pack)
        links.append(PackLink(version.name if version.number > 1 else "Agenda pack", version.pack,
                              version.published_long, version.changes,
                              f"item{'s' if len(why) > 1 else ''} {', '.join(why)} now exempt" if why else ""))
    if pending_name:
        pending = edition.pending
        links.append(PackLink(pending.name if pending else "Agenda pack", pending_name, long_date(edition.date(meeting)),
                              tuple(c.line() for c in pending.changes) if pending else ()))
    return tuple(links)


def _linked(papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, stem: str) -> tuple[dict[str, str], dict[str, bytes]]:
    """Each public item's page to link to, by item number: its web page where papers built
    it, else its PDF (a supplied PDF, or a Word paper's conversion), to be copied beside the
    papers, and each of its appendices' PDFs (by item number and the appendix's title, with
    "\x1f" between); and those copies, by name."""
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
    return links, copies


def _pack(front, head: str, listed: list[Item], included: list[Item], pdfs: ItemPdfs, notes: dict[str, str], templates: Path,
          when, title: str, workers: Workers, kept: tuple[Cache, Path], supplement: int = 0,
          restricted: bool = False) -> tuple[bytes, tuple[str, ...]]:
    """A pack: a front sheet (``front``, given the rows) listing ``listed`` items, then
    ``included`` items' PDFs, its pages numbered "Pack page N", or in ``supplement`` 1
    "Supplement 1, page N" (page labels S1-N); with ``restricted`` (a private pack), every page marked as not for publication, with
    the paragraph of Schedule 12A its item is exempt under. Its front sheet and page
    furniture are laid out parts kept in ``kept`` (the cache, and the folder the pack goes
    to), as a paper's are: a rebuild lays out again only those that changed. The pack, and
    the keys of the parts it was made of."""
    pdf, html = lazy.pdf(), lazy.html()
    cache, folder = kept

    def lay_out(laying: list[Part]) -> tuple[list, list[str]]:
        keyed = {cache.render_key(part): (part, folder) for part in laying}
        laid, _ = parts.lay_out_kept(keyed, cache, templates, workers)
        return [laid[key] for key in keyed], list(keyed)

    inside = {item.number for item in included}
    contents = [(item, pdfs[item.number] if item.number in inside else []) for item in listed]
    pages = [[pdf.page_count(data) for _, data in found] for _, found in contents]
    counts = [sum(each) for each in pages]
    printed = f"Supplement {supplement}, page " if supplement else "Pack page "
    front_pages = 1  # an agenda fits a page, mostly: laid out once more if not
    tried: list[str] = []
    for _ in range(4):  # the numbers can change the front sheet's length; settle them
        first_pages, number = {}, front_pages + 1
        for (item, found), count in zip(contents, counts):
            if found:
                first_pages[item.number] = number
            number += count
        rows = [dataclasses.replace(
                    row(item, f"https://pack.invalid/#pack-page-{first_pages[item.number]}" if item.number in first_pages
                        else "", f"page {first_pages.get(item.number, '')}", notes.get(item.number, "")),
                    appendices=_appendix_rows(item, found, counts_of, first_pages.get(item.number)))
                for (item, found), counts_of in zip(contents, pages)]
        # The front sheet alone until its length settles, then the furniture (a page for every
        # page of the pack) once: laid out again for each try, it cost a large pack most of
        # its rebuild. The front sheet has no furniture of its own: its title block names the
        # meeting, and its only page number is the pack's (no "Page 1 of 1" beside "Pack page 1").
        settled = front_pages
        (sheet_laid,), sheet_keys = lay_out([Part(front(rows, stylesheets=html.PDF_STYLESHEETS), title, title, when)])
        tried += sheet_keys  # every try kept: the next build tries the same ones first
        if sheet_laid.pages == front_pages:
            break
        front_pages = sheet_laid.pages
    marks = _not_for_publication(settled, contents, counts) if restricted else ()
    heads = _running_heads(head, settled, contents, pages)
    stamps = parts.furniture(html.Furniture("pack", notes=marks, heads=heads, label=printed), number - 1, templates, when)
    laid, stamp_keys = lay_out(stamps)
    sheet = pdf.join([sheet_laid.data], [])
    # An appendix's bookmark goes under its item's paper, where the paper is in the pack.
    sources = [pdf.TitledPdf(data, appendix_title(item, name), level=2) if index and found[0][0] == heading(item)
               else pdf.TitledPdf(data, name)
               for item, found in contents for index, (name, data) in enumerate(found)]
    packed = pdf.assemble(pdf.TitledPdf(sheet, f"Supplementary agenda {supplement}" if supplement else "Agenda"),
                          sources, [done.data for done in laid], title=title, label=f"S{supplement}-" if supplement else "")
    return packed, (*tried, *stamp_keys)


def _appendix_rows(item: Item, found: list[tuple[str, bytes]], counts: list[int], first: int | None) -> tuple:
    """An item's appendices as its front sheet row lists them, each with its pack page."""
    rows, page = [], first
    for (title, _), count in zip(found, counts):
        if title != heading(item) and page is not None:
            rows.append((appendix_title(item, title), f"https://pack.invalid/#pack-page-{page}", f"page {page}"))
        page = page + count if page is not None else None
    return tuple(rows)


def appendix_title(item: Item, title: str) -> str:
    """An appendix's bookmark title under its item: "Appendix 1: Strands", from "Item 5, appendix 1: Strands"."""
    short = title.removeprefix(f"Item {item.number}, ")
    return short[:1].upper() + short[1:]


def _running_heads(head: str, front_pages: int, contents: list[tuple[Item, list]],
                   pages: list[list[int]]) -> tuple[str, ...]:
    """Each page's running head in the pack: the meeting's on a supplied paper's pages, which
    have none of their own; none on the front sheet, and none on a paper papers built (it
    has its own)."""
    heads = [""] * front_pages
    for (item, found), counts in zip(contents, pages):
        for index, ((title, _), count) in enumerate(zip(found, counts)):
            built = index == 0 and item.kind is not None and item.kind.built is not None and title == heading(item)
            heads += ["" if built else head] * count
    return tuple(heads)


def _not_for_publication(front_pages: int, contents: list[tuple[Item, list]], counts: list[int]) -> tuple[str, ...]:
    """Each page's note in the private pack: the front sheet's names every item's paragraph,
    each paper's page its own item's."""
    def note(paragraphs: list[int]) -> str:
        listed = ", ".join(str(p) for p in sorted(set(paragraphs)))
        return f"NOT FOR PUBLICATION (Sch 12A para{'s' if len(set(paragraphs)) > 1 else ''} {listed})"

    notes = [note([item.exempt for item, _ in contents])] * front_pages
    for (item, _), count in zip(contents, counts):
        notes += [note([item.exempt])] * count
    return tuple(notes)


def _agenda_page(meeting: Meeting, listed: list[Item], links: dict[str, str], packs: tuple[PackLink, ...],
                 templates: Path, notes: dict[str, str]) -> str:
    """The meeting's web page: the agenda, each public item linking to its paper, and the
    packs published with what each changed."""
    rows = []
    for item in listed:
        href = "" if item.exempt or item.withdrawn else links.get(item.number, "")
        kind = "PDF" if href.endswith(".pdf") else "web page"
        note = notes.get(item.number) or (f"Withdrawn: {item.withdrawn}" if item.withdrawn else "")
        appendices = tuple((appendix_title(item, key.split("\x1f", 1)[1]), name, "PDF")
                           for key, name in links.items() if key.startswith(f"{item.number}\x1f"))
        rows.append(dataclasses.replace(row(item, href, f"Item {item.number} paper ({kind})", note), appendices=appendices))
    return lazy.agenda().agenda_html(meeting, rows, templates, page_heading="Paper", packs=packs)
