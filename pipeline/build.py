"""The whole flow in one place: config → intake → collate → render → output."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

from pipeline.cache import CACHE_DIR, Cache
from pipeline.collate import collate
from pipeline.config import ConfigError, load_config
from pipeline.meeting import Item, Meeting, PaperKind
from pipeline.filenames import remove_temporaries, shown, slug, write_atomic
from pipeline.intake import find_returns, read_return
from pipeline.intake.files import find_lookalikes, lock_file_warnings
from pipeline.model import Problem, Return, Round, Severity, Source
from pipeline.render.summary import summary_text
from pipeline.render.view import build_view
from pipeline.short_paper import read_short_paper
from pipeline.vocabulary import long_date

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

Progress = Callable[[str], None]
"""Told how long work is getting on ("Read 40 of 480 returns"); the CLI shows it on a terminal."""


@dataclass
class Build:
    """What a run produced: the round, and the papers (written anew, or already current)."""

    round: Round
    written: list[Path] = field(default_factory=list)
    rebuilt: bool = True


def read_round(inputs: Path, cache: Cache | None = None, progress: Progress | None = None) -> Round:
    """Read the configuration and every return in ``inputs`` into a Round."""
    config = load_config(inputs)
    returns: list[Return] = []
    problems: list[Problem] = [*config.problems, *lock_file_warnings(inputs)]
    unreadable: list[str] = []
    questions = config.paper.questions
    paths = find_returns(inputs)
    for done, path in enumerate(paths, start=1):
        ret, found = cache.read_return(path, questions, read_return) if cache else read_return(path, questions)
        problems.extend(found)
        if ret is not None:
            returns.append(ret)
        else:
            unreadable.append(shown(path.name))
        if progress:
            progress(f"Read {done} of {len(paths)} returns")
    for path, problem in find_lookalikes(inputs):
        problems.append(problem)
        unreadable.append(shown(path.name))
    round_ = collate(config.paper, config.registry, returns, problems, tuple(unreadable))
    from pipeline.render.coverage import font_problems  # fontTools only when text needs it

    return dataclasses.replace(round_, problems=round_.problems + tuple(font_problems(round_, TEMPLATES / "fonts")))


def document_date(meeting_date: dt.date) -> dt.datetime:
    """The date stamped into the papers: SOURCE_DATE_EPOCH when set, else the meeting's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(meeting_date, dt.time(12))


@contextlib.contextmanager
def _second_process():
    """A worker process for work that can run beside the PDF's layout, where forking is safe."""
    # Fork only on Linux (it is unsafe on macOS), and only with a second core to use.
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        yield None
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def render_files(
    view, summary: str, templates: Path, when: dt.datetime, progress: Progress | None = None
) -> dict[str, bytes]:
    """Every output of the paper by name: Word (in a second process), HTML, PDF, check."""
    # Imported here, not at the top: an up-to-date rebuild renders nothing.
    from pipeline.render.html import PDF_STYLESHEETS, render_html
    from pipeline.render.pdf import render_pdf
    from pipeline.render.word import render_docx

    with _second_process() as pool:
        word = pool.submit(render_docx, view, templates, when) if pool else None
        html = render_html(view, templates, created=when)
        pdf = render_pdf(
            render_html(view, templates, created=when, stylesheets=PDF_STYLESHEETS),
            templates,
            title=view.title,
            subject=f"{view.committee}, {view.meeting_date}",
            when=when,
            progress=progress,
        )
        docx = word.result() if word else render_docx(view, templates, when)
    return {
        f"{view.file_stem}.docx": docx,
        f"{view.file_stem}.pdf": pdf,
        f"{view.file_stem}.html": html.encode("utf-8"),
        f"{view.file_stem}-check.txt": summary.encode("utf-8"),
    }


@dataclass
class _Plan:
    """What a build of one paper would write, and under what key."""

    round: Round
    view: object
    summary: str
    when: dt.datetime
    key: str
    paths: list[Path]


def _plan(round_: Round, output: Path, cache: Cache) -> _Plan:
    view = build_view(round_)
    summary = summary_text(round_)
    when = document_date(round_.paper.meeting_date)
    paths = [output / f"{view.file_stem}{suffix}" for suffix in (".docx", ".pdf", ".html", "-check.txt")]
    return _Plan(round_, view, summary, when, cache.render_key(view, summary, when), paths)


def papers_current(inputs: Path, output: Path, templates: Path = TEMPLATES) -> tuple[Round, bool]:
    """The round, and whether the papers in ``output`` are what building it would write now."""
    cache = Cache(output, templates)
    plan = _plan(read_round(inputs, cache), output, cache)
    return plan.round, cache.outputs_current(plan.key, plan.paths, plan.view.file_stem)


def _clear_temporaries(output: Path) -> None:
    # A build killed mid-write (power cut, kill -9) leaves temporaries; the papers it was
    # replacing are whole, old or new, and each paper's manifest says which set is current.
    for folder in (output, output / CACHE_DIR, output / CACHE_DIR / "intake"):
        remove_temporaries(folder)


def build_round(round_: Round, output: Path, cache: Cache, templates: Path = TEMPLATES,
                progress: Progress | None = None) -> Build:
    """Write one paper's Word, PDF, HTML and check report, unless they are already current."""
    plan = _plan(round_, output, cache)
    stem = plan.view.file_stem
    if cache.outputs_current(plan.key, plan.paths, stem):
        return Build(plan.round, plan.paths, rebuilt=False)
    if progress:
        progress(f"Laying out {plan.round.paper.title}")
    files = render_files(plan.view, plan.summary, templates, plan.when, progress)
    for name, data in files.items():
        write_atomic(output / name, data)
    cache.record(plan.key, files, stem)
    return Build(plan.round, [output / name for name in files])


def build_papers(inputs: Path, output: Path, templates: Path = TEMPLATES, progress: Progress | None = None) -> Build:
    """Build the papers for the round in ``inputs`` into ``output``, reusing what is current."""
    _clear_temporaries(output)
    cache = Cache(output, templates)
    round_ = read_round(inputs, cache, progress)
    cache.prune()
    return build_round(round_, output, cache, templates, progress)


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
    """Build every paper of ``meeting`` that papers makes, each on its own, into ``output``."""
    _clear_temporaries(output)
    cache = Cache(output, templates)
    needs_round = any(item.kind is PaperKind.ROUND for item in meeting.items)
    round_ = read_round(inputs, cache, progress) if needs_round else None
    cache.prune()
    result = MeetingBuild(round_, [], list(meeting.problems))
    for item in meeting.items:
        build = None
        if item.kind is PaperKind.ROUND:
            build = build_round(round_, output, cache, templates, progress)
        elif item.kind is PaperKind.SHORT:
            try:
                paper, found = read_short_paper(item.paper, meeting.committee, meeting.date)
            except ConfigError as error:
                result.problems.append(error.problem)
            else:
                result.problems.extend(found)
                build = build_round(Round(paper, (), tuple(found)), output, cache, templates, progress)
        result.papers.append((item, build))
        result.written += build.written if build else []
    pack = _pack(meeting, result, output, templates, progress)
    if pack is not None:
        result.written.append(pack)
    return result


def _item_pdfs(item: Item, build: Build | None, converted: Path, problems: list[Problem]) -> list[tuple[str, bytes]]:
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
        data = word_to_pdf(path, converted) if path.suffix.lower() == ".docx" else path.read_bytes()
        if isinstance(data, Problem):
            problems.append(data)
            continue
        out.append((title, data))
    return out


def _pack(meeting: Meeting, result: MeetingBuild, output: Path, templates: Path, progress: Progress | None) -> Path | None:
    """The public agenda pack: the front sheet, then every public item's paper and appendices."""
    from pipeline.render import pack
    from pipeline.render.agenda import agenda_html, stamps_html
    from pipeline.render.html import PDF_STYLESHEETS
    from pipeline.render.pdf import render_pdf

    if progress:
        progress("Assembling the agenda pack")
    converted = output / CACHE_DIR / "converted"
    parts: list[tuple[Item, list[tuple[str, bytes]]]] = []
    for item, build in result.papers:
        pdfs = [] if item.exempt else _item_pdfs(item, build, converted, result.problems)
        for title, data in pdfs:
            if not pack.is_tagged(data):
                result.problems.append(Problem(
                    Severity.WARNING, Source(title), "is a PDF without tags: the pack includes it, but a screen "
                    "reader cannot follow it, so the pack is not accessible",
                    "ask its author for the Word file or a tagged PDF (in Word: Save As PDF, Options, "
                    "'Document structure tags for accessibility')"))
        parts.append((item, pdfs))
    when = document_date(meeting.date)
    title = f"Agenda pack – {meeting.committee}, {long_date(meeting.date)}"

    def front(first_pages: dict[str, int]) -> bytes:
        rows = [{"number": i.number, "title": i.title, "purpose": i.purpose, "exempt": i.exempt,
                 "href": f"https://pack.invalid/#pack-page-{first_pages[i.number]}" if i.number in first_pages else "",
                 "link_text": f"page {first_pages.get(i.number, '')}"} for i, _ in parts]
        html = agenda_html(meeting, rows, templates, stylesheets=PDF_STYLESHEETS)
        return render_pdf(html, templates, title=title, subject=title, when=when)

    counts = [[pack.page_count(data) for _, data in pdfs] for _, pdfs in parts]
    front_pages = pack.page_count(front({i.number: 999 for i, pdfs in parts if pdfs}))
    for _ in range(3):  # the numbers can change the front sheet's length; settle them
        first_pages, page = {}, front_pages + 1
        for (item, pdfs), item_counts in zip(parts, counts):
            if pdfs:
                first_pages[item.number] = page
            page += sum(item_counts)
        sheet = front(first_pages)
        if pack.page_count(sheet) == front_pages:
            break
        front_pages = pack.page_count(sheet)
    total = page - 1
    stamps = render_pdf(stamps_html(total), templates, title="", subject="", when=when, tagged=False)
    sources = [pack.Source(data, name) for _, pdfs in parts for name, data in pdfs]
    data = pack.assemble(pack.Source(sheet, "Agenda"), sources, stamps, title=title)
    path = output / f"{meeting.date.isoformat()}-{slug(meeting.committee)}-pack.pdf"
    write_atomic(path, data)
    return path
