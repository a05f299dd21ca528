"""Settings files read as untrusted input: TOML with known keys only, dates checked, paths confined to the inputs folder, text read with a size bound.

paper.toml (round/config.py), meeting.toml (meeting/config.py), a house-style paper's facts
(meeting/short_paper.py) and the [mail] tables (mail/settings.py) are each read with these;
what is wrong is a :class:`ConfigError` naming the file and saying what to write.
"""

from __future__ import annotations

import datetime as dt
import difflib
import stat
import tomllib
from pathlib import Path
from typing import Any

from pipeline.filenames import LAST_ROUNDS, shown
from pipeline.records.problems import Problem, Severity, Source
from pipeline.text import clean

CONTACT_KEYS = ("name", "role", "email", "phone")


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


def text_setting(file: str, settings: dict[str, Any], key: str) -> str:
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


OUTPUT_FOLDERS = ("publish", "retired", "versions", "outbox", "outbox/agenda", "outbox/chase", "private",
                  "private/versions", "private/retired", ".cache", "private/.cache", "forms", LAST_ROUNDS,
                  "minutes", "minutes/.cache", "private/minutes", "private/minutes/.cache")
"""The folders papers makes in the output folder, and writes in."""
OUTPUT_FILES = ("outbox/sent.log", "outbox/chase.log")
"""The logs papers keeps in the output folder, and appends to."""


def check_output(output: Path) -> None:
    """Refuse an output folder (as untrusted as any input: a shared drive) one of whose own
    folders or logs is a link, or not a folder or file at all: papers never writes, moves or
    reads through a link to somewhere else, nor waits on a pipe put in a log's place."""
    for name in OUTPUT_FOLDERS + OUTPUT_FILES:
        path = output / name
        if not (path.exists() or path.is_symlink()):
            continue
        kind, folder = path.lstat().st_mode, name in OUTPUT_FOLDERS
        if stat.S_ISLNK(kind) or not (stat.S_ISDIR(kind) if folder else stat.S_ISREG(kind)):
            what = "a link" if stat.S_ISLNK(kind) else f"not a {'folder' if folder else 'file'}"
            raise fail(shown(str(path)), f"is {what} where papers keeps its own, and papers never writes or reads "
                       "through one", f"move it out of {shown(str(output))} (papers makes its {name} itself), then run "
                       "the command again")
