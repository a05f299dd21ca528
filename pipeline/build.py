"""Papers built: each planned, its parts laid out, its page furniture, joined, written — the paper's flow, for a round alone and for every paper of a meeting.

``build_papers`` is the flow of any number of papers laid out side by side: *plan* what
each would write and skip those current, *lay out* the parts of each PDF (the Word files
and web pages made meanwhile), lay out the *page furniture* once the page counts are known
(each paper's parts *joined* meanwhile), draw it over the pages, *write* the four files.
A round alone is read and built by round/build.py; a meeting's papers by meeting/build.py.
The machinery lives where it belongs: the parts and their layout in parts.py, the PDF
surgery in the pdf package, the outputs' cache in machinery/cache.py. A paper of a
meeting is shown with the meeting's facts (:func:`of_meeting`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline import parts, pdf
from pipeline.filenames import CACHE_DIR, PRIVATE, TEMPLATES, remove_temporaries, shown, write_atomic
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress, Workers
from pipeline.parts import LaidOut, Part
from pipeline.publication import Publication
from pipeline.records.meeting import Item, Meeting
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.round import Round
from pipeline.render import html, word
from pipeline.render.summary import summary_text
from pipeline.render.view import PaperView, build_view
from pipeline.vocabulary import long_date


@dataclass
class Build:
    """What a run produced: the round, and the papers (written anew, or already current)."""

    round: Round
    written: list[Path] = field(default_factory=list)
    rebuilt: bool = True
    publication: Publication | None = None
    """The publication folder, when the build was a round's own (a meeting's has its own)."""

    @property
    def fresh(self) -> set[Path]:
        """Those of ``written`` made by this run (none, when they were all current)."""
        return set(self.written) if self.rebuilt else set()


@dataclass(frozen=True, eq=False)
class Plan:
    """What a build of one paper would write, into which folder, and under what key."""

    round: Round
    folder: Path
    view: PaperView
    summary: str
    when: dt.datetime
    key: str
    paths: list[Path]


def build_papers(papers: list[tuple[Round, Path]], cache: Cache, templates: Path = TEMPLATES,
                 progress: Progress | None = None, workers: Workers | None = None,
                 keep_workers: bool = False, meanwhile: Callable[[], object] | None = None) -> list[Build]:
    """Several papers (each a round, and its folder), those not current rebuilt side by side.
    Unless ``keep_workers`` (there is more to lay out), the workers stop once the laying out
    is done (each paper's parts joined meanwhile), so that the rest of the join has the memory.
    ``meanwhile`` is called while the workers lay out, if they do, once the Word files and
    web pages are made."""
    plans = [plan(round_, folder, cache, templates) for round_, folder in papers]
    stale = [p for p in plans if not cache.outputs_current(p.key, p.paths, p.view.file_stem)]
    if stale:
        with Workers(warm_up=parts.warm_up) if workers is None else contextlib.nullcontext(workers) as using:
            using.start()  # loading WeasyPrint while this process writes the parts' HTML
            if progress:
                progress(f"Laying out {stale[0].round.paper.title}" if len(stale) == 1 else f"Laying out {len(stale)} papers")
            bodies, laid, words, pages = _lay_out(stale, cache, templates, using, progress, meanwhile)
            for index, paged in _page_the_summary(stale, bodies, laid, cache, templates, using).items():
                # Its Word file refers to the returns by page too, and was left until the pages were known.
                words[index] = word.render_docx(stale[index].view, templates, stale[index].when, paged)
            margins, joining = _furniture(stale, bodies, laid, cache, templates, using)
            if not keep_workers:
                using.stop()
        for p, body, margin, docx, page in zip(stale, bodies, margins, words, pages):
            joined = joining.pop(0).finish([laid[key].data for key in margin])  # and then freed
            _write(p, cache, docx, joined, page, (*body, *margin))
    for folder in {p.folder for p in stale}:
        cache.prune_parts(folder)
    return [Build(p.round, p.paths, rebuilt=p in stale) for p in plans]


def plan(round_: Round, folder: Path, cache: Cache, templates: Path = TEMPLATES) -> Plan:
    """What building ``round_``'s paper into ``folder`` would write, and the key it would be written under."""
    view = build_view(round_)
    summary = summary_text(round_)
    when = document_date(round_.paper.meeting_date)
    paths = [folder / f"{view.file_stem}{suffix}" for suffix in (".docx", ".pdf", ".html", "-check.txt")]
    return Plan(round_, folder, view, summary, when, cache.render_key(view, summary, when), paths)


def document_date(meeting_date: dt.date) -> dt.datetime:
    """The date stamped into the papers: SOURCE_DATE_EPOCH when set, else the meeting's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(meeting_date, dt.time(12))


def clear_temporaries(output: Path) -> None:
    # A build killed mid-write (power cut, kill -9) leaves temporaries; the papers it was
    # replacing are whole, old or new, and each paper's manifest says which set is current.
    # (A publish stopped part way is finished or undone as its record is read: versions.py.)
    for base in (output, output / PRIVATE):
        for folder in (base, base / CACHE_DIR, *(base / CACHE_DIR / kept for kept in ("intake", "parts", "prepared", "converted"))):
            remove_temporaries(folder)
    for folder in ("publish", "outbox", "outbox/agenda", "outbox/chase", "forms"):
        remove_temporaries(output / folder)


Keyed = dict[str, tuple[Part, Path]]
"""Parts to lay out by their keys, each with the folder of the paper it belongs to."""


def _lay_out(stale: list[Plan], cache: Cache, templates: Path, workers: Workers, progress: Progress | None,
             meanwhile: Callable[[], object] | None = None
             ) -> tuple[list[Keyed], dict[str, LaidOut], list[bytes | None], list[bytes]]:
    """The parts of each paper's PDF (the report, then its returns a few at a time), laid out
    or kept; and, made meanwhile, each paper's Word file (None for one that waits for the
    pages of its returns: _page_the_summary) and its web page, then ``meanwhile`` called."""
    bodies = []
    for p in stale:
        subject = f"{p.view.committee}, {p.view.meeting_date}"
        body = [Part(html, p.view.title, subject, p.when) for html in html.render_parts(p.view, templates, created=p.when)]
        bodies.append({cache.render_key(part): (part, p.folder) for part in body})
    def made_meanwhile() -> tuple[list[bytes | None], list[bytes]]:
        made = _word_and_web(stale, templates)
        if meanwhile is not None:
            meanwhile()
        return made

    laid, (words, pages) = parts.lay_out_kept({k: v for body in bodies for k, v in body.items()}, cache, templates,
                                              workers, progress, meanwhile=made_meanwhile)
    return bodies, laid, words, pages


def _word_and_web(stale: list[Plan], templates: Path) -> tuple[list[bytes | None], list[bytes]]:
    """Each paper's Word file (None for one that waits for the pages of its returns) and web
    page: what this process makes while the workers lay out."""
    words = [None if _summary_has_pages(p) else word.render_docx(p.view, templates, p.when) for p in stale]
    return words, [html.render_html(p.view, templates, created=p.when).encode("utf-8") for p in stale]


def _summary_has_pages(p: Plan) -> bool:
    """Whether ``p``'s paper says what changed since the last report, each return with its page."""
    return p.view.with_returns and bool(p.round.changes.comparisons)


def _page_the_summary(stale: list[Plan], bodies: list[Keyed], laid: dict[str, LaidOut], cache: Cache,
                      templates: Path, workers: Workers) -> dict[int, dict[str, int]]:
    """The PDF's summary of what changed since the last report given the page each return
    starts on, once the returns are laid out: the report part laid out again with them
    (and again, should that move them), in place of the first in ``bodies`` and ``laid``.
    The pages, for each paper (by its index in ``stale``) that has such a summary."""
    paged = {}
    for index, p in enumerate(stale):
        if not _summary_has_pages(p):
            continue
        (first, (part, folder)), *rest = bodies[index].items()
        for _ in range(3):  # a page number's few characters seldom move a page; three passes settle it
            pages = _return_pages(p.view, [laid[first], *(laid[key] for key, _ in rest)])
            (front,) = html.render_parts(build_view(p.round, pages), templates, created=p.when, report_only=True)
            part = dataclasses.replace(part, html=front)
            key = cache.render_key(part)
            if key == first:
                break
            laid.update(parts.lay_out_kept({key: (part, folder)}, cache, templates, workers)[0])
            first = key
        bodies[index] = {first: (part, folder), **dict(rest)}
        paged[index] = pages
    return paged


def _return_pages(view: PaperView, laid: list[LaidOut]) -> dict[str, int]:
    """The page of the PDF each partnership's return starts on, by its id, read from the
    bookmarks of the parts (the report, then the returns a few at a time)."""
    pages: dict[str, int] = {}
    entries = iter(view.entries)
    entry = next(entries, None)
    offset = laid[0].pages
    for part in laid[1:]:
        for title, page in pdf.headings(part.data):
            if entry is not None and title == entry.heading:
                pages[entry.id] = offset + page
                entry = next(entries, None)
        offset += part.pages
    return pages


def _furniture(stale: list[Plan], bodies: list[Keyed], laid: dict[str, LaidOut], cache: Cache, templates: Path,
               workers: Workers) -> tuple[list[Keyed], list[pdf.Joining]]:
    """Each paper's page furniture (running head, "Page N of M"), once its page count is
    known, laid out or kept (added to ``laid``); and, meanwhile, each paper's parts joined,
    ready for it."""
    margins = []
    for p, body in zip(stale, bodies):
        pages = sum(laid[key].pages for key in body)
        furniture = html.Furniture(p.view.committee, p.view.meeting_date).pages_html(pages, templates)
        margins.append({cache.render_key(part): (part, p.folder) for part in parts.furniture(furniture, p.when)})
    furniture, joining = parts.lay_out_kept(
        {k: v for margin in margins for k, v in margin.items()}, cache, templates, workers,
        meanwhile=lambda: [pdf.Joining([laid[key].data for key in body]) for body in bodies])
    laid.update(furniture)
    return margins, joining


def _write(p: Plan, cache: Cache, docx: bytes, pdf: bytes, page: bytes, part_keys: tuple[str, ...]) -> None:
    """``p``'s four files written, and recorded (with the parts its PDF was made of) as current."""
    stem = p.view.file_stem
    files = {
        f"{stem}.docx": docx,
        f"{stem}.pdf": pdf,
        f"{stem}.html": page,
        f"{stem}-check.txt": p.summary.encode("utf-8"),
    }
    for name, data in files.items():
        write_atomic(p.folder / name, data)
    cache.record(p.key, p.folder, files, stem, part_keys)


def of_meeting(round_: Round, item: Item, meeting: Meeting) -> tuple[Round, list[Problem]]:
    """``round_`` as the paper of ``item`` at ``meeting``: its committee, date and agenda item
    the meeting's (and so its files named by the meeting's date); where the paper said
    otherwise, a warning naming what it said."""
    paper = round_.paper
    said = [f"{what} '{own}'" for what, own, truth in (
        ("committee", paper.committee, meeting.committee),
        ("meeting date", long_date(paper.meeting_date), long_date(meeting.date)),
        ("agenda item", paper.agenda_item or item.number, item.number)) if own.casefold() != truth.casefold()]
    problems = [Problem(
        Severity.WARNING, Source(shown(item.paper.name)),
        f"says {', '.join(said)}, but it is item {item.number} of the {meeting.committee} on {long_date(meeting.date)}: "
        "it is shown with the meeting's",
        "take the committee, meeting date and agenda item out of the paper's own settings: a paper of a "
        "meeting takes them from meeting.toml")] if said else []
    paper = dataclasses.replace(paper, committee=meeting.committee, meeting_date=meeting.date, agenda_item=item.number)
    return dataclasses.replace(round_, paper=paper), problems


def as_in_meeting(round_: Round, meeting: Meeting | None) -> Round:
    """The partnership round as the meeting shows it (its committee, date and agenda item),
    where ``meeting`` lists it; else as it stands."""
    item = next((i for i in meeting.items if i.paper is not None and i.paper.name == "paper.toml"), None) if meeting else None
    return of_meeting(round_, item, meeting)[0] if item else round_
