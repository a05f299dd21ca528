"""What changed in each partnership's return since the last report, as round/compare.py finds it and the renderers show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class State(str, Enum):
    """What the comparison of one partnership's return with last round's found."""

    CHANGED = "changed"
    IDENTICAL = "identical"
    """Every answer and detail as it was last round (but perhaps a new date on top)."""
    NEW = "no return last round"
    UNREADABLE = "last round's return could not be read"
    NOT_RETURNED = "no return this round"


@dataclass(frozen=True)
class AnswerChange:
    """One answer that is not as it was: ``words`` are its words as difflib gives them,
    each ("=", kept), ("+", added) or ("-", removed), in reading order."""

    question: str
    kind: str
    """"changed", "new" (no answer last round) or "removed" (none this round)."""
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Comparison:
    """One partnership's return set against last round's."""

    partnership: str
    """Its id in the registry."""
    state: State
    details: tuple[str, ...] = ()
    """The labels of the details that changed ("Contact officer" …)."""
    answers: tuple[AnswerChange, ...] = ()


@dataclass(frozen=True)
class Changes:
    """What changed since the last report, for a round: the last report's date, and each
    partnership's comparison by id (none when no last round is kept or comparing is off)."""

    last_report: dt.date | None = None
    comparisons: dict[str, Comparison] = field(default_factory=dict)
