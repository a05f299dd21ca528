"""Clear days: the working days between an agenda's publication and its meeting, as the law counts them.

An agenda is published at least five clear days before the meeting in England (s.100B of
the Local Government Act 1972, as the 2012 Executive Arrangements Regulations read it;
three in Wales). A clear day is neither the day of publication nor the day of the
meeting, nor a Saturday, Sunday or bank holiday. The bank holidays of England and Wales
(one list for both) come from the ``holidays`` library, which is kept up to date with the
ones proclaimed at short notice (29 April 2011, 19 September 2022) that a table written by
hand misses.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from pipeline import lazy

STATUTORY = 5
"""Clear days England's law requires; Wales's is 3 (``clear_days`` in meeting.toml)."""


def _working(day: dt.date, bank) -> bool:
    return day.weekday() < 5 and day not in bank


def _bank(*years: int):
    """The bank holidays of England and Wales in ``years``."""
    return _bank_in(tuple(sorted(set(years))))


@functools.lru_cache(maxsize=16)
def _bank_in(years: tuple[int, ...]):
    # Made once per run for the same years: a meeting's page asks for its date of
    # publication once per file it lists, and making the calendar is most of the cost.
    return lazy.holidays().country_holidays("GB", subdiv="ENG", years=years)


def latest_publication(meeting: dt.date, clear: int = STATUTORY) -> dt.date:
    """The last working day the agenda can be published on and still leave ``clear`` clear
    days before ``meeting``."""
    bank = _bank(meeting.year - 1, meeting.year)
    day, counted = meeting, 0
    while counted < clear:
        day -= dt.timedelta(days=1)
        counted += _working(day, bank)
    day -= dt.timedelta(days=1)
    while not _working(day, bank):
        day -= dt.timedelta(days=1)
    return day


def clear_days(published: dt.date, meeting: dt.date) -> list[dt.date]:
    """The clear days between publishing on ``published`` and ``meeting``."""
    bank = _bank(published.year, meeting.year)
    days = (published + dt.timedelta(days=n) for n in range(1, (meeting - published).days))
    return [day for day in days if _working(day, bank)]


@dataclass(frozen=True)
class Notice:
    """How much notice publishing on a day gives: its clear days, and whether they are enough."""

    published: dt.date
    meeting: dt.date
    required: int
    days: tuple[dt.date, ...]

    @property
    def short(self) -> bool:
        return len(self.days) < self.required

    @property
    def last_day(self) -> dt.date:
        """The last working day that would have given the clear days required."""
        return latest_publication(self.meeting, self.required)


def notice(published: dt.date, meeting: dt.date, required: int = STATUTORY) -> Notice:
    """The notice publishing on ``published`` gives of ``meeting``."""
    return Notice(published, meeting, required, tuple(clear_days(published, meeting)))


def takes_effect(published: dt.date, call_in_days: int) -> dt.date:
    """The day a decision published on ``published`` takes effect if not called in: the
    working day after the ``call_in_days`` working days that follow its publication, counted
    with the same calendar as the clear days."""
    bank = _bank(published.year, published.year + 1)
    day, counted = published, 0
    while counted <= call_in_days:  # the call-in days, then the first day after them
        day += dt.timedelta(days=1)
        counted += _working(day, bank)
    return day
