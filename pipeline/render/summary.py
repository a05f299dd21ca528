"""The check report: each expected partnership's status, then every problem with its advice."""

from __future__ import annotations

import datetime as dt

from pipeline.model import Round, Severity, Status
from pipeline.vocabulary import long_date

_MARK = {Status.RECEIVED: "received", Status.MISSING: "MISSING", Status.PROBLEM: "PROBLEM"}


def _days(deadline: dt.date, today: dt.date) -> str:
    days = (deadline - today).days
    if days == 0:
        return "due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


def summary_lines(round_: Round, today: dt.date | None = None) -> list[str]:
    """The check report. With ``today``, it also counts the days to or past the deadline."""
    paper = round_.paper
    lines = [f"{paper.title} — {paper.committee}, {long_date(paper.meeting_date)}"]
    if paper.deadline:
        due = f"Returns due by {long_date(paper.deadline)}"
        lines.append(f"{due}: {_days(paper.deadline, today)}." if today else f"{due}.")
    lines.append("")
    width = max(len(e.partnership.name) for e in round_.entries)
    for entry in round_.entries:
        ret = entry.ret
        completed = str(ret.completed or ret.values.get("completed", "")) if ret else ""
        file = ret.file if ret else ""
        lines.append(f"  {_MARK[entry.status]:<9} {entry.partnership.name:<{width}}  {completed:<17} {file}".rstrip())
    received = sum(1 for e in round_.entries if e.status is Status.RECEIVED)
    lines += ["", f"{received} of {len(round_.entries)} returns received and read without errors."]
    missing = [e for e in round_.entries if e.status is Status.MISSING]
    if missing:
        lines += ["", "No return yet from:"]
        late = f" ({_days(paper.deadline, today)})" if paper.deadline and today else ""
        for entry in missing:
            contact = entry.partnership.contact or "no contact in partnerships.toml"
            lines.append(f"  {entry.partnership.name} — chase {contact}{late}")
    for severity, heading in ((Severity.ERROR, "Problems"), (Severity.WARNING, "Warnings")):
        found = [p for p in round_.problems if p.severity is severity]
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
