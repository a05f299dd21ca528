"""The kinds of paper an agenda item can have: how each is recognised, and how it becomes the item's PDF.

As Pelican maps a file's extension to the reader for it, :data:`KINDS` maps an item's
paper to its kind, and each kind to its handler: a paper papers *builds* is read into a
Round and laid out with the meeting's other papers; a paper someone *supplied* is made a
PDF (a Word file converted by LibreOffice, started at once so that it runs while the
rest is built; a PDF read as it is; both are then made fit for the pack, in packs.py). A new
kind is one entry and one handler.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.filenames import shown
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress, Workers
from pipeline.meeting.action_log import FILE as ACTION_LOG
from pipeline.meeting.action_log import action_log_round
from pipeline.meeting.convert import Conversion
from pipeline.meeting.short_paper import read_short_paper
from pipeline.records.meeting import PaperKind
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.round import Round
from pipeline.round.read import read_round
from pipeline.settings import ConfigError


@dataclass
class Reading:
    """What a built kind's handler may read with: the inputs folder, the meeting's facts,
    the cache, the workers."""

    inputs: Path
    committee: str
    date: dt.date
    cache: Cache
    workers: Workers
    progress: Progress | None = None
    partnership_round: Round | None = None
    """The partnership round, once an item has read it."""

    def round(self, folder: Path) -> Round:
        """The partnership round in the inputs folder, read once however many items report on
        it; what its returns gave kept in the cache of ``folder``, the folder its paper goes to."""
        if self.partnership_round is None:
            self.cache.keep_intake_in(folder)
            self.partnership_round = read_round(self.inputs, self.cache, self.progress, self.workers)
        return self.partnership_round


MAX_PDF = 200 * 1024 * 1024
"""The largest supplied PDF papers reads at all: a scanned appendix of hundreds of pages."""


class Supplied:
    """A supplied PDF: its bytes, or the problem that keeps it out of the pack (as a
    convert.Conversion is, for a Word file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.names: tuple[str, ...] = ()
        """What it is kept as in the conversions' cache: nothing (a PDF is not converted)."""

    def ready(self) -> bool:
        """Whether :meth:`result` answers without waiting: always, for a PDF."""
        return True

    def result(self) -> bytes | Problem:
        try:
            size = self.path.stat().st_size
            if size > MAX_PDF:
                return Problem(Severity.ERROR, Source(shown(self.path.name)),
                               f"is larger than a paper can be ({size // 1_048_576} MB)",
                               "ask its author for the pages the committee needs, or link to the whole document")
            return self.path.read_bytes()
        except OSError as error:
            return Problem(Severity.ERROR, Source(shown(self.path.name)), f"could not be read ({error.strerror or error})",
                           "check that the file is there and yours to read")


def _round(path: Path, reading: Reading, folder: Path) -> tuple[Round | None, list[Problem]]:
    return reading.round(folder), []


def _actions(path: Path, reading: Reading, folder: Path) -> tuple[Round | None, list[Problem]]:
    return action_log_round(path, reading.committee, reading.date)


def _short(path: Path, reading: Reading, folder: Path) -> tuple[Round | None, list[Problem]]:
    try:
        paper, found = read_short_paper(path, reading.committee, reading.date)
    except ConfigError as error:
        return None, [error.problem]
    return Round(paper, (), tuple(found)), list(found)


KINDS: dict[str, PaperKind] = {
    "paper.toml": PaperKind("round", built=_round),  # the partnership update report: paper.toml and the returns
    ".md": PaperKind("short", built=_short),  # a house-style paper, in Markdown
    ACTION_LOG: PaperKind("actions", built=_actions),  # the action log, kept by make new-round (action_log.py)
    ".docx": PaperKind("word", supplied=Conversion),  # a Word paper: converted by LibreOffice
    ".pdf": PaperKind("pdf", supplied=lambda path, kept, when: Supplied(path)),  # a PDF: made fit for the pack
}
"""Each kind, by its file's name (``paper.toml``) or its ending (``.md``)."""

APPENDIX_KINDS = (".pdf", ".docx")
"""The kinds an appendix can be: supplied ones."""


def kind_of(path: Path) -> PaperKind | None:
    """The kind of the paper at ``path``, or None if papers knows no such kind."""
    if path.name in KINDS and not path.name.startswith("."):
        return KINDS[path.name]
    return KINDS.get(path.suffix.lower()) if path.suffix else None


def known() -> str:
    """The kinds papers knows, as an officer reads them: "a .md, .docx or .pdf file (or paper.toml)"."""
    endings = [key for key in KINDS if key.startswith(".")]
    names = [key for key in KINDS if not key.startswith(".")]
    return f"a {', '.join(endings[:-1])} or {endings[-1]} file" + (f" (or {', '.join(names)})" if names else "")
