"""The minutes of a meeting, made from the clerk's record and built as any paper is: Word, PDF and web page, with a check report.

``build_minutes`` is the whole flow: read the record (proceedings.py), write the public
minutes — an exempt item by its number and title, the paragraph that makes it exempt and
the clerk's summary, never its resolution or actions — and, where an item was exempt, the
private minutes with everything, in the private folder; each paper laid out by
pipeline/build.py, as the agenda's papers are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.build import Build, build_papers, clear_temporaries
from pipeline.filenames import PRIVATE, TEMPLATES
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress
from pipeline.meeting.clear_days import takes_effect
from pipeline.meeting.proceedings import load_proceedings
from pipeline.publication import PUBLIC_SUFFIXES
from pipeline.records.minutes import Outcome, Proceedings
from pipeline.records.problems import Problem
from pipeline.records.rich_text import Block, BlockKind, Run, Table
from pipeline.records.round import Round
from pipeline.records.settings import Paper, Section
from pipeline.settings import check_output
from pipeline.vocabulary import long_date

FOLDER = "minutes"
"""Where in the output folder the minutes are built (and in its private folder, the private minutes)."""
SCHEDULE = "Schedule 12A to the Local Government Act 1972"
CONFIRMING = ("agreed", "agreed as amended")
"""The decisions on a minutes item (``minutes_of``) that confirm the minutes it takes."""


@dataclass
class MinutesBuild:
    """What ``make minutes`` made: the public minutes, the private ones (if an item was exempt), and the problems."""

    proceedings: Proceedings | None
    built: list[Build] = field(default_factory=list)
    """The public minutes' build, then the private minutes' (where an item was exempt)."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def files(self) -> list[tuple[Path, bool]]:
        """Each file of the minutes a reader opens (web page, PDF, Word), and whether it is the private minutes'."""
        return [(path, index > 0) for index, build in enumerate(self.built) for path in build.written
                if path.suffix in PUBLIC_SUFFIXES]

    @property
    def pdfs(self) -> tuple[Path | None, Path | None]:
        """The public minutes' PDF and the private minutes' (None where there are none)."""
        found = {private: path for path, private in self.files if path.suffix == ".pdf"}
        return found.get(False), found.get(True)


def build_minutes(inputs: Path, output: Path, today: dt.date | None, templates: Path = TEMPLATES,
                  progress: Progress | None = None, confirmed_at: dt.date | None = None) -> MinutesBuild:
    """The draft minutes of the meeting in ``inputs``, as published ``today`` (None: for the
    chair to check, before they are published); or as confirmed by the meeting on ``confirmed_at``."""
    proceedings = load_proceedings(inputs)
    if proceedings is None:
        return MinutesBuild(None)
    check_output(output)
    clear_temporaries(output)
    papers = [(minutes_round(proceedings, today, False, confirmed_at), output / FOLDER)]
    if any(outcome.exempt for outcome in proceedings.outcomes):
        papers.append((minutes_round(proceedings, today, True, confirmed_at), output / PRIVATE / FOLDER))
    for _, folder in papers:
        folder.mkdir(parents=True, exist_ok=True)
    built = build_papers(papers, Cache(output, templates), templates, progress)
    return MinutesBuild(proceedings, built, list(proceedings.problems))


def minutes_stem(proceedings: Proceedings, private: bool = False, confirmed: bool = False) -> str:
    """The minutes' files' name without its ending."""
    return f"{proceedings.meeting.stem}-minutes" + ("-confirmed" if confirmed else "") + ("-private" if private else "")


def minutes_round(proceedings: Proceedings, today: dt.date | None, private: bool = False,
                  confirmed_at: dt.date | None = None) -> Round:
    """The minutes as a paper of prose (a Round without returns), as published ``today`` (None:
    not yet published): public, or with the exempt items whole; the draft, or as confirmed
    by the meeting on ``confirmed_at``."""
    p, meeting = proceedings, proceedings.meeting
    held = f"held on {long_date(meeting.date)}" + (f" at {meeting.time}" if meeting.time else "") + (
        f", {meeting.venue}" if meeting.venue else "")
    when = f"Published on {long_date(today)}." if today else "For the chair to check: not yet published."
    opening = [_para(Run(f"Minutes of the meeting of the {meeting.committee} {held}."))]
    if confirmed_at:
        opening.append(_para(Run("Confirmed ", bold=True), Run(
            f"as a correct record at the committee's meeting on {long_date(confirmed_at)}.")))
    else:
        opening.append(_para(Run("Draft: ", bold=True), Run("to be confirmed as a correct record at the committee's "
                                                             f"next meeting. {when}")))
    if p.call_in_days and today and not confirmed_at:
        opening.append(_para(Run(
            f"A decision of this meeting may be called in within {p.call_in_days} working days of this publication; "
            f"one not called in takes effect on {long_date(takes_effect(today, p.call_in_days))}.")))
    if private:
        opening.append(_para(Run("Not for publication: ", bold=True), Run(
            f"these minutes include the items exempt under {SCHEDULE}. The public minutes leave them out.")))
    sections = [Section("", tuple(opening))]
    for heading, names in (("Present", p.present), ("Substitutes", p.substitutes),
                           ("Officers in attendance", p.officers), ("Apologies for absence", p.apologies)):
        if names:
            sections.append(Section(heading, tuple(Block(BlockKind.BULLET, (Run(name),)) for name in names)))
    titles = {o.number: o.title for o in p.outcomes}
    declared = [Block(BlockKind.BULLET, (Run(i.who, bold=True), Run(
        (f": item {i.item} ({titles[i.item]})" if i.item else ": no item named") + (f" — {i.what}" if i.what else ""))))
        for i in p.interests]
    sections.append(Section("Declarations of interest", tuple(declared) or (_para(Run("None were declared.")),)))
    sections += [Section(f"{o.number}. {o.title}", _outcome(o, private)) for o in p.outcomes]
    paper = Paper(
        committee=meeting.committee, meeting_date=meeting.date,
        title=f"Minutes of the meeting held on {long_date(meeting.date)}" + (" (private)" if private else "")
        + (" — confirmed" if confirmed_at else " — draft"),
        questions=(), sections=tuple(sections), contact=meeting.clerk, numbered=False, with_returns=False,
        file_name=minutes_stem(p, private, bool(confirmed_at)))
    return Round(paper, (), p.problems)


def _para(*runs: Run) -> Block:
    return Block(BlockKind.PARAGRAPH, runs)


def _outcome(o: Outcome, private: bool) -> tuple[Block, ...]:
    """What the minutes say of one item."""
    if o.exempt and not private:
        blocks = [_para(Run("Taken in private: ", bold=True), Run(
            f"this item is exempt information under paragraph {o.exempt} of {SCHEDULE}. Its full record is in the "
            "private minutes."))]
        if o.summary:
            blocks.append(_para(Run("Summary: ", bold=True), Run(o.summary)))
        if o.decision:
            blocks.append(_para(Run("Decision: ", bold=True), Run(o.decision.capitalize())))
        return tuple(blocks)
    blocks = [_para(Run("Decision: ", bold=True), Run(o.decision.capitalize() if o.decision else "none recorded yet"))]
    if o.exempt:
        blocks.append(_para(Run("Exempt: ", bold=True), Run(f"paragraph {o.exempt} of {SCHEDULE}.")))
    if o.minutes_of and o.decision in CONFIRMING:
        blocks.append(_para(Run(f"The minutes of the meeting held on {long_date(o.minutes_of)} were confirmed as a "
                                "correct record.")))
    if o.resolved:
        first, *rest = o.resolved
        if first.kind is BlockKind.PARAGRAPH:  # the label begins it, so that no page ends between the two
            blocks.append(dataclasses.replace(first, runs=(Run("Resolved: ", bold=True), *first.runs)))
        else:
            blocks += [_para(Run("Resolved:", bold=True)), first]
        blocks += rest
    if o.actions:
        head = tuple((Run(label),) for label in ("Action", "Owner", "Due"))
        rows = tuple(((Run(a.action),), (Run(a.owner or "no owner yet"),),
                      (Run(long_date(a.due) if a.due else "no date yet"),)) for a in o.actions)
        blocks.append(_para(Run("Actions:", bold=True)))
        blocks.append(Block(BlockKind.TABLE, (), table=Table(head, rows)))
    return tuple(blocks)
