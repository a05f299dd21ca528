"""A meeting's packs and page: each item's PDFs collected and made fit, the agenda pack, the private pack, the web page.

Each supplied PDF is made fit for a public pack (pdf.prepare: its active content taken
out, its damage mended, or refused), each step named in the check. The agenda pack is the front sheet (the agenda, each item's pack page printed beside it)
then every public item's PDFs in agenda order; the private pack, the same for the exempt
items, only in the private folder. The front sheet is laid out last, once the papers'
page counts give the pack page numbers it prints (and again if the numbers change its own
length), beside the pack's page numbers (it has no furniture of its own). The packs and the
page are made together, and recorded (the private pack's record in the private folder):
when neither the agenda nor any item's PDF changed, they are current and not made again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline import lazy, parts
from pipeline.cache import Cache
from pipeline.filenames import PRIVATE, shown, slug, write_atomic
from pipeline.model import AgendaRow, Item, Meeting, Problem, Severity, Source
from pipeline.parts import Part
from pipeline.vocabulary import long_date
from pipeline.workers import Progress, Workers

ItemPdfs = dict[str, list[tuple[str, bytes]]]
"""Each item's PDFs by its number: its paper's and its appendices', each with its bookmark title."""


def heading(item: Item) -> str:
    """The bookmark and section title of an item's paper: "Item 3: Partnership update report"."""
    return f"Item {item.number}: {item.title}"


def row(item: Item, href: str = "", link_text: str = "") -> AgendaRow:
    """``item`` as an agenda lists it, linking to ``href``."""
    return AgendaRow(item.number, item.title, item.purpose, item.exempt, href, link_text)


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
    files += [(f"Item {item.number}, appendix {n}: {shown(a.stem)}", a) for n, a in enumerate(item.appendices, start=1)]
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



def write_packs(meeting: Meeting, papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, output: Path, cache: Cache,
                templates: Path, workers: Workers, when, progress: Progress | None = None) -> tuple[list[Path], bool]:
    """The agenda pack, the private pack (if any item is exempt), the meeting's web page and
    the supplied papers it links to, written unless current: the files, and whether they
    were written now. ``papers`` is each item with the files papers built for it."""
    stem = f"{meeting.date.isoformat()}-{slug(meeting.committee)}"
    public = [item for item, _ in papers if not item.exempt]
    exempt = [item for item, _ in papers if item.exempt]
    pack = output / f"{stem}-pack.pdf"
    private = output / PRIVATE / f"{stem}-private-pack.pdf"
    page = output / f"{stem}-agenda.html"
    links, copies = _linked(papers, pdfs, stem)
    shown_beside = [pack, page, *(output / name for name in copies)]
    targets = shown_beside + ([private] if exempt else [])
    key = cache.render_key(meeting, {n: [(t, hashlib.sha256(d).hexdigest()) for t, d in found] for n, found in pdfs.items()})
    # The private pack's record is kept in the private folder, the public ones' in the public.
    if cache.outputs_current(key, shown_beside, f"{stem}-meeting") and \
            (not exempt or cache.outputs_current(key, [private], f"{stem}-private")):
        return targets, False
    if progress:
        progress("Assembling the agenda pack")
    listed = [item for item, _ in papers]
    files = {
        pack: _pack(meeting, listed, public, pdfs, templates, when,
                    f"Agenda pack – {meeting.committee}, {long_date(meeting.date)}", workers),
        page: _agenda_page(meeting, listed, links, pack.name, templates).encode("utf-8"),
        **{output / name: data for name, data in copies.items()},
    }
    if exempt:
        files[private] = _pack(meeting, exempt, exempt, pdfs, templates, when,
                               f"Exempt items, not for publication – {meeting.committee}, {long_date(meeting.date)}",
                               workers, restricted=True)
    for path, data in files.items():
        write_atomic(path, data)
    cache.record(key, output, {path.name: files[path] for path in shown_beside}, f"{stem}-meeting")
    if exempt:
        cache.record(key, private.parent, {private.name: files[private]}, f"{stem}-private")
    return targets, True


def _linked(papers: list[tuple[Item, list[Path]]], pdfs: ItemPdfs, stem: str) -> tuple[dict[str, str], dict[str, bytes]]:
    """Each public item's page to link to, by item number: its web page where papers built
    it, else its PDF (a supplied PDF, or a Word paper's conversion), to be copied beside the
    papers; and those copies, by name."""
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
    return links, copies


def _pack(meeting: Meeting, listed: list[Item], included: list[Item], pdfs: ItemPdfs, templates: Path, when,
          title: str, workers: Workers, restricted: bool = False) -> bytes:
    """A pack: a front sheet listing ``listed`` items, then ``included`` items' PDFs; with
    ``restricted`` (the private pack), every page marked as not for publication, with the
    paragraph of Schedule 12A its item is exempt under."""
    pdf, html, agenda = lazy.pdf(), lazy.html(), lazy.agenda()
    inside = {item.number for item in included}
    contents = [(item, pdfs[item.number] if item.number in inside else []) for item in listed]
    pages = [[pdf.page_count(data) for _, data in found] for _, found in contents]
    counts = [sum(each) for each in pages]
    head = f"{meeting.committee} – {long_date(meeting.date)}"
    front_pages = 1  # an agenda fits a page, mostly: laid out once more if not
    for _ in range(4):  # the numbers can change the front sheet's length; settle them
        first_pages, number = {}, front_pages + 1
        for (item, found), count in zip(contents, counts):
            if found:
                first_pages[item.number] = number
            number += count
        rows = [row(item, f"https://pack.invalid/#pack-page-{first_pages[item.number]}" if item.number in first_pages
                    else "", f"page {first_pages.get(item.number, '')}") for item, _ in contents]
        # The front sheet and the pack's page numbers, side by side. The front sheet has no
        # furniture of its own: its title block names the meeting, and its only page number
        # is the pack's, so that no "Page 1 of 1" sits beside "Pack page 1".
        front = [Part(agenda.agenda_html(meeting, rows, templates, stylesheets=html.PDF_STYLESHEETS), title, title, when)]
        notes = _not_for_publication(front_pages, contents, counts) if restricted else ()
        heads = _running_heads(head, front_pages, contents, pages)
        stamps = parts.furniture(html.Furniture("pack", notes=notes, heads=heads), number - 1, templates, when)
        laid, _ = parts.lay_out(front + stamps, templates, workers)
        if laid[0].pages == front_pages:
            break
        front_pages = laid[0].pages
    sheet = pdf.join([laid[0].data], [])
    sources = [pdf.TitledPdf(data, name) for _, found in contents for name, data in found]
    return pdf.assemble(pdf.TitledPdf(sheet, "Agenda"), sources, [done.data for done in laid[1:]], title=title)


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


def _agenda_page(meeting: Meeting, listed: list[Item], links: dict[str, str], pack_name: str, templates: Path) -> str:
    """The meeting's web page: the agenda, each public item linking to its paper, and the pack."""
    rows = []
    for item in listed:
        href = "" if item.exempt else links.get(item.number, "")
        kind = "PDF" if href.endswith(".pdf") else "web page"
        rows.append(row(item, href, f"Item {item.number} paper ({kind})"))
    return lazy.agenda().agenda_html(meeting, rows, templates, page_heading="Paper", pack_href=pack_name)
