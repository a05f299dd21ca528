"""The commands of an officer's round: ``forms``, ``new-round`` and ``chase``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    clock,
    fail,
    guard,
    how,
    inputs_option,
    output_option,
    smtp_login,
    today_option,
    warn,
)
from pipeline.mail.dispatch import way
from pipeline.meeting.carry import start_round
from pipeline.round.chase import NotChased
from pipeline.round.chase import chase as chase_returns
from pipeline.round.forms import write_round_forms
from pipeline.round.new_round import NotStarted
from pipeline.vocabulary import long_date


@click.command("new-round", short_help="Start the next round: last round put away, settings carried forward, new forms.",
               epilog="""\b
Examples:
  papers new-round --meeting 2011-09-22 --deadline 2011-09-05""")
@inputs_option
@output_option("output", "Folder the logs are put away in, and the new forms written to (OUTPUT/forms).")
@click.option("--meeting", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="The new round's meeting date (YYYY-MM-DD).")
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="When its returns are due (YYYY-MM-DD).")
def new_round(inputs: Path, output: Path, meeting: dt.datetime, deadline: dt.datetime) -> int:
    """Start the next round: put last round's returns, chase and sent logs away in dated
    folders, set the new dates in paper.toml (and meeting.toml), and write the new forms.

    Nothing is deleted: last round's returns go to INPUTS/last-rounds/<last meeting>/, its
    logs and drafts to OUTPUT/last-rounds/<last meeting>/.
    """
    done = guard(lambda: start_round(inputs, output, meeting.date(), deadline.date()), "start the new round")
    if done.refusal is NotStarted.DEADLINE_NOT_BEFORE_MEETING:
        fail(f"Not started: the deadline ({long_date(deadline.date())}) must come before the meeting "
             f"({long_date(meeting.date())}). Check the two dates and run it again.")
    click.echo(f"Last round ({long_date(done.last_meeting)}) put away:")
    for path in done.moved:
        click.echo(f"  Moved to {path}")
    click.echo("paper.toml now says: " + "; ".join(f"{key} = {value}" for key, value in done.changed.items()))
    if done.meeting:
        click.echo(f"{done.meeting.name}: date = {meeting.date().isoformat()}. Revise its agenda items for the new meeting.")
        if done.cleared:
            click.echo("  Cleared, as the last meeting's: " + "; ".join(done.cleared) + ".")
        if done.exempt:
            click.echo(f"  Still marked exempt: item{'s' if len(done.exempt) > 1 else ''} {', '.join(done.exempt)}: "
                       "check each is exempt at the new meeting too.")
        carried = done.carried
        if carried and carried.kept:
            click.echo(f"  The last meeting's record (minutes, decisions, actions) is kept in {carried.kept}, and "
                       "taken out of meeting.toml for the new meeting.")
        if carried and carried.actions:
            click.echo(f"  {len(carried.actions)} action(s) not yet done carried into {inputs / 'action-log.toml'}: "
                       "record each done there (done = <date>, note = \"…\") when it is.")
        if carried and carried.item:
            click.echo(f"  Added item {carried.item}, \"Action log\", to the agenda: move it where the committee "
                       "takes it.")
    click.echo(f"Wrote {len(done.forms)} forms for the meeting of {long_date(meeting.date())} in {output / 'forms'}.")
    click.echo("Check last_update (the questions quote it) and return_to in paper.toml, then send the forms out.")
    return EXIT_OK


@click.command(short_help="Write a return form for every partnership, ready to email.", epilog="""\b
Examples:
  papers forms
  papers forms --output ~/Desktop/forms""")
@inputs_option
@output_option("output/forms", "Folder the forms are written to.")
def forms(inputs: Path, output: Path) -> int:
    """Write a return form for every partnership in the registry, ready to email.

    Each form is filled in with what the partnership's newest return in INPUTS says of its
    contact officer, contact details, chair and cabinet member.
    """
    round_, written = guard(lambda: write_round_forms(inputs, output), "write the forms")
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(f"{len(written)} forms for the {round_.paper.committee}, {long_date(round_.paper.meeting_date)}.")
    return EXIT_OK


@click.command(short_help="Remind the partnerships whose returns are still to come.", epilog="""\b
Examples:
  papers chase --dry-run        who would be reminded
  papers chase                  a draft reminder per partnership in output/outbox/chase/
  papers chase --smtp           send the reminders through the [mail.smtp] server
  papers chase --sent           record the drafts you sent by hand today as sent""")
@inputs_option
@output_option("output", "Folder the chase log and the drafts are written in (outbox/).")
@click.option("--smtp", "use_smtp", is_flag=True, help="Send through the [mail.smtp] server instead of writing drafts.")
@click.option("--again", is_flag=True, help="Remind partnerships already reminded today.")
@click.option("--sent", is_flag=True, help="Record today's drafts as sent (you sent them from your mail program).")
@click.option("--dry-run", is_flag=True, help="Say who would be reminded, and do nothing.")
@today_option("The date to chase as of (YYYY-MM-DD), instead of today.")
def chase(inputs: Path, output: Path, use_smtp: bool, again: bool, sent: bool, dry_run: bool, today) -> int:
    """Remind every partnership whose return is missing or unreadable, with its form attached.

    Each reminder goes to the partnership's contact in partnerships.toml, with the form
    prefilled for it, the deadline and where to send it (templates/chase_subject.txt and
    chase_body.txt hold the words). Drafts by default; --smtp sends them. Reminders are
    recorded in OUTPUT/outbox/chase.log, so nobody is reminded twice in one day.
    """
    done = guard(lambda: chase_returns(inputs, output, clock(today), way(use_smtp), again=again, sent=sent,
                                       dry_run=dry_run, login=smtp_login), "chase")
    if done.refusal is NotChased.NO_SENDER:
        fail("Nothing to send: paper.toml gives no sender. Set from = \"Name <address>\" in [mail].")
    chasing = done.plan
    for problem in chasing.problems:
        warn(f"Not reminded: {problem.message} — {problem.advice}")
    incomplete = EXIT_INCOMPLETE if chasing.problems else EXIT_OK
    if not chasing.reminders:
        click.echo("Nobody to chase: every partnership's return is in." if not chasing.problems else "Nobody else to chase.")
        return incomplete
    if dry_run:
        for item, already in done.dispatched.planned:
            state = "already reminded today — skipped" if already else "would remind"
            click.echo(f"{state}: {item.recipients[0].address}  ({item.message['Subject']})")
        return EXIT_OK
    if chasing.done_today:
        click.echo(f"{chasing.done_today} already reminded today "
                   f"(`{how('chase --again', 'make chase CHASE=--again')}` reminds them again).")
    if done.recorded is not None:
        for item in done.recorded:
            click.echo(f"Recorded as reminded: {item.recipients[0].address}")
        if not done.recorded:
            click.echo("No draft of today's is waiting to be recorded as sent.")
        return incomplete
    if done.refusal is NotChased.NO_SERVER:
        fail("Cannot send: there is no [mail.smtp] section with a host. Add one, or send the drafts.")
    if done.dispatched.drafts:
        for _, path in done.dispatched.drafts:
            click.echo(f"Wrote {path}")
    if done.dispatched.outcome is None:  # drafts
        click.echo(f"{len(done.dispatched.drafts)} reminder(s) drafted: send them from Outlook or Thunderbird and run "
                   f"`{how('chase --sent', 'make chase CHASE=--sent')}` to record them as sent, "
                   f"or run `{how('chase --smtp', 'make chase CHASE=--smtp')}` to send them.")
        return incomplete
    outcome = done.dispatched.outcome
    for r in outcome.sent:
        click.echo(f"Reminded {r.address}")
    for r, reason in outcome.failed:
        click.secho(f"Not reminded: {r.address}: {reason}", fg="red")
    click.echo(f"{len(outcome.sent)} reminded, {chasing.done_today} already reminded today, "
               f"{len(outcome.failed)} not reminded.")
    return EXIT_INCOMPLETE if outcome.failed or chasing.problems else EXIT_OK
