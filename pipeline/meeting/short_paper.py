"""A paper of prose in the house style: Markdown, with the paper's facts at its head.

The facts go between two lines of ``+++``, in TOML, before the Markdown::

    +++
    title = "Progress through Partnership capacity building"
    agenda_item = "9"
    numbered = true            # number the paragraphs 1, 2, 3 … through the paper
    [contact]
    name = "Claire Phillips"
    role = "Partnership Officer"
    +++
    ## Background
    …

The committee and date are the meeting's unless the paper names its own. The Markdown is
read as the partnership report's covering report is (pipeline/prose.py).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from pipeline.prose import read_report
from pipeline.records.problems import Problem
from pipeline.records.settings import Officer, Paper
from pipeline.settings import CONTACT_KEYS, check_keys, fail, is_plausible_date, read_text
from pipeline.text import clean

FENCE = "+++"
FACTS: dict[str, Any] = {
    "title": None,  # required
    "agenda_item": "",
    "committee": "",  # the meeting's, if empty
    "meeting_date": None,  # the meeting's, if not given
    "numbered": False,
    "contact": {},
}


def read_short_paper(
    path: Path, committee: str = "", meeting_date: dt.date | None = None
) -> tuple[Paper, tuple[Problem, ...]]:
    """The paper written in ``path``; raises ConfigError, naming the file, if it cannot be used."""
    name = path.name
    text = clean(read_text(path))[0]
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE or FENCE not in (line.strip() for line in lines[1:]):
        raise fail(name, f"does not start with its facts between two '{FENCE}' lines",
                    f'begin it with {FENCE}, a line title = "…", and {FENCE} again (see README.md)')
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE)
    try:
        facts = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        raise fail(name, f"its facts are not valid TOML ({error})", "fix the line it names") from None
    except RecursionError:
        raise fail(name, "its facts nest too deeply to read", "remove the deeply nested setting") from None
    check_keys(name, facts, FACTS)
    merged = {**FACTS, **facts}
    title = merged["title"]
    if not isinstance(title, str) or not title.strip():
        raise fail(name, "has no title", f'add title = "…" between the {FENCE} lines')
    date = merged["meeting_date"] or meeting_date
    if not is_plausible_date(date):
        raise fail(name, "has no meeting date papers can use", "add meeting_date = 2011-03-17 (without quotes), or list it in meeting.toml")
    contact = merged["contact"]
    if not isinstance(contact, dict):
        raise fail(name, "its [contact] is not a table", "write it as a [contact] table")
    check_keys(name, contact, CONTACT_KEYS, " in [contact]")
    if not isinstance(merged["numbered"], bool):
        raise fail(name, "'numbered' must be true or false", "write numbered = true or numbered = false")
    sections, closing, problems = read_report("\n".join(lines[end + 1:]), name)
    paper = Paper(
        committee=clean(str(merged["committee"] or committee))[0].strip(),
        meeting_date=date,
        title=clean(title)[0].strip(),
        questions=(),
        sections=sections,
        closing=closing,
        contact=Officer(**{k: clean(str(v))[0].strip() for k, v in contact.items()}, order=tuple(contact))
        if contact.get("name") else None,
        agenda_item=clean(str(merged["agenda_item"]))[0].strip(),
        numbered=merged["numbered"],
        with_returns=False,
    )
    return paper, problems
