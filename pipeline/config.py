"""The officer's configuration — paper.toml, the registry and the report text — read and checked."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.filenames import shown, slug
from pipeline.text import clean
from pipeline.model import Kind, Mail, Officer, Paper, Partnership, Problem, Recipient, Severity, Smtp, Source
from pipeline.prose import read_report

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
MAIL_DEFAULTS: dict[str, Any] = {
    "from": "",  # "Claire Moore <claire.moore@oxfordshire.gov.uk>"; the contact's address if empty
    "per_recipient": True,  # one message per recipient; false: one message to the whole list
    "attach_docx": False,  # attach the Word paper as well as the PDF
    "smtp": {},
}
SMTP_DEFAULTS: dict[str, Any] = {
    "host": "",
    "port": 587,
    "security": "starttls",  # "starttls", "ssl" or "none"
    "username": "",  # or the environment variable PAPERS_SMTP_USERNAME
    "cafile": "",  # extra certificates to trust, for a server with the council's own CA
    "timeout": 120,  # seconds one message's whole conversation with the server may take
}
RECIPIENT_KEYS = ("name", "email", "role")
_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
CONTACT_KEYS = ("name", "role", "email", "phone")
PARTNERSHIP_KEYS = ("id", "name", "short_name", "kind", "aliases", "contact")


@dataclass(frozen=True)
class Config:
    """What the configuration files say: the paper, and the partnerships expected."""

    paper: Paper
    registry: tuple[Partnership, ...]
    problems: tuple[Problem, ...] = ()
    """Warnings about the settings that did not stop the build (the report's Markdown)."""


class ConfigError(Exception):
    """The configuration cannot be used; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def fail(file: str, message: str, advice: str) -> ConfigError:
    """The error that stops the build over ``file``, with what to do about it."""
    return ConfigError(Problem(Severity.ERROR, Source(file), message, advice))


def load_toml(path: Path) -> dict[str, Any]:
    """A TOML file of settings; raises ConfigError, naming the file, if it cannot be read."""
    if not path.is_file():
        raise fail(path.name, "not found", f"create {path.name} in the inputs folder (see README.md)")
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise fail(path.name, f"is not valid TOML ({error})", "fix the line it names") from None
    except RecursionError:
        raise fail(path.name, "nests tables or lists too deeply to read", "a setting is nested far deeper than any papers uses: remove it") from None


def unknown_keys(table: dict[str, Any], known: tuple[str, ...] | dict, where: str = "") -> tuple[str, str] | None:
    """What to say of the settings in ``table`` (``where``: " in [clerk]", say) that are not
    ``known``, each with the known one it is likely a misspelling of ("unknown setting papr
    — did you mean paper?"): the message and the advice, or None if every one is known."""
    unknown = sorted(set(table) - set(known), key=str)
    if not unknown:
        return None
    said = []
    for key in unknown:
        close = difflib.get_close_matches(str(key).lower(), list(known), n=1, cutoff=0.6)
        said.append(shown(str(key))[:40] + (f"{where} — did you mean {close[0]}?" if close else where))
    return (f"unknown setting{'s' if len(unknown) > 1 else ''} {'; '.join(said)}",
            f"the known settings are: {', '.join(known)}")


def check_keys(file: str, table: dict[str, Any], known: tuple[str, ...] | dict, where: str = "") -> None:
    """Refuse, naming ``file``, settings in ``table`` that are not ``known``."""
    found = unknown_keys(table, known, where)
    if found:
        raise fail(file, *found)


def _text(file: str, settings: dict[str, Any], key: str) -> str:
    value = settings[key]
    if not isinstance(value, str):
        raise fail(file, f"'{key}' must be text in quotes", f'write it as {key} = "…"')
    # The same cleaning as cell text: a control character would corrupt the Word file.
    return clean(value)[0].strip()


# The years a meeting can fall in: a Word file cannot be dated before 1980, and a year
# outside these is a typing slip (1011 for 2011).
EARLIEST_YEAR, LATEST_YEAR = 1980, 2099


def is_plausible_date(value: object) -> bool:
    """Whether a setting is a date (not a date and time) in a year a meeting can fall in."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime) and EARLIEST_YEAR <= value.year <= LATEST_YEAR


def confined(inputs: Path, value: str) -> Path | None:
    """The path a setting names, if it is inside the inputs folder (and not the folder itself)."""
    root = inputs.resolve()
    path = (inputs / value).resolve()
    return path if value and path.is_relative_to(root) and path != root else None


MAX_TEXT = 2 * 1024 * 1024
"""The largest settings or Markdown file papers reads: a long paper is a hundred kilobytes."""


def read_text(path: Path) -> str:
    """A text file the officer wrote; raises ConfigError, naming it, if it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT:
            raise fail(path.name, f"is {size // 1_048_576} MB, far larger than a paper or its settings can be",
                       "check that it is the right file; a paper's text is a few hundred kilobytes at most")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise fail(path.name, "is not UTF-8 text", "save it again as UTF-8 (in Notepad: Save As, Encoding UTF-8)") from None
    except OSError as error:
        raise fail(path.name, f"could not be read ({error.strerror or error})", "check that you can open it yourself") from None


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
    last_update = _text(PAPER_FILE, merged, "last_update")
    report_path = _inside(inputs, "report", _text(PAPER_FILE, merged, "report"))
    if not report_path.is_file():
        raise fail(report_path.name, "not found", f"create it, or set report = … in {PAPER_FILE}")
    sections, closing, report_problems = read_report(clean(read_text(report_path))[0], report_path.name)

    paper = Paper(
        committee=_text(PAPER_FILE, merged, "committee"),
        meeting_date=meeting,
        title=_text(PAPER_FILE, merged, "title"),
        agenda_item=str(merged["agenda_item"]).strip(),
        last_update=last_update,
        questions=tuple(clean(q)[0].strip().replace("{last_update}", last_update) for q in questions),
        sections=sections,
        closing=closing,
        contact=Officer(**{k: clean(str(v))[0].strip() for k, v in contact.items()}, order=tuple(contact))
        if contact.get("name") else None,
        district_heading=_text(PAPER_FILE, merged, "district_heading"),
        deadline=deadline,
        return_to=_text(PAPER_FILE, merged, "return_to"),
        previous_meeting=previous,
    )
    return paper, _inside(inputs, "partnerships", _text(PAPER_FILE, merged, "partnerships")), report_problems


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


_LINE_BREAK = re.compile(r"[\r\n\x00-\x1f\x7f\u0085\u2028\u2029]")


def is_address(text: str) -> bool:
    """Whether ``text`` is a plain email address (name@example.gov.uk)."""
    return bool(_ADDRESS.match(text))


def load_mail(inputs: Path, paper: Paper) -> Mail:
    """How to send ``paper``, from paper.toml's [mail] and [[recipient]] entries."""
    sender = Recipient(paper.contact.name, paper.contact.email).address if paper.contact and paper.contact.email else ""
    return read_mail(load_toml(inputs / PAPER_FILE), PAPER_FILE, sender)


def read_mail(settings: dict, file_name: str, default_sender: str, recipient_keys=RECIPIENT_KEYS) -> Mail:
    """How to send, from the [mail] and [[recipient]] entries of ``settings`` (read from the
    file named ``file_name``); each recipient's ``exempt`` (entitled to exempt papers) where
    ``recipient_keys`` allows it."""
    mail = settings.get("mail", {})
    if not isinstance(mail, dict):
        raise fail(file_name, "'mail' must be a table", "write it as a [mail] section")
    check_keys(file_name, mail, MAIL_DEFAULTS, " in [mail]")
    mail = {**MAIL_DEFAULTS, **mail}
    smtp_settings = mail["smtp"]
    check_keys(file_name, smtp_settings, SMTP_DEFAULTS, " in [mail.smtp]")
    smtp_settings = {**SMTP_DEFAULTS, **smtp_settings}
    smtp = None
    if smtp_settings["host"]:
        security = str(smtp_settings["security"]).lower()
        if security not in ("starttls", "ssl", "none"):
            raise fail(file_name, f"security '{security}' in [mail.smtp] is not known", 'use "starttls", "ssl" or "none"')
        if not isinstance(smtp_settings["port"], int) or isinstance(smtp_settings["port"], bool):
            raise fail(file_name, "'port' in [mail.smtp] must be a number", "write it without quotes, as port = 587")
        timeout = smtp_settings["timeout"]
        if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= 3600:
            raise fail(file_name, "'timeout' in [mail.smtp] must be a number of seconds from 1 to 3600",
                        "write it without quotes, as timeout = 120")
        smtp = Smtp(
            host=str(smtp_settings["host"]).strip(),
            port=smtp_settings["port"],
            security=security,
            username=str(smtp_settings["username"]).strip(),
            cafile=str(smtp_settings["cafile"]).strip(),
            timeout=timeout,
        )

    entries = settings.get("recipient", [])
    if not isinstance(entries, list):
        raise fail(file_name, "'recipient' must be a list", "write each recipient as a [[recipient]] section")
    recipients, problems = [], []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(Severity.ERROR, Source(file_name), f"recipient {number} is not a [[recipient]] section",
                                    "write it as [[recipient]] with name = … and email = …; the others are sent as usual"))
            continue
        check_keys(file_name, entry, recipient_keys, f" in recipient {number}")
        raw_name = str(entry.get("name", ""))
        name = clean(raw_name)[0].strip()
        email = str(entry.get("email", "")).strip()
        who = f"recipient {number}" + (f" ({' '.join(name.split())})" if name else "")
        if _LINE_BREAK.search(raw_name) or _LINE_BREAK.search(email):
            # A line break in a header would let the name write headers of its own.
            problems.append(Problem(Severity.ERROR, Source(file_name), f"{who}: the name or address has a line break in it",
                                    "put the name and address each on one line; the others are sent as usual"))
            continue
        if not is_address(email):
            problems.append(
                Problem(
                    Severity.ERROR,
                    Source(file_name),
                    f"{who}: '{email}' is not an email address" if email else f"{who} has no email address",
                    f"correct the address in {file_name}; the others are sent as usual",
                )
            )
            continue
        exempt = entry.get("exempt", False)
        if not isinstance(exempt, bool):
            problems.append(Problem(Severity.ERROR, Source(file_name), f"{who}: exempt = {shown(repr(exempt))[:40]} is not true or false",
                                    "write exempt = true for someone entitled to exempt papers; they are not sent anything until then"))
            continue
        recipients.append(Recipient(name, email, clean(str(entry.get("role", "")))[0].strip(), exempt))

    if _LINE_BREAK.search(str(mail["from"])):
        raise fail(file_name, "'from' in [mail] has a line break in it", 'write it on one line, as from = "Name <address>"')
    sender = str(mail["from"]).strip() or default_sender
    return Mail(
        sender=sender,
        recipients=tuple(recipients),
        per_recipient=bool(mail["per_recipient"]),
        attach_docx=bool(mail["attach_docx"]),
        smtp=smtp,
        problems=tuple(problems),
    )


def load_config(inputs: Path) -> Config:
    """The paper and registry from the inputs folder; raises ConfigError if unusable."""
    paper, registry_path, problems = load_paper(inputs)
    return Config(paper, load_registry(registry_path), problems)
