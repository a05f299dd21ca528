"""The command line: papers, watch, check, forms, chase, send, publish, new-round. Problems become messages and an exit status here, once.

Each command asks the stage that knows (build, assemble, chase, send) what to do, prints
what it is told, and returns its exit status; what a command decides is decided there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
import traceback
from pathlib import Path

import click

from pipeline import lazy, parts
from pipeline import watch as watcher
from pipeline.assemble import as_in_meeting, build_meeting
from pipeline.build import build_papers, papers_current
from pipeline.config import ConfigError, load_mail
from pipeline.filenames import TEMPLATES, shown
from pipeline.lazy import SystemLibraryMissing
from pipeline.meeting import load_meeting
from pipeline.versions import load_record
from pipeline import publish as publisher
from pipeline.model import Meeting, Round, Severity, Status
from pipeline.render.summary import meeting_lines, summary_lines
from pipeline.rounds import read_round
from pipeline.vocabulary import long_date
from pipeline.workers import WorkerLost, Workers

EXIT_OK, EXIT_INCOMPLETE, EXIT_NOTHING = 0, 1, 2
MAKE_OPTIONS = {"check": "CHECK", "chase": "CHASE", "send": "SEND", "publish": "PUBLISH", "new-round": "ROUND"}
"""The make variable each command's options are given in (Makefile)."""

_inputs = click.option(
    "--inputs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("inputs"),
    show_default=True,
    help="Folder holding paper.toml, partnerships.toml, report.md, the returned spreadsheets and any meeting.toml.",
)


def _output(default: str, help: str):
    return click.option(
        "--output",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=help,
    )


def _today(help: str):
    return click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help)


def _status(round_: Round | None, strict: bool = False, problems=()) -> int:
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


def _how(args: str, make: str) -> str:
    """The command an officer would type for ``args``, in the form they ran papers in."""
    if os.environ.get("PAPERS_VIA_MAKE"):
        return make
    program = "papers" if Path(sys.argv[0]).name == "papers" else "python -m pipeline"
    return f"{program} {args}"


@contextlib.contextmanager
def _progress():
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


_strict = click.option(
    "--strict", is_flag=True,
    help="Exit with status 1 on warnings too, not only on missing returns and errors (for scripts).",
)


class Stop(Exception):
    """A command that cannot go on: its message says why, and what to do. Exit status 2."""


def _fail(message: str) -> None:
    raise Stop(message)


def _guard(action, doing: str = "build the papers"):
    """Run ``action``; turn the failures a user can fix into a Stop, saying what could not be
    done (``doing``) and what to do."""
    try:
        return action()
    except ConfigError as error:
        _fail(f"Cannot {doing}: {error.problem}")
    except SystemLibraryMissing as error:
        _fail(f"Cannot write the PDF: {error}")
    except WorkerLost:
        _fail("A process laying out the papers was stopped (by the system when memory ran out, or by "
              "hand). Nothing half-written was left: close other programs and run the command again.")
    except OSError as error:
        # The output folder is read-only or full, or a file in it is held open: the
        # writes are atomic, so what was there before is still there, whole.
        where = shown(str(error.filename)) if error.filename else "the output folder"
        _fail(f"Cannot write {where}: {error.strerror or error}. Check that the folder is yours to "
              "write to and the disk has room, then run the command again; the files that were "
              "there before are unchanged.")
    except Exception:  # noqa: BLE001 — a bug: say so plainly, with the evidence
        traceback.print_exc()
        _fail("papers stopped on an internal error (a bug, not your inputs). "
              "Please send the message above to the papers maintainers.")


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
\b
Exit status: 0 all returns in and read; 1 papers made, but a return is missing or has
errors; 2 nothing could be made. Each command's --help has more.""",
)
@click.version_option(package_name="papers", prog_name="papers")
def cli() -> None:
    """Partnership returns (Excel) in; committee papers out as Word, PDF and a web page (HTML),
    with a check report of what is missing or wrong; forms and reminders out, papers sent."""


@cli.command(short_help="Build the papers (with a meeting.toml, the meeting's papers and pack).", epilog="""\b
Examples:
  papers papers
  papers papers --inputs ~/rounds/2011-03 --output ~/rounds/2011-03/output --strict""")
@_inputs
@_output("output", "Folder the papers are written to.")
@_strict
@click.option("--verbose", is_flag=True, help="List every file, the ones already up to date too.")
def papers(inputs: Path, output: Path, strict: bool, verbose: bool) -> int:
    """Build the papers (Word, PDF, HTML and the check report) from every return in INPUTS.

    With a meeting.toml in INPUTS, every paper on its agenda, the agenda pack (or, once it
    is published, its supplement), the meeting's web page and its check report.
    """
    return _build(inputs, output, strict, verbose)


def _build(inputs: Path, output: Path, strict: bool, verbose: bool, workers: Workers | None = None) -> int:
    """``papers papers``: the meeting's papers, or without a meeting.toml the round's; the exit status."""
    meeting = _guard(lambda: load_meeting(inputs))
    if meeting is not None:
        return _build_meeting(inputs, output, meeting, strict, verbose, workers)[1]
    with _progress() as say:
        build = _guard(lambda: build_papers(inputs, output, progress=say, workers=workers))
    for line in summary_lines(build.round):
        click.echo(line)
    click.echo("")
    _say_written(build.written, set(build.written) if build.rebuilt else set(), verbose)
    _say_publication(build.publication)
    return _status(build.round, strict)


@cli.command(short_help="Build the papers, then again whenever a file in the inputs changes.", epilog="""\b
Examples:
  papers watch
  papers watch --inputs ~/rounds/2011-03 --output ~/rounds/2011-03/output
\b
Ctrl-C stops it; a build it stops leaves nothing half-written.""")
@_inputs
@_output("output", "Folder the papers are written to.")
@click.option("--verbose", is_flag=True, help="List every file, the ones already up to date too.")
def watch(inputs: Path, output: Path, verbose: bool) -> int:
    """Build the papers as `papers papers` does, then watch INPUTS and build them again each
    time a return, paper or setting is added, changed or removed.

    It stays loaded between builds, with the layout engine ready: a rebuild is quicker
    than a `papers papers` of its own. A build that cannot be made (a setting wrong, say)
    is explained, and the next change is built as usual.
    """
    workers = Workers(warm_up=parts.warm_up, resident=True)
    building = False

    def build() -> None:
        nonlocal building
        started = time.monotonic()
        click.echo(f"Building ({dt.datetime.now():%H:%M:%S}) …")
        building = True  # a Ctrl-C from here on stops a build, and is said as one
        try:
            _build(inputs, output, False, verbose, workers)
        except Stop as stop:
            click.secho(str(stop), fg="red", err=True)
        building = False
        workers.start()  # loading the layout engine now, while nothing changes, ready for the next build
        click.echo(f"Built in {time.monotonic() - started:.1f} s. Watching {shown(str(inputs))} for changes "
                   "(Ctrl-C to stop).")

    try:
        watcher.watch(inputs, build)
    except KeyboardInterrupt:
        if building:
            raise  # said as any build stopped is
        click.echo("Stopped watching.")
    finally:
        workers.close()
    return EXIT_OK


def _build_meeting(inputs: Path, output: Path, meeting: Meeting, strict: bool, verbose: bool = False,
                   workers: Workers | None = None):
    """Build every paper of the meeting, saying what was built: the build, and the exit status."""
    with _progress() as say:
        built = _guard(lambda: build_meeting(inputs, output, meeting, progress=say, workers=workers))
    # The meeting's check report, which leads with its problems: what the officer must see.
    for line in meeting_lines(meeting, built.papers, built.problems):
        click.echo(line)
    click.echo("")
    if built.round is not None:
        for line in summary_lines(built.round):
            click.echo(line)
        click.echo("")
    _say_written(built.written, built.fresh, verbose)
    _say_publication(built.publication)
    if built.edition and built.edition.pending:
        click.echo(f"{built.edition.pending.name} is ready to publish, with {len(built.edition.pending.changes)} "
                   f"change(s) to the agenda: run `{_how('publish', 'make publish')}` to publish it.")
    return built, _status(built.round, strict, built.problems)


def _say_written(written: list[Path], fresh: set[Path], verbose: bool) -> None:
    """Each file written now; the ones already up to date counted (listed with ``verbose``)."""
    current = [path for path in written if path not in fresh]
    for path in written:
        if path in fresh:
            click.echo(f"Wrote {path}")
        elif verbose:
            click.echo(f"Up to date: {path}")
    if current and not verbose:
        click.echo(f"{len(current)} file(s) already up to date ({_how('papers --verbose', 'make papers VERBOSE=1')} lists them).")


def _say_publication(publication) -> None:
    """What the publication folder holds now, and what was moved out of it."""
    if publication is None:
        return
    for path in publication.retired:
        click.echo(f"Moved out of {publication.folder}: {shown(path.name)} (now in {path.parent})")
    click.echo(f"To publish: {publication.folder} — {len(publication.files)} files, the public papers and "
               "nothing else (never the private folder)")


@cli.command(short_help="Publish the agenda, or its supplement: record the version and keep its files.", epilog="""\b
Examples:
  papers publish                       the agenda (version 1), then each supplement
  papers publish --today 2011-03-09    say which day it is published (it must be the front sheet's)""")
@_inputs
@_output("output", "Folder the papers are built in; the record is kept in OUTPUT/versions/.")
@_today("The day of publication (YYYY-MM-DD), instead of today.")
def publish(inputs: Path, output: Path, today: dt.datetime | None) -> int:
    """Build the meeting, then publish what is new: the agenda (version 1), or, once it is
    published, the supplement the changes made (version 2, 3 …).

    The record (OUTPUT/versions/<meeting>/record.json) says what was published and when,
    with every file's SHA-256, and a copy of each file is kept beside it, never rewritten.
    Upload OUTPUT/publish/ to the website afterwards: it holds exactly what is public.
    """
    meeting = _guard(lambda: load_meeting(inputs), "publish the agenda")
    if meeting is None:
        _fail(f"Nothing to publish: {inputs} has no meeting.toml (publishing is for a meeting's agenda).")
    built, status = _build_meeting(inputs, output, meeting, strict=False)
    if built.publication is None:
        _fail("Not published: the meeting's publication record cannot be used (see above). Nothing was changed.")
    now = dt.datetime.combine(today.date(), dt.datetime.now().time()) if today else dt.datetime.now()
    done = _guard(lambda: publisher.publish(meeting, built, output, now), "publish the agenda")
    if done.refused:
        advice = done.advice or f"set published = {now.date().isoformat()} in meeting.toml (the day you publish)"
        _fail(f"Not published: {done.refused}. Nothing was recorded: {advice}, then run "
              f"`{_how('publish', 'make publish')}` again.")
    if done.version is None:
        click.echo(f"Nothing new to publish: {done.last.called} "
                   f"(version {done.last.number}) was published on {done.last.published_long}, and nothing has changed since.")
        return status
    if done.version.number == 1 and done.notice.short:
        days = ", ".join(f"{d:%a %-d %b}" for d in done.notice.days) or "none"
        click.secho(f"Warning: published on {long_date(now.date())}, the agenda gives {len(done.notice.days)} clear "
                    f"day(s) before the meeting on {long_date(meeting.date)} ({days}); the law asks for "
                    f"{meeting.clear_days}. The last day to publish was "
                    f"{long_date(done.notice.last_day)}: an item may only be "
                    "taken if the chair agrees it is urgent.", fg="yellow")
    version = done.version
    click.echo(f"Published version {version.number} ({version.called.removeprefix('the ')}), "
               f"{long_date(now.date())}: {len(version.files)} file(s) recorded, with their digests, in "
               f"{output / 'versions'}.")
    click.echo(f"Upload {built.publication.folder} to the website: it holds exactly what is public now.")
    return status


@cli.command(short_help="Say what is received, missing or wrong, and how long is left.", epilog="""\b
Examples:
  papers check
  papers check --today 2011-02-25      plan ahead: the days left as they will be then""")
@_inputs
@_output("output", "Folder holding the chase log (outbox/chase.log), which says who was reminded when.")
@_today("Count the days to the deadline from this date (YYYY-MM-DD) instead of today.")
@_strict
def check(inputs: Path, output: Path, today, strict: bool) -> int:
    """Read every return in INPUTS and say what is received, missing or wrong, and how long is left."""
    with _progress() as say:
        round_ = _guard(lambda: read_round(inputs, progress=say), "check the returns")
    log = lazy.chasing().ChaseLog(output / "outbox" / "chase.log")
    round_id = round_.paper.round_id
    for line in summary_lines(round_, (today or dt.datetime.now()).date(), log.last_chased(round_id),
                              log.drafts_awaiting(round_id)):
        click.echo(line)
    return _status(round_, strict)


@cli.command("new-round", short_help="Start the next round: last round put away, settings carried forward, new forms.",
             epilog="""\b
Examples:
  papers new-round --meeting 2011-09-22 --deadline 2011-09-05""")
@_inputs
@_output("output", "Folder the logs are put away in, and the new forms written to (OUTPUT/forms).")
@click.option("--meeting", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="The new round's meeting date (YYYY-MM-DD).")
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="When its returns are due (YYYY-MM-DD).")
def new_round(inputs: Path, output: Path, meeting: dt.datetime, deadline: dt.datetime) -> int:
    """Start the next round: put last round's returns, chase and sent logs away in dated
    folders, set the new dates in paper.toml (and meeting.toml), and write the new forms.

    Nothing is deleted: last round's returns go to INPUTS/last-rounds/<last meeting>/, its
    logs and drafts to OUTPUT/last-rounds/<last meeting>/.
    """
    if deadline.date() >= meeting.date():
        _fail(f"Not started: the deadline ({long_date(deadline.date())}) must come before the meeting "
              f"({long_date(meeting.date())}). Check the two dates and run it again.")
    last = _guard(lambda: read_round(inputs), "start the new round")
    done = _guard(lambda: lazy.new_round().start(inputs, output, last, meeting.date(), deadline.date()), "start the new round")
    click.echo(f"Last round ({long_date(done.last_meeting)}) put away:")
    for path in done.moved:
        click.echo(f"  Moved to {path}")
    click.echo("paper.toml now says: " + "; ".join(f"{key} = {value}" for key, value in done.changed.items()))
    if done.meeting:
        click.echo(f"{done.meeting.name}: date = {meeting.date().isoformat()}. Revise its agenda items for the new meeting.")
    click.echo(f"Wrote {len(done.forms)} forms for the meeting of {long_date(meeting.date())} in {output / 'forms'}.")
    click.echo("Check last_update (the questions quote it) and return_to in paper.toml, then send the forms out.")
    return EXIT_OK


@cli.command(short_help="Write a return form for every partnership, ready to email.", epilog="""\b
Examples:
  papers forms
  papers forms --output ~/Desktop/forms""")
@_inputs
@_output("output/forms", "Folder the forms are written to.")
def forms(inputs: Path, output: Path) -> int:
    """Write a return form for every partnership in the registry, ready to email.

    Each form is filled in with what the partnership's newest return in INPUTS says of its
    contact officer, contact details, chair and cabinet member.
    """
    round_ = _guard(lambda: read_round(inputs), "write the forms")
    written = _guard(lambda: lazy.forms().write_forms(round_, output), "write the forms")
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(f"{len(written)} forms for the {round_.paper.committee}, {long_date(round_.paper.meeting_date)}.")
    return EXIT_OK


@cli.command(short_help="Remind the partnerships whose returns are still to come.", epilog="""\b
Examples:
  papers chase --dry-run        who would be reminded
  papers chase                  a draft reminder per partnership in output/outbox/chase/
  papers chase --smtp           send the reminders through the [mail.smtp] server
  papers chase --sent           record the drafts you sent by hand today as sent""")
@_inputs
@_output("output", "Folder the chase log and the drafts are written in (outbox/).")
@click.option("--smtp", "use_smtp", is_flag=True, help="Send through the [mail.smtp] server instead of writing drafts.")
@click.option("--again", is_flag=True, help="Remind partnerships already reminded today.")
@click.option("--sent", is_flag=True, help="Record today's drafts as sent (you sent them from your mail program).")
@click.option("--dry-run", is_flag=True, help="Say who would be reminded, and do nothing.")
@_today("The date to chase as of (YYYY-MM-DD), instead of today.")
def chase(inputs: Path, output: Path, use_smtp: bool, again: bool, sent: bool, dry_run: bool, today) -> int:
    """Remind every partnership whose return is missing or unreadable, with its form attached.

    Each reminder goes to the partnership's contact in partnerships.toml, with the form
    prefilled for it, the deadline and where to send it (templates/chase_subject.txt and
    chase_body.txt hold the words). Drafts by default; --smtp sends them. Reminders are
    recorded in OUTPUT/outbox/chase.log, so nobody is reminded twice in one day.
    """
    today = (today or dt.datetime.now()).date()
    round_ = _guard(lambda: read_round(inputs), "chase")
    mail = _guard(lambda: load_mail(inputs, round_.paper), "chase")
    if not mail.sender:
        _fail("Nothing to send: paper.toml gives no sender. Set from = \"Name <address>\" in [mail].")
    reminders, mailer = lazy.chasing(), lazy.mail()
    log = reminders.ChaseLog(output / "outbox" / "chase.log")
    chasing = _guard(lambda: reminders.plan(round_, mail, TEMPLATES, today, log, again), "chase")
    for problem in chasing.problems:
        click.secho(f"Not reminded: {problem.message} — {problem.advice}", fg="yellow", err=True)
    incomplete = EXIT_INCOMPLETE if chasing.problems else EXIT_OK
    if not chasing.reminders:
        click.echo("Nobody to chase: every partnership's return is in." if not chasing.problems else "Nobody else to chase.")
        return incomplete
    if dry_run:
        for item in chasing.reminders:
            state = "would remind" if item in chasing.due else "already reminded today — skipped"
            click.echo(f"{state}: {item.recipients[0].address}  ({item.message['Subject']})")
        return EXIT_OK
    if chasing.done_today:
        click.echo(f"{chasing.done_today} already reminded today "
                   f"(`{_how('chase --again', 'make chase CHASE=--again')}` reminds them again).")
    if sent:  # the officer sent today's drafts by hand: they are reminders now
        marked = [item for item in chasing.due if log.was_drafted(item.key)]
        for item in marked:
            log.record(item.recipients[0], item.key, [])
            click.echo(f"Recorded as reminded: {item.recipients[0].address}")
        if not marked:
            click.echo("No draft of today's is waiting to be recorded as sent.")
        return incomplete
    if not use_smtp:
        written = _guard(lambda: mailer.write_drafts(chasing.due, output / "outbox" / "chase"), "chase")
        for item, path in zip(chasing.due, written):
            log.drafted(item.recipients[0], item.key, [path.name])
            click.echo(f"Wrote {path}")
        click.echo(f"{len(written)} reminder(s) drafted: send them from Outlook or Thunderbird and run "
                   f"`{_how('chase --sent', 'make chase CHASE=--sent')}` to record them as sent, "
                   f"or run `{_how('chase --smtp', 'make chase CHASE=--smtp')}` to send them.")
        return incomplete
    username, password = _smtp_login(mail)
    outcome = _guard(lambda: mailer.deliver(chasing.due, mail.smtp, username, password, log, "", again), "chase")
    for r in outcome.sent:
        click.echo(f"Reminded {r.address}")
    for r, reason in outcome.failed:
        click.secho(f"Not reminded: {r.address}: {reason}", fg="red")
    click.echo(f"{len(outcome.sent)} reminded, {chasing.done_today} already reminded today, "
               f"{len(outcome.failed)} not reminded.")
    return EXIT_INCOMPLETE if outcome.failed or chasing.problems else EXIT_OK


def _smtp_login(mail) -> tuple[str, str]:
    """The SMTP user name and password: from the settings or environment, or asked for."""
    if mail.smtp is None:
        _fail("Cannot send: there is no [mail.smtp] section with a host. Add one, or send the drafts.")
    username = mail.smtp.username or os.environ.get("PAPERS_SMTP_USERNAME", "")
    password = os.environ.get("PAPERS_SMTP_PASSWORD", "")
    if username and not password:
        if not sys.stdin.isatty():
            _fail("Cannot send: set the environment variable PAPERS_SMTP_PASSWORD (papers never reads it from a file).")
        password = click.prompt(f"SMTP password for {username}", hide_input=True)
    return username, password


@cli.command(short_help="Email the papers to the distribution list in paper.toml.", epilog="""\b
Examples:
  papers send --dry-run         who would get what; nothing is written or sent
  papers send                   a draft per recipient in output/outbox/
  papers send --smtp            send through the [mail.smtp] server""")
@_inputs
@_output("output", "Folder the papers are read from; the outbox is written in it.")
@click.option("--smtp", "use_smtp", is_flag=True, help="Send through the [mail.smtp] server instead of writing drafts.")
@click.option("--resend", is_flag=True, help="Send again to people already sent this paper.")
@click.option("--dry-run", is_flag=True, help="Say what would be sent or written, and do nothing.")
@click.option("--anyway", is_flag=True, help="Send papers older than their returns or settings (not advised).")
@click.option("--pack", is_flag=True, help="Send the published agenda and supplements to meeting.toml's distribution list.")
def send(inputs: Path, output: Path, use_smtp: bool, resend: bool, dry_run: bool, anyway: bool, pack: bool) -> int:
    """Email the papers to the distribution list in paper.toml; with --pack, each published
    version of the agenda (the pack, then each supplement) to the list in meeting.toml.

    Without --smtp, writes one draft (.eml) per message into OUTPUT/outbox/ to send from
    Outlook or Thunderbird. With --smtp, sends them and records each delivery in
    OUTPUT/outbox/sent.log, so that nobody is sent the same paper or version twice. The SMTP
    password comes from the environment variable PAPERS_SMTP_PASSWORD, or is asked for.

    Papers older than their returns or settings are refused: rebuild them first. With
    --pack, the private pack goes only to those marked exempt = true.
    """
    if pack:
        return _send_agenda(inputs, output, use_smtp, resend, dry_run)
    meeting = _guard(lambda: load_meeting(inputs), "send")  # its report shows the meeting's date and item
    round_, current = _guard(lambda: papers_current(inputs, output, shown=lambda r: as_in_meeting(r, meeting)), "send")
    mail = _guard(lambda: load_mail(inputs, round_.paper), "send")
    mailer = lazy.mail()
    sending = _guard(lambda: mailer.plan(round_, current, mail, output, TEMPLATES, anyway), "send")
    rebuild = _how("papers", "make papers")
    if sending.refusal is mailer.NotSent.MISSING:
        _fail(f"Nothing to send: {', '.join(sending.missing)} is not in {output}. Run `{rebuild}` first.")
    if sending.refusal is mailer.NotSent.STALE:
        _fail(f"Not sent: the papers in {output} are older than their returns or settings, or a "
              f"build was stopped before it had replaced them all. Run `{rebuild}` to bring them "
              f"up to date, then send again (or add --anyway to send them as they are).")
    if sending.outstanding:
        click.secho(f"Warning: the papers go without a return from {len(sending.outstanding)} partnership(s): "
                    f"{', '.join(sending.outstanding)}.", fg="yellow", err=True)
    if sending.refusal is mailer.NotSent.NO_SENDER:
        _fail("Nothing to send: paper.toml gives no sender. Set from = \"Name <address>\" in [mail].")
    for problem in sending.problems:
        click.secho(f"Not sent: {problem}", fg="red", err=True)
    if sending.refusal is mailer.NotSent.NO_RECIPIENTS:
        _fail("Nothing to send: paper.toml has no [[recipient]] with a usable address.")
    if sending.large:
        click.secho(f"Warning: the attachments come to {sending.size / 1_048_576:.1f} MB; many mail servers refuse "
                    "messages over 10 MB.", fg="yellow", err=True)
    incomplete = EXIT_INCOMPLETE if sending.problems else EXIT_OK
    outbox = output / "outbox"
    log = mailer.SentLog(outbox / "sent.log")
    if dry_run:
        for item in sending.outgoing:
            for r in item.recipients:
                already = use_smtp and not resend and log.has(r.email, sending.digest)
                state = "already sent — skipped" if already else ("would send" if use_smtp else "would write a draft")
                click.echo(f"{state}: {r.address}")
            click.echo(f"    Subject: {item.message['Subject']}")
        click.echo(f"Attachments: {', '.join(p.name for p in sending.attachments)} ({sending.size / 1024:.0f} KB)")
        return incomplete
    if not use_smtp:
        for path in _guard(lambda: mailer.write_drafts(sending.outgoing, outbox), "send"):
            click.echo(f"Wrote {path}")
        click.echo("Open each draft in Outlook or Thunderbird and send it, "
                   f"or run `{_how('send --smtp', 'make send SEND=--smtp')}`.")
        return incomplete

    return _deliver(mailer, sending.outgoing, mail, log, sending.digest, resend, sending.problems)


def _deliver(mailer, outgoing, mail, log, digest: str, resend: bool, problems) -> int:
    """Send ``outgoing`` through SMTP, saying what happened to each recipient: the exit status."""
    username, password = _smtp_login(mail)
    again = _how("send --smtp --resend", 'make send SEND="--smtp --resend"')
    outcome = _guard(lambda: mailer.deliver(outgoing, mail.smtp, username, password, log, digest, resend), "send")
    for r in outcome.sent:
        click.echo(f"Sent to {r.address}")
    for r in outcome.skipped:
        click.echo(f"Already sent to {r.address} (`{again}` sends again)")
    for r in outcome.uncertain:
        click.secho(f"May already have been sent to {r.address}: the last send stopped after the server took "
                    f"the message. Check with them; `{again}` sends it again.", fg="yellow")
    not_sent = [(r.address, reason) for r, reason in outcome.failed]
    not_sent += [(str(p.source.cell or p.message), p.message if p.source.cell else "") for p in problems]
    if not_sent:
        click.secho(f"Not sent to {len(not_sent)}:", fg="red")
        for who, reason in not_sent:
            click.echo(f"  {who}" + (f": {reason}" if reason else ""))
    click.echo(f"{len(outcome.sent)} sent, {len(outcome.skipped)} already sent, {len(not_sent)} not sent.")
    return EXIT_INCOMPLETE if not_sent else EXIT_OK


def _send_agenda(inputs: Path, output: Path, use_smtp: bool, resend: bool, dry_run: bool) -> int:
    """Send each published version of the agenda to meeting.toml's distribution list: the exit status."""
    meeting = _guard(lambda: load_meeting(inputs), "send the agenda")
    if meeting is None:
        _fail(f"Nothing to send: {inputs} has no meeting.toml (--pack sends a meeting's agenda).")
    record, unusable = load_record(output, meeting)
    if unusable is not None:
        _fail(f"Not sent: {unusable}")
    if not record.versions:
        _fail(f"Nothing to send: the agenda is not published yet. Run `{_how('publish', 'make publish')}` first.")
    mail = meeting.mail
    if mail is None or not mail.sender:
        _fail('Nothing to send: meeting.toml gives no sender. Set from = "Name <address>" in its [mail].')
    for problem in mail.problems:
        click.secho(f"Not sent: {problem}", fg="red", err=True)
    if not mail.recipients:
        _fail("Nothing to send: meeting.toml has no [[recipient]] with a usable address.")
    mailer, agenda_mail = lazy.mail(), lazy.agenda_mail()
    sending = _guard(lambda: agenda_mail.plan(meeting, record, TEMPLATES), "send the agenda")
    for problem in sending.problems:
        click.secho(f"{'Not sent' if problem.severity is Severity.ERROR else 'Warning'}: {problem}", fg="red", err=True)
    outbox = output / "outbox"
    log = mailer.SentLog(outbox / "sent.log")
    todo = [item for item in sending.outgoing if resend or not all(log.has(r.email, item.key) for r in item.recipients)]
    incomplete = EXIT_INCOMPLETE if mail.problems or any(p.severity is Severity.ERROR for p in sending.problems) else EXIT_OK
    if not todo:
        click.echo(f"Nothing new to send: everyone on the list has had every published version "
                   f"(the last, version {record.versions[-1].number}, published {record.versions[-1].published_long}).")
        return incomplete
    if dry_run:
        for item in todo:
            files = [part.get_filename() for part in item.message.iter_attachments()]
            click.echo(f"{'would send' if use_smtp else 'would write a draft'}: {item.recipients[0].address} — "
                       f"{item.message['Subject']} ({', '.join(files) or 'a link'})")
        return incomplete
    if not use_smtp:
        for path in _guard(lambda: mailer.write_drafts(todo, outbox / "agenda"), "send the agenda"):
            click.echo(f"Wrote {path}")
        smtp = _how("send --pack --smtp", 'make send SEND="--pack --smtp"')
        click.echo(f"Open each draft in Outlook or Thunderbird and send it, or run `{smtp}`.")
        return incomplete
    if mail.smtp is None:
        _fail("Not sent: meeting.toml has no [mail.smtp] server. Add one, or send the drafts by hand.")
    return max(incomplete, _deliver(mailer, todo, mail, log, "", resend, []))


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
