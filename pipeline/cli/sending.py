"""The command that sends: ``send``, the paper to paper.toml's list, or with ``--pack`` each published version of the agenda (``--minutes``, the minutes) to meeting.toml's."""

from __future__ import annotations

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
    warn,
)
from pipeline.mail.dispatch import Dispatched, way
from pipeline.meeting import send as agenda
from pipeline.meeting.config import load_meeting
from pipeline.records.problems import Severity
from pipeline.round import send as paper


@click.command(short_help="Email the papers to the distribution list in paper.toml.", epilog="""\b
Examples:
  papers send --dry-run         who would get what; nothing is written or sent
  papers send                   a draft per recipient in output/outbox/
  papers send --smtp            send through the [mail.smtp] server""")
@inputs_option
@output_option("output", "Folder the papers are read from; the outbox is written in it.")
@click.option("--smtp", "use_smtp", is_flag=True, help="Send through the [mail.smtp] server instead of writing drafts.")
@click.option("--resend", is_flag=True, help="Send again to people already sent this paper.")
@click.option("--dry-run", is_flag=True, help="Say what would be sent or written, and do nothing.")
@click.option("--anyway", is_flag=True, help="Send papers older than their returns or settings (not advised).")
@click.option("--pack", is_flag=True, help="Send the published agenda and supplements to meeting.toml's distribution list.")
@click.option("--minutes", "minutes_", is_flag=True,
              help="Send the draft minutes to the chair; once published, the minutes to meeting.toml's list.")
def send(inputs: Path, output: Path, use_smtp: bool, resend: bool, dry_run: bool, anyway: bool, pack: bool,
         minutes_: bool) -> int:
    """Email the papers to the distribution list in paper.toml; with --pack, each published
    version of the agenda (the pack, then each supplement) to the list in meeting.toml.

    Without --smtp, writes one draft (.eml) per message into OUTPUT/outbox/ to send from
    Outlook or Thunderbird. With --smtp, sends them and records each delivery in
    OUTPUT/outbox/sent.log, so that nobody is sent the same paper or version twice. The SMTP
    password comes from the environment variable PAPERS_SMTP_PASSWORD, or is asked for.

    Papers older than their returns or settings are refused: rebuild them first. With
    --pack, the private pack goes only to those marked exempt = true. With --minutes, the
    draft minutes go to each recipient whose role is "Chair" until the minutes are
    published, then each published version to the whole list (the private minutes only to
    those marked exempt = true).
    """
    if pack or minutes_:
        return _send_agenda(inputs, output, use_smtp, resend, dry_run, minutes=minutes_)
    meeting = guard(lambda: load_meeting(inputs), "send")  # its report shows the meeting's date and item
    sending = guard(lambda: paper.send(inputs, output, meeting, clock(), way(use_smtp), resend=resend, anyway=anyway,
                                       dry_run=dry_run, login=smtp_login), "send")
    rebuild = how("papers", "make papers")
    if sending.refusal is paper.NotSent.MISSING:
        fail(f"Nothing to send: {', '.join(sending.missing)} is not in {output}. Run `{rebuild}` first.")
    if sending.refusal is paper.NotSent.STALE:
        fail(f"Not sent: the papers in {output} are older than their returns or settings, or a "
             f"build was stopped before it had replaced them all. Run `{rebuild}` to bring them "
             f"up to date, then send again (or add --anyway to send them as they are).")
    if sending.outstanding:
        warn(f"Warning: the papers go without a return from {len(sending.outstanding)} partnership(s): "
             f"{', '.join(sending.outstanding)}.")
    if sending.refusal is paper.NotSent.NO_SENDER:
        fail("Nothing to send: paper.toml gives no sender. Set from = \"Name <address>\" in [mail].")
    for problem in sending.problems:
        click.secho(f"Not sent: {problem}", fg="red", err=True)
    if sending.refusal is paper.NotSent.NO_RECIPIENTS:
        fail("Nothing to send: paper.toml has no [[recipient]] with a usable address.")
    if sending.large:
        warn(f"Warning: the attachments come to {sending.size / 1_048_576:.1f} MB; many mail servers refuse "
             "messages over 10 MB.")
    incomplete = EXIT_INCOMPLETE if sending.problems else EXIT_OK
    if sending.refusal is paper.NotSent.NO_SERVER:
        fail("Cannot send: there is no [mail.smtp] section with a host. Add one, or send the drafts.")
    done = sending.dispatched
    if done.dry_run:
        for item, already in done.planned:
            for r in item.recipients:
                skipped = use_smtp and r.email in already
                click.echo(f"{'already sent — skipped' if skipped else 'would send' if use_smtp else 'would write a draft'}: "
                           f"{r.address}")
            click.echo(f"    Subject: {item.message['Subject']}")
        click.echo(f"Attachments: {', '.join(p.name for p in sending.attachments)} ({sending.size / 1024:.0f} KB)")
        return incomplete
    if done.outcome is None:  # drafts
        for _, path in done.drafts:
            click.echo(f"Wrote {path}")
        click.echo("Open each draft in Outlook or Thunderbird and send it, "
                   f"or run `{how('send --smtp', 'make send SEND=--smtp')}`.")
        return incomplete
    return _say_delivered(done, [_who(p) for p in sending.problems])


def _send_agenda(inputs: Path, output: Path, use_smtp: bool, resend: bool, dry_run: bool, minutes: bool = False) -> int:
    """Each published version of the agenda (with ``minutes``, of the minutes) sent to
    meeting.toml's distribution list, said: the exit status."""
    option = "--minutes " if minutes else "--pack "  # as the advice names it
    sending = guard(lambda: agenda.send(inputs, output, clock(), way(use_smtp), resend=resend, dry_run=dry_run,
                                        login=smtp_login, minutes=minutes), "send the minutes" if minutes else "send the agenda")
    refusal = sending.refusal
    if refusal is agenda.NotSent.NO_MEETING:
        fail(f"Nothing to send: {inputs} has no meeting.toml ({option.strip()} sends a meeting's "
             f"{'minutes' if minutes else 'agenda'}).")
    if refusal is agenda.NotSent.RECORD_UNUSABLE:
        fail(f"Not sent: {sending.unusable}")
    if refusal is agenda.NotSent.NOT_PUBLISHED:
        fail(f"Nothing to send: the agenda is not published yet. Run `{how('publish', 'make publish')}` first.")
    for problem in sending.list_problems:
        click.secho(f"Not sent: {problem}", fg="red", err=True)
    if refusal is agenda.NotSent.MAIL_UNUSABLE:
        fail("Nothing sent: meeting.toml's [mail] cannot be used (above). Mend it, then send again.")
    if refusal is agenda.NotSent.NO_SENDER:
        fail('Nothing to send: meeting.toml gives no sender. Set from = "Name <address>" in its [mail].')
    if refusal is agenda.NotSent.NO_RECIPIENTS:
        fail("Nothing to send: meeting.toml has no [[recipient]] with a usable address.")
    for problem in sending.plan.problems:
        click.secho(f"{'Not sent' if problem.severity is Severity.ERROR else 'Warning'}: {problem}", fg="red", err=True)
    errors = sending.list_problems or any(p.severity is Severity.ERROR for p in sending.plan.problems)
    incomplete = EXIT_INCOMPLETE if errors else EXIT_OK
    not_sent = [_who(p) for p in sending.list_problems]
    not_sent += [_who(p) for p in sending.plan.problems if p.severity is Severity.ERROR]
    if not sending.todo:
        again = how(f"send {option}--smtp --resend", f'make send SEND="{option}--smtp --resend"')
        if not_sent:  # nobody left to send to but those who cannot be sent it: counted, not "nothing new"
            had = sum(len(item.recipients) for item in sending.plan.outgoing)
            advice = f" (`{again}` sends them again)" if had else ""
            click.echo(f"0 sent, {had} already sent{advice}, {len(not_sent)} not sent.")
            return incomplete
        if minutes:
            click.echo(f"Nothing new to send: everyone it goes to has had it (`{again}` sends it again).")
            return incomplete
        click.echo(f"Nothing new to send: everyone on the list has had every published version "
                   f"(the last, version {sending.last.number}, published {sending.last.published_long}; "
                   f"`{again}` sends them all again).")
        return incomplete
    if refusal is agenda.NotSent.NO_SERVER:
        fail("Not sent: meeting.toml has no [mail.smtp] server. Add one, or send the drafts by hand.")
    done = sending.dispatched
    if done.dry_run:
        for item, _ in done.planned:
            files = [part.get_filename() for part in item.message.iter_attachments()]
            click.echo(f"{'would send' if use_smtp else 'would write a draft'}: {item.recipients[0].address} — "
                       f"{item.message['Subject']} ({', '.join(files) or 'a link'})")
        return incomplete
    if done.outcome is None:  # drafts
        for _, path in done.drafts:
            click.echo(f"Wrote {path}")
        smtp = how(f"send {option}--smtp", f'make send SEND="{option}--smtp"')
        click.echo(f"Open each draft in Outlook or Thunderbird and send it, or run `{smtp}`.")
        return incomplete
    return max(incomplete, _say_delivered(done, not_sent, option))


def _who(problem) -> tuple[str, str]:
    """Who a problem says is not sent, and why: the recipient its cell names, or the problem itself."""
    return str(problem.source.cell or problem.message), problem.message if problem.source.cell else ""


def _say_delivered(done: Dispatched, not_sent: list[tuple[str, str]], pack: str = "") -> int:
    """What the server did with each message, person by person, and who was not sent it
    (with ``not_sent``, those the list could not send to): the exit status. ``pack`` is the
    option that sends the agenda, where it is what was sent."""
    outcome = done.outcome
    again = how(f"send {pack}--smtp --resend", f'make send SEND="{pack}--smtp --resend"')
    for r in outcome.sent:
        click.echo(f"Sent to {r.address}")
    for r in outcome.skipped:
        click.echo(f"Already sent to {r.address} (`{again}` sends again)")
    for r in outcome.uncertain:
        click.secho(f"May already have been sent to {r.address}: the last send stopped after the server took "
                    f"the message. Check with them; `{again}` sends it again.", fg="yellow")
    not_sent = [(r.address, reason) for r, reason in outcome.failed] + not_sent
    if not_sent:
        click.secho(f"Not sent to {len(not_sent)}:", fg="red")
        for who, reason in not_sent:
            click.echo(f"  {who}" + (f": {reason}" if reason else ""))
    click.echo(f"{len(outcome.sent)} sent, {len(outcome.skipped)} already sent, {len(not_sent)} not sent.")
    return EXIT_INCOMPLETE if not_sent else EXIT_OK
