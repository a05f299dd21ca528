"""The clerk's commands for the meeting: ``publish`` (the agenda, then each supplement) and ``minutes``."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.building import say_build, say_written
from pipeline.cli.common import clock, fail, guard, how, inputs_option, output_option, progress, status, today_option
from pipeline.meeting.minutes import build_minutes
from pipeline.meeting.publish import NotPublished
from pipeline.meeting.publish import publish as publish_meeting
from pipeline.meeting.publish import publish_minutes as publish_meeting_minutes
from pipeline.render.summary import problem_lines
from pipeline.vocabulary import long_date


@click.command(short_help="Publish the agenda, or its supplement: record the version and keep its files.", epilog="""\b
Examples:
  papers publish                       the agenda (version 1), then each supplement
  papers publish --today 2011-03-09    say which day it is published (it must be the front sheet's)
  papers publish --minutes             after the meeting: its draft minutes""")
@inputs_option
@output_option("output", "Folder the papers are built in; the record is kept in OUTPUT/versions/.")
@today_option("The day of publication (YYYY-MM-DD), instead of today.")
@click.option("--minutes", "minutes_", is_flag=True, help="Publish the minutes (after the meeting), not the agenda.")
def publish(inputs: Path, output: Path, today, minutes_: bool) -> int:
    """Build the meeting, then publish what is new: the agenda (version 1), or, once it is
    published, the supplement the changes made (version 2, 3 …); with --minutes, after the
    meeting, its draft minutes.

    The record (OUTPUT/versions/<meeting>/record.json) says what was published and when,
    with every file's SHA-256, and a copy of each file is kept beside it, never rewritten.
    Upload OUTPUT/publish/ to the website afterwards: it holds exactly what is public.
    """
    now = clock(today)
    if minutes_:
        return _publish_minutes(inputs, output, now)
    with progress() as say:
        done = guard(lambda: publish_meeting(inputs, output, now, progress=say), "publish the agenda")
    if done.refusal is NotPublished.NO_MEETING:
        fail(f"Nothing to publish: {inputs} has no meeting.toml (publishing is for a meeting's agenda).")
    status = say_build(done.built, strict=False, offer=False)
    if done.refusal is NotPublished.RECORD_UNUSABLE:
        fail("Not published: the meeting's publication record cannot be used (see above). Nothing was changed.")
    if done.refusal is NotPublished.REFUSED:
        fail(f"Not published: {done.refused}. Nothing was recorded: {done.advice}, then run "
             f"`{how('publish', 'make publish')}` again.")
    if done.version is None:
        click.echo(f"Nothing new to publish: {done.last.edition.called} (version {done.last.number}) was published "
                   f"on {done.last.published_long}, and nothing has changed since.")
        return status
    meeting, version = done.built.meeting, done.version
    if version.edition.is_agenda and done.notice.short:
        days = ", ".join(f"{d:%a %-d %b}" for d in done.notice.days) or "none"
        click.secho(f"Warning: published on {long_date(now.date())}, the agenda gives {len(done.notice.days)} clear "
                    f"day(s) before the meeting on {long_date(meeting.date)} ({days}); the law asks for "
                    f"{meeting.clear_days}. The last day to publish was "
                    f"{long_date(done.notice.last_day)}: an item may only be "
                    "taken if the chair agrees it is urgent.", fg="yellow")
    click.echo(f"Published version {version.number} ({version.edition.called.removeprefix('the ')}), "
               f"{long_date(now.date())}: {len(version.files)} file(s) recorded, with their digests, in "
               f"{output / 'versions'}.")
    click.echo(f"Upload {done.built.publication.folder} to the website: it holds exactly what is public now.")
    # Recorded, so no error stood in its way but an exemption's notice to take a pack down,
    # which this publication answers (the folder to upload no longer holds it).
    return 0


@click.command(short_help="Build the draft minutes from the record kept in meeting.toml.", epilog="""\b
Examples:
  papers minutes                       the draft minutes (Word, PDF, web page) and their check report
  papers minutes --today 2011-03-18    say which day they are published (the call-in period counts from it)""")
@inputs_option
@output_option("output", "Folder the minutes are built in (OUTPUT/minutes/; exempt items' in OUTPUT/private/minutes/).")
@today_option("The day the minutes are published (YYYY-MM-DD), instead of today.")
def minutes(inputs: Path, output: Path, today) -> int:
    """Build the draft minutes of the meeting in INPUTS/meeting.toml from what the clerk
    recorded there: [minutes] (present, apologies, substitutes, officers, interests), and
    each item's decision, resolved and [[item.action]] (action, owner, due).

    The public minutes give an exempt item its number, title, paragraph of Schedule 12A and
    any summary; the private minutes, in OUTPUT/private/minutes/, give everything.
    """
    now = clock(today)
    with progress() as say:
        done = guard(lambda: build_minutes(inputs, output, now.date(), progress=say), "build the minutes")
    if done.proceedings is None:
        fail(f"No minutes to build: {inputs} has no meeting.toml (the minutes are a meeting's).")
    for line in problem_lines(done.problems):
        click.echo(line)
    click.echo("")
    say_written([path for build in done.built for path in build.written], {p for b in done.built for p in b.fresh},
                verbose=True)
    if not done.proceedings.recorded:
        click.secho("Nothing is recorded of the meeting yet: add [minutes] and each item's decision to meeting.toml "
                    "(README.md, After the meeting).", fg="yellow")
    return status(None, False, done.problems)


def _publish_minutes(inputs: Path, output: Path, now) -> int:
    """``papers publish --minutes``: the draft minutes recorded and published, said."""
    with progress() as say:
        done = guard(lambda: publish_meeting_minutes(inputs, output, now, progress=say), "publish the minutes")
    if done.refusal is NotPublished.NO_MEETING:
        fail(f"Nothing to publish: {inputs} has no meeting.toml (the minutes are a meeting's).")
    for line in problem_lines(done.minutes.problems if done.minutes else []):
        click.echo(line)
    if done.refusal is NotPublished.RECORD_UNUSABLE:
        fail("Not published: the meeting's publication record cannot be used (see the check report). Nothing was "
             "changed.")
    if done.refusal is NotPublished.REFUSED:
        fail(f"Minutes not published: {done.refused}. Nothing was recorded: {done.advice}, then run "
             f"`{how('publish --minutes', 'make publish PUBLISH=--minutes')}` again.")
    if done.version is None:
        click.echo(f"Nothing new to publish: the minutes ({done.last.title}) were published on "
                   f"{done.last.published_long}, and nothing has changed since.")
        return 0
    click.echo(f"Published the minutes ({done.version.title}), {long_date(now.date())}: {len(done.version.files)} "
               f"file(s) recorded, with their digests, in {output / 'versions'}.")
    for line in done.confirmed:
        click.echo(line[:1].upper() + line[1:] + ".")
    click.echo(f"Upload {done.built.publication.folder} to the website: the meeting's page lists them now.")
    return 0
