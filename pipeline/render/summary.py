"""The check report: each expected partnership's status, then every problem with its advice."""

from __future__ import annotations

import datetime as dt

from pipeline.records.problems import Severity
from pipeline.records.round import Round, Status
from pipeline.vocabulary import long_date

_MARK = {
    Status.RECEIVED: "received",
    Status.MISSING: "MISSING",
    Status.PROBLEM: "PROBLEM",
    Status.UNREADABLE: "received — UNREADABLE",
    Status.LAST_ROUND: "LAST ROUND'S",
}


def _days(deadline: dt.date, today: dt.date) -> str:
    days = (deadline - today).days
    if days == 0:
        return "due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


def summary_lines(
    round_: Round, today: dt.date | None = None, chased: dict[str, dt.date] | None = None,
    drafted: dict[str, dt.date] | None = None,
) -> list[str]:
    """The check report. With ``today``, it also counts the days to or past the deadline
    while returns are outstanding; ``chased`` says when each partnership (by id) was last
    sent a reminder, ``drafted`` when one was drafted and not sent since."""
    paper = round_.paper
    chased, drafted = chased or {}, drafted or {}
    outstanding = [e for e in round_.entries if e.outstanding]
    lines = [f"{paper.title} — {paper.committee}, {long_date(paper.meeting_date)}"]
    if not paper.with_returns:
        return lines + problem_lines(round_.problems)
    if paper.deadline:
        due = f"Returns due by {long_date(paper.deadline)}"
        # Days to or past the deadline mean something only while returns are still out.
        lines.append(f"{due}: {_days(paper.deadline, today)}." if today and outstanding else f"{due}.")
    lines.append("")
    width = max((len(e.partnership.name) for e in round_.entries), default=0)
    mark = max(len(m) for m in _MARK.values())
    for entry in round_.entries:
        ret = entry.ret
        completed = str(ret.completed or ret.values.get("completed", "")) if ret else ""
        lines.append(f"  {_MARK[entry.status]:<{mark}} {entry.partnership.name:<{width}}  {completed:<17} {entry.file}".rstrip())
    received = sum(1 for e in round_.entries if e.status is Status.RECEIVED)
    lines += ["", f"{received} of {len(round_.entries)} returns received and read without errors."]
    if outstanding:
        lines += ["", "Still to come:"]
        late = f" ({_days(paper.deadline, today)})" if paper.deadline and today else ""
        for entry in outstanding:
            contact = entry.partnership.contact or "no contact in partnerships.toml"
            if entry.status is Status.UNREADABLE:
                what = f"{entry.file} could not be read ({entry.reason}): chase {contact} for a readable copy"
            elif entry.status is Status.LAST_ROUND:
                what = f"only last round's return is here ({entry.file}): chase {contact} for this round's"
            else:
                what = f"no return yet: chase {contact}"
            when = chased.get(entry.partnership.id)
            reminded = f"; reminded {long_date(when)}" if when else ""
            if entry.partnership.id in drafted:
                reminded += f"; reminder drafted {long_date(drafted[entry.partnership.id])}, not sent yet"
            lines.append(f"  {entry.partnership.name} — {what}{late}{reminded}")
    return lines + problem_lines(round_.problems)


def problem_lines(problems) -> list[str]:
    """The problems section of a check report: every problem, errors first, with its advice."""
    lines: list[str] = []
    for severity, heading in ((Severity.ERROR, "Problems"), (Severity.WARNING, "Warnings")):
        found = [p for p in problems if p.severity is severity]
        if found:
            lines += ["", f"{heading} ({len(found)}):"]
            for problem in found:
                lines.append(f"  {problem.source}: {problem.message}")
                if problem.advice:
                    lines.append(f"      → {problem.advice}")
    return lines


def summary_text(round_: Round) -> str:
    """The check report as written beside the papers: the same for the same inputs."""
    return "\n".join(summary_lines(round_)) + "\n"


def meeting_lines(meeting, papers, problems, private: tuple | None = None) -> list[str]:
    """The meeting's check report: its problems first, then each item and what became of its
    paper (``papers``: each item with its build, or None). With ``private`` (how many
    problems exempt items have, their numbers, and the private report's place), the public
    report, which says only where those are."""
    lines = [f"{meeting.committee}, {long_date(meeting.date)}: {len(meeting.items)} items", ""]
    found = problem_lines(problems)
    while found and not found[0]:
        found = found[1:]  # problem_lines starts with a blank line, which the heading's already gives
    lines += found + ([""] if found else [])
    if private and private[0]:
        count, exempt, report = private
        lines += [f"The exempt item{'s' if len(exempt) > 1 else ''} ({', '.join(exempt)}) {'have' if len(exempt) > 1 else 'has'} "
                  f"{count} more problem{'s' if count > 1 else ''}, named in the private check report, {report}.", ""]
    for item, build in papers:
        if item.withdrawn:
            state = "withdrawn"
        elif item.paper is None:
            state = "no paper"
        elif item.kind.built is None:
            state = f"supplied {item.kind.name} paper"
        else:
            state = "built" if build else "NOT BUILT: see the problems above"
        lines.append(f"  {item.number:>4}  {item.title}  ({state})")
    return lines
