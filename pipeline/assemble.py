"""A meeting built: its supplied files converted, its papers built side by side, each item's PDFs collected, the packs and the page.

``build_meeting`` is the whole flow. What each kind of paper is and how it becomes a PDF
is in kinds.py; a paper's own flow in build.py; the packs and the page in packs.py; the
folder a clerk publishes in publication.py.
"""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import parts
from pipeline.build import Build, build_rounds, clear_temporaries, document_date
from pipeline.cache import Cache
from pipeline.filenames import CACHE_DIR, PRIVATE, TEMPLATES, shown, slug
from pipeline.kinds import Reading, kind_of
from pipeline.model import Item, Meeting, Problem, Round, Severity, Source
from pipeline.packs import ItemPdfs, item_pdfs, write_packs
from pipeline.publication import Publication, public, stage
from pipeline.render.view import paper_stem
from pipeline.workers import Progress, Workers


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
    publication: Publication | None = None
    """The publication folder, made to hold exactly the public ones of ``written``."""


def build_meeting(inputs: Path, output: Path, meeting: Meeting, templates: Path = TEMPLATES,
                  progress: Progress | None = None) -> MeetingBuild:
    """Every paper of ``meeting`` on its own, then the packs and the meeting's page."""
    clear_temporaries(output)
    cache = Cache(output, templates)
    when = document_date(meeting.date)
    problems = list(meeting.problems)
    reading = Reading(inputs, meeting.committee, meeting.date, cache, Workers(warm_up=parts.warm_up), progress)
    with reading.workers as workers:
        supplied = _convert_supplied(meeting, output, when)  # LibreOffice works on, in processes of its own
        rounds = _read_papers(meeting, reading, output, problems)
        builds = dict(zip(rounds, build_rounds(list(rounds.values()), cache, templates, progress, workers,
                                               keep_workers=True)))
        papers = _papers(meeting, builds)
        pdfs = _collect_pdfs(papers, supplied, cache, output, problems)
        packs, assembled = write_packs(meeting, papers, pdfs, output, cache, templates, workers, when, progress)
    cache.prune()  # forget what this build did not use: returns and files no longer in the inputs
    result = MeetingBuild(reading.partnership_round, [(i, builds.get(i.number)) for i in meeting.items], problems)
    for build in builds.values():
        result.written += build.written
        result.fresh.update(build.written if build.rebuilt else [])
    result.written += packs
    result.fresh.update(packs if assembled else [])
    result.publication = stage(output, public(output, result.written))
    return result


def _convert_supplied(meeting: Meeting, output: Path, when: dt.datetime) -> dict[Path, object]:
    """Every supplied file of the meeting (papers and appendices) on its way to being a PDF,
    by its path: each Word file's conversion started (an exempt item's kept privately)."""
    supplied = {}
    for item in meeting.items:
        files = ([item.paper] if item.kind and item.kind.supplied else []) + list(item.appendices)
        kept = _folder(output, item) / CACHE_DIR / "converted"
        for path in files:
            if path not in supplied:
                supplied[path] = kind_of(path).supplied(path, kept, when)
    return supplied


def _read_papers(meeting: Meeting, reading: Reading, output: Path, problems: list[Problem]) -> dict[str, tuple[Round, Path]]:
    """Each item's paper that papers builds, read as a Round, with the folder it goes to (an
    exempt item's, the private folder), by item number; what cannot be read, in ``problems``."""
    rounds, written_to = {}, {}  # each paper, and which item's paper each file name was given to
    for item in meeting.items:
        if item.kind is None or item.kind.built is None:
            continue
        folder = _folder(output, item)
        round_, found = item.kind.built(item.paper, reading, folder)
        problems.extend(found)
        if round_ is None:
            continue
        stem = paper_stem(round_.paper)
        if (folder, stem) in written_to:  # the same title and date as another item's paper: both are kept
            named = f"{stem}-item-{slug(item.number)}"
            round_ = dataclasses.replace(round_, paper=dataclasses.replace(round_.paper, file_name=named))
            problems.append(Problem(
                Severity.WARNING, Source(shown(item.paper.name)),
                f"has the same title and date as item {written_to[folder, stem]}'s paper, so its files are named {named}",
                "give the papers titles of their own, if they are different papers"))
        written_to.setdefault((folder, stem), item.number)
        rounds[item.number] = (round_, folder)
    return rounds


def _collect_pdfs(papers: list[tuple[Item, list[Path]]], supplied: dict, cache: Cache, output: Path,
                  problems: list[Problem]) -> ItemPdfs:
    """Every item's PDFs, read and checked whether or not the packs need assembling (their
    problems belong in every run's report)."""
    return {item.number: item_pdfs(item, next((p for p in files if p.suffix == ".pdf"), None), supplied, cache,
                                   _folder(output, item), problems)
            for item, files in papers}


def _papers(meeting: Meeting, builds: dict[str, Build]) -> list[tuple[Item, list[Path]]]:
    """Each item, with the files papers built for it (none for a supplied paper, or none)."""
    return [(item, builds[item.number].written if item.number in builds else []) for item in meeting.items]


def _folder(output: Path, item: Item) -> Path:
    """The folder an item's papers and their cache go to: an exempt item's, the private folder."""
    return output / PRIVATE if item.exempt else output
