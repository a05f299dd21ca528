"""The command line: papers, check, forms. Problems become messages and an exit status here, once."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

import click

from pipeline.config import ConfigError
from pipeline.model import Round, Severity, Status
from pipeline.render.pdf import SystemLibraryMissing
from pipeline.render.summary import summary_lines
from pipeline.vocabulary import long_date

EXIT_OK, EXIT_INCOMPLETE, EXIT_NOTHING = 0, 1, 2

_inputs = click.option(
    "--inputs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("inputs"),
    show_default=True,
    help="Folder holding paper.toml, partnerships.toml, report.md and the returned spreadsheets.",
)


def _output(default: str, what: str):
    return click.option(
        "--output",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=f"Folder {what} are written to.",
    )


def _status(round_: Round) -> int:
    complete = all(e.status is Status.RECEIVED for e in round_.entries)
    errors = any(p.severity is Severity.ERROR for p in round_.problems)
    return EXIT_OK if complete and not errors else EXIT_INCOMPLETE


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(EXIT_NOTHING)


def _guard(action):
    """Run ``action``; turn the failures a user can fix into a message and exit status 2."""
    try:
        return action()
    except ConfigError as error:
        _fail(f"Cannot build the papers: {error.problem}")
    except SystemLibraryMissing as error:
        _fail(f"Cannot write the PDF: {error}")
    except Exception:  # noqa: BLE001 — a bug: say so plainly, with the evidence
        traceback.print_exc()
        _fail("papers stopped on an internal error (a bug, not your inputs). "
              "Please send the message above to the papers maintainers.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Partnership returns (Excel) in, committee papers (Word, PDF) out."""


@cli.command()
@_inputs
@_output("output", "the papers")
def papers(inputs: Path, output: Path) -> None:
    """Build the papers from every return in INPUTS."""
    from pipeline.build import build_papers

    build = _guard(lambda: build_papers(inputs, output))
    for line in summary_lines(build.round):
        click.echo(line)
    click.echo("")
    for path in build.written:
        click.echo(f"Wrote {path}")
    sys.exit(_status(build.round))


@cli.command()
@_inputs
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count the days to the deadline from this date (YYYY-MM-DD) instead of today.",
)
def check(inputs: Path, today) -> None:
    """Read every return in INPUTS and say what is received, missing or wrong, and how long is left."""
    from pipeline.build import read_round

    round_ = _guard(lambda: read_round(inputs))
    for line in summary_lines(round_, (today or dt.datetime.now()).date()):
        click.echo(line)
    sys.exit(_status(round_))


@cli.command()
@_inputs
@_output("output/forms", "the forms")
def forms(inputs: Path, output: Path) -> None:
    """Write a return form for every partnership in the registry, ready to email.

    Each form is filled in with what the partnership's newest return in INPUTS says of its
    contact officer, contact details, chair and cabinet member.
    """
    from pipeline.build import read_round
    from pipeline.forms import write_forms

    round_ = _guard(lambda: read_round(inputs))
    written = _guard(lambda: write_forms(round_, output))
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(f"{len(written)} forms for the {round_.paper.committee}, {long_date(round_.paper.meeting_date)}.")


def main() -> None:
    cli()
