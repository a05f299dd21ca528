"""A new round in one step: last round's returns and logs put away in dated folders, the settings carried forward, the new forms written.

Last round's returns (every spreadsheet in the inputs folder) go to
``inputs/last-rounds/<last meeting>/``, where intake never reads; its chase log, sent log
and drafts to ``output/last-rounds/<last meeting>/``. paper.toml keeps every setting but the
ones a round changes: ``meeting_date`` and ``deadline`` (given), ``previous_meeting`` (the
last meeting, so that a return completed before it is known for last round's) and
``last_update`` (the month of the last meeting, which the questions quote). The new forms
are written prefilled from last round's returns, read before they are put away. Nothing is
deleted, and a name already taken is never overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from pipeline.filenames import LAST_ROUNDS, MEETING_FILE, move_into, write_atomic
from pipeline.intake.files import LOOKALIKE_SUFFIXES, find_returns
from pipeline.round.config import PAPER_FILE, load_paper
from pipeline.round.forms import write_forms
from pipeline.round.read import read_round
from pipeline.settings import check_output

LOGS = ("chase.log", "sent.log", "chase", "agenda")
"""What of output/outbox/ belongs to a round: its logs and its drafts."""


class NotStarted(str, Enum):
    """Why the round was not started (the command line words it)."""

    DEADLINE_NOT_BEFORE_MEETING = "deadline not before meeting"


@dataclass
class NewRound:
    """What starting a round did, or why it did nothing."""

    last_meeting: dt.date | None = None
    refusal: NotStarted | None = None
    moved: list[Path] = field(default_factory=list)
    """Where each file put away now is."""
    changed: dict[str, str] = field(default_factory=dict)
    """Each setting of paper.toml changed, with its new value as written."""
    forms: list[Path] = field(default_factory=list)
    meeting: Path | None = None
    """The meeting.toml whose date was moved, if the folder has one."""
    cleared: list[str] = field(default_factory=list)
    """What of meeting.toml belonged to the last meeting, cleared: "web", "item 7's withdrawn" …"""
    exempt: list[str] = field(default_factory=list)
    """The items still marked exempt, to check for the new meeting."""
    carried: object | None = None
    """What the meeting's part of the round did with meeting.toml (meeting/carry.py's Carried:
    the last meeting's record kept, its actions carried into the action log)."""


MeetingWriter = Callable[[Callable[[str], str], dt.date], object]
"""What writes meeting.toml for the next meeting (meeting/carry.py, a floor above): given
the round's own change to its text and the last meeting's date, it writes the file and
says what it did."""


def start(inputs: Path, output: Path, meeting: dt.date, deadline: dt.date,
          write_meeting: MeetingWriter | None = None) -> NewRound:
    """Put the last round in ``inputs`` away (read before its returns are: the new forms are
    prefilled from them), and set up the round for ``meeting``, due by ``deadline``;
    meeting.toml written by ``write_meeting``, where given."""
    if deadline >= meeting:
        return NewRound(refusal=NotStarted.DEADLINE_NOT_BEFORE_MEETING)
    check_output(output)
    last = read_round(inputs)
    before = last.paper.meeting_date
    agenda = inputs / MEETING_FILE
    done = NewRound(before)
    kept_in = inputs / LAST_ROUNDS / before.isoformat()
    for path in [*find_returns(inputs), *(p for p in sorted(inputs.iterdir())
                                          if p.is_file() and p.suffix.lower() in LOOKALIKE_SUFFIXES)]:
        done.moved.append(move_into(path, kept_in))
    outbox = output / "outbox"
    for name in LOGS:
        if (outbox / name).exists():
            done.moved.append(move_into(outbox / name, output / LAST_ROUNDS / before.isoformat()))
    done.changed = {
        "meeting_date": meeting.isoformat(),
        "deadline": deadline.isoformat(),
        "previous_meeting": before.isoformat(),
        "last_update": f'"{before:%B %Y}"',
    }
    path = inputs / PAPER_FILE
    write_atomic(path, _set(path.read_text(encoding="utf-8"), done.changed).encode("utf-8"))
    if agenda.is_file():  # the round reports to the meeting: its date moves too, and what was the last meeting's goes
        def next_text(text: str) -> str:
            text = _set(text, {"date": meeting.isoformat()})
            text = re.sub(r"(?m)^(published\s*=.*)$", r"# \1  (the last meeting's)", text)
            return _next_meeting(text, before, meeting, done)

        if write_meeting is None:
            write_atomic(agenda, next_text(agenda.read_text(encoding="utf-8")).encode("utf-8"))
        else:
            done.carried = write_meeting(next_text, before)
        done.meeting = agenda
    paper, _, _ = load_paper(inputs)
    done.forms = write_forms(dataclasses.replace(last, paper=paper), output / "forms")
    return done


NOTES = ("late", "withdrawn", "correction")
"""What an item of meeting.toml says of the last meeting's supplements: not the next's."""


def _next_meeting(text: str, last: dt.date, meeting: dt.date, done: NewRound) -> str:
    """meeting.toml's ``text`` for ``meeting``: the web address that ends in the last
    meeting's date given the new one, and each item's notes of the last meeting's
    supplements (late, withdrawn, correction) cleared, each said in ``done``; the items still
    marked exempt named there, to check."""
    web = re.search(r'(?m)^web\s*=\s*"([^"\n]*)"', text)
    if web and last.isoformat() in web[1]:
        text = text[:web.start(1)] + web[1].replace(last.isoformat(), meeting.isoformat()) + text[web.end(1):]
        done.cleared.append(f"web now ends in {meeting.isoformat()}")
    number = ""
    kept = []
    for line in text.splitlines(keepends=True):
        if re.match(r"\s*\[\[item\]\]", line):
            number = ""
        found = re.match(r'\s*number\s*=\s*"?([^"\n]*)"?', line)
        number = found[1].strip() if found else number
        note = re.match(rf'\s*({"|".join(NOTES)})\s*=\s*(".*"|\'.*\')\s*$', line)
        if note:  # a single-line note; one spread over lines is left, and said below by check
            done.cleared.append(f"item {number}'s {note[1]}")
            continue
        if re.match(r"\s*exempt\s*=\s*\d", line):
            done.exempt.append(number)
        kept.append(line)
    return "".join(kept)


def _set(text: str, values: dict[str, str]) -> str:
    """paper.toml's ``text`` with each of ``values`` set at the top level, its comments kept:
    a setting's line replaced where it is, or added after ``meeting_date``."""
    top, rest = re.split(r"(?m)^(?=\[)", text, maxsplit=1) if re.search(r"(?m)^\[", text) else (text, "")
    for key, value in values.items():
        line = f"{key} = {value}"
        pattern = re.compile(rf"(?m)^{key}\s*=.*$")
        if pattern.search(top):
            top = pattern.sub(lambda _: line, top, count=1)
        elif re.search(r"(?m)^(meeting_date|date)\s*=.*$", top):
            top = re.sub(r"(?m)^((meeting_date|date)\s*=.*)$", lambda m: f"{m.group(1)}\n{line}", top, count=1)
        else:
            top = top.rstrip("\n") + f"\n{line}\n"
    return top + ("\n" if rest and not top.endswith("\n") else "") + rest
