"""The command line: papers, check, forms, send. Problems become messages and an exit status here, once."""

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
        click.echo(f"{'Wrote' if build.rebuilt else 'Up to date:'} {path}")
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


@cli.command()
@_inputs
@_output("output", "the papers are read from, and the outbox written in,")
@click.option("--smtp", "use_smtp", is_flag=True, help="Send through the [mail.smtp] server instead of writing drafts.")
@click.option("--resend", is_flag=True, help="Send again to people already sent this paper.")
@click.option("--dry-run", is_flag=True, help="Say what would be sent or written, and do nothing.")
def send(inputs: Path, output: Path, use_smtp: bool, resend: bool, dry_run: bool) -> None:
    """Email the papers to the distribution list in paper.toml.

    Without --smtp, writes one draft (.eml) per message into OUTPUT/outbox/ to send from
    Outlook or Thunderbird. With --smtp, sends them and records each delivery in
    OUTPUT/outbox/sent.log, so that nobody is sent the same paper twice. The SMTP password
    comes from the environment variable PAPERS_SMTP_PASSWORD, or is asked for.
    """
    import os

    from pipeline.build import TEMPLATES
    from pipeline.config import load_mail, load_paper
    from pipeline.render.view import paper_stem
    from pipeline.send import LARGE_ATTACHMENTS, SentLog, compose, deliver, paper_digest, write_drafts

    paper, _ = _guard(lambda: load_paper(inputs))
    mail = _guard(lambda: load_mail(inputs, paper))
    stem = paper_stem(paper)
    attachments = [output / f"{stem}.pdf"] + ([output / f"{stem}.docx"] if mail.attach_docx else [])
    missing = [p.name for p in attachments if not p.is_file()]
    if missing:
        _fail(f"Nothing to send: {', '.join(missing)} is not in {output}. Run `make papers` first.")
    if not mail.sender:
        _fail("Nothing to send: paper.toml gives no sender. Set from = \"Name <address>\" in [mail].")
    for problem in mail.problems:
        click.secho(f"Not sent: {problem}", fg="red", err=True)
    if not mail.recipients:
        _fail("Nothing to send: paper.toml has no [[recipient]] with a usable address.")
    size = sum(p.stat().st_size for p in attachments)
    if size > LARGE_ATTACHMENTS:
        click.secho(f"Warning: the attachments come to {size / 1_048_576:.1f} MB; many mail servers refuse "
                    "messages over 10 MB.", fg="yellow", err=True)

    outgoing = compose(paper, mail, attachments, TEMPLATES)
    outbox = output / "outbox"
    digest = paper_digest(attachments)
    log = SentLog(outbox / "sent.log")
    if dry_run:
        for item in outgoing:
            for r in item.recipients:
                already = use_smtp and not resend and log.has(r.email, digest)
                state = "already sent — skipped" if already else ("would send" if use_smtp else "would write a draft")
                click.echo(f"{state}: {r.address}")
            click.echo(f"    Subject: {item.message['Subject']}")
        click.echo(f"Attachments: {', '.join(p.name for p in attachments)} ({size / 1024:.0f} KB)")
        sys.exit(EXIT_OK if not mail.problems else EXIT_INCOMPLETE)

    if not use_smtp:
        for path in _guard(lambda: write_drafts(outgoing, outbox)):
            click.echo(f"Wrote {path}")
        click.echo("Open each draft in Outlook or Thunderbird and send it, or run `papers send --smtp`.")
        sys.exit(EXIT_OK if not mail.problems else EXIT_INCOMPLETE)

    if mail.smtp is None:
        _fail("Cannot send: paper.toml has no [mail.smtp] section with a host. Add one, or send the drafts.")
    username = mail.smtp.username or os.environ.get("PAPERS_SMTP_USERNAME", "")
    password = os.environ.get("PAPERS_SMTP_PASSWORD", "")
    if username and not password:
        if not sys.stdin.isatty():
            _fail("Cannot send: set the environment variable PAPERS_SMTP_PASSWORD (papers never reads it from a file).")
        password = click.prompt(f"SMTP password for {username}", hide_input=True)
    outcome = _guard(lambda: deliver(outgoing, mail.smtp, username, password, log, digest, resend))
    for r in outcome.sent:
        click.echo(f"Sent to {r.address}")
    for r in outcome.skipped:
        click.echo(f"Already sent to {r.address} (use --resend to send again)")
    not_sent = [(r.address, reason) for r, reason in outcome.failed]
    not_sent += [(p.message, "") for p in mail.problems]
    if not_sent:
        click.secho(f"Not sent to {len(not_sent)}:", fg="red")
        for who, reason in not_sent:
            click.echo(f"  {who}" + (f": {reason}" if reason else ""))
    click.echo(f"{len(outcome.sent)} sent, {len(outcome.skipped)} already sent, {len(not_sent)} not sent.")
    sys.exit(EXIT_INCOMPLETE if not_sent else EXIT_OK)


def main() -> None:
    cli()
