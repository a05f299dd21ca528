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
from pipeline.config import load_config
from pipeline.filenames import remove_temporaries, shown, write_atomic
from pipeline.intake import find_returns, read_return
from pipeline.intake.files import find_lookalikes, lock_file_warnings
from pipeline.model import Problem, Return, Round
from pipeline.render.summary import summary_text
from pipeline.render.view import build_view

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
def _processes(jobs: int):
    """Worker processes for work that can run side by side, one per core, where forking is safe."""
    # Fork only on Linux (it is unsafe on macOS), and only with a second core to use.
    cores = os.cpu_count() or 1
    if not sys.platform.startswith("linux") or cores < 2 or jobs < 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=min(cores, jobs), mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def render_files(
    view, summary: str, templates: Path, when: dt.datetime, progress: Progress | None = None,
    word_beside: bool = True,
) -> dict[str, bytes]:
    """Every output of the paper by name: Word (in a second process, with ``word_beside``),
    HTML, PDF, check."""
    # Imported here, not at the top: an up-to-date rebuild renders nothing.
    from pipeline.render.html import PDF_STYLESHEETS, render_html
    from pipeline.render.pdf import render_pdf
    from pipeline.render.word import render_docx

    with _processes(1 if word_beside else 0) as pool:  # the Word file beside the PDF's layout
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


def clear_temporaries(output: Path) -> None:
    # A build killed mid-write (power cut, kill -9) leaves temporaries; the papers it was
    # replacing are whole, old or new, and each paper's manifest says which set is current.
    for folder in (output, output / CACHE_DIR, output / CACHE_DIR / "intake"):
        remove_temporaries(folder)


def build_round(round_: Round, output: Path, cache: Cache, templates: Path = TEMPLATES,
                progress: Progress | None = None) -> Build:
    """Write one paper's Word, PDF, HTML and check report, unless they are already current."""
    (build,) = build_rounds([(round_, output)], cache, templates, progress)
    return build


def _render_plan(plan: _Plan, templates: Path) -> dict[str, bytes]:
    return render_files(plan.view, plan.summary, templates, plan.when, word_beside=False)


def build_rounds(papers: list[tuple[Round, Path]], cache: Cache, templates: Path = TEMPLATES,
                 progress: Progress | None = None) -> list[Build]:
    """Several papers (each a round, and its folder), the ones not current laid out on every
    core: one paper, or one paper's Word file, to a process."""
    plans = [(_plan(round_, output, cache), output) for round_, output in papers]
    stale = [(plan, output) for plan, output in plans
             if not cache.outputs_current(plan.key, plan.paths, plan.view.file_stem)]
    if len(stale) == 1:
        plan, _ = stale[0]
        if progress:
            progress(f"Laying out {plan.round.paper.title}")
        rendered = [render_files(plan.view, plan.summary, templates, plan.when, progress)]
    elif stale:
        if progress:
            progress(f"Laying out {len(stale)} papers")
        with _processes(len(stale)) as pool:
            rendered = list(pool.map(_render_plan, [p for p, _ in stale], [templates] * len(stale))) if pool \
                else [_render_plan(p, templates) for p, _ in stale]
    else:
        rendered = []
    for (plan, output), files in zip(stale, rendered):
        for name, data in files.items():
            write_atomic(output / name, data)
        cache.record(plan.key, files, plan.view.file_stem)
    fresh = {id(plan) for plan, _ in stale}
    return [Build(plan.round, plan.paths, rebuilt=id(plan) in fresh) for plan, _ in plans]


def build_papers(inputs: Path, output: Path, templates: Path = TEMPLATES, progress: Progress | None = None) -> Build:
    """Build the papers for the round in ``inputs`` into ``output``, reusing what is current."""
    clear_temporaries(output)
    cache = Cache(output, templates)
    round_ = read_round(inputs, cache, progress)
    cache.prune()
    return build_round(round_, output, cache, templates, progress)
