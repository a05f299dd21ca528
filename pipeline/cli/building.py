"""The commands that build and check: ``papers``, ``watch`` and ``check``, and how a build is said."""

from __future__ import annotations

import datetime as dt
import time
from functools import partial
from pathlib import Path

import click

from pipeline import lazy, parts
from pipeline.build import Build
from pipeline.cli.common import (
    EXIT_OK,
    Stop,
    clock,
    guard,
    how,
    inputs_option,
    output_option,
    progress,
    status,
    strict_option,
    today_option,
    verbose_option,
)
from pipeline.filenames import shown
from pipeline.machinery import watch as watcher
from pipeline.machinery.workers import Workers
from pipeline.meeting.build import MeetingBuild, build_meeting
from pipeline.meeting.config import load_meeting
from pipeline.render.summary import meeting_lines, summary_lines
from pipeline.round.build import build_round
from pipeline.round.chase import track


@click.command(short_help="Build the papers (with a meeting.toml, the meeting's papers and pack).", epilog="""\b
Examples:
  papers papers
  papers papers --inputs ~/rounds/2011-03 --output ~/rounds/2011-03/output --strict""")
@inputs_option
@output_option("output", "Folder the papers are written to.")
@strict_option
@verbose_option
def papers(inputs: Path, output: Path, strict: bool, verbose: bool) -> int:
    """Build the papers (Word, PDF, HTML and the check report) from every return in INPUTS.

    With a meeting.toml in INPUTS, every paper on its agenda, the agenda pack (or, once it
    is published, its supplement), the meeting's web page and its check report.
    """
    return build(inputs, output, clock(), strict, verbose)


def build(inputs: Path, output: Path, now: dt.datetime, strict: bool, verbose: bool, workers: Workers | None = None) -> int:
    """``papers papers``: the meeting's papers, or without a meeting.toml the round's, said; the exit status."""
    meeting = guard(lambda: load_meeting(inputs))
    with progress() as say:
        if meeting is not None:
            built = guard(lambda: build_meeting(inputs, output, meeting, now, progress=say, workers=workers))
        else:
            built = guard(lambda: build_round(inputs, output, now, progress=say, workers=workers))
    return say_build(built, strict, verbose)


def say_build(built: MeetingBuild | Build, strict: bool, verbose: bool = False, offer: bool = True) -> int:
    """What a build (a meeting's, or a round's on its own) found and wrote, with (``offer``)
    the supplement it made ready to publish; its exit status."""
    of_meeting = isinstance(built, MeetingBuild)
    if of_meeting:  # the meeting's check report, which leads with its problems: what the officer must see
        for line in meeting_lines(built.meeting, built.papers, built.problems + built.private_problems):
            click.echo(line)
        click.echo("")
    if built.round is not None:
        for line in summary_lines(built.round):
            click.echo(line)
        click.echo("")
    say_written(built.written, built.fresh, verbose)
    say_publication(built.publication)
    pending = built.plan.pending if of_meeting and built.plan else None
    if pending and offer:
        click.echo(f"{pending.edition.name} is ready to publish, with {len(pending.changes)} "
                   f"change(s) to the agenda: run `{how('publish', 'make publish')}` to publish it.")
    return status(built.round, strict, built.problems + built.private_problems if of_meeting else ())


def say_written(written: list[Path], fresh: set[Path], verbose: bool) -> None:
    """Each file written now; the ones already up to date counted (listed with ``verbose``)."""
    current = [path for path in written if path not in fresh]
    for path in written:
        if path in fresh:
            click.echo(f"Wrote {path}")
        elif verbose:
            click.echo(f"Up to date: {path}")
    if current and not verbose:
        click.echo(f"{len(current)} file(s) already up to date ({how('papers --verbose', 'make papers VERBOSE=1')} lists them).")


def say_publication(publication) -> None:
    """What the publication folder holds now, and what was moved out of it."""
    if publication is None:
        return
    for path in publication.retired:
        click.echo(f"Moved out of {publication.folder}: {shown(path.name)} (now in {path.parent})")
    click.echo(f"To publish: {publication.folder} — {len(publication.files)} files, the public papers and "
               "nothing else (never the private folder)")


@click.command(short_help="Build the papers, then again whenever a file in the inputs changes.", epilog="""\b
Examples:
  papers watch
  papers watch --inputs ~/rounds/2011-03 --output ~/rounds/2011-03/output
\b
Ctrl-C stops it; a build it stops leaves nothing half-written.""")
@inputs_option
@output_option("output", "Folder the papers are written to.")
@verbose_option
def watch(inputs: Path, output: Path, verbose: bool) -> int:
    """Build the papers as `papers papers` does, then watch INPUTS and build them again each
    time a return, paper or setting is added, changed or removed.

    It stays loaded between builds, with the layout engine ready: a rebuild is quicker
    than a `papers papers` of its own. A build that cannot be made (a setting wrong, say)
    is explained, and the next change is built as usual.
    """
    workers = Workers(warm_up=partial(parts.warm_up, page=True), resident=True)
    building = False

    def build_once() -> None:
        nonlocal building
        started, now = time.monotonic(), clock()
        click.echo(f"Building ({now:%H:%M:%S}) …")
        building = True  # a Ctrl-C from here on stops a build, and is said as one
        try:
            build(inputs, output, now, False, verbose, workers)
        except Stop as stop:
            click.secho(str(stop), fg="red", err=True)
        building = False
        workers.start()  # loading the layout engine now, while nothing changes, ready for the next build
        lazy.for_a_rebuild()  # and what this process needs for one (0.3–1 s a first rebuild waited for)
        click.echo(f"Built in {time.monotonic() - started:.1f} s. Watching {shown(str(inputs))} for changes "
                   "(Ctrl-C to stop).")

    try:
        watcher.watch(inputs, build_once)
    except KeyboardInterrupt:
        if building:
            raise  # said as any build stopped is
        click.echo("Stopped watching.")
    finally:
        workers.close()
    return EXIT_OK


@click.command(short_help="Say what is received, missing or wrong, and how long is left.", epilog="""\b
Examples:
  papers check
  papers check --today 2011-02-25      plan ahead: the days left as they will be then""")
@inputs_option
@output_option("output", "Folder holding the chase log (outbox/chase.log), which says who was reminded when.")
@today_option("Count the days to the deadline from this date (YYYY-MM-DD) instead of today.")
@strict_option
def check(inputs: Path, output: Path, today, strict: bool) -> int:
    """Read every return in INPUTS and say what is received, missing or wrong, and how long is left."""
    with progress() as say:
        round_, lines = guard(lambda: track(inputs, output, clock(today).date(), say), "check the returns")
    for line in lines:
        click.echo(line)
    return status(round_, strict)
