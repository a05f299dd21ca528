"""A paper built: read, planned, its parts laid out, its page furniture, joined, written.

``build_papers`` is a round's whole flow, and ``build_rounds`` the flow of any number of
papers laid out side by side (a meeting's, from assemble.py). The machinery lives where it
belongs: reading in rounds.py, the parts and their layout in parts.py, the PDF surgery in
the pdf package, the outputs' cache in cache.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import lazy, parts
from pipeline.cache import Cache
from pipeline.filenames import CACHE_DIR, PRIVATE, TEMPLATES, remove_temporaries, write_atomic
from pipeline.model import Round
from pipeline.parts import LaidOut, Part
from pipeline.publication import Publication, public, stage
from pipeline.render.summary import summary_text
from pipeline.render.view import PaperView, build_view
from pipeline.rounds import read_round
from pipeline.workers import Progress, Workers


@dataclass
class Build:
    """What a run produced: the round, and the papers (written anew, or already current)."""

    round: Round
    written: list[Path] = field(default_factory=list)
    rebuilt: bool = True
    publication: Publication | None = None
    """The publication folder, when the build was a round's own (a meeting's has its own)."""


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


def build_papers(inputs: Path, output: Path, templates: Path = TEMPLATES, progress: Progress | None = None,
                 workers: Workers | None = None) -> Build:
    """The round in ``inputs`` built into ``output``, reusing what is current (and ``workers``,
    resident ones, when given)."""
    clear_temporaries(output)
    cache = Cache(output, templates)
    with workers or Workers(warm_up=parts.warm_up) as workers:
        round_ = read_round(inputs, cache, progress, workers)
        cache.prune()
        (build,) = build_rounds([(round_, output)], cache, templates, progress, workers)
    build.publication = stage(output, public(output, build.written))
    return build


def build_rounds(papers: list[tuple[Round, Path]], cache: Cache, templates: Path = TEMPLATES,
                 progress: Progress | None = None, workers: Workers | None = None,
                 keep_workers: bool = False) -> list[Build]:
    """Several papers (each a round, and its folder), those not current rebuilt side by side.
    Unless ``keep_workers`` (there is more to lay out), the workers stop once the laying out
    is done, so that the join has the memory."""
    plans = [plan(round_, folder, cache, templates) for round_, folder in papers]
    stale = [p for p in plans if not cache.outputs_current(p.key, p.paths, p.view.file_stem)]
    if stale:
        with Workers(warm_up=parts.warm_up) if workers is None else contextlib.nullcontext(workers) as using:
            using.start()  # loading WeasyPrint while this process writes the parts' HTML
            if progress:
                progress(f"Laying out {stale[0].round.paper.title}" if len(stale) == 1 else f"Laying out {len(stale)} papers")
            bodies, laid, words = _lay_out(stale, cache, templates, using, progress)
            margins = _furniture(stale, bodies, laid, cache, templates, using)
            if not keep_workers:
                using.stop()
        for p, body, margin, docx in zip(stale, bodies, margins, words):
            pdf = lazy.pdf().join([laid[key].data for key in body], [laid[key].data for key in margin])
            _write(p, cache, templates, docx, pdf, (*body, *margin))
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


def papers_current(inputs: Path, output: Path, templates: Path = TEMPLATES,
                   shown=lambda round_: round_) -> tuple[Round, bool]:
    """The round (as ``shown``: a meeting's view of it), and whether the papers in ``output``
    are what building it would write now."""
    cache = Cache(output, templates)
    p = plan(shown(read_round(inputs, cache)), output, cache, templates)
    return p.round, cache.outputs_current(p.key, p.paths, p.view.file_stem)


def document_date(meeting_date: dt.date) -> dt.datetime:
    """The date stamped into the papers: SOURCE_DATE_EPOCH when set, else the meeting's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(meeting_date, dt.time(12))


def clear_temporaries(output: Path) -> None:
    # A build killed mid-write (power cut, kill -9) leaves temporaries; the papers it was
    # replacing are whole, old or new, and each paper's manifest says which set is current.
    for base in (output, output / PRIVATE):
        for folder in (base, base / CACHE_DIR, *(base / CACHE_DIR / kept for kept in ("intake", "parts", "prepared", "converted"))):
            remove_temporaries(folder)


Keyed = dict[str, tuple[Part, Path]]
"""Parts to lay out by their keys, each with the folder of the paper it belongs to."""


def _lay_out(stale: list[Plan], cache: Cache, templates: Path, workers: Workers, progress: Progress | None
             ) -> tuple[list[Keyed], dict[str, LaidOut], list[bytes]]:
    """The parts of each paper's PDF (the report, then its returns a few at a time), laid out
    or kept, and each paper's Word file, made meanwhile."""
    bodies = []
    for p in stale:
        subject = f"{p.view.committee}, {p.view.meeting_date}"
        body = [Part(html, p.view.title, subject, p.when) for html in lazy.html().render_parts(p.view, templates, created=p.when)]
        bodies.append({cache.render_key(part): (part, p.folder) for part in body})
    laid, words = parts.lay_out_kept({k: v for body in bodies for k, v in body.items()}, cache, templates, workers,
                                     progress, meanwhile=lambda: [lazy.word().render_docx(p.view, templates, p.when)
                                                                  for p in stale])
    return bodies, laid, words


def _furniture(stale: list[Plan], bodies: list[Keyed], laid: dict[str, LaidOut], cache: Cache, templates: Path,
               workers: Workers) -> list[Keyed]:
    """Each paper's page furniture (running head, "Page N of M"), once its page count is
    known, laid out or kept (added to ``laid``)."""
    margins = []
    for p, body in zip(stale, bodies):
        pages = sum(laid[key].pages for key in body)
        furniture = lazy.html().Furniture("paper", p.view.committee, p.view.meeting_date)
        margins.append({cache.render_key(part): (part, p.folder)
                        for part in parts.furniture(furniture, pages, templates, p.when)})
    laid.update(parts.lay_out_kept({k: v for margin in margins for k, v in margin.items()}, cache, templates,
                                   workers)[0])
    return margins


def _write(p: Plan, cache: Cache, templates: Path, docx: bytes, pdf: bytes, part_keys: tuple[str, ...]) -> None:
    """``p``'s four files written, and recorded (with the parts its PDF was made of) as current."""
    stem = p.view.file_stem
    files = {
        f"{stem}.docx": docx,
        f"{stem}.pdf": pdf,
        f"{stem}.html": lazy.html().render_html(p.view, templates, created=p.when).encode("utf-8"),
        f"{stem}-check.txt": p.summary.encode("utf-8"),
    }
    for name, data in files.items():
        write_atomic(p.folder / name, data)
    cache.record(p.key, p.folder, files, stem, part_keys)
