"""What a committee did at a meeting, as the clerk keeps it: who was there, the interests declared, each item's decision, resolution and actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.records.meeting import Meeting
from pipeline.records.problems import Problem
from pipeline.records.rich_text import Block

DECISIONS = ("agreed", "agreed as amended", "noted", "deferred", "refused", "withdrawn")
"""What the committee can do with an item, in the words the minutes use (and OParl's ``result``)."""
ACTION_KEYS = ("action", "owner", "due", "done", "note")
"""What an action says, in meeting.toml's [[item.action]] and in the kept action log."""


@dataclass(frozen=True)
class Interest:
    """An interest declared at the meeting: who declared it, on which item, and what it is."""

    who: str
    item: str
    what: str


@dataclass(frozen=True)
class Action:
    """Something the committee asked for: what, of whom, by when; the meeting and item it
    came from; and, once recorded done, when and how (an action is never deleted)."""

    action: str
    owner: str
    due: dt.date | None
    meeting: dt.date
    item: str
    """The number of the item it came from."""
    item_title: str = ""
    exempt: int | None = None
    """The paragraph of Schedule 12A of the item it came from, if that was exempt: its words
    are then not published."""
    done: dt.date | None = None
    note: str = ""

    def overdue(self, on: dt.date) -> bool:
        """Whether it is still open after its due date, as of ``on``."""
        return self.done is None and self.due is not None and self.due < on


@dataclass(frozen=True)
class Outcome:
    """What the committee did with one agenda item."""

    number: str
    title: str
    decision: str = ""
    """One of DECISIONS, or "" where none is recorded yet."""
    resolved: tuple[Block, ...] = ()
    """The resolution, as the clerk wrote it (Markdown, read)."""
    exempt: int | None = None
    summary: str = ""
    """For an exempt item: what the public minutes say of it, where leaving it out would
    leave no coherent record."""
    actions: tuple[Action, ...] = ()
    resolved_text: str = ""
    """The resolution as plain text (OParl's ``resolutionText``)."""
    minutes_of: dt.date | None = None
    """The date of the meeting whose minutes this item takes: agreed, they are confirmed."""
    withdrawn: bool = False
    """Withdrawn from the agenda: it needs no decision."""


@dataclass(frozen=True)
class Proceedings:
    """The record of one meeting (meeting.toml's [minutes] and each item's outcome)."""

    meeting: Meeting
    """The meeting it records: its committee, date, venue, clerk, agenda."""
    present: tuple[str, ...] = ()
    apologies: tuple[str, ...] = ()
    substitutes: tuple[str, ...] = ()
    officers: tuple[str, ...] = ()
    interests: tuple[Interest, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    problems: tuple[Problem, ...] = ()
    call_in_days: int | None = None
    """The working days a decision may be called in for, where the constitution sets them."""

    @property
    def recorded(self) -> bool:
        """Whether anything of the meeting has been recorded yet."""
        return bool(self.present or self.apologies or self.interests
                    or any(o.decision or o.resolved or o.actions for o in self.outcomes))

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(action for outcome in self.outcomes for action in outcome.actions)

    @property
    def undecided(self) -> tuple[str, ...]:
        """The numbers of the items still without a decision (a withdrawn one needs none)."""
        return tuple(o.number for o in self.outcomes if not o.decision and not o.withdrawn)
