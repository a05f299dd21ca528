"""The command line: papers, watch, check, forms, new-round, chase, send, publish, minutes. Problems become messages and an exit status here, once.

Each command parses its options, calls one function of the stage that knows (round/,
meeting/), and says what it returns; every decision — what to build, send or record, and
what to refuse — is the stage's, returned as a value. The commands are in building.py,
rounds.py, meeting.py and sending.py; what they share in common.py.
"""

from __future__ import annotations

import os
import sys

import click

from pipeline.cli.building import check, papers, watch
from pipeline.cli.common import EXIT_NOTHING, EXIT_OK, MAKE_OPTIONS, Stop
from pipeline.cli.meeting import minutes, publish
from pipeline.cli.rounds import chase, forms, new_round
from pipeline.cli.sending import send


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  papers check                  who has sent a return, who to chase
  papers forms                  a return form per partnership, to send out
  papers chase                  reminders to the partnerships still to send
  papers papers                 the papers, from every return in inputs/
  papers watch                  the papers, built again as returns and papers land
  papers send --dry-run         who would be sent the papers
  papers minutes                the draft minutes, from the record kept in meeting.toml
\b
Exit status: 0 all returns in and read; 1 papers made, but a return is missing or has
errors; 2 nothing could be made. Each command's --help has more.""",
)
@click.version_option(package_name="papers", prog_name="papers")
def cli() -> None:
    """Partnership returns (Excel) in; committee papers out as Word, PDF and a web page (HTML),
    with a check report of what is missing or wrong; forms and reminders out, papers sent."""


for command in (papers, watch, publish, minutes, check, new_round, forms, chase, send):
    cli.add_command(command)


def main() -> None:
    """The papers command: click's own handling, but Ctrl-C said plainly (status 130), and a
    command that cannot go on said in red (status 2)."""
    try:
        status = cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Every output is written whole or not at all, so stopping leaves no half-file.
        click.secho("Stopped. Nothing half-written was left; run the command again to finish.", fg="yellow", err=True)
        sys.exit(130)
    except Stop as stop:
        click.secho(str(stop), fg="red", err=True)
        sys.exit(EXIT_NOTHING)
    except click.UsageError as error:
        if not os.environ.get("PAPERS_VIA_MAKE"):
            error.show()
            sys.exit(error.exit_code)
        # Through make, click's usage line would name `python -m pipeline`: name what was typed.
        command = error.ctx.command.name if error.ctx and error.ctx.command and error.ctx.parent else ""
        variable = MAKE_OPTIONS.get(command)
        click.secho(f"Error: {error.format_message()}", fg="red", err=True)
        if variable:
            click.echo(f"The options of `make {command}` go in {variable}, as make {command} {variable}=\"--…\"; "
                       f"`make {command} {variable}=--help` lists them.", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    sys.exit(status if isinstance(status, int) else EXIT_OK)
