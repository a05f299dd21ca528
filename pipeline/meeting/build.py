"""A meeting built: its supplied files converted, its papers built side by side, each item's PDFs collected, the packs and the page.

``build_meeting`` is the whole flow. What each kind of paper is and how it becomes a PDF
is in kinds.py; a paper's own flow in pipeline/build.py; each item's PDFs in items.py;
what changed since the agenda was published in supplements.py; the packs in packs.py and
the page in page.py; the folder a clerk publishes in pipeline/publication.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline import parts, pdf
from pipeline.build import Build, build_papers, clear_temporaries, document_date, of_meeting
from pipeline.filenames import CACHE_DIR, PRIVATE, TEMPLATES, shown, slug, write_atomic
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress, Workers
from pipeline.meeting.items import ItemPdfs, item_pdfs, read_ahead
from pipeline.meeting.kinds import Reading, kind_of
from pipeline.meeting.packs import Making, write_packs
from pipeline.meeting.privacy import private_names, privatise
from pipeline.meeting.supplements import PackPlan, item_digest, plan_packs
from pipeline.meeting.versions import load_record
from pipeline.publication import Publication, public, stage, take_out
from pipeline.records.meeting import Item, Meeting
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.round import Round
from pipeline.render.summary import meeting_lines
from pipeline.render.view import paper_stem
from pipeline.settings import check_output


@dataclass
class MeetingBuild:
    """What a meeting's build produced: the round (if an item reports on one), each item's
    paper, the packs and the page, and every problem found on the way."""

    meeting: Meeting
    round: Round | None
    papers: list[tuple[Item, Build | None]]
    problems: list[Problem]
    written: list[Path] = field(default_factory=list)
    fresh: set[Path] = field(default_factory=set)
    """Those of ``written`` made by this run (the rest were up to date)."""
    publication: Publication | None = None
    """The publication folder, made to hold exactly the public ones of ``written`` (and the
    packs published before); None when the publication record cannot be used."""
    private_problems: list[Problem] = field(default_factory=list)
    """The problems of exempt items, which name their files: in the private check report
    (and on the console) alone."""
    plan: PackPlan | None = None
    """What the packs are: the agenda, or a supplement to its published versions."""
    making: Making | None = None
    """The packs and page this build wrote, or found current."""
    public_files: list[Path] = field(default_factory=list)
    """What the publication folder would hold to publish this build: its public files, and
    the packs published before (as kept), but those withdrawn from publication."""
    private_names: frozenset[str] = frozenset()
    """The names of the public files that would hold an exempt paper."""


def build_meeting(inputs: Path, output: Path, meeting: Meeting, now: dt.datetime, templates: Path = TEMPLATES,
                  progress: Progress | None = None, workers: Workers | None = None) -> MeetingBuild:
    """Every paper of ``meeting`` on its own, then the packs and the meeting's page (laid out
    by ``workers``, resident ones, when given), as of ``now``: a supplement is dated by its
    day, unless meeting.toml says otherwise, and what is moved out of the publication folder
    by its time."""
    check_output(output)
    clear_temporaries(output)
    cache = Cache(output, templates)
    when = document_date(meeting.date)
    found = Found(list(meeting.problems))
    reading = Reading(inputs, meeting.committee, meeting.date, cache, workers or Workers(warm_up=parts.warm_up), progress)
    record, unusable = load_record(output, meeting)
    found.public += [unusable] if unusable else []
    with reading.workers as workers, pdf.ReadAhead() as ahead:
        supplied = _convert_supplied(meeting, output, when)  # LibreOffice works on, in processes of its own
        # While the workers load the layout engine and lay out, the supplied PDFs are read
        # for the packs (their bytes do not depend on the papers being built).
        builds = _build_papers(meeting, reading, output, cache, templates, found, meanwhile=lambda: read_ahead(
            [(item, _folder(output, item)) for item in meeting.items if not item.withdrawn], supplied, cache, ahead))
        papers = _papers(meeting, builds)
        pdfs = _collect_pdfs(papers, supplied, cache, output, found)
        plan = plan_packs(meeting, {n: item_digest(data) for n, data in pdfs.items() if data}, record, now.date(),
                          found.public)
        making, assembled = write_packs(meeting, papers, pdfs, output, cache, templates, workers, when, plan, progress,
                                        ahead)
    cache.prune()  # forget what this build did not use: returns and files no longer in the inputs
    found.private += privatise(meeting, builds, {path: c.names for path, c in supplied.items()}, plan, output, now)
    built = MeetingBuild(meeting, reading.partnership_round, [(i, builds.get(i.number)) for i in meeting.items],
                         found.public, private_problems=found.private, plan=plan, making=making)
    _gather(built, builds, making, output, assembled)
    _write_reports(built, output)
    built.public_files = public(output, built.written) + _still_published(plan)
    built.private_names = private_names(meeting, builds, plan)
    if unusable is None:  # nothing is staged over a record that cannot be read
        # Once the agenda is published, only publishing changes the folder to publish (but
        # what holds an exempt paper, which leaves at once): a mistake is never published.
        built.publication = (take_out(output, built.private_names, now) if record.versions
                             else stage(output, built.public_files, now, built.private_names))
    return built


@dataclass
class Found:
    """The problems a meeting's build finds: the public ones, and those of exempt items,
    which name their files and so are said only in the private check report."""

    public: list[Problem]
    private: list[Problem] = field(default_factory=list)

    def of(self, item: Item) -> list[Problem]:
        """Where ``item``'s problems go."""
        return self.private if item.exempt else self.public


def _build_papers(meeting: Meeting, reading: Reading, output: Path, cache: Cache, templates: Path,
                  found: Found, meanwhile: Callable[[], object] | None = None) -> dict[str, Build]:
    """Each item's paper that papers builds, read and built side by side, by item number
    (``meanwhile`` called while the workers lay them out, if they do)."""
    rounds = _read_papers(meeting, reading, output, found)
    return dict(zip(rounds, build_papers(list(rounds.values()), cache, templates, reading.progress, reading.workers,
                                         keep_workers=True, meanwhile=meanwhile)))


def _gather(built: MeetingBuild, builds: dict[str, Build], making: Making, output: Path, assembled: bool) -> None:
    """What the build wrote (each paper's files, the packs and page), and which of it now."""
    for build in builds.values():
        built.written += build.written
        built.fresh.update(build.written if build.rebuilt else [])
    packs = making.beside(output) + ([making.private] if making.private else [])
    built.written += packs
    built.fresh.update(packs if assembled else [])


def _write_reports(built: MeetingBuild, output: Path) -> None:
    """The meeting's check report, first of what was written, and where it has exempt items
    the private one beside their papers, which alone names their problems: each written
    when it says something new."""
    meeting, private = built.meeting, output / PRIVATE / f"{built.meeting.stem}-check.txt"
    exempt = [item.number for item in meeting.items if item.exempt]
    reports = [(output / f"{meeting.stem}-check.txt", meeting_lines(meeting, built.papers, built.problems, private=(
        len(built.private_problems), exempt, private.relative_to(output))))]
    if exempt:
        reports.append((private, meeting_lines(meeting, built.papers, built.problems + built.private_problems)))
    for report, lines in reversed(reports):
        text = ("\n".join(lines) + "\n").encode("utf-8")
        if not (report.is_file() and report.read_bytes() == text):
            write_atomic(report, text)
            built.fresh.add(report)
        built.written.insert(0, report)


def _still_published(plan: PackPlan) -> list[Path]:
    """The packs published before, as kept (never rewritten), but any taken out of
    publication: a withdrawn pack's redacted copy in its place, where one is published; and
    the minutes as last published."""
    record, out = plan.record, plan.withdrawals
    standing = set(out.standing.values())
    return [record.copy(version, file) for version in record.versions for file in version.files
            if file.name == version.pack and not file.private and version.pack not in plan.withdrawn] + \
           [record.copy(version, file) for version, file, copy in out.copies if copy.name in standing] + \
           [record.copy(minutes, file) for minutes in record.minutes[-1:] for file in minutes.files if not file.private]


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


def _read_papers(meeting: Meeting, reading: Reading, output: Path, found: Found) -> dict[str, tuple[Round, Path]]:
    """Each item's paper that papers builds, read as a Round, with the folder it goes to (an
    exempt item's, the private folder), by item number; what cannot be read, in ``found``."""
    rounds, written_to = {}, {}  # each paper, and which item's paper each file name was given to
    for item in meeting.items:
        if item.kind is None or item.kind.built is None or item.withdrawn:
            continue
        folder, problems = _folder(output, item), found.of(item)
        round_, read = item.kind.built(item.paper, reading, folder)
        problems.extend(read)
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


def _collect_pdfs(papers: list[tuple[Item, list[Path]]], supplied: dict, cache: Cache, output: Path,
                  found: Found) -> ItemPdfs:
    """Every item's PDFs, read and checked whether or not the packs need assembling (their
    problems belong in every run's report)."""
    return {item.number: [] if item.withdrawn else item_pdfs(item, next((p for p in files if p.suffix == ".pdf"), None),
                                                             supplied, cache, _folder(output, item), found.of(item))
            for item, files in papers}


def _papers(meeting: Meeting, builds: dict[str, Build]) -> list[tuple[Item, list[Path]]]:
    """Each item, with the files papers built for it (none for a supplied paper, or none)."""
    return [(item, builds[item.number].written if item.number in builds else []) for item in meeting.items]


def _folder(output: Path, item: Item) -> Path:
    """The folder an item's papers and their cache go to: an exempt item's, the private folder."""
    return output / PRIVATE if item.exempt else output
