"""A round as collate hands it to the renderers: each expected partnership, with its return and its status."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pipeline.records.changes import Changes
from pipeline.records.problems import Problem, Severity
from pipeline.records.returns import Return
from pipeline.records.settings import Paper, Partnership


class Status(str, Enum):
    RECEIVED = "received"
    MISSING = "missing"
    PROBLEM = "problem"
    """Received and read, but with errors."""
    UNREADABLE = "unreadable"
    """Received, but the file could not be read as a return."""
    LAST_ROUND = "last round's"
    """Only a return of an earlier round is in the folder: this round's is still to come."""


@dataclass(frozen=True)
class Entry:
    """One registry partnership in the round, with its return if one was usable."""

    partnership: Partnership
    status: Status
    ret: Return | None = None
    file: str = ""
    """The file the return came in, if one came."""
    reason: str = ""
    """Why the file could not be read, for an unreadable return."""

    @property
    def outstanding(self) -> bool:
        """Whether a usable return is still to come (none came, or only an unreadable one)."""
        return self.status in (Status.MISSING, Status.UNREADABLE, Status.LAST_ROUND)


@dataclass(frozen=True)
class Round:
    """Everything a renderer needs, and nothing else."""

    paper: Paper
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...] = ()
    changes: Changes = Changes()
    """What changed in each return since the last report (none kept: nothing said)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]
