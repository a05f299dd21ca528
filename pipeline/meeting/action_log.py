"""The kept action log (inputs/action-log.toml): every action the committee asked for, carried from meeting to meeting until recorded done.

``make new-round`` adds the last meeting's actions to it (never one twice, never one
deleted); the clerk closes one by giving it ``done = <date>`` and a ``note``. The agenda's
"Action log" item (``paper = "action-log.toml"``) is a paper papers builds from it: each
open action with the meeting and item it came from, its owner, due date and status, the
overdue ones marked. An action of an exempt item is listed without its words.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pipeline.filenames import write_atomic
from pipeline.records.minutes import ACTION_KEYS, Action
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.rich_text import Block, BlockKind, Run, Table
from pipeline.records.round import Round
from pipeline.records.settings import Paper, Section
from pipeline.settings import ConfigError, fail, is_plausible_date, load_toml, unknown_keys
from pipeline.text import clean
from pipeline.vocabulary import long_date

FILE = "action-log.toml"
LOG_KEYS = ("action",)
ENTRY_KEYS = ("meeting", "item", "item_title", "exempt", *ACTION_KEYS)
MAX_ACTIONS = 5000
HEADER = """\
# The committee's action log, kept by papers: `make new-round` adds each meeting's actions
# here, and the agenda's "Action log" item lists every one not yet done.
#
# To close an action, record it done, never delete it: add under it
#   done = 2011-06-01
#   note = "What was done"
"""


def read_log(path: Path) -> tuple[tuple[Action, ...], tuple[Problem, ...]]:
    """The actions kept in ``path`` (none if it is not there), and what is wrong with any of them."""
    if not path.is_file():
        return (), ()
    settings = load_toml(path)
    problems: list[Problem] = []

    def problem(where: str | None, message: str, advice: str, severity=Severity.ERROR) -> None:
        problems.append(Problem(severity, Source(FILE, None, where), message, advice))

    unknown = unknown_keys(settings, LOG_KEYS)
    if unknown:
        problem(None, *unknown)
    entries = settings.get("action", [])
    if not isinstance(entries, list):
        problem(None, "'action' is not a list of [[action]] sections", "write each action as [[action]]")
        entries = []
    found = []
    for index, entry in enumerate(entries[:MAX_ACTIONS], start=1):
        where = f"action {index}"
        said = unknown_keys(entry, ENTRY_KEYS) if isinstance(entry, dict) else (
            "is not an [[action]] section", 'write it with action = "…", owner = "…", due = …')
        if said:
            problem(where, said[0], said[1] + "; it is left out")
            continue
        text = {key: " ".join(clean(str(entry.get(key, "")))[0].split())[:1000]
                for key in ("action", "owner", "item", "item_title", "note")}
        dates = {key: entry.get(key) for key in ("meeting", "due", "done")}
        for key, value in dates.items():
            if value is not None and not is_plausible_date(value):
                problem(where, f"'{key}' is not a date", f"write it without quotes, as {key} = 2011-06-30")
                dates[key] = None
        exempt = entry.get("exempt")
        exempt = exempt if isinstance(exempt, int) and not isinstance(exempt, bool) and 1 <= exempt <= 7 else None
        if not text["action"] or dates["meeting"] is None:
            problem(where, "says no action, or no meeting it came from",
                    'give it action = "…" and meeting = 2011-03-17')
            continue
        found.append(Action(text["action"], text["owner"], dates["due"], dates["meeting"], text["item"],
                            text["item_title"], exempt, dates["done"], text["note"]))
    if len(entries) > MAX_ACTIONS:
        problem(None, f"holds more than {MAX_ACTIONS} actions", "the rest are left out: close and archive old ones")
    return tuple(found), tuple(problems)


def _key(action: Action) -> tuple:
    """What makes an action the same one: where it came from, and what it asks."""
    return (action.meeting, action.item.casefold(), action.action)


def addable(path: Path) -> tuple[Action, ...]:
    """The actions kept in the log at ``path``; raises ConfigError, naming its first error,
    where the log cannot be added to (a new round asks before it moves anything)."""
    kept, problems = read_log(path)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise fail(FILE, f"cannot be added to: {errors[0].source.cell}: {errors[0].message}, so the new round "
                   "was not started", f"{errors[0].advice}; then run the new round again")
    return kept


def carry_forward(path: Path, actions: tuple[Action, ...]) -> list[Action]:
    """``actions`` (a meeting's) added to the log at ``path``, but those already there
    (recorded done or not) and those done before they were carried: the ones added."""
    kept = addable(path)
    there = {_key(action) for action in kept}
    added = [action for action in actions if _key(action) not in there and action.done is None]
    if added:
        write_atomic(path, log_text((*kept, *added)).encode("utf-8"))
    return added


def log_text(actions: tuple[Action, ...]) -> str:
    """The action log as written: its header, then each action as an [[action]] section."""
    lines = [HEADER]
    for action in actions:
        lines.append("[[action]]")
        lines.append(f"meeting = {action.meeting.isoformat()}")
        lines.append(f"item = {_string(action.item)}")
        if action.item_title:
            lines.append(f"item_title = {_string(action.item_title)}")
        if action.exempt:
            lines.append(f"exempt = {action.exempt}")
        lines.append(f"action = {_string(action.action)}")
        lines.append(f"owner = {_string(action.owner)}")
        if action.due:
            lines.append(f"due = {action.due.isoformat()}")
        if action.done:
            lines.append(f"done = {action.done.isoformat()}")
        if action.note:
            lines.append(f"note = {_string(action.note)}")
        lines.append("")
    return "\n".join(lines)


def _string(text: str) -> str:
    """``text`` as a TOML basic string: JSON's escapes are TOML's, but for DEL, which TOML wants escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def action_log_round(path: Path, committee: str, date: dt.date) -> tuple[Round | None, list[Problem]]:
    """The Action log paper for the meeting on ``date``: every action not yet done."""
    try:
        actions, problems = read_log(path)
    except ConfigError as error:
        return None, [error.problem]
    open_ = [action for action in actions if action.done is None]
    overdue = sum(action.overdue(date) for action in open_)
    intro = (f"{len(open_)} action{'s' if len(open_) != 1 else ''} the committee asked for "
             f"{'are' if len(open_) != 1 else 'is'} not yet done"
             + (f", {overdue} of them overdue (marked “Overdue”)" if overdue else "")
             + ". An action is closed when it is recorded done, with the date and what was done; closed ones "
             "are not listed.")
    blocks: list[Block] = [Block(BlockKind.PARAGRAPH, (Run(intro),))]
    if open_:
        head = tuple((Run(label),) for label in ("From", "Action", "Owner", "Due", "Status"))
        rows = []
        for action in open_:
            late = action.overdue(date)
            came = f"{long_date(action.meeting)}, item {action.item}" + (
                f": {action.item_title}" if action.item_title else "")
            words = (f"An action on an exempt item (paragraph {action.exempt} of Schedule 12A): its words are in the "
                     "private minutes") if action.exempt else action.action
            rows.append(((Run(came),), (Run(words),), (Run(action.owner or "no owner"),),
                         (Run(long_date(action.due) if action.due else "no date"),),
                         (Run("Overdue", bold=True),) if late else (Run("Open"),)))
        blocks.append(Block(BlockKind.TABLE, (), table=Table(head, tuple(rows))))
    paper = Paper(committee=committee, meeting_date=date, title="Action log", questions=(),
                  sections=(Section("Actions not yet done", tuple(blocks)),), numbered=False, with_returns=False)
    return Round(paper, (), problems), list(problems)
