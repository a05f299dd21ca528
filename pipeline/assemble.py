"""A meeting built: each paper on its own, then the agenda pack, the private pack of exempt
items, and the meeting's web page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.build import TEMPLATES, Build, Progress, build_rounds, clear_temporaries, document_date, read_round
from pipeline.cache import CACHE_DIR, Cache
from pipeline.config import ConfigError
from pipeline.filenames import shown, slug, write_atomic
from pipeline.meeting import Item, Meeting, PaperKind
from pipeline.model import Problem, Round, Severity, Source
from pipeline.short_paper import read_short_paper
from pipeline.vocabulary import long_date

PRIVATE = "private"  # the folder, inside output/, for exempt items: never published


@dataclass
class MeetingBuild:
    """What a meeting's build produced: the round (if an item reports on one), each item's
    paper, and every problem found on the way."""

    round: Round | None
    papers: list[tuple[Item, Build | None]]
    problems: list[Problem]
    written: list[Path] = field(default_factory=list)


def build_meeting(inputs: Path, output: Path, meeting: Meeting, templates: Path = TEMPLATES,
                  progress: Progress | None = None) -> MeetingBuild:
    """Every paper of ``meeting`` on its own, then the packs and the meeting's page."""
    clear_temporaries(output)
    cache = Cache(output, templates)
    needs_round = any(item.kind is PaperKind.ROUND for item in meeting.items)
    round_ = read_round(inputs, cache, progress) if needs_round else None
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
    builds = dict(zip(rounds, build_rounds(list(rounds.values()), cache, templates, progress)))
    for item in meeting.items:
        build = builds.get(item.number)
        result.papers.append((item, build))
        result.written += build.written if build else []

    stem = f"{meeting.date.isoformat()}-{slug(meeting.committee)}"
    public = [(item, build) for item, build in result.papers if not item.exempt]
    exempt = [(item, build) for item, build in result.papers if item.exempt]
    pack = output / f"{stem}-pack.pdf"
    private = output / PRIVATE / f"{stem}-private-pack.pdf"
    page = output / f"{stem}-agenda.html"
    targets = [pack, page] + ([private] if exempt else [])
    # The packs and the page are made from the papers' PDFs, the supplied files and the
    # agenda: when none of those changed, they are current and are not assembled again.
    key = cache.render_key(meeting, [_fingerprint(item, build) for item, build in result.papers])
    if not cache.outputs_current(key, targets, f"{stem}-meeting"):
        if progress:
            progress("Assembling the agenda pack")
        files = {}
        links = _publish_supplied(public, output, stem, document_date(meeting.date))
        files[pack] = _pack(meeting, result.papers, public, output / CACHE_DIR / "converted", templates,
                            f"Agenda pack – {meeting.committee}, {long_date(meeting.date)}", result.problems)
        if exempt:
            files[private] = _pack(meeting, exempt, exempt, output / PRIVATE / CACHE_DIR / "converted", templates,
                                   f"Exempt items, not for publication – {meeting.committee}, {long_date(meeting.date)}",
                                   result.problems)
        files[page] = _agenda_page(meeting, result.papers, links, pack.name, templates).encode("utf-8")
        for path, data in files.items():
            write_atomic(path, data)
        cache.record(key, {path.name: data for path, data in files.items()}, f"{stem}-meeting")
    else:
        _check_tags(result.papers, result.problems)
    result.written += targets
    return result


def _fingerprint(item: Item, build: Build | None) -> str:
    """What an item brings to the pack, as a digest of its files' bytes."""
    import hashlib

    digest = hashlib.sha256(repr(item).encode("utf-8", "surrogateescape"))
    paths = [p for p in (build.written if build else []) if p.suffix == ".pdf"]
    if build is None and item.paper is not None and item.kind in (PaperKind.PDF, PaperKind.WORD):
        paths.append(item.paper)
    for path in [*paths, *item.appendices]:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def _check_tags(papers, problems: list[Problem]) -> None:
    """Name the supplied PDFs without tags again, when the pack itself is current."""
    from pipeline.render import pack

    for item, _ in papers:
        if item.exempt:
            continue
        supplied = ([item.paper] if item.kind is PaperKind.PDF else []) + [a for a in item.appendices if a.suffix.lower() == ".pdf"]
        for path in supplied:
            if not pack.is_tagged(path.read_bytes()):
                problems.append(_untagged(f"Item {item.number}: {item.title}" if path == item.paper else
                                          f"Item {item.number}, appendix {item.appendices.index(path) + 1}: {shown(path.stem)}"))


def _untagged(name: str) -> Problem:
    return Problem(
        Severity.WARNING, Source(name), "is a PDF without tags: the pack includes it, but a screen "
        "reader cannot follow it, so the pack is not accessible",
        "ask its author for the Word file or a tagged PDF (in Word: Save As PDF, Options, "
        "'Document structure tags for accessibility')")


def _publish_supplied(public, output: Path, stem: str, when) -> dict[str, str]:
    """Each public item's page to link to: its web page where papers built it, else its PDF
    (a supplied PDF copied beside the papers; a Word paper, its PDF from the conversion)."""
    from pipeline.convert import word_to_pdf

    links: dict[str, str] = {}
    for item, build in public:
        if build is not None:
            links[item.number] = next(p.name for p in build.written if p.suffix == ".html")
        elif item.kind in (PaperKind.PDF, PaperKind.WORD):
            name = f"{stem}-item-{slug(item.number)}-{slug(item.title)}.pdf"
            if item.kind is PaperKind.PDF:
                data: bytes | Problem = item.paper.read_bytes()
            else:
                data = word_to_pdf(item.paper, output / CACHE_DIR / "converted", when)
            if isinstance(data, bytes):
                write_atomic(output / name, data)
                links[item.number] = name
    return links


def _item_pdfs(item: Item, build: Build | None, converted: Path, problems: list[Problem], when) -> list[tuple[str, bytes]]:
    """The item's paper and appendices as PDFs, each with its bookmark title."""
    from pipeline.convert import word_to_pdf

    heading = f"Item {item.number}: {item.title}"
    files = []
    if build is not None:
        files.append((heading, next(p for p in build.written if p.suffix == ".pdf")))
    elif item.paper is not None and item.kind in (PaperKind.PDF, PaperKind.WORD):
        files.append((heading, item.paper))
    files += [(f"Item {item.number}, appendix {n}: {shown(a.stem)}", a) for n, a in enumerate(item.appendices, start=1)]
    out = []
    for title, path in files:
        data = word_to_pdf(path, converted, when) if path.suffix.lower() == ".docx" else path.read_bytes()
        if isinstance(data, Problem):
            if data not in problems:
                problems.append(data)
            continue
        from pipeline.render import pack

        why = pack.readable(data)
        if why:
            problems.append(Problem(Severity.ERROR, Source(shown(path.name)), f"{why}, so it is left out of the pack",
                                    "ask its author to save it again as PDF (or send the Word file)"))
            continue
        out.append((title, data))
    return out


def _pack(meeting: Meeting, listed, included, converted: Path, templates: Path, title: str,
          problems: list[Problem]) -> bytes:
    """A pack: a front sheet listing ``listed`` items, then ``included`` items' papers."""
    from pipeline.render import pack
    from pipeline.render.agenda import agenda_html, stamps_html
    from pipeline.render.html import PDF_STYLESHEETS
    from pipeline.render.pdf import render_pdf

    inside = {item.number for item, _ in included}
    parts: list[tuple[Item, list[tuple[str, bytes]]]] = []
    for item, build in listed:
        pdfs = _item_pdfs(item, build, converted, problems, document_date(meeting.date)) if item.number in inside else []
        for name, data in pdfs:
            if not pack.is_tagged(data):
                problems.append(_untagged(name))
        parts.append((item, pdfs))
    when = document_date(meeting.date)

    def front(first_pages: dict[str, int]) -> bytes:
        rows = [{"number": i.number, "title": i.title, "purpose": i.purpose, "exempt": i.exempt,
                 "href": f"https://pack.invalid/#pack-page-{first_pages[i.number]}" if i.number in first_pages else "",
                 "link_text": f"page {first_pages.get(i.number, '')}"} for i, _ in parts]
        html = agenda_html(meeting, rows, templates, stylesheets=PDF_STYLESHEETS)
        return render_pdf(html, templates, title=title, subject=title, when=when)

    counts = [sum(pack.page_count(data) for _, data in pdfs) for _, pdfs in parts]
    front_pages = 1  # an agenda fits a page, mostly: laid out once more if not
    for _ in range(4):  # the numbers can change the front sheet's length; settle them
        first_pages, page = {}, front_pages + 1
        for (item, pdfs), count in zip(parts, counts):
            if pdfs:
                first_pages[item.number] = page
            page += count
        sheet = front(first_pages)
        if pack.page_count(sheet) == front_pages:
            break
        front_pages = pack.page_count(sheet)
    stamps = render_pdf(stamps_html(page - 1), templates, title="", subject="", when=when, tagged=False)
    sources = [pack.Source(data, name) for _, pdfs in parts for name, data in pdfs]
    return pack.assemble(pack.Source(sheet, "Agenda"), sources, stamps, title=title)


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
