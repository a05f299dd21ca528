"""The meeting, described once in meeting.toml: its facts and its agenda, item by item.

Each item has a number, a title, whether it is for decision or information, and its paper
(of one of the kinds in kinds.py: one papers builds, the partnership round's ``paper.toml``
or a house-style ``.md``; one supplied as ``.docx`` or ``.pdf``), or none (apologies,
declarations of interest); and any appendices. An item can be exempt, with its paragraph of Schedule 12A to the Local
Government Act 1972. A problem with one item is named, with advice; the others are built.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from pipeline.filenames import MEETING_FILE, shown
from pipeline.mail.settings import RECIPIENT_KEYS, read_mail
from pipeline.meeting.clear_days import STATUTORY
from pipeline.meeting.kinds import APPENDIX_KINDS, kind_of, known
from pipeline.records.meeting import Item, Meeting
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.settings import Mail, Officer
from pipeline.settings import (
    CONTACT_KEYS,
    ConfigError,
    check_keys,
    confined,
    fail,
    is_plausible_date,
    load_toml,
    unknown_keys,
)
from pipeline.text import clean

MEETING_KEYS = ("council", "committee", "date", "time", "venue", "clerk", "published", "clear_days", "web",
                "attach_up_to_mb", "mail", "recipient", "item", "minutes", "call_in_days")
RECORD_KEYS = ("decision", "resolved", "summary", "action")
"""What an [[item]] records of the meeting once it is held (read by proceedings.py, not here)."""
ITEM_KEYS = ("number", "title", "purpose", "paper", "appendices", "exempt", "late", "withdrawn", "correction",
             "minutes_of", *RECORD_KEYS)
"""An item's settings; ``minutes_of`` (the date of the meeting whose minutes the item takes)
is read by proceedings.py, and moved on to the last meeting's date by a new round."""
APPENDIX_KEYS = ("file", "title")
NOTES = ("late", "withdrawn", "correction")
"""An item's notes for a supplement: why it is late, why withdrawn, what was corrected."""
MAX_NOTE = 1000
PURPOSES = ("decision", "information", "")
MAX_ITEMS = 200
"""More items than any committee's agenda has: the rest are refused, so that a runaway file
cannot cost minutes."""
ATTACH_UP_TO_MB = 10
"""The largest message papers attaches packs to: many mail servers refuse more."""
MAX_NUMBER, MAX_TITLE = 20, 300
"""The longest item number and title an agenda shows, in characters."""


def load_meeting(inputs: Path) -> Meeting | None:
    """The meeting described in ``inputs/meeting.toml``, or None where there is none (a round on its own)."""
    path = inputs / MEETING_FILE
    if not path.is_file():
        return None
    settings = load_toml(path)
    check_keys(MEETING_FILE, settings, MEETING_KEYS)
    committee = settings.get("committee")
    if not isinstance(committee, str) or not committee.strip():
        raise fail(MEETING_FILE, "'committee' is not set", 'add committee = "…"')
    date = settings.get("date")
    if not is_plausible_date(date):
        raise fail(MEETING_FILE, "'date' is not the meeting's date", "write it without quotes, as date = 2011-03-17")
    entries = settings.get("item", [])
    if not isinstance(entries, list):
        raise fail(MEETING_FILE, "'item' must be a list of [[item]] sections", "write each agenda item as an [[item]] section")
    items: list[Item] = []
    problems: list[Problem] = []
    numbers: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"item {index}"

        def problem(message: str, advice: str) -> None:
            problems.append(Problem(Severity.ERROR, Source(MEETING_FILE, None, where), message, advice))

        if not isinstance(entry, dict):
            problem("is not an [[item]] section", "write it as [[item]] with number = … and title = …")
            continue
        if isinstance(entry.get("number"), (str, int)) and not isinstance(entry.get("number"), bool):
            where = f"item {shown(clean(str(entry['number']))[0].strip()[:20]) or index}"  # as the officer numbered it
        unknown = unknown_keys(entry, ITEM_KEYS)
        if unknown:
            problem(f"has {unknown[0]}", f"{unknown[1]}; the item is left out until then")
            continue
        raw_number, raw_title = entry.get("number", ""), entry.get("title", "")
        if isinstance(raw_number, bool) or not isinstance(raw_number, (str, int)) or not isinstance(raw_title, str):
            problem("has a number or title that is not text (a list or a table, say)",
                    'write them as number = "4" and title = "…"; the item is left out until then')
            continue
        number = clean(str(raw_number))[0].strip()
        title = clean(raw_title)[0].strip()
        where = f"item {shown(number[:20]) or index}"
        if not number or not title:
            problem("has no number or no title", 'give it number = "…" and title = "…"; it is left out until then')
            continue
        if len(number) > MAX_NUMBER or len(title) > MAX_TITLE:
            problem(f"has a number or title longer than an agenda can show ({MAX_NUMBER} and {MAX_TITLE} characters)",
                    "shorten it; the item is left out until then")
            continue
        if number.casefold() in numbers:
            # Compared without case: 9a and 9A would share a file name, and a reader's eye.
            problem(f"has the number {number}, which another item has", "give each item its own number; the second is left out")
            continue
        if len(items) == MAX_ITEMS:
            problem(f"is more than the {MAX_ITEMS} items an agenda can have",
                    "split the meeting's business into a supplementary agenda; the items from here on are left out")
            break
        numbers.add(number.casefold())
        purpose = str(entry.get("purpose", "")).strip().lower()
        if purpose not in PURPOSES:
            problem(f"purpose '{purpose}' is not known", 'use purpose = "decision" or purpose = "information"')
            purpose = ""
        exempt = entry.get("exempt")
        if exempt is not None and (isinstance(exempt, bool) or not isinstance(exempt, int) or not 1 <= exempt <= 7):
            problem(f"exempt = {exempt!r} is not a paragraph of Schedule 12A (1 to 7)",
                    "write exempt = 3 (say) for an exempt item; it is left out until then")
            continue
        paper = kind = None
        if entry.get("paper"):
            paper = confined(inputs, str(entry["paper"]))
            kind = kind_of(paper) if paper else None
            if paper is None or kind is None:
                problem(f"its paper '{shown(str(entry['paper']))}' is not {known()} in the inputs folder",
                        "name a file in the inputs folder; the item is listed without a paper")
                paper = kind = None
            elif not paper.is_file():
                problem(f"its paper '{shown(str(entry['paper']))}' is not there", "put the file in the inputs folder, or correct the name; "
                        "the item is listed without a paper until then")
                paper = kind = None
        appendices: list[Path] = []
        titles: list[str] = []
        raw_appendices = entry.get("appendices", [])
        for appendix in raw_appendices if isinstance(raw_appendices, list) else [raw_appendices]:
            named = ""
            if isinstance(appendix, dict):  # { file = "…", title = "…" }
                unknown = unknown_keys(appendix, APPENDIX_KEYS, " in an appendix")
                if unknown or not isinstance(appendix.get("title", ""), str):
                    problem(unknown[0] if unknown else "an appendix's title is not text", (unknown[1] if unknown else
                            'write it as { file = "….pdf", title = "…" }') + "; the rest of the item is built")
                    continue
                named = " ".join(clean(appendix.get("title", ""))[0].split())[:MAX_TITLE]
                appendix = appendix.get("file", "")
            found = confined(inputs, str(appendix))
            if found is None or found.suffix.lower() not in APPENDIX_KINDS or not found.is_file():
                problem(f"its appendix '{shown(str(appendix))}' is not a .pdf or .docx file in the inputs folder",
                        "put the file in the inputs folder, or correct the name; the rest of the item is built")
                continue
            appendices.append(found)
            titles.append(named or _title_of(found))
        notes = {}
        for key in NOTES:
            value = entry.get(key, "")
            if not isinstance(value, str) or len(value) > MAX_NOTE:
                problem(f"'{key}' is not a line of text (of up to {MAX_NOTE} characters)",
                        f'write it as {key} = "…"; the item is listed without it until then')
                value = ""
            notes[key] = " ".join(clean(value)[0].split())
        items.append(Item(number, title, purpose, paper, kind, tuple(appendices), exempt, **notes,
                          appendix_titles=tuple(titles)))
    items = _published_apart(items, problems)
    facts = {}
    for key in ("time", "venue", "council"):
        value = settings.get(key, "")
        if not isinstance(value, str) or len(value) > MAX_TITLE:
            problems.append(Problem(Severity.ERROR, Source(MEETING_FILE), f"'{key}' is not a line of text",
                                    f'write it as {key} = "…"; the agenda is printed without it until then'))
            value = ""
        facts[key] = clean(value)[0].strip()
    publishing = _publishing(settings, problems)
    return Meeting(
        **publishing,
        committee=clean(committee)[0].strip(),
        date=date,
        time=facts["time"],
        venue=facts["venue"],
        council=facts["council"],
        clerk=_clerk(settings.get("clerk"), problems),
        items=tuple(items),
        problems=tuple(problems),
    )


def _title_of(path: Path) -> str:
    """An appendix's title from its file's name, where none is given: "Progress through partnership strands"."""
    words = " ".join(shown(path.stem).replace("_", " ").replace("-", " ").split())
    return (words[:1].upper() + words[1:])[:MAX_TITLE] or "Appendix"


def _published_apart(items: list[Item], problems: list[Problem]) -> list[Item]:
    """``items``, with any file that an exempt item also lists taken from the public items that
    list it (and each named): an exempt item's file is never published with a public one."""
    private = {path for item in items if item.exempt for path in (item.paper, *item.appendices) if path is not None}
    kept = []
    for item in items:
        shared = [path for path in (item.paper, *item.appendices) if path in private] if not item.exempt else []
        for path in shared:
            problems.append(Problem(
                Severity.ERROR, Source(MEETING_FILE, None, f"item {item.number}"),
                f"lists {shown(path.name)}, which an exempt item lists too: it is left out of this public item",
                "an exempt item's papers are not published; if this file is public, give the exempt item a copy "
                "of its own (or list it only here)"))
        if shared:
            kept_appendices = [(a, t) for a, t in zip(item.appendices, item.appendix_titles) if a not in private]
            item = dataclasses.replace(
                item, paper=None if item.paper in private else item.paper,
                kind=None if item.paper in private else item.kind,
                appendices=tuple(a for a, _ in kept_appendices), appendix_titles=tuple(t for _, t in kept_appendices))
        kept.append(item)
    return kept


def _publishing(settings: dict, problems: list[Problem]) -> dict:
    """The settings for publishing and sending the agenda: the date of publication, the
    clear days, the page's web address and the distribution list."""
    found = {}

    def problem(message: str, advice: str) -> None:
        problems.append(Problem(Severity.ERROR, Source(MEETING_FILE), message, advice))

    published = settings.get("published")
    if published is not None and not is_plausible_date(published):
        problem("'published' is not a date", "write the date of publication without quotes, as published = 2011-03-09; "
                "until then the front sheet gives the last day that leaves the statutory clear days")
    elif published is not None:
        found["published"] = published
    days = settings.get("clear_days", STATUTORY)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        problem(f"clear_days = {shown(repr(days))[:40]} is not a number of days", "write clear_days = 5 (England) or "
                "clear_days = 3 (Wales); 5 is used until then")
    else:
        found["clear_days"] = days
    web = settings.get("web", "")
    if not isinstance(web, str) or (web and not re.fullmatch(r"https?://[^\s<>\"'`]{1,500}", web)):
        problem("'web' is not a web address", 'write the address of the meeting\'s page, as web = "https://…/"; '
                "the open data and the links to large packs wait for it")
    elif web:
        found["web"] = web if web.endswith("/") else web + "/"
    limit = settings.get("attach_up_to_mb", ATTACH_UP_TO_MB)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 <= limit <= 100:
        problem("'attach_up_to_mb' is not a number of megabytes", f"write attach_up_to_mb = 10, say; {ATTACH_UP_TO_MB} is used until then")
    else:
        found["attach_up_to_mb"] = limit
    try:
        mail = read_mail(settings, MEETING_FILE, "", RECIPIENT_KEYS + ("exempt",))
    except ConfigError as error:  # [mail] itself unusable: said, and by send too
        problems.append(error.problem)
        found["mail"] = Mail(problems=(error.problem,))
    else:
        problems.extend(mail.problems)
        found["mail"] = mail
    return found


def _clerk(table, problems: list[Problem]) -> Officer | None:
    """The clerk's contact ([clerk]: name, role, email, phone), or None where there is none."""
    if table is None:
        return None
    if not isinstance(table, dict):
        problems.append(Problem(Severity.ERROR, Source(MEETING_FILE), "'clerk' is not a [clerk] section",
                                'write it as [clerk] with name = "…" and email = "…"; the agenda is printed without it'))
        return None
    check_keys(MEETING_FILE, table, CONTACT_KEYS, " in [clerk]")
    values = {key: table[key] for key in CONTACT_KEYS if key in table}
    if not values.get("name") or not all(isinstance(v, str) and len(v) <= MAX_TITLE for v in values.values()):
        problems.append(Problem(Severity.ERROR, Source(MEETING_FILE), "[clerk] has no name, or a value that is not a line of text",
                                'write it as name = "…", role = "…", email = "…", phone = "…"; the agenda is printed without it'))
        return None
    return Officer(**{k: clean(v)[0].strip() for k, v in values.items()}, order=tuple(values))
