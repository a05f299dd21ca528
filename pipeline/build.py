"""The whole flow in one place: config → intake → collate → render → output."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from pipeline.cache import CACHE_DIR, Cache
from pipeline.collate import collate
from pipeline.config import load_config
from pipeline.filenames import remove_temporaries, shown, write_atomic
from pipeline.intake import find_returns, read_return
from pipeline.intake.files import find_lookalikes, lock_file_warnings
from pipeline.model import Problem, Return, Round
from pipeline.render.summary import summary_text
from pipeline.render.view import build_view
from pipeline.workers import Workers

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PRIVATE = "private"  # the folder, inside output/, for exempt items: never published

Progress = Callable[[str], None]
"""Told how long work is getting on ("Read 40 of 480 returns"); the CLI shows it on a terminal."""


@dataclass
class Build:
    """What a run produced: the round, and the papers (written anew, or already current)."""

    round: Round
    written: list[Path] = field(default_factory=list)
    rebuilt: bool = True


def read_round(inputs: Path, cache: Cache | None = None, progress: Progress | None = None,
               workers: Workers | None = None) -> Round:
    """Read the configuration and every return in ``inputs`` into a Round: the returns not
    read before, by ``workers`` too when given (which then start loading the layout engine)."""
    config = load_config(inputs)
    problems: list[Problem] = [*config.problems, *lock_file_warnings(inputs)]
    questions = config.paper.questions
    paths = find_returns(inputs)
    kept = [cache.kept_return(path, questions) if cache else ("", None) for path in paths]
    todo = [path for path, (_, result) in zip(paths, kept) if result is None]
    if todo and workers is not None and cache is not None:
        workers.start()  # a return changed, so there is laying out to come: get ready for it

    def read(index: int, result) -> None:
        if progress:
            progress(f"Read {len(paths) - len(todo) + index + 1} of {len(paths)} returns")

    fresh, _ = (workers or Workers(usable=False)).map(partial(read_return, questions=questions), todo, done=read)
    fresh_results = iter(fresh)
    returns: list[Return] = []
    unreadable: list[str] = []
    for path, (key, result) in zip(paths, kept):
        if result is None:
            result = next(fresh_results)
            if cache:
                cache.keep_return(key, result)
        ret, found = result
        problems.extend(found)
        if ret is not None:
            returns.append(ret)
        else:
            unreadable.append(shown(path.name))
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


def clear_temporaries(output: Path) -> None:
    # A build killed mid-write (power cut, kill -9) leaves temporaries; the papers it was
    # replacing are whole, old or new, and each paper's manifest says which set is current.
    for base in (output, output / PRIVATE):
        for folder in (base, base / CACHE_DIR, base / CACHE_DIR / "intake", base / CACHE_DIR / "parts"):
            remove_temporaries(folder)


def build_round(round_: Round, output: Path, cache: Cache, templates: Path = TEMPLATES,
                progress: Progress | None = None, workers: Workers | None = None) -> Build:
    """Write one paper's Word, PDF, HTML and check report, unless they are already current."""
    (build,) = build_rounds([(round_, output)], cache, templates, progress, workers)
    return build


def build_rounds(papers: list[tuple[Round, Path]], cache: Cache, templates: Path = TEMPLATES,
                 progress: Progress | None = None, workers: Workers | None = None,
                 keep_workers: bool = False) -> list[Build]:
    """Several papers (each a round, and its folder), the ones not current rebuilt: the parts
    of their PDFs not laid out before laid out by the ``workers``, their Word files made
    meanwhile. Unless ``keep_workers`` (there is more to lay out), the workers are stopped
    once the laying out is done, so that putting the parts together has the memory."""
    plans = [(_plan(round_, output, cache), output) for round_, output in papers]
    stale = [(plan, output) for plan, output in plans
             if not cache.outputs_current(plan.key, plan.paths, plan.view.file_stem)]
    if stale:
        with Workers() if workers is None else contextlib.nullcontext(workers) as using:
            rendered = _render(stale, cache, templates, progress, using, keep_workers)
    else:
        rendered = []
    for (plan, output), (files, parts) in zip(stale, rendered):
        for name, data in files.items():
            write_atomic(output / name, data)
        cache.record(plan.key, files, plan.view.file_stem, parts)
    for folder in {output for _, output in stale}:
        cache.prune_parts(folder)
    fresh = {id(plan) for plan, _ in stale}
    return [Build(plan.round, plan.paths, rebuilt=id(plan) in fresh) for plan, _ in plans]


@dataclass(frozen=True)
class Part:
    """One part of a PDF to lay out (a paper's, or its page furniture): what render.pdf.lay_out
    is given."""

    html: str
    title: str
    subject: str
    when: dt.datetime
    tagged: bool = True


def furniture_parts(furniture, total: int, templates: Path, when: dt.datetime) -> list[Part]:
    """The page furniture (an html.Furniture) of ``total`` pages, as parts to lay out."""
    return [Part(html, "", "", when, tagged=False) for html in furniture.pages_html(total, templates)]


def lay_out_parts(parts: list[Part], templates: Path, workers: Workers, meanwhile: Callable[[], object] | None = None,
                  done: Callable[[int, tuple[bytes, int]], None] | None = None) -> tuple[list[tuple[bytes, int]], object]:
    """Each part's PDF and page count, laid out by the workers side by side, and what
    ``meanwhile`` returned (run here as they work); ``done`` is told of each part laid out."""
    return workers.map(partial(_lay_out, templates=templates), parts, helping=False, meanwhile=meanwhile, done=done)


def _lay_out(part: Part, templates: Path) -> tuple[bytes, int]:
    from pipeline.render.pack import page_count
    from pipeline.render.pdf import lay_out

    data = lay_out(part.html, templates, part.title, part.subject, part.when, part.tagged)
    return data, page_count(data)


def _lay_out_all(parts: dict[str, tuple[Part, Path]], cache: Cache, templates: Path, workers: Workers,
                 progress: Progress | None = None,
                 meanwhile: Callable[[], object] | None = None) -> tuple[dict[str, tuple[bytes, int]], object]:
    """Each part by key (given with the folder of the paper it belongs to): its PDF and page
    count, kept from an earlier build or laid out now by the workers; and what ``meanwhile``
    returned, called while the workers lay out."""
    from pipeline.render.pack import page_count

    laid = {}
    for key, (_, folder) in parts.items():
        data = cache.part(folder, key)
        # A kept part is read before it is used: one damaged (or not a PDF) is laid out again.
        pages = page_count(data) if data is not None else 0
        if pages:
            laid[key] = (data, pages)
    todo = [key for key in parts if key not in laid]

    def done(index: int, result: tuple[bytes, int]) -> None:
        cache.keep_part(parts[todo[index]][1], todo[index], result[0])
        if progress:
            progress(f"Laid out {index + 1} of {len(todo)} parts")

    results, other = lay_out_parts([parts[k][0] for k in todo], templates, workers, meanwhile, done)
    laid.update(zip(todo, results))
    return laid, other


def _render(papers: list[tuple[_Plan, Path]], cache: Cache, templates: Path, progress: Progress | None,
            workers: Workers, keep_workers: bool) -> list[tuple[dict[str, bytes], tuple[str, ...]]]:
    """Every output of each paper (a plan, and its folder) by name, and the keys of the parts
    its PDF was made of."""
    # Imported here, not at the top: an up-to-date rebuild renders nothing.
    from pipeline.render.html import Furniture, render_html, render_parts
    from pipeline.render.pack import join
    from pipeline.render.word import render_docx

    plans = [plan for plan, _ in papers]
    workers.start()  # loading WeasyPrint while this process writes the parts' HTML
    if progress:
        progress(f"Laying out {plans[0].round.paper.title}" if len(plans) == 1 else f"Laying out {len(plans)} papers")
    wanted: dict[str, tuple[Part, Path]] = {}
    keys: list[list[str]] = []
    for plan, folder in papers:
        subject = f"{plan.view.committee}, {plan.view.meeting_date}"
        parts = [Part(html, plan.view.title, subject, plan.when)
                 for html in render_parts(plan.view, templates, created=plan.when)]
        keys.append([cache.render_key(part) for part in parts])
        wanted.update((key, (part, folder)) for key, part in zip(keys[-1], parts))
    laid, words = _lay_out_all(wanted, cache, templates, workers, progress,
                               meanwhile=lambda: [render_docx(plan.view, templates, plan.when) for plan in plans])
    # The page furniture, once the page counts are known: more parts of each paper.
    furniture: dict[str, tuple[Part, Path]] = {}
    furniture_keys: list[list[str]] = []
    for (plan, folder), paper_keys in zip(papers, keys):
        total = sum(laid[key][1] for key in paper_keys)
        parts = furniture_parts(Furniture("paper", plan.view.committee, plan.view.meeting_date), total, templates,
                                plan.when)
        furniture_keys.append([cache.render_key(part) for part in parts])
        furniture.update((key, (part, folder)) for key, part in zip(furniture_keys[-1], parts))
    laid.update(_lay_out_all(furniture, cache, templates, workers)[0])
    if not keep_workers:
        workers.stop()
    out = []
    for plan, paper_keys, margins, docx in zip(plans, keys, furniture_keys, words):
        stem = plan.view.file_stem
        files = {
            f"{stem}.docx": docx,
            f"{stem}.pdf": join([laid[key][0] for key in paper_keys], [laid[key][0] for key in margins]),
            f"{stem}.html": render_html(plan.view, templates, created=plan.when).encode("utf-8"),
            f"{stem}-check.txt": plan.summary.encode("utf-8"),
        }
        out.append((files, (*paper_keys, *margins)))
    return out


def build_papers(inputs: Path, output: Path, templates: Path = TEMPLATES, progress: Progress | None = None) -> Build:
    """Build the papers for the round in ``inputs`` into ``output``, reusing what is current."""
    clear_temporaries(output)
    cache = Cache(output, templates)
    with Workers() as workers:
        round_ = read_round(inputs, cache, progress, workers)
        cache.prune()
        return build_round(round_, output, cache, templates, progress, workers)
