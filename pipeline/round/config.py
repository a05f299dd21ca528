"""The round's settings — paper.toml, the registry of partnerships and the covering report — read and checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.filenames import slug
from pipeline.mail.settings import read_mail
from pipeline.prose import read_report
from pipeline.records.problems import Problem
from pipeline.records.settings import Kind, Mail, Officer, Paper, Partnership, Recipient
from pipeline.settings import (
    CONTACT_KEYS,
    EARLIEST_YEAR,
    LATEST_YEAR,
    check_keys,
    confined,
    fail,
    is_plausible_date,
    load_toml,
    read_text,
    text_setting,
)
from pipeline.text import clean

PAPER_FILE = "paper.toml"

#: Every key paper.toml may set, with its default. ``None`` means the key is required.
DEFAULTS: dict[str, Any] = {
    "committee": None,  # "Strategy and Partnerships Scrutiny Committee"
    "meeting_date": None,  # 2011-03-17 (a TOML date)
    "title": "Partnership update report",
    "agenda_item": "",  # "9", shown above the committee when set
    "last_update": "",  # "September 2010", put into questions as {last_update}
    "report": "report.md",  # the covering report, in Markdown, beside paper.toml
    "partnerships": "partnerships.toml",  # the registry, beside paper.toml
    "district_heading": "All district LSPs",  # the list item the district partnerships nest under
    "deadline": "",  # 2011-03-01: when returns are due (a TOML date); the forms and the check show it
    "previous_meeting": "",  # 2010-09-22: a return completed before it is last round's (make new-round sets it)
    "compare_last_round": True,  # say what changed since last round's returns (inputs/last-rounds/<previous_meeting>/)
    "return_to": "",  # "partnerships@example.gov.uk": where the forms say to send returns
    "questions": [
        "What is the current focus for the Partnership?",
        "What has the Partnership achieved since the last update? (given in {last_update})",
        "What are your plans for the year ahead? (e.g. Membership changes, priorities)",
        "What do you think the role of the Partnership in the Big Society is?",
    ],
    "contact": {},  # name, role, email, phone of the officer named at the end of the report
    "mail": {},  # from, per_recipient, attach_docx, and [mail.smtp]: see MAIL_DEFAULTS
    "recipient": [],  # the distribution list: [[recipient]] tables of name, email, role
}
PARTNERSHIP_KEYS = ("id", "name", "short_name", "kind", "aliases", "contact")


@dataclass(frozen=True)
class Config:
    """What the configuration files say: the paper, and the partnerships expected."""

    paper: Paper
    registry: tuple[Partnership, ...]
    problems: tuple[Problem, ...] = ()
    """Warnings about the settings that did not stop the build (the report's Markdown)."""


def _inside(inputs: Path, key: str, value: str) -> Path:
    """The file a path setting names, which must be inside the inputs folder."""
    path = confined(inputs, value)
    if path is None:
        raise fail(
            PAPER_FILE,
            f"'{key}' names '{value}', which is not a file in the inputs folder",
            f"name a file beside {PAPER_FILE}, such as {key} = \"{DEFAULTS[key]}\"",
        )
    return path


def load_paper(inputs: Path) -> tuple[Paper, Path, tuple[Problem, ...]]:
    """The paper's facts from ``paper.toml``, defaults filled in; the registry's path; and
    what the covering report holds that could not be kept as written."""
    settings = load_toml(inputs / PAPER_FILE)
    check_keys(PAPER_FILE, settings, DEFAULTS)
    merged = {**DEFAULTS, **settings}
    for key, default in DEFAULTS.items():
        if default is None and key not in settings:
            raise fail(PAPER_FILE, f"'{key}' is not set", f"add a line {key} = … (see README.md)")
    meeting = merged["meeting_date"]
    if isinstance(meeting, dt.datetime) or not isinstance(meeting, dt.date):
        raise fail(PAPER_FILE, "'meeting_date' is not a date", "write it without quotes, as meeting_date = 2011-03-17")
    if not EARLIEST_YEAR <= meeting.year <= LATEST_YEAR:
        raise fail(PAPER_FILE, f"'meeting_date' {meeting.isoformat()} is not a date a meeting can fall on",
                    f"check the year (papers takes {EARLIEST_YEAR} to {LATEST_YEAR})")
    questions = merged["questions"]
    if not isinstance(questions, list) or not questions or not all(isinstance(q, str) and q.strip() for q in questions):
        raise fail(PAPER_FILE, "'questions' must be a list of questions in quotes", 'write questions = ["…", "…"]')
    contact = merged["contact"]
    if not isinstance(contact, dict):
        raise fail(PAPER_FILE, "'contact' must be a table", "write it as a [contact] section")
    check_keys(PAPER_FILE, contact, CONTACT_KEYS, " in [contact]")

    deadline = merged["deadline"] or None
    if deadline is not None and (isinstance(deadline, dt.datetime) or not isinstance(deadline, dt.date)):
        raise fail(PAPER_FILE, "'deadline' is not a date", "write it without quotes, as deadline = 2011-03-01")
    if deadline is not None and not EARLIEST_YEAR <= deadline.year <= LATEST_YEAR:
        raise fail(PAPER_FILE, f"'deadline' {deadline.isoformat()} is not a plausible date", "check the year")
    previous = merged["previous_meeting"] or None
    if previous is not None and not is_plausible_date(previous):
        raise fail(PAPER_FILE, "'previous_meeting' is not a date", "write it without quotes, as previous_meeting = 2010-09-22")
    if not isinstance(merged["compare_last_round"], bool):
        raise fail(PAPER_FILE, "'compare_last_round' is not true or false",
                   "write compare_last_round = false to turn it off, or leave it out")
    last_update = text_setting(PAPER_FILE, merged, "last_update")
    report_path = _inside(inputs, "report", text_setting(PAPER_FILE, merged, "report"))
    if not report_path.is_file():
        raise fail(report_path.name, "not found", f"create it, or set report = … in {PAPER_FILE}")
    sections, closing, report_problems = read_report(clean(read_text(report_path))[0], report_path.name)

    paper = Paper(
        committee=text_setting(PAPER_FILE, merged, "committee"),
        meeting_date=meeting,
        title=text_setting(PAPER_FILE, merged, "title"),
        agenda_item=str(merged["agenda_item"]).strip(),
        last_update=last_update,
        questions=tuple(clean(q)[0].strip().replace("{last_update}", last_update) for q in questions),
        sections=sections,
        closing=closing,
        contact=Officer(**{k: clean(str(v))[0].strip() for k, v in contact.items()}, order=tuple(contact))
        if contact.get("name") else None,
        district_heading=text_setting(PAPER_FILE, merged, "district_heading"),
        deadline=deadline,
        return_to=text_setting(PAPER_FILE, merged, "return_to"),
        previous_meeting=previous,
        compare_last_round=merged["compare_last_round"],
    )
    return paper, _inside(inputs, "partnerships", text_setting(PAPER_FILE, merged, "partnerships")), report_problems


def load_registry(path: Path) -> tuple[Partnership, ...]:
    """The partnerships expected this round, in the order the paper lists them."""
    data = load_toml(path)
    check_keys(path.name, data, ("partnership",))
    entries = data.get("partnership", [])
    if not isinstance(entries, list) or not entries:
        raise fail(path.name, "lists no partnerships", "add a [[partnership]] section for each partnership")
    registry: list[Partnership] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f" in partnership {number}"
        if not isinstance(entry, dict):
            raise fail(path.name, f"partnership {number} is not a [[partnership]] section",
                        "write each partnership as a [[partnership]] section with name = … and kind = …")
        check_keys(path.name, entry, PARTNERSHIP_KEYS, where)
        name = str(entry.get("name", "")).strip()
        if not name:
            raise fail(path.name, f"partnership {number} has no name", 'add name = "…"')
        kind = str(entry.get("kind", "thematic")).strip().lower()
        if kind not in {k.value for k in Kind}:
            raise fail(path.name, f"kind '{kind}'{where} is not known", "use kind = \"thematic\" or kind = \"district\"")
        pid = slug(str(entry.get("id") or name))
        if pid in seen:
            raise fail(path.name, f"partnership id '{pid}' is used twice", "give each partnership its own id")
        seen.add(pid)
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list):
            raise fail(path.name, f"'aliases'{where} must be a list", 'write aliases = ["…"]')
        registry.append(
            Partnership(
                id=pid,
                name=name,
                kind=Kind(kind),
                short_name=str(entry.get("short_name", "")).strip(),
                aliases=tuple(str(a).strip() for a in aliases),
                contact=str(entry.get("contact", "")).strip(),
            )
        )
    return tuple(registry)


def load_mail(inputs: Path, paper: Paper) -> Mail:
    """How to send ``paper``, from paper.toml's [mail] and [[recipient]] entries."""
    sender = Recipient(paper.contact.name, paper.contact.email).address if paper.contact and paper.contact.email else ""
    return read_mail(load_toml(inputs / PAPER_FILE), PAPER_FILE, sender)


def load_config(inputs: Path) -> Config:
    """The paper and registry from the inputs folder; raises ConfigError if unusable."""
    paper, registry_path, problems = load_paper(inputs)
    return Config(paper, load_registry(registry_path), problems)
