"""What every command shares: its options, the exit statuses, a failure said once, and the commands named as the officer types them.

A stage's exceptions that an officer can act on (a setting wrong, a missing system
library, a worker lost, a folder that cannot be written) are turned into a :class:`Stop`
here, in :func:`guard`; anything else is a bug, said plainly with its evidence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from pathlib import Path

import click

from pipeline.filenames import shown
from pipeline.lazy import SystemLibraryMissing
from pipeline.machinery.workers import WorkerLost
from pipeline.records.problems import Severity
from pipeline.records.round import Round, Status
from pipeline.settings import ConfigError

EXIT_OK, EXIT_INCOMPLETE, EXIT_NOTHING = 0, 1, 2
MAKE_OPTIONS = {"check": "CHECK", "chase": "CHASE", "send": "SEND", "publish": "PUBLISH", "new-round": "ROUND",
                "minutes": "MINUTES"}
"""The make variable each command's options are given in (Makefile)."""

inputs_option = click.option(
    "--inputs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("inputs"),
    show_default=True,
    help="Folder holding paper.toml, partnerships.toml, report.md, the returned spreadsheets and any meeting.toml.",
)
strict_option = click.option(
    "--strict", is_flag=True,
    help="Exit with status 1 on warnings too, not only on missing returns and errors (for scripts).",
)
verbose_option = click.option("--verbose", is_flag=True, help="List every file, the ones already up to date too.")


def output_option(default: str, help: str):
    return click.option(
        "--output",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=help,
    )


def today_option(help: str):
    return click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help)


def clock(today: dt.datetime | None = None) -> dt.datetime:
    """The command's one reading of the clock: now, or with ``--today`` that day at this time."""
    now = dt.datetime.now()
    return dt.datetime.combine(today.date(), now.time()) if today else now


def status(round_: Round | None, strict: bool = False, problems=()) -> int:
    """0 when every expected return was read without errors (and, strictly, without
    warnings) and ``problems`` (a meeting's) hold no error; 1 otherwise. Through make, a
    round still incomplete is a normal state mid-round, which the summary explains: it is
    0 there unless ``strict``, and only the meeting's errors (an item not built) make it 1."""
    def bad(found) -> bool:
        return any(p.severity is Severity.ERROR or (strict and p.severity is Severity.WARNING) for p in found)

    if bad(problems):
        return EXIT_INCOMPLETE
    complete = round_ is None or all(e.status is Status.RECEIVED for e in round_.entries)
    if complete and not bad(round_.problems if round_ else ()):
        return EXIT_OK
    return EXIT_OK if os.environ.get("PAPERS_VIA_MAKE") and not strict else EXIT_INCOMPLETE


def how(args: str, make: str) -> str:
    """The command an officer would type for ``args``, in the form they ran papers in."""
    if os.environ.get("PAPERS_VIA_MAKE"):
        return make
    program = "papers" if Path(sys.argv[0]).name == "papers" else "python -m pipeline"
    return f"{program} {args}"


@contextlib.contextmanager
def progress():
    """A progress line on the terminal, rewritten in place and cleared at the end; nothing
    (None) when output is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return

    def say(message: str) -> None:
        click.echo(f"\r\x1b[K{message}", nl=False, err=True)

    try:
        yield say
    finally:
        click.echo("\r\x1b[K", nl=False, err=True)


class Stop(Exception):
    """A command that cannot go on: its message says why, and what to do. Exit status 2."""


def fail(message: str) -> None:
    raise Stop(message)


def guard(action, doing: str = "build the papers"):
    """Run ``action``; turn the failures a user can fix into a Stop, saying what could not be
    done (``doing``) and what to do."""
    try:
        return action()
    except ConfigError as error:
        fail(f"Cannot {doing}: {error.problem}")
    except SystemLibraryMissing as error:
        fail(f"Cannot write the PDF: {error}")
    except WorkerLost:
        fail("A process laying out the papers was stopped (by the system when memory ran out, or by "
             "hand). Nothing half-written was left: close other programs and run the command again.")
    except OSError as error:
        # The output folder is read-only or full, or a file in it is held open: the
        # writes are atomic, so what was there before is still there, whole.
        where = shown(str(error.filename)) if error.filename else "the output folder"
        fail(f"Cannot write {where}: {error.strerror or error}. Check that the folder is yours to "
             "write to and the disk has room, then run the command again; the files that were "
             "there before are unchanged.")
    except Exception:  # noqa: BLE001 — a bug: say so plainly, with the evidence
        traceback.print_exc()
        fail("papers stopped on an internal error (a bug, not your inputs). "
             "Please send the message above to the papers maintainers.")


def warn(message: str) -> None:
    click.secho(message, fg="yellow", err=True)


def smtp_login(smtp) -> tuple[str, str]:
    """The user name and password to log in to the mail server ``smtp`` with: from the
    settings or the environment, the password asked for at a terminal (never read from a file)."""
    username = smtp.username or os.environ.get("PAPERS_SMTP_USERNAME", "")
    password = os.environ.get("PAPERS_SMTP_PASSWORD", "")
    if username and not password:
        if not sys.stdin.isatty():
            fail("Cannot send: set the environment variable PAPERS_SMTP_PASSWORD (papers never reads it from a file).")
        password = click.prompt(f"SMTP password for {username}", hide_input=True)
    return username, password
