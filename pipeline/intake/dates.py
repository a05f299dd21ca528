"""Completion dates as officers write them, read into a CompletionDate."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.records.returns import CompletionDate

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%B").lower(),
        dt.date(2000, number, 1).strftime("%b").lower(),
    )
}
_MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_WORDS = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:(\d{1,2})\s*(?:st|nd|rd|th)?\.?\s+(?:of\s+)?)?"
    r"([a-z]+)\.?,?\s+(\d{4})$"
)
_MONTH_NUMERIC = re.compile(r"^(\d{1,2})\s*/\s*(\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int | None) -> CompletionDate | None:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return CompletionDate(year, month, day)


def parse_date(value: object) -> CompletionDate | None:
    """A completion date from a cell's value — a real date or text — or None.

    Text is read the British way (25/02/2011 is 25 February); a month and year alone
    ("Feb 2011") stay month-only.
    """
    if isinstance(value, dt.datetime | dt.date):
        return CompletionDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().lower().split())
    if m := _NUMERIC.match(text):
        return _make(_year(m[3]), int(m[2]), int(m[1]))
    if m := _ISO.match(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH_NUMERIC.match(text):
        return _make(int(m[2]), int(m[1]), None)
    if m := _WORDS.match(text):
        month = _MONTHS.get(m[2])
        if month is None:
            return None
        return _make(int(m[3]), month, int(m[1]) if m[1] else None)
    return None
