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
from pipeline.filenames import CACHE_DIR, MEETING_FILE, PRIVATE, TEMPLATES, shown, slug, write_atomic
from pipeline.kinds import Reading, kind_of
from pipeline.model import Item, Meeting, Problem, Round, Severity, Source
from pipeline import supplements
from pipeline.packs import Edition, ItemPdfs, item_pdfs, meeting_stem, write_packs
from pipeline.supplements import item_digest
from pipeline.versions import Record, load_record
from pipeline.publication import Publication, public, stage
from pipeline.render.summary import meeting_lines
from pipeline.render.view import paper_stem
from pipeline.vocabulary import long_date
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
    """The publication folder, made to hold exactly the public ones of ``written`` (and the
    packs published before); None when the publication record cannot be used."""
    edition: Edition | None = None
    """What the packs are: the agenda, or a supplement to its published versions."""


def build_meeting(inputs: Path, output: Path, meeting: Meeting, templates: Path = TEMPLATES,
                  progress: Progress | None = None, workers: Workers | None = None) -> MeetingBuild:
    """Every paper of ``meeting`` on its own, then the packs and the meeting's page (laid out
    by ``workers``, resident ones, when given)."""
    clear_temporaries(output)
    cache = Cache(output, templates)
    when = document_date(meeting.date)
    problems = list(meeting.problems)
    reading = Reading(inputs, meeting.committee, meeting.date, cache, workers or Workers(warm_up=parts.warm_up), progress)
    record, unusable = load_record(output, meeting)
    problems += [unusable] if unusable else []
    with reading.workers as workers:
        supplied = _convert_supplied(meeting, output, when)  # LibreOffice works on, in processes of its own
        rounds = _read_papers(meeting, reading, output, problems)
        builds = dict(zip(rounds, build_rounds(list(rounds.values()), cache, templates, progress, workers,
                                               keep_workers=True)))
        papers = _papers(meeting, builds)
        pdfs = _collect_pdfs(papers, supplied, cache, output, problems)
        edition = _edition(meeting, pdfs, record, problems)
        packs, assembled = write_packs(meeting, papers, pdfs, output, cache, templates, workers, when, edition, progress)
    cache.prune()  # forget what this build did not use: returns and files no longer in the inputs
    result = MeetingBuild(reading.partnership_round, [(i, builds.get(i.number)) for i in meeting.items], problems)
    for build in builds.values():
        result.written += build.written
        result.fresh.update(build.written if build.rebuilt else [])
    result.written += packs
    result.fresh.update(packs if assembled else [])
    result.edition = edition
    report = output / f"{meeting_stem(meeting)}-check.txt"
    text = ("\n".join(meeting_lines(meeting, result.papers, problems)) + "\n").encode("utf-8")
    if not (report.is_file() and report.read_bytes() == text):  # written when it says something new
        write_atomic(report, text)
        result.fresh.add(report)
    result.written.insert(0, report)
    if unusable is None:  # nothing is staged over a record that cannot be read
        result.publication = stage(output, public(output, result.written) + _still_published(edition))
    return result


def _edition(meeting: Meeting, pdfs: ItemPdfs, record: Record, problems: list[Problem]) -> Edition:
    """What this build's packs are: the agenda, or (once it is published) a supplement with
    what changed since, each published pack that holds an item now exempt named."""
    digests = {number: item_digest(found) for number, found in pdfs.items() if found}
    pending, found = supplements.pending(meeting, digests, record)
    problems.extend(found)
    withdrawn = supplements.withdrawn_packs(meeting, record)
    for name, numbers in withdrawn.items():
        # An error until a published version has said the item is exempt; a reminder after.
        told = all(record.items[n].exempt for n in numbers if n in record.items)
        problems.append(Problem(
            Severity.WARNING if told else Severity.ERROR, Source(MEETING_FILE), f"item{'s' if len(numbers) > 1 else ''} {', '.join(numbers)} "
            f"now exempt, but {name} was published with the paper in it: it is taken out of the publication folder",
            "take it off the website now; the meeting's page lists it as withdrawn, and its pages stay in "
            "output/versions/ as published"))
    if not record.versions:
        published = meeting.published  # None: counted from the meeting's date when the pack is made
    else:
        last = dt.date.fromisoformat(record.versions[-1].published)
        published = meeting.published if meeting.published and meeting.published > last else dt.date.today()
    return Edition(published, record, pending, withdrawn, digests)


def _still_published(edition: Edition) -> list[Path]:
    """The packs published before, as kept (never rewritten), but any taken out of publication."""
    record = edition.record
    return [record.copy(version, file) for version in record.versions for file in version.files
            if file.name == version.pack and not file.private and version.pack not in edition.withdrawn]


def _convert_supplied(meeting: Meeting, output: Path, when: dt.datetime) -> dict[Path, object]:
    """Every supplied file of the meeting (papers and appendices) on its way to being a PDF,
    by its path: each Word file's conversion started (an exempt item's kept privately)."""
    supplied = {}
    for item in meeting.items:
        if item.withdrawn:
            continue
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
        if item.kind is None or item.kind.built is None or item.withdrawn:
            continue
        folder = _folder(output, item)
        round_, found = item.kind.built(item.paper, reading, folder)
        problems.extend(found)
        if round_ is None:
            continue
        round_, differs = of_meeting(round_, item, meeting)
        problems.extend(differs)
        stem = paper_stem(round_.paper)
        if (folder, stem) in written_to:  # the same title as another item's paper: both are kept
            named = f"{stem}-item-{slug(item.number)}"
            round_ = dataclasses.replace(round_, paper=dataclasses.replace(round_.paper, file_name=named))
            problems.append(Problem(
                Severity.WARNING, Source(shown(item.paper.name)),
                f"has the same title as item {written_to[folder, stem]}'s paper, so its files are named {named}",
                "give the papers titles of their own, if they are different papers"))
        written_to.setdefault((folder, stem), item.number)
        rounds[item.number] = (round_, folder)
    return rounds


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


def _collect_pdfs(papers: list[tuple[Item, list[Path]]], supplied: dict, cache: Cache, output: Path,
                  problems: list[Problem]) -> ItemPdfs:
    """Every item's PDFs, read and checked whether or not the packs need assembling (their
    problems belong in every run's report)."""
    return {item.number: [] if item.withdrawn else item_pdfs(item, next((p for p in files if p.suffix == ".pdf"), None),
                                                             supplied, cache, _folder(output, item), problems)
            for item, files in papers}


def _papers(meeting: Meeting, builds: dict[str, Build]) -> list[tuple[Item, list[Path]]]:
    """Each item, with the files papers built for it (none for a supplied paper, or none)."""
    return [(item, builds[item.number].written if item.number in builds else []) for item in meeting.items]


def _folder(output: Path, item: Item) -> Path:
    """The folder an item's papers and their cache go to: an exempt item's, the private folder."""
    return output / PRIVATE if item.exempt else output
