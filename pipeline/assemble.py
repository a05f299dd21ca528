"""A meeting built: each paper on its own, then the agenda pack, the private pack of exempt
items, and the meeting's web page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.build import (
    PRIVATE, TEMPLATES, Build, Part, Progress, build_rounds, clear_temporaries, document_date, furniture_parts,
    lay_out_parts, read_round,
)
from pipeline.cache import CACHE_DIR, Cache
from pipeline.config import ConfigError
from pipeline.filenames import shown, slug, write_atomic
from pipeline.meeting import Item, Meeting, PaperKind
from pipeline.model import Problem, Round, Severity, Source
from pipeline.short_paper import read_short_paper
from pipeline.vocabulary import long_date
from pipeline.workers import Workers


@dataclass
class MeetingBuild:
    """What a meeting's build produced: the round (if an item reports on one), each item's
    paper, and every problem found on the way."""

    round: Round | None
    papers: list[tuple[Item, Build | None]]
    problems: list[Problem]
    written: list[Path] = field(default_factory=list)
    fresh: set[Path] = field(default_factory=set)
    """Those of ``written`` made by this run (the rest were up to date)."""


def build_meeting(inputs: Path, output: Path, meeting: Meeting, templates: Path = TEMPLATES,
                  progress: Progress | None = None) -> MeetingBuild:
    """Every paper of ``meeting`` on its own, then the packs and the meeting's page."""
    clear_temporaries(output)
    cache = Cache(output, templates)
    with Workers() as workers:
        return _build_meeting(inputs, output, meeting, templates, progress, cache, workers)


def _build_meeting(inputs: Path, output: Path, meeting: Meeting, templates: Path, progress: Progress | None,
                   cache: Cache, workers: Workers) -> MeetingBuild:
    from pipeline.convert import Conversion

    when = document_date(meeting.date)
    # LibreOffice converts the supplied Word papers in processes of its own, started first:
    # the papers are read and laid out meanwhile.
    conversions = {
        path: Conversion(path, (output / PRIVATE if item.exempt else output) / CACHE_DIR / "converted", when)
        for item in meeting.items
        for path in ([item.paper] if item.kind is PaperKind.WORD else []) + list(item.appendices)
        if path is not None and path.suffix.lower() == ".docx"
    }
    needs_round = any(item.kind is PaperKind.ROUND for item in meeting.items)
    round_ = read_round(inputs, cache, progress, workers) if needs_round else None
    cache.prune()
    result = MeetingBuild(round_, [], list(meeting.problems))
    rounds: dict[str, tuple[Round, Path]] = {}  # item number → its paper, and its folder
    for item in meeting.items:
        # An exempt item's papers go only to the private folder.
        folder = output / PRIVATE if item.exempt else output
        if item.kind is PaperKind.ROUND:
            rounds[item.number] = (round_, folder)
        elif item.kind is PaperKind.SHORT:
            try:
                paper, found = read_short_paper(item.paper, meeting.committee, meeting.date)
            except ConfigError as error:
                result.problems.append(error.problem)
            else:
                result.problems.extend(found)
                rounds[item.number] = (Round(paper, (), tuple(found)), folder)
    # Every paper laid out on its own, side by side on the machine's cores.
    builds = dict(zip(rounds, build_rounds(list(rounds.values()), cache, templates, progress, workers,
                                                keep_workers=True)))
    for item in meeting.items:
        build = builds.get(item.number)
        result.papers.append((item, build))
        result.written += build.written if build else []
        result.fresh.update(build.written if build and build.rebuilt else [])

    stem = f"{meeting.date.isoformat()}-{slug(meeting.committee)}"
    # Every item's PDFs, read (and Word papers converted) and checked once, whether or not
    # the packs need assembling: their problems belong in every run's report.
    sources = {
        item.number: _item_pdfs(item, build, conversions, result.problems)
        for item, build in result.papers
    }
    public = [(item, build) for item, build in result.papers if not item.exempt]
    exempt = [(item, build) for item, build in result.papers if item.exempt]
    pack = output / f"{stem}-pack.pdf"
    private = output / PRIVATE / f"{stem}-private-pack.pdf"
    page = output / f"{stem}-agenda.html"
    targets = [pack, page] + ([private] if exempt else [])
    # The packs and the page are made from those PDFs and the agenda: when none of them
    # changed, they are current and are not assembled again.
    key = cache.render_key(meeting, {n: [(t, hashlib.sha256(d).hexdigest()) for t, d in pdfs] for n, pdfs in sources.items()})
    if not cache.outputs_current(key, targets, f"{stem}-meeting"):
        if progress:
            progress("Assembling the agenda pack")
        files = {
            pack: _pack(meeting, result.papers, public, sources, templates,
                        f"Agenda pack – {meeting.committee}, {long_date(meeting.date)}", workers),
            page: _agenda_page(meeting, result.papers, _publish_supplied(public, sources, output, stem),
                               pack.name, templates).encode("utf-8"),
        }
        if exempt:
            files[private] = _pack(meeting, exempt, exempt, sources, templates,
                                   f"Exempt items, not for publication – {meeting.committee}, {long_date(meeting.date)}",
                                   workers)
        for path, data in files.items():
            write_atomic(path, data)
        cache.record(key, {path.name: data for path, data in files.items()}, f"{stem}-meeting")
        result.fresh.update(targets)
    result.written += targets
    return result


def _publish_supplied(public, sources, output: Path, stem: str) -> dict[str, str]:
    """Each public item's page to link to: its web page where papers built it, else its PDF
    (a supplied PDF, or a Word paper's conversion), copied beside the papers."""
    links: dict[str, str] = {}
    for item, build in public:
        if build is not None:
            links[item.number] = next(p.name for p in build.written if p.suffix == ".html")
        elif item.paper is not None and sources[item.number] and sources[item.number][0][0] == _heading(item):
            name = f"{stem}-item-{slug(item.number)}-{slug(item.title)}.pdf"
            write_atomic(output / name, sources[item.number][0][1])
            links[item.number] = name
    return links


def _heading(item: Item) -> str:
    return f"Item {item.number}: {item.title}"


def _item_pdfs(item: Item, build: Build | None, conversions: dict, problems: list[Problem]) -> list[tuple[str, bytes]]:
    """The item's paper and appendices as PDFs, each with its bookmark title; a supplied one
    that cannot go in is named and left out, and one without tags named."""
    from pipeline.render import pack

    out = []
    if build is not None:  # papers made it, and its manifest vouches for the bytes
        out.append((_heading(item), next(p for p in build.written if p.suffix == ".pdf").read_bytes()))
    supplied = [(_heading(item), item.paper)] if build is None and item.kind in (PaperKind.PDF, PaperKind.WORD) else []
    supplied += [(f"Item {item.number}, appendix {n}: {shown(a.stem)}", a) for n, a in enumerate(item.appendices, start=1)]
    for title, path in supplied:
        data = conversions[path].result() if path in conversions else path.read_bytes()
        if isinstance(data, Problem):
            problems.append(data)
            continue
        why, tagged = pack.inspect(data)
        if why:
            problems.append(Problem(Severity.ERROR, Source(shown(path.name)), f"{why}, so it is left out of the pack",
                                    "ask its author to save it again as PDF (or send the Word file)"))
            continue
        if not tagged:
            problems.append(Problem(
                Severity.WARNING, Source(title), "is a PDF without tags: the pack includes it, but a screen "
                "reader cannot follow it, so the pack is not accessible",
                "ask its author for the Word file or a tagged PDF (in Word: Save As PDF, Options, "
                "'Document structure tags for accessibility')"))
        out.append((title, data))
    return out


def _pack(meeting: Meeting, listed, included, sources: dict[str, list[tuple[str, bytes]]], templates: Path,
          title: str, workers: Workers) -> bytes:
    """A pack: a front sheet listing ``listed`` items, then ``included`` items' PDFs."""
    from pipeline.render import pack
    from pipeline.render.agenda import agenda_html
    from pipeline.render.html import PDF_STYLESHEETS, Furniture

    inside = {item.number for item, _ in included}
    parts = [(item, sources[item.number] if item.number in inside else []) for item, _ in listed]
    when = document_date(meeting.date)
    counts = [sum(pack.page_count(data) for _, data in pdfs) for _, pdfs in parts]
    front_pages = 1  # an agenda fits a page, mostly: laid out once more if not
    for _ in range(4):  # the numbers can change the front sheet's length; settle them
        first_pages, page = {}, front_pages + 1
        for (item, pdfs), count in zip(parts, counts):
            if pdfs:
                first_pages[item.number] = page
            page += count
        rows = [{"number": i.number, "title": i.title, "purpose": i.purpose, "exempt": i.exempt,
                 "href": f"https://pack.invalid/#pack-page-{first_pages[i.number]}" if i.number in first_pages else "",
                 "link_text": f"page {first_pages.get(i.number, '')}"} for i, _ in parts]
        # The front sheet, its own page furniture and the pack's page numbers, side by side.
        front = [Part(agenda_html(meeting, rows, templates, stylesheets=PDF_STYLESHEETS), title, title, when)]
        margins = furniture_parts(Furniture("paper", meeting.committee, long_date(meeting.date)), front_pages,
                                  templates, when)
        stamps = furniture_parts(Furniture("pack"), page - 1, templates, when)
        laid, _ = lay_out_parts(front + margins + stamps, templates, workers)
        if laid[0][1] == front_pages:
            break
        front_pages = laid[0][1]
    sheet = pack.join([laid[0][0]], [data for data, _ in laid[1:len(margins) + 1]])
    sources = [pack.Source(data, name) for _, pdfs in parts for name, data in pdfs]
    return pack.assemble(pack.Source(sheet, "Agenda"), sources, [data for data, _ in laid[len(margins) + 1:]], title=title)


def _agenda_page(meeting: Meeting, papers, links: dict[str, str], pack_name: str, templates: Path) -> str:
    """The meeting's web page: the agenda, each public item linking to its paper, and the pack."""
    from pipeline.render.agenda import agenda_html

    rows = []
    for item, _ in papers:
        href = "" if item.exempt else links.get(item.number, "")
        kind = "PDF" if href.endswith(".pdf") else "web page"
        rows.append({"number": item.number, "title": item.title, "purpose": item.purpose, "exempt": item.exempt,
                     "href": href, "link_text": f"Item {item.number} paper ({kind})"})
    return agenda_html(meeting, rows, templates, page_heading="Paper", pack_href=pack_name)
