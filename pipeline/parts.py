"""A paper's PDF in parts: each part of its HTML laid out on its own, by the workers, kept for the next build.

A *part* is HTML laid out as one PDF of its own: the covering report, a few partnership
returns (each starting a page, so how they are grouped changes no page), or up to a
hundred pages of page furniture (the running head and page numbers, laid out once the page
count is known, to draw over the pages). Parts are laid out side by side by the worker
processes, and each is kept in ``.cache/parts/`` beside the paper it belongs to, under a
key over its HTML, the templates and papers' code: a changed return lays out its own part
and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from pipeline import lazy, pdf
from pipeline.filenames import TEMPLATES
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress, Workers
from pipeline.render import layout


@dataclass(frozen=True)
class Part:
    """One part of a PDF to lay out: its HTML, and what the PDF says of itself."""

    html: str
    title: str
    subject: str
    when: dt.datetime
    tagged: bool = True
    """Tagged (a piece of a paper), or not (page furniture, drawn over other pages)."""


@dataclass(frozen=True)
class LaidOut:
    """A part laid out: its PDF, and how many pages it has."""

    data: bytes
    pages: int


def warm_up(page: bool = False) -> None:
    """Load the layout engine (WeasyPrint) ahead of the first part: what a worker does as it
    starts. With ``page``, lay out one small tagged page with papers' templates too, its
    fonts and stylesheet: papers watch's workers, idle until a change, so that the first
    layout after it is as quick as the next (a worker's first layout sets up its fonts and
    the engine's C types: 1–2 s of a watched rebuild)."""
    try:
        with lazy.interrupt_held():
            layout.engine()
            if page:  # what it says is never seen: its date is any fixed one
                layout.lay_out("<html lang='en-GB'><head><title>Ready</title><link rel='stylesheet' "
                               "href='report.css'></head><body><h1>Ready</h1><p>Ready.</p></body></html>",
                               TEMPLATES, "Ready", "", dt.datetime(2011, 3, 17, 12))
    except lazy.SystemLibraryMissing:
        pass  # said when a layout is asked for, with what to install


def furniture(pages_html: list[str], when: dt.datetime) -> list[Part]:
    """Pages of furniture (render.html's), as parts to lay out: untagged, drawn over others."""
    return [Part(html, "", "", when, tagged=False) for html in pages_html]


def lay_out(parts: list[Part], templates: Path, workers: Workers, meanwhile: Callable[[], object] | None = None,
            done: Callable[[int, LaidOut], None] | None = None) -> tuple[list[LaidOut], object]:
    """Each part laid out by the workers side by side, and what ``meanwhile`` returned (run
    here as they work); ``done`` is told of each part laid out (by its place in ``parts``).

    The longest first (by its HTML's length, which its time follows): two workers given a
    short part last end together, where one given a long part last works on alone (at 12
    returns, a fifth of the laying out had one worker idle)."""
    order = sorted(range(len(parts)), key=lambda index: -len(parts[index].html))
    told = (lambda place, result: done(order[place], result)) if done else None
    laid, other = workers.map(partial(_lay_out, templates=templates), [parts[index] for index in order],
                              helping=False, meanwhile=meanwhile, done=told)
    by_index = dict(zip(order, laid))
    return [by_index[index] for index in range(len(parts))], other


def _lay_out(part: Part, templates: Path) -> LaidOut:
    data = layout.lay_out(part.html, templates, part.title, part.subject, part.when, part.tagged)
    return LaidOut(data, pdf.page_count(data))


def lay_out_kept(parts: dict[str, tuple[Part, Path]], cache: Cache, templates: Path, workers: Workers,
                 progress: Progress | None = None,
                 meanwhile: Callable[[], object] | None = None) -> tuple[dict[str, LaidOut], object]:
    """Each part by key (given with the folder of the paper it belongs to), kept from an
    earlier build or laid out now by the workers (and kept); and what ``meanwhile``
    returned, called while the workers lay out."""
    laid = {}
    for key, (_, folder) in parts.items():
        data = cache.part(folder, key)
        # A kept part is known by its digest: one damaged (or not a PDF) has another, is
        # counted as 0 pages, and is laid out again.
        pages = cache.pages(data, folder) if data is not None else 0
        if pages:
            laid[key] = LaidOut(data, pages)
    todo = [key for key in parts if key not in laid]
    counted = iter(range(1, len(todo) + 1))

    def done(index: int, result: LaidOut) -> None:
        cache.keep_part(parts[todo[index]][1], todo[index], result.data)
        cache.pages(result.data, parts[todo[index]][1], result.pages)
        if progress:
            progress(f"Laid out {next(counted)} of {len(todo)} parts")

    results, other = lay_out([parts[key][0] for key in todo], templates, workers, meanwhile, done)
    laid.update(zip(todo, results))
    return laid, other
