"""The record the clerk keeps of a meeting, read from meeting.toml: [minutes], and each item's decision, resolution and actions.

The names are the ones every meeting is kept with::

    [minutes]
    present = ["Cllr Ann Smith (Chair)", "Cllr Bob Jones"]
    apologies = ["Cllr Carol White"]
    substitutes = ["Cllr Dan Green for Cllr Carol White"]
    officers = ["Claire Moore, Partnerships Manager"]
    interests = [{ who = "Cllr Bob Jones", item = "7", what = "a personal interest: a trustee of …" }]

    [[item]]
    number = "7"
    …
    decision = "agreed"               # agreed, agreed as amended, noted, deferred, refused, withdrawn
    resolved = \"\"\"That the committee …\"\"\"   # Markdown
    summary = "…"                     # an exempt item: what the public minutes say of it
    [[item.action]]
    action = "Report back on the funding bid"
    owner = "Claire Moore"
    due = 2011-06-30

Each problem is a value, named with its item and advice; nothing here stops the minutes.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.filenames import MEETING_FILE, shown
from pipeline.meeting.config import ITEM_KEYS, load_meeting
from pipeline.prose import read_report
from pipeline.records.minutes import ACTION_KEYS, DECISIONS, Action, Interest, Outcome, Proceedings
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.rich_text import Block
from pipeline.settings import is_plausible_date, load_toml, unknown_keys
from pipeline.text import clean

MINUTES_KEYS = ("present", "apologies", "substitutes", "officers", "interests")
INTEREST_KEYS = ("who", "item", "what")
MAX_LINE = 1000
MAX_RESOLVED = 20_000


def load_proceedings(inputs: Path) -> Proceedings | None:
    """The record of the meeting in ``inputs/meeting.toml``, or None where there is no meeting."""
    meeting = load_meeting(inputs)
    if meeting is None:
        return None
    settings = load_toml(inputs / MEETING_FILE)
    problems: list[Problem] = []

    def problem(where: str | None, message: str, advice: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(severity, Source(MEETING_FILE, None, where), message, advice))

    table = settings.get("minutes", {})
    if not isinstance(table, dict):
        problem(None, "'minutes' is not a [minutes] section", "write it as [minutes] with present = [\"…\"]")
        table = {}
    unknown = unknown_keys(table, MINUTES_KEYS, " in [minutes]")
    if unknown:
        problem("[minutes]", *unknown)
    names = {key: _names(table.get(key, []), key, problem) for key in MINUTES_KEYS[:4]}
    listed = {item.number.casefold(): item for item in meeting.items}
    raw_items = {}
    for entry in settings.get("item", []) if isinstance(settings.get("item"), list) else []:
        number = entry.get("number") if isinstance(entry, dict) else None
        if isinstance(number, (str, int)) and not isinstance(number, bool):
            raw_items.setdefault(clean(str(entry["number"]))[0].strip().casefold(), entry)
    interests = _interests(table.get("interests", []), listed, problem)
    outcomes = []
    for item in meeting.items:
        entry = raw_items.get(item.number.casefold(), {})
        where = f"item {item.number}"
        decision = entry.get("decision", "")
        if not isinstance(decision, str) or decision.strip().lower() not in ("", *DECISIONS):
            problem(where, f"its decision {shown(repr(decision))[:60]} is not one the minutes know",
                    f"write decision = one of {', '.join(repr(d) for d in DECISIONS)}")
            decision = ""
        decision = decision.strip().lower()
        if not decision and not item.withdrawn:  # as Proceedings.undecided, which publishing refuses
            problem(where, "has no decision recorded", f'add decision = "noted" (or {", ".join(DECISIONS[:-1])}) '
                    "under the item in meeting.toml; the minutes say none was recorded until then", Severity.WARNING)
        resolved, text = _resolved(entry.get("resolved", ""), where, problem)
        summary = _line(entry.get("summary", ""), "summary", where, problem)
        if summary and not item.exempt:
            problem(where, "has a summary, which is for an exempt item's public minutes",
                    "write the resolution as resolved = \"…\"; the summary is left out", Severity.WARNING)
            summary = ""
        actions = _actions(entry.get("action", []), item, meeting.date, where, problem)
        minutes_of = entry.get("minutes_of")
        if minutes_of is not None and not (is_plausible_date(minutes_of) and minutes_of < meeting.date):
            problem(where, "'minutes_of' is not the date of an earlier meeting",
                    "write the date of the meeting whose minutes the item takes, as minutes_of = 2011-03-17")
            minutes_of = None
        outcomes.append(Outcome(item.number, item.title, decision if decision in DECISIONS else "", resolved,
                                item.exempt, summary, actions, text, minutes_of, bool(item.withdrawn)))
    call_in = settings.get("call_in_days")
    if call_in is not None and (isinstance(call_in, bool) or not isinstance(call_in, int) or not 1 <= call_in <= 30):
        problem(None, "'call_in_days' is not a number of working days",
                "write call_in_days = 5 (say), as the constitution sets it; the minutes give no date decisions take "
                "effect until then")
        call_in = None
    return Proceedings(meeting, **names, interests=interests, outcomes=tuple(outcomes), problems=tuple(problems),
                       call_in_days=call_in)


def _names(value, key: str, problem) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem("[minutes]", f"'{key}' is not a list of names", f'write it as {key} = ["Cllr Ann Smith", "…"]')
        return ()
    return tuple(name for name in (" ".join(clean(v)[0].split())[:MAX_LINE] for v in value) if name)


def _line(value, key: str, where: str, problem) -> str:
    if not isinstance(value, str) or len(value) > MAX_LINE:
        problem(where, f"'{key}' is not a line of text (of up to {MAX_LINE} characters)", f'write it as {key} = "…"')
        return ""
    return " ".join(clean(value)[0].split())


def _resolved(value, where: str, problem) -> tuple[tuple[Block, ...], str]:
    """The resolution's Markdown read into blocks (as a house-style paper's is), and as plain text."""
    if not isinstance(value, str) or len(value) > MAX_RESOLVED:
        problem(where, f"'resolved' is not text (of up to {MAX_RESOLVED} characters)", 'write it as resolved = """…"""')
        return (), ""
    text = clean(value)[0].strip()
    if not text:
        return (), ""
    sections, closing, found = read_report(text, MEETING_FILE)
    for warning in found:  # said of the item, not of a line of a file the clerk did not write
        problem(where, f"its resolution: {warning.message}", warning.advice, Severity.WARNING)
    blocks = tuple(block for section in sections for block in section.blocks) + closing
    return blocks, " ".join(text.split())


def _interests(value, listed: dict, problem) -> tuple[Interest, ...]:
    if not isinstance(value, list):
        problem("[minutes]", "'interests' is not a list of declarations",
                'write it as interests = [{ who = "…", item = "7", what = "…" }]')
        return ()
    found = []
    for index, entry in enumerate(value, start=1):
        where = f"[minutes] declaration {index}"
        if not isinstance(entry, dict):
            problem(where, "is not a declaration", 'write it as { who = "…", item = "7", what = "…" }')
            continue
        unknown = unknown_keys(entry, INTEREST_KEYS, " in a declaration")
        if unknown:
            problem(where, *unknown)
            continue
        who = _line(entry.get("who", ""), "who", where, problem)
        item = clean(str(entry.get("item", "")))[0].strip() if isinstance(entry.get("item", ""), (str, int)) else ""
        what = _line(entry.get("what", ""), "what", where, problem)
        if not who:
            problem(where, "names no one", 'add who = "Cllr …"; it is left out until then')
            continue
        if not item or item.casefold() not in listed:
            problem(where, f"{who}'s declaration names no item on the agenda"
                    + (f" (it says {shown(item)[:20]})" if item else ""),
                    'add item = "7" (the number of the item it concerns); the minutes list it under '
                    "declarations without an item until then", Severity.WARNING)
            item = ""
        found.append(Interest(who, listed[item.casefold()].number if item else "", what))
    return tuple(found)


def _actions(value, item, meeting, where: str, problem) -> tuple[Action, ...]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        problem(where, "'action' is not a list of [[item.action]] sections", "write each action as [[item.action]]")
        return ()
    found = []
    for index, entry in enumerate(value, start=1):
        at = f"{where}, action {index}"
        if not isinstance(entry, dict):
            problem(at, "is not an [[item.action]] section",
                    'write it with action = "…", owner = "…", due = 2011-06-30')
            continue
        unknown = unknown_keys(entry, ACTION_KEYS, " in an action")
        if unknown:
            misplaced = [key for key in entry if key in ITEM_KEYS and key not in ACTION_KEYS]
            problem(at, *unknown) if not misplaced else problem(
                at, f"has {', '.join(misplaced)}, which belongs to the item, not to an action",
                "in meeting.toml everything after an [[item.action]] line belongs to that action: move the item's "
                f"own settings ({', '.join(misplaced)}) above its first [[item.action]]; the action is left out "
                "until then")
            continue
        text = _line(entry.get("action", ""), "action", at, problem)
        if not text:
            problem(at, "says no action", 'add action = "…" (what the committee asked for); it is left out until then')
            continue
        owner = _line(entry.get("owner", ""), "owner", at, problem)
        if not owner:
            problem(at, "has no owner", 'add owner = "…", who is to do it; the action log shows it unowned until then',
                    Severity.WARNING)
        due, done = entry.get("due"), entry.get("done")
        if not is_plausible_date(due):
            problem(at, "has no due date",
                    "add due = 2011-06-30 (without quotes); it is never shown overdue until then", Severity.WARNING)
            due = None
        if done is not None and not is_plausible_date(done):
            problem(at, "'done' is not a date", "write the day it was done, as done = 2011-06-01 (without quotes)")
            done = None
        found.append(Action(text, owner, due, meeting, item.number, item.title, item.exempt, done,
                            _line(entry.get("note", ""), "note", at, problem)))
    return tuple(found)
