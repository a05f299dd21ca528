"""What a new round does with the last meeting's record: kept whole beside its returns, its open actions carried into the action log, and meeting.toml cleared of it for the next meeting.

meeting.toml is the clerk's file, comments and all: the record ([minutes], and each item's
decision, resolved, summary and [[item.action]]) is taken out line by line, and the result
read back to prove that nothing else moved before it is written. The agenda gains an
"Action log" item, once, when there is a log to report.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.filenames import LAST_ROUNDS, MEETING_FILE, free_path, write_atomic
from pipeline.meeting.action_log import FILE as ACTION_LOG
from pipeline.meeting.action_log import addable, carry_forward
from pipeline.meeting.config import RECORD_KEYS
from pipeline.meeting.proceedings import load_proceedings
from pipeline.records.minutes import Action
from pipeline.round import new_round
from pipeline.settings import fail


@dataclass
class Carried:
    """What the new round did with the last meeting's record."""

    kept: Path | None = None
    """Where the last meeting's meeting.toml, record and all, is kept."""
    actions: list[Action] = field(default_factory=list)
    """The actions added to the action log."""
    item: str = ""
    """The number of the "Action log" item added to the agenda, if one was."""


@dataclass(frozen=True)
class Plan:
    """What carrying the record will write: meeting.toml's next text, and the actions to carry."""

    text: str
    actions: tuple[Action, ...]
    item: str
    recorded: bool


def plan(inputs: Path) -> Plan | None:
    """What carrying the last meeting's record would do (None without a meeting.toml);
    raises ConfigError, before anything is moved, where the record cannot be cleared."""
    path = inputs / MEETING_FILE
    proceedings = load_proceedings(inputs)
    if proceedings is None:
        return None
    text = path.read_text(encoding="utf-8")
    cleared = _minutes_of(without_record(text), proceedings.meeting.date)
    log = inputs / ACTION_LOG
    addable(log)  # a log that cannot be added to refuses the round before anything moves
    before = tomllib.loads(text)
    papers = [str(i.get("paper", "")) for i in before.get("item", []) if isinstance(i, dict)]
    item = ""
    if (proceedings.actions or log.is_file()) and ACTION_LOG not in papers:
        numbers = [int(i["number"]) for i in before.get("item", []) if isinstance(i, dict)
                   and str(i.get("number", "")).strip().isdigit()]
        item = str(max(numbers, default=0) + 1)
        cleared = cleared.rstrip("\n") + (
            f'\n\n# Added by make new-round: the actions not yet done. Move it where the committee takes it.\n'
            f'[[item]]\nnumber = "{item}"\ntitle = "Action log"\npurpose = "information"\npaper = "{ACTION_LOG}"\n')
    _prove(before, cleared, item, proceedings.meeting.date)
    return Plan(cleared, proceedings.actions, item, proceedings.recorded)


def _minutes_of(text: str, last: dt.date) -> str:
    """``text`` with the item that takes the last meeting's minutes (``minutes_of``) moved on
    to the meeting just held: its minutes are the next meeting's to confirm."""
    return re.sub(r"(?m)^(\s*minutes_of\s*=\s*)\d{4}-\d{2}-\d{2}(\s*(#.*)?)$", rf"\g<1>{last.isoformat()}\g<2>", text)


def start_round(inputs: Path, output: Path, meeting: dt.date, deadline: dt.date) -> new_round.NewRound:
    """A new round (round/new_round.py) for ``meeting``, with the last meeting's record
    carried: planned first, so that a record that cannot be carried refuses the round
    before anything is moved."""
    planned = plan(inputs)
    if planned is None:
        return new_round.start(inputs, output, meeting, deadline)
    return new_round.start(inputs, output, meeting, deadline,
                           lambda next_text, last: carry(inputs, planned, last, next_text))


def carry(inputs: Path, planned: Plan, last: dt.date, meeting_text) -> Carried:
    """``planned`` done: the last meeting's file kept (if anything was recorded), its actions
    carried, and meeting.toml written as ``meeting_text`` (the round's own changes) makes it."""
    done = Carried(item=planned.item)
    path = inputs / MEETING_FILE
    if planned.recorded:
        done.kept = free_path(inputs / LAST_ROUNDS / last.isoformat() / MEETING_FILE)
        write_atomic(done.kept, path.read_bytes())
    done.actions = carry_forward(inputs / ACTION_LOG, planned.actions)
    write_atomic(path, meeting_text(planned.text).encode("utf-8"))
    return done


_HEADER = re.compile(r"\s*\[\[?\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")
_RECORD_KEY = re.compile(rf"\s*({'|'.join(k for k in RECORD_KEYS if k != 'action')})\s*=\s*(.*)$")


def without_record(text: str) -> str:
    """meeting.toml's ``text`` without the last meeting's record: the [minutes] table (and any
    table under it), each [[item.action]], and each item's decision, resolved and summary
    (a value over several lines, in triple quotes, with it)."""
    kept: list[str] = []
    section, dropping, dropping_value, open_quote = "", False, False, ""
    for line in text.splitlines(keepends=True):
        if open_quote:  # within a value over several lines: it goes where its first line went
            if not dropping_value:
                kept.append(line)
            if line.count(open_quote) % 2:
                open_quote = ""
            continue
        header = _HEADER.match(line)
        if header:
            section = header[1].replace('"', "").replace("'", "").replace(" ", "")
            dropping = section == "minutes" or section.startswith("minutes.") or section == "item.action"
        dropping_value = dropping
        record = _RECORD_KEY.match(line) if section == "item" and not dropping else None
        if record:
            dropping_value = True
        for quote in ('"""', "'''"):
            if line.count(quote) % 2:
                open_quote = quote
                break
        if not dropping_value:
            kept.append(line)
    return "".join(kept)


def _prove(before: dict, text: str, item: str, last: dt.date) -> None:
    """Refuse (ConfigError) a cleared meeting.toml that says anything but what it said
    before, less the record, and with the "Action log" item if one was added."""
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        after = None
    expected = {key: value for key, value in before.items() if key != "minutes"}
    expected["item"] = [{k: (last if k == "minutes_of" else v) for k, v in entry.items() if k not in RECORD_KEYS}
                        if isinstance(entry, dict) else entry for entry in before.get("item", [])]
    if item:
        expected["item"] = [*expected["item"], {"number": item, "title": "Action log", "purpose": "information",
                                                "paper": ACTION_LOG}]
    if not expected["item"] and "item" not in before:
        expected.pop("item")
    if after != expected:
        raise fail(MEETING_FILE, "the last meeting's record could not be taken out of it line by line (it is "
                   "written in a way papers does not take apart), so the new round was not started",
                   "take out [minutes] and each item's decision, resolved, summary and [[item.action]] by hand "
                   "(keep a copy first: it is the meeting's record), then run the new round again")
